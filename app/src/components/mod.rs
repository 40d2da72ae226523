pub mod gov;
pub mod head;
pub mod help;
pub mod layout;
pub mod read_aloud;
pub mod toolbar;
