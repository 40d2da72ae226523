//! Exact view counting off the request path: views are tallied in memory and written in batches
//! (every second, and once more on shutdown). The live count is the stored one plus what is pending.

use crate::db::Database;
use app::model::{Article, ChannelPage, Home, PageQuery};
use app::storage::{Storage, StorageError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Copy, Default)]
struct Tally {
    /// The newest total seen in the database.
    stored: i64,
    /// Views counted here and not yet written.
    pending: i64,
    /// The flush during which it was last used.
    used: u64,
}

/// Flushes after which a tally with nothing pending and not used since is dropped (a minute at
/// one flush a second): the tallies held are those of articles read lately, not of every article
/// read since start.
const KEEP_FLUSHES: u64 = 60;

/// Tallies held at most (about 100 bytes each). When full, the idle ones go (their totals are read
/// again when needed); while the database is unreachable views wait here to be written, and past
/// this many articles with views waiting a new article's view is not counted (and logged).
const MAX_TALLIES: usize = 100_000;

pub struct ViewCounter {
    db: Arc<dyn Database>,
    tallies: Mutex<HashMap<Box<str>, Tally>>,
    /// One flush at a time, so a batch is never written twice.
    flushing: tokio::sync::Mutex<()>,
    /// Flushes so far.
    flushes: std::sync::atomic::AtomicU64,
    /// Every article's stored total as read at start and raised by each flush since, by a 64-bit
    /// hash of its id, sorted (16 bytes an article): an article without a tally gets one from here
    /// without asking the database (a collision, about one in 10⁹ at 100,000 articles, would only
    /// show another article's total until the next flush).
    totals: std::sync::RwLock<Vec<(u64, i64)>>,
    /// Where the next read of totals other processes changed starts (`Database::view_changes`);
    /// `None` until the totals are read at start.
    mark: Mutex<Option<i64>>,
    /// Views not counted because [`MAX_TALLIES`] were held, not yet logged.
    refused: std::sync::atomic::AtomicU64,
    /// Full of tallies with views waiting, as of the last look; cleared by each flush.
    crowded: std::sync::atomic::AtomicBool,
}

fn key(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
}

