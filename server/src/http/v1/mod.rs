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
pub mod legacy;
pub mod media;
pub mod models;
pub mod pinned;
pub mod proxy;

use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use error::V1Error;
use gateway::providers::Endpoint;
use gateway::{Format, SignatureStore};
use proxy::Ingress;
use std::collections::HashMap;
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
        .with_state(state)
}

/// Thought signatures and thinking blocks remembered between turns (bounded).
pub fn signatures() -> Arc<SignatureStore> {
    static STORE: OnceLock<Arc<SignatureStore>> = OnceLock::new();
    STORE
        .get_or_init(|| Arc::new(SignatureStore::default()))
        .clone()
}

/// Until API keys exist, a server reachable from other machines does not serve /v1 at all:
/// an open gateway spends its owner's provider credits.
fn gate(state: &AppState, format: Format) -> Result<(), V1Error> {
    if state.config().listens_beyond_loopback() {
        return Err(V1Error::new(
            format,
            401,
            "OmniRoute listens beyond loopback, so /v1 requires an API key, and API keys are not available in this version yet; bind HOSTNAME=127.0.0.1",
        ));
    }
    Ok(())
}

async fn run(state: AppState, ingress: Ingress, headers: HeaderMap) -> Response {
    if let Err(e) = gate(&state, ingress.format) {
        return e.into_response_for();
    }
    proxy::handle(state, ingress, headers).await
}

async fn chat_completions(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(state, Ingress::new(Format::OpenAiChat, body), headers).await
}

async fn messages(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    run(state, Ingress::new(Format::Anthropic, body), headers).await
}

async fn responses(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    run(state, Ingress::new(Format::Responses, body), headers).await
}

async fn completions(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(e) = gate(&state, Format::OpenAiChat) {
        return e.into_response_for();
    }
    legacy::handle(state, headers, body).await
}

async fn media_call(state: AppState, endpoint: Endpoint, body: media::MediaBody) -> Response {
    if let Err(e) = gate(&state, Format::OpenAiChat) {
        return e.into_response_for();
    }
    media::handle(state, endpoint, body).await
}

async fn embeddings(State(state): State<AppState>, body: Bytes) -> Response {
    media_call(state, Endpoint::Embeddings, media::MediaBody::Json(body)).await
}

async fn images(State(state): State<AppState>, body: Bytes) -> Response {
    media_call(state, Endpoint::Images, media::MediaBody::Json(body)).await
}

async fn speech(State(state): State<AppState>, body: Bytes) -> Response {
    media_call(state, Endpoint::AudioSpeech, media::MediaBody::Json(body)).await
}

async fn transcriptions(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = media::content_type(&headers);
    if !content_type.starts_with("multipart/form-data") {
        return error::V1Error::new(
            Format::OpenAiChat,
            400,
            "send the audio as multipart/form-data (fields file and model)",
        )
        .into_response_for();
    }
    media_call(
        state,
        Endpoint::AudioTranscriptions,
        media::MediaBody::Multipart(body, content_type),
    )
    .await
}

async fn count_tokens(State(state): State<AppState>, body: Bytes) -> Response {
    if let Err(e) = gate(&state, Format::Anthropic) {
        return e.into_response_for();
    }
    match gateway::estimate_request_tokens(Format::Anthropic, &body) {
        Ok(tokens) => axum::Json(gateway::count_tokens_body(tokens)).into_response(),
        Err(e) => {
            V1Error::new(Format::Anthropic, e.http_status(), &e.to_string()).into_response_for()
        }
    }
}

/// `/v1beta/models/{model}:generateContent` and `:streamGenerateContent`. The model may
/// contain slashes (`gemini/gemini-3-pro`, `openai/gpt-5`), so the path is split at the last ':'.
async fn gemini(
    State(state): State<AppState>,
    Path(rest): Path<String>,
    Query(query): Query<HashMap<String, String>>,
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
            if let Err(e) = gate(&state, Format::Gemini) {
                return e.into_response_for();
            }
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
    // `alt=sse` is what the SDKs send; the JSON-array form of streaming is not offered.
    let _ = query.get("alt");
    let ingress = Ingress {
        format: Format::Gemini,
        body,
        model_from_path: Some(model.trim_start_matches("models/").to_string()),
        gemini_stream: stream,
    };
    run(state, ingress, headers).await
}
