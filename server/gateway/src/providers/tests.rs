use super::*;

fn builtin() -> &'static Registry {
    Registry::builtin()
}

fn exact(model: &str) -> ResolvedModel<'static> {
    match parse_model_string(builtin(), &[], model) {
        Ok(Resolution::Exact(r)) => r,
        other => panic!("{model}: expected an exact match, got {other:?}"),
    }
}

fn node(prefix: &str, kind: CustomNodeKind, api_type: CustomApiType) -> CustomNode {
    CustomNode {
        id: format!("custom-{prefix}"),
        name: format!("My {prefix}"),
        prefix: prefix.to_owned(),
        base_url: "http://10.0.0.5:8000/v1".to_owned(),
        kind,
        api_type,
        models: vec!["llama3".to_owned()],
    }
}

// ---- the table ----

#[test]
fn builtin_table_is_well_formed() {
    let problems = builtin().problems();
    assert!(
        problems.is_empty(),
        "registry problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn problems_are_reported_for_bad_rows() {
    let good = *builtin().get("openai").unwrap();
    let dup_prefix = ProviderSpec {
        id: "other",
        ..good
    };
    let bad_url = ProviderSpec {
        id: "bad",
        prefix: "bad",
        base_url: "api.example.com/v1/",
        ..good
    };
    let r = Registry::from_providers(vec![good, dup_prefix, bad_url]);
    let problems = r.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("\"openai\" is used by another")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with("bad: base URL")),
        "{problems:?}"
    );
}

#[test]
fn every_provider_named_in_the_guide_is_present_with_its_prefix() {
    let expected = [
        ("openai", "openai"),
        ("anthropic", "anthropic"),
        ("gemini", "gemini"),
        ("openrouter", "openrouter"),
        ("deepseek", "ds"),
        ("groq", "groq"),
        ("xai", "xai"),
        ("mistral", "mistral"),
        ("perplexity", "pplx"),
        ("together", "together"),
        ("fireworks", "fireworks"),
        ("cerebras", "cerebras"),
        ("cohere", "cohere"),
        ("nvidia", "nvidia"),
        ("qianfan", "qianfan"),
        ("glm", "glm"),
        ("minimax", "minimax"),
        ("kimi", "kimi"),
        ("ollama-cloud", "ollama-cloud"),
        ("ollama", "ollama"),
        ("vllm", "vllm"),
        ("llama-cpp", "llama-cpp"),
        ("lm-studio", "lmstudio"),
        ("siliconflow", "siliconflow"),
        ("hyperbolic", "hyperbolic"),
        ("deepinfra", "deepinfra"),
        ("huggingface", "huggingface"),
        ("nebius", "nebius"),
        ("sambanova", "sambanova"),
    ];
    for (id, prefix) in expected {
        let p = builtin().get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(p.prefix, prefix, "{id}");
        assert_ne!(p.auth, AuthStyle::OAuth, "{id} must take an API key");
    }
}

#[test]
fn formats_auth_and_headers_follow_each_provider() {
    let anthropic = builtin().get("anthropic").unwrap();
    assert_eq!(anthropic.format, WireFormat::Anthropic);
    assert_eq!(anthropic.auth, AuthStyle::XApiKey);
    assert!(anthropic
        .headers
        .contains(&("anthropic-version", "2023-06-01")));
    let minimax = builtin().get("minimax").unwrap();
    assert_eq!(minimax.format, WireFormat::Anthropic);
    let gemini = builtin().get("gemini").unwrap();
    assert_eq!(
        (gemini.format, gemini.auth),
        (WireFormat::Gemini, AuthStyle::XGoogApiKey)
    );
    let glm = builtin().get("glm").unwrap();
    assert!(glm.base_url.contains("api.z.ai/api/coding"));
    for local in ["ollama", "vllm", "llama-cpp", "lm-studio"] {
        let p = builtin().get(local).unwrap();
        assert_eq!(p.auth, AuthStyle::None, "{local}");
        assert!(p.base_url.starts_with("http://localhost:"), "{local}");
    }
}

