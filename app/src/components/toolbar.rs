use crate::reader::{
    Choice, Contrast, FontSize, Prefs, Reader, Spacing, StylePref, style_value, use_reader,
};
use crate::ui::{T, Ui};
use crate::variant::Variant;
use leptos::prelude::*;

/// Applies a choice in place: signals, storage, cookie, and an explicit `?variant=` in the address.
fn choose(reader: Reader, change: impl FnOnce(&mut Prefs)) {
    let mut p = reader.prefs();
    change(&mut p);
    reader.set(p);
    crate::persist::save(p);
}

/// Where `/prefs` sends a reader without JavaScript back to: this page.
fn back() -> String {
    crate::route::here()
}

/// What a [`PrefGroup`] chooses: the script, or a style preference.
#[derive(Clone, Copy, PartialEq)]
enum Pref {
    Variant,
    Style(StylePref),
}

impl Pref {
    fn name(self) -> &'static str {
        match self {
            Pref::Variant => "variant",
            Pref::Style(p) => p.name(),
        }
    }

    /// The reader's choice, as its tag (tracked: only this preference's signal).
    fn current(self, reader: Reader) -> &'static str {
        match self {
            Pref::Variant => reader.variant.get().tag(),
            Pref::Style(StylePref::FontSize) => reader.font_size.get().tag(),
            Pref::Style(StylePref::Contrast) => reader.contrast.get().tag(),
            Pref::Style(p) => Prefs {
                aids: reader.aids.get(),
                ..Prefs::default()
            }
            .tag(p),
        }
    }

    fn set(self, p: &mut Prefs, tag: &str) {
        match self {
            Pref::Variant => {
                if let Ok(v) = tag.parse() {
                    p.variant = v;
                }
            }
            Pref::Style(style) => {
                let _ = p.set_tag(style, tag);
            }
        }
    }
}

