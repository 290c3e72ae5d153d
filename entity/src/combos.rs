//! `combos`: named lists of models with a balancing strategy (see `server::routing`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "combos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// What clients send as `model`; unique, case-sensitive.
    pub name: String,
    /// A strategy name (`priority`, `round-robin`, ...).
    pub strategy: String,
    /// JSON: `{"models":[{"model","weight"?,"connectionId"?}],"config":{...}}`.
    pub data: String,
    /// Display order (lower first).
    pub sort_order: i64,
    pub is_active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
