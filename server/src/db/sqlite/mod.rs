//! SQLite backend: the default, created on first start beside the binary.

use super::DbError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

// The shared queries, compiled over this backend's types (once per backend, on purpose).
#[allow(clippy::duplicate_mod)]
#[path = "../shared.rs"]
mod shared;

type Db = sqlx::Sqlite;
type Conn = sqlx::SqliteConnection;
type DbRow = sqlx::sqlite::SqliteRow;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/db/sqlite/migrations");

pub struct Store {
    pool: sqlx::Pool<Db>,
}

impl Store {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(DbError::Connect)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 128 KiB of pages per connection (SQLite's default is 2 MiB): the file's pages are in
            // the system's cache anyway, and eight connections' worth counts against the process
            // (at 1 MiB a long tail over 100,000 articles peaked 9 MB higher, renders no faster).
            .pragma("cache_size", "-128");
        let pool = pool_options()
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Self { pool })
    }
}

fn pool_options() -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(8)
        .after_release(|conn, _| Box::pin(async move { consistent(conn).await }))
}

/// Whether a connection given back may be used again. After a full disk (or an I/O error) SQLite
/// may roll a transaction back by itself; sqlx's own ROLLBACK then fails and leaves it counting a
/// transaction that no longer exists, so every later BEGIN on it would fail. Such a connection is
/// closed instead.
async fn consistent(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // A dropped transaction's rollback is queued on the connection's worker: wait for it.
    conn.ping().await?;
    let ok = !conn.is_in_transaction();
    if !ok {
        tracing::warn!("database connection closed: its transaction ended in SQLite unseen");
    }
    Ok(ok)
}

/// A transaction that writes: it takes the write lock first, so one that reads before it writes
/// (an import) waits its turn instead of failing with "database is locked" when it comes to write.
async fn begin_write(pool: &sqlx::Pool<Db>) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Reports are counted and written one transaction at a time: `BEGIN IMMEDIATE` does that here.
async fn lock_reports(_tx: &mut Conn) -> Result<(), sqlx::Error> {
    Ok(())
}

/// Adds views to their totals (see `shared`'s `add_views`): `$1` is a JSON object of article id →
/// views, in byte order of id (the order chunks follow). Returns (article id, new total).
const ADD_VIEWS: &str = "INSERT INTO article_view (article_id, views)
     SELECT a.id, v.value FROM json_each($1) v JOIN article a ON a.external_id = v.key
     WHERE true
     ORDER BY v.key
     ON CONFLICT (article_id) DO UPDATE SET views = article_view.views + excluded.views
     RETURNING (SELECT external_id FROM article WHERE id = article_view.article_id), views";

/// One process writes a SQLite database's views: no other process changes its totals.
async fn view_changes(
    _pool: &sqlx::Pool<Db>,
    _mark: Option<i64>,
) -> Result<(i64, Vec<(String, i64)>), sqlx::Error> {
    Ok((0, vec![]))
}

/// Writes articles' search terms (see `search.rs`), replacing any they had. FTS5 keeps terms in
/// memory until another statement (any with a statement journal, like the article upsert) makes
/// it write them out as a segment: written together, in rowid order, a batch is one segment.
async fn index_articles(
    tx: &mut Conn,
    batch: &mut [(i64, String, String)],
) -> Result<(), sqlx::Error> {
    use crate::search::grams;
    batch.sort_by_key(|a| a.0);
    for (row, ..) in batch.iter() {
        // Its own `_docsize` table names the rows it holds; only those need a delete.
        let indexed: Option<i64> =
            sqlx::query_scalar("SELECT id FROM article_search_docsize WHERE id = $1")
                .bind(row)
                .fetch_optional(&mut *tx)
                .await?;
        if indexed.is_some() {
            sqlx::query("DELETE FROM article_search WHERE rowid = $1")
                .bind(row)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (row, title, body) in batch.iter() {
        sqlx::query("INSERT INTO article_search (rowid, title, body) VALUES ($1, $2, $3)")
            .bind(row)
            .bind(grams(title).join(" "))
            .bind(grams(body).join(" "))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

async fn clear_index(tx: &mut Conn) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO article_search (article_search) VALUES ('delete-all')")
        .execute(&mut *tx)
        .await
        .map(drop)
}

/// FTS5 terms: each term the phrase of its bigrams; a single character, every term it begins.
fn match_expression(terms: &[String], column: Option<&str>) -> String {
    let column = column.map(|c| format!("{c} : ")).unwrap_or_default();
    terms
        .iter()
        .map(|t| {
            let phrase = crate::search::term_grams(t).join(" ").replace('"', "\"\"");
            let prefix = if t.chars().count() == 1 { "*" } else { "" };
            format!("{column}\"{phrase}\"{prefix}")
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Rows (tier, published_utc, id) holding every term, in search order, after `from` (tier,
/// -published_utc, -id).
async fn search_ids(
    store: &Store,
    terms: &[String],
    from: (i32, i64, i64),
    limit: i64,
) -> Result<Vec<(i32, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT tier, published_utc, id FROM (
            SELECT CASE WHEN s.rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH $1)
                        THEN 0 ELSE 1 END AS tier,
                   a.published_utc, a.id
            FROM article_search s JOIN article a INDEXED BY article_id_time ON a.id = s.rowid
            WHERE article_search MATCH $2
         ) WHERE (tier, -published_utc, -id) > ($3, $4, $5)
         ORDER BY tier, published_utc DESC, id DESC LIMIT $6",
    )
    .bind(match_expression(terms, Some("title")))
    .bind(match_expression(terms, None))
    .bind(from.0)
    .bind(from.1)
    .bind(from.2)
    .bind(limit)
    .fetch_all(&store.pool)
    .await
}

#[cfg(test)]
mod tests {
    use sqlx::sqlite::SqliteConnectOptions;

    #[tokio::test]
    async fn a_transaction_sqlite_ended_itself_does_not_stop_later_ones() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("t.db"))
            .create_if_missing(true);
        let pool = super::pool_options()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        for _ in 0..3 {
            let mut tx = super::begin_write(&pool)
                .await
                .expect("a transaction begins");
            // What a full disk may do: SQLite ends the transaction by itself.
            sqlx::raw_sql("ROLLBACK").execute(&mut *tx).await.unwrap();
        }
        let mut tx = super::begin_write(&pool).await.unwrap();
        sqlx::raw_sql("CREATE TABLE t (x)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}
