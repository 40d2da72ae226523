//! Rendered pages kept in memory, bounded by size, keyed by everything that changes their HTML: the
//! path with its query and the reader's preferences (variant, font size, contrast). Cleared when the
//! content version (bumped by every import) or the glossary changes. An article page is stored with
//! a slot where the live view count goes, so one copy serves every view; the view is counted here.

use crate::views::ViewCounter;
use app::reader::Prefs;
use app::storage::{CountedByServer, VIEW_COUNT_SLOT};
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

/// Largest page body kept (at most an eighth of the cache); bigger ones are served, not kept.
const MAX_PAGE: usize = 4 << 20;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: Box<str>,
    prefs: Prefs,
}

/// A [`Key`] borrowed from the request, for lookups without allocating.
#[derive(Hash)]
struct KeyRef<'a> {
    path_and_query: &'a str,
    prefs: Prefs,
}

impl quick_cache::Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        *self.path_and_query == *key.path_and_query && self.prefs == key.prefs
    }
}

struct Page {
    /// The HTML split at the view-count slots (one part for pages without a count).
    parts: Vec<Bytes>,
    content_type: HeaderValue,
    /// Hash of the parts, for the ETag.
    hash: u64,
}

impl Page {
    fn len(&self) -> usize {
        self.parts.iter().map(Bytes::len).sum()
    }
}

#[derive(Clone)]
struct Weigh;

impl quick_cache::Weighter<Key, Arc<Page>> for Weigh {
    fn weight(&self, key: &Key, page: &Arc<Page>) -> u64 {
        (key.path_and_query.len() + page.len() + 128) as u64
    }
}

pub struct PageCache {
    pages: quick_cache::sync::Cache<Key, Arc<Page>, Weigh>,
    views: Arc<ViewCounter>,
    max_page: usize,
    /// (content version, glossary generation) the stored pages were rendered at.
    seen: std::sync::Mutex<Option<(i64, u64)>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// What a request asks for, if it is a page this cache can hold.
enum Cacheable<'a> {
    Article(&'a str),
    Other,
}

fn cacheable<'a>(path: &'a str, query: Option<&str>) -> Option<Cacheable<'a>> {
    let known = |q: &str| {
        q.split('&').all(|pair| {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            matches!(name, "variant" | "after" | "before")
        })
    };
    if !query.is_none_or(known) {
        return None;
    }
    if path == "/" {
        return Some(Cacheable::Other);
    }
    if let Some(id) = path.strip_prefix("/articles/") {
        return app::model::is_valid_article_id(id).then_some(Cacheable::Article(id));
    }
    let slug = path.strip_prefix("/channels/")?;
    app::model::is_valid_slug(slug).then_some(Cacheable::Other)
}

