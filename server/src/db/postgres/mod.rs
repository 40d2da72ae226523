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
