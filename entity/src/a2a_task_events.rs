//! `a2a_task_events`: the status and artifact updates of an A2A task, in order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "a2a_task_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: String,
    /// Unix milliseconds.
    pub ts: i64,
    /// `status-update` or `artifact-update`.
    pub kind: String,
    /// The task state the event announces (status updates).
    pub state: Option<String>,
    /// The event as sent on the wire (JSON).
    pub data: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::a2a_tasks::Entity",
        from = "Column::TaskId",
        to = "super::a2a_tasks::Column::Id",
        on_delete = "Cascade"
    )]
    Task,
}

impl Related<super::a2a_tasks::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Task.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
