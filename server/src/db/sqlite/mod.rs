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
            // 1 MiB of pages per connection (SQLite's default is 2): the file's pages are in the
            // system's cache anyway, and eight connections' worth counts against the process.
            .pragma("cache_size", "-1024");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Self { pool })
    }
}

/// A transaction that writes: it takes the write lock first, so one that reads before it writes
/// (an import) waits its turn instead of failing with "database is locked" when it comes to write.
async fn begin_write(pool: &sqlx::Pool<Db>) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Adds to a view total (see `shared`'s `add_views`).
const ADD_VIEWS: &str = "INSERT INTO article_view (article_id, views)
     SELECT id, $1 FROM article WHERE external_id = $2
     ON CONFLICT (article_id) DO UPDATE SET views = article_view.views + excluded.views
     RETURNING views";

/// One process writes a SQLite database's views: no other process changes its totals.
async fn view_changes(
    _pool: &sqlx::Pool<Db>,
    _mark: Option<i64>,
) -> Result<(i64, Vec<(String, i64)>), sqlx::Error> {
    Ok((0, vec![]))
}
