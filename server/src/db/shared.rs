//! The queries both backends share, compiled once into each (`#[path]` from `sqlite` and
//! `postgres`): portable SQL (`$n` parameters, `ON CONFLICT`, row values, `RETURNING`) over the
//! backend's own types. What differs (connecting, migrations, opening a write transaction) is in
//! the backend's module.

use super::{Conn, DbRow, MIGRATOR, Store};
use crate::db::{CHANGES_KEPT, Database, DbError, TOUCH_LIMIT, Touched, slug_base, touched_since};
use crate::import::{ArticleStream, NewArticle};
use app::model::{
    Article, ArticleLink, ChannelPage, ChannelRef, ChannelSummary, Cursor, DepartmentSummary, Home,
    PageQuery, SearchCursor, SearchHit, SearchResults, Trail,
};
use app::storage::{Storage, StorageError};
use sqlx::Row;
use std::collections::HashMap;

fn backend(e: sqlx::Error) -> StorageError {
    if crate::db::unreachable(&e) {
        StorageError::Unavailable(Box::new(e))
    } else {
        StorageError::Backend(Box::new(e))
    }
}

/// A JSON column (`gov`, `attachments`, `related`): `None` when NULL. The import wrote it, so a
/// value that does not read is logged and shown as absent rather than failing the page.
fn json_column<T: serde::de::DeserializeOwned>(row: &DbRow, column: &str) -> Option<T> {
    let text: Option<String> = row.get(column);
    serde_json::from_str(&text?)
        .inspect_err(|e| tracing::error!(error = %e, column, "stored JSON does not read"))
        .ok()
}

/// What the `gov`, `attachments`, `related`, `document_key` and `index_key` columns hold for `a`.
fn json_columns(a: &NewArticle) -> [Option<String>; 5] {
    let json = |v: serde_json::Result<String>| v.expect("model types serialize");
    let key = |s: &Option<String>| {
        s.as_deref()
            .map(|s| app::search::identifier_key(&crate::search::fold(s)))
            .filter(|k| !k.is_empty())
    };
    let gov = a.gov.as_ref();
    [
        gov.map(|g| json(serde_json::to_string(g))),
        (!a.attachments.is_empty()).then(|| json(serde_json::to_string(&a.attachments))),
        (!a.related.is_empty()).then(|| json(serde_json::to_string(&a.related))),
        gov.and_then(|g| key(&g.document_number)),
        gov.and_then(|g| key(&g.index_number)),
    ]
}

/// The title as the search index holds it: with the 发文字号 and 索引号, so a search for either
/// finds the article (an exact one ranks it first, see `Storage::search`).
fn searched_title(title: &str, gov: Option<&app::model::GovInfo>) -> String {
    let mut out = title.to_owned();
    for id in gov
        .into_iter()
        .flat_map(|g| [&g.document_number, &g.index_number])
        .flatten()
    {
        out.push('\n');
        out.push_str(id);
    }
    out
}

fn link(row: &DbRow) -> ArticleLink {
    ArticleLink {
        id: row.get("external_id"),
        title: row.get("title"),
        published_at: row.get("published_at"),
    }
}

impl Store {
    async fn trail_of_channel(&self, slug: &str) -> Result<Option<(i64, Trail)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT c.id AS channel_id, c.slug, c.name AS channel_name, d.id AS department_id,
                    d.name AS department_name, s.name AS site_name
             FROM channel c
             JOIN department d ON d.id = c.department_id
             JOIN site s ON s.id = d.site_id
             WHERE c.slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| {
            (
                r.get("channel_id"),
                Trail {
                    site: r.get("site_name"),
                    department_id: r.get("department_id"),
                    department: r.get("department_name"),
                    channel: ChannelRef {
                        slug: r.get("slug"),
                        name: r.get("channel_name"),
                    },
                },
            )
        }))
    }

    /// Up to `limit` articles of a channel strictly older (`older = true`) or newer than `from`,
    /// nearest first.
    async fn neighbours(
        &self,
        channel_id: i64,
        from: Cursor,
        older: bool,
        limit: u32,
    ) -> Result<Vec<(Cursor, ArticleLink)>, sqlx::Error> {
        let sql = if older {
            "SELECT id, published_utc, external_id, title, published_at FROM article
             WHERE channel_id = $1 AND (published_utc, id) < ($2, $3)
             ORDER BY published_utc DESC, id DESC LIMIT $4"
        } else {
            "SELECT id, published_utc, external_id, title, published_at FROM article
             WHERE channel_id = $1 AND (published_utc, id) > ($2, $3)
             ORDER BY published_utc ASC, id ASC LIMIT $4"
        };
        let rows = sqlx::query(sql)
            .bind(channel_id)
            .bind(from.published_utc)
            .bind(from.row)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    Cursor {
                        published_utc: r.get("published_utc"),
                        row: r.get("id"),
                    },
                    link(r),
                )
            })
            .collect())
    }

    async fn newest(
        &self,
        channel_id: i64,
        limit: u32,
    ) -> Result<Vec<(Cursor, ArticleLink)>, sqlx::Error> {
        let first = Cursor {
            published_utc: i64::MAX,
            row: i64::MAX,
        };
        self.neighbours(channel_id, first, true, limit).await
    }
}

