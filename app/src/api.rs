//! Server functions: the pages' only way to data. They run on the server and ask [`Storage`].

use crate::error::AppError;
use crate::model::{ArticlePage, ChannelPage, Home, PageQuery};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::error::AppError;
    use crate::storage::{SharedStorage, SiteConfig, Storage};
    use leptos::prelude::use_context;
    use std::sync::Arc;

    pub fn storage() -> Result<Arc<dyn Storage>, AppError> {
        use_context::<SharedStorage>().map(|s| s.0).ok_or_else(|| {
            tracing::error!("storage missing from context");
            AppError::Internal
        })
    }

    pub fn public_url() -> String {
        use_context::<SiteConfig>()
            .map(|c| c.public_url)
            .unwrap_or_default()
    }
}

#[server(prefix = "/_fn", endpoint = "home")]
pub async fn get_home() -> Result<Home, AppError> {
    use self::ssr::*;
    Ok(storage()?.home(crate::model::LATEST_PER_CHANNEL).await?)
}

#[server(prefix = "/_fn", endpoint = "channel")]
pub async fn get_channel(slug: String, query: PageQuery) -> Result<ChannelPage, AppError> {
    use self::ssr::*;
    if !crate::model::is_valid_slug(&slug) {
        return Err(AppError::NotFound);
    }
    storage()?
        .channel_page(&slug, query, crate::model::PAGE_SIZE)
        .await?
        .ok_or(AppError::NotFound)
}

/// Loads an article for reading and counts the view. A failed count never fails the page.
#[server(prefix = "/_fn", endpoint = "article")]
pub async fn get_article(id: String) -> Result<ArticlePage, AppError> {
    use self::ssr::*;
    if !crate::model::is_valid_article_id(&id) {
        return Err(AppError::NotFound);
    }
    let storage = storage()?;
    let mut article = storage.article(&id).await?.ok_or(AppError::NotFound)?;
    match storage.record_view(&id).await {
        Ok(Some(count)) => article.view_count = count,
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, id, "view not counted"),
    }
    let url = format!("{}{}", public_url(), crate::model::article_path(&id));
    Ok(ArticlePage { article, url })
}
