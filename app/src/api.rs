//! Server functions: the pages' only way to data. They run on the server, ask [`Storage`] and
//! convert what they return into the requested script variant.

use crate::error::AppError;
use crate::model::{ArticlePage, ChannelPage, Home, PageQuery, SearchCursor, SearchPage};
use crate::ui::Ui;
use crate::variant::Variant;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::error::AppError;
    use crate::model::{Article, ArticleLink, ChannelPage, Home, Trail};
    pub use crate::storage::CountedByServer;
    use crate::storage::{Convert, SharedConverter, SharedStorage, SiteConfig, Storage};
    pub use crate::storage::{DataKey, SharedData};
    use crate::variant::Variant;
    pub use leptos::prelude::use_context;
    use std::sync::Arc;

    pub fn storage() -> Result<Arc<dyn Storage>, AppError> {
        use_context::<SharedStorage>().map(|s| s.0).ok_or_else(|| {
            tracing::error!("storage missing from context");
            AppError::Internal
        })
    }

    pub fn converter() -> Result<Arc<dyn Convert>, AppError> {
        use_context::<SharedConverter>()
            .map(|s| s.0)
            .ok_or_else(|| {
                tracing::error!("converter missing from context");
                AppError::Internal
            })
    }

    pub fn public_url() -> String {
        use_context::<SiteConfig>()
            .map(|c| c.public_url)
            .unwrap_or_default()
    }

    /// The value kept under `key`, else `make`'s, then kept (when the server keeps values).
    pub async fn cached<T, F>(
        key: DataKey,
        weight: impl FnOnce(&T) -> usize,
        make: F,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: std::future::Future<Output = Result<T, AppError>>,
    {
        let Some(SharedData(cache)) = use_context::<SharedData>() else {
            return make.await;
        };
        if let Some(v) = cache.get(&key).and_then(|v| v.downcast::<T>().ok()) {
            return Ok((*v).clone());
        }
        let epoch = cache.epoch();
        let value = make.await?;
        let w = weight(&value);
        cache.put(key, Arc::new(value.clone()), w, epoch);
        Ok(value)
    }

    /// Converts `value` with `f` on the blocking pool: a conversion takes a converter's lock and
    /// CPU time, and must not hold up the async workers that answer cached pages meanwhile.
    pub async fn converted<T: Send + 'static>(
        converter: Arc<dyn Convert>,
        variant: Variant,
        mut value: T,
        f: impl FnOnce(&To<'_>, &mut T) + Send + 'static,
    ) -> Result<T, AppError> {
        if variant == Variant::Hans {
            return Ok(value);
        }
        tokio::task::spawn_blocking(move || {
            f(&To(converter.as_ref(), variant), &mut value);
            value
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "conversion failed");
            AppError::Internal
        })
    }

    /// Converts everything a reader sees in these shapes. Simplified passes through untouched.
    pub struct To<'a>(pub &'a dyn Convert, pub Variant);

    impl To<'_> {
        /// Converts plain text.
        pub fn text(&self, s: &str) -> String {
            if self.1 == Variant::Hans {
                s.to_owned()
            } else {
                self.0.text(self.1, s)
            }
        }
    }

    impl To<'_> {
        fn s(&self, s: &mut String) {
            if self.1 != Variant::Hans {
                *s = self.0.text(self.1, s);
            }
        }

        fn trail(&self, t: &mut Trail) {
            self.s(&mut t.site);
            self.s(&mut t.department);
            self.s(&mut t.channel.name);
        }

        fn link(&self, l: &mut ArticleLink) {
            self.s(&mut l.title);
        }

        pub fn article(&self, a: &mut Article) {
            if self.1 == Variant::Hans {
                return;
            }
            if let Some(g) = &mut a.gov {
                // Dates, 索引号 and validity are not text to convert; 发文字号 is (号 → 號).
                for s in [
                    &mut g.issuer,
                    &mut g.document_number,
                    &mut g.topic,
                    &mut g.keywords,
                ] {
                    s.iter_mut().for_each(|s| self.s(s));
                }
            }
            a.attachments.iter_mut().for_each(|f| self.s(&mut f.name));
            a.related.iter_mut().for_each(|l| self.s(&mut l.title));
            self.s(&mut a.title);
            self.s(&mut a.source);
            self.s(&mut a.summary);
            a.subtitle.iter_mut().for_each(|s| self.s(s));
            a.author.iter_mut().for_each(|s| self.s(s));
            a.body_html = self.0.html(self.1, &a.body_html);
            self.trail(&mut a.trail);
            a.previous.iter_mut().for_each(|l| self.link(l));
            a.next.iter_mut().for_each(|l| self.link(l));
        }

        pub fn home(&self, h: &mut Home) {
            self.s(&mut h.site);
            for d in &mut h.departments {
                self.s(&mut d.name);
                for c in &mut d.channels {
                    self.s(&mut c.channel.name);
                    c.latest.iter_mut().for_each(|l| self.link(l));
                }
            }
        }

        pub fn channel(&self, p: &mut ChannelPage) {
            self.trail(&mut p.trail);
            p.articles.iter_mut().for_each(|l| self.link(l));
        }
    }
}

