//! The `combos` table, as `routing::Combo`s. Steps and config are stored as JSON in `data`.

use crate::routing::{Combo, ComboConfig, ComboSet, Step, Strategy};
use entity::combos;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, DatabaseConnection, DbErr, EntityTrait, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ComboStoreError {
    #[error("no combo with id {0}")]
    NotFound(String),
    #[error("a combo named {0:?} already exists")]
    DuplicateName(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn classify(e: DbErr, name: &str) -> ComboStoreError {
    let text = e.to_string();
    if text.contains("UNIQUE") && text.contains("combos.name") {
        ComboStoreError::DuplicateName(name.to_string())
    } else {
        ComboStoreError::Db(e)
    }
}

/// A combo as stored, with what only the management API shows.
#[derive(Debug, Clone)]
pub struct StoredCombo {
    pub combo: Combo,
    pub is_active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The `data` column. Steps may also be bare model strings (the reference's older shape).
#[derive(Serialize, Deserialize, Default)]
struct Data {
    #[serde(default)]
    models: Vec<StepData>,
    #[serde(default)]
    config: ComboConfig,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StepData {
    Full(Step),
    Bare(String),
}

fn encode(steps: &[Step], config: &ComboConfig) -> String {
    let data = Data {
        models: steps.iter().cloned().map(StepData::Full).collect(),
        config: config.clone(),
    };
    serde_json::to_string(&data).unwrap_or_else(|_| "{}".into())
}

fn decode(row: combos::Model) -> StoredCombo {
    let data: Data = serde_json::from_str(&row.data).unwrap_or_else(|e| {
        tracing::warn!(
            "combo {:?}: unreadable data ({e}); it has no steps",
            row.name
        );
        Data::default()
    });
    let strategy = Strategy::parse(&row.strategy).unwrap_or_else(|| {
        tracing::warn!(
            "combo {:?}: strategy {:?} is not supported by this version; using priority",
            row.name,
            row.strategy
        );
        Strategy::Priority
    });
    let steps = data
        .models
        .into_iter()
        .map(|s| match s {
            StepData::Full(step) => step,
            StepData::Bare(model) => Step::model(model),
        })
        .collect();
    StoredCombo {
        combo: Combo {
            id: row.id,
            name: row.name,
            strategy,
            steps,
            config: data.config,
            sort_order: row.sort_order,
        },
        is_active: row.is_active,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// Every combo in display order.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<StoredCombo>, DbErr> {
    Ok(combos::Entity::find()
        .order_by_asc(combos::Column::SortOrder)
        .order_by_asc(combos::Column::CreatedAt)
        .order_by_asc(combos::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect())
}

pub async fn get(db: &DatabaseConnection, id: &str) -> Result<StoredCombo, ComboStoreError> {
    combos::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(decode)
        .ok_or_else(|| ComboStoreError::NotFound(id.to_string()))
}

/// The set the request path reads: active combos, and the names of inactive ones.
pub fn to_set(rows: &[StoredCombo]) -> ComboSet {
    let active = rows
        .iter()
        .filter(|r| r.is_active)
        .map(|r| r.combo.clone())
        .collect();
    let inactive = rows
        .iter()
        .filter(|r| !r.is_active)
        .map(|r| r.combo.name.clone());
    ComboSet::new(active, inactive)
}

pub async fn load_set(db: &DatabaseConnection) -> Result<ComboSet, DbErr> {
    Ok(to_set(&list(db).await?))
}

pub struct NewCombo {
    pub name: String,
    pub strategy: Strategy,
    pub steps: Vec<Step>,
    pub config: ComboConfig,
    pub is_active: bool,
}

/// Stores a new combo after the others (sort order = last + 1).
pub async fn create(
    db: &DatabaseConnection,
    new: NewCombo,
) -> Result<StoredCombo, ComboStoreError> {
    let now = super::now_unix();
    let last = combos::Entity::find()
        .order_by_desc(combos::Column::SortOrder)
        .one(db)
        .await?
        .map_or(-1, |r| r.sort_order);
    let row = combos::ActiveModel {
        id: Set(format!("combo_{}", crate::config::random_hex(8))),
        name: Set(new.name.clone()),
        strategy: Set(new.strategy.as_str().to_string()),
        data: Set(encode(&new.steps, &new.config)),
        sort_order: Set(last + 1),
        is_active: Set(new.is_active),
        created_at: Set(now),
        updated_at: Set(now),
    };
    row.insert(db)
        .await
        .map(decode)
        .map_err(|e| classify(e, &new.name))
}

/// A change to a combo: `None` leaves a field as it is.
#[derive(Default)]
pub struct ComboPatch {
    pub name: Option<String>,
    pub strategy: Option<Strategy>,
    pub steps: Option<Vec<Step>>,
    pub config: Option<ComboConfig>,
    pub is_active: Option<bool>,
}

pub async fn update(
    db: &DatabaseConnection,
    id: &str,
    patch: ComboPatch,
) -> Result<StoredCombo, ComboStoreError> {
    let current = get(db, id).await?;
    let name = patch.name.unwrap_or(current.combo.name);
    let steps = patch.steps.unwrap_or(current.combo.steps);
    let config = patch.config.unwrap_or(current.combo.config);
    let row = combos::ActiveModel {
        id: Set(id.to_string()),
        name: Set(name.clone()),
        strategy: Set(patch
            .strategy
            .unwrap_or(current.combo.strategy)
            .as_str()
            .to_string()),
        data: Set(encode(&steps, &config)),
        sort_order: NotSet,
        is_active: Set(patch.is_active.unwrap_or(current.is_active)),
        created_at: NotSet,
        updated_at: Set(super::now_unix()),
    };
    row.update(db)
        .await
        .map(decode)
        .map_err(|e| classify(e, &name))
}

pub async fn delete(db: &DatabaseConnection, id: &str) -> Result<(), ComboStoreError> {
    let result = combos::Entity::delete_by_id(id.to_string())
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(ComboStoreError::NotFound(id.to_string()));
    }
    Ok(())
}

/// Puts the combos `ids` first, in that order, the others after them in their current
/// order, and renumbers every sort order from 0, in one transaction. The caller checks that
/// the ids exist and are distinct.
pub async fn reorder(db: &DatabaseConnection, ids: &[String]) -> Result<(), DbErr> {
    let current = list(db).await?;
    let rest = current
        .iter()
        .map(|r| &r.combo.id)
        .filter(|id| !ids.contains(id));
    let order: Vec<&String> = ids.iter().chain(rest).collect();
    let txn = db.begin().await?;
    for (position, id) in order.into_iter().enumerate() {
        combos::ActiveModel {
            id: Set(id.clone()),
            sort_order: Set(position as i64),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    txn.commit().await
}