impl PageCache {
    pub fn new(max_bytes: u64, views: Arc<ViewCounter>) -> Self {
        Self {
            pages: quick_cache::sync::Cache::with_weighter(
                (max_bytes / 32_000).max(16) as usize,
                max_bytes,
                Weigh,
            ),
            views,
            max_page: MAX_PAGE.min((max_bytes / 8) as usize),
            seen: std::sync::Mutex::new(None),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Drops every page if the content or the glossary changed since the last call.
    pub fn note_versions(&self, content: i64, glossary: u64) {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if *seen != Some((content, glossary)) {
            if seen.is_some() {
                tracing::info!(content, glossary, "content changed: rendered pages dropped");
            }
            self.pages.clear();
            *seen = Some((content, glossary));
        }
    }

    /// Drops every page if the content version or the glossary moved.
    pub async fn refresh(&self, db: &dyn crate::db::Database, glossary: u64) {
        match db.content_version().await {
            Ok(v) => self.note_versions(v, glossary),
            Err(e) => tracing::warn!(error = %e, "content version unreadable"),
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

    /// (hits, misses) so far.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Bytes held.
    pub fn weight(&self) -> u64 {
        self.pages.weight()
    }
}

/// The cache in front of the app: a hit is answered before any routing; a miss is rendered by
/// the app and stored.
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
        match self.cache.lookup(&req) {
            Lookup::Hit(res) => Either::Left(ready(Ok(res))),
            Lookup::Pass => Either::Right(self.inner.clone().oneshot(req).boxed()),
            Lookup::Miss(key) => {
                let (cache, inner) = (self.cache.clone(), self.inner.clone());
                Either::Right(async move { Ok(cache.render(req, inner, key).await) }.boxed())
            }
        }
    }
}

enum Lookup {
    Hit(Response),
    Miss(Key),
    Pass,
}

impl PageCache {
    /// Answers from memory when it can; else says whether the rendered page may be stored.
    fn lookup(&self, req: &Request) -> Lookup {
        let method = req.method();
        if method != Method::GET && method != Method::HEAD {
            return Lookup::Pass;
        }
        let uri = req.uri();
        let Some(what) = cacheable(uri.path(), uri.query()) else {
            return Lookup::Pass;
        };
        let key = KeyRef {
            path_and_query: uri.path_and_query().map_or("/", |p| p.as_str()),
            prefs: Prefs::from_request(req.headers(), uri.query()),
        };
        let Some(page) = self.pages.get(&key) else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return Lookup::Miss(Key {
                path_and_query: key.path_and_query.into(),
                prefs: key.prefs,
            });
        };
        self.hits.fetch_add(1, Ordering::Relaxed);
        let get = method == Method::GET;
        Lookup::Hit(self.answer(&page, what, get, req.headers().get(header::IF_NONE_MATCH)))
    }

    /// Renders through the app and stores the page when it came out whole and not too big. The
    /// page was rendered whole before its first byte anyway (async rendering), so collecting it
    /// costs no extra memory.
    async fn render<S>(&self, mut req: Request, inner: S, key: Key) -> Response
    where
        S: Service<Request, Response = Response, Error = Infallible>,
    {
        req.extensions_mut().insert(CountedByServer);
        let uri = req.uri().clone();
        let get = req.method() == Method::GET;
        let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
        let Ok(res) = inner.oneshot(req).await;
        if res.status() != StatusCode::OK {
            return res;
        }
        let (head, body) = res.into_parts();
        let body = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, path = uri.path(), "page body failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        let content_type = head
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
        let page = Arc::new(split(body, content_type));
        if page.len() <= self.max_page {
            self.pages.insert(key, page.clone());
        }
        match cacheable(uri.path(), uri.query()) {
            Some(what) => self.answer(&page, what, get, if_none_match.as_ref()),
            None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }

    /// A stored page for this request: the view counted, its live count spliced in, 304 when
    /// the reader's copy is current.
    fn answer(
        &self,
        page: &Page,
        what: Cacheable<'_>,
        get: bool,
        if_none_match: Option<&HeaderValue>,
    ) -> Response {
        let count = match what {
            Cacheable::Article(id) if get => self.views.hit(id),
            Cacheable::Article(id) => self.views.live(id),
            Cacheable::Other => None,
        };
        let etag = match count {
            Some(n) => format!("\"{:016x}-{n}\"", page.hash),
            None => format!("\"{:016x}\"", page.hash),
        };
        let fresh = if_none_match
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == etag)
            });
        respond(page, count, etag, fresh)
    }
}
fn split(body: Bytes, content_type: HeaderValue) -> Page {
    let slot = VIEW_COUNT_SLOT.to_string();
    let mut parts = Vec::new();
    let mut rest = 0;
    let hay = &body[..];
    let mut from = 0;
    while let Some(at) = find(&hay[from..], slot.as_bytes()) {
        let start = from + at;
        parts.push(body.slice(rest..start));
        rest = start + slot.len();
        from = rest;
    }
    parts.push(body.slice(rest..));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in &parts {
        p.hash(&mut h);
    }
    Page {
        parts,
        content_type,
        hash: h.finish(),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn respond(page: &Page, count: Option<i64>, etag: String, not_modified: bool) -> Response {
    let mut res = if not_modified {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        res
    } else {
        // The stored parts go out as they are, the count between them: nothing is copied.
        let count = Bytes::from(count.map(|n| n.to_string()).unwrap_or_default());
        let mut chunks = std::collections::VecDeque::with_capacity(page.parts.len() * 2);
        for (i, part) in page.parts.iter().enumerate() {
            if i > 0 {
                chunks.push_back(count.clone());
            }
            chunks.push_back(part.clone());
        }
        Response::new(Body::new(Chunks::new(chunks)))
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, page.content_type.clone());
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    if let Ok(v) = HeaderValue::from_maybe_shared(Bytes::from(etag)) {
        h.insert(header::ETAG, v);
    }
    res
}

/// A body of ready chunks with an exact length (so it is sent with `Content-Length`).
struct Chunks {
    chunks: std::collections::VecDeque<Bytes>,
    remaining: u64,
}

impl Chunks {
    fn new(chunks: std::collections::VecDeque<Bytes>) -> Self {
        let remaining = chunks.iter().map(|c| c.len() as u64).sum();
        Self { chunks, remaining }
    }
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.chunks.pop_front();
        if let Some(chunk) = &next {
            self.remaining -= chunk.len() as u64;
        }
        std::task::Poll::Ready(next.map(|c| Ok(http_body::Frame::data(c))))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}
