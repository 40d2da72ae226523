//! The composition root: what the app is made of (`AppState`), and `Setup::build`, the one place
//! that wires it — for the binary and for its tests alike.

use crate::db::Database;
use crate::page_cache::{PageCache, PageStore};
use crate::views::{CountedStore, ViewCounter};
use app::storage::{Convert, SharedConverter, SharedData, SharedStorage, SiteConfig, Storage};
use axum::extract::FromRef;
use leptos::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub storage: SharedStorage,
    pub converter: SharedConverter,
    pub site: SiteConfig,
    pub pages: Arc<PageCache>,
    /// For `/readyz`.
    pub db: Arc<dyn crate::db::Database>,
    pub sitemaps: crate::sitemap::Sitemaps,
    pub feeds: crate::feeds::Feeds,
}

impl AppState {
    pub(crate) fn context(&self) -> impl Fn() + Clone + Send + Sync + 'static {
        let storage = self.storage.clone();
        let converter = self.converter.clone();
        let site = self.site.clone();
        let data = SharedData(self.pages.data());
        let assets = crate::assets::paths();
        move || {
            // The page cache writes each response's own nonce over this one.
            provide_context(leptos::nonce::Nonce::from_value(
                crate::security::nonce_slot(),
            ));
            // And the reader's style over these slots.
            provide_context(app::reader::StyleSlots(crate::page_cache::style_marker()));
            provide_context(storage.clone());
            provide_context(converter.clone());
            provide_context(site.clone());
            provide_context(data.clone());
            provide_context(assets.clone());
        }
    }
}

/// What to build the app from.
pub struct Setup {
    pub database: Arc<dyn Database>,
    /// The script converter (the binary's reloads its glossary; tests use a fixed one).
    pub converter: Arc<dyn Convert>,
    /// The converter's glossary fingerprint: stored pages made with another are dropped.
    pub fingerprint: Arc<dyn Fn() -> u64 + Send + Sync>,
    pub site: SiteConfig,
    pub site_addr: std::net::SocketAddr,
    /// Memory for rendered pages, in bytes.
    pub page_cache_bytes: u64,
    /// The page store on disk and its bound in bytes, if any.
    pub page_store: Option<(PathBuf, u64)>,
    /// Serving readers: the store writes at a lower priority than they are served (not so in
    /// `server render`).
    pub serving: bool,
    /// The view flusher and the content watcher run by themselves; off, the caller drives flushes
    /// and refreshes (the tests do).
    pub background: bool,
    /// Wraps the storage the app is given (tests put failures in front of it).
    pub storage: fn(Arc<dyn Storage>) -> Arc<dyn Storage>,
}

/// The page store could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("page store {}: {source}", dir.display())]
pub struct StoreError {
    pub dir: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl Setup {
    /// The app and its view counter: the page cache refreshed once (so no stale stored page is
    /// served), and with `background` the view flusher and the content watcher started.
    pub async fn build(self) -> Result<(AppState, Arc<ViewCounter>), StoreError> {
        let database = self.database;
        let views = Arc::new(ViewCounter::new(database.clone()));
        if self.background {
            views
                .clone()
                .spawn_flusher(std::time::Duration::from_secs(1));
            let preload = views.clone();
            tokio::spawn(async move { preload.preload().await });
        } else {
            views.preload().await;
        }
        let mut pages = PageCache::new(self.page_cache_bytes, views.clone());
        if let Some((dir, bytes)) = self.page_store {
            let store =
                PageStore::open(&dir, bytes, self.serving).map_err(|source| StoreError {
                    dir: dir.clone(),
                    source,
                })?;
            tracing::info!(dir = %dir.display(), "page store");
            pages = pages.persisted(store);
        }
        let pages = Arc::new(pages);
        pages.refresh(database.as_ref(), (self.fingerprint)()).await;
        if self.background {
            let fingerprint = self.fingerprint.clone();
            pages
                .clone()
                .spawn_watcher(database.clone(), move || fingerprint());
        }
        let counted: Arc<dyn Storage> =
            Arc::new(CountedStore::new(database.clone(), views.clone()));
        let public_url: Arc<str> = self.site.public_url.as_str().into();
        let state = AppState {
            leptos_options: leptos_options(self.site_addr),
            storage: SharedStorage((self.storage)(counted)),
            converter: SharedConverter(self.converter.clone()),
            sitemaps: crate::sitemap::Sitemaps {
                db: database.clone(),
                public_url: public_url.clone(),
                data: pages.data(),
                made: Default::default(),
            },
            feeds: crate::feeds::Feeds {
                db: database.clone(),
                converter: self.converter,
                public_url,
                data: pages.data(),
                made: Default::default(),
            },
            site: self.site,
            pages,
            db: database,
        };
        Ok((state, views))
    }
}

/// Leptos options from cargo-leptos' environment when present, else this build's defaults.
pub fn leptos_options(addr: std::net::SocketAddr) -> LeptosOptions {
    let from_env = std::env::var_os("LEPTOS_OUTPUT_NAME").is_some()
        || option_env!("LEPTOS_OUTPUT_NAME").is_some();
    let mut options = from_env
        .then(|| get_configuration(None).ok())
        .flatten()
        .map(|c| c.leptos_options)
        .unwrap_or_else(|| {
            LeptosOptions::builder()
                .output_name(app::OUTPUT_NAME)
                .build()
        });
    options.site_addr = addr;
    options
}
