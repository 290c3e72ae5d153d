//! The `pricing` table: USD per 1M tokens per provider and upstream model. Rows come from the
//! built-in registry (`seed`, refreshed at every start) or from users (`user`, never touched
//! by the seed). Removing a user row brings the seed price back when there is one.

use crate::usage::Price;
use entity::pricing;
use gateway::providers::Registry;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Statement, TransactionTrait, Value,
};
use std::collections::HashMap;

pub const SEED: &str = "seed";
pub const USER: &str = "user";

/// Every model of the built-in registry with at least one known price.
pub fn seed_prices() -> impl Iterator<Item = (&'static str, &'static str, Price)> {
    Registry::builtin().providers().iter().flat_map(|p| {
        p.models.iter().filter_map(move |m| {
            let price = Price {
                input: m.prices.input,
                output: m.prices.output,
                cache_read: m.prices.cache_read,
                cache_write: m.prices.cache_write,
            };
            (price != Price::default()).then_some((p.id, m.id, price))
        })
    })
}

/// The registry's price of one model, if it has one.
pub fn seed_price(provider: &str, model: &str) -> Option<Price> {
    seed_prices()
        .find(|(p, m, _)| *p == provider && *m == model)
        .map(|(_, _, price)| price)
}

fn opt(v: Option<f64>) -> Value {
    Value::Double(v)
}

const UPSERT_SEED: &str = "INSERT INTO pricing (provider, model, input, output, cache_read, cache_write, source, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, 'seed', $7)
    ON CONFLICT (provider, model) DO UPDATE SET
        input = excluded.input, output = excluded.output, cache_read = excluded.cache_read,
        cache_write = excluded.cache_write, updated_at = excluded.updated_at
    WHERE pricing.source = 'seed' AND (pricing.input IS NOT excluded.input
        OR pricing.output IS NOT excluded.output OR pricing.cache_read IS NOT excluded.cache_read
        OR pricing.cache_write IS NOT excluded.cache_write)";

async fn upsert_seed(
    db: &impl ConnectionTrait,
    provider: &str,
    model: &str,
    price: &Price,
    now: i64,
) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        UPSERT_SEED,
        [
            Value::from(provider),
            Value::from(model),
            opt(price.input),
            opt(price.output),
            opt(price.cache_read),
            opt(price.cache_write),
            Value::from(now),
        ],
    ))
    .await?;
    Ok(())
}

/// Inserts or refreshes the seed rows (user rows are left alone). Idempotent.
pub async fn seed(db: &DatabaseConnection) -> Result<(), DbErr> {
    let now = super::now_unix();
    let txn = db.begin().await?;
    for (provider, model, price) in seed_prices() {
        upsert_seed(&txn, provider, model, &price, now).await?;
    }
    txn.commit().await
}

fn price_of(row: &pricing::Model) -> Price {
    Price {
        input: row.input,
        output: row.output,
        cache_read: row.cache_read,
        cache_write: row.cache_write,
    }
}

/// Every price, by provider then model.
pub async fn load_book(
    db: &DatabaseConnection,
) -> Result<HashMap<String, HashMap<String, Price>>, DbErr> {
    let mut book: HashMap<String, HashMap<String, Price>> = HashMap::new();
    for row in pricing::Entity::find().all(db).await? {
        book.entry(row.provider.clone())
            .or_default()
            .insert(row.model.clone(), price_of(&row));
    }
    Ok(book)
}

pub async fn list(
    db: &DatabaseConnection,
    provider: Option<&str>,
) -> Result<Vec<pricing::Model>, DbErr> {
    let mut q = pricing::Entity::find();
    if let Some(p) = provider {
        q = q.filter(pricing::Column::Provider.eq(p));
    }
    q.order_by_asc(pricing::Column::Provider)
        .order_by_asc(pricing::Column::Model)
        .all(db)
        .await
}

pub async fn get(
    db: &DatabaseConnection,
    provider: &str,
    model: &str,
) -> Result<Option<pricing::Model>, DbErr> {
    pricing::Entity::find_by_id((provider.to_string(), model.to_string()))
        .one(db)
        .await
}

/// Sets a user price (replacing a seed or user row).
pub async fn upsert_user(
    db: &DatabaseConnection,
    provider: &str,
    model: &str,
    price: &Price,
) -> Result<pricing::Model, DbErr> {
    let now = super::now_unix();
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO pricing (provider, model, input, output, cache_read, cache_write, source, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'user', $7)
         ON CONFLICT (provider, model) DO UPDATE SET
            input = excluded.input, output = excluded.output, cache_read = excluded.cache_read,
            cache_write = excluded.cache_write, source = 'user', updated_at = excluded.updated_at",
        [
            Value::from(provider),
            Value::from(model),
            opt(price.input),
            opt(price.output),
            opt(price.cache_read),
            opt(price.cache_write),
            Value::from(now),
        ],
    ))
    .await?;
    get(db, provider, model)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("pricing {provider}/{model}")))
}

pub enum Deletion {
    NotFound,
    /// Seed rows are not deleted (they would come back at the next start).
    IsSeed,
    /// Deleted; the seed row that replaced it, if the registry has a price.
    Deleted(Option<pricing::Model>),
}

pub async fn delete_user(
    db: &DatabaseConnection,
    provider: &str,
    model: &str,
) -> Result<Deletion, DbErr> {
    let Some(row) = get(db, provider, model).await? else {
        return Ok(Deletion::NotFound);
    };
    if row.source != USER {
        return Ok(Deletion::IsSeed);
    }
    let txn = db.begin().await?;
    pricing::Entity::delete_by_id((provider.to_string(), model.to_string()))
        .exec(&txn)
        .await?;
    if let Some(price) = seed_price(provider, model) {
        upsert_seed(&txn, provider, model, &price, super::now_unix()).await?;
    }
    txn.commit().await?;
    Ok(Deletion::Deleted(get(db, provider, model).await?))
}
