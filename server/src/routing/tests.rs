#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use std::collections::HashMap;

fn combo(name: &str, strategy: Strategy, models: &[&str]) -> Combo {
    Combo {
        id: format!("id-{name}"),
        name: name.to_string(),
        strategy,
        steps: models.iter().map(|m| Step::model(*m)).collect(),
        config: ComboConfig::default(),
        sort_order: 0,
    }
}

fn set(combos: Vec<Combo>) -> ComboSet {
    ComboSet::new(combos, Vec::new())
}

fn models(targets: &[PlannedTarget]) -> Vec<&str> {
    targets.iter().map(|t| t.model.as_str()).collect()
}

/// The first target of `n` real plans.
fn firsts(set: &ComboSet, name: &str, rt: &ComboRuntime, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let targets = plan(set, name, &RoutingInputs::request(rt, None, &NoFacts)).unwrap();
            targets[0].model.clone()
        })
        .collect()
}

fn counts(firsts: &[String]) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    for f in firsts {
        *out.entry(f.as_str()).or_default() += 1;
    }
    out
}

const ABC: [&str; 3] = ["p/a", "p/b", "p/c"];

#[test]
fn strategy_names_round_trip_and_refuse_unknown_ones() {
    for s in Strategy::ALL {
        assert_eq!(Strategy::parse(s.as_str()), Some(s));
    }
    assert_eq!(Strategy::parse("auto"), Some(Strategy::Auto));
    assert_eq!(
        Strategy::parse("context-relay"),
        Some(Strategy::ContextRelay)
    );
    for missing in ["smart", "Priority", ""] {
        assert_eq!(Strategy::parse(missing), None, "{missing}");
    }
    assert!(Strategy::names().starts_with("priority, weighted, round-robin"));
}

