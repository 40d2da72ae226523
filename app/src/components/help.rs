//! 快捷键说明: the shortcuts as a table, in a dialog on every page and on the statement page.
//! Written as HTML (escaped), like the toolbar: nothing in it changes while shown.

use crate::shortcuts::Shortcut;
use crate::ui::{T, Ui};
use html_escape::encode_text as text;
use leptos::prelude::*;
use std::fmt::Write;

/// The shortcuts and what each does, as HTML.
pub fn shortcut_table(ui: &Ui) -> String {
    let mut html = format!(
        "<table class=\"shortcut-table\"><thead><tr><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        text(&ui.t(T::Keys)),
        text(&ui.t(T::Action))
    );
    for s in Shortcut::ALL {
        let _ = write!(
            html,
            "<tr><td><kbd>{}</kbd></td><td>{}</td></tr>",
            text(s.keys()),
            text(&ui.t(s.text()))
        );
    }
    let _ = write!(
        html,
        "</tbody></table><p class=\"shortcut-note\">{}</p>",
        text(&ui.t(T::KeysNote))
    );
    html
}

/// The dialog `?` and the 无障碍 panel open (closed until then; Escape or 关闭 close it, 关闭 by
/// the toolbar's click listener). Only the page's script opens it, so only the script closes it.
#[component]
pub fn ShortcutsDialog(ui: Ui) -> impl IntoView {
    let html = format!(
        "<h2 id=\"shortcuts-title\">{}</h2>{}\
         <button type=\"button\" class=\"shortcuts-close\">{}</button>",
        text(&ui.t(T::Shortcuts)),
        shortcut_table(&ui),
        text(&ui.t(T::Close))
    );
    view! {
        <dialog
            id="shortcuts-dialog"
            class="shortcuts"
            aria-labelledby="shortcuts-title"
            inner_html=html
        ></dialog>
    }
}
