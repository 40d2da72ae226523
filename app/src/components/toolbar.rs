//! The toolbar row of the reference page (页面, 字体, 对比度, 无障碍) and the article's 字号.
//! Written as HTML (escaped) and set by `inner_html`, like the footer: one click listener on the
//! window ([`watch`]) applies a press, and the root's effect that keeps `<html>` in step with the
//! reader's choices keeps each button's `aria-pressed` in step too ([`sync_pressed`]). Without
//! JavaScript every button submits its form to `/prefs`. As views, the toolbar's code was in
//! every page's initial chunk (README: the levers).

use super::read_aloud::wire as read_aloud_wire;
use crate::reader::{Contrast, FontSize, Prefs, Spacing, StylePref, StyleSlots, style_value};
use crate::ui::{T, Ui};
use crate::variant::Variant;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use leptos::prelude::*;
use std::fmt::Write;

/// Where `/prefs` sends a reader without JavaScript back to: this page.
fn back() -> String {
    crate::route::here()
}

/// What the markup is written with: the reader's choices now, where a cached page keeps slots,
/// and the page to come back to.
struct Markup {
    prefs: Prefs,
    slots: Option<StyleSlots>,
    back: String,
    html: String,
}

impl Markup {
    fn new() -> Self {
        Markup {
            prefs: crate::reader::use_reader().prefs(),
            slots: use_context::<StyleSlots>(),
            back: back(),
            html: String::new(),
        }
    }

    /// `<form>`'s opening and the hidden field that brings a reader without JavaScript back.
    fn form(&mut self, class: &str) {
        let class = match class {
            "" => String::new(),
            c => format!(" class=\"{}\"", attr(c)),
        };
        let _ = write!(
            self.html,
            "<form{class} method=\"get\" action=\"/prefs\">\
             <input type=\"hidden\" name=\"back\" value=\"{}\">",
            attr(&self.back)
        );
    }

    /// The current tag of preference `name` (`variant` or a [`StylePref`]'s name).
    fn current(&self, name: &str) -> &'static str {
        match StylePref::parse(name) {
            Some(p) => self.prefs.tag(p),
            None => self.prefs.variant.tag(),
        }
    }

    /// One preference as a form of buttons, named by its legend.
    fn group(
        &mut self,
        id: &str,
        class: &str,
        label: &str,
        name: &str,
        options: &[(&str, String)],
    ) {
        self.form(class);
        let _ = write!(
            self.html,
            "<fieldset><legend id=\"{}\" class=\"toolbar-label\">{}</legend>",
            attr(id),
            text(label)
        );
        let current = self.current(name);
        for (tag, label) in options {
            let pressed = style_value(self.slots, name, Some(tag), &(current == *tag).to_string());
            let _ = write!(
                self.html,
                "<button type=\"submit\" name=\"{name}\" value=\"{tag}\" data-pref=\"{name}\" \
                 data-value=\"{tag}\" aria-pressed=\"{}\">{}</button>",
                attr(&pressed),
                text(label)
            );
        }
        self.html.push_str("</fieldset></form>");
    }

    /// One aid, on or off: a toggle button; without JavaScript its form asks `/prefs` to flip it.
    fn switch(&mut self, pref: StylePref, label: &str) {
        self.form("aid-switch");
        let name = pref.name();
        let on = (self.prefs.tag(pref) == "on").to_string();
        let _ = write!(
            self.html,
            "<button type=\"submit\" name=\"{name}\" value=\"toggle\" data-pref=\"{name}\" \
             aria-pressed=\"{}\">{}</button></form>",
            attr(&style_value(self.slots, name, Some("on"), &on)),
            text(label)
        );
    }
}

