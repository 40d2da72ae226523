pub mod article;
pub mod channel;
pub mod errors;
pub mod home;
pub mod scaffold;
pub mod search;
pub mod site_map;
pub mod statement;

/// The site's feed link (title, absolute URL without the variant).
pub fn site_feed(ui: &crate::ui::Ui, site: &str) -> (String, String) {
    (
        site.to_owned(),
        format!("{}{}", ui.base_url, crate::address::feed_path(None)),
    )
}

/// The site's and the channel's feed links, for a page of the channel.
pub fn feeds(ui: &crate::ui::Ui, trail: &crate::model::Trail) -> [Option<(String, String)>; 2] {
    let channel = (
        format!("{} - {}", trail.channel.name, trail.site),
        format!(
            "{}{}",
            ui.base_url,
            crate::address::feed_path(Some(&trail.channel.slug))
        ),
    );
    [Some(site_feed(ui, &trail.site)), Some(channel)]
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(code)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_code),
    ) {
        res.set_status(code);
    }
}

/// Called by each page as it is shown. After a navigation to a new address (not the first page's
/// hydration, not a variant switch) it moves focus to the page's heading and announces the page's
/// title to screen readers; the page is scrolled to the top, or, reached by Back or Forward, to
/// where the reader left it.
pub fn arrived(title: &str) {
    #[cfg(feature = "hydrate")]
    history::arrived(title);
    #[cfg(not(feature = "hydrate"))]
    let _ = title;
}

/// Starts keeping scroll positions per address (browser only). Call it before the router is
/// made: `popstate` listeners run in the order they were added, and a page the router can show at
/// once (its data at hand) arrives inside the router's.
pub fn watch_history() {
    #[cfg(feature = "hydrate")]
    history::watch();
}

#[cfg(feature = "hydrate")]
mod history {
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    thread_local! {
        /// The address shown, without `variant` (a variant switch is not a new page).
        static SHOWN: RefCell<Option<String>> = const { RefCell::new(None) };
        /// Where the reader left each address.
        static POSITIONS: RefCell<HashMap<String, f64>> = RefCell::default();
        /// The next page shown was reached by Back or Forward.
        static TRAVERSED: Cell<bool> = const { Cell::new(false) };
    }

    fn here() -> String {
        let location = window().location();
        let search = location.search().unwrap_or_default();
        format!(
            "{}?{}",
            location.pathname().unwrap_or_default(),
            crate::query::without_variant(&search)
        )
    }

    fn remember() {
        let y = window().scroll_y().unwrap_or(0.0);
        if let Some(shown) = SHOWN.with_borrow(Clone::clone) {
            POSITIONS.with_borrow_mut(|p| p.insert(shown, y));
        }
    }

    pub fn watch() {
        thread_local!(static WATCHING: Cell<bool> = const { Cell::new(false) });
        if WATCHING.replace(true) {
            return;
        }
        let window = window();
        if let Ok(history) = window.history() {
            let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
        }
        // Before the router acts on a click (capture phase) or on Back / Forward.
        let click = Closure::<dyn Fn()>::new(remember);
        let _ = document().add_event_listener_with_callback_and_bool(
            "click",
            click.as_ref().unchecked_ref(),
            true,
        );
        click.forget();
        let popstate = Closure::<dyn Fn()>::new(|| {
            remember();
            TRAVERSED.set(true);
        });
        let _ = window.add_event_listener_with_callback_and_bool(
            "popstate",
            popstate.as_ref().unchecked_ref(),
            true,
        );
        popstate.forget();
    }

    pub fn arrived(title: &str) {
        let here = here();
        let previous = SHOWN.replace(Some(here.clone()));
        if previous.as_deref() == Some(here.as_str()) {
            return;
        }
        let traversed = TRAVERSED.take();
        if previous.is_none() {
            return;
        }
        let y = if traversed {
            POSITIONS.with_borrow(|p| p.get(&here).copied().unwrap_or(0.0))
        } else {
            0.0
        };
        settle(title.to_owned(), here, y, 60);
    }

    /// Focuses the new page's heading, scrolls to `y` and announces `title`, once the page is in
    /// the document and tall enough to scroll there (checked each animation frame, for at most
    /// `frames`: the view calling [`arrived`] is being made now, may be mounted a little later,
    /// and may be made again). Not an effect: one owned by that view could be dropped with it, and
    /// the reader would stay at the top. Stops if the reader has moved on meanwhile.
    fn settle(title: String, here: String, y: f64, frames: u32) {
        request_animation_frame(move || {
            let doc = document();
            let Some(h1) = doc.query_selector("main h1").ok().flatten() else {
                if frames > 0 && self::here() == here {
                    settle(title, here, y, frames - 1);
                }
                return;
            };
            let room = doc.document_element().map_or(0.0, |e| {
                f64::from(e.scroll_height())
                    - window()
                        .inner_height()
                        .ok()
                        .and_then(|h| h.as_f64())
                        .unwrap_or(0.0)
            });
            if room < y && frames > 0 && self::here() == here {
                settle(title, here, y, frames - 1);
                return;
            }
            let _ = h1.set_attribute("tabindex", "-1");
            if let Some(h1) = h1.dyn_ref::<web_sys::HtmlElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = h1.focus_with_options(&options);
            }
            // At once, as a document load would (a smooth scroll could be cut short).
            let options = web_sys::ScrollToOptions::new();
            options.set_top(y);
            options.set_behavior(web_sys::ScrollBehavior::Instant);
            window().scroll_to_with_scroll_to_options(&options);
            if let Some(announcer) = doc.get_element_by_id("announcer") {
                announcer.set_text_content(Some(&title));
            }
            hold(here, y, 12);
        });
    }

    /// For a few frames after [`settle`], scrolls back to `y` if the page was put back at the
    /// top (the view made again after it was found, say when its data came back at once).
    fn hold(here: String, y: f64, frames: u32) {
        if y <= 0.0 || frames == 0 {
            return;
        }
        request_animation_frame(move || {
            if self::here() != here {
                return;
            }
            if window().scroll_y().unwrap_or(y) == 0.0 {
                let options = web_sys::ScrollToOptions::new();
                options.set_top(y);
                options.set_behavior(web_sys::ScrollBehavior::Instant);
                window().scroll_to_with_scroll_to_options(&options);
            }
            hold(here, y, frames - 1);
        });
    }
}

/// Lists of links as escaped HTML set by `inner_html`, like the article: nothing in them changes
/// while shown (a variant switch makes the page again), and view trees for them cost each page's
/// first load more (README, Performance).
pub(crate) mod html {
    pub use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
    use std::fmt::Write;

    /// A link to a path of this site, with `?variant=` when the address has one.
    pub fn a(h: &mut String, extra: &str, path: String, label: &str) {
        let _ = write!(
            h,
            "<a{extra} href=\"{}\">{}</a>",
            attr(&crate::route::link(path)()),
            text(label)
        );
    }

    /// A date as the lists show it.
    pub fn time(h: &mut String, published_at: &str) {
        let _ = write!(
            h,
            "<time datetime=\"{}\">{}</time>",
            attr(published_at),
            text(crate::format::local_date(published_at))
        );
    }

    /// An article in a list: its link and date.
    pub fn article_item(h: &mut String, a: &crate::model::ArticleLink) {
        h.push_str("<li>");
        self::a(h, "", crate::address::article_path(&a.id), &a.title);
        time(h, &a.published_at);
        h.push_str("</li>");
    }
}
