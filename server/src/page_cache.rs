//! Rendered pages kept in memory, bounded by size, keyed by everything that changes their HTML: the
//! path with its query and the reader's preferences (variant, font size, contrast). Cleared when the
//! content version (bumped by every import) or the glossary changes. An article page is stored with
//! a slot where the live view count goes, so one copy serves every view; the view is counted here.

use crate::address::{self, Address, Parsed, Target};
use crate::security;
use crate::views::ViewCounter;
use app::reader::{Prefs, variant_in_query};
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

/// A page as a typed address and the preferences it was rendered with. It is found by the
/// address's canonical spelling, so a request spelled that way is answered without parsing; any
/// other spelling misses, is parsed, and is redirected to this one.
#[derive(Clone)]
struct Key {
    address: Address<Box<str>>,
    /// `address` written canonically (path and query): what the hash is taken of.
    spelled: Box<str>,
    prefs: Prefs,
}

impl Key {
    fn new(address: &Address<&str>, path: &str, prefs: Prefs) -> Self {
        let spelled = match address::canonical_query(address) {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        };
        Key {
            address: address.to_owned(),
            spelled: spelled.into(),
            prefs,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.address == other.address && self.prefs == other.prefs
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // `spelled` is a function of `address`, so equal keys hash equally.
        self.spelled.hash(h);
        self.prefs.hash(h);
    }
}

/// A request's path and query as sent, for lookups: equal to a [`Key`] only when spelled
/// canonically. Hashes as [`Key`] does.
#[derive(Hash)]
struct Spelled<'a> {
    spelled: &'a str,
    prefs: Prefs,
}

impl quick_cache::Equivalent<Key> for Spelled<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        *self.spelled == *key.spelled && self.prefs == key.prefs
    }
}

/// What is written between two stored parts of a page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    /// The article's live view count.
    Count,
    /// This response's script nonce.
    Nonce,
}

struct Page {
    /// The HTML split at the slots.
    parts: Vec<Bytes>,
    /// `slots[i]` goes between `parts[i]` and `parts[i + 1]`.
    slots: Vec<Slot>,
    content_type: HeaderValue,
    /// The ETag's first part (the parts' hash), opening quote included.
    etag: Box<str>,
    /// The article shown, whose views this page counts.
    article: Option<Box<str>>,
    /// The page deflated once around its values, for readers whose browsers take gzip; made on
    /// the first such response, again when the count grows a digit.
    gzip: std::sync::Mutex<Option<Arc<crate::gzip::Template>>>,
}

impl Page {
    fn len(&self) -> usize {
        self.parts.iter().map(Bytes::len).sum()
    }

    fn weight(&self) -> usize {
        // The deflated copy, made later, is about a third of the page.
        self.len() + self.len() / 3
    }
}

#[derive(Clone)]
struct Weigh;

impl quick_cache::Weighter<Key, Arc<Page>> for Weigh {
    fn weight(&self, _: &Key, page: &Arc<Page>) -> u64 {
        (page.weight() + 256) as u64
    }
}

