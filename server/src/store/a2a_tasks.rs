//! The `a2a_tasks` and `a2a_task_events` tables: A2A tasks, their lifecycle and events.

use entity::{a2a_task_events as events, a2a_tasks as tasks};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

pub async fn insert(db: &DatabaseConnection, task: tasks::Model) -> Result<(), DbErr> {
    tasks::Entity::insert(tasks::ActiveModel::from(task))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn get(db: &DatabaseConnection, id: &str) -> Result<Option<tasks::Model>, DbErr> {
    tasks::Entity::find_by_id(id.to_string()).one(db).await
}

/// A change of a task's state, written with its event in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Transition {
    pub state: String,
    pub status_message: Option<String>,
    pub artifacts: Option<String>,
    pub error: Option<String>,
    pub route: Option<String>,
    pub updated_at: i64,
}

/// Writes the new state and appends the events (status and artifact updates, JSON), unless
/// the task already reached a final state (a canceled task stays canceled when its work ends).
/// Answers whether the transition was applied.
pub async fn transition(
    db: &DatabaseConnection,
    id: &str,
    change: Transition,
    new_events: &[(&'static str, Option<String>, String)],
) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let Some(current) = tasks::Entity::find_by_id(id.to_string()).one(&txn).await? else {
        txn.rollback().await?;
        return Ok(false);
    };
    if is_final(&current.state) {
        txn.rollback().await?;
        return Ok(false);
    }
    let mut row: tasks::ActiveModel = current.into();
    row.state = Set(change.state.clone());
    row.updated_at = Set(change.updated_at);
    if change.status_message.is_some() {
        row.status_message = Set(change.status_message);
    }
    if change.artifacts.is_some() {
        row.artifacts = Set(change.artifacts);
    }
    if change.error.is_some() {
        row.error = Set(change.error);
    }
    if change.route.is_some() {
        row.route = Set(change.route);
    }
    row.update(&txn).await?;
    for (kind, state, data) in new_events {
        events::ActiveModel {
            id: sea_orm::NotSet,
            task_id: Set(id.to_string()),
            ts: Set(change.updated_at),
            kind: Set(kind.to_string()),
            state: Set(state.clone()),
            data: Set(data.clone()),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Appends an event without changing the task (the first `submitted` event).
pub async fn add_event(
    db: &DatabaseConnection,
    task_id: &str,
    ts: i64,
    kind: &str,
    state: Option<&str>,
    data: String,
) -> Result<(), DbErr> {
    events::ActiveModel {
        id: sea_orm::NotSet,
        task_id: Set(task_id.to_string()),
        ts: Set(ts),
        kind: Set(kind.to_string()),
        state: Set(state.map(str::to_string)),
        data: Set(data),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub fn is_final(state: &str) -> bool {
    matches!(state, "completed" | "failed" | "canceled" | "rejected")
}

pub async fn events_of(
    db: &DatabaseConnection,
    task_id: &str,
) -> Result<Vec<events::Model>, DbErr> {
    events::Entity::find()
        .filter(events::Column::TaskId.eq(task_id))
        .order_by_asc(events::Column::Id)
        .all(db)
        .await
}

/// One page of tasks, newest first, and the number of matching ones.
pub async fn page(
    db: &DatabaseConnection,
    state: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<tasks::Model>, u64), DbErr> {
    let filtered = || {
        let q = tasks::Entity::find();
        match state {
            Some(s) => q.filter(tasks::Column::State.eq(s)),
            None => q,
        }
    };
    let total = filtered().count(db).await?;
    let rows = filtered()
        .order_by_desc(tasks::Column::CreatedAt)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// How many tasks are in each state.
pub async fn counts(db: &DatabaseConnection) -> Result<Vec<(String, i64)>, DbErr> {
    let rows: Vec<(String, i64)> = tasks::Entity::find()
        .select_only()
        .column(tasks::Column::State)
        .column_as(tasks::Column::Id.count(), "n")
        .group_by(tasks::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

/// Tasks left `submitted` or `working` by a previous run (the process stopped under them):
/// marked failed at start-up, so nobody waits on them forever.
pub async fn fail_interrupted(db: &DatabaseConnection, now_ms: i64) -> Result<u64, DbErr> {
    let result = tasks::Entity::update_many()
        .col_expr(
            tasks::Column::State,
            sea_orm::sea_query::Expr::value("failed"),
        )
        .col_expr(
            tasks::Column::Error,
            sea_orm::sea_query::Expr::value("the server stopped while the task was running"),
        )
        .col_expr(
            tasks::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now_ms),
        )
        .filter(tasks::Column::State.is_in(["submitted", "working"]))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
