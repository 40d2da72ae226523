//! Rendered pages kept in memory, bounded by size, keyed by the path with its query and the
//! reader's variant, and (with a [`PageStore`]) on disk. An import drops the pages showing what it
//! touched; a glossary change drops them all. A page is stored with slots where what differs per response goes — the live view
//! count, the script nonce, the reader's font size and contrast (`<html>`'s attributes and the
//! buttons' pressed states) — so one copy serves every reader; the view is counted here.

use crate::respond::Coding;
use crate::security;
use crate::views::ViewCounter;
use app::address::{self, Parsed, Route};
use app::reader::Prefs;
use app::storage::CountedByServer;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use futures::future::{BoxFuture, Either, Ready, ready};
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tower::{Service, ServiceExt};

mod compressed;
mod fresh;
mod key;
mod page;
mod slot;
mod store;
use compressed::Template;
use fresh::Freshness;
use key::{Key, Spelled, shows};
use page::{
    Page, Weigh, body, br_template, content_type, default_br, default_lens, fits, gzip_template,
    is_html, lens, shown, split, values,
};
use slot::{Style, padded, style, style_number};
pub use slot::{count_slot, style_marker};
pub use store::{PageStore, Stamp};
#[doc(hidden)]
pub use store::{fuzz_read, fuzz_sample};

/// Says whether a page came from memory (`hit`) or was rendered for this request (`miss`).
const X_CACHE: header::HeaderName = header::HeaderName::from_static("x-cache");

/// Slots of [`PageCache::read_lately`] (8 bytes each, 128 KiB): a page read again before about
/// this many other pages were read from disk is kept. Measured when it came (README, long tail:
/// 10,000 articles × 4 variants, uniform): keeping every page read from disk 36,000–40,600 req/s,
/// keeping it on its second read 43,900–46,800. This size against 1,024 slots (`bench/compare.sh`,
/// 20,000 articles × 4 variants, brotli, 3 rounds, 2026-12-07), 16,384 first: uniform 31,518 and
/// 36,376 req/s (a stalled round on the first side), Zipf (s = 1) 33,429 and 34,541 req/s, p99 7.9
/// ms both. No measurable difference, so the larger window (128 KiB) stays.
const READ_SLOTS: usize = 16 << 10;

/// Largest page body kept (at most an eighth of the cache); bigger ones are served, not kept.
const MAX_PAGE: usize = 4 << 20;

pub struct PageCache {
    pages: quick_cache::sync::Cache<Key, Arc<Page>, Weigh>,
    /// The server functions' results, dropped with the pages.
    data: Arc<crate::data_cache::DataCache>,
    views: Arc<ViewCounter>,
    max_page: usize,
    /// The content the kept pages show, and the epoch a render must not see move.
    fresh: Freshness,
    hits: AtomicU64,
    misses: AtomicU64,
    /// Renders at once: more wait, so a flood of misses neither piles up memory nor slows hits.
    renders: tokio::sync::Semaphore,
    /// Pages on disk, behind the memory.
    store: Option<Arc<PageStore>>,
    disk_hits: AtomicU64,
    /// Hashes of the keys of pages read from disk lately, one per slot (see
    /// [`Self::read_lately`]).
    read: Box<[AtomicU64]>,
    /// Compressed copies made while a reader waited.
    compressions: AtomicU64,
}