/// One preference as a form of buttons: with JavaScript the click applies in place; without, the
/// form asks `/prefs`, which sets the cookie and sends the reader back. Not generic: one copy of
/// its code serves every group.
#[component]
fn PrefGroup(
    #[prop(into)] id: String,
    label: String,
    pref: Pref,
    /// Each choice: its tag and its text.
    options: Vec<(&'static str, String)>,
    #[prop(optional, into)] class: String,
) -> impl IntoView {
    let back = back();
    let reader = use_reader();
    let slots = use_context::<crate::reader::StyleSlots>();
    let class = if class.is_empty() {
        "toolbar-group".to_owned()
    } else {
        class
    };
    let name = pref.name();
    // A fieldset and its legend name the group of buttons (`role="group"` is not allowed on a form).
    view! {
        <form class=class method="get" action="/prefs">
            <input type="hidden" name="back" value=back/>
            <fieldset>
            <legend id=id class="toolbar-label">
                {label}
            </legend>
            {options
                .into_iter()
                .map(|(tag, text)| {
                    view! {
                        <button
                            type="submit"
                            name=name
                            value=tag
                            data-pref=name
                            data-value=tag
                            aria-pressed=move || {
                                let pressed = (pref.current(reader) == tag).to_string();
                                style_value(slots, name, Some(tag), &pressed)
                            }
                            on:click=move |ev| {
                                ev.prevent_default();
                                choose(reader, |p| pref.set(p, tag));
                            }
                        >
                            {text}
                        </button>
                    }
                })
                .collect_view()}
            </fieldset>
        </form>
    }
}

/// The toolbar row of the reference page: 页面 (script), 字体 (font size), 对比度 (contrast).
#[component]
pub fn Toolbar(
    ui: Ui,
    /// An article page: the 朗读 control too.
    #[prop(optional)]
    read_aloud: bool,
) -> impl IntoView {
    let variants = Variant::ALL
        .into_iter()
        .map(|v| (v.tag(), v.label().to_owned()))
        .collect();
    let sizes = FontSize::ALL
        .into_iter()
        .map(|f| (f.as_str(), ui.t(f.text())))
        .collect();
    let contrasts = Contrast::ALL
        .into_iter()
        .map(|c| (c.as_str(), ui.t(c.text())))
        .collect();
    view! {
        <nav class="toolbar" aria-label=ui.t(T::Settings)>
            <PrefGroup
                id="tb-variant"
                label=ui.t(T::Page)
                pref=Pref::Variant
                options=variants
            />
            <PrefGroup
                id="tb-font"
                label=ui.t(T::Font)
                pref=Pref::Style(StylePref::FontSize)
                options=sizes
            />
            // Beside 字体: on a phone each row then fits one more control.
            {read_aloud.then(|| view! { <super::read_aloud::ReadAloud ui=ui.clone()/> })}
            <PrefGroup
                id="tb-contrast"
                label=ui.t(T::Contrast)
                pref=Pref::Style(StylePref::Contrast)
                options=contrasts
            />
            <AidsPanel ui=ui.clone()/>
        </nav>
    }
    // Erased: the layout's type is deep enough without the toolbar's.
    .into_any()
}

/// 无障碍: the aids behind one control, so a phone's toolbar stays one row; a `<details>`, so it
/// opens without JavaScript too.
#[component]
fn AidsPanel(ui: Ui) -> impl IntoView {
    let reader = use_reader();
    let spacings = Spacing::ALL
        .into_iter()
        .map(|s| (s.as_str(), ui.t(s.text())))
        .collect();
    let back = back();
    view! {
        <details class="toolbar-group aids">
            <summary>{ui.t(T::Aids)}</summary>
            <div class="aids-panel">
                <AidSwitch pref=StylePref::Cursor label=ui.t(T::Cursor)/>
                <AidSwitch pref=StylePref::Guide label=ui.t(T::Guide)/>
                <AidSwitch pref=StylePref::Caption label=ui.t(T::Caption)/>
                <PrefGroup
                    id="tb-spacing"
                    label=ui.t(T::Spacing)
                    pref=Pref::Style(StylePref::Spacing)
                    options=spacings
                />
                <form method="get" action="/prefs">
                    <input type="hidden" name="back" value=back/>
                    <button
                        type="submit"
                        name="reset"
                        value="1"
                        class="aids-reset"
                        on:click=move |ev| {
                            ev.prevent_default();
                            choose(reader, |p| *p = p.reset());
                            reader.speech.set(Default::default());
                            crate::persist::save_speech(Default::default());
                        }
                    >
                        {ui.t(T::Reset)}
                    </button>
                </form>
                <super::help::ShortcutsLink ui=ui.clone()/>
            </div>
        </details>
    }
    .into_any()
}

/// One aid, on or off: a toggle button (`aria-pressed`); without JavaScript its form asks
/// `/prefs` to flip it.
#[component]
fn AidSwitch(pref: StylePref, label: String) -> impl IntoView {
    let reader = use_reader();
    let slots = use_context::<crate::reader::StyleSlots>();
    let back = back();
    let on = move || {
        let p = Prefs {
            aids: reader.aids.get(),
            ..Prefs::default()
        };
        p.tag(pref) == "on"
    };
    view! {
        <form class="aid-switch" method="get" action="/prefs">
            <input type="hidden" name="back" value=back/>
            <button
                type="submit"
                name=pref.name()
                value="toggle"
                data-pref=pref.name()
                aria-pressed=move || style_value(slots, pref.name(), Some("on"), &on().to_string())
                on:click=move |ev| {
                    ev.prevent_default();
                    choose(reader, |p| {
                        let _ = p.set_tag(pref, "toggle");
                    });
                }
            >
                {label}
            </button>
        </form>
    }
}

/// The article's own 字号 大 中 小 control; acts on the same preference as the toolbar.
#[component]
pub fn TextSize(ui: Ui) -> impl IntoView {
    let sizes = [FontSize::Large, FontSize::Medium, FontSize::Small]
        .into_iter()
        .map(|f| (f.as_str(), ui.t(f.text())))
        .collect();
    view! {
        <PrefGroup
            id="text-size-label"
            class="text-size"
            label=ui.t(T::TextSize)
            pref=Pref::Style(StylePref::FontSize)
            options=sizes
        />
    }
}