#[test]
fn reserved_subscription_prefixes_are_oauth_with_their_format() {
    let expected = [
        ("cc", "Claude Code", WireFormat::Anthropic),
        ("cx", "OpenAI Codex", WireFormat::Responses),
        ("gemini-cli", "Gemini CLI", WireFormat::Gemini),
        ("gh", "GitHub Copilot", WireFormat::OpenAiChat),
        ("kr", "Kiro", WireFormat::OpenAiChat),
        ("if", "Qoder", WireFormat::OpenAiChat),
        ("qw", "Qwen Code", WireFormat::OpenAiChat),
    ];
    for (prefix, name, format) in expected {
        let p = builtin().by_prefix(prefix).unwrap();
        assert_eq!(
            (p.name, p.format, p.auth),
            (name, format, AuthStyle::OAuth),
            "{prefix}"
        );
    }
}

#[test]
fn prices_are_never_a_fake_zero() {
    // Zero only where the provider really charges nothing (Together's -Free models).
    for p in builtin().providers() {
        for m in p.models {
            let zero = [m.prices.input, m.prices.output] == [Some(0.0), Some(0.0)];
            assert_eq!(zero, m.id.ends_with("-Free"), "{}/{}", p.id, m.id);
        }
    }
    let sonnet = builtin()
        .get("anthropic")
        .unwrap()
        .model("claude-sonnet-4-5-20250929")
        .unwrap();
    assert_eq!(sonnet.prices.input, Some(3.0));
    assert_eq!(sonnet.prices.cache_write, Some(3.75));
    let unknown = builtin()
        .get("deepseek")
        .unwrap()
        .model("deepseek-v4-pro")
        .unwrap();
    assert!(unknown.prices.is_unknown());
}

#[test]
fn guide_models_are_listed_with_their_type() {
    let cases = [
        (
            "groq",
            "meta-llama/llama-4-maverick-17b-128e-instruct",
            ModelType::Chat,
        ),
        (
            "fireworks",
            "accounts/fireworks/models/kimi-k2p6",
            ModelType::Chat,
        ),
        ("qianfan", "ernie-x1.1", ModelType::Chat),
        ("minimax", "MiniMax-M2.7", ModelType::Chat),
        ("ollama-cloud", "gemma4:31b", ModelType::Chat),
        ("openai", "text-embedding-3-small", ModelType::Embedding),
        ("openai", "gpt-image-1", ModelType::Image),
        ("openai", "whisper-1", ModelType::AudioTranscription),
        ("openai", "tts-1", ModelType::AudioSpeech),
    ];
    for (provider, model, kind) in cases {
        let m = builtin().get(provider).unwrap().model(model);
        assert_eq!(m.map(|m| m.kind), Some(kind), "{provider}/{model}");
    }
}

// ---- resolution ----

#[test]
fn resolves_by_prefix_and_by_id() {
    let by_prefix = exact("ds/deepseek-v4-pro");
    let by_id = exact("deepseek/deepseek-v4-pro");
    assert_eq!(by_prefix, by_id);
    assert_eq!(by_prefix.target.id(), "deepseek");
    assert_eq!(by_prefix.model, "deepseek-v4-pro");
    assert!(by_prefix.known.is_some());
    assert_eq!(by_prefix.qualified(), "ds/deepseek-v4-pro");
    assert_eq!(exact("PPLX/sonar").target.id(), "perplexity");
}

#[test]
fn nested_slashes_after_the_prefix_are_kept_verbatim() {
    let groq = exact("groq/meta-llama/llama-4-maverick-17b-128e-instruct");
    assert_eq!(groq.target.id(), "groq");
    assert_eq!(groq.model, "meta-llama/llama-4-maverick-17b-128e-instruct");
    let fw = exact("fireworks/accounts/fireworks/models/glm-5p1");
    assert_eq!(fw.model, "accounts/fireworks/models/glm-5p1");
    assert!(fw.known.is_some());
}

#[test]
fn unlisted_models_of_a_known_provider_pass_through() {
    let r = exact("openrouter/some-lab/brand-new-model");
    assert_eq!(r.model, "some-lab/brand-new-model");
    assert!(r.known.is_none());
}

#[test]
fn unknown_prefix_is_named_in_the_error() {
    let err = parse_model_string(builtin(), &[], "nope/gpt-5").unwrap_err();
    assert_eq!(
        err,
        ResolveError::UnknownPrefix {
            prefix: "nope".into(),
            model: "nope/gpt-5".into()
        }
    );
    assert!(err.to_string().contains("\"nope\""));
}

