//! Freshness: which content version and glossary the kept pages show, and the epoch that moves
//! whenever kept pages are dropped. A page rendered before a drop is not kept after it; the drop
//! itself (what to forget) is the caller's.

use super::store::PageStore;
use crate::db::{Database, Touched};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// What to drop: the pages showing what an import touched, or (`None`) everything.
pub(super) type Forget<'a> = &'a (dyn Fn(Option<&Touched>) + Sync);

#[derive(Default)]
pub(super) struct Freshness {
    /// (content version, glossary generation) the kept pages were rendered at.
    seen: Mutex<Option<(i64, u64)>>,
    /// Moves whenever kept pages are dropped.
    epoch: AtomicU64,
}

impl Freshness {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(i64, u64)>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The epoch now: a render started now is kept only if it has not moved when it ends.
    pub(super) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Runs `keep` if nothing was dropped since `epoch`, with drops held off meanwhile; whether
    /// it ran.
    pub(super) fn if_current(&self, epoch: u64, keep: impl FnOnce()) -> bool {
        let _seen = self.lock();
        let current = self.epoch() == epoch;
        if current {
            keep();
        }
        current
    }

    /// Drops every page (through `drop`) if the content or the glossary changed since the last
    /// call.
    pub(super) fn note_versions(
        &self,
        content: i64,
        glossary: u64,
        store: Option<&PageStore>,
        drop: Forget<'_>,
    ) {
        let mut seen = self.lock();
        if *seen != Some((content, glossary)) {
            if seen.is_some() {
                tracing::info!(content, glossary, "content changed: rendered pages dropped");
            }
            self.epoch.fetch_add(1, Ordering::AcqRel);
            drop(None);
            if let Some(store) = store {
                store.set_stamp(glossary, content);
            }
            *seen = Some((content, glossary));
        }
    }

    /// Drops the pages showing what changed since the last call: those an import touched (the
    /// record of changes says which), every page when the glossary changed or the record does
    /// not reach back.
    pub(super) async fn refresh(
        &self,
        db: &dyn Database,
        glossary: u64,
        store: Option<&PageStore>,
        drop: Forget<'_>,
    ) {
        if let Some(store) = store {
            if store.instance().is_none() {
                match db.instance().await {
                    Ok(id) => store.set_instance(id),
                    Err(e) => return tracing::warn!(error = %e, "database identity unreadable"),
                }
            }
            let mut seen = self.lock();
            if seen.is_none() {
                // Pages stored by an earlier process are current up to their stamp's version.
                if let Some(s) = store.stamp().filter(|s| {
                    s.build == store.build()
                        && s.glossary == glossary
                        && store.instance() == Some(s.instance.as_str())
                }) {
                    *seen = Some((s.content, glossary));
                }
            }
        }
        let current = self.catch_up(db, glossary, store, drop).await;
        if let Some(store) = store.filter(|_| current) {
            store.set_ready();
        }
    }

    /// Brings the pages up to the database; whether that was done (or there was nothing to do).
    async fn catch_up(
        &self,
        db: &dyn Database,
        glossary: u64,
        store: Option<&PageStore>,
        drop: Forget<'_>,
    ) -> bool {
        let seen = *self.lock();
        let Some((content, seen_glossary)) = seen.filter(|s| s.1 == glossary) else {
            return match db.content_version().await {
                Ok(v) => {
                    self.note_versions(v, glossary, store, drop);
                    true
                }
                Err(e) => {
                    tracing::warn!(error = %e, "content version unreadable");
                    false
                }
            };
        };
        let (now, touched) = match db.changes_since(content).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "content changes unreadable");
                return false;
            }
        };
        if now == content {
            return true;
        }
        let mut guard = self.lock();
        if *guard != Some((content, seen_glossary)) {
            // Moved meanwhile (another refresh): the next tick looks again.
            return false;
        }
        self.epoch.fetch_add(1, Ordering::AcqRel);
        drop(touched.as_ref());
        match &touched {
            Some(t) => tracing::info!(
                content = now,
                articles = t.articles.len(),
                channels = t.channels.len(),
                "content changed: pages showing it dropped"
            ),
            None => tracing::info!(content = now, "content changed: rendered pages dropped"),
        }
        if let Some(store) = store {
            store.set_stamp(glossary, now);
        }
        *guard = Some((now, glossary));
        true
    }
}
