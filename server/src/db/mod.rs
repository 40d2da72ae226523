//! Storage backends. Each backend implements the app's [`Storage`] plus the server-only [`Database`]
//! operations, in its own module with its own migrations. The URL scheme picks the backend
//! ([`open::connect`]). This file is the contract both backends meet; it imports neither.

pub mod open;
pub mod postgres;
pub mod sqlite;

use crate::import::{ArticleStream, NewArticle};

/// Bytes per stored chunk of an attachment file, and per read while serving it.
pub const FILE_CHUNK: usize = 256 * 1024;

/// A reader's 我要纠错 report as stored and as `server reports` prints it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub reference: String,
    pub article_id: String,
    pub variant: String,
    pub excerpt: String,
    pub description: String,
    pub contact: String,
    pub created_at: String,
}

/// A report to store, with the client key its hourly limit counts by.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub reference: String,
    pub article_id: String,
    pub variant: String,
    pub excerpt: String,
    pub description: String,
    pub contact: String,
    pub client: String,
    pub created_utc: i64,
    pub created_at: String,
}
use app::storage::Storage;

/// What imports touched: rendered pages showing any of it are stale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Written articles and their neighbours (old and new) in channel order.
    pub articles: std::collections::BTreeSet<String>,
    /// Channels that gained, lost or reordered articles (by slug).
    pub channels: std::collections::BTreeSet<String>,
}

impl Touched {
    /// The record's scopes (see the `content_change` table), or `None` for everything.
    pub fn from_scopes<'a>(scopes: impl IntoIterator<Item = &'a str>) -> Option<Touched> {
        let mut t = Touched::default();
        for s in scopes {
            match s.split_once(':') {
                Some(("a", id)) => drop(t.articles.insert(id.to_owned())),
                Some(("c", slug)) => drop(t.channels.insert(slug.to_owned())),
                _ if s == "h" => {}
                _ => return None,
            }
        }
        Some(t)
    }

    /// [`Touched::from_scopes`]'s form, the front page always included.
    pub fn scopes(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once("h".to_owned())
            .chain(self.articles.iter().map(|id| format!("a:{id}")))
            .chain(self.channels.iter().map(|slug| format!("c:{slug}")))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: expected sqlite://…, postgres://… or postgresql://…")]
    UnsupportedUrl(String),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("line {line}: {reason}")]
    Rejected { line: usize, reason: String },
    #[error("the target database already holds {0} articles: copy into an empty one")]
    NotEmpty(i64),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// An article as a feed lists it.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub published_at: String,
    pub updated_at: String,
    pub source: String,
    pub author: Option<String>,
    pub channel: String,
    pub slug: String,
    pub site: String,
    pub attachments: Vec<app::model::Attachment>,
}

#[async_trait::async_trait]
pub trait Database: Storage {
    /// Applies pending migrations.
    async fn migrate(&self) -> Result<(), DbError>;

