//! The client API: OpenAI Chat (`/v1/chat/completions`), Anthropic Messages (`/v1/messages`,
//! also the Claude-compatible root for `ANTHROPIC_BASE_URL`), OpenAI Responses
//! (`/v1/responses`, `/responses` for Codex with a bare base URL), Gemini
//! (`/v1beta/models/{model}:generateContent`), and the model lists.
//!
//! - `proxy`: one request through resolution, connection choice, translation, the upstream
//!   call, and back (streaming included), with failover before the first byte.
//! - `models`: `GET /v1/models`, `/v1/models/{id}`, `/v1beta/models`.
//! - `media`: embeddings, images, speech, transcriptions (forwarded with the model changed).
//! - `legacy`: `/v1/completions` through the chat path.
//! - `pinned`: `/v1/providers/{provider}/...`.
//! - `error`: errors in the caller's dialect.

pub mod error;
pub mod flow;
pub mod legacy;
pub mod media;
pub mod models;
pub mod pinned;
pub mod proxy;
pub mod trace;

use crate::auth::api_keys::{self, presented_key, KeyInfo};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Extension;
use axum::Router;
use error::V1Error;
use gateway::providers::Endpoint;
use gateway::{Format, SignatureStore};
use proxy::Ingress;
use std::sync::{Arc, OnceLock};

/// Request bodies may carry images: allow more than axum's 2 MB default.
const MAX_BODY: usize = 64 * 1024 * 1024;

pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/chat/completions", post(chat_completions))
        .route("/v1/messages", post(messages))
        .route("/v1/messages/count_tokens", post(count_tokens))
        .route("/v1/responses", post(responses))
        .route("/responses", post(responses))
        .route("/v1/models", get(models::list_openai))
        .route("/models", get(models::list_openai))
        .route("/v1/models/{*id}", get(models::get_openai))
        .route("/v1/completions", post(completions))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/images/generations", post(images))
        .route("/v1/audio/speech", post(speech))
        .route("/v1/audio/transcriptions", post(transcriptions))
        .route(
            "/v1/providers/{provider}/chat/completions",
            post(pinned::chat),
        )
        .route(
            "/v1/providers/{provider}/embeddings",
            post(pinned::embeddings),
        )
        .route(
            "/v1/providers/{provider}/images/generations",
            post(pinned::images),
        )
        .route("/v1/providers/{provider}/models", get(pinned::models))
        .route("/v1beta/models", get(models::list_gemini))
        .route("/v1beta/models/{*rest}", post(gemini))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client_auth,
        ))
        .with_state(state)
}

/// Thought signatures and thinking blocks remembered between turns (bounded).
pub fn signatures() -> Arc<SignatureStore> {
    static STORE: OnceLock<Arc<SignatureStore>> = OnceLock::new();
    STORE
        .get_or_init(|| Arc::new(SignatureStore::default()))
        .clone()
}

/// Who is calling: the API key (when one was presented and is valid), set by `client_auth`.
#[derive(Clone, Debug, Default)]
pub struct Caller(pub Option<KeyInfo>);

/// Whether a path belongs to the client API (API keys, not the dashboard session): `/v1/...`,
/// `/v1beta/...`, and the root paths of clients whose base URL has no `/v1`
/// (ANTHROPIC_BASE_URL, Codex's OPENAI_BASE_URL).
pub(crate) fn is_client_path(path: &str) -> bool {
    path.starts_with("/v1/")
        || path.starts_with("/v1beta/")
        || matches!(path, "/chat/completions" | "/responses" | "/models")
}

/// The dialect of a client path, for errors raised before the handler runs.
pub(crate) fn dialect_of(path: &str) -> Format {
    if path.starts_with("/v1/messages") {
        Format::Anthropic
    } else if path.starts_with("/v1beta/") {
        Format::Gemini
    } else if path.starts_with("/v1/responses") || path == "/responses" {
        Format::Responses
    } else {
        Format::OpenAiChat
    }
}

