//! `/api/combos[/{id}[/plan]|/reorder]`: combos (named model lists with a strategy), in the
//! reference's request shape. Every change is validated against the other combos (names of
//! nested steps, cycles, depth) and the provider registry, then the live combo set is swapped.

use super::body::JsonBody;
use super::iso;
use crate::http::error::ApiError;
use crate::routing::{ComboConfig, ComboSet, PlanError, RegistryFacts, Step, Strategy};
use crate::snapshot::Snapshot;
use crate::state::AppState;
use crate::store::combos::{self as store, ComboPatch, ComboStoreError, NewCombo, StoredCombo};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use gateway::providers::{parse_model_string, Registry, Resolution};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const MAX_NAME_CHARS: usize = 100;
const MAX_STEPS: usize = 64;
const NAME_RULE: &str = "names may use letters, digits, spaces and _ - . / [ ]";

impl From<ComboStoreError> for ApiError {
    fn from(e: ComboStoreError) -> Self {
        match e {
            ComboStoreError::NotFound(id) => {
                ApiError::not_found("combo_not_found", format!("no combo with id {id}"))
            }
            ComboStoreError::DuplicateName(name) => ApiError::conflict(
                "duplicate_name",
                format!("a combo named {name:?} already exists"),
            ),
            ComboStoreError::Db(e) => ApiError::Internal(anyhow::Error::new(e)),
        }
    }
}

fn view(row: &StoredCombo) -> Value {
    let c = &row.combo;
    json!({
        "id": c.id,
        "name": c.name,
        "strategy": c.strategy.as_str(),
        "models": c.steps,
        "config": c.config,
        "sortOrder": c.sort_order,
        "isActive": row.is_active,
        "createdAt": iso(row.created_at),
        "updatedAt": iso(row.updated_at),
    })
}

/// Changes are validated against the stored combos and written one at a time, so that two
/// concurrent edits cannot together build a cycle.
static WRITE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Re-reads the combos into the live set the proxy routes with.
pub(crate) async fn reload(state: &AppState) -> Result<(), ApiError> {
    let set = store::load_set(state.db()).await?;
    state.combos().set(set);
    Ok(())
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_field", message)
}

/// A combo name: 1-100 characters from the allowed set, not a provider prefix (it would
/// shadow that provider's models) and not `auto…` (reserved for auto-routing).
fn check_name(name: &str, snapshot: &Snapshot) -> Result<(), ApiError> {
    let count = name.chars().count();
    if count == 0 || count > MAX_NAME_CHARS {
        return Err(bad(format!(
            "name must have 1 to {MAX_NAME_CHARS} characters (it has {count})"
        )));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || " _-./[]".contains(*c)))
    {
        return Err(bad(format!(
            "name: the character {c:?} is not allowed; {NAME_RULE}"
        )));
    }
    if name.to_ascii_lowercase().starts_with("auto") {
        return Err(bad(format!(
            "name {name:?} starts with \"auto\", which is reserved for auto-routing (auto, auto/coding, ...); choose another name"
        )));
    }
    let head = name.split('/').next().unwrap_or(name);
    let registry = Registry::builtin();
    let shadowed = registry
        .by_prefix(head)
        .map(|p| format!("{} ({}/)", p.name, p.prefix))
        .or_else(|| {
            snapshot
                .nodes
                .iter()
                .find(|n| n.prefix.eq_ignore_ascii_case(head))
                .map(|n| format!("{} ({}/)", n.name, n.prefix))
        });
    if let Some(provider) = shadowed {
        let what = if head.len() == name.len() {
            "is the id or prefix of"
        } else {
            "begins with the prefix of"
        };
        return Err(bad(format!(
            "name {name:?} {what} provider {provider}; a combo with that name would shadow the provider's models. Choose another name"
        )));
    }
    Ok(())
}

fn parse_strategy(body: &JsonBody) -> Result<Option<Strategy>, ApiError> {
    let Some(name) = body.string("strategy")? else {
        return Ok(None);
    };
    Strategy::parse(&name).map(Some).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_strategy",
            format!(
                "strategy {name:?} is not supported; use one of: {}",
                Strategy::names()
            ),
        )
    })
}

