//! What every page's view uses: the interface text, and the marks that a page was made without
//! all it needs or has gone live.

use leptos::prelude::*;

/// The interface text for the reader's variant, shared by every page.
#[derive(Clone, Copy)]
pub struct UiResource(pub Resource<Result<crate::ui::Ui, crate::error::AppError>>);

impl UiResource {
    /// The text; in the browser, when fetching a variant's text fails, the last text it had.
    pub async fn get() -> crate::ui::Ui {
        let ui = match use_context::<UiResource>() {
            Some(r) => r.0.await.map_err(|_| degraded()),
            None => Err(()),
        };
        #[cfg(feature = "hydrate")]
        thread_local! {
            static LAST: std::cell::RefCell<Option<crate::ui::Ui>> = const { std::cell::RefCell::new(None) };
        }
        #[cfg(feature = "hydrate")]
        let ui = match ui {
            Ok(ui) => {
                LAST.with_borrow_mut(|last| *last = Some(ui.clone()));
                Ok(ui)
            }
            Err(()) => LAST.with_borrow(|last| last.clone()).ok_or(()),
        };
        ui.unwrap_or_default()
    }
}

/// Marks the page being rendered as made without all it needs: sent, never kept by a cache.
pub fn degraded() {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

/// Sets a `performance` mark (browser only): read by the page-load measurements.
pub fn mark(_name: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(p) = window().performance() {
        let _ = p.mark(_name);
    }
}

/// Called by each page's own view as it goes live: after the first page has hydrated, or a page
/// reached in place has been rendered. Sets `<html data-hydrated="true">`, which says that every
/// control on the page is handled in place (the shell hydrates earlier, the page's lazy view later).
pub fn page_live() {
    Effect::new(|| {
        if let Some(root) = document().document_element()
            && root.get_attribute("data-hydrated").is_none()
        {
            mark("portal:hydrated");
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