impl PageCache {
    /// Pages in `max_bytes`, and the server functions' results in half as much again.
    pub fn new(max_bytes: u64, views: Arc<ViewCounter>) -> Self {
        Self {
            pages: quick_cache::sync::Cache::with_weighter(
                (max_bytes / 32_000).max(16) as usize,
                max_bytes,
                Weigh,
            ),
            data: Arc::new(crate::data_cache::DataCache::new(max_bytes / 2)),
            views,
            max_page: MAX_PAGE.min((max_bytes / 8) as usize),
            fresh: Freshness::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            renders: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get() * 2),
            ),
            store: None,
            disk_hits: AtomicU64::new(0),
            read: (0..READ_SLOTS).map(|_| AtomicU64::new(0)).collect(),
            compressions: AtomicU64::new(0),
        }
    }

    /// Keeps pages in `store` too: a page missing from memory is read from there, and a page
    /// rendered is written there (in the background).
    pub fn persisted(mut self, store: PageStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    pub fn page_store(&self) -> Option<&PageStore> {
        self.store.as_deref()
    }

    /// Drops every page if the content or the glossary changed since the last call.
    pub fn note_versions(&self, content: i64, glossary: u64) {
        self.fresh
            .note_versions(content, glossary, self.page_store(), &|t| {
                self.drop_pages(t)
            });
    }

    /// Drops the pages showing what changed since the last call (see [`Freshness::refresh`]).
    pub async fn refresh(&self, db: &dyn crate::db::Database, glossary: u64) {
        self.fresh
            .refresh(db, glossary, self.page_store(), &|t| self.drop_pages(t))
            .await;
    }

    /// Drops the pages showing what `touched` names, or every page, in memory and on disk.
    fn drop_pages(&self, touched: Option<&crate::db::Touched>) {
        match touched {
            Some(t) => {
                self.pages.retain(|k, _| !shows(k, t));
                self.data.drop_touched(t);
                if let Some(store) = &self.store {
                    store.drop_touched(t);
                }
            }
            None => {
                self.pages.clear();
                self.data.clear();
                if let Some(store) = &self.store {
                    store.clear();
                }
            }
        }
    }

    /// [`Self::refresh`] every second.
    pub fn spawn_watcher(
        self: Arc<Self>,
        db: Arc<dyn crate::db::Database>,
        glossary: impl Fn() -> u64 + Send + 'static,
    ) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                self.refresh(db.as_ref(), glossary()).await;
            }
        });
    }

    /// The server functions' results, kept with the pages.
    pub fn data(&self) -> Arc<crate::data_cache::DataCache> {
        self.data.clone()
    }

    /// (hits, misses) so far; a page read from disk counts as a hit.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Pages read from the page store so far.
    pub fn disk_hits(&self) -> u64 {
        self.disk_hits.load(Ordering::Relaxed)
    }

    /// Compressed copies made while a reader waited (not those read from the store).
    pub fn compressions(&self) -> u64 {
        self.compressions.load(Ordering::Relaxed)
    }

    /// Bytes held.
    pub fn weight(&self) -> u64 {
        self.pages.weight()
    }

    /// Pages held.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Whether `key`'s page was read from disk lately, noting this read. A page read from disk
    /// is kept in memory on its second read: in a long tail read once each, keeping every page
    /// read would only push out another.
    fn read_lately(&self, key: &Key) -> bool {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        let h = h.finish() | 1;
        let slot = &self.read[h as usize % self.read.len()];
        slot.swap(h, Ordering::Relaxed) == h
    }

    /// Keeps a page unless the stored pages were dropped while it was being rendered (it may
    /// hold what an import has replaced since).
    fn keep(&self, key: Key, page: Arc<Page>, epoch: u64) -> bool {
        self.fresh
            .if_current(epoch, || self.pages.insert(key, page))
    }
}

/// The cache in front of the app: a hit is answered before any routing; a miss is rendered by
/// the app and stored. Every HTML response leaves here with a fresh script nonce and its policy,
/// and every response with the headers of [`security::headers`].
#[derive(Clone)]
pub struct Cached<S> {
    cache: Arc<PageCache>,
    inner: S,
}

impl<S> Cached<S> {
    pub fn new(cache: Arc<PageCache>, inner: S) -> Self {
        Self { cache, inner }
    }
}

type Answer = Result<Response, Infallible>;

impl<S> Service<Request> for Cached<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Answer>, BoxFuture<'static, Answer>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let now = |res| Either::Left(ready(Ok(security::headers(res))));
        match self.cache.lookup(&req) {
            // A hit has its headers already.
            Lookup::Hit(res) => Either::Left(ready(Ok(res))),
            Lookup::Redirect(to) => now(crate::respond::moved_permanently(&to)),
            Lookup::Learn(page, read) => {
                let cache = self.cache.clone();
                Either::Right(
                    async move {
                        let style = style(Prefs::from_cookies(req.headers()));
                        let views = cache.counted(page.article.as_deref(), counts(&req)).await;
                        Ok(match read {
                            Some((key, epoch)) => {
                                cache.answer_read(key, &page, &req, style, views, epoch)
                            }
                            None => cache.answer_stored(&page, &req, style, views, "hit"),
                        })
                    }
                    .boxed(),
                )
            }
            Lookup::TooLong => now(StatusCode::URI_TOO_LONG.into_response()),
            Lookup::Pass => {
                let inner = self.inner.clone();
                let style = style(Prefs::from_cookies(req.headers()));
                Either::Right(
                    async move {
                        let Ok(res) = inner.oneshot(req).await;
                        Ok(security::headers(seal(res, style).await))
                    }
                    .boxed(),
                )
            }
            Lookup::Miss(key) => {
                let (cache, inner) = (self.cache.clone(), self.inner.clone());
                Either::Right(
                    async move { Ok(security::headers(cache.render(req, inner, key).await)) }
                        .boxed(),
                )
            }
        }
    }
}

