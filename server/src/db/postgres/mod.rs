//! PostgreSQL backend: shared state for any number of server processes.

use super::DbError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

// The shared queries, compiled over this backend's types (once per backend, on purpose).
#[allow(clippy::duplicate_mod)]
#[path = "../shared.rs"]
mod shared;

type Db = sqlx::Postgres;
type Conn = sqlx::PgConnection;
type DbRow = sqlx::postgres::PgRow;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/db/postgres/migrations");

pub struct Store {
    pool: sqlx::Pool<Db>,
}

impl Store {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(DbError::Connect)?
            .application_name("portal");
        let pool = PgPoolOptions::new()
            .max_connections(8)
            // A database gone answers a request with an error in bounded time, not a hang.
            .acquire_timeout(Duration::from_secs(3))
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Self { pool })
    }
}

/// A transaction that writes. Imports serialise on the `content_version` row they update first.
async fn begin_write(pool: &sqlx::Pool<Db>) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin().await
}

/// Reports are counted and written one transaction at a time (else two at once could both pass
/// the hourly limit): a transaction-scoped advisory lock.
async fn lock_reports(tx: &mut Conn) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(7100)")
        .execute(&mut *tx)
        .await
        .map(drop)
}

/// Adds views to their totals (see `shared`'s `add_views`): `$1` is a JSON object of article id →
/// views; rows in byte order of id (the order chunks follow), each marked with this transaction.
/// Returns (article id, new total).
const ADD_VIEWS: &str = "INSERT INTO article_view (article_id, views)
     SELECT a.id, v.value::bigint FROM jsonb_each_text($1::text::jsonb) v
     JOIN article a ON a.external_id = v.key
     ORDER BY v.key COLLATE \"C\"
     ON CONFLICT (article_id) DO UPDATE
        SET views = article_view.views + excluded.views, txid = pg_current_xact_id()
     RETURNING (SELECT external_id FROM article WHERE id = article_view.article_id), views";

/// Totals other processes changed: every row written by a transaction not older than `mark` (the
/// oldest transaction still running when the last call looked), and the mark for the next call.
/// With `None`, only the mark.
async fn view_changes(
    pool: &sqlx::Pool<Db>,
    mark: Option<i64>,
) -> Result<(i64, Vec<(String, i64)>), sqlx::Error> {
    // Taken before the rows are read: a transaction that commits in between is read now or next time.
    let next: i64 =
        sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            .fetch_one(pool)
            .await?;
    let Some(mark) = mark else {
        return Ok((next, vec![]));
    };
    let rows = sqlx::query_as(
        "SELECT a.external_id, v.views FROM article_view v JOIN article a ON a.id = v.article_id
         WHERE v.txid >= $1::text::xid8",
    )
    .bind(mark.to_string())
    .fetch_all(pool)
    .await?;
    Ok((next, rows))
}

/// Writes articles' folded text and their sets of search terms (see `search.rs`).
async fn index_articles(
    tx: &mut Conn,
    batch: &mut [(i64, String, String)],
) -> Result<(), sqlx::Error> {
    for (row, title, body) in batch.iter() {
        index_article(tx, *row, title, body).await?;
    }
    Ok(())
}

async fn index_article(
    tx: &mut Conn,
    row: i64,
    title: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    use crate::search::grams;
    let in_title: std::collections::BTreeSet<&str> = grams(title).into_iter().collect();
    let set: std::collections::BTreeSet<&str> =
        in_title.iter().copied().chain(grams(body)).collect();
    sqlx::query(
        "INSERT INTO article_search (article_id, title, body, grams, title_grams)
         VALUES ($1, $2, $3, array_to_tsvector($4::text[]), array_to_tsvector($5::text[]))
         ON CONFLICT (article_id) DO UPDATE
            SET title = excluded.title, body = excluded.body, grams = excluded.grams,
                title_grams = excluded.title_grams",
    )
    .bind(row)
    .bind(title)
    .bind(body)
    .bind(set.into_iter().collect::<Vec<_>>())
    .bind(in_title.into_iter().collect::<Vec<_>>())
    .execute(&mut *tx)
    .await
    .map(drop)
}

async fn clear_index(tx: &mut Conn) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM article_search")
        .execute(&mut *tx)
        .await
        .map(drop)
}

