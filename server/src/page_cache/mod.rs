//! Rendered pages kept in memory, bounded by size, keyed by the path with its query and the
//! reader's variant, and (with a [`PageStore`]) on disk. An import drops the pages showing what it
//! touched; a glossary change drops them all. A page is stored with slots where what differs per response goes — the live view
//! count, the script nonce, the reader's font size and contrast (`<html>`'s attributes and the
//! buttons' pressed states) — so one copy serves every reader; the view is counted here.

use crate::address::{self, Address, Parsed, Target};
use crate::respond::Coding;
use crate::security;
use crate::views::ViewCounter;
use app::reader::{Contrast, FontSize, Prefs};
use app::storage::CountedByServer;
use app::variant::Variant;
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

mod store;
pub use store::{PageStore, Stamp};
#[doc(hidden)]
pub use store::{fuzz_read, fuzz_sample};

/// Says whether a page came from memory (`hit`) or was rendered for this request (`miss`).
const X_CACHE: header::HeaderName = header::HeaderName::from_static("x-cache");

/// Slots of [`PageCache::read_lately`] (8 bytes each): a page read again before about this many
/// other pages were read from disk is kept.
const READ_SLOTS: usize = 16 << 10;

/// Largest page body kept (at most an eighth of the cache); bigger ones are served, not kept.
const MAX_PAGE: usize = 4 << 20;

/// A page as a typed address and the variant it was rendered in. It is found by the
/// address's canonical spelling, so a request spelled that way is answered without parsing; any
/// other spelling misses, is parsed, and is redirected to this one.
#[derive(Clone)]
struct Key {
    address: Address<Box<str>>,
    /// `address` written canonically (path and query): what the hash is taken of.
    spelled: Box<str>,
    variant: Variant,
}

impl Key {
    fn new(address: &Address<&str>, path: &str, variant: Variant) -> Self {
        let spelled = match address::canonical_query(address) {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        };
        Key {
            address: address.to_owned(),
            spelled: spelled.into(),
            variant,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.address == other.address && self.variant == other.variant
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // `spelled` is a function of `address`, so equal keys hash equally.
        self.spelled.hash(h);
        self.variant.hash(h);
    }
}

/// A request's path and query as sent, for lookups: equal to a [`Key`] only when spelled
/// canonically. Hashes as [`Key`] does.
#[derive(Hash)]
struct Spelled<'a> {
    spelled: &'a str,
    variant: Variant,
}

impl quick_cache::Equivalent<Key> for Spelled<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        *self.spelled == *key.spelled && self.variant == key.variant
    }
}

/// What is written between two stored parts of a page.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Slot {
    /// The article's live view count.
    Count,
    /// This response's script nonce.
    Nonce,
    /// `<html data-font-size>`'s value.
    FontSize,
    /// `<html data-contrast>`'s value.
    Contrast,
    /// A font size button's `aria-pressed` (`true` or `false`).
    FontPressed(FontSize),
    /// A contrast button's `aria-pressed`.
    ContrastPressed(Contrast),
}

impl Slot {
    /// What a reader with `style` sees here (the count and nonce are not the style's).
    fn styled(self, style: Style) -> Option<&'static str> {
        let pressed = |on: bool| if on { "true" } else { "false" };
        match self {
            Slot::Count | Slot::Nonce => None,
            Slot::FontSize => Some(style.0.as_str()),
            Slot::Contrast => Some(style.1.as_str()),
            Slot::FontPressed(f) => Some(pressed(f == style.0)),
            Slot::ContrastPressed(c) => Some(pressed(c == style.1)),
        }
    }
}

/// The reader's font size and contrast: what a stored page is styled with per response.
type Style = (FontSize, Contrast);

fn style(prefs: Prefs) -> Style {
    (prefs.font_size, prefs.contrast)
}

