//! Server functions (one per file) and the types they share with the browser. Their URLs live
//! under `/api/sf/`, behind the dashboard login.

pub mod change_password;
pub mod system_status;

use leptos::prelude::ServerFnError;

/// The message of a server function error, without the framework's prefix.
pub fn error_text(err: &ServerFnError) -> String {
    match err {
        ServerFnError::ServerError(msg) => msg.clone(),
        other => other.to_string(),
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn backend() -> Result<crate::backend::Backend, ServerFnError> {
    leptos::prelude::use_context::<crate::backend::Backend>()
        .ok_or_else(|| ServerFnError::new("the dashboard backend is not available"))
}
