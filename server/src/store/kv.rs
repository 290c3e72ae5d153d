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

/// A JSON value (settings and the like); None when absent or unreadable.
pub async fn get_json<T: serde::de::DeserializeOwned>(
    db: &DatabaseConnection,
    namespace: &str,
    key: &str,
) -> Option<T> {
    match get(db, namespace, key).await {
        Ok(Some(text)) => serde_json::from_str(&text)
            .map_err(|e| {
                tracing::warn!("stored {namespace}/{key} is unreadable and was ignored: {e}")
            })
            .ok(),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!("reading {namespace}/{key} failed: {e}");
            None
        }
    }
}

pub async fn set_json<T: serde::Serialize>(
    db: &DatabaseConnection,
    namespace: &str,
    key: &str,
    value: &T,
) -> Result<(), DbErr> {
    let text = serde_json::to_string(value).map_err(|e| DbErr::Custom(e.to_string()))?;
    set(db, namespace, key, &text).await
}