#[async_trait::async_trait]
impl Storage for Store {
    async fn site_name(&self) -> Result<String, StorageError> {
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM site ORDER BY id LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(name.unwrap_or_default())
    }

    async fn home(&self, latest_per_channel: u32) -> Result<Home, StorageError> {
        let site: Option<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM site ORDER BY id LIMIT 1")
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let Some((site_id, site)) = site else {
            return Ok(Home {
                site: String::new(),
                departments: vec![],
            });
        };
        let rows = sqlx::query(
            "SELECT d.id AS department_id, d.name AS department_name, c.id AS channel_id,
                    c.slug, c.name AS channel_name
             FROM department d JOIN channel c ON c.department_id = d.id
             WHERE d.site_id = $1
             ORDER BY d.id, c.id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut departments: Vec<DepartmentSummary> = Vec::new();
        for r in &rows {
            let department_id: i64 = r.get("department_id");
            if departments.last().map(|d| d.id) != Some(department_id) {
                departments.push(DepartmentSummary {
                    id: department_id,
                    name: r.get("department_name"),
                    channels: vec![],
                });
            }
            let latest = self
                .newest(r.get("channel_id"), latest_per_channel)
                .await
                .map_err(backend)?;
            if let Some(d) = departments.last_mut() {
                d.channels.push(ChannelSummary {
                    channel: ChannelRef {
                        slug: r.get("slug"),
                        name: r.get("channel_name"),
                    },
                    latest: latest.into_iter().map(|(_, l)| l).collect(),
                });
            }
        }
        Ok(Home { site, departments })
    }

    async fn channel_page(
        &self,
        slug: &str,
        query: PageQuery,
        limit: u32,
    ) -> Result<Option<ChannelPage>, StorageError> {
        let Some((channel_id, trail)) = self.trail_of_channel(slug).await.map_err(backend)? else {
            return Ok(None);
        };
        let limit = limit.max(1);
        let mut query = query;
        if let PageQuery::Before(c) = query {
            // Near the top a "newer" page would be short: show the newest page instead.
            let mut rows = self
                .neighbours(channel_id, c, false, limit + 1)
                .await
                .map_err(backend)?;
            if rows.len() as u32 > limit {
                rows.truncate(limit as usize);
                rows.reverse();
                let older = self
                    .neighbours(channel_id, rows[rows.len() - 1].0, true, 1)
                    .await
                    .map_err(backend)?;
                return Ok(Some(ChannelPage {
                    trail,
                    newer: Some(rows[0].0),
                    older: (!older.is_empty()).then(|| rows[rows.len() - 1].0),
                    articles: rows.into_iter().map(|(_, l)| l).collect(),
                }));
            }
            query = PageQuery::Newest;
        }
        let from = match query {
            PageQuery::After(c) => Some(c),
            _ => None,
        };
        let mut rows = match from {
            Some(c) => self.neighbours(channel_id, c, true, limit + 1).await,
            None => self.newest(channel_id, limit + 1).await,
        }
        .map_err(backend)?;
        let has_older = rows.len() as u32 > limit;
        rows.truncate(limit as usize);
        let newer = match (from, rows.first()) {
            (Some(_), Some((first, _))) => {
                let newer = self
                    .neighbours(channel_id, *first, false, 1)
                    .await
                    .map_err(backend)?;
                (!newer.is_empty()).then_some(*first)
            }
            _ => None,
        };
        Ok(Some(ChannelPage {
            trail,
            newer,
            older: if has_older {
                rows.last().map(|(c, _)| *c)
            } else {
                None
            },
            articles: rows.into_iter().map(|(_, l)| l).collect(),
        }))
    }

    async fn article(&self, id: &str) -> Result<Option<Article>, StorageError> {
        // One round trip: the article with its channel's newer (`p`) and older (`n`) neighbour.
        let row = sqlx::query(
            "SELECT a.external_id, a.title, a.subtitle, a.source, a.author,
                    a.published_at, a.body_html, a.summary, a.gov, a.attachments, a.related,
                    COALESCE(v.views, 0) AS view_count,
                    c.slug, c.name AS channel_name, d.id AS department_id,
                    d.name AS department_name, s.name AS site_name,
                    p.external_id AS p_id, p.title AS p_title, p.published_at AS p_at,
                    n.external_id AS n_id, n.title AS n_title, n.published_at AS n_at
             FROM article a
             JOIN channel c ON c.id = a.channel_id
             JOIN department d ON d.id = c.department_id
             JOIN site s ON s.id = d.site_id
             LEFT JOIN article_view v ON v.article_id = a.id
             LEFT JOIN article p ON p.id = (
                 SELECT x.id FROM article x
                 WHERE x.channel_id = a.channel_id
                   AND (x.published_utc, x.id) > (a.published_utc, a.id)
                 ORDER BY x.published_utc ASC, x.id ASC LIMIT 1)
             LEFT JOIN article n ON n.id = (
                 SELECT x.id FROM article x
                 WHERE x.channel_id = a.channel_id
                   AND (x.published_utc, x.id) < (a.published_utc, a.id)
                 ORDER BY x.published_utc DESC, x.id DESC LIMIT 1)
             WHERE a.external_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(r) = row else { return Ok(None) };
        let neighbour = |[id, title, at]: [&str; 3]| {
            let id: Option<String> = r.get(id);
            id.map(|id| ArticleLink {
                id,
                title: r.get(title),
                published_at: r.get(at),
            })
        };
        Ok(Some(Article {
            previous: neighbour(["p_id", "p_title", "p_at"]),
            next: neighbour(["n_id", "n_title", "n_at"]),
            id: r.get("external_id"),
            title: r.get("title"),
            subtitle: r.get("subtitle"),
            source: r.get("source"),
            author: r.get("author"),
            published_at: r.get("published_at"),
            body_html: r.get("body_html"),
            summary: r.get("summary"),
            view_count: r.get("view_count"),
            gov: json_column(&r, "gov"),
            attachments: json_column(&r, "attachments").unwrap_or_default(),
            related: json_column(&r, "related").unwrap_or_default(),
            trail: Trail {
                site: r.get("site_name"),
                department_id: r.get("department_id"),
                department: r.get("department_name"),
                channel: ChannelRef {
                    slug: r.get("slug"),
                    name: r.get("channel_name"),
                },
            },
        }))
    }

    async fn record_view(&self, id: &str) -> Result<Option<i64>, StorageError> {
        let totals = self
            .add_views(&[(id.to_owned(), 1)])
            .await
            .map_err(|e| match e {
                DbError::Sqlx(e) => backend(e),
                e => StorageError::Backend(Box::new(e)),
            })?;
        Ok(totals.first().copied().flatten())
    }

    async fn search(
        &self,
        key: &str,
        terms: &[String],
        after: Option<SearchCursor>,
        limit: u32,
    ) -> Result<SearchResults, StorageError> {
        if terms.is_empty() {
            return Ok(SearchResults {
                hits: vec![],
                next: None,
            });
        }
        let from = after.map_or((-1, 0, 0), |c| {
            (i32::from(c.tier), -c.published_utc, -c.row)
        });
        let want = i64::from(limit) + 1;
        // Tier 0: the 发文字号 or 索引号 is the query (few rows; they also match the terms).
        let exact: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT published_utc, id FROM article WHERE document_key = $1 OR index_key = $1
             ORDER BY published_utc DESC, id DESC LIMIT 100",
        )
        .bind(key)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut rows: Vec<(i32, i64, i64)> = exact
            .iter()
            .map(|&(t, id)| (0, t, id))
            .filter(|&(tier, t, id)| (tier, -t, -id) > from)
            .collect();
        // Tiers 1 and 2 (title, body) as the backend numbers them (0, 1), less tier 0's rows.
        let text_from = (from.0 - 1, from.1, from.2);
        let found = super::search_ids(self, terms, text_from, want + exact.len() as i64)
            .await
            .map_err(backend)?;
        rows.extend(
            found
                .into_iter()
                .filter(|(_, _, id)| !exact.iter().any(|(_, e)| e == id))
                .map(|(tier, t, id)| (tier + 1, t, id)),
        );
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let mut hits = Vec::with_capacity(rows.len());
        for &(_, _, row) in &rows {
            let found = sqlx::query(
                "SELECT a.external_id, a.title, a.published_at, a.body_html, c.slug, c.name
                 FROM article a JOIN channel c ON c.id = a.channel_id WHERE a.id = $1",
            )
            .bind(row)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
            let Some(r) = found else { continue };
            let body: String = r.get("body_html");
            hits.push(SearchHit {
                id: r.get("external_id"),
                title: r.get("title"),
                snippet: crate::search::snippet(&crate::text::plain_text(&body), terms),
                published_at: r.get("published_at"),
                channel: ChannelRef {
                    slug: r.get("slug"),
                    name: r.get("name"),
                },
            });
        }
        let next = rows
            .last()
            .filter(|_| more)
            .map(|&(tier, published_utc, row)| SearchCursor {
                tier: u8::try_from(tier).unwrap_or(2),
                published_utc,
                row,
            });
        Ok(SearchResults { hits, next })
    }

    async fn live_views(&self, id: &str) -> Result<Option<i64>, StorageError> {
        sqlx::query_scalar(
            "SELECT COALESCE(v.views, 0) FROM article a
             LEFT JOIN article_view v ON v.article_id = a.id WHERE a.external_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)
    }
}

/// Caches name → id lookups for one import transaction.
#[derive(Default)]
struct Resolver {
    sites: HashMap<String, i64>,
    departments: HashMap<(i64, String), i64>,
    channels: HashMap<(i64, String), i64>,
    default_site: Option<i64>,
}

impl Resolver {
    async fn site(&mut self, tx: &mut Conn, a: &NewArticle) -> Result<i64, DbError> {
        let Some(name) = &a.site else {
            if self.default_site.is_none() {
                self.default_site = sqlx::query_scalar("SELECT id FROM site ORDER BY id LIMIT 1")
                    .fetch_optional(&mut *tx)
                    .await?;
            }
            return self.default_site.ok_or_else(|| DbError::Rejected {
                line: a.line,
                reason: "no \"site\" given and the database has no site yet".into(),
            });
        };
        if let Some(id) = self.sites.get(name) {
            return Ok(*id);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO site (name) VALUES ($1)
             ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
        self.default_site.get_or_insert(id);
        self.sites.insert(name.clone(), id);
        Ok(id)
    }

    async fn department(
        &mut self,
        tx: &mut Conn,
        site_id: i64,
        a: &NewArticle,
    ) -> Result<i64, DbError> {
        let Some(name) = &a.department else {
            // Without a department the channel must already exist, exactly once, in this site.
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT d.id FROM channel c JOIN department d ON d.id = c.department_id
                 WHERE d.site_id = $1 AND c.name = $2",
            )
            .bind(site_id)
            .bind(&a.channel)
            .fetch_all(&mut *tx)
            .await?;
            return match ids.as_slice() {
                [id] => Ok(*id),
                [] => Err(DbError::Rejected {
                    line: a.line,
                    reason: format!(
                        "channel {:?} does not exist yet; give its \"department\"",
                        a.channel
                    ),
                }),
                _ => Err(DbError::Rejected {
                    line: a.line,
                    reason: format!(
                        "channel {:?} exists in several departments; give its \"department\"",
                        a.channel
                    ),
                }),
            };
        };
        let key = (site_id, name.clone());
        if let Some(id) = self.departments.get(&key) {
            return Ok(*id);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO department (site_id, name) VALUES ($1, $2)
             ON CONFLICT (site_id, name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(site_id)
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
        self.departments.insert(key, id);
        Ok(id)
    }

    async fn channel(
        &mut self,
        tx: &mut Conn,
        department_id: i64,
        a: &NewArticle,
    ) -> Result<i64, DbError> {
        let key = (department_id, a.channel.clone());
        if let Some(id) = self.channels.get(&key) {
            return Ok(*id);
        }
        let existing: Option<(i64, String)> =
            sqlx::query_as("SELECT id, slug FROM channel WHERE department_id = $1 AND name = $2")
                .bind(department_id)
                .bind(&a.channel)
                .fetch_optional(&mut *tx)
                .await?;
        let id = match existing {
            Some((id, slug)) => {
                if let Some(wanted) = a.channel_slug.as_ref().filter(|s| **s != slug) {
                    return Err(DbError::Rejected {
                        line: a.line,
                        reason: format!(
                            "channel {:?} already has the slug {slug:?}, not {wanted:?}",
                            a.channel
                        ),
                    });
                }
                id
            }
            None => {
                let slug = match &a.channel_slug {
                    Some(s) => s.clone(),
                    None => free_slug(&mut *tx, &slug_base(&a.channel)).await?,
                };
                sqlx::query_scalar(
                    "INSERT INTO channel (department_id, name, slug) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(department_id)
                .bind(&a.channel)
                .bind(&slug)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Rejected {
                        line: a.line,
                        reason: format!("channel slug {slug:?} is already taken"),
                    },
                    e => e.into(),
                })?
            }
        };
        self.channels.insert(key, id);
        Ok(id)
    }
}

/// Stores `f` in chunks unless a file of its hash is stored already.
async fn store_file(tx: &mut Conn, f: &crate::import::NewFile) -> Result<(), sqlx::Error> {
    let fresh: Option<String> = sqlx::query_scalar(
        "INSERT INTO file (hash, size, media_type) VALUES ($1, $2, $3)
         ON CONFLICT (hash) DO NOTHING RETURNING hash",
    )
    .bind(&f.hash)
    .bind(f.bytes.len() as i64)
    .bind(&f.media_type)
    .fetch_optional(&mut *tx)
    .await?;
    if fresh.is_some() {
        for (seq, chunk) in f.bytes.chunks(crate::db::FILE_CHUNK).enumerate() {
            sqlx::query("INSERT INTO file_chunk (hash, seq, bytes) VALUES ($1, $2, $3)")
                .bind(&f.hash)
                .bind(seq as i64)
                .bind(chunk)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// Adds the article's channel and its neighbours in channel order, as they are now, to `t`.
async fn placed(tx: &mut Conn, external_id: &str, t: &mut Touched) -> Result<(), sqlx::Error> {
    let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT c.slug,
            (SELECT b.external_id FROM article b WHERE b.channel_id = a.channel_id
               AND (b.published_utc, b.id) > (a.published_utc, a.id)
             ORDER BY b.published_utc ASC, b.id ASC LIMIT 1),
            (SELECT b.external_id FROM article b WHERE b.channel_id = a.channel_id
               AND (b.published_utc, b.id) < (a.published_utc, a.id)
             ORDER BY b.published_utc DESC, b.id DESC LIMIT 1)
         FROM article a JOIN channel c ON c.id = a.channel_id WHERE a.external_id = $1",
    )
    .bind(external_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((slug, newer, older)) = row {
        t.channels.insert(slug);
        t.articles.extend(newer);
        t.articles.extend(older);
    }
    Ok(())
}

/// Search index entries waiting to be written, by the backend, in one go (see its
/// `index_articles`); bounded by the folded text they hold.
#[derive(Default)]
struct Indexer {
    batch: Vec<(i64, String, String)>,
    /// Where each row is in `batch`: an article imported twice keeps its last text.
    at: HashMap<i64, usize>,
    bytes: usize,
}

impl Indexer {
    const BATCH_BYTES: usize = 2 << 20;

    /// Adds an article's folded title and its subtitle and body text; writes the batch when full.
    async fn add(
        &mut self,
        tx: &mut Conn,
        row: i64,
        title: &str,
        subtitle: Option<&str>,
        body_html: &str,
    ) -> Result<(), sqlx::Error> {
        use crate::search::fold;
        use crate::text::plain_text;
        let mut body = subtitle.map(|s| format!("{s}\n")).unwrap_or_default();
        body.push_str(&plain_text(body_html));
        let (title, body) = (fold(title), fold(&body));
        self.bytes += title.len() + body.len();
        match self.at.get(&row) {
            Some(&i) => self.batch[i] = (row, title, body),
            None => {
                self.at.insert(row, self.batch.len());
                self.batch.push((row, title, body));
            }
        }
        if self.bytes >= Self::BATCH_BYTES {
            self.flush(tx).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, tx: &mut Conn) -> Result<(), sqlx::Error> {
        super::index_articles(tx, &mut self.batch).await?;
        self.batch.clear();
        self.at.clear();
        self.bytes = 0;
        Ok(())
    }
}

impl Store {
    /// Makes the search index anew under `scheme` (another build folds differently), in one
    /// transaction; a process that finds it made meanwhile does nothing.
    async fn rebuild_search(&self, scheme: &str) -> Result<(), DbError> {
        let mut tx = super::begin_write(&self.pool).await?;
        sqlx::query("UPDATE search_state SET scheme = scheme WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let made: String = sqlx::query_scalar("SELECT scheme FROM search_state WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        if made == scheme {
            return Ok(());
        }
        tracing::info!("building the search index");
        super::clear_index(&mut tx).await?;
        let (mut last, mut count) = (0i64, 0usize);
        let mut indexer = Indexer::default();
        loop {
            /// Row, title, subtitle, body, 政务公开 metadata (JSON).
            type Indexed = (i64, String, Option<String>, String, Option<String>);
            let rows: Vec<Indexed> = sqlx::query_as(
                "SELECT id, title, subtitle, body_html, gov FROM article WHERE id > $1 ORDER BY id LIMIT 500",
            )
            .bind(last)
            .fetch_all(&mut *tx)
            .await?;
            let Some(end) = rows.last().map(|r| r.0) else {
                break;
            };
            for (row, title, subtitle, body, gov) in &rows {
                let gov = gov.as_deref().and_then(|g| serde_json::from_str(g).ok());
                let title = searched_title(title, gov.as_ref());
                indexer
                    .add(&mut tx, *row, &title, subtitle.as_deref(), body)
                    .await?;
            }
            count += rows.len();
            last = end;
        }
        indexer.flush(&mut tx).await?;
        sqlx::query("UPDATE search_state SET scheme = $1 WHERE id = 1")
            .bind(scheme)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(articles = count, "search index built");
        Ok(())
    }
}

async fn free_slug(tx: &mut Conn, base: &str) -> Result<String, sqlx::Error> {
    let mut candidate = base.to_owned();
    for n in 2.. {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM channel WHERE slug = $1")
            .bind(&candidate)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_none() {
            break;
        }
        candidate = format!("{base}-{n}");
    }
    Ok(candidate)
}

#[async_trait::async_trait]
impl Database for Store {
    async fn migrate(&self) -> Result<(), DbError> {
        MIGRATOR.run(&self.pool).await?;
        let scheme = crate::search::scheme();
        let made: String = sqlx::query_scalar("SELECT scheme FROM search_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if made != scheme {
            self.rebuild_search(&scheme).await?;
        }
        Ok(())
    }

    async fn import_stream(
        &self,
        mut articles: ArticleStream<'_>,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<Vec<String>, DbError> {
        use futures::StreamExt;
        let mut tx = super::begin_write(&self.pool).await?;
        // First: one import at a time, whichever process runs it.
        let version: i64 = sqlx::query_scalar(
            "UPDATE content_version SET version = version + 1 WHERE id = 1 RETURNING version",
        )
        .fetch_one(&mut *tx)
        .await?;
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut resolver = Resolver::default();
        let mut ids = Vec::new();
        // What pages this import changes; past `TOUCH_LIMIT` articles, everything.
        let mut touched = Some(Touched::default());
        let mut indexer = Indexer::default();
        // Dropping `tx` on an early return rolls back everything written so far.
        while let Some(next) = articles.next().await {
            if ids.len().is_multiple_of(1000) {
                progress(ids.len());
            }
            let a = next.map_err(|e| DbError::Rejected {
                line: e.line,
                reason: e.reason,
            })?;
            if let Some((i, path)) = a.wanted_files.first() {
                return Err(DbError::Rejected {
                    line: a.line,
                    reason: format!(
                        "\"attachments[{i}].file\" {path:?} was not read: import the file with `server import`"
                    ),
                });
            }
            for f in &a.files {
                store_file(&mut tx, f).await?;
            }
            let site_id = resolver.site(&mut tx, &a).await?;
            let department_id = resolver.department(&mut tx, site_id, &a).await?;
            let channel_id = resolver.channel(&mut tx, department_id, &a).await?;
            if ids.len() >= TOUCH_LIMIT {
                touched = None;
            }
            if let Some(t) = &mut touched {
                t.articles.insert(a.external_id.clone());
                placed(&mut tx, &a.external_id, t).await?;
            }
            let [gov, attachments, related, document_key, index_key] = json_columns(&a);
            let row: i64 = sqlx::query(
                "INSERT INTO article (external_id, channel_id, title, subtitle, source, author,
                                      published_at, published_utc, body_html, summary,
                                      updated_at, gov, attachments, related, document_key,
                                      index_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                 ON CONFLICT (external_id) DO UPDATE SET
                    channel_id = excluded.channel_id, title = excluded.title,
                    subtitle = excluded.subtitle, source = excluded.source,
                    author = excluded.author, published_at = excluded.published_at,
                    published_utc = excluded.published_utc, body_html = excluded.body_html,
                    summary = excluded.summary,
                    updated_at = excluded.updated_at, gov = excluded.gov,
                    attachments = excluded.attachments, related = excluded.related,
                    document_key = excluded.document_key, index_key = excluded.index_key
                 RETURNING id",
            )
            .bind(&a.external_id)
            .bind(channel_id)
            .bind(&a.title)
            .bind(&a.subtitle)
            .bind(&a.source)
            .bind(&a.author)
            .bind(&a.published_at)
            .bind(a.published_utc)
            .bind(&a.body_html)
            .bind(&a.summary)
            .bind(&now)
            .bind(gov)
            .bind(attachments)
            .bind(related)
            .bind(document_key)
            .bind(index_key)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
            let title = searched_title(&a.title, a.gov.as_ref());
            indexer
                .add(&mut tx, row, &title, a.subtitle.as_deref(), &a.body_html)
                .await?;
            if let Some(t) = &mut touched {
                placed(&mut tx, &a.external_id, t).await?;
            }
            ids.push(a.external_id);
        }
        indexer.flush(&mut tx).await?;
        let scopes: Vec<String> = match &touched {
            Some(t) => t.scopes().collect(),
            None => vec!["*".to_owned()],
        };
        for scope in scopes {
            sqlx::query("INSERT INTO content_change (version, scope) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(version)
                .bind(scope)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM content_change WHERE version <= $1")
            .bind(version - CHANGES_KEPT)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(ids)
    }

    fn export(&self) -> ArticleStream<'_> {
        use futures::{StreamExt, TryStreamExt};
        sqlx::query(
            "SELECT a.external_id, s.name AS site, d.name AS department, c.name AS channel,
                    c.slug, a.title, a.subtitle, a.source, a.author, a.published_at,
                    a.published_utc, a.body_html, a.summary, a.gov, a.attachments, a.related
             FROM article a
             JOIN channel c ON c.id = a.channel_id
             JOIN department d ON d.id = c.department_id
             JOIN site s ON s.id = d.site_id
             ORDER BY a.id",
        )
        .fetch(&self.pool)
        .enumerate()
        .map(|(i, row)| {
            let r = row.map_err(|e| crate::import::LineError {
                line: i + 1,
                reason: format!("reading the source database: {e}"),
            })?;
            Ok(NewArticle {
                line: i + 1,
                external_id: r.get("external_id"),
                site: Some(r.get("site")),
                department: Some(r.get("department")),
                channel: r.get("channel"),
                channel_slug: Some(r.get("slug")),
                title: r.get("title"),
                subtitle: r.get("subtitle"),
                source: r.get("source"),
                author: r.get("author"),
                published_at: r.get("published_at"),
                published_utc: r.get("published_utc"),
                body_html: r.get("body_html"),
                summary: r.get("summary"),
                gov: json_column(&r, "gov"),
                attachments: json_column(&r, "attachments").unwrap_or_default(),
                related: json_column(&r, "related").unwrap_or_default(),
                wanted_files: Vec::new(),
                files: Vec::new(),
            })
        })
        .into_stream()
        .boxed()
    }

    async fn file(&self, hash: &str) -> Result<Option<(i64, String)>, DbError> {
        Ok(
            sqlx::query_as("SELECT size, media_type FROM file WHERE hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn file_chunk(&self, hash: &str, seq: i64) -> Result<Option<Vec<u8>>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT bytes FROM file_chunk WHERE hash = $1 AND seq = $2")
                .bind(hash)
                .bind(seq)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn file_hashes(&self) -> Result<Vec<String>, DbError> {
        Ok(sqlx::query_scalar("SELECT hash FROM file ORDER BY hash")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn put_file(&self, file: &crate::import::NewFile) -> Result<(), DbError> {
        let mut tx = super::begin_write(&self.pool).await?;
        store_file(&mut tx, file).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_report(
        &self,
        r: &crate::db::NewReport,
        since_utc: i64,
        limit: i64,
    ) -> Result<bool, DbError> {
        let mut tx = super::begin_write(&self.pool).await?;
        super::lock_reports(&mut tx).await?;
        let made: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM report WHERE client = $1 AND created_utc > $2",
        )
        .bind(&r.client)
        .bind(since_utc)
        .fetch_one(&mut *tx)
        .await?;
        if made >= limit {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO report (reference, article_id, variant, excerpt, description, contact,
                                 client, created_utc, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&r.reference)
        .bind(&r.article_id)
        .bind(&r.variant)
        .bind(&r.excerpt)
        .bind(&r.description)
        .bind(&r.contact)
        .bind(&r.client)
        .bind(r.created_utc)
        .bind(&r.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn report_article(&self, reference: &str) -> Result<Option<String>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT article_id FROM report WHERE reference = $1")
                .bind(reference)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn reports(&self, since_utc: Option<i64>) -> Result<Vec<crate::db::Report>, DbError> {
        let rows = sqlx::query(
            "SELECT reference, article_id, variant, excerpt, description, contact, created_at
             FROM report WHERE created_utc >= $1 ORDER BY created_utc, id",
        )
        .bind(since_utc.unwrap_or(i64::MIN))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| crate::db::Report {
                reference: r.get("reference"),
                article_id: r.get("article_id"),
                variant: r.get("variant"),
                excerpt: r.get("excerpt"),
                description: r.get("description"),
                contact: r.get("contact"),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    async fn article_count(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM article")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn feed_entries(
        &self,
        channel: Option<&str>,
        limit: i64,
    ) -> Result<Vec<crate::db::FeedEntry>, DbError> {
        macro_rules! feed {
            ($where:literal) => {
                concat!(
                    "SELECT a.external_id, a.title, a.summary, a.body_html, a.published_at,
                        a.updated_at, a.source, a.author, a.attachments, c.name AS channel,
                        c.slug, s.name AS site
                     FROM article a JOIN channel c ON c.id = a.channel_id
                     JOIN department d ON d.id = c.department_id
                     JOIN site s ON s.id = d.site_id ",
                    $where
                )
            };
        }
        let rows = match channel {
            Some(slug) => {
                sqlx::query(feed!(
                    "WHERE c.slug = $1 ORDER BY a.published_utc DESC, a.id DESC LIMIT $2"
                ))
                .bind(slug)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(feed!("ORDER BY a.published_utc DESC, a.id DESC LIMIT $1"))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        Ok(rows
            .iter()
            .map(|r| crate::db::FeedEntry {
                id: r.get("external_id"),
                title: r.get("title"),
                summary: r.get("summary"),
                body_html: r.get("body_html"),
                published_at: r.get("published_at"),
                updated_at: r.get("updated_at"),
                source: r.get("source"),
                author: r.get("author"),
                channel: r.get("channel"),
                slug: r.get("slug"),
                site: r.get("site"),
                attachments: json_column(r, "attachments").unwrap_or_default(),
            })
            .collect())
    }

    async fn sitemap_channels(&self) -> Result<Vec<(String, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT c.slug, MAX(a.updated_at) FROM channel c
             JOIN article a ON a.channel_id = c.id
             GROUP BY c.slug ORDER BY c.slug",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn sitemap_articles(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<(String, String)>, DbError> {
        Ok(sqlx::query_as(
            "SELECT external_id, updated_at FROM article ORDER BY id LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn instance(&self) -> Result<String, DbError> {
        Ok(sqlx::query_scalar("SELECT name FROM instance WHERE id = 1")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn view_totals(
        &self,
        each: &mut (dyn for<'a> FnMut(&'a str, i64) + Send),
    ) -> Result<(), DbError> {
        use futures::TryStreamExt;
        let mut rows = sqlx::query(
            "SELECT a.external_id, COALESCE(v.views, 0) AS views
             FROM article a LEFT JOIN article_view v ON v.article_id = a.id",
        )
        .fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            each(row.get("external_id"), row.get("views"));
        }
        Ok(())
    }

    async fn ready(&self) -> Result<bool, DbError> {
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(applied.unwrap_or(0) >= latest)
    }

    async fn content_version(&self) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT version FROM content_version WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn changes_since(&self, seen: i64) -> Result<(i64, Option<Touched>), DbError> {
        let mut tx = self.pool.begin().await?;
        let now = sqlx::query_scalar("SELECT version FROM content_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT version, scope FROM content_change WHERE version > $1 AND version <= $2",
        )
        .bind(seen)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((now, touched_since(seen, now, &rows)))
    }

    async fn view_changes(&self, mark: Option<i64>) -> Result<(i64, Vec<(String, i64)>), DbError> {
        Ok(super::view_changes(&self.pool, mark).await?)
    }

    async fn add_views(&self, views: &[(String, i64)]) -> Result<Vec<Option<i64>>, DbError> {
        // One transaction, a statement per chunk of the batch in id order: replicas writing their
        // batches at once take row locks in one order, and what is held at once (the JSON text, the
        // rows returned) is a chunk's, not the batch's.
        use futures::TryStreamExt;
        let mut totals = vec![None; views.len()];
        let mut order: Vec<usize> = (0..views.len()).filter(|&i| views[i].1 > 0).collect();
        if order.is_empty() {
            return Ok(totals);
        }
        order.sort_unstable_by(|&a, &b| views[a].0.cmp(&views[b].0));
        let mut tx = super::begin_write(&self.pool).await?;
        for chunk in order.chunks(VIEWS_CHUNK) {
            let text = serde_json::to_string(&Batch(views, chunk))
                .map_err(|e| DbError::Sqlx(sqlx::Error::Encode(Box::new(e))))?;
            // Additions, never overwrites: each process adds only the views it counted.
            let mut rows = sqlx::query_as::<_, (String, i64)>(super::ADD_VIEWS)
                .bind(text)
                .fetch(&mut *tx);
            while let Some((id, total)) = rows.try_next().await? {
                if let Ok(at) = chunk.binary_search_by(|&i| views[i].0.as_str().cmp(&id)) {
                    totals[chunk[at]] = Some(total);
                }
            }
        }
        tx.commit().await?;
        Ok(totals)
    }
}

/// Articles whose views one statement adds.
const VIEWS_CHUNK: usize = 1024;

/// A chunk of views (positions in the batch) as a JSON object of article id → views (ids are
/// unique in a batch).
struct Batch<'a>(&'a [(String, i64)], &'a [usize]);

impl serde::Serialize for Batch<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.1.iter().map(|&i| (&self.0[i].0, self.0[i].1)))
    }
}
