//! Server functions' converted results kept in memory, bounded by size, dropped with the pages that
//! show the same content ([`crate::page_cache::PageCache::refresh`]): a navigation's data is
//! converted once per content change and variant, not once per reader.

use crate::db::Touched;
use app::storage::{DataKey, Datum};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone)]
struct Entry {
    value: Datum,
    weight: usize,
}

#[derive(Clone)]
struct Weigh;

impl quick_cache::Weighter<DataKey, Entry> for Weigh {
    fn weight(&self, _: &DataKey, e: &Entry) -> u64 {
        (e.weight + 128) as u64
    }
}

pub struct DataCache {
    items: quick_cache::sync::Cache<DataKey, Entry, Weigh>,
    /// Moves whenever values are dropped; a value made before it moved is not kept.
    epoch: AtomicU64,
    /// Held while dropping, and while checking the epoch and keeping a value.
    dropping: Mutex<()>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl DataCache {
    pub fn new(max_bytes: u64) -> Self {
        Self {
            items: quick_cache::sync::Cache::with_weighter(
                (max_bytes / 8_000).max(16) as usize,
                max_bytes,
                Weigh,
            ),
            epoch: AtomicU64::new(0),
            dropping: Mutex::new(()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.dropping.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Drops every value.
    pub fn clear(&self) {
        let _one = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.items.clear();
    }

    /// Drops the values showing what `t` names: those articles, those channels' pages, and the
    /// front page and interface text (which name the site and every channel's newest).
    pub fn drop_touched(&self, t: &Touched) {
        let _one = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.items.retain(|k, _| match k {
            // Any article may be found by any query.
            DataKey::Ui(_) | DataKey::Home(_) | DataKey::Search(..) => false,
            DataKey::Channel(slug, _, _) => !t.channels.contains(slug),
            DataKey::Article(id, _) => !t.articles.contains(id),
        });
    }

    /// (hits, misses) so far.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl app::storage::DataCache for DataCache {
    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    fn get(&self, key: &DataKey) -> Option<Datum> {
        let found = self.items.get(key).map(|e| e.value);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn put(&self, key: DataKey, value: Datum, weight: usize, epoch: u64) {
        let _one = self.lock();
        if self.epoch.load(Ordering::Acquire) == epoch {
            self.items.insert(key, Entry { value, weight });
        }
    }
}
