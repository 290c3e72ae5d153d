//! JSON Schema -> the OpenAPI subset Gemini accepts for `parameters` and `responseSchema`.
//!
//! Gemini rejects unknown keywords, so we keep the subset it documents, turn
//! `type: ["string","null"]` into `type: "string", nullable: true`, `const` into a one-value
//! `enum`, and inline local `$ref`s (to a bounded depth, so recursive schemas terminate).

use serde_json::{Map, Value};

const ALLOWED: &[&str] = &[
    "type",
    "format",
    "title",
    "description",
    "nullable",
    "enum",
    "maxItems",
    "minItems",
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "minLength",
    "maxLength",
    "pattern",
    "example",
    "anyOf",
    "propertyOrdering",
    "default",
    "items",
    "minimum",
    "maximum",
];

const MAX_DEPTH: usize = 16;

pub fn sanitize(schema: &Value) -> Value {
    let defs = schema
        .get("$defs")
        .or_else(|| schema.get("definitions"))
        .cloned()
        .unwrap_or(Value::Null);
    clean(schema, &defs, 0)
}

fn resolve<'a>(r: &str, defs: &'a Value) -> Option<&'a Value> {
    let name = r
        .strip_prefix("#/$defs/")
        .or_else(|| r.strip_prefix("#/definitions/"))?;
    defs.get(name)
}

fn clean(v: &Value, defs: &Value, depth: usize) -> Value {
    let Some(o) = v.as_object() else {
        return v.clone();
    };
    if depth > MAX_DEPTH {
        return serde_json::json!({"type": "object"});
    }
    if let Some(target) = o
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| resolve(r, defs))
    {
        return clean(target, defs, depth + 1);
    }
    let mut out = Map::new();
    for (k, val) in o {
        match k.as_str() {
            "type" => match val {
                Value::Array(types) => {
                    let non_null: Vec<&Value> = types
                        .iter()
                        .filter(|t| t.as_str() != Some("null"))
                        .collect();
                    if non_null.len() < types.len() {
                        out.insert("nullable".into(), Value::Bool(true));
                    }
                    if let Some(t) = non_null.first() {
                        out.insert("type".into(), (*t).clone());
                    }
                }
                _ => {
                    out.insert(k.clone(), val.clone());
                }
            },
            "const" => {
                out.insert("enum".into(), Value::Array(vec![val.clone()]));
            }
            "properties" => {
                if let Some(props) = val.as_object() {
                    let cleaned: Map<String, Value> = props
                        .iter()
                        .map(|(pk, pv)| (pk.clone(), clean(pv, defs, depth + 1)))
                        .collect();
                    out.insert(k.clone(), Value::Object(cleaned));
                }
            }
            "items" => {
                out.insert(k.clone(), clean(val, defs, depth + 1));
            }
            "anyOf" | "oneOf" => {
                if let Some(alts) = val.as_array() {
                    let alts: Vec<Value> = alts.iter().map(|a| clean(a, defs, depth + 1)).collect();
                    out.insert("anyOf".into(), Value::Array(alts));
                }
            }
            _ if ALLOWED.contains(&k.as_str()) => {
                out.insert(k.clone(), val.clone());
            }
            _ => {}
        }
    }
    Value::Object(out)
}

/// Whether a tool's parameter schema declares no parameters (Gemini rejects an OBJECT with
/// empty `properties`, so such declarations omit `parameters`).
pub fn is_empty_object(schema: &Value) -> bool {
    schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("object")
        == "object"
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_none_or(|p| p.is_empty())
        && schema.get("anyOf").is_none()
}
