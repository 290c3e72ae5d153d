//! What an upstream error says about where to go next, beyond its status code:
//! a context-length error (move to a larger window), a model that is not there on this
//! connection (lock the model out there, move on), a quota exhausted (hand over, for
//! context-relay).

/// How a failed attempt should be read by the router.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The prompt does not fit the model's context window.
    ContextLength,
    /// This model is not available on this connection (not found, no access, its own quota).
    ModelUnavailable,
    /// Anything else: the status code decides.
    Other,
}

fn has_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| text.contains(n))
}

/// Reads an upstream error (status and message, in any provider's words).
pub fn classify(status: u16, message: &str) -> ErrorClass {
    let m = message.to_ascii_lowercase();
    if matches!(status, 400 | 413 | 422)
        && has_any(
            &m,
            &[
                "context_length_exceeded",
                "context length",
                "context window",
                "maximum context",
                "prompt is too long",
                "too many tokens",
                "input token count",
                "exceeds the maximum number of tokens",
                "reduce the length",
            ],
        )
    {
        return ErrorClass::ContextLength;
    }
    let about_model = m.contains("model");
    match status {
        404 if about_model || m.contains("not found") => ErrorClass::ModelUnavailable,
        400 | 403 | 422
            if about_model
                && has_any(
                    &m,
                    &[
                        "model_not_found",
                        "not found",
                        "does not exist",
                        "not available",
                        "unavailable",
                        "not supported",
                        "unknown model",
                        "no such model",
                        "decommissioned",
                        "do not have access",
                        "does not have access",
                    ],
                ) =>
        {
            ErrorClass::ModelUnavailable
        }
        429 if model_quota(&m) => ErrorClass::ModelUnavailable,
        _ => ErrorClass::Other,
    }
}

/// A quota that belongs to the model, not the whole account.
fn model_quota(m: &str) -> bool {
    has_any(
        m,
        &[
            "quota for this model",
            "quota exceeded for this model",
            "quota exceeded for model",
            "model quota",
            "per-model quota",
            "this model's quota",
            "quota_exceeded_for_model",
        ],
    )
}

/// Whether a failure means the account (or model) ran out of quota: context-relay hands the
/// conversation over after these.
pub fn is_quota(status: Option<u16>, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    matches!(status, Some(429) | Some(402))
        || m.contains("quota")
        || m.contains("insufficient_quota")
        || m.contains("credit balance")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_wordings() {
        assert_eq!(
            classify(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 200000 tokens."),
            ErrorClass::ContextLength
        );
        assert_eq!(
            classify(400, "prompt is too long: 210000 tokens > 200000 maximum"),
            ErrorClass::ContextLength
        );
        assert_eq!(
            classify(400, "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."),
            ErrorClass::ContextLength
        );
        assert_eq!(classify(400, "mock: invalid request"), ErrorClass::Other);
        assert_eq!(
            classify(
                404,
                "The model `x` does not exist or you do not have access to it."
            ),
            ErrorClass::ModelUnavailable
        );
        assert_eq!(
            classify(400, "model gpt-x is not available in your region"),
            ErrorClass::ModelUnavailable
        );
        assert_eq!(
            classify(429, "Rate limit reached for gpt-x. Please try again later."),
            ErrorClass::Other
        );
        assert_eq!(
            classify(429, "Quota exceeded for this model; try another"),
            ErrorClass::ModelUnavailable
        );
        assert_eq!(classify(500, "model crashed"), ErrorClass::Other);
        assert!(is_quota(Some(429), ""));
        assert!(is_quota(Some(403), "You exceeded your current quota"));
        assert!(!is_quota(Some(500), "boom"));
    }
}