    /// Upserts the articles as they come, in one transaction (keyed by external id): all or
    /// nothing — a rejected line rolls everything back. `progress` hears how many are written so
    /// far. Returns the ids written, in order.
    async fn import_stream(
        &self,
        articles: ArticleStream<'_>,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<Vec<String>, DbError>;

    /// [`Database::import_stream`] for articles already in memory.
    async fn import(
        &self,
        articles: &[NewArticle],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(), DbError> {
        use futures::StreamExt;
        let stream = futures::stream::iter(articles.iter().cloned().map(Ok)).boxed();
        self.import_stream(stream, progress).await.map(drop)
    }

    /// Every article as an import would give it (its site, department and channel by name), in
    /// the order they were first written.
    fn export(&self) -> ArticleStream<'_>;

    /// Number of stored articles.
    async fn article_count(&self) -> Result<i64, DbError>;

    /// The newest `limit` articles of the site or of one channel (by slug), newest first.
    async fn feed_entries(
        &self,
        channel: Option<&str>,
        limit: i64,
    ) -> Result<Vec<FeedEntry>, DbError>;

    /// Every channel that has articles (slug, newest `updated_at` of its articles), by slug.
    async fn sitemap_channels(&self) -> Result<Vec<(String, String)>, DbError>;

    /// Articles (id, `updated_at`) in the order they were first written, `limit` from `offset`.
    async fn sitemap_articles(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<(String, String)>, DbError>;

    /// Whether the database answers and has every migration this build knows applied.
    async fn ready(&self) -> Result<bool, DbError>;

    /// This database's identity, made when it was created.
    async fn instance(&self) -> Result<String, DbError>;

    /// Changes with every import: rendered pages older than it are stale.
    async fn content_version(&self) -> Result<i64, DbError>;

    /// The content version now and what the imports after `seen` touched (`None`: anything may
    /// have changed, say when the record no longer reaches back to `seen`).
    async fn changes_since(&self, seen: i64) -> Result<(i64, Option<Touched>), DbError>;

    /// Calls `each` with every article's id and stored view total, row by row.
    async fn view_totals(
        &self,
        each: &mut (dyn for<'a> FnMut(&'a str, i64) + Send),
    ) -> Result<(), DbError>;

    /// The view totals other processes changed since `mark` (article id, total), and the mark for
    /// the next call; with `None` only the mark. Totals only grow, so one read twice does no harm.
    async fn view_changes(&self, mark: Option<i64>) -> Result<(i64, Vec<(String, i64)>), DbError>;

    /// A stored attachment file's size and media type, by its hash.
    async fn file(&self, hash: &str) -> Result<Option<(i64, String)>, DbError>;

    /// Chunk `seq` (from 0) of a stored file, `None` past its end.
    async fn file_chunk(&self, hash: &str, seq: i64) -> Result<Option<Vec<u8>>, DbError>;

    /// Every stored file's hash.
    async fn file_hashes(&self) -> Result<Vec<String>, DbError>;

    /// Stores a file in one transaction, unless it is stored already.
    async fn put_file(&self, file: &crate::import::NewFile) -> Result<(), DbError>;

    /// Stores a report unless its client made `limit` or more since `since_utc` (Unix seconds):
    /// `false` then, and nothing is stored. Counted and written in one transaction.
    async fn add_report(
        &self,
        report: &NewReport,
        since_utc: i64,
        limit: i64,
    ) -> Result<bool, DbError>;

    /// The article a report (by its reference) is about.
    async fn report_article(&self, reference: &str) -> Result<Option<String>, DbError>;

    /// Reports made since `since_utc` (all with `None`), oldest first.
    async fn reports(&self, since_utc: Option<i64>) -> Result<Vec<Report>, DbError>;

    /// Adds counted views (article id, views; ids unique) in one transaction; returns, in the
    /// batch's order, each article's new total (`None` for one that does not exist, or was given
    /// no views).
    async fn add_views(&self, views: &[(String, i64)]) -> Result<Vec<Option<i64>>, DbError>;
}

/// Imports larger than this drop every rendered page rather than naming what they touched.
pub(crate) const TOUCH_LIMIT: usize = 256;
/// Versions whose record is kept: a server further behind drops every page.
pub(crate) const CHANGES_KEPT: i64 = 1000;

/// What the record says changed from `seen` to `now`: `None` unless it holds every version
/// between (each has a row; the oldest are pruned first) and none of them says everything.
pub(crate) fn touched_since(seen: i64, now: i64, rows: &[(i64, String)]) -> Option<Touched> {
    if now <= seen {
        return (now == seen).then(Touched::default);
    }
    let versions: std::collections::BTreeSet<i64> = rows.iter().map(|(v, _)| *v).collect();
    if versions.len() as i64 != now - seen {
        return None;
    }
    Touched::from_scopes(rows.iter().map(|(_, s)| s.as_str()))
}

/// Whether `e` says the database cannot be reached now (rather than that a query is wrong): the
/// connection refused, lost or timed out, the pool exhausted or closed, the server shutting down
/// or not accepting connections yet (SQLSTATE classes 08 and 57P).
pub fn unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

impl DbError {
    /// Whether the database cannot be reached now (see [`unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        match self {
            DbError::Connect(e) | DbError::Sqlx(e) => unreachable(e),
            DbError::Migrate(sqlx::migrate::MigrateError::Execute(e)) => unreachable(e),
            _ => false,
        }
    }
}

