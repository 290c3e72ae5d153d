//! The gateway engine: wire formats, the translation hub and the provider registry.
//! It knows nothing of axum or sea-orm, so it can be tested and benchmarked on its own.

pub mod providers;