impl ViewCounter {
    pub fn new(db: Arc<dyn Database>) -> Self {
        Self {
            db,
            tallies: Mutex::default(),
            flushing: tokio::sync::Mutex::new(()),
            flushes: std::sync::atomic::AtomicU64::new(0),
            totals: std::sync::RwLock::default(),
            mark: Mutex::default(),
            refused: std::sync::atomic::AtomicU64::new(0),
            crowded: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Tally>> {
        self.tallies.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now(&self) -> u64 {
        self.flushes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Counts one view, reading the article's stored total first if it is not known here; its
    /// live count, `None` if there is no such article (or its count cannot be read now).
    pub async fn record(&self, id: &str) -> Option<i64> {
        if let Some(n) = self.tally(id, true) {
            return Some(n);
        }
        let stored = self.learn(id).await?;
        // Not held only past the cap of tallies: shown, not counted.
        Some(self.tally(id, true).unwrap_or(stored))
    }

    /// Reads every article's stored total, so that tallies come without a query. Totals written
    /// while it read are in the tallies (none is dropped within a minute): they are merged in.
    pub async fn preload(&self) {
        let mut totals: Vec<(u64, i64)> = Vec::new();
        if let Ok(n) = self.db.article_count().await {
            totals.reserve_exact(usize::try_from(n).unwrap_or(0));
        }
        // Marked first: what others write from now on is read by `catch_up`.
        let mark = match self.db.view_changes(None).await {
            Ok((mark, _)) => Some(mark),
            Err(e) => {
                tracing::warn!(error = %e, "view totals not read: each is read when needed");
                return;
            }
        };
        // Row by row: the ids are hashed as they come, never held together.
        let read = self
            .db
            .view_totals(&mut |id, n| totals.push((key(id), n)))
            .await;
        if let Err(e) = read {
            tracing::warn!(error = %e, "view totals not read: each is read when needed");
            return;
        }
        totals.sort_unstable();
        totals.dedup_by_key(|(k, _)| *k);
        totals.shrink_to_fit();
        // No flush between the merge and the swap.
        let _one = self.flushing.lock().await;
        let tallies = self.lock();
        for (id, t) in tallies.iter() {
            if let Ok(i) = totals.binary_search_by_key(&key(id), |(k, _)| *k) {
                totals[i].1 = totals[i].1.max(t.stored);
            }
        }
        tracing::info!(articles = totals.len(), "view totals read");
        *self.totals.write().unwrap_or_else(|p| p.into_inner()) = totals;
        *self.mark.lock().unwrap_or_else(|p| p.into_inner()) = mark;
    }

    /// Takes in the totals other processes (replicas on one database) changed since the last look,
    /// so every process shows them within a flush or so. Returns how many were read.
    pub async fn catch_up(&self) -> Result<usize, crate::db::DbError> {
        let Some(mark) = *self.mark.lock().unwrap_or_else(|p| p.into_inner()) else {
            return Ok(0);
        };
        let (next, changed) = self.db.view_changes(Some(mark)).await?;
        self.raise(&changed);
        *self.mark.lock().unwrap_or_else(|p| p.into_inner()) = Some(next);
        Ok(changed.len())
    }

    /// Raises the stored totals known here (tallies and those read at start) to `totals`.
    fn raise(&self, totals: &[(String, i64)]) {
        if totals.is_empty() {
            return;
        }
        {
            let mut held = self.totals.write().unwrap_or_else(|p| p.into_inner());
            for (id, total) in totals {
                if let Ok(i) = held.binary_search_by_key(&key(id), |(k, _)| *k) {
                    held[i].1 = held[i].1.max(*total);
                }
            }
        }
        let mut tallies = self.lock();
        for (id, total) in totals {
            if let Some(t) = tallies.get_mut(id.as_str()) {
                t.stored = t.stored.max(*total);
            }
        }
    }

    fn preloaded(&self, id: &str) -> Option<i64> {
        let totals = self.totals.read().unwrap_or_else(|p| p.into_inner());
        let i = totals.binary_search_by_key(&key(id), |(k, _)| *k).ok()?;
        Some(totals[i].1)
    }

    /// The live count of an article, its stored total read from the database if neither a tally
    /// nor the totals read at start know it; `None` if there is no such article (or its count
    /// cannot be read now).
    pub async fn learn(&self, id: &str) -> Option<i64> {
        if let Some(n) = self.tally(id, false) {
            return Some(n);
        }
        match self.db.live_views(id).await {
            Ok(Some(stored)) => Some(self.observe(id, stored)),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, id, "view count unreadable");
                None
            }
        }
    }

    /// The live count of an article whose stored total was just read as `stored`.
    pub fn observe(&self, id: &str, stored: i64) -> i64 {
        let now = self.now();
        let mut tallies = self.lock();
        if !tallies.contains_key(id) && !self.room(&mut tallies) {
            return stored;
        }
        let t = tallies.entry(id.into()).or_default();
        t.stored = t.stored.max(stored);
        t.used = now;
        t.stored + t.pending
    }

    /// Whether a new tally fits, dropping the idle ones if there are [`MAX_TALLIES`].
    fn room(&self, tallies: &mut HashMap<Box<str>, Tally>) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        if tallies.len() < MAX_TALLIES {
            return true;
        }
        if self.crowded.load(Relaxed) {
            return false;
        }
        tallies.retain(|_, t| t.pending > 0);
        let room = tallies.len() < MAX_TALLIES * 9 / 10;
        self.crowded.store(!room, Relaxed);
        room
    }

    /// The live count of an article with a tally or a total read at start, with one view counted
    /// if `count`; `None` if its total is to be read from the database ([`Self::learn`]). One
    /// lock when it has a tally.
    pub fn tally(&self, id: &str, count: bool) -> Option<i64> {
        let now = self.now();
        if let Some(t) = self.lock().get_mut(id) {
            t.pending += i64::from(count);
            t.used = now;
            return Some(t.stored + t.pending);
        }
        let stored = self.preloaded(id)?;
        if !count {
            return Some(stored);
        }
        let mut tallies = self.lock();
        if !tallies.contains_key(id) && !self.room(&mut tallies) {
            self.refused
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Some(stored);
        }
        let t = tallies.entry(id.into()).or_default();
        t.stored = t.stored.max(stored);
        t.pending += 1;
        t.used = now;
        Some(t.stored + t.pending)
    }

    /// Articles whose tallies are held.
    pub fn held(&self) -> usize {
        self.lock().len()
    }

    /// Views counted and not yet written.
    pub fn pending(&self) -> i64 {
        self.lock().values().map(|t| t.pending).sum()
    }

    /// Writes the pending views in one transaction; on failure they stay pending for the next try.
    pub async fn flush(&self) -> Result<i64, crate::db::DbError> {
        let _one = self.flushing.lock().await;
        let now = self
            .flushes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        {
            // Tallies with nothing waiting go once the totals read at start know as much (raised by
            // every flush), else after a minute unused: those held are the articles read lately.
            let mut tallies = self.lock();
            let totals = self.totals.read().unwrap_or_else(|p| p.into_inner());
            tallies.retain(|id, t| {
                t.pending > 0
                    || (now.saturating_sub(t.used) < KEEP_FLUSHES
                        && totals
                            .binary_search_by_key(&key(id), |(k, _)| *k)
                            .map_or(true, |i| totals[i].1 < t.stored))
            });
            if tallies.capacity() > 4 * tallies.len().max(1024) {
                let len = tallies.len();
                tallies.shrink_to(len * 2);
            }
        }
        self.crowded
            .store(false, std::sync::atomic::Ordering::Relaxed);
        let refused = self.refused.swap(0, std::sync::atomic::Ordering::Relaxed);
        if refused > 0 {
            tracing::warn!(
                views = refused,
                tallies = MAX_TALLIES,
                "views not counted: too many articles waiting to be written"
            );
        }
        let batch: Vec<(String, i64)> = self
            .lock()
            .iter()
            .filter(|(_, t)| t.pending > 0)
            .map(|(id, t)| (id.to_string(), t.pending))
            .collect();
        if batch.is_empty() {
            return Ok(0);
        }
        let totals = self.db.add_views(&batch).await?;
        let mut tallies = self.lock();
        let mut held = self.totals.write().unwrap_or_else(|p| p.into_inner());
        let mut written = 0;
        for ((id, n), total) in batch.into_iter().zip(totals) {
            // Raised in the totals read at start; a tally then left with nothing waiting goes now
            // (those held are about the articles read in the last second, not the last two).
            let known = total.and_then(|total| {
                let i = held.binary_search_by_key(&key(&id), |(k, _)| *k).ok()?;
                held[i].1 = held[i].1.max(total);
                Some(held[i].1)
            });
            let Some(t) = tallies.get_mut(id.as_str()) else {
                continue;
            };
            t.pending -= n;
            match total {
                Some(total) => {
                    t.stored = t.stored.max(total);
                    written += n;
                    if t.pending == 0 && known.is_some_and(|k| k >= t.stored) {
                        tallies.remove(id.as_str());
                    }
                }
                // The article is gone: its views have nowhere to go.
                None => t.pending = t.pending.max(0),
            }
        }
        Ok(written)
    }

    /// Flushes every `every` until the process ends.
    pub fn spawn_flusher(self: Arc<Self>, every: Duration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.flush().await {
                    tracing::warn!(error = %e, "views not written yet, retrying");
                }
                if let Err(e) = self.catch_up().await {
                    tracing::warn!(error = %e, "other processes' view totals not read");
                }
            }
        });
    }

    /// The last flush at shutdown: retries for a while before giving up (and saying how many views
    /// are lost).
    pub async fn flush_at_exit(&self) {
        for attempt in 0..20 {
            match self.flush().await {
                Ok(n) => {
                    tracing::info!(views = n, "pending views written");
                    return;
                }
                Err(e) if attempt < 19 => {
                    tracing::warn!(error = %e, "views not written yet, retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => tracing::error!(error = %e, lost = self.pending(), "views not written"),
            }
        }
    }
}

/// The storage the app sees: the database for content, the counter for views.
pub struct CountedStore {
    pub db: Arc<dyn Database>,
    pub views: Arc<ViewCounter>,
    pub breaker: Breaker,
}

impl CountedStore {
    pub fn new(db: Arc<dyn Database>, views: Arc<ViewCounter>) -> Self {
        Self {
            db,
            views,
            breaker: Breaker::default(),
        }
    }
}

/// How long requests fail at once after the database was found unreachable.
const BREAK_FOR: Duration = Duration::from_secs(1);

/// Once a request finds the database unreachable, those in the next [`BREAK_FOR`] answer at once
/// (a 503) instead of each waiting out the pool's timeout; then one is let through to look again.
#[derive(Default)]
pub struct Breaker {
    open_until: Mutex<Option<std::time::Instant>>,
}

impl Breaker {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<std::time::Instant>> {
        self.open_until.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn call<T>(
        &self,
        f: impl std::future::Future<Output = Result<T, StorageError>>,
    ) -> Result<T, StorageError> {
        {
            let mut open = self.lock();
            if let Some(until) = *open {
                if std::time::Instant::now() < until {
                    return Err(StorageError::Unavailable(
                        "database unreachable a moment ago".into(),
                    ));
                }
                // This request looks again; the others wait for what it finds.
                *open = Some(std::time::Instant::now() + BREAK_FOR);
            }
        }
        let r = f.await;
        *self.lock() = match &r {
            Err(StorageError::Unavailable(_)) => Some(std::time::Instant::now() + BREAK_FOR),
            _ => None,
        };
        r
    }
}

#[async_trait::async_trait]
impl Storage for CountedStore {
    async fn site_name(&self) -> Result<String, StorageError> {
        self.breaker.call(self.db.site_name()).await
    }

    async fn home(&self, latest_per_channel: u32) -> Result<Home, StorageError> {
        self.breaker.call(self.db.home(latest_per_channel)).await
    }

    async fn channel_page(
        &self,
        slug: &str,
        query: PageQuery,
        limit: u32,
    ) -> Result<Option<ChannelPage>, StorageError> {
        self.breaker
            .call(self.db.channel_page(slug, query, limit))
            .await
    }

    async fn article(&self, id: &str) -> Result<Option<Article>, StorageError> {
        let mut article = self.breaker.call(self.db.article(id)).await?;
        if let Some(a) = &mut article {
            a.view_count = self.views.observe(&a.id, a.view_count);
        }
        Ok(article)
    }

    async fn record_view(&self, id: &str) -> Result<Option<i64>, StorageError> {
        Ok(self.views.record(id).await)
    }

    async fn live_views(&self, id: &str) -> Result<Option<i64>, StorageError> {
        Ok(self.views.learn(id).await)
    }

    async fn search(
        &self,
        key: &str,
        terms: &[String],
        after: Option<app::model::SearchCursor>,
        limit: u32,
    ) -> Result<app::model::SearchResults, StorageError> {
        self.breaker
            .call(self.db.search(key, terms, after, limit))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn counter(dir: &tempfile::TempDir) -> ViewCounter {
        let url = format!("sqlite://{}", dir.path().join("views.db").display());
        let db = crate::db::open::connect(&url).await.expect("database");
        db.migrate().await.expect("migrations");
        ViewCounter::new(db)
    }

    #[tokio::test]
    async fn written_tallies_go_when_the_totals_read_at_start_know_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let views = counter(&dir).await;
        let ids: Vec<String> = (0..50).map(|i| format!("a-{i}")).collect();
        let lines: String = ids
            .iter()
            .map(|id| {
                format!(
                    r#"{{"id": "{id}", "site": "梅州市人民政府", "channel": "工作动态", "department": "部门", "title": "标题", "source": "梅州日报", "published_at": "2022-05-12T09:50:54+08:00", "body_html": "<p>正文</p>"}}"#
                ) + "\n"
            })
            .collect();
        let articles = crate::import::parse(&lines).expect("articles");
        views.db.import(&articles, &|_| {}).await.expect("import");
        views.preload().await;
        for id in &ids {
            assert_eq!(views.tally(id, false), Some(0));
        }
        assert_eq!(views.held(), 0, "a read not counted holds nothing");
        for _ in 0..3 {
            for id in &ids {
                views.tally(id, true);
            }
        }
        assert_eq!(views.held(), 50);
        assert_eq!(views.flush().await.expect("flush"), 150);
        assert_eq!(
            views.held(),
            0,
            "written tallies go in the flush that wrote them"
        );
        assert_eq!(views.tally("a-7", false), Some(3));
        assert_eq!(views.tally("a-7", false), Some(3));
        assert_eq!(views.tally("a-7", true), Some(4));
        assert_eq!(views.tally("a-7", false), Some(4));
        // An article imported after the totals were read keeps its tally for a while.
        let late = crate::import::parse(&lines.lines().next().unwrap().replace("a-0", "late"))
            .expect("article");
        views.db.import(&late, &|_| {}).await.expect("import");
        assert_eq!(views.tally("late", true), None);
        assert_eq!(views.record("late").await, Some(1));
        views.tally("a-8", true);
        views.flush().await.expect("flush");
        assert_eq!(
            views.held(),
            1,
            "only the tally of the article imported since"
        );
        assert_eq!(views.tally("late", false), Some(1));
    }

    #[tokio::test]
    async fn tallies_stop_at_the_cap_idle_ones_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let views = counter(&dir).await;
        for i in 0..MAX_TALLIES {
            views.observe(&format!("idle-{i}"), 3);
        }
        assert_eq!(views.held(), MAX_TALLIES);
        assert_eq!(views.tally("idle-7", true), Some(4));
        // Full: the idle tallies make way for a new article's.
        assert_eq!(views.observe("new", 10), 10);
        assert_eq!(views.tally("new", true), Some(11));
        assert_eq!(views.held(), 2, "only the tallies with views waiting stay");

        // Full of tallies with views waiting: a new article is shown its stored total, not held.
        for i in 0..MAX_TALLIES {
            let id = format!("busy-{i}");
            views.observe(&id, 0);
            views.tally(&id, true);
        }
        assert_eq!(views.held(), MAX_TALLIES);
        assert_eq!(views.observe("late", 5), 5);
        assert_eq!(views.tally("late", true), None, "not counted past the cap");
        assert_eq!(views.held(), MAX_TALLIES);
        let waiting = views.pending();
        assert!(
            waiting >= MAX_TALLIES as i64 - 2,
            "views waiting kept: {waiting}"
        );

        // A flush writes (here: drops, as no such articles exist) what waits, and there is room again.
        views.flush().await.expect("flush");
        assert_eq!(views.pending(), 0);
        assert_eq!(views.observe("later", 1), 1);
        assert_eq!(views.tally("later", true), Some(2));
    }
}