#[test]
fn reserved_oauth_prefix_says_what_it_is() {
    let err = parse_model_string(builtin(), &[], "cc/claude-opus-4-7").unwrap_err();
    assert!(matches!(err, ResolveError::ReservedOAuth { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("cc/") && msg.contains("Claude Code") && msg.contains("OAuth"),
        "{msg}"
    );
    // By id too.
    let err = parse_model_string(builtin(), &[], "codex/gpt-5.5").unwrap_err();
    assert!(err.to_string().contains("OpenAI Codex"));
}

#[test]
fn empty_and_prefix_only_strings_are_errors() {
    assert_eq!(
        parse_model_string(builtin(), &[], "  "),
        Err(ResolveError::Empty)
    );
    assert!(matches!(
        parse_model_string(builtin(), &[], "openai/"),
        Err(ResolveError::MissingModel { .. })
    ));
}

#[test]
fn bare_names_return_every_provider_listing_them() {
    let Ok(Resolution::Candidates(c)) = parse_model_string(builtin(), &[], "gpt-oss-120b") else {
        panic!("expected candidates");
    };
    let ids: Vec<_> = c.iter().map(|r| r.target.id()).collect();
    assert!(
        ids.contains(&"cerebras") && ids.contains(&"sambanova"),
        "{ids:?}"
    );
    // OAuth-only models are not candidates yet.
    assert!(matches!(
        parse_model_string(builtin(), &[], "coder-model"),
        Err(ResolveError::UnknownModel(_))
    ));
    let nodes = [node(
        "mybox",
        CustomNodeKind::OpenaiCompatible,
        CustomApiType::Chat,
    )];
    let Ok(Resolution::Candidates(c)) = parse_model_string(builtin(), &nodes, "llama3") else {
        panic!("expected the node's model");
    };
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].target, Target::Custom(&nodes[0]));
}

#[test]
fn custom_nodes_resolve_and_pass_the_model_through() {
    let nodes = [
        node(
            "mybox",
            CustomNodeKind::OpenaiCompatible,
            CustomApiType::Responses,
        ),
        node(
            "claudeish",
            CustomNodeKind::AnthropicCompatible,
            CustomApiType::Chat,
        ),
    ];
    let Ok(Resolution::Exact(r)) = parse_model_string(builtin(), &nodes, "mybox/org/model:7b")
    else {
        panic!("expected a node match");
    };
    assert_eq!(r.target, Target::Custom(&nodes[0]));
    assert_eq!(r.model, "org/model:7b");
    assert_eq!(r.target.format(), WireFormat::Responses);
    let Ok(Resolution::Exact(r)) = parse_model_string(builtin(), &nodes, "claudeish/x") else {
        panic!("expected a node match");
    };
    assert_eq!(r.target.format(), WireFormat::Anthropic);
    assert_eq!(r.target.auth(), AuthStyle::XApiKey);
}

#[test]
fn custom_nodes_are_validated() {
    let r = builtin();
    let ok = node(
        "mybox",
        CustomNodeKind::OpenaiCompatible,
        CustomApiType::Chat,
    );
    assert_eq!(validate_custom_node(r, &[], &ok), Ok(()));
    // Saving the same node again is not a clash with itself.
    assert_eq!(
        validate_custom_node(r, std::slice::from_ref(&ok), &ok),
        Ok(())
    );
    let taken = CustomNode {
        prefix: "ds".into(),
        ..ok.clone()
    };
    assert!(matches!(
        validate_custom_node(r, &[], &taken),
        Err(CustomNodeError::PrefixTakenByBuiltin(_))
    ));
    let reserved = CustomNode {
        prefix: "cc".into(),
        ..ok.clone()
    };
    assert!(validate_custom_node(r, &[], &reserved).is_err());
    let other = CustomNode {
        id: "other".into(),
        ..ok.clone()
    };
    assert!(matches!(
        validate_custom_node(r, &[other], &ok),
        Err(CustomNodeError::PrefixTakenByNode(_))
    ));
    let slash = CustomNode {
        prefix: "a/b".into(),
        ..ok.clone()
    };
    assert!(matches!(
        validate_custom_node(r, &[], &slash),
        Err(CustomNodeError::BadPrefix(_))
    ));
    let url = CustomNode {
        base_url: "ftp://x".into(),
        ..ok
    };
    assert!(matches!(
        validate_custom_node(r, &[], &url),
        Err(CustomNodeError::BadBaseUrl { .. })
    ));
}

