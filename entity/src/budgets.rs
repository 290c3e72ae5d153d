//! `budgets`: a spending limit per API key and period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budgets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub api_key_id: String,
    pub limit_usd: f64,
    /// `daily`, `weekly` or `monthly` (UTC).
    pub period: String,
    /// 0-1: the share of the limit at which a warning is logged.
    pub warning_threshold: f64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
