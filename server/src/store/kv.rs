//! Namespaced values in the `key_value` table.

use entity::key_value;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set};

pub async fn get(
    db: &DatabaseConnection,
    namespace: &str,
    key: &str,
) -> Result<Option<String>, DbErr> {
    Ok(
        key_value::Entity::find_by_id((namespace.to_string(), key.to_string()))
            .one(db)
            .await?
            .map(|row| row.value),
    )
}

pub async fn set(
    db: &DatabaseConnection,
    namespace: &str,
    key: &str,
    value: &str,
) -> Result<(), DbErr> {
    let row = key_value::ActiveModel {
        namespace: Set(namespace.to_string()),
        key: Set(key.to_string()),
        value: Set(value.to_string()),
        updated_at: Set(super::now_unix()),
    };
    key_value::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([key_value::Column::Namespace, key_value::Column::Key])
                .update_columns([key_value::Column::Value, key_value::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
