pub mod health;
pub mod login;
pub mod not_found;
pub mod providers;
pub mod settings;
pub mod translator;