pub struct PageCache {
    pages: quick_cache::sync::Cache<Key, Arc<Page>, Weigh>,
    views: Arc<ViewCounter>,
    max_page: usize,
    /// (content version, glossary generation) the stored pages were rendered at.
    seen: std::sync::Mutex<Option<(i64, u64)>>,
    /// Moves whenever the stored pages are dropped; a render that saw it move is not kept.
    epoch: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
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
            epoch: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock_seen(&self) -> std::sync::MutexGuard<'_, Option<(i64, u64)>> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Drops every page if the content or the glossary changed since the last call.
    pub fn note_versions(&self, content: i64, glossary: u64) {
        let mut seen = self.lock_seen();
        if *seen != Some((content, glossary)) {
            if seen.is_some() {
                tracing::info!(content, glossary, "content changed: rendered pages dropped");
            }
            self.epoch.fetch_add(1, Ordering::AcqRel);
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

    /// Pages held.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Keeps a page unless the stored pages were dropped while it was being rendered (it may
    /// hold what an import has replaced since).
    fn store(&self, key: Key, page: Arc<Page>, epoch: u64) -> bool {
        let _seen = self.lock_seen();
        let current = self.epoch.load(Ordering::Acquire) == epoch;
        if current {
            self.pages.insert(key, page);
        }
        current
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
            Lookup::Redirect(to) => now(redirect(&to)),
            Lookup::TooLong => now(StatusCode::URI_TOO_LONG.into_response()),
            Lookup::Pass => {
                let inner = self.inner.clone();
                Either::Right(
                    async move {
                        let Ok(res) = inner.oneshot(req).await;
                        Ok(security::headers(seal(res).await))
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
    fn lookup(&self, req: &Request) -> Lookup {
        let uri = req.uri();
        let spelled = uri.path_and_query().map_or("/", |p| p.as_str());
        if spelled.len() > address::MAX_URI {
            return Lookup::TooLong;
        }
        let method = req.method();
        if method != Method::GET && method != Method::HEAD {
            return Lookup::Pass;
        }
        let cookie = Prefs::from_cookies(req.headers());
        let mut prefs = cookie;
        // The variant a canonical query names; for any other spelling the lookup misses anyway.
        if let Some(v) = uri.query().and_then(variant_in_query) {
            prefs.variant = v;
        }
        if let Some(page) = self.pages.get(&Spelled { spelled, prefs }) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Lookup::Hit(self.answer(
                &page,
                page.article.as_deref(),
                counts(req),
                req.headers().get(header::IF_NONE_MATCH),
                takes_gzip(req.headers()),
            ));
        }
        let address = match address::parse(uri.path(), uri.query()) {
            Parsed::Page(a) => a,
            Parsed::Redirect(to) => return Lookup::Redirect(to),
            Parsed::Other => return Lookup::Pass,
        };
        let mut prefs = cookie;
        if let Some(v) = address.variant {
            prefs.variant = v;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        Lookup::Miss(Key::new(&address, uri.path(), prefs))
    }

    /// Renders through the app and stores the page when it came out whole, current and not too
    /// big. A HEAD is rendered as a GET (the stored page must have its body) and not counted. The
    /// page was rendered whole before its first byte anyway (async rendering), so collecting it
    /// costs no extra memory.
    async fn render<S>(&self, mut req: Request, inner: S, key: Key) -> Response
    where
        S: Service<Request, Response = Response, Error = Infallible>,
    {
        let count = counts(&req);
        req.extensions_mut().insert(CountedByServer);
        *req.method_mut() = Method::GET;
        let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
        let gzip = takes_gzip(req.headers());
        let path = req.uri().path().to_owned();
        let epoch = self.epoch.load(Ordering::Acquire);
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
        let article = match &key.address.target {
            Target::Article(id) => Some(id.clone()),
            _ => None,
        };
        let page = split(body, content_type(&head.headers));
        if head.status != StatusCode::OK {
            return fill(head, &page);
        }
        // Rendered without all it needs (say, with default interface text): sent, not kept.
        let degraded = head
            .headers
            .get(header::CACHE_CONTROL)
            .is_some_and(|v| v.as_bytes().starts_with(b"no-store"));
        let page = Arc::new(Page { article, ..page });
        let article = page.article.as_deref();
        if !degraded && page.len() <= self.max_page {
            self.store(key, page.clone(), epoch);
        }
        if degraded {
            let mut res = self.answer(&page, article, count, None, false);
            res.headers_mut().remove(header::ETAG);
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return res;
        }
        self.answer(&page, article, count, if_none_match.as_ref(), gzip)
    }

    /// A stored page for this request: the view counted, its live count and a fresh nonce
    /// spliced in, gzip-compressed when the reader takes it, 304 when the reader's copy is current.
    fn answer(
        &self,
        page: &Page,
        article: Option<&str>,
        count: bool,
        if_none_match: Option<&HeaderValue>,
        gzip: bool,
    ) -> Response {
        let views = match article {
            Some(id) if count => self.views.hit(id),
            Some(id) => self.views.live(id),
            None => None,
        };
        let template = if gzip {
            gzip_template(page, views)
        } else {
            None
        };
        let gzip = template.is_some();
        let mut etag = String::with_capacity(page.etag.len() + 24);
        etag.push_str(&page.etag);
        if let Some(n) = views {
            etag.push('-');
            etag.push_str(itoa::Buffer::new().format(n));
        }
        if gzip {
            etag.push_str("-gz");
        }
        etag.push('"');
        let fresh = if_none_match
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == etag)
            });
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
            let count = views.map_or("", |n| digits.format(n));
            match template.and_then(|t| t.render(&values(page, count, &nonce))) {
                Some(chunks) => {
                    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                    Body::new(Chunks::new(chunks.into()))
                }
                None => body(page, views, &nonce),
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

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

fn content_type(headers: &axum::http::HeaderMap) -> HeaderValue {
    headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"))
}

/// An HTML response that is not kept (error pages, uncached renders) gets its nonce too.
async fn seal(res: Response) -> Response {
    if !is_html(&res) {
        return res;
    }
    let (head, body) = res.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => {
            let page = split(body, content_type(&head.headers));
            fill(head, &page)
        }
        Err(e) => {
            tracing::error!(error = %e, "page body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `page` under the status and headers the app gave it, with a fresh nonce.
fn fill(mut head: axum::http::response::Parts, page: &Page) -> Response {
    let nonce = security::nonce();
    head.headers.remove(header::CONTENT_LENGTH);
    head.headers.insert(
        header::CONTENT_SECURITY_POLICY,
        security::page_policy(&nonce),
    );
    Response::from_parts(head, body(page, None, &nonce))
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

fn split(body: Bytes, content_type: HeaderValue) -> Page {
    let count = VIEW_COUNT_SLOT.to_string();
    let needles = [
        (count.as_bytes(), Slot::Count),
        (security::nonce_slot().as_bytes(), Slot::Nonce),
    ];
    let finders: Vec<_> = needles
        .iter()
        .map(|(n, slot)| (memchr::memmem::Finder::new(n), n.len(), *slot))
        .collect();
    let mut parts = Vec::new();
    let mut slots = Vec::new();
    let mut from = 0;
    loop {
        let next = finders
            .iter()
            .filter_map(|(f, len, slot)| f.find(&body[from..]).map(|at| (from + at, *len, *slot)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, len, slot)) = next else {
            break;
        };
        parts.push(body.slice(from..at));
        slots.push(slot);
        from = at + len;
    }
    parts.push(body.slice(from..));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in &parts {
        p.hash(&mut h);
    }
    Page {
        parts,
        slots,
        content_type,
        etag: format!("\"{:016x}", h.finish()).into(),
        article: None,
        gzip: std::sync::Mutex::new(None),
    }
}

/// Whether the request takes gzip (`Accept-Encoding`, `q=0` refusing it).
fn takes_gzip(headers: &axum::http::HeaderMap) -> bool {
    crate::assets::accepts(headers, "gzip")
}

/// What goes between the parts: the count's digits and the nonce.
fn values<'a>(page: &Page, count: &'a str, nonce: &'a str) -> Vec<&'a [u8]> {
    page.slots
        .iter()
        .map(|s| match s {
            Slot::Count => count.as_bytes(),
            Slot::Nonce => nonce.as_bytes(),
        })
        .collect()
}

/// The page's deflated copy for a count of `views` (and a nonce's length), made now if it has
/// none for values of these lengths. `None` if it cannot be made.
fn gzip_template(page: &Page, views: Option<i64>) -> Option<Arc<crate::gzip::Template>> {
    let digits = views.map_or(0, |n| itoa::Buffer::new().format(n).len());
    let nonce = security::NONCE_LEN;
    let lens: Vec<usize> = page
        .slots
        .iter()
        .map(|s| match s {
            Slot::Count => digits,
            Slot::Nonce => nonce,
        })
        .collect();
    let mut slot = page.gzip.lock().unwrap_or_else(|p| p.into_inner());
    match slot.as_ref() {
        Some(t) if t.fits(&lens) => Some(t.clone()),
        _ => {
            let t = Arc::new(crate::gzip::Template::new(&page.parts, &lens, 6)?);
            *slot = Some(t.clone());
            Some(t)
        }
    }
}

/// Parts at least this long go out as stored; shorter ones are copied together with the slots
/// around them, so a response is a few large chunks (each chunk costs the HTTP writer more than
/// copying a few hundred bytes does).
const SHARE_FROM: usize = 2048;

/// The stored parts with the count and nonce between them: large parts are sent as they are,
/// without copying, short runs in one new chunk.
fn body(page: &Page, views: Option<i64>, nonce: &str) -> Body {
    let mut count = itoa::Buffer::new();
    let count = views.map_or("", |n| count.format(n));
    let mut chunks = std::collections::VecDeque::with_capacity(8);
    let mut run = bytes::BytesMut::with_capacity(SHARE_FROM * 2);
    for (i, part) in page.parts.iter().enumerate() {
        if i > 0 {
            run.extend_from_slice(match page.slots[i - 1] {
                Slot::Count => count.as_bytes(),
                Slot::Nonce => nonce.as_bytes(),
            });
        }
        if part.len() >= SHARE_FROM {
            if !run.is_empty() {
                chunks.push_back(run.split().freeze());
            }
            chunks.push_back(part.clone());
        } else {
            run.extend_from_slice(part);
        }
    }
    if !run.is_empty() {
        chunks.push_back(run.freeze());
    }
    Body::new(Chunks::new(chunks))
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