/// The index's query: every bigram of every term; a single character, every term it begins.
fn ts_query(terms: &[String]) -> String {
    let lexeme = |g: &str| format!("'{}'", g.replace('\\', "\\\\").replace('\'', "''"));
    terms
        .iter()
        .map(|t| {
            let grams = crate::search::term_grams(t);
            if t.chars().count() == 1 {
                format!("{}:*", lexeme(t))
            } else {
                grams
                    .iter()
                    .map(|g| lexeme(g))
                    .collect::<Vec<_>>()
                    .join(" & ")
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Rows (tier, published_utc, id) holding every term, in search order, after `from` (tier,
/// -published_utc, -id): title matches (tier 0), then the rest (tier 1), each newest first.
/// A common query's first page is among the newest articles, a rare one's is found from the
/// index; the planner cannot tell which is which (it takes a phrase's bigrams as independent, so a
/// phrase of common ones looks rare, and skips wide index values in its statistics), so each tier
/// reads the newest articles first and goes to the index when they do not fill the page.
async fn search_ids(
    store: &Store,
    terms: &[String],
    from: (i32, i64, i64),
    limit: i64,
) -> Result<Vec<(i32, i64, i64)>, sqlx::Error> {
    let start = (i64::MAX, i64::MAX);
    let mut out = Vec::new();
    for tier in [Tier::Title, Tier::Text] {
        let n = tier as i32;
        let left = limit - out.len() as i64;
        if from.0 > n || left <= 0 {
            continue;
        }
        let before = if from.0 == n {
            (-from.1, -from.2)
        } else {
            start
        };
        let find = Find::new(tier, terms);
        let rows = find.walking(&store.pool, before, left).await?;
        out.extend(rows.into_iter().map(|(t, id)| (n, t, id)));
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq)]
enum Tier {
    Title = 0,
    Text = 1,
}

/// One tier's query (see `search_ids`).
struct Find<'a> {
    terms: &'a [String],
    query: String,
    /// What a row holds to be found, over `s` (article_search), through the index.
    found: String,
    /// The same, row by row: `ts_match_vq` is `@@`, but not a condition the planner can take to
    /// the index.
    checked: String,
}

impl<'a> Find<'a> {
    fn new(tier: Tier, terms: &'a [String]) -> Self {
        const IN_TITLE: &str =
            "(SELECT bool_and(strpos(s.title, t) > 0) FROM unnest($1::text[]) t)";
        const IN_TEXT: &str = "(SELECT bool_and(strpos(s.title, t) > 0 OR strpos(s.body, t) > 0)
                                FROM unnest($1::text[]) t)";
        // A term of one or two characters is found exactly by its index terms; a longer one is
        // the set of its bigrams there, and is looked for in the text.
        let exact = terms.iter().all(|t| t.chars().count() <= 2);
        let holds = |indexed: bool| {
            let col = if tier == Tier::Title {
                "s.title_grams"
            } else {
                "s.grams"
            };
            let grams = if indexed {
                format!("{col} @@ $2::tsquery")
            } else {
                format!("ts_match_vq({col}, $2::tsquery)")
            };
            match (tier, exact) {
                (Tier::Title, true) => grams,
                (Tier::Title, false) => format!("{grams} AND {IN_TITLE}"),
                (Tier::Text, true) => format!("{grams} AND NOT {IN_TITLE}"),
                (Tier::Text, false) => format!("{grams} AND NOT {IN_TITLE} AND {IN_TEXT}"),
            }
        };
        let (found, checked) = (holds(true), holds(false));
        Self {
            terms,
            query: ts_query(terms),
            found,
            checked,
        }
    }

    /// Up to `limit` rows (published_utc, id) published before `before`, from the index.
    async fn indexed(
        &self,
        pool: &sqlx::Pool<Db>,
        before: (i64, i64),
        limit: i64,
    ) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        let sql = format!(
            "SELECT a.published_utc, a.id
             FROM article a JOIN article_search s ON s.article_id = a.id
             WHERE {} AND (a.published_utc, a.id) < ($3, $4)
             ORDER BY a.published_utc DESC, a.id DESC LIMIT $5",
            self.found
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.terms)
            .bind(&self.query)
            .bind(before.0)
            .bind(before.1)
            .bind(limit)
            .persistent(false)
            .fetch_all(pool)
            .await
    }

    /// The same, reading articles newest first in growing steps; after the last step, from the
    /// index for what is older. Each step's rows are checked one by one: a plan through the index
    /// reads every article holding the terms (a common phrase: 25,000 at 100,000 articles, seconds),
    /// and the planner, taking the phrase for rare, would choose it.
    async fn walking(
        &self,
        pool: &sqlx::Pool<Db>,
        mut before: (i64, i64),
        limit: i64,
    ) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        let sql = format!(
            "SELECT a.published_utc, a.id
             FROM unnest($3::bigint[]) w (id)
             JOIN article a ON a.id = w.id JOIN article_search s ON s.article_id = a.id
             WHERE {}
             ORDER BY a.published_utc DESC, a.id DESC LIMIT $4",
            self.checked
        );
        let mut out = Vec::new();
        for step in [4, 16, 64] {
            let read: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT published_utc, id FROM article WHERE (published_utc, id) < ($1, $2)
                 ORDER BY published_utc DESC, id DESC LIMIT $3",
            )
            .bind(before.0)
            .bind(before.1)
            .bind(step * limit)
            .fetch_all(pool)
            .await?;
            let ids: Vec<i64> = read.iter().map(|r| r.1).collect();
            let hits: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(self.terms)
                .bind(&self.query)
                .bind(&ids)
                .bind(limit - out.len() as i64)
                .fetch_all(pool)
                .await?;
            out.extend(hits);
            if out.len() as i64 >= limit || (read.len() as i64) < step * limit {
                return Ok(out);
            }
            before = read[read.len() - 1];
        }
        let left = limit - out.len() as i64;
        out.extend(self.indexed(pool, before, left).await?);
        Ok(out)
    }
}
