//! Preloading: when the reader points at, focuses or touches an internal link, the code of the page
//! it leads to (its split wasm chunk) and the page's data are fetched, so a click shows the page
//! without waiting. The address is read by [`crate::address`]; the data is kept by
//! [`crate::prefetch`]. The fetching and decoding code is itself lazy (`#[lazy]` in each page).

/// Starts preloading for the links the reader points at, focuses or touches (browser only).
pub fn watch(_reader: crate::reader::Reader) {
    #[cfg(feature = "hydrate")]
    browser::watch(_reader);
}

#[cfg(feature = "hydrate")]
mod browser {
    use crate::address::{self, Route};
    use crate::pages::article;
    use crate::pages::channel;
    use crate::pages::home;
    use crate::pages::{site_map, statement};
    use crate::prefetch::{fresh, key, put};
    use crate::reader::Reader;
    use crate::variant::Variant;
    use leptos::prelude::*;
    use leptos_router::LazyRoute;
    use std::cell::Cell;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    /// Preloads what the page at `href` (an internal address) needs.
    fn preload(href: &str, variant: Variant) {
        let Ok(url) = web_sys::Url::new_with_base(href, "http://portal.invalid") else {
            return;
        };
        if url.host() != "portal.invalid" {
            return;
        }
        let path = url.pathname();
        let Some(mut route) = Route::of_path(&path) else {
            return;
        };
        if let Route::Channel(_, paging) = &mut route {
            let Ok(p) = address::paging(&url.search()) else {
                return;
            };
            *paging = p;
        }
        let k = key(route.clone(), variant);
        if fresh(&k) {
            return;
        }
        match route {
            Route::Home => {
                leptos::task::spawn_local(home::HomePage::preload());
                put(k, home::prefetch_data(variant));
            }
            Route::Channel(slug, paging) => {
                leptos::task::spawn_local(channel::ChannelRoute::preload());
                put(k, channel::prefetch_data(slug.to_owned(), paging, variant));
            }
            Route::Article(id) => {
                leptos::task::spawn_local(article::ArticleRoute::preload());
                put(k, article::prefetch_data(id.to_owned(), variant));
            }
            Route::Accessibility => {
                leptos::task::spawn_local(statement::StatementPage::preload());
            }
            Route::SiteMap => {
                leptos::task::spawn_local(site_map::SiteMapPage::preload());
                put(k, site_map::prefetch_data(variant));
            }
            Route::Search => {}
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
                preload(&href, reader.variant.get_untracked());
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
