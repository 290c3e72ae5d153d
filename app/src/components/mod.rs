pub mod copy;
pub mod layout;
pub mod theme;
pub mod toast;
