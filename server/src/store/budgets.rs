//! The `budgets` table: one spending limit per API key.

use crate::usage::budget::{BudgetConfig, Period};
use entity::budgets;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set};
use std::collections::HashMap;

pub fn config_of(row: &budgets::Model) -> BudgetConfig {
    BudgetConfig {
        limit: row.limit_usd,
        period: Period::parse(&row.period).unwrap_or(Period::Monthly),
        warning_threshold: row.warning_threshold,
    }
}

pub async fn load_configs(db: &DatabaseConnection) -> Result<HashMap<String, BudgetConfig>, DbErr> {
    Ok(list(db)
        .await?
        .iter()
        .map(|row| (row.api_key_id.clone(), config_of(row)))
        .collect())
}

pub async fn list(db: &DatabaseConnection) -> Result<Vec<budgets::Model>, DbErr> {
    budgets::Entity::find()
        .order_by_asc(budgets::Column::CreatedAt)
        .order_by_asc(budgets::Column::ApiKeyId)
        .all(db)
        .await
}

pub async fn get(db: &DatabaseConnection, key_id: &str) -> Result<Option<budgets::Model>, DbErr> {
    budgets::Entity::find_by_id(key_id.to_string())
        .one(db)
        .await
}

/// Creates or replaces the budget of a key.
pub async fn upsert(
    db: &DatabaseConnection,
    key_id: &str,
    config: &BudgetConfig,
) -> Result<budgets::Model, DbErr> {
    let now = super::now_unix();
    let row = budgets::ActiveModel {
        api_key_id: Set(key_id.to_string()),
        limit_usd: Set(config.limit),
        period: Set(config.period.as_str().to_string()),
        warning_threshold: Set(config.warning_threshold),
        created_at: Set(now),
        updated_at: Set(now),
    };
    budgets::Entity::insert(row)
        .on_conflict(
            OnConflict::column(budgets::Column::ApiKeyId)
                .update_columns([
                    budgets::Column::LimitUsd,
                    budgets::Column::Period,
                    budgets::Column::WarningThreshold,
                    budgets::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    get(db, key_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("budget of {key_id}")))
}

/// True when a budget was removed.
pub async fn delete(db: &DatabaseConnection, key_id: &str) -> Result<bool, DbErr> {
    Ok(budgets::Entity::delete_by_id(key_id.to_string())
        .exec(db)
        .await?
        .rows_affected
        > 0)
}