/// API-key check for every client route. A presented key must be valid (an invalid, revoked,
/// disabled or expired key is always refused, never treated as anonymous); no key at all is
/// refused when `Config::api_key_required`.
async fn client_auth(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let format = dialect_of(req.uri().path());
    let refuse =
        |status: u16, message: &str| V1Error::new(format, status, message).into_response_for();
    let caller = match presented_key(req.headers(), req.uri().query()) {
        Some(key) => {
            let hash = api_keys::hash(&state.config().api_key_secret, &key);
            let Some(info) = state.keys().lookup(&hash) else {
                return refuse(401, "invalid API key");
            };
            if let Some(why) = info.unusable(crate::store::now_unix()) {
                return refuse(401, why);
            }
            if !info.has_scope("chat") {
                return refuse(403, "this API key lacks the chat scope needed for the client API");
            }
            Caller(Some(info))
        }
        None if state.config().api_key_required()
            || (crate::ai_settings::is_model_list(req.method(), req.uri().path())
                && state.ai().security().models_require_key) =>
        {
            return refuse(
                401,
                "an API key is required: send it as Authorization: Bearer <key> (or x-api-key / x-goog-api-key); create one in Dashboard → API Manager",
            )
        }
        None => Caller(None),
    };
    req.extensions_mut().insert(caller);
    next.run(req).await
}

async fn run(state: AppState, mut ingress: Ingress, headers: HeaderMap) -> Response {
    // Settings → AI / Security (system prompt, thinking budget, injection guard).
    let flag = match crate::ai_settings::apply(&state, &mut ingress) {
        Ok(flag) => flag,
        Err(refused) => return *refused,
    };
    let mut response = proxy::handle(state, ingress, headers).await;
    crate::ai_settings::mark(&mut response, flag);
    response
}

async fn chat_completions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(
        state,
        Ingress::new(Format::OpenAiChat, body, caller),
        headers,
    )
    .await
}

async fn messages(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(
        state,
        Ingress::new(Format::Anthropic, body, caller),
        headers,
    )
    .await
}

async fn responses(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(
        state,
        Ingress::new(Format::Responses, body, caller),
        headers,
    )
    .await
}

async fn completions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    legacy::handle(state, caller, headers, body).await
}

async fn embeddings(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    media::handle(
        state,
        caller,
        Endpoint::Embeddings,
        media::MediaBody::Json(body),
    )
    .await
}

async fn images(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    media::handle(
        state,
        caller,
        Endpoint::Images,
        media::MediaBody::Json(body),
    )
    .await
}

async fn speech(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    media::handle(
        state,
        caller,
        Endpoint::AudioSpeech,
        media::MediaBody::Json(body),
    )
    .await
}

async fn transcriptions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = media::content_type(&headers);
    if !content_type.starts_with("multipart/form-data") {
        return V1Error::new(
            Format::OpenAiChat,
            400,
            "send the audio as multipart/form-data (fields file and model)",
        )
        .into_response_for();
    }
    let body = media::MediaBody::Multipart(body, content_type);
    media::handle(state, caller, Endpoint::AudioTranscriptions, body).await
}

async fn count_tokens(body: Bytes) -> Response {
    match gateway::estimate_request_tokens(Format::Anthropic, &body) {
        Ok(tokens) => axum::Json(gateway::count_tokens_body(tokens)).into_response(),
        Err(e) => {
            V1Error::new(Format::Anthropic, e.http_status(), &e.to_string()).into_response_for()
        }
    }
}

/// `/v1beta/models/{model}:generateContent` and `:streamGenerateContent`. The model may
/// contain slashes (`gemini/gemini-3-pro`, `openai/gpt-5`), so the path is split at the last ':'.
/// `alt=sse` is what the SDKs send; the JSON-array form of streaming is not offered.
async fn gemini(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(rest): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((model, action)) = rest.rsplit_once(':') else {
        return V1Error::new(
            Format::Gemini,
            404,
            &format!("unknown path models/{rest}: expected models/{{model}}:generateContent or :streamGenerateContent"),
        )
        .into_response_for();
    };
    let stream = match action {
        "generateContent" => false,
        "streamGenerateContent" => true,
        "countTokens" => {
            return match gateway::estimate_request_tokens(Format::Gemini, &body) {
                Ok(tokens) => {
                    axum::Json(serde_json::json!({ "totalTokens": tokens })).into_response()
                }
                Err(e) => V1Error::new(Format::Gemini, e.http_status(), &e.to_string())
                    .into_response_for(),
            };
        }
        other => {
            return V1Error::new(
                Format::Gemini,
                404,
                &format!("unknown method {other:?} for models/{model}"),
            )
            .into_response_for()
        }
    };
    let mut ingress = Ingress::new(Format::Gemini, body, caller);
    ingress.model_from_path = Some(model.trim_start_matches("models/").to_string());
    ingress.gemini_stream = stream;
    run(state, ingress, headers).await
}