/// The toolbar row: 页面 (script), 字体 (font size), 朗读 on article pages, 对比度, 无障碍.
#[component]
pub fn Toolbar(
    ui: Ui,
    /// An article page: the 朗读 control too.
    #[prop(optional)]
    read_aloud: bool,
) -> impl IntoView {
    let mut m = Markup::new();
    let options = |items: &mut dyn Iterator<Item = (&'static str, T)>| {
        items.map(|(tag, t)| (tag, ui.t(t))).collect::<Vec<_>>()
    };
    let variants: Vec<_> = Variant::ALL
        .into_iter()
        .map(|v| (v.tag(), v.label().to_owned()))
        .collect();
    m.group(
        "tb-variant",
        "toolbar-group",
        &ui.t(T::Page),
        "variant",
        &variants,
    );
    let sizes = options(&mut FontSize::ALL.into_iter().map(|f| (f.as_str(), f.text())));
    m.group(
        "tb-font",
        "toolbar-group",
        &ui.t(T::Font),
        "font-size",
        &sizes,
    );
    // Beside 字体: on a phone each row then fits one more control.
    if read_aloud {
        m.html.push_str(&super::read_aloud::markup(&ui));
    }
    let contrasts = options(&mut Contrast::ALL.into_iter().map(|c| (c.as_str(), c.text())));
    m.group(
        "tb-contrast",
        "toolbar-group",
        &ui.t(T::Contrast),
        "contrast",
        &contrasts,
    );
    // 无障碍: the aids behind one control, so a phone's toolbar stays one row; a `<details>`, so
    // it opens without JavaScript too.
    let _ = write!(
        m.html,
        "<details class=\"toolbar-group aids\"><summary>{}</summary><div class=\"aids-panel\">",
        text(&ui.t(T::Aids))
    );
    m.switch(StylePref::Cursor, &ui.t(T::Cursor));
    m.switch(StylePref::Guide, &ui.t(T::Guide));
    m.switch(StylePref::Caption, &ui.t(T::Caption));
    let spacings = options(&mut Spacing::ALL.into_iter().map(|s| (s.as_str(), s.text())));
    m.group(
        "tb-spacing",
        "toolbar-group",
        &ui.t(T::Spacing),
        "spacing",
        &spacings,
    );
    m.form("");
    let _ = write!(
        m.html,
        "<button type=\"submit\" name=\"reset\" value=\"1\" class=\"aids-reset\">{}</button></form>",
        text(&ui.t(T::Reset))
    );
    // The shortcuts' list on the statement page; with JavaScript, the dialog instead.
    let page = crate::route::link(crate::address::accessibility_path())();
    let _ = write!(
        m.html,
        "<a class=\"shortcuts-link\" href=\"{}#shortcuts\">{}</a></div></details>",
        attr(&page),
        text(&ui.t(T::Shortcuts))
    );
    view! {
        <nav
            class="toolbar"
            aria-label=ui.t(T::Settings)
            inner_html=m.html
            use:read_aloud_wire=read_aloud.then_some(ui)
        ></nav>
    }
}

/// The article's own 字号 大 中 小 control, as HTML; acts on the same preference as the toolbar.
pub fn text_size(ui: &Ui) -> String {
    let sizes: Vec<_> = [FontSize::Large, FontSize::Medium, FontSize::Small]
        .into_iter()
        .map(|f| (f.as_str(), ui.t(f.text())))
        .collect();
    let mut m = Markup::new();
    m.group(
        "text-size-label",
        "text-size",
        &ui.t(T::TextSize),
        "font-size",
        &sizes,
    );
    m.html
}

/// Each preference button's `aria-pressed`, from the reader's choices `p` (run by the effect that
/// keeps `<html>` in step with them).
#[cfg(feature = "hydrate")]
pub fn sync_pressed(p: Prefs) {
    use wasm_bindgen::JsCast;
    let Ok(buttons) = document().query_selector_all("button[data-pref]") else {
        return;
    };
    for i in 0..buttons.length() {
        let Some(b) = buttons
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let name = b.get_attribute("data-pref").unwrap_or_default();
        let current = match StylePref::parse(&name) {
            Some(pref) => p.tag(pref),
            None => p.variant.tag(),
        };
        let pressed = match b.get_attribute("data-value") {
            Some(tag) => current == tag,
            None => current == "on",
        };
        let _ = b.set_attribute("aria-pressed", if pressed { "true" } else { "false" });
    }
}

/// Applies presses in place for the page's whole life: a preference button (signals, storage,
/// cookie), 重置, and the shortcuts' link and the dialog's 关闭.
#[cfg(feature = "hydrate")]
pub fn watch(reader: crate::reader::Reader) {
    use wasm_bindgen::JsCast;
    let handle = window_event_listener(leptos::ev::click, move |ev| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let closest = |s: &str| target.closest(s).ok().flatten();
        if let Some(b) = closest("button[data-pref]") {
            ev.prevent_default();
            let (name, tag) = (
                b.get_attribute("data-pref").unwrap_or_default(),
                b.get_attribute("value").unwrap_or_default(),
            );
            let mut p = reader.prefs();
            match StylePref::parse(&name) {
                Some(pref) => {
                    let _ = p.set_tag(pref, &tag);
                }
                None => {
                    if let Ok(v) = tag.parse() {
                        p.variant = v;
                    }
                }
            }
            choose(reader, p);
        } else if closest(".aids-reset").is_some() {
            ev.prevent_default();
            choose(reader, reader.prefs().reset());
            reader.speech.set(Default::default());
            crate::persist::save_speech(Default::default());
        } else if closest(".shortcuts-link").is_some() {
            ev.prevent_default();
            crate::shortcuts::open_help();
        } else if closest(".shortcuts-close").is_some() {
            crate::shortcuts::close_help();
        }
    });
    // The app lives as long as the page.
    std::mem::forget(handle);
}

/// Applies the reader's choices in place: signals, storage, cookie, and an explicit `?variant=`
/// in the address.
#[cfg(feature = "hydrate")]
fn choose(reader: crate::reader::Reader, p: Prefs) {
    reader.set(p);
    crate::persist::save(p);
}
