//! Keyboard shortcuts: Alt+Shift with a letter (keys no screen reader takes), and `?` for their
//! list. None fires while the reader types in a field. Each works by pressing the control it
//! stands for, so a shortcut does exactly what its button does; the work is a split chunk,
//! loaded the first time a shortcut is pressed.

use crate::ui::T;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// 朗读: start, pause or resume.
    Read,
    Stop,
    Next,
    Previous,
    /// Opens or closes the 无障碍 panel.
    Aids,
    /// Opens the list of shortcuts (快捷键说明).
    Help,
}

impl Shortcut {
    pub const ALL: [Shortcut; 6] = [
        Shortcut::Read,
        Shortcut::Stop,
        Shortcut::Next,
        Shortcut::Previous,
        Shortcut::Aids,
        Shortcut::Help,
    ];

    /// The keys as the list shows them.
    pub fn keys(self) -> &'static str {
        match self {
            Shortcut::Read => "Alt + Shift + R",
            Shortcut::Stop => "Alt + Shift + S",
            Shortcut::Next => "Alt + Shift + N",
            Shortcut::Previous => "Alt + Shift + P",
            Shortcut::Aids => "Alt + Shift + O",
            Shortcut::Help => "?",
        }
    }

    pub fn text(self) -> T {
        match self {
            Shortcut::Read => T::KeyRead,
            Shortcut::Stop => T::KeyStop,
            Shortcut::Next => T::KeyNext,
            Shortcut::Previous => T::KeyPrevious,
            Shortcut::Aids => T::KeyAids,
            Shortcut::Help => T::KeyHelp,
        }
    }

    /// The shortcut a key press means: `code` is the physical key (`KeyR`, whatever the layout
    /// or the character Alt makes), `key` the character typed.
    pub fn of(code: &str, key: &str, alt: bool, shift: bool, ctrl_or_meta: bool) -> Option<Self> {
        if ctrl_or_meta {
            return None;
        }
        if alt && shift {
            return Some(match code {
                "KeyR" => Shortcut::Read,
                "KeyS" => Shortcut::Stop,
                "KeyN" => Shortcut::Next,
                "KeyP" => Shortcut::Previous,
                "KeyO" => Shortcut::Aids,
                _ => return None,
            });
        }
        (!alt && key == "?").then_some(Shortcut::Help)
    }
}

/// Listens for the shortcuts for the page's whole life.
pub fn watch() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        let handle = window_event_listener(leptos::ev::keydown, |e| {
            if e.default_prevented() || e.is_composing() || typing(&e) {
                return;
            }
            let ctrl_or_meta = e.ctrl_key() || e.meta_key();
            if let Some(s) = Shortcut::of(
                &e.code(),
                &e.key(),
                e.alt_key(),
                e.shift_key(),
                ctrl_or_meta,
            ) {
                e.prevent_default();
                leptos::task::spawn_local(browser::run(s));
            }
        });
        // The app lives as long as the page.
        std::mem::forget(handle);
    }
}

/// Whether the key goes to a field being typed in.
#[cfg(feature = "hydrate")]
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match el.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => !matches!(
            el.get_attribute("type").unwrap_or_default().as_str(),
            "button" | "submit" | "reset" | "checkbox" | "radio"
        ),
        _ => el
            .closest("[contenteditable]:not([contenteditable=false])")
            .ok()
            .flatten()
            .is_some(),
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Shortcut;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    fn find<T: JsCast>(selector: &str) -> Option<T> {
        document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<T>().ok())
    }

    fn press(selector: &str) {
        if let Some(b) = find::<web_sys::HtmlElement>(selector) {
            b.click();
        }
    }

    /// Does what `s` stands for, by the control that does it.
    #[leptos::lazy]
    pub async fn run(s: Shortcut) {
        let reading =
            find::<web_sys::HtmlElement>(".read-aloud-player").is_some_and(|p| !p.hidden());
        match s {
            Shortcut::Read if reading => press(".read-aloud-pause"),
            Shortcut::Read => press(".read-aloud-start"),
            Shortcut::Stop if reading => press(".read-aloud-stop"),
            Shortcut::Next if reading => press(".read-aloud-next"),
            Shortcut::Previous if reading => press(".read-aloud-previous"),
            Shortcut::Stop | Shortcut::Next | Shortcut::Previous => {}
            Shortcut::Aids => {
                if let Some(d) = find::<web_sys::HtmlDetailsElement>("details.aids") {
                    d.set_open(!d.open());
                    if let Some(s) = find::<web_sys::HtmlElement>("details.aids > summary") {
                        let _ = s.focus();
                    }
                }
            }
            Shortcut::Help => super::open_help(),
        }
    }
}

/// Opens the 快捷键说明 dialog (modal: focus moves into it, Escape closes it).
#[cfg(feature = "hydrate")]
pub fn open_help() {
    use wasm_bindgen::JsCast;
    if let Some(d) = leptos::prelude::document()
        .get_element_by_id("shortcuts-dialog")
        .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
        && !d.open()
    {
        let _ = d.show_modal();
    }
}

/// Closes the 快捷键说明 dialog (focus goes back where it was).
#[cfg(feature = "hydrate")]
pub fn close_help() {
    use wasm_bindgen::JsCast;
    if let Some(d) = leptos::prelude::document()
        .get_element_by_id("shortcuts-dialog")
        .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
    {
        d.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_alt_shift_letters_and_the_question_mark() {
        assert_eq!(
            Shortcut::of("KeyR", "®", true, true, false),
            Some(Shortcut::Read)
        );
        assert_eq!(Shortcut::of("KeyR", "r", true, false, false), None);
        assert_eq!(Shortcut::of("KeyR", "R", false, true, false), None);
        assert_eq!(Shortcut::of("KeyR", "R", true, true, true), None);
        assert_eq!(
            Shortcut::of("Slash", "?", false, true, false),
            Some(Shortcut::Help)
        );
        assert_eq!(Shortcut::of("Slash", "?", false, true, true), None);
        // Single letters are screen readers' quick keys: never ours.
        for code in ["KeyH", "KeyK", "KeyR", "KeyS"] {
            assert_eq!(Shortcut::of(code, "h", false, false, false), None);
        }
        let keys: Vec<_> = Shortcut::ALL.iter().map(|s| s.keys()).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k} twice");
        }
    }
}