/// `models`: model strings or `{"model","weight"?,"connectionId"?}` objects (the reference's
/// `{"kind":"combo-ref","comboName"}` and `{"provider","model"}` are understood too). Shape
/// only; [`check_steps`] resolves them.
fn parse_models(raw: &Map<String, Value>) -> Result<Option<Vec<Step>>, ApiError> {
    let items = match raw.get("models") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(bad("models must be an array of models")),
    };
    if items.is_empty() {
        return Err(bad("models must list at least one model"));
    }
    if items.len() > MAX_STEPS {
        return Err(bad(format!(
            "models lists {} entries; a combo may have at most {MAX_STEPS}",
            items.len()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| parse_step(i, item))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn parse_step(i: usize, item: &Value) -> Result<Step, ApiError> {
    let field = |name: &str| format!("models[{i}].{name}");
    let obj = match item {
        Value::String(s) if !s.trim().is_empty() => return Ok(Step::model(s.trim())),
        Value::Object(obj) => obj,
        _ => {
            return Err(bad(format!(
                "models[{i}] must be a model string (provider/model or a combo name) or an object with a model"
            )))
        }
    };
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(_) => Err(bad(format!("{} must be a string", field(name)))),
        }
    };
    let model = if obj.get("kind").and_then(Value::as_str) == Some("combo-ref") {
        text("comboName")?
    } else {
        let model = text("model")?;
        match (text("provider")?.or(text("providerId")?), model) {
            (Some(p), Some(m)) if !m.starts_with(&format!("{p}/")) => Some(format!("{p}/{m}")),
            (_, m) => m,
        }
    };
    let Some(model) = model else {
        return Err(bad(format!("{} is required", field("model"))));
    };
    let weight = match obj.get("weight") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(w) if w <= 100 => Some(w as u32),
            _ => {
                return Err(bad(format!(
                    "{} must be an integer from 0 to 100",
                    field("weight")
                )))
            }
        },
    };
    Ok(Step {
        model,
        weight,
        connection_id: text("connectionId")?,
    })
}

/// `config`: an object; unknown keys are ignored. The reference's names
/// `concurrencyPerModel` and `stickyRoundRobinLimit` are understood too.
fn parse_config(raw: &Map<String, Value>) -> Result<Option<ComboConfig>, ApiError> {
    let obj = match raw.get("config") {
        None => return Ok(None),
        Some(Value::Null) => return Ok(Some(ComboConfig::default())),
        Some(Value::Object(obj)) => obj,
        Some(_) => return Err(bad("config must be an object")),
    };
    let int = |names: &[&str], min: u64, max: u64| -> Result<Option<u64>, ApiError> {
        let Some((name, value)) = names.iter().find_map(|n| obj.get(*n).map(|v| (*n, v))) else {
            return Ok(None);
        };
        match value {
            Value::Null => Ok(None),
            v => match v.as_u64() {
                Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(bad(format!(
                    "config.{name} must be an integer from {min} to {max}"
                ))),
            },
        }
    };
    let small = |n: Option<u64>| n.map(|v| v as u32);
    Ok(Some(ComboConfig {
        max_retries: small(int(&["maxRetries"], 0, 10)?),
        timeout_ms: int(&["timeoutMs"], 1_000, 3_600_000)?,
        max_concurrency_per_model: small(int(
            &["maxConcurrencyPerModel", "concurrencyPerModel"],
            1,
            10_000,
        )?),
        sticky_limit: small(int(&["stickyLimit", "stickyRoundRobinLimit"], 1, 10_000)?),
    }))
}

/// Every step must name another combo or a model the registry resolves; a pinned
/// connection must exist and belong to the step's provider.
fn check_steps(steps: &[Step], combo_names: &[&str], snapshot: &Snapshot) -> Result<(), ApiError> {
    let registry = Registry::builtin();
    for (i, step) in steps.iter().enumerate() {
        if combo_names.contains(&step.model.as_str()) {
            if step.connection_id.is_some() {
                return Err(bad(format!(
                    "models[{i}].connectionId: step {i} names the combo {:?}; only a model step can be pinned to a connection",
                    step.model
                )));
            }
            continue;
        }
        let resolution =
            parse_model_string(registry, &snapshot.nodes, &step.model).map_err(|e| {
                ApiError::bad_request(
                    "invalid_model",
                    format!("models[{i}].model (step {i}): {e}; or name an existing combo"),
                )
            })?;
        let Some(conn_id) = &step.connection_id else {
            continue;
        };
        let Some(conn) = snapshot.connections.iter().find(|c| &c.id == conn_id) else {
            return Err(bad(format!(
                "models[{i}].connectionId: no connection with id {conn_id:?} (see GET /api/providers)"
            )));
        };
        let providers: Vec<&str> = match &resolution {
            Resolution::Exact(r) => vec![r.target.id()],
            Resolution::Candidates(c) => c.iter().map(|r| r.target.id()).collect(),
        };
        if !providers.contains(&conn.provider.as_str()) {
            return Err(bad(format!(
                "models[{i}].connectionId: connection {conn_id:?} belongs to provider {:?}, but the model {:?} is served by {}",
                conn.provider,
                step.model,
                providers.join(", ")
            )));
        }
    }
    Ok(())
}

