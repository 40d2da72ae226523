//! 辅助线 and 大字幕: the guide lines and the big-text panel follow the pointer and the keyboard
//! focus. Their elements and looks come with the page (the stylesheet shows them when on); the
//! following is a split chunk, loaded the first time either aid is on.

use crate::reader::Reader;
#[cfg(feature = "hydrate")]
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// Starts following once 辅助线 or 大字幕 is on (at once if the page came with one on).
pub fn watch(reader: Reader) {
    Effect::new(move || {
        let aids = reader.aids.get();
        #[cfg(feature = "hydrate")]
        if aids.guide.on() || aids.caption.on() {
            leptos::task::spawn_local(browser::follow());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = aids;
    });
}

/// What the pointer or focus is on, as a reader would name it: a link or a button by its text
/// (after its role, given `roles`), else the block of text it is in; the element and the words.
#[cfg(feature = "hydrate")]
pub(crate) fn pointed(
    target: &web_sys::Element,
    roles: Option<&Ui>,
) -> Option<(web_sys::Element, String)> {
    let closest = |s: &str| target.closest(s).ok().flatten();
    let text = |e: &web_sys::Element| {
        let t = e
            .get_attribute("aria-label")
            .filter(|l| !l.trim().is_empty())
            .or_else(|| e.text_content())
            .unwrap_or_default();
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let role = |key: T| {
        roles
            .map(|ui| format!("{} ", ui.t(key)))
            .unwrap_or_default()
    };
    let (el, said) = if let Some(a) = closest("a[href]") {
        let t = text(&a);
        (a, format!("{}{t}", role(T::LinkRole)))
    } else if let Some(b) = closest("button, summary") {
        let t = text(&b);
        (b, format!("{}{t}", role(T::ButtonRole)))
    } else {
        let block = closest(
            "h1, h2, h3, h4, h5, h6, p, li, td, th, dt, dd, figcaption, blockquote, \
             legend, label, .meta-item",
        )?;
        let t = text(&block);
        (block, t)
    };
    (!said.trim().is_empty()).then_some((el, said))
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use std::cell::Cell;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    thread_local! {
        static FOLLOWING: Cell<bool> = const { Cell::new(false) };
    }

    /// Listens to the pointer and the focus for as long as the page lives; each event does what
    /// the aids on at that moment ask (`<html>`'s attributes), nothing when both are off.
    #[leptos::lazy]
    pub async fn follow() {
        if FOLLOWING.replace(true) {
            return;
        }
        let listen = |name: &str, f: Box<dyn FnMut(web_sys::Event)>| {
            let f = Closure::<dyn FnMut(web_sys::Event)>::wrap(f);
            let options = web_sys::AddEventListenerOptions::new();
            options.set_passive(true);
            options.set_capture(true);
            let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
                name,
                f.as_ref().unchecked_ref(),
                &options,
            );
            // For the page's whole life.
            f.forget();
        };
        listen(
            "pointermove",
            Box::new(|e| {
                if let Some(e) = e.dyn_ref::<web_sys::PointerEvent>() {
                    guide(e.client_x() as f64, e.client_y() as f64);
                }
            }),
        );
        listen("pointerover", Box::new(|e| caption(&e)));
        listen(
            "focusin",
            Box::new(|e| {
                if let Some(el) = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                {
                    let r = el.get_bounding_client_rect();
                    guide(r.left(), r.bottom());
                }
                caption(&e);
            }),
        );
    }

    fn on(aid: &str) -> bool {
        document()
            .document_element()
            .and_then(|r| r.get_attribute(&format!("data-{aid}")))
            .is_some_and(|v| v == "on")
    }

    /// Moves the guide lines through (`x`, `y`) in the viewport.
    fn guide(x: f64, y: f64) {
        if !on("guide") {
            return;
        }
        let place = |selector: &str, transform: String| {
            if let Some(el) = document()
                .query_selector(selector)
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.style().set_property("transform", &transform);
            }
        };
        place(".guide-x", format!("translateY({y:.0}px)"));
        place(".guide-y", format!("translateX({x:.0}px)"));
    }

    /// Shows what the event's target is in the big-text panel.
    fn caption(e: &web_sys::Event) {
        if !on("caption") {
            return;
        }
        let Some(target) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        // The panel itself and anything hidden are not shown again.
        if target
            .closest(".caption-panel, [aria-hidden=true]")
            .ok()
            .flatten()
            .is_some()
        {
            return;
        }
        let Some((_, text)) = super::pointed(&target, None) else {
            return;
        };
        if let Some(panel) = document().query_selector(".caption-panel").ok().flatten()
            && panel.text_content().as_deref() != Some(text.as_str())
        {
            panel.set_text_content(Some(&text));
        }
    }
}
