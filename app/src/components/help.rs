//! 快捷键说明: the shortcuts as a table, in a dialog on every page and on the statement page.

use crate::shortcuts::Shortcut;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// The shortcuts and what each does.
#[component]
pub fn ShortcutTable(ui: Ui) -> impl IntoView {
    view! {
        <table class="shortcut-table">
            <thead>
                <tr>
                    <th scope="col">{ui.t(T::Keys)}</th>
                    <th scope="col">{ui.t(T::Action)}</th>
                </tr>
            </thead>
            <tbody>
                {Shortcut::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <tr>
                                <td><kbd>{s.keys()}</kbd></td>
                                <td>{ui.t(s.text())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <p class="shortcut-note">{ui.t(T::KeysNote)}</p>
    }
}

/// The dialog `?` and the 无障碍 panel open (closed until then; Escape or 关闭 close it). Only the
/// page's script opens it, so only the script closes it.
#[component]
pub fn ShortcutsDialog(ui: Ui) -> impl IntoView {
    view! {
        <dialog id="shortcuts-dialog" class="shortcuts" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">{ui.t(T::Shortcuts)}</h2>
            <ShortcutTable ui=ui.clone()/>
            <button
                type="button"
                class="shortcuts-close"
                on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    crate::shortcuts::close_help();
                }
            >
                {ui.t(T::Close)}
            </button>
        </dialog>
    }
    .into_any()
}

/// A link to the shortcuts on the statement page; with JavaScript it opens the dialog instead.
#[component]
pub fn ShortcutsLink(ui: Ui) -> impl IntoView {
    let page = crate::route::link(crate::address::accessibility_path());
    let href = move || format!("{}#shortcuts", page());
    view! {
        <a
            class="shortcuts-link"
            href=href
            on:click=move |ev| {
                #[cfg(feature = "hydrate")]
                {
                    ev.prevent_default();
                    crate::shortcuts::open_help();
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
        >
            {ui.t(T::Shortcuts)}
        </a>
    }
}
