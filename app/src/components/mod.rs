pub mod layout;
pub mod toolbar;
