//! The management API under `/api` (behind the dashboard login): providers and connections,
//! custom nodes, custom models.

use crate::state::AppState;
use axum::Router;

pub fn routes(state: AppState) -> Router {
    Router::new().with_state(state)
}
