pub mod health;
pub mod login;
pub mod not_found;
pub mod settings;
