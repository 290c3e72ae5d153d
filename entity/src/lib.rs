//! sea-orm entities, one module per table. They follow the migrations in the `migration` crate.

pub mod key_value;
pub mod sessions;
