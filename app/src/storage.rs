//! What the app asks of storage. The server implements it (SQLite or PostgreSQL) and provides it as
//! context.

use crate::model::{Article, ChannelPage, Home, PageQuery, SearchCursor, SearchResults};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage backend: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The backend cannot be reached now (connection refused or lost, pool exhausted): worth
    /// trying again shortly.
    #[error("storage unreachable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

#[async_trait::async_trait]
pub trait Storage: Send + Sync + 'static {
    /// The portal's name (its first site), empty before any content exists.
    async fn site_name(&self) -> Result<String, StorageError>;

    /// Departments with their channels and each channel's latest articles.
    async fn home(&self, latest_per_channel: u32) -> Result<Home, StorageError>;

    /// One page of a channel, newest first; `None` if the channel does not exist.
    async fn channel_page(
        &self,
        slug: &str,
        query: PageQuery,
        limit: u32,
    ) -> Result<Option<ChannelPage>, StorageError>;

    /// An article with its trail and neighbours; `None` if unknown.
    async fn article(&self, id: &str) -> Result<Option<Article>, StorageError>;

    /// Counts one view; returns the new count, `None` if the article is unknown.
    async fn record_view(&self, id: &str) -> Result<Option<i64>, StorageError>;

    /// The article's live view count without counting one; `None` if not known here.
    async fn live_views(&self, id: &str) -> Result<Option<i64>, StorageError>;

    /// Articles whose 发文字号 or 索引号 has the identifier key `key` (see
    /// [`crate::search::identifier_key`]) first, then those holding every term (folded, see
    /// [`Convert::fold`]) in their title, then in their body; each tier newest first; up to
    /// `limit` from `after`.
    async fn search(
        &self,
        key: &str,
        terms: &[String],
        after: Option<SearchCursor>,
        limit: u32,
    ) -> Result<SearchResults, StorageError>;
}

/// What a server function's converted result is kept under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataKey {
    Ui(crate::variant::Variant),
    Home(crate::variant::Variant),
    Channel(String, PageQuery, crate::variant::Variant),
    Article(String, crate::variant::Variant),
    /// The query's identifier key (its folded runs joined by spaces), the cursor, the variant.
    Search(String, Option<SearchCursor>, crate::variant::Variant),
}

/// A shared value of any of the server functions' result types.
pub type Datum = Arc<dyn std::any::Any + Send + Sync>;

/// Server functions' converted results, kept by the server between requests and dropped with the
/// pages that show them, so a variant's conversion runs once per content change, not per reader.
pub trait DataCache: Send + Sync + 'static {
    /// Moves whenever anything kept is dropped; read it before making a value to keep.
    fn epoch(&self) -> u64;
    fn get(&self, key: &DataKey) -> Option<Datum>;
    /// Keeps `value` (about `weight` bytes) unless the epoch moved past `epoch`.
    fn put(&self, key: DataKey, value: Datum, weight: usize, epoch: u64);
}

#[derive(Clone)]
pub struct SharedData(pub Arc<dyn DataCache>);

/// A page request's extension: the server counts this view itself and caches the HTML, so the
/// article view neither counts it nor renders a number that would go stale in the cache. It
/// renders the slot given here instead of the count, and the server writes the live count over it
/// when it sends the (cached) page. The slot is random per process (16 digits), so imported text
/// cannot spell it.
#[derive(Clone, Copy, Debug)]
pub struct CountedByServer(pub i64);

/// The handle the server puts into Leptos context.
#[derive(Clone)]
pub struct SharedStorage(pub Arc<dyn Storage>);

/// Deployment facts the app needs to render absolute links.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// Absolute base URL without a trailing slash, e.g. `https://www.meizhou.gov.cn`.
    pub public_url: String,
    /// The footer's deployer-set parts, in Simplified.
    pub footer: crate::ui::Footer,
}

/// Script conversion from the stored Simplified text. Implemented by the server; never in the browser.
pub trait Convert: Send + Sync + 'static {
    /// Converts plain text.
    fn text(&self, variant: crate::variant::Variant, text: &str) -> String;
    /// Converts the text of an HTML fragment, leaving tags, attributes and `<code>` alone.
    fn html(&self, variant: crate::variant::Variant, html: &str) -> String;
    /// Folds text for search: each character to its Simplified standard form (Traditional,
    /// Taiwan and Hong Kong forms alike), ASCII letters to lower case; one character for one.
    fn fold(&self, text: &str) -> String;
}

#[derive(Clone)]
pub struct SharedConverter(pub Arc<dyn Convert>);
