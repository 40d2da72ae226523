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

/// Adds to a view total (see `shared`'s `add_views`), marking the row with this transaction.
const ADD_VIEWS: &str = "INSERT INTO article_view (article_id, views)
     SELECT id, $1 FROM article WHERE external_id = $2
     ON CONFLICT (article_id) DO UPDATE
        SET views = article_view.views + excluded.views, txid = pg_current_xact_id()
     RETURNING views";

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
    let set: std::collections::BTreeSet<&str> =
        grams(title).into_iter().chain(grams(body)).collect();
    sqlx::query(
        "INSERT INTO article_search (article_id, title, body, grams)
         VALUES ($1, $2, $3, array_to_tsvector($4::text[]))
         ON CONFLICT (article_id) DO UPDATE
            SET title = excluded.title, body = excluded.body, grams = excluded.grams",
    )
    .bind(row)
    .bind(title)
    .bind(body)
    .bind(set.into_iter().collect::<Vec<_>>())
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
/// -published_utc, -id): candidates from the index, each term then found in the folded text.
async fn search_ids(
    pool: &sqlx::Pool<Db>,
    terms: &[String],
    from: (i32, i64, i64),
    limit: i64,
) -> Result<Vec<(i32, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT tier, published_utc, id FROM (
            SELECT CASE WHEN (SELECT bool_and(strpos(s.title, t) > 0) FROM unnest($1::text[]) t)
                        THEN 0 ELSE 1 END AS tier,
                   a.published_utc, a.id
            FROM article_search s JOIN article a ON a.id = s.article_id
            WHERE s.grams @@ $2::tsquery
              AND (SELECT bool_and(strpos(s.title, t) > 0 OR strpos(s.body, t) > 0)
                   FROM unnest($1::text[]) t)
         ) h WHERE (tier, -published_utc, -id) > ($3, $4, $5)
         ORDER BY tier, published_utc DESC, id DESC LIMIT $6",
    )
    .bind(terms)
    .bind(ts_query(terms))
    .bind(from.0)
    .bind(from.1)
    .bind(from.2)
    .bind(limit)
    .fetch_all(pool)
    .await
}
