//! Prefetch: when the reader points at, focuses or touches an internal link, the code of the page it
//! leads to (its split wasm chunk) and the page's data are fetched, so a click shows the page
//! without waiting. Prefetched data is kept briefly, serves one page and never counts a view. The
//! fetching and decoding code is itself lazy (`#[lazy]` in each page), out of the initial chunk.

use crate::error::AppError;
use crate::model::PageQuery;
use crate::variant::Variant;
use std::future::Future;

pub fn home_key(variant: Variant) -> String {
    format!("home/{}", variant.tag())
}

pub fn channel_key(slug: &str, paging: &PageQuery, variant: Variant) -> String {
    format!("channel/{slug}/{paging:?}/{}", variant.tag())
}

pub fn article_key(id: &str, variant: Variant) -> String {
    format!("article/{id}/{}", variant.tag())
}

/// `fetch`, unless a prefetch for `key` has (or is getting) the data.
pub fn or_fetch<T, F>(key: String, fetch: F) -> impl Future<Output = Result<T, AppError>> + Send
where
    T: Clone + Send + 'static,
    F: Future<Output = Result<T, AppError>> + Send + 'static,
{
    local(async move {
        match take::<T>(&key).await {
            Some(found) => Ok(found),
            None => fetch.await,
        }
    })
}

/// Lets a future holding browser-only state drive a resource (the browser has one thread).
#[cfg(feature = "hydrate")]
pub fn local<F: Future + 'static>(f: F) -> impl Future<Output = F::Output> + Send {
    send_wrapper::SendWrapper::new(f)
}

#[cfg(not(feature = "hydrate"))]
pub fn local<F: Future + Send + 'static>(f: F) -> impl Future<Output = F::Output> + Send {
    f
}

/// The data prefetched for `key`, if any is recent and was fetched without error; taken.
#[cfg(feature = "hydrate")]
pub async fn take<T: Clone + 'static>(key: &str) -> Option<T> {
    let pending = browser::take::<T>(key)?;
    pending.await.ok()
}

#[cfg(not(feature = "hydrate"))]
pub async fn take<T: Clone + 'static>(_key: &str) -> Option<T> {
    None
}

/// Starts prefetching for the links the reader points at, focuses or touches (browser only).
pub fn watch(_reader: crate::reader::Reader) {
    #[cfg(feature = "hydrate")]
    browser::watch(_reader);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::model::{is_valid_article_id, is_valid_slug};
    use crate::reader::Reader;
    use futures::FutureExt;
    use futures::future::{LocalBoxFuture, Shared};
    use leptos::prelude::*;
    use leptos_router::LazyRoute;
    use std::any::Any;
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    type Pending<T> = Shared<LocalBoxFuture<'static, Result<T, AppError>>>;

    /// How long prefetched data may stand in for a fetch, and how many pages are kept.
    const MAX_AGE_MS: f64 = 30_000.0;
    const MAX_ENTRIES: usize = 32;

    /// Each key's prefetch: when it started, and its `Pending<T>`.
    type Entries = HashMap<String, (f64, Box<dyn Any>)>;

    thread_local! {
        static PREFETCHED: RefCell<Entries> = RefCell::default();
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    pub fn take<T: Clone + 'static>(key: &str) -> Option<Pending<T>> {
        let (at, pending) = PREFETCHED.with_borrow_mut(|m| m.remove(key))?;
        if now() - at > MAX_AGE_MS {
            return None;
        }
        pending.downcast::<Pending<T>>().ok().map(|p| *p)
    }

    fn put<T: Clone + 'static>(
        key: String,
        fetch: impl Future<Output = Result<T, AppError>> + 'static,
    ) {
        let pending: Pending<T> = fetch.boxed_local().shared();
        // Started now, not when a page asks for it.
        leptos::task::spawn_local({
            let pending = pending.clone();
            async move {
                let _ = pending.await;
            }
        });
        PREFETCHED.with_borrow_mut(|m| {
            let t = now();
            m.retain(|_, (at, _)| t - *at <= MAX_AGE_MS);
            if m.len() >= MAX_ENTRIES {
                m.clear();
            }
            m.insert(key, (t, Box::new(pending)));
        });
    }

    fn fresh(key: &str) -> bool {
        PREFETCHED.with_borrow(|m| m.get(key).is_some_and(|(at, _)| now() - *at <= MAX_AGE_MS))
    }

    /// Prefetches what the page at `href` (an internal address) needs.
    fn prefetch(href: &str, variant: Variant) {
        let Ok(url) = web_sys::Url::new_with_base(href, "http://portal.invalid") else {
            return;
        };
        if url.host() != "portal.invalid" {
            return;
        }
        let path = url.pathname();
        let query = url.search_params();
        if path == "/" {
            let key = home_key(variant);
            if !fresh(&key) {
                leptos::task::spawn_local(crate::pages::home::HomePage::preload());
                put(key, crate::pages::home::prefetch_data(variant));
            }
        } else if let Some(slug) = path.strip_prefix("/channels/") {
            let Ok(paging) =
                crate::pages::channel::page_query(query.get("after"), query.get("before"))
            else {
                return;
            };
            let key = channel_key(slug, &paging, variant);
            if is_valid_slug(slug) && !fresh(&key) {
                leptos::task::spawn_local(crate::pages::channel::ChannelRoute::preload());
                put(
                    key,
                    crate::pages::channel::prefetch_data(slug.to_owned(), paging, variant),
                );
            }
        } else if let Some(id) = path.strip_prefix("/articles/") {
            let key = article_key(id, variant);
            if is_valid_article_id(id) && !fresh(&key) {
                leptos::task::spawn_local(crate::pages::article::ArticleRoute::preload());
                put(
                    key,
                    crate::pages::article::prefetch_data(id.to_owned(), variant),
                );
            }
        }
    }

    pub fn watch(reader: Reader) {
        thread_local!(static WATCHING: Cell<bool> = const { Cell::new(false) });
        if WATCHING.replace(true) {
            return;
        }
        let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let link = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a[href]").ok().flatten());
            if let Some(href) = link.and_then(|a| a.get_attribute("href"))
                && href.starts_with('/')
                && !href.starts_with("//")
            {
                prefetch(&href, reader.variant.get_untracked());
            }
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_passive(true);
        for event in ["pointerover", "focusin", "touchstart"] {
            let _ = document().add_event_listener_with_callback_and_add_event_listener_options(
                event,
                handler.as_ref().unchecked_ref(),
                &options,
            );
        }
        handler.forget();
    }
}
