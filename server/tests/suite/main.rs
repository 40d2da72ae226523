//! The server's integration tests, as one test binary: one link instead of one per file, and a
//! fraction of the disk (each binary held every dependency).

mod common;

mod api;
mod cache;
mod cli;
mod convert;
mod feeds;
mod gov;
mod hostile;
mod limits;
mod migrate;
mod outage;
mod owner;
mod pages;
mod replicas;
mod report;
mod search;
mod sitemap;
mod store;
mod variants;