enum Lookup {
    Hit(Response),
    /// A page whose article's count is to be read before answering; read from disk (for this key,
    /// at this epoch) or held in memory.
    Learn(Arc<Page>, Option<(Key, u64)>),
    Miss(Key),
    Redirect(String),
    TooLong,
    Pass,
}

/// Whether this request's view of an article is counted: a reader's GET.
fn counts(req: &Request) -> bool {
    req.method() == Method::GET && security::is_reader(req.headers().get(header::USER_AGENT))
}

impl PageCache {
    /// Answers from memory when it can; else says whether the rendered page may be stored.
    fn lookup(self: &Arc<Self>, req: &Request) -> Lookup {
        let uri = req.uri();
        let spelled = uri.path_and_query().map_or("/", |p| p.as_str());
        if spelled.len() > address::MAX_URI {
            return Lookup::TooLong;
        }
        let method = req.method();
        if method != Method::GET && method != Method::HEAD {
            return Lookup::Pass;
        }
        let mut prefs = Prefs::from_cookies(req.headers());
        let cookie = prefs.variant;
        // The variant a canonical query names; for any other spelling the lookup misses anyway.
        if let Some(v) = uri.query().and_then(app::query::variant) {
            prefs.variant = v;
        }
        let variant = prefs.variant;
        if let Some(page) = self.pages.get(&Spelled { spelled, variant }) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            let Some(views) = self.tally(&page, req) else {
                return Lookup::Learn(page, None);
            };
            return Lookup::Hit(self.answer_stored(&page, req, style(prefs), views, "hit"));
        }
        let address = match address::parse(uri.path(), uri.query()) {
            Parsed::Page(a) => a,
            Parsed::Redirect(to) => return Lookup::Redirect(to),
            Parsed::Other => return Lookup::Pass,
        };
        let variant = address.variant.unwrap_or(cookie);
        let key = Key::new(&address, variant);
        if let Some(store) = &self.store {
            // A short read of a local file, done in place: a thread hop would cost more.
            let epoch = self.fresh.epoch();
            let kept = self.read_lately(&key);
            let style = style(prefs);
            // A page read once goes after its response: for a reader taking brotli in the
            // default style that is its stored brotli copy, so its parts are left packed.
            let brief =
                !kept && style == Style::default() && Coding::of(req.headers()) == Coding::Br;
            if let Some(page) = store.load(&key, !brief) {
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.disk_hits.fetch_add(1, Ordering::Relaxed);
                let page = Arc::new(page);
                if kept && page.len() <= self.max_page {
                    self.keep(key.clone(), page.clone(), epoch);
                }
                let views = self.tally(&page, req);
                if !views.is_some_and(|v| fits(&page, v)) && !page.whole() {
                    // Its CRC held, so this is not a torn write; rendered again (the view may
                    // then be counted twice).
                    tracing::error!(path = %key.spelled, "stored page's parts unreadable");
                    store.forget(&key);
                    self.misses.fetch_add(1, Ordering::Relaxed);
                    return Lookup::Miss(key);
                }
                let Some(views) = views else {
                    return Lookup::Learn(page, Some((key, epoch)));
                };
                return Lookup::Hit(self.answer_read(key, &page, req, style, views, epoch));
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        Lookup::Miss(key)
    }

    /// A stored page for `req`, saying where it came from (`X-Cache`).
    fn answer_stored(
        &self,
        page: &Arc<Page>,
        req: &Request,
        style: Style,
        views: Option<i64>,
        from: &'static str,
    ) -> Response {
        let mut res = self.answer(
            page,
            style,
            views,
            req.headers().get(header::IF_NONE_MATCH),
            Coding::of(req.headers()),
        );
        res.headers_mut()
            .insert(X_CACHE, HeaderValue::from_static(from));
        res
    }

    /// The live count of the page's article, the view counted if `req` counts; `None` if its
    /// count is not held here (not read lately, or not rendered by this process): it is read
    /// before answering.
    fn tally(&self, page: &Page, req: &Request) -> Option<Option<i64>> {
        match page.article.as_deref() {
            Some(id) => self.views.tally(id, counts(req)).map(Some),
            None => Some(None),
        }
    }

    /// The live count of `article`, a view counted if `count`; its stored total is read first if
    /// nothing here knows it (a tally seen while rendering may have been written and let go since).
    async fn counted(&self, article: Option<&str>, count: bool) -> Option<i64> {
        let id = article?;
        if count {
            self.views.record(id).await
        } else {
            self.views.learn(id).await
        }
    }

    /// A page just read from the store for `req`. If its count has grown a digit since it was
    /// written, its brotli copy no longer fits and a new one was made for this response: the page
    /// is written again with it, so the next read finds a copy that fits.
    fn answer_read(
        self: &Arc<Self>,
        key: Key,
        page: &Arc<Page>,
        req: &Request,
        style: Style,
        views: Option<i64>,
        epoch: u64,
    ) -> Response {
        let read = default_lens(page);
        let res = self.answer_stored(page, req, style, views, "disk");
        let now = default_lens(page);
        if now.is_some() && now != read {
            self.persist(key, page.clone(), epoch);
        }
        res
    }

    /// Writes a page just rendered to the page store, off the request path (on the store's
    /// writer thread); not if the stored pages were dropped meanwhile.
    fn persist(self: &Arc<Self>, key: Key, page: Arc<Page>, epoch: u64) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let cache = self.clone();
        let writer = store.clone();
        writer.enqueue(Box::new(move || {
            let br = default_br(&page);
            match store.write(&key, &page, br.as_deref()) {
                Ok(tmp) => {
                    let placed = cache.fresh.if_current(epoch, || {
                        if let Err(e) = store.place(&tmp, &key) {
                            store.discard(&tmp);
                            tracing::warn!(error = %e, path = %key.spelled, "page not stored");
                        }
                    });
                    if !placed {
                        store.discard(&tmp);
                    }
                }
                Err(e) => tracing::warn!(error = %e, path = %key.spelled, "page not stored"),
            }
            store.end();
        }));
    }

