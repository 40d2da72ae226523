pub mod head;
pub mod layout;
pub mod toolbar;
