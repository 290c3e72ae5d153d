use leptos::prelude::*;

/// Changes the dashboard password. Every other session is logged out; this one stays.
#[server(prefix = "/api/sf", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), ServerFnError> {
    if new_password != confirm_password {
        return Err(ServerFnError::new(
            "The new password and its confirmation differ.",
        ));
    }
    let backend = super::backend()?;
    backend
        .0
        .change_password(current_password, new_password)
        .await
        .map_err(ServerFnError::new)
}