    /// Renders through the app and stores the page when it came out whole, current and not too
    /// big. A HEAD is rendered as a GET (the stored page must have its body) and not counted. The
    /// page was rendered whole before its first byte anyway (async rendering), so collecting it
    /// costs no extra memory.
    async fn render<S>(self: &Arc<Self>, mut req: Request, inner: S, key: Key) -> Response
    where
        S: Service<Request, Response = Response, Error = Infallible>,
    {
        let count = counts(&req);
        let style = style(Prefs::from_cookies(req.headers()));
        req.extensions_mut().insert(CountedByServer(count_slot()));
        *req.method_mut() = Method::GET;
        let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
        let coding = Coding::of(req.headers());
        let path = req.uri().path().to_owned();
        let permit = self.renders.acquire().await;
        let epoch = self.fresh.epoch();
        let Ok(res) = inner.oneshot(req).await;
        if !is_html(&res) {
            return res;
        }
        let (head, body) = res.into_parts();
        let body = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, path, "page body failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        drop(permit);
        let article = match &key.address.route {
            Route::Article(id) => Some(id.clone()),
            _ => None,
        };
        let page = split(body, content_type(&head.headers));
        if head.status != StatusCode::OK {
            return fill(head, &page, style);
        }
        // Rendered without all it needs (say, with default interface text): sent, not kept.
        let degraded = head
            .headers
            .get(header::CACHE_CONTROL)
            .is_some_and(|v| v.as_bytes().starts_with(b"no-store"));
        let page = Arc::new(Page { article, ..page });
        let article = page.article.as_deref();
        let kept =
            !degraded && page.len() <= self.max_page && self.keep(key.clone(), page.clone(), epoch);
        if degraded {
            let views = self.counted(article, count).await;
            let mut res = self.answer(&page, style, views, None, Coding::Identity);
            res.headers_mut().remove(header::ETAG);
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return res;
        }
        let views = self.counted(article, count).await;
        let mut res = self.answer(&page, style, views, if_none_match.as_ref(), coding);
        res.headers_mut()
            .insert(X_CACHE, HeaderValue::from_static("miss"));
        // After the answer, so a brotli copy made for it is stored with the page.
        if kept {
            self.persist(key, page.clone(), epoch);
        }
        res
    }

