//! `a2a_tasks`: one row per A2A task and its lifecycle (see the migration).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "a2a_tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub context_id: String,
    /// `smart-routing`, `code-review`, `summarize`, ...
    pub skill: String,
    /// `submitted`, `working`, `completed`, `failed` or `canceled`.
    pub state: String,
    pub api_key_id: Option<String>,
    pub key_name: Option<String>,
    /// The A2A message that started the task (JSON).
    pub input: String,
    /// The artifacts produced (JSON array), once there are any.
    pub artifacts: Option<String>,
    /// The message of the current status (JSON), e.g. the agent's answer or the failure.
    pub status_message: Option<String>,
    pub error: Option<String>,
    /// The route taken (JSON: provider, model, attempts), for skills that call a model.
    pub route: Option<String>,
    /// The request's metadata (JSON object).
    pub metadata: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::a2a_task_events::Entity")]
    Events,
}

impl Related<super::a2a_task_events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Events.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