/// The interface text in `variant`.
#[server(prefix = "/_fn", endpoint = "ui")]
pub async fn get_ui(variant: Variant) -> Result<Ui, AppError> {
    use self::ssr::*;
    // Contexts are read before the first await: a render whose reader has gone may still finish.
    let (storage, converter, public_url) = (storage()?, converter()?, public_url());
    let footer = use_context::<crate::storage::SiteConfig>()
        .map(|c| c.footer)
        .unwrap_or_default();
    cached(DataKey::Ui(variant), |_| 8 << 10, async {
        let site = storage.site_name().await?;
        let mut ui = Ui::mapped(public_url, &site, str::to_owned);
        ui.footer = footer;
        converted(converter, variant, ui, move |to, ui| {
            ui.convert(variant, |s| to.text(s))
        })
        .await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "home")]
pub async fn get_home(variant: Variant) -> Result<Home, AppError> {
    use self::ssr::*;
    let (storage, converter) = (storage()?, converter()?);
    cached(DataKey::Home(variant), |_| 16 << 10, async {
        let home = storage.home(crate::model::LATEST_PER_CHANNEL).await?;
        converted(converter, variant, home, |to, h| to.home(h)).await
    })
    .await
}

#[server(prefix = "/_fn", endpoint = "channel")]
pub async fn get_channel(
    slug: String,
    query: PageQuery,
    variant: Variant,
) -> Result<ChannelPage, AppError> {
    use self::ssr::*;
    if !crate::model::is_valid_slug(&slug) {
        return Err(AppError::NotFound);
    }
    let key = DataKey::Channel(slug.clone(), query, variant);
    let (storage, converter) = (storage()?, converter()?);
    cached(key, |_| 4 << 10, async {
        let page = storage
            .channel_page(&slug, query, crate::model::PAGE_SIZE)
            .await?
            .ok_or(AppError::NotFound)?;
        converted(converter, variant, page, |to, p| to.channel(p)).await
    })
    .await
}

/// Counts a view of an article shown from prefetched data; the count after it, if it was counted.
#[server(prefix = "/_fn", endpoint = "view")]
pub async fn count_view(id: String) -> Result<Option<i64>, AppError> {
    use self::ssr::*;
    if !crate::model::is_valid_article_id(&id) {
        return Err(AppError::NotFound);
    }
    let storage = storage()?;
    let counted = match storage.record_view(&id).await {
        // Not read by this process yet (it may have started since the prefetch): read, then count.
        Ok(None) => match storage.article(&id).await? {
            Some(_) => storage.record_view(&id).await,
            None => return Err(AppError::NotFound),
        },
        other => other,
    };
    Ok(counted.unwrap_or_else(|e| {
        tracing::warn!(error = %e, id, "view not counted");
        None
    }))
}

/// Loads an article for reading and, with `count`, counts the view. A failed count never fails the page.
#[server(prefix = "/_fn", endpoint = "article")]
pub async fn get_article(
    id: String,
    variant: Variant,
    count: bool,
) -> Result<ArticlePage, AppError> {
    use self::ssr::*;
    if !crate::model::is_valid_article_id(&id) {
        return Err(AppError::NotFound);
    }
    let (storage, converter, public_url) = (storage()?, converter()?, public_url());
    let counted_by_server = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<CountedByServer>().copied());
    let key = DataKey::Article(id.clone(), variant);
    let weight = |(a, _): &(crate::model::Article, _)| a.body_html.len() * 2 + 2048;
    let url = format!("{public_url}{}", crate::address::article_path(&id));
    let shared = crate::components::head::variant_url(&url, variant);
    let (mut article, qr) = cached(key, weight, async {
        let mut article = storage.article(&id).await?.ok_or(AppError::NotFound)?;
        // Links to this site by its full address are followed in place, as paths.
        let on_site = |u: &mut String| {
            if let Some(path) = u.strip_prefix(public_url.as_str())
                && path.starts_with('/')
            {
                *u = path.to_owned();
            }
        };
        article.related.iter_mut().for_each(|l| on_site(&mut l.url));
        article
            .attachments
            .iter_mut()
            .for_each(|f| on_site(&mut f.url));
        let qr = crate::qr::Qr::encode(&shared);
        let article = converted(converter, variant, article, |to, a| to.article(a)).await?;
        Ok((article, qr))
    })
    .await?;
    // The kept copy's count is as it was then: the live one is written in.
    let live = if let Some(CountedByServer(slot)) = counted_by_server {
        Ok(Some(slot))
    } else if count {
        storage.record_view(&id).await
    } else {
        storage.live_views(&id).await
    };
    match live {
        Ok(Some(n)) => article.view_count = n,
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, id, "view count unavailable"),
    }
    Ok(ArticlePage { article, url, qr })
}