/// The stored combos with `changed` in place of (or added to) them, all treated as active:
/// the structure every change must keep expandable.
fn check_structure(rows: &[StoredCombo], changed: &StoredCombo) -> Result<(), ApiError> {
    let mut combos: Vec<_> = rows
        .iter()
        .filter(|r| r.combo.id != changed.combo.id)
        .map(|r| r.combo.clone())
        .collect();
    combos.push(changed.combo.clone());
    ComboSet::new(combos, Vec::new()).check().map_err(|e| {
        let code = match e {
            PlanError::Cycle(_) => "combo_cycle",
            _ => "combo_too_deep",
        };
        ApiError::bad_request(code, format!("models: {e}"))
    })
}

/// Combos (other than `except_id`) with a step naming `name`.
fn users_of<'a>(rows: &'a [StoredCombo], name: &str, except_id: &str) -> Vec<&'a str> {
    rows.iter()
        .filter(|r| r.combo.id != except_id && r.combo.steps.iter().any(|s| s.model == name))
        .map(|r| r.combo.name.as_str())
        .collect()
}

fn raw_object(bytes: &[u8]) -> Map<String, Value> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let raw = raw_object(&bytes);
    let snapshot = state.snapshot();
    let name = body.required_string("name")?;
    check_name(&name, &snapshot)?;
    let strategy = parse_strategy(&body)?.unwrap_or(Strategy::Priority);
    let Some(steps) = parse_models(&raw)? else {
        return Err(bad(
            "models is required: a list of provider/model strings or combo names",
        ));
    };
    let config = parse_config(&raw)?.unwrap_or_default();
    let is_active = body.boolean("isActive")?.unwrap_or(true);

    let _write = WRITE.lock().await;
    let rows = store::list(state.db()).await?;
    if rows.iter().any(|r| r.combo.name == name) {
        return Err(ComboStoreError::DuplicateName(name).into());
    }
    let mut names: Vec<&str> = rows.iter().map(|r| r.combo.name.as_str()).collect();
    names.push(&name);
    check_steps(&steps, &names, &snapshot)?;
    let candidate = StoredCombo {
        combo: crate::routing::Combo {
            id: String::new(),
            name: name.clone(),
            strategy,
            steps: steps.clone(),
            config: config.clone(),
            sort_order: 0,
        },
        is_active,
        created_at: 0,
        updated_at: 0,
    };
    check_structure(&rows, &candidate)?;
    let row = store::create(
        state.db(),
        NewCombo {
            name,
            strategy,
            steps,
            config,
            is_active,
        },
    )
    .await?;
    reload(&state).await?;
    tracing::info!("combo {:?} ({}) created", row.combo.name, row.combo.id);
    Ok((StatusCode::CREATED, Json(json!({ "combo": view(&row) }))).into_response())
}

pub(super) async fn list(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let rows = store::list(state.db()).await?;
    Ok(Json(
        json!({ "combos": rows.iter().map(view).collect::<Vec<_>>() }),
    ))
}

pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = store::get(state.db(), &id).await?;
    Ok(Json(json!({ "combo": view(&row) })))
}