#[test]
fn priority_and_fill_first_keep_step_order_with_every_step_as_fallback() {
    let rt = ComboRuntime::with_seed(1);
    for strategy in [Strategy::Priority, Strategy::FillFirst] {
        let s = set(vec![combo("c", strategy, &ABC)]);
        for _ in 0..5 {
            let targets = plan(&s, "c", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
            assert_eq!(models(&targets), ABC);
            assert_eq!(
                targets[1].via,
                vec![StepRef {
                    combo: "c".into(),
                    step: "p/b".into()
                }]
            );
        }
    }
}

#[test]
fn weighted_follows_the_weights_and_zero_weight_is_fallback_only() {
    let mut c = combo("w", Strategy::Weighted, &ABC);
    c.steps[0].weight = Some(70);
    c.steps[1].weight = Some(30);
    c.steps[2].weight = Some(0);
    let s = set(vec![c]);
    let rt = ComboRuntime::with_seed(7);
    let n = 10_000;
    let f = firsts(&s, "w", &rt, n);
    let c = counts(&f);
    let share = |m: &str| *c.get(m).unwrap_or(&0) as f64 / n as f64;
    assert!((share("p/a") - 0.7).abs() < 0.02, "{c:?}");
    assert!((share("p/b") - 0.3).abs() < 0.02, "{c:?}");
    assert_eq!(share("p/c"), 0.0);
    // Every plan still lists every step; the zero-weight one last.
    let targets = plan(&s, "w", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(targets.len(), 3);
    assert_eq!(targets[2].model, "p/c");
}

#[test]
fn weighted_without_weights_is_uniform_and_seeded_runs_repeat() {
    let s = set(vec![combo("w", Strategy::Weighted, &ABC)]);
    let f = firsts(&s, "w", &ComboRuntime::with_seed(3), 3000);
    for (_, count) in counts(&f) {
        assert!((900..=1100).contains(&count), "{count}");
    }
    assert_eq!(f, firsts(&s, "w", &ComboRuntime::with_seed(3), 3000));
}

#[test]
fn round_robin_rotates_and_the_sticky_limit_holds_a_step() {
    let rt = ComboRuntime::with_seed(1);
    let s = set(vec![combo("rr", Strategy::RoundRobin, &ABC)]);
    assert_eq!(
        firsts(&s, "rr", &rt, 4),
        ["p/a", "p/b", "p/c", "p/a"].map(String::from)
    );
    let targets = plan(&s, "rr", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(models(&targets), ["p/b", "p/c", "p/a"], "rotation wraps");

    let mut sticky = combo("sticky", Strategy::RoundRobin, &ABC);
    sticky.config.sticky_limit = Some(2);
    let s = set(vec![sticky]);
    let rt = ComboRuntime::with_seed(1);
    assert_eq!(
        firsts(&s, "sticky", &rt, 7),
        ["p/a", "p/a", "p/b", "p/b", "p/c", "p/c", "p/a"].map(String::from)
    );
}

#[test]
fn previews_change_nothing() {
    let rt = ComboRuntime::with_seed(1);
    let s = set(vec![
        combo("rr", Strategy::RoundRobin, &ABC),
        combo("sr", Strategy::StrictRandom, &ABC),
        combo("lu", Strategy::LeastUsed, &ABC),
    ]);
    for name in ["rr", "sr", "lu"] {
        let peek = |rt: &ComboRuntime| {
            plan(&s, name, &RoutingInputs::preview(rt, None, &NoFacts)).unwrap()[0]
                .model
                .clone()
        };
        let first = peek(&rt);
        for _ in 0..5 {
            assert_eq!(peek(&rt), first, "{name}");
        }
        assert_eq!(firsts(&s, name, &rt, 1)[0], first, "{name}: preview = next");
    }
    assert_eq!(rt.usage("lu", "p/a"), 1);
}

#[test]
fn random_shuffles_every_plan() {
    let s = set(vec![combo("r", Strategy::Random, &ABC)]);
    let rt = ComboRuntime::with_seed(11);
    let f = firsts(&s, "r", &rt, 3000);
    for (_, count) in counts(&f) {
        assert!((900..=1100).contains(&count), "{count}");
    }
    let targets = plan(&s, "r", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    let mut sorted = models(&targets);
    sorted.sort();
    assert_eq!(sorted, ABC);
}

#[test]
fn strict_random_uses_each_step_once_per_cycle() {
    let models: Vec<String> = (0..5).map(|i| format!("p/m{i}")).collect();
    let refs: Vec<&str> = models.iter().map(String::as_str).collect();
    let s = set(vec![combo("sr", Strategy::StrictRandom, &refs)]);
    let rt = ComboRuntime::with_seed(5);
    let f = firsts(&s, "sr", &rt, 50);
    let mut orders = Vec::new();
    for cycle in f.chunks(5) {
        let mut seen = cycle.to_vec();
        seen.sort();
        assert_eq!(seen, models, "each cycle draws every step once");
        orders.push(cycle.to_vec());
    }
    orders.dedup();
    assert!(orders.len() > 1, "cycles are reshuffled");
}

#[test]
fn least_used_balances_by_requests_routed() {
    let s = set(vec![combo("lu", Strategy::LeastUsed, &ABC)]);
    let rt = ComboRuntime::with_seed(1);
    let f = firsts(&s, "lu", &rt, 9);
    for (_, count) in counts(&f) {
        assert_eq!(count, 3);
    }
    assert_eq!(rt.usage("lu", "p/c"), 3);
}

#[test]
fn cost_optimized_puts_the_cheapest_first_and_unknown_prices_last() {
    let s = set(vec![combo(
        "cheap",
        Strategy::CostOptimized,
        &["p/unknown", "p/dear", "p/cheap", "p/mid"],
    )]);
    let facts = FnFacts {
        price: |m: &str| match m {
            "p/dear" => Some(30.0),
            "p/cheap" => Some(0.5),
            "p/mid" => Some(3.0),
            _ => None,
        },
        context: |_: &str| None,
    };
    let rt = ComboRuntime::with_seed(1);
    let targets = plan(&s, "cheap", &RoutingInputs::request(&rt, None, &facts)).unwrap();
    assert_eq!(
        models(&targets),
        ["p/cheap", "p/mid", "p/dear", "p/unknown"]
    );
}

#[test]
fn context_optimized_puts_the_largest_window_first() {
    let s = set(vec![combo(
        "ctx",
        Strategy::ContextOptimized,
        &["p/small", "p/unknown", "p/huge", "p/mid"],
    )]);
    let facts = FnFacts {
        price: |_: &str| None,
        context: |m: &str| match m {
            "p/small" => Some(8_000),
            "p/huge" => Some(1_000_000),
            "p/mid" => Some(128_000),
            _ => None,
        },
    };
    let rt = ComboRuntime::with_seed(1);
    let targets = plan(&s, "ctx", &RoutingInputs::request(&rt, None, &facts)).unwrap();
    assert_eq!(
        models(&targets),
        ["p/huge", "p/mid", "p/small", "p/unknown"]
    );
}

#[test]
fn registry_facts_know_prices_and_windows_of_builtin_models() {
    let facts = RegistryFacts::new(&[]);
    assert!(facts.context_length("openai/gpt-4o").is_some());
    assert!(facts.price("openai/gpt-4o").is_some());
    assert_eq!(facts.price("nope/model"), None);
}

#[test]
fn p2c_never_leads_with_the_failing_model() {
    let s = set(vec![combo("p2c", Strategy::P2c, &ABC)]);
    let rt = ComboRuntime::with_seed(9);
    for _ in 0..10 {
        rt.record_result("p2c", "p/b", None, false, 100);
        rt.record_result("p2c", "p/a", None, true, 100);
        rt.record_result("p2c", "p/c", None, true, 100);
    }
    assert_eq!(rt.failure_rate("p/b"), Some(1.0));
    let f = firsts(&s, "p2c", &rt, 300);
    let c = counts(&f);
    assert!(!c.contains_key("p/b"), "{c:?}");
    assert!(c["p/a"] > 50 && c["p/c"] > 50, "{c:?}");
    let targets = plan(&s, "p2c", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(
        targets[2].model, "p/b",
        "the failing one is the last fallback"
    );
}

#[test]
fn p2c_prefers_fewer_requests_in_flight() {
    let s = set(vec![combo("p2c", Strategy::P2c, &["p/a", "p/b"])]);
    let rt = Arc::new(ComboRuntime::with_seed(2));
    let busy = rt.begin("p/a");
    assert_eq!(rt.in_flight("p/a"), 1);
    for _ in 0..20 {
        assert_eq!(firsts(&s, "p2c", &rt, 1)[0], "p/b");
    }
    drop(busy);
    assert_eq!(rt.in_flight("p/a"), 0);
}

#[test]
fn lkgp_leads_with_the_last_good_step_of_the_session() {
    let s = set(vec![combo("l", Strategy::Lkgp, &ABC)]);
    let rt = ComboRuntime::with_seed(1);
    let request = |session| {
        models(&plan(&s, "l", &RoutingInputs::request(&rt, session, &NoFacts)).unwrap())
            .iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(request(Some("s1")), ABC, "nothing known: priority");
    let targets = plan(&s, "l", &RoutingInputs::request(&rt, Some("s1"), &NoFacts)).unwrap();
    rt.record_target(&targets[0], Some("s1"), false, 10);
    rt.record_target(&targets[2], Some("s1"), true, 10);
    assert_eq!(request(Some("s1")), ["p/c", "p/a", "p/b"]);
    assert_eq!(request(Some("s2")), ABC, "another session is unaffected");
    rt.record_result("l", "p/b", None, true, 10);
    assert_eq!(
        request(None),
        ["p/b", "p/a", "p/c"],
        "sessionless: per combo"
    );
}

#[test]
fn lkgp_memory_is_bounded() {
    let rt = ComboRuntime::with_seed(1);
    for i in 0..(LKGP_CAPACITY + 2_500) {
        rt.record_result("c", "p/a", Some(&format!("s{i}")), true, 1);
    }
    assert!(rt.lkgp_len() <= LKGP_CAPACITY, "{}", rt.lkgp_len());
    let last = format!("s{}", LKGP_CAPACITY + 2_499);
    assert_eq!(rt.last_known_good("c", Some(&last)).as_deref(), Some("p/a"));
    assert_eq!(
        rt.last_known_good("c", Some("s0")),
        None,
        "oldest forgotten"
    );
}

#[test]
fn health_memory_is_bounded_but_keeps_models_in_flight() {
    let rt = Arc::new(ComboRuntime::with_seed(1));
    let busy = rt.begin("p/busy");
    for i in 0..(HEALTH_CAPACITY * 2) {
        rt.record_result("c", &format!("p/m{i}"), None, true, 1);
    }
    assert!(rt.lock().health.len() <= HEALTH_CAPACITY);
    assert_eq!(rt.in_flight("p/busy"), 1);
    drop(busy);
}

#[test]
fn saturated_models_move_behind_the_others() {
    let mut c = combo("cap", Strategy::Priority, &ABC);
    c.config.max_concurrency_per_model = Some(2);
    let s = set(vec![c]);
    let rt = Arc::new(ComboRuntime::with_seed(1));
    let one = rt.begin("p/a");
    assert_eq!(firsts(&s, "cap", &rt, 1)[0], "p/a", "below the limit");
    let two = rt.begin("p/a");
    let targets = plan(&s, "cap", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(models(&targets), ["p/b", "p/c", "p/a"]);
    drop((one, two));
    assert_eq!(firsts(&s, "cap", &rt, 1)[0], "p/a");
}

#[test]
fn nested_combos_expand_in_place_and_duplicates_are_dropped() {
    let mut pinned = combo("outer", Strategy::Priority, &["p/a", "inner", "p/d"]);
    pinned.steps[0].connection_id = Some("conn1".into());
    let s = set(vec![
        pinned,
        combo("inner", Strategy::Priority, &["p/b", "p/d", "p/c"]),
    ]);
    let rt = ComboRuntime::with_seed(1);
    let targets = plan(&s, "outer", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(models(&targets), ["p/a", "p/b", "p/d", "p/c"]);
    assert_eq!(targets[0].connection_id.as_deref(), Some("conn1"));
    assert_eq!(
        targets[1].via,
        vec![
            StepRef {
                combo: "outer".into(),
                step: "inner".into()
            },
            StepRef {
                combo: "inner".into(),
                step: "p/b".into()
            },
        ]
    );
    // Success through the nested combo teaches both levels.
    rt.record_target(&targets[2], Some("s"), true, 5);
    assert_eq!(
        rt.last_known_good("outer", Some("s")).as_deref(),
        Some("inner")
    );
    assert_eq!(
        rt.last_known_good("inner", Some("s")).as_deref(),
        Some("p/d")
    );
}

#[test]
fn a_nested_combo_keeps_its_own_strategy() {
    let s = set(vec![
        combo("outer", Strategy::Priority, &["inner", "p/z"]),
        combo("inner", Strategy::RoundRobin, &ABC),
    ]);
    let rt = ComboRuntime::with_seed(1);
    assert_eq!(
        firsts(&s, "outer", &rt, 4),
        ["p/a", "p/b", "p/c", "p/a"].map(String::from)
    );
}

#[test]
fn same_model_on_different_connections_is_kept() {
    let mut c = combo("c", Strategy::Priority, &["p/a", "p/a", "p/a"]);
    c.steps[1].connection_id = Some("k2".into());
    let s = set(vec![c]);
    let rt = ComboRuntime::with_seed(1);
    let targets = plan(&s, "c", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[1].connection_id.as_deref(), Some("k2"));
}

#[test]
fn cycles_are_errors_that_name_the_cycle() {
    let s = set(vec![
        combo("a", Strategy::Priority, &["p/x", "b"]),
        combo("b", Strategy::Priority, &["c"]),
        combo("c", Strategy::Priority, &["a"]),
        combo("self", Strategy::Priority, &["self"]),
    ]);
    let rt = ComboRuntime::with_seed(1);
    let err = plan(&s, "a", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap_err();
    assert_eq!(
        err,
        PlanError::Cycle(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        err.to_string(),
        "combos refer to each other in a cycle: a → b → c → a"
    );
    let err = plan(&s, "self", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap_err();
    assert_eq!(err, PlanError::Cycle(vec!["self".into(), "self".into()]));
    assert!(matches!(s.check(), Err(PlanError::Cycle(_))));
}

#[test]
fn nesting_is_limited_to_three_levels() {
    let three = set(vec![
        combo("l1", Strategy::Priority, &["l2"]),
        combo("l2", Strategy::Priority, &["l3"]),
        combo("l3", Strategy::Priority, &["p/x"]),
    ]);
    let rt = ComboRuntime::with_seed(1);
    let targets = plan(&three, "l1", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(models(&targets), ["p/x"]);
    assert_eq!(targets[0].via.len(), 3);
    assert!(three.check().is_ok());

    let four = set(vec![
        combo("l1", Strategy::Priority, &["l2"]),
        combo("l2", Strategy::Priority, &["l3"]),
        combo("l3", Strategy::Priority, &["l4"]),
        combo("l4", Strategy::Priority, &["p/x"]),
    ]);
    let err = plan(&four, "l1", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap_err();
    assert_eq!(
        err,
        PlanError::TooDeep(vec!["l1".into(), "l2".into(), "l3".into(), "l4".into()])
    );
    assert!(four.check().is_err());
    // l2 on its own is three deep: fine.
    assert!(plan(&four, "l2", &RoutingInputs::request(&rt, None, &NoFacts)).is_ok());
}

#[test]
fn inactive_nested_combos_are_skipped_and_unknown_names_are_errors() {
    let s = ComboSet::new(
        vec![
            combo("outer", Strategy::Priority, &["off", "p/x"]),
            combo("only-off", Strategy::Priority, &["off"]),
        ],
        vec!["off".to_string()],
    );
    let rt = ComboRuntime::with_seed(1);
    let targets = plan(&s, "outer", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap();
    assert_eq!(models(&targets), ["p/x"]);
    assert_eq!(
        plan(&s, "only-off", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap_err(),
        PlanError::Empty("only-off".into())
    );
    assert_eq!(
        plan(&s, "off", &RoutingInputs::request(&rt, None, &NoFacts)).unwrap_err(),
        PlanError::UnknownCombo("off".into())
    );
    assert!(s.is_inactive("off") && !s.contains("off"));
}

#[test]
fn the_cell_swaps_sets_and_forgets_state_of_removed_combos() {
    let cell = ComboCell::with_runtime(ComboRuntime::with_seed(1));
    cell.set(set(vec![combo("rr", Strategy::RoundRobin, &ABC)]));
    assert_eq!(cell.plan("rr", None, &NoFacts).unwrap()[0].model, "p/a");
    assert_eq!(cell.preview("rr", None, &NoFacts).unwrap()[0].model, "p/b");
    cell.set(set(vec![combo("other", Strategy::Priority, &ABC)]));
    assert_eq!(cell.runtime().usage("rr", "p/a"), 0);
    assert!(cell.plan("rr", None, &NoFacts).is_err());
    cell.set(set(vec![combo("rr", Strategy::RoundRobin, &ABC)]));
    assert_eq!(cell.plan("rr", None, &NoFacts).unwrap()[0].model, "p/a");
}

#[test]
fn steps_and_config_serialise_in_camel_case_without_empty_fields() {
    let step = Step {
        model: "p/a".into(),
        weight: Some(3),
        connection_id: Some("c1".into()),
    };
    assert_eq!(
        serde_json::to_value(&step).unwrap(),
        serde_json::json!({"model":"p/a","weight":3,"connectionId":"c1"})
    );
    assert_eq!(
        serde_json::to_value(Step::model("p/a")).unwrap(),
        serde_json::json!({"model":"p/a"})
    );
    let config = ComboConfig {
        sticky_limit: Some(3),
        ..ComboConfig::default()
    };
    assert_eq!(
        serde_json::to_value(&config).unwrap(),
        serde_json::json!({"stickyLimit":3})
    );
}
