//! Opening the database a URL names: the one place that picks a backend.

use super::{Database, DbError, postgres, sqlite};
use std::sync::Arc;

/// Opens (creating if needed) the database named by `url`.
pub async fn connect(url: &str) -> Result<Arc<dyn Database>, DbError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::Store::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::Store::connect(url).await?))
    } else {
        Err(DbError::UnsupportedUrl(url.to_owned()))
    }
}