    /// A stored page for this request: its live count `views`, a fresh nonce and the reader's
    /// style spliced in, compressed as the reader takes it, 304 when the reader's copy is
    /// current.
    fn answer(
        &self,
        page: &Arc<Page>,
        style: Style,
        views: Option<i64>,
        if_none_match: Option<&HeaderValue>,
        coding: Coding,
    ) -> Response {
        let views = shown(page, views);
        let lens = lens(page, views);
        let made = &self.compressions;
        let template = match coding {
            Coding::Identity => None,
            Coding::Gzip => gzip_template(page, style, &lens, made),
            Coding::Br => br_template(page, style, &lens, made)
                .or_else(|| gzip_template(page, style, &lens, made)),
        };
        let coding = template.as_ref().map_or(Coding::Identity, Template::coding);
        let mut etag = String::with_capacity(page.etag.len() + 28);
        etag.push_str(&page.etag);
        if page.slots.iter().any(|s| s.styled(style).is_some()) {
            etag.push('.');
            etag.push_str(itoa::Buffer::new().format(style_number(style)));
        }
        if let Some(n) = views {
            etag.push('-');
            etag.push_str(itoa::Buffer::new().format(n));
        }
        match coding {
            Coding::Identity => {}
            Coding::Gzip => etag.push_str("-gz"),
            Coding::Br => etag.push_str("-br"),
        }
        etag.push('"');
        let fresh = crate::respond::not_modified(if_none_match, &etag);
        let mut h = axum::http::HeaderMap::with_capacity(16);
        let body = if fresh {
            // No body, and no policy: the reader's copy keeps the one it came with.
            Body::empty()
        } else {
            let nonce = security::nonce();
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                security::page_policy(&nonce),
            );
            let mut digits = itoa::Buffer::new();
            let mut wide = [b' '; 20];
            let count = views.map_or(&[][..], |n| padded(digits.format(n), &mut wide));
            match template.and_then(|t| t.render(&values(page, count, nonce.as_bytes()))) {
                Some(chunks) => {
                    let name = if coding == Coding::Br { "br" } else { "gzip" };
                    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
                    Body::new(crate::chunks::Chunks::new(chunks))
                }
                None => body(page, style, views, &nonce),
            }
        };
        h.insert(header::CONTENT_TYPE, page.content_type.clone());
        h.insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Encoding"),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
        if let Ok(v) = HeaderValue::from_maybe_shared(Bytes::from(etag)) {
            h.insert(header::ETAG, v);
        }
        security::add_headers(&mut h, fresh);
        let mut res = Response::new(body);
        *res.headers_mut() = h;
        if fresh {
            *res.status_mut() = StatusCode::NOT_MODIFIED;
        }
        res
    }
}

/// An HTML response that is not kept (error pages, uncached renders) gets its nonce and the
/// reader's style too.
async fn seal(res: Response, style: Style) -> Response {
    if !is_html(&res) {
        return res;
    }
    let (head, body) = res.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => {
            let page = split(body, content_type(&head.headers));
            fill(head, &page, style)
        }
        Err(e) => {
            tracing::error!(error = %e, "page body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `page` under the status and headers the app gave it, in `style`, with a fresh nonce.
fn fill(mut head: axum::http::response::Parts, page: &Page, style: Style) -> Response {
    let nonce = security::nonce();
    head.headers.remove(header::CONTENT_LENGTH);
    head.headers.insert(
        header::CONTENT_SECURITY_POLICY,
        security::page_policy(&nonce),
    );
    Response::from_parts(head, body(page, style, None, &nonce))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count written into an article page is found when no tally is held (a flush lets a
    /// written one go, maybe between the render that made it and the answer): from the totals
    /// read at start, else from the database. Never an empty slot.
    #[tokio::test]
    async fn a_count_is_found_when_no_tally_is_held() {
        const ID: &str = "mz-fzyjzx-gzdt-20220512-01";
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("pages.db").display());
        let db = crate::db::open::connect(&url).await.expect("database");
        db.migrate().await.expect("migrations");
        let articles = crate::import::parse(&crate::demo::jsonl()).expect("demo");
        db.import(&articles, &|_| {}).await.expect("import");
        db.add_views(&[(ID.to_owned(), 41)]).await.expect("views");
        let views = Arc::new(ViewCounter::new(db.clone()));
        let cache = PageCache::new(1 << 20, views.clone());
        // Nothing read at start: from the database.
        assert_eq!(cache.counted(Some(ID), false).await, Some(41));
        assert_eq!(cache.counted(Some(ID), true).await, Some(42));
        // Read at start, written, known: the tally goes, the count stays.
        views.preload().await;
        views.flush().await.expect("flush");
        views.flush().await.expect("flush");
        assert_eq!(views.held(), 0);
        assert_eq!(cache.counted(Some(ID), false).await, Some(42));
        assert_eq!(cache.counted(Some(ID), true).await, Some(43));
        assert_eq!(cache.counted(Some("no-such-article"), true).await, None);
        assert_eq!(cache.counted(None, true).await, None);
        views.flush().await.expect("flush");
        assert_eq!(db.live_views(ID).await.expect("read"), Some(43));
    }
}