/// Copies every article and view total of `from` into `to`, which must hold no article: the
/// articles in one transaction (as an import), then the totals (as added views). Returns how many
/// articles and views were copied.
pub async fn copy(from: &dyn Database, to: &dyn Database) -> Result<(usize, i64), DbError> {
    let there = to.article_count().await?;
    if there > 0 {
        return Err(DbError::NotEmpty(there));
    }
    // Attachment files first, one at a time (a file is at most `MAX_ATTACHMENT_MB`).
    for hash in from.file_hashes().await? {
        let Some((_, media_type)) = from.file(&hash).await? else {
            continue;
        };
        let mut bytes = Vec::new();
        let mut seq = 0;
        while let Some(chunk) = from.file_chunk(&hash, seq).await? {
            bytes.extend_from_slice(&chunk);
            seq += 1;
        }
        let file = crate::import::NewFile {
            hash,
            media_type,
            bytes: std::sync::Arc::new(bytes),
        };
        to.put_file(&file).await?;
    }
    let ids = to.import_stream(from.export(), &|_| {}).await?;
    let mut totals = Vec::new();
    from.view_totals(&mut |id, n| {
        if n > 0 {
            totals.push((id.to_owned(), n))
        }
    })
    .await?;
    let views = totals.iter().map(|(_, n)| n).sum();
    for batch in totals.chunks(10_000) {
        to.add_views(batch).await?;
    }
    Ok((ids.len(), views))
}

/// The channel's URL slug: pinyin initials of its name (`工作动态` → `gzdt`), ASCII names lowercased.
pub fn slug_base(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut slug = String::new();
    for (ch, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(p) => slug.push_str(p.first_letter()),
            None if ch.is_ascii_alphanumeric() => slug.push(ch.to_ascii_lowercase()),
            None if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            None => {}
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug: String = slug.chars().take(48).collect();
    if slug.is_empty() {
        "channel".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::{Touched, slug_base, touched_since};

    /// Each backend's migrations are embedded in the binary, so a new one must rebuild it.
    #[test]
    fn every_backend_s_migrations_rebuild_the_binary() {
        let build = include_str!("../../build.rs");
        let db = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db");
        let mut seen = 0;
        for entry in std::fs::read_dir(db).unwrap() {
            let backend = entry.unwrap().file_name().into_string().unwrap();
            let folder = format!("src/db/{backend}/migrations");
            if std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(&folder)
                .is_dir()
            {
                seen += 1;
                let watch = format!("cargo:rerun-if-changed={folder}");
                assert!(build.contains(&watch), "build.rs lacks {watch}");
            }
        }
        assert_eq!(seen, 2, "SQLite and PostgreSQL");
    }

    fn rows(r: &[(i64, &str)]) -> Vec<(i64, String)> {
        r.iter().map(|(v, s)| (*v, (*s).to_owned())).collect()
    }

    #[test]
    fn the_record_of_changes_names_pages_or_says_everything() {
        let t = touched_since(
            3,
            5,
            &rows(&[(4, "h"), (4, "a:x"), (5, "h"), (5, "c:gzdt")]),
        )
        .unwrap();
        assert_eq!(t.articles.iter().collect::<Vec<_>>(), ["x"]);
        assert_eq!(t.channels.iter().collect::<Vec<_>>(), ["gzdt"]);
        assert_eq!(
            Touched::from_scopes(t.scopes().collect::<Vec<_>>().iter().map(String::as_str)),
            Some(t)
        );
        // A version missing (pruned), a large import, nothing new, a version gone back.
        assert_eq!(touched_since(2, 5, &rows(&[(4, "h"), (5, "h")])), None);
        assert_eq!(touched_since(3, 5, &rows(&[(4, "h"), (5, "*")])), None);
        assert_eq!(touched_since(5, 5, &[]), Some(Touched::default()));
        assert_eq!(touched_since(6, 5, &[]), None);
    }

    #[test]
    fn slugs_from_names() {
        assert_eq!(slug_base("工作动态"), "gzdt");
        assert_eq!(slug_base("通知公告"), "tzgg");
        assert_eq!(slug_base("News & Notices"), "news-notices");
        assert_eq!(slug_base("2022年报"), "2022nb");
        assert_eq!(slug_base("!!!"), "channel");
    }
}