/// The articles matching `q` (any script, see `Convert::fold`), from `after`, in `variant`, with
/// the matches marked.
#[server(prefix = "/_fn", endpoint = "search")]
pub async fn get_search(
    q: String,
    after: Option<SearchCursor>,
    variant: Variant,
) -> Result<SearchPage, AppError> {
    use self::ssr::*;
    use crate::model::{ChannelRef, Found, MAX_QUERY_CHARS, SEARCH_PAGE_SIZE};
    let converter = converter()?;
    let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
    let folded = converter.fold(&q);
    let terms = crate::search::terms(&folded);
    let ident = crate::search::identifier_key(&folded);
    if terms.is_empty() {
        return Ok(SearchPage {
            hits: vec![],
            next: None,
        });
    }
    let key = DataKey::Search(ident.clone(), after, variant);
    let weight = |p: &SearchPage| 1024 + p.hits.len() * 1024;
    cached(key, weight, async {
        let found = storage()?
            .search(&ident, &terms, after, SEARCH_PAGE_SIZE)
            .await?;
        tokio::task::spawn_blocking(move || {
            let to = To(converter.as_ref(), variant);
            let marked = |s: &str| {
                let shown = to.text(s);
                crate::search::marks(&shown, &converter.fold(&shown), &terms)
            };
            let hits = found
                .hits
                .into_iter()
                .map(|h| Found {
                    title: marked(&h.title),
                    snippet: marked(&h.snippet),
                    channel: ChannelRef {
                        name: to.text(&h.channel.name),
                        slug: h.channel.slug,
                    },
                    id: h.id,
                    published_at: h.published_at,
                })
                .collect();
            SearchPage {
                hits,
                next: found.next,
            }
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "search results not converted");
            AppError::Internal
        })
    })
    .await
}