/// PUT and PATCH: the fields present are changed, the others kept.
pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let raw = raw_object(&bytes);
    let snapshot = state.snapshot();
    let name = body.present_string("name")?;
    if let Some(name) = &name {
        check_name(name, &snapshot)?;
    }
    let patch = ComboPatch {
        name,
        strategy: parse_strategy(&body)?,
        steps: parse_models(&raw)?,
        config: parse_config(&raw)?,
        is_active: body.boolean("isActive")?,
    };

    let _write = WRITE.lock().await;
    let rows = store::list(state.db()).await?;
    let Some(current) = rows.iter().find(|r| r.combo.id == id) else {
        return Err(ComboStoreError::NotFound(id).into());
    };
    let mut candidate = current.clone();
    if let Some(new_name) = patch.name.as_ref().filter(|n| **n != current.combo.name) {
        if rows.iter().any(|r| &r.combo.name == new_name) {
            return Err(ComboStoreError::DuplicateName(new_name.clone()).into());
        }
        let users = users_of(&rows, &current.combo.name, &id);
        if !users.is_empty() {
            return Err(ApiError::conflict(
                "combo_in_use",
                format!(
                    "combo {:?} is a step of {}; remove it there before renaming it",
                    current.combo.name,
                    users.join(", ")
                ),
            ));
        }
        candidate.combo.name = new_name.clone();
    }
    if let Some(steps) = &patch.steps {
        let mut names: Vec<&str> = rows
            .iter()
            .filter(|r| r.combo.id != id)
            .map(|r| r.combo.name.as_str())
            .collect();
        names.push(&candidate.combo.name);
        check_steps(steps, &names, &snapshot)?;
        candidate.combo.steps = steps.clone();
    }
    check_structure(&rows, &candidate)?;
    let row = store::update(state.db(), &id, patch).await?;
    reload(&state).await?;
    Ok(Json(json!({ "combo": view(&row) })))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let _write = WRITE.lock().await;
    let rows = store::list(state.db()).await?;
    let Some(current) = rows.iter().find(|r| r.combo.id == id) else {
        return Err(ComboStoreError::NotFound(id).into());
    };
    let users = users_of(&rows, &current.combo.name, &id);
    if !users.is_empty() {
        return Err(ApiError::conflict(
            "combo_in_use",
            format!(
                "combo {:?} is a step of {}; remove it there first",
                current.combo.name,
                users.join(", ")
            ),
        ));
    }
    store::delete(state.db(), &id).await?;
    reload(&state).await?;
    tracing::info!("combo {:?} ({id}) deleted", current.combo.name);
    Ok(Json(json!({ "success": true, "id": id })))
}

/// `{"ids":[...]}`: these combos first, in this order; the others after them.
pub(super) async fn reorder(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse(&bytes)?;
    let Some(ids) = body.string_list("ids")? else {
        return Err(ApiError::bad_request(
            "missing_field",
            "ids is required: the combo ids in their new order",
        ));
    };
    if ids.is_empty() {
        return Err(bad("ids must list at least one combo id"));
    }
    let _write = WRITE.lock().await;
    let rows = store::list(state.db()).await?;
    for (i, id) in ids.iter().enumerate() {
        if !rows.iter().any(|r| &r.combo.id == id) {
            return Err(bad(format!("ids[{i}]: no combo with id {id:?}")));
        }
        if ids[..i].contains(id) {
            return Err(bad(format!("ids[{i}]: {id:?} is listed twice")));
        }
    }
    store::reorder(state.db(), &ids).await?;
    reload(&state).await?;
    let rows = store::list(state.db()).await?;
    Ok(Json(
        json!({ "combos": rows.iter().map(view).collect::<Vec<_>>() }),
    ))
}

/// GET: the targets the next request would try, in order, changing nothing. POST: one
/// routing decision as a request would make it (round-robin and strict-random advance,
/// least-used counts it). Neither calls an upstream. `?session=` (or `{"session"}`) for lkgp.
pub(super) async fn plan_preview(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    plan(&state, &id, query.get("session").map(String::as_str), false).await
}

pub(super) async fn plan_request(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = JsonBody::parse_optional(&bytes)?;
    let session = body
        .string("session")?
        .or_else(|| query.get("session").cloned());
    plan(&state, &id, session.as_deref(), true).await
}