#[test]
fn custom_node_json_uses_the_dashboard_field_names() {
    let json = r#"{"id":"n1","name":"Box","prefix":"box","baseUrl":"http://127.0.0.1:9/v1",
                   "kind":"openai-compatible","apiType":"responses"}"#;
    let n: CustomNode = serde_json::from_str(json).unwrap();
    assert_eq!(n.format(), WireFormat::Responses);
    assert!(n.models.is_empty());
}

// ---- upstream URL and headers ----

fn target(id: &str) -> Target<'static> {
    Target::Builtin(builtin().get(id).unwrap())
}

#[test]
fn bearer_providers_get_an_authorization_header() {
    let req = UpstreamCall::chat(target("openai"), "gpt-5", Some("sk-1"), false)
        .build()
        .unwrap();
    assert_eq!(req.url, "https://api.openai.com/v1/chat/completions");
    assert_eq!(req.header("Authorization"), Some("Bearer sk-1"));
    assert_eq!(req.format, WireFormat::OpenAiChat);
}

#[test]
fn anthropic_gets_x_api_key_and_version() {
    let req = UpstreamCall::chat(
        target("anthropic"),
        "claude-haiku-4-5-20251001",
        Some("k"),
        true,
    )
    .build()
    .unwrap();
    assert_eq!(req.url, "https://api.anthropic.com/v1/messages");
    assert_eq!(req.header("x-api-key"), Some("k"));
    assert_eq!(req.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(req.header("authorization"), None);
}

#[test]
fn gemini_puts_the_model_and_stream_mode_in_the_path() {
    let call = UpstreamCall::chat(target("gemini"), "gemini-2.5-flash", Some("g"), false);
    let req = call.build().unwrap();
    assert_eq!(
        req.url,
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"
    );
    assert_eq!(req.header("x-goog-api-key"), Some("g"));
    let stream = UpstreamCall {
        stream: true,
        ..call
    }
    .build()
    .unwrap();
    assert!(stream
        .url
        .ends_with("/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
}

#[test]
fn query_key_style_appends_the_key() {
    let gemini = *builtin().get("gemini").unwrap();
    let q = ProviderSpec {
        auth: AuthStyle::QueryKey,
        ..gemini
    };
    let stream = UpstreamCall::chat(Target::Builtin(&q), "m", Some("a b"), true)
        .build()
        .unwrap();
    assert!(
        stream
            .url
            .ends_with(":streamGenerateContent?alt=sse&key=a%20b"),
        "{}",
        stream.url
    );
    assert!(stream.headers.is_empty());
    let plain = UpstreamCall::chat(Target::Builtin(&q), "m", Some("k"), false)
        .build()
        .unwrap();
    assert!(plain.url.ends_with(":generateContent?key=k"));
    // Keys never reach Debug output.
    assert!(!format!("{plain:?}").contains("key=k"));
}

#[test]
fn local_servers_need_no_key_but_forward_one() {
    let none = UpstreamCall::chat(target("ollama"), "llama3", None, false)
        .build()
        .unwrap();
    assert_eq!(none.url, "http://localhost:11434/v1/chat/completions");
    assert!(none.headers.is_empty());
    let with = UpstreamCall::chat(target("vllm"), "m", Some("local"), false)
        .build()
        .unwrap();
    assert_eq!(with.header("authorization"), Some("Bearer local"));
}

#[test]
fn missing_key_and_oauth_are_errors() {
    let err = UpstreamCall::chat(target("groq"), "m", None, false)
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::MissingApiKey {
            provider: "groq".into()
        }
    );
    let err = UpstreamCall::chat(target("groq"), "m", Some("  "), false)
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::MissingApiKey { .. }));
    let err = UpstreamCall::chat(target("claude"), "m", Some("k"), false)
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::OAuthNotSupported { .. }));
}

#[test]
fn base_url_override_points_at_a_mock() {
    let req = UpstreamCall::chat(target("anthropic"), "m", Some("k"), false)
        .base_url("http://127.0.0.1:4000/v1/")
        .build()
        .unwrap();
    assert_eq!(req.url, "http://127.0.0.1:4000/v1/messages");
    let req = UpstreamCall::chat(target("gemini"), "gemini-2.5-pro", Some("k"), true)
        .base_url("http://127.0.0.1:4000/v1beta")
        .build()
        .unwrap();
    assert_eq!(
        req.url,
        "http://127.0.0.1:4000/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
    );
}