struct Page {
    /// The HTML split at the slots (empty while `packed`).
    parts: Vec<Bytes>,
    /// A page read from disk for one brotli response, which its stored brotli copy serves: its
    /// parts as stored, decoded only if that response needs them after all.
    packed: Option<Packed>,
    /// `slots[i]` goes between `parts[i]` and `parts[i + 1]`.
    slots: Vec<Slot>,
    content_type: HeaderValue,
    /// The ETag's first part (the parts' hash), opening quote included.
    etag: Box<str>,
    /// The article shown, whose views this page counts.
    article: Option<Box<str>>,
    /// The page compressed once around its values, per coding; made on the first response in
    /// that coding, again when the count grows a digit.
    compressed: std::sync::Mutex<Compressed>,
}

/// Compressed copies, per coding, for at most [`STYLES_KEPT`] styles each (most readers keep the
/// default one).
#[derive(Default)]
struct Compressed {
    gzip: Vec<Made<crate::gzip::Template>>,
    br: Vec<Made<crate::br::Template>>,
}

const STYLES_KEPT: usize = 2;

/// A template for one style and count and nonce values of `lens`, or `None` where none could be
/// made (tried once per style and lengths).
struct Made<T> {
    style: Style,
    lens: Vec<usize>,
    template: Option<Arc<T>>,
    /// Responses sent with it.
    served: u32,
}

/// A page's parts as the page store keeps them: one LZ4 block.
struct Packed {
    block: Bytes,
    lens: Vec<usize>,
    parts: std::sync::OnceLock<Option<Vec<Bytes>>>,
}

impl Packed {
    /// The parts, decoded on first use; `None` if the block does not decode.
    fn parts(&self) -> Option<&[Bytes]> {
        self.parts
            .get_or_init(|| store::unpack(&self.block, &self.lens))
            .as_deref()
    }
}

impl Page {
    /// The HTML split at the slots (empty if its packed parts do not decode: see
    /// [`Self::whole`]).
    fn parts(&self) -> &[Bytes] {
        match &self.packed {
            None => &self.parts,
            Some(p) => p.parts().unwrap_or_default(),
        }
    }

    /// Whether the page's parts are at hand, decoding them if they are packed.
    fn whole(&self) -> bool {
        self.packed.as_ref().is_none_or(|p| p.parts().is_some())
    }

    fn len(&self) -> usize {
        match &self.packed {
            None => self.parts.iter().map(Bytes::len).sum(),
            Some(p) => p.lens.iter().sum(),
        }
    }

