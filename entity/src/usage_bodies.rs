//! `usage_bodies`: the request and response bodies of one client request, when recording
//! them is on (see the migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_bodies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub request_id: String,
    /// Unix milliseconds of the request.
    pub ts: i64,
    pub request_body: Option<String>,
    pub request_truncated: bool,
    pub response_body: Option<String>,
    pub response_truncated: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
