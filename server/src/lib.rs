//! The portal server as a library: storage backends, import, the HTTP surface.
//! `main.rs` is the command line around it.

pub mod api;
pub mod assets;
pub mod br;
pub mod chunks;
pub mod convert;
pub mod data_cache;
pub mod db;
pub mod demo;
pub mod documents;
pub mod feeds;
pub mod files;
pub mod generate;
pub mod gzip;
pub mod import;
pub mod page_cache;
pub mod render;
pub mod report;
pub mod respond;
pub mod search;
pub mod security;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod state;
pub mod text;
pub mod views;
pub mod web;