async fn plan(
    state: &AppState,
    id: &str,
    session: Option<&str>,
    commit: bool,
) -> Result<Json<Value>, ApiError> {
    let row = store::get(state.db(), id).await?;
    if !row.is_active {
        return Err(ApiError::conflict(
            "combo_inactive",
            format!(
                "combo {:?} is disabled; enable it (isActive: true) to route to it",
                row.combo.name
            ),
        ));
    }
    let snapshot = state.snapshot();
    let facts = RegistryFacts::new(&snapshot.nodes);
    let cell = state.combos();
    let name = &row.combo.name;
    let targets = if commit {
        cell.plan(name, session, &facts)
    } else {
        cell.preview(name, session, &facts)
    }
    .map_err(|e| ApiError::conflict("combo_unusable", e.to_string()))?;
    Ok(Json(json!({
        "id": row.combo.id,
        "combo": name,
        "strategy": row.combo.strategy.as_str(),
        "committed": commit,
        "targets": targets,
    })))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn message(e: ApiError) -> String {
        e.to_string()
    }

    #[test]
    fn names_are_checked_for_characters_length_and_shadowing() {
        let s = Snapshot::default();
        for ok in ["premium-coding", "free combo", "a_b.c/d [x]", "Z9"] {
            check_name(ok, &s).unwrap();
        }
        assert!(message(check_name("bad!name", &s).unwrap_err()).contains("'!'"));
        assert!(message(check_name("é", &s).unwrap_err()).contains("'é'"));
        assert!(check_name(&"x".repeat(101), &s).is_err());
        assert!(message(check_name("openai", &s).unwrap_err()).contains("shadow"));
        assert!(message(check_name("ds", &s).unwrap_err()).contains("shadow"));
        assert!(message(check_name("openai/gpt-x", &s).unwrap_err()).contains("shadow"));
        assert!(message(check_name("auto", &s).unwrap_err()).contains("auto"));
        assert!(check_name("Auto/coding", &s).is_err());
    }

    #[test]
    fn steps_accept_strings_objects_and_reference_shapes() {
        let raw = raw_object(
            br#"{"models":["openai/gpt-4o",{"model":"gpt-4o-mini","provider":"openai","weight":5},
                {"kind":"combo-ref","comboName":"other"},{"model":"x","connectionId":""}]}"#,
        );
        let steps = parse_models(&raw).unwrap().unwrap();
        assert_eq!(steps[0], Step::model("openai/gpt-4o"));
        assert_eq!(steps[1].model, "openai/gpt-4o-mini");
        assert_eq!(steps[1].weight, Some(5));
        assert_eq!(steps[2].model, "other");
        assert_eq!(steps[3].connection_id, None);
        let err = parse_models(&raw_object(br#"{"models":[{"weight":1}]}"#)).unwrap_err();
        assert!(message(err).contains("models[0].model"));
        let err =
            parse_models(&raw_object(br#"{"models":[{"model":"a/b","weight":101}]}"#)).unwrap_err();
        assert!(message(err).contains("models[0].weight"));
        assert!(parse_models(&raw_object(br#"{"models":[]}"#)).is_err());
        assert!(parse_models(&raw_object(br#"{"models":[3]}"#)).is_err());
    }

    #[test]
    fn config_is_range_checked_and_understands_reference_names() {
        let c = parse_config(&raw_object(
            br#"{"config":{"maxRetries":2,"stickyRoundRobinLimit":3,"concurrencyPerModel":4,"other":1}}"#,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(c.max_retries, Some(2));
        assert_eq!(c.sticky_limit, Some(3));
        assert_eq!(c.max_concurrency_per_model, Some(4));
        let err = parse_config(&raw_object(br#"{"config":{"timeoutMs":5}}"#)).unwrap_err();
        assert!(message(err).contains("config.timeoutMs"));
        assert!(parse_config(&raw_object(br#"{"config":[]}"#)).is_err());
    }

    #[test]
    fn steps_must_resolve_or_name_a_combo() {
        let s = Snapshot::default();
        check_steps(
            &[Step::model("openai/gpt-4o"), Step::model("other")],
            &["other"],
            &s,
        )
        .unwrap();
        let err = check_steps(
            &[Step::model("openai/gpt-4o"), Step::model("nope/x")],
            &[],
            &s,
        )
        .unwrap_err();
        assert!(message(err).contains("models[1].model"));
        let pinned = Step {
            connection_id: Some("missing".into()),
            ..Step::model("openai/gpt-4o")
        };
        let err = check_steps(&[pinned], &[], &s).unwrap_err();
        assert!(message(err).contains("models[0].connectionId"));
    }
}