#[test]
fn other_endpoints_use_their_paths_or_fail_clearly() {
    let emb = UpstreamCall::chat(target("openai"), "text-embedding-3-small", Some("k"), false)
        .endpoint(Endpoint::Embeddings)
        .build()
        .unwrap();
    assert_eq!(emb.url, "https://api.openai.com/v1/embeddings");
    let img = UpstreamCall::chat(
        target("fireworks"),
        "accounts/fireworks/models/flux-1-schnell-fp8",
        Some("k"),
        false,
    )
    .endpoint(Endpoint::Images)
    .build()
    .unwrap();
    assert_eq!(
        img.url,
        "https://api.fireworks.ai/inference/v1/workflows/accounts/fireworks/models/flux-1-schnell-fp8/text_to_image"
    );
    let err = UpstreamCall::chat(target("anthropic"), "m", Some("k"), false)
        .endpoint(Endpoint::Embeddings)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "provider anthropic has no embeddings endpoint"
    );
}

#[test]
fn custom_nodes_build_by_kind_and_api_type() {
    let chat = node("a", CustomNodeKind::OpenaiCompatible, CustomApiType::Chat);
    let resp = node(
        "b",
        CustomNodeKind::OpenaiCompatible,
        CustomApiType::Responses,
    );
    let anth = node(
        "c",
        CustomNodeKind::AnthropicCompatible,
        CustomApiType::Chat,
    );
    let build = |n| {
        UpstreamCall::chat(Target::Custom(n), "x/y", Some("k"), true)
            .build()
            .unwrap()
    };
    let r = build(&chat);
    assert_eq!(r.url, "http://10.0.0.5:8000/v1/chat/completions");
    assert_eq!(r.header("authorization"), Some("Bearer k"));
    assert_eq!(build(&resp).url, "http://10.0.0.5:8000/v1/responses");
    let a = build(&anth);
    assert_eq!(a.url, "http://10.0.0.5:8000/v1/messages");
    assert_eq!(a.header("x-api-key"), Some("k"));
    assert_eq!(a.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(a.format, WireFormat::Anthropic);
}

// ---- catalog ----

#[test]
fn catalog_groups_models_by_provider_with_types() {
    let nodes = [node(
        "mybox",
        CustomNodeKind::OpenaiCompatible,
        CustomApiType::Chat,
    )];
    let groups = catalog(builtin(), &nodes);
    assert_eq!(groups.len(), builtin().providers().len() + 1);
    let openai = groups.iter().find(|g| g.provider == "openai").unwrap();
    assert!(openai.usable);
    let emb = openai
        .models
        .iter()
        .find(|m| m.model == "text-embedding-3-large")
        .unwrap();
    assert_eq!(emb.id, "openai/text-embedding-3-large");
    assert_eq!(emb.kind, ModelType::Embedding);
    let cc = groups.iter().find(|g| g.prefix == "cc").unwrap();
    assert!(!cc.usable);
    let json = serde_json::to_value(&groups).unwrap();
    let ds = json
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["provider"] == "deepseek")
        .unwrap();
    assert_eq!(ds["prefix"], "ds");
    assert_eq!(ds["models"][0]["id"], "ds/deepseek-v4-pro");
    assert_eq!(ds["models"][0]["type"], "chat");
    assert!(ds["models"][0]["prices"]["input"].is_null());
    assert_eq!(json.as_array().unwrap().last().unwrap()["custom"], true);

    let usable = usable_models(&groups, None);
    assert!(usable.iter().all(|(owner, _)| *owner != "claude"));
    assert!(usable
        .iter()
        .any(|(owner, m)| *owner == "custom-mybox" && m.id == "mybox/llama3"));
    let embeddings = usable_models(&groups, Some(ModelType::Embedding));
    assert!(embeddings
        .iter()
        .all(|(_, m)| m.kind == ModelType::Embedding));
    assert!(embeddings.len() >= 5);
}

#[test]
fn every_catalog_id_resolves_back_to_its_provider() {
    for g in catalog(builtin(), &[]).iter().filter(|g| g.usable) {
        for m in &g.models {
            let r = exact(&m.id);
            assert_eq!(r.target.id(), g.provider, "{}", m.id);
            assert_eq!(r.model, m.model);
        }
    }
}
