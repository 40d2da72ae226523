//! Prefetched page data, kept briefly by address (`crate::preload` starts the fetches): it serves
//! one page and never counts a view. Pages ask here before fetching.

use crate::address::{Address, Route};
use crate::error::AppError;
use crate::variant::Variant;
use std::future::Future;

/// What the data of `route` in `variant` is kept under: its canonical address.
pub fn key(route: Route<&str>, variant: Variant) -> String {
    Address {
        route,
        variant: Some(variant),
    }
    .spelled()
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

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use futures::FutureExt;
    use futures::future::{LocalBoxFuture, Shared};
    use std::any::Any;
    use std::cell::RefCell;
    use std::collections::HashMap;

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

    pub fn put<T: Clone + 'static>(
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

    pub fn fresh(key: &str) -> bool {
        PREFETCHED.with_borrow(|m| m.get(key).is_some_and(|(at, _)| now() - *at <= MAX_AGE_MS))
    }
}

/// Whether data for `key` is being or was lately fetched, and starting such a fetch (browser only).
#[cfg(feature = "hydrate")]
pub use browser::{fresh, put};