    fn weight(&self) -> usize {
        // The compressed copies, made later, are about a third and a quarter of the page.
        self.len() + self.len() / 3 + self.len() / 4
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
    /// The server functions' results, dropped with the pages.
    data: Arc<crate::data_cache::DataCache>,
    views: Arc<ViewCounter>,
    max_page: usize,
    /// (content version, glossary generation) the stored pages were rendered at.
    seen: std::sync::Mutex<Option<(i64, u64)>>,
    /// Moves whenever the stored pages are dropped; a render that saw it move is not kept.
    epoch: AtomicU64,
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
            seen: std::sync::Mutex::new(None),
            epoch: AtomicU64::new(0),
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
            self.data.clear();
            if let Some(store) = &self.store {
                store.clear();
                store.set_stamp(glossary, content);
            }
            *seen = Some((content, glossary));
        }
    }

    /// Drops the pages showing what changed since the last call: those an import touched (the
    /// record of changes says which), every page when the glossary changed or the record does
    /// not reach back.
    pub async fn refresh(&self, db: &dyn crate::db::Database, glossary: u64) {
        if let Some(store) = &self.store {
            if store.instance().is_none() {
                match db.instance().await {
                    Ok(id) => store.set_instance(id),
                    Err(e) => return tracing::warn!(error = %e, "database identity unreadable"),
                }
            }
            let mut seen = self.lock_seen();
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
        let current = self.catch_up(db, glossary).await;
        if let Some(store) = self.store.as_ref().filter(|_| current) {
            store.set_ready();
        }
    }

    /// Brings the pages up to the database; whether that was done (or there was nothing to do).
    async fn catch_up(&self, db: &dyn crate::db::Database, glossary: u64) -> bool {
        let seen = *self.lock_seen();
        let Some((content, seen_glossary)) = seen.filter(|s| s.1 == glossary) else {
            return match db.content_version().await {
                Ok(v) => {
                    self.note_versions(v, glossary);
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
        let mut guard = self.lock_seen();
        if *guard != Some((content, seen_glossary)) {
            // Moved meanwhile (another refresh): the next tick looks again.
            return false;
        }
        self.epoch.fetch_add(1, Ordering::AcqRel);
        match touched {
            Some(t) => {
                let before = self.pages.len();
                self.pages.retain(|k, _| !shows(k, &t));
                self.data.drop_touched(&t);
                if let Some(store) = &self.store {
                    store.drop_touched(&t);
                }
                let dropped = before.saturating_sub(self.pages.len());
                tracing::info!(
                    content = now,
                    articles = t.articles.len(),
                    channels = t.channels.len(),
                    dropped,
                    "content changed: pages showing it dropped"
                );
            }
            None => {
                self.pages.clear();
                self.data.clear();
                if let Some(store) = &self.store {
                    store.clear();
                }
                tracing::info!(content = now, "content changed: rendered pages dropped");
            }
        }
        if let Some(store) = &self.store {
            store.set_stamp(glossary, now);
        }
        *guard = Some((now, glossary));
        true
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
    /// A page whose article's count is to be read before answering; read from disk (for this key,
    /// at this epoch) or held in memory.
    Learn(Arc<Page>, Option<(Key, u64)>),
    Miss(Key),
    Redirect(String),
    TooLong,
    Pass,
}

/// Whether the page at `key` shows anything in `t` (the front page shows every channel's newest).
fn shows(key: &Key, t: &crate::db::Touched) -> bool {
    match &key.address.target {
        Target::Home => true,
        Target::Channel(slug, _) => t.channels.contains(&**slug),
        Target::Article(id) => t.articles.contains(&**id),
    }
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
        let key = Key::new(&address, uri.path(), variant);
        if let Some(store) = &self.store {
            // A short read of a local file, done in place: a thread hop would cost more.
            let epoch = self.epoch.load(Ordering::Acquire);
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
                    let _seen = cache.lock_seen();
                    if cache.epoch.load(Ordering::Acquire) != epoch {
                        store.discard(&tmp);
                    } else if let Err(e) = store.place(&tmp, &key) {
                        store.discard(&tmp);
                        tracing::warn!(error = %e, path = %key.spelled, "page not stored");
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
        drop(permit);
        let article = match &key.address.target {
            Target::Article(id) => Some(id.clone()),
            _ => None,
        };
        if head.status != StatusCode::OK {
            let page = split(body, content_type(&head.headers), false);
            return fill(head, &page);
        }
        let page = split(body, content_type(&head.headers), true);
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
            etag.push_str(itoa::Buffer::new().format(style.0 as u8 * 4 + style.1 as u8));
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
                    Body::new(Chunks::new(chunks.into()))
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
            let page = split(body, content_type(&head.headers), false);
            fill(head, &page)
        }
        Err(e) => {
            tracing::error!(error = %e, "page body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `page` (split without style slots) under the status and headers the app gave it, with a fresh
/// nonce.
fn fill(mut head: axum::http::response::Parts, page: &Page) -> Response {
    let nonce = security::nonce();
    head.headers.remove(header::CONTENT_LENGTH);
    head.headers.insert(
        header::CONTENT_SECURITY_POLICY,
        security::page_policy(&nonce),
    );
    Response::from_parts(head, body(page, Style::default(), None, &nonce))
}

/// Where a slot starts in a page, and how far it runs.
enum Needle {
    /// The needle itself is the slot.
    Whole(Slot),
    /// After the needle, up to the next `"`: an attribute's value.
    Value(Slot),
    /// After the needle, a button's value, then its `aria-pressed` value.
    Pressed(fn(&str) -> Option<Slot>),
}

/// What a button's `aria-pressed` follows (the attribute order of `PrefGroup`).
const PRESSED: &[u8] = b"\" aria-pressed=\"";

/// Rendered instead of an article's view count in a page made for the cache (16 digits, random
/// per process: imported text cannot spell it, as it cannot spell the nonce's slot).
pub fn count_slot() -> i64 {
    static SLOT: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *SLOT.get_or_init(|| {
        use rand::Rng;
        rand::rng().random_range(1_000_000_000_000_000..10_000_000_000_000_000)
    })
}

/// Splits a rendered page at its slots: the count and nonce placeholders the app rendered and,
/// if `styled`, the values the reader's style set (which are then written per response).
fn split(body: Bytes, content_type: HeaderValue, styled: bool) -> Page {
    let count = count_slot().to_string();
    let mut needles: Vec<(&[u8], Needle)> = vec![
        (count.as_bytes(), Needle::Whole(Slot::Count)),
        (
            security::nonce_slot().as_bytes(),
            Needle::Whole(Slot::Nonce),
        ),
    ];
    if styled {
        needles.extend([
            (
                b"data-font-size=\"".as_slice(),
                Needle::Value(Slot::FontSize),
            ),
            (b"data-contrast=\"", Needle::Value(Slot::Contrast)),
            (
                b"data-pref=\"font-size\" data-value=\"",
                Needle::Pressed(|v| FontSize::parse(v).map(Slot::FontPressed)),
            ),
            (
                b"data-pref=\"contrast\" data-value=\"",
                Needle::Pressed(|v| Contrast::parse(v).map(Slot::ContrastPressed)),
            ),
        ]);
    }
    let finders: Vec<_> = needles
        .iter()
        .map(|(n, _)| memchr::memmem::Finder::new(n))
        .collect();
    let quote = |from: usize| memchr::memchr(b'"', &body[from..]).map(|n| from + n);
    let mut parts = Vec::new();
    let mut slots = Vec::new();
    let mut from = 0;
    let mut scan = 0;
    loop {
        let next = finders
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.find(&body[scan..]).map(|at| (scan + at, i)))
            .min();
        let Some((at, i)) = next else {
            break;
        };
        let end = at + needles[i].0.len();
        scan = end;
        // The slot's span and what it is; a needle not followed by what it should be is text.
        let found = match needles[i].1 {
            Needle::Whole(slot) => Some((at, end, slot)),
            Needle::Value(slot) => quote(end).map(|q| (end, q, slot)),
            Needle::Pressed(parse) => quote(end).and_then(|q| {
                let slot = parse(std::str::from_utf8(&body[end..q]).ok()?)?;
                let value = q + PRESSED.len();
                body[q..].starts_with(PRESSED).then_some(())?;
                quote(value).map(|e| (value, e, slot))
            }),
        };
        if let Some((start, stop, slot)) = found {
            parts.push(body.slice(from..start));
            slots.push(slot);
            from = stop;
            scan = stop;
        }
    }
    parts.push(body.slice(from..));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in &parts {
        p.hash(&mut h);
    }
    slots.hash(&mut h);
    Page {
        parts,
        packed: None,
        slots,
        content_type,
        etag: format!("\"{:016x}", h.finish()).into(),
        article: None,
        compressed: std::sync::Mutex::default(),
    }
}

/// The page's parts for one style: the style's values written in, the count and nonce slots left.
fn styled(page: &Page, style: Style) -> (Vec<Bytes>, Vec<Slot>) {
    let mut parts = Vec::with_capacity(page.parts().len());
    let mut slots = Vec::with_capacity(page.slots.len());
    let mut run = bytes::BytesMut::new();
    for (i, part) in page.parts().iter().enumerate() {
        run.extend_from_slice(part);
        match page.slots.get(i) {
            Some(slot) => match slot.styled(style) {
                Some(v) => run.extend_from_slice(v.as_bytes()),
                None => {
                    parts.push(run.split().freeze());
                    slots.push(*slot);
                }
            },
            None => parts.push(run.split().freeze()),
        }
    }
    (parts, slots)
}

/// What goes in the count and nonce slots, in order.
fn values<'a>(page: &Page, count: &'a [u8], nonce: &'a [u8]) -> Vec<&'a [u8]> {
    page.slots
        .iter()
        .filter_map(|s| match s {
            Slot::Count => Some(count),
            Slot::Nonce => Some(nonce),
            _ => None,
        })
        .collect()
}

/// The count a response shows: always one where the page has a count slot (left empty, the
/// page's hydration data would not parse).
fn shown(page: &Page, views: Option<i64>) -> Option<i64> {
    views.or_else(|| page.slots.contains(&Slot::Count).then_some(0))
}

/// Whether the page's stored brotli copy in the default style fits a response showing `views`.
fn fits(page: &Page, views: Option<i64>) -> bool {
    let lens = lens(page, shown(page, views));
    lock(page)
        .br
        .iter()
        .any(|m| m.style == Style::default() && m.template.is_some() && m.lens == lens)
}

/// Digits a compressed copy leaves room for. In compressed responses the count is followed by
/// spaces up to this width (where the count sits, at the end of its line in the page's text and
/// before a `,` in its JSON, they show nothing and parse the same), so a copy made at 9 views
/// still fits at 9,999,999 instead of being compressed again at 10, 100, 1,000…
const COUNT_WIDTH: usize = 7;

/// `digits` followed by spaces up to [`COUNT_WIDTH`], in `wide`.
fn padded<'a>(digits: &str, wide: &'a mut [u8; 20]) -> &'a [u8] {
    wide[..digits.len()].copy_from_slice(digits.as_bytes());
    &wide[..digits.len().max(COUNT_WIDTH)]
}

/// The lengths of the count and nonce values a compressed response with a count of `views` has.
fn lens(page: &Page, views: Option<i64>) -> Vec<usize> {
    let digits = views.map_or(0, |n| itoa::Buffer::new().format(n).len().max(COUNT_WIDTH));
    page.slots
        .iter()
        .filter_map(|s| match s {
            Slot::Count => Some(digits),
            Slot::Nonce => Some(security::NONCE_LEN),
            _ => None,
        })
        .collect()
}

/// Brotli quality for a page's first compressed copy, made while its first reader waits (the
/// seed article: 0.7 ms, 5.4 KB; quality 9 takes 11 ms for 1 % less).
const BR_QUALITY: u32 = 5;
/// Quality for pages read often, made in the background (20 ms, 7 % smaller).
const BR_BEST: u32 = 11;
/// Brotli responses after which a page is compressed at [`BR_BEST`].
const HOT_AFTER: u32 = 64;
/// Gzip level for stored pages.
const GZIP_LEVEL: u32 = 6;

enum Template {
    Gzip(Arc<crate::gzip::Template>),
    Br(Arc<crate::br::Template>),
}

impl Template {
    fn coding(&self) -> Coding {
        match self {
            Template::Gzip(_) => Coding::Gzip,
            Template::Br(_) => Coding::Br,
        }
    }

    fn render(&self, values: &[&[u8]]) -> Option<Vec<Bytes>> {
        match self {
            Template::Gzip(t) => t.render(values),
            Template::Br(t) => t.render(values),
        }
    }
}

/// The template in `made` for `style` and values of `lens`, made now by `make` if there is none
/// (counted in `count`), and how many responses it served before this one.
fn template<T>(
    made: &mut Vec<Made<T>>,
    style: Style,
    lens: &[usize],
    count: &AtomicU64,
    make: impl FnOnce() -> Option<T>,
) -> (Option<Arc<T>>, u32) {
    if let Some(i) = made.iter().position(|m| m.style == style) {
        let m = &mut made[i];
        if m.lens == lens {
            m.served = m.served.saturating_add(1);
            return (m.template.clone(), m.served - 1);
        }
        made.remove(i);
    }
    if made.len() >= STYLES_KEPT {
        // The default style stays; of the others, the oldest goes.
        let i = made
            .iter()
            .position(|m| m.style != Style::default())
            .unwrap_or(0);
        made.remove(i);
    }
    count.fetch_add(1, Ordering::Relaxed);
    let template = make().map(Arc::new);
    made.push(Made {
        style,
        lens: lens.to_vec(),
        template: template.clone(),
        served: 1,
    });
    (template, 0)
}

fn lock(page: &Page) -> std::sync::MutexGuard<'_, Compressed> {
    page.compressed.lock().unwrap_or_else(|p| p.into_inner())
}

fn gzip_template(page: &Page, style: Style, lens: &[usize], made: &AtomicU64) -> Option<Template> {
    template(&mut lock(page).gzip, style, lens, made, || {
        crate::gzip::Template::new(&styled(page, style).0, lens, GZIP_LEVEL)
    })
    .0
    .map(Template::Gzip)
}

fn br_template(
    page: &Arc<Page>,
    style: Style,
    lens: &[usize],
    made: &AtomicU64,
) -> Option<Template> {
    let (t, served) = template(&mut lock(page).br, style, lens, made, || {
        crate::br::Template::new(&styled(page, style).0, lens, BR_QUALITY)
    });
    if served == HOT_AFTER {
        recompress(page.clone(), style, lens.to_vec());
    }
    t.map(Template::Br)
}

/// The page's brotli copy in the default style, if one was made for a response: a page is
/// stored without one otherwise (compressing it only to store it would double a miss's cost), and
/// gets one when it is next read by a browser.
fn default_br(page: &Page) -> Option<Arc<crate::br::Template>> {
    lock(page)
        .br
        .iter()
        .find(|m| m.style == Style::default())
        .and_then(|m| m.template.clone())
}

/// The value lengths the page's brotli copy in the default style was made for, if it has one.
fn default_lens(page: &Page) -> Option<Vec<usize>> {
    lock(page)
        .br
        .iter()
        .find(|m| m.style == Style::default() && m.template.is_some())
        .map(|m| m.lens.clone())
}

/// Makes the page's brotli copy for `style` and `lens` again at [`BR_BEST`], off the request
/// path, and puts it in place of the first (if that is still the one held).
fn recompress(page: Arc<Page>, style: Style, lens: Vec<usize>) {
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        return;
    };
    rt.spawn_blocking(move || {
        let Some(best) = crate::br::Template::new(&styled(&page, style).0, &lens, BR_BEST) else {
            return;
        };
        let mut held = lock(&page);
        if let Some(m) = held
            .br
            .iter_mut()
            .find(|m| m.style == style && m.lens == lens)
        {
            m.template = Some(Arc::new(best));
        }
    });
}

/// Parts at least this long go out as stored; shorter ones are copied together with the slots
/// around them, so a response is a few large chunks (each chunk costs the HTTP writer more than
/// copying a few hundred bytes does).
const SHARE_FROM: usize = 2048;

/// The stored parts with the slots' values between them: large parts are sent as they are,
/// without copying, short runs in one new chunk.
fn body(page: &Page, style: Style, views: Option<i64>, nonce: &str) -> Body {
    let mut count = itoa::Buffer::new();
    let count = views.map_or("", |n| count.format(n));
    let mut chunks = std::collections::VecDeque::with_capacity(8);
    let mut run = bytes::BytesMut::with_capacity(SHARE_FROM * 2);
    for (i, part) in page.parts().iter().enumerate() {
        if i > 0 {
            let slot = page.slots[i - 1];
            run.extend_from_slice(match slot {
                Slot::Count => count.as_bytes(),
                Slot::Nonce => nonce.as_bytes(),
                _ => slot.styled(style).unwrap_or_default().as_bytes(),
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
        let db = crate::db::connect(&url).await.expect("database");
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
