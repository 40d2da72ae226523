//! The portal's pages: rendered on the server, hydrated in the browser.

pub mod address;
pub mod aids;
pub mod api;
pub mod components;
pub mod error;
pub mod format;
pub mod model;
pub mod page;
pub mod pages;
pub mod persist;
pub mod prefetch;
pub mod preload;
pub mod qr;
pub mod query;
pub mod reader;
mod root;
pub mod route;
#[cfg(feature = "ssr")]
pub mod search;
pub mod shortcuts;
pub mod speech;
#[cfg(feature = "ssr")]
pub mod storage;
pub mod ui;
pub mod variant;

#[cfg(feature = "ssr")]
pub use root::shell;
pub use root::{App, AppRoutes, AssetPaths, OUTPUT_NAME};
