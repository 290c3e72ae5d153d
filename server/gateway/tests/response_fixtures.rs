//! Non-stream response fixtures: upstream JSON in -> client JSON out
//! (`tests/fixtures/responses/*.json`): `upstream`, `client`, `model`, `input`, `expected`
//! (with `"*"` for generated ids and timestamps), `expected_usage`.
//! `UPDATE_FIXTURES=1` fills a missing `expected` (review it by hand).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use gateway::translate_response;
use serde_json::Value;

#[test]
fn response_fixtures() {
    let update = std::env::var("UPDATE_FIXTURES").is_ok();
    for (name, mut fx) in load_fixtures("responses") {
        let body = serde_json::to_vec(&fx["input"]).unwrap();
        let run = || {
            translate_response(
                format(&fx, "upstream"),
                format(&fx, "client"),
                &body,
                fx["model"].as_str().unwrap(),
                None,
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let out = run();
        let actual: Value = serde_json::from_slice(&out.body).unwrap();
        if fx.get("expected").is_none() && update {
            let again: Value = serde_json::from_slice(&run().body).unwrap();
            fx["expected"] = wildcard(&actual, &again);
            fx["expected_usage"] = serde_json::to_value(out.usage).unwrap();
            std::fs::write(
                fixture_dir("responses").join(&name),
                serde_json::to_string_pretty(&fx).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        if let Err(e) = matches(&fx["expected"], &actual, "body") {
            panic!(
                "{name}: {e}\nactual: {}",
                serde_json::to_string_pretty(&actual).unwrap()
            );
        }
        assert_eq!(
            serde_json::to_value(out.usage).unwrap(),
            fx["expected_usage"],
            "{name}: usage"
        );
    }
}
