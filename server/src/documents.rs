//! Documents made from the database for machines (feeds, sitemap files): kept until the content
//! changes, escaped as XML text, and the answer when one cannot be made.

use crate::db::DbError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Bytes of feeds and sitemap files kept in memory; larger ones are made again when asked for.
pub const KEEP_BYTES: usize = 8 << 20;

/// Documents made since the content last changed (the data cache's epoch moves with every
/// change noticed, here or by another process), kept up to [`KEEP_BYTES`] together.
pub struct Kept<K> {
    made: Mutex<(u64, HashMap<K, Arc<str>>)>,
}

impl<K> Default for Kept<K> {
    fn default() -> Self {
        Self {
            made: Mutex::new((0, HashMap::new())),
        }
    }
}

impl<K: std::hash::Hash + Eq> Kept<K> {
    pub fn get(&self, epoch: u64, key: &K) -> Option<Arc<str>> {
        let held = self.made.lock().unwrap_or_else(|p| p.into_inner());
        (held.0 == epoch).then(|| held.1.get(key).cloned())?
    }

    pub fn put(&self, epoch: u64, key: K, doc: Arc<str>) {
        let mut held = self.made.lock().unwrap_or_else(|p| p.into_inner());
        if held.0 != epoch {
            *held = (epoch, HashMap::new());
        }
        let bytes: usize = held.1.values().map(|x| x.len()).sum();
        if bytes + doc.len() <= KEEP_BYTES {
            held.1.insert(key, doc);
        }
    }
}

/// Text as XML character data or an attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Imports refuse what XML cannot carry; text stored before that is left out here.
            c if crate::import::is_text_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The answer when `what` could not be made from the database: 503 while it cannot be reached
/// (with `Retry-After`, added to every 503), else 500; logged, no internals sent.
pub fn unavailable(what: &str, e: &DbError) -> Response {
    tracing::warn!(error = %e, "{what} not made");
    let status = if e.is_unreachable() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    (status, format!("{what} unavailable\n")).into_response()
}
