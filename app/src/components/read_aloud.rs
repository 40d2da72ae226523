//! 朗读: the article read aloud by the browser's `speechSynthesis`, in the variant on screen. This
//! file is the control (in the toolbar row of article pages) and its player bar; the reading
//! itself is `crate::speech`. The control is markup set as `inner_html` and one click listener:
//! what makes it work (its state, the reading, 指读's listeners, the player bar) is one split
//! chunk, `control::read_aloud_control`, fetched when the reader first presses it or has 指读
//! on. Made as views in the toolbar, it cost every page's first load 6 KB brotli more.

#[cfg(feature = "hydrate")]
use crate::reader::use_reader;
use crate::ui::{T, Ui};
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Shows the control once the page runs and hands a press (or 指读 on) to the split chunk. One
/// listener on the window, not an `on:click` in the toolbar's view type (0.4 KB less in every
/// page's initial chunk). A directive on the toolbar (`ui` given on article pages): it has the
/// toolbar's element as soon as it is made, which may be before its page is shown.
pub(crate) fn wire(toolbar: leptos::tachys::renderer::types::Element, ui: Option<Ui>) {
    #[cfg(feature = "hydrate")]
    if let Some(ui) = ui {
        wire_control(toolbar, ui);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (toolbar, ui);
}

#[cfg(feature = "hydrate")]
fn wire_control(toolbar: web_sys::Element, ui: Ui) {
    use wasm_bindgen::JsCast;
    let reader = use_reader();
    let owner = Owner::current();
    let wake = move |group: web_sys::Element, click: Option<web_sys::Element>| {
        if let Some(owner) = owner.clone() {
            let ui = ui.clone();
            leptos::task::spawn_local(control::read_aloud_control(owner, group, ui, click));
        }
    };
    let woken = wake.clone();
    // Once the page runs: shown, and with 指读 on, made to work.
    Effect::new(move || {
        let point = reader.speech.get().point;
        if let Ok(Some(group)) = toolbar.query_selector(".read-aloud") {
            let _ = group.remove_attribute("hidden");
            if point {
                woken(group, None)
            }
        }
    });
    let handle = window_event_listener_untyped("click", move |ev| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let Ok(Some(group)) = target.closest(".read-aloud") {
            wake(group, Some(target))
        }
    });
    on_cleanup(move || handle.remove());
}

/// The control's markup: 朗读, 指读 and the status line; shown only once the page runs (without
/// JavaScript nothing can read).
pub(crate) fn markup(ui: &Ui) -> String {
    use html_escape::encode_text as text;
    format!(
        "<div class=\"toolbar-group read-aloud\" hidden><button type=\"button\" class=\"read-aloud-start\" aria-pressed=\"false\">{}</button>\
         <button type=\"button\" class=\"read-aloud-point\" aria-pressed=\"false\">{}</button>\
         <p class=\"read-aloud-status\" role=\"status\"></p></div>",
        text(&ui.t(T::ReadAloud)),
        text(&ui.t(T::PointRead)),
    )
}

/// What makes the control work, in its own split chunk.
#[cfg(feature = "hydrate")]
mod control {
    use crate::reader::{SpeechPrefs, use_reader};
    use crate::speech::{Command, Playing, Speech, current};
    use crate::ui::Ui;
    use crate::variant::Variant;
    use leptos::prelude::*;
    use leptos::tachys::view::{Mountable, Render};
    use std::cell::RefCell;

    /// The control on the page, once it runs: its element, its state and its bar.
    struct Control {
        group: web_sys::Element,
        speech: Speech,
        _bar: leptos::tachys::view::any_view::AnyViewState,
    }

    thread_local! {
        static CONTROL: RefCell<Option<Control>> = const { RefCell::new(None) };
    }

    /// Makes the control in `group` work (once), then carries out the press on `click`, if any.
    #[leptos::lazy]
    pub fn read_aloud_control(
        owner: Owner,
        group: web_sys::Element,
        ui: Ui,
        click: Option<web_sys::Element>,
    ) {
        let made =
            CONTROL.with_borrow(|c| c.as_ref().filter(|c| c.group == group).map(|c| c.speech));
        let speech = match made {
            Some(speech) => speech,
            None => owner.with(|| make(group.clone(), ui)),
        };
        let Some(click) = click else { return };
        let Some(reader) = owner.with(use_context::<crate::reader::Reader>) else {
            return;
        };
        if click.closest(".read-aloud-start").ok().flatten().is_some() {
            let cmd = if speech.playing.get_untracked() == Playing::Stopped {
                Command::Play
            } else {
                Command::Stop
            };
            dispatch(speech, cmd, reader.variant.get_untracked());
        } else if click.closest(".read-aloud-point").ok().flatten().is_some() {
            choose(reader.speech, &|p| p.point = !p.point);
        }
    }

    /// The control's state, the effects that show it, its listeners and its bar.
    fn make(group: web_sys::Element, ui: Ui) -> Speech {
        let reader = use_reader();
        let speech = Speech {
            playing: RwSignal::new(Playing::Stopped),
            status: RwSignal::new(String::new()),
            ui: StoredValue::new(ui),
            prefs: reader.speech,
        };
        let find = |selector: &str| group.query_selector(selector).ok().flatten();
        let (start, point, status) = (
            find(".read-aloud-start"),
            find(".read-aloud-point"),
            find(".read-aloud-status"),
        );
        let pressed = |el: &Option<web_sys::Element>, on: bool| {
            if let Some(el) = el {
                let _ = el.set_attribute("aria-pressed", if on { "true" } else { "false" });
            }
        };
        Effect::new(move || pressed(&start, speech.playing.get() != Playing::Stopped));
        Effect::new(move || pressed(&point, reader.speech.get().point));
        Effect::new(move || {
            let text = speech.status.get();
            if let Some(status) = &status {
                status.set_text_content(Some(&text));
            }
        });
        // A new variant is other text: the reading stops (and can start again in it).
        Effect::new(move |previous: Option<Variant>| {
            let now = reader.variant.get();
            if previous.is_some_and(|p| p != now) {
                stop_now(speech);
            }
            now
        });
        // Leaving the page stops it (the view's signals are going: none is set).
        let made = group.clone();
        on_cleanup(move || {
            current::stop();
            CONTROL.with_borrow_mut(|c| {
                if c.as_ref().is_some_and(|c| c.group == made) {
                    *c = None;
                }
            });
        });
        // And, if the reader chose so, hiding the tab.
        let hidden = window_event_listener_untyped("visibilitychange", move |_| {
            if document().hidden()
                && reader.speech.get_untracked().stop_hidden
                && speech.playing.get_untracked() != Playing::Stopped
            {
                stop_now(speech);
            }
        });
        // 指读: what the pointer rests on, or the keyboard focuses, is read after a short pause.
        let point = move |ev: web_sys::Event| {
            use wasm_bindgen::JsCast;
            if !reader.speech.get_untracked().point
                || speech.playing.get_untracked() != Playing::Stopped
            {
                return;
            }
            let Some(el) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let ui = speech.ui.get_value();
            super::pointing::rest_on(&el, &ui, move |text| {
                // Still wanted when the pause is over.
                if let (Some(p), Some(v)) = (
                    reader.speech.try_get_untracked(),
                    reader.variant.try_get_untracked(),
                ) && p.point
                {
                    leptos::task::spawn_local(crate::speech::point(speech, text, v));
                }
            });
        };
        let over = window_event_listener_untyped("pointerover", point);
        let focus = window_event_listener_untyped("focusin", point);
        on_cleanup(move || {
            hidden.remove();
            over.remove();
            focus.remove();
            super::pointing::cancel();
        });
        // The bar (上一段, 上一句, 暂停, 下一句, 下一段, 停止, 语速…), hidden until a reading starts.
        let mut bar = super::bar::player(speech).build();
        bar.mount(&group, None);
        CONTROL.set(Some(Control {
            group,
            speech,
            _bar: bar,
        }));
        speech
    }

    /// Changes 朗读's choices and remembers them.
    pub fn choose(prefs: RwSignal<SpeechPrefs>, change: &dyn Fn(&mut SpeechPrefs)) {
        let mut p = prefs.get_untracked();
        change(&mut p);
        prefs.set(p);
        crate::persist::save_speech(p);
    }

    /// Hands `cmd` to the reading.
    pub fn dispatch(speech: Speech, cmd: Command, variant: Variant) {
        leptos::task::spawn_local(crate::speech::command(speech, cmd, variant));
    }

    /// Stops a reading at once.
    fn stop_now(speech: Speech) {
        current::stop();
        speech.playing.set(Playing::Stopped);
    }
}

/// The player bar, made with the control's chunk.
#[cfg(feature = "hydrate")]
mod bar {
    use super::control::{choose, dispatch};
    use crate::reader::{Choice, HkVoice, Rate, SpeechPrefs, use_reader};
    use crate::speech::{Command, Playing, Speech};
    use crate::ui::T;
    use crate::variant::Variant;
    use leptos::prelude::*;

    pub fn player(speech: Speech) -> AnyView {
        let reader = use_reader();
        let ui = speech.ui.get_value();
        let send = move |cmd: Command| dispatch(speech, cmd, reader.variant.get_untracked());
        let rates = Rate::ALL.map(|r| (r, ui.t(r.text())));
        let hk_voices = HkVoice::ALL.map(|v| (v, ui.t(v.text())));
        let (rate_label, hk_label, stop_hidden) =
            (ui.t(T::Rate), ui.t(T::HkVoiceLabel), ui.t(T::StopHidden));
        let (pause, resume, stop, previous, next) = (
            ui.t(T::Pause),
            ui.t(T::Resume),
            ui.t(T::Stop),
            ui.t(T::PreviousSentence),
            ui.t(T::NextSentence),
        );
        let (previous_para, next_para) = (ui.t(T::PreviousParagraph), ui.t(T::NextParagraph));
        let (player, more_label) = (ui.t(T::ReadAloudPlayer), ui.t(T::ReadAloudMore));
        // On a phone the choices fold behind one button; the stylesheet shows them always on a
        // wider screen.
        let more = RwSignal::new(false);
        let stopped = move || speech.playing.get() == Playing::Stopped;
        view! {
            <div class="read-aloud-player" role="group" aria-label=player hidden=stopped>
                <button type="button" class="read-aloud-previous-paragraph" on:click=move |_| send(Command::PreviousParagraph)>
                    {previous_para}
                </button>
                <button type="button" class="read-aloud-previous" on:click=move |_| send(Command::Previous)>
                    {previous}
                </button>
                <button
                    type="button"
                    class="read-aloud-pause"
                    on:click=move |_| {
                        if speech.playing.get_untracked() == Playing::Paused {
                            send(Command::Resume)
                        } else {
                            send(Command::Pause)
                        }
                    }
                >
                    {move || if speech.playing.get() == Playing::Paused { resume.clone() } else { pause.clone() }}
                </button>
                <button type="button" class="read-aloud-next" on:click=move |_| send(Command::Next)>
                    {next}
                </button>
                <button type="button" class="read-aloud-next-paragraph" on:click=move |_| send(Command::NextParagraph)>
                    {next_para}
                </button>
                <button type="button" class="read-aloud-stop" on:click=move |_| send(Command::Stop)>{stop}</button>
                <button
                    type="button"
                    class="read-aloud-more"
                    aria-controls="read-aloud-settings"
                    aria-expanded=move || more.get().to_string()
                    on:click=move |_| more.update(|m| *m = !*m)
                >
                    {more_label}
                </button>
                <div id="read-aloud-settings" class="read-aloud-settings" data-open=move || more.get().then_some("")>
                    <fieldset class="read-aloud-choice">
                        {choices(rate_label, rates, |p| p.rate, |p, r| p.rate = r)}
                    </fieldset>
                    <fieldset class="read-aloud-choice" hidden=move || reader.variant.get() != Variant::Hk>
                        {choices(hk_label, hk_voices, |p| p.hk, |p, v| p.hk = v)}
                    </fieldset>
                    <label class="read-aloud-choice">
                        <input
                            type="checkbox"
                            prop:checked=move || reader.speech.get().stop_hidden
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                choose(reader.speech, &|p| p.stop_hidden = on)
                            }
                        />
                        {stop_hidden}
                    </label>
                </div>
            </div>
        }
        .into_any()
    }

    /// One of the bar's choices: its legend and a button for each value, the chosen one pressed.
    fn choices<C: Choice + Send + Sync>(
        legend: String,
        options: impl IntoIterator<Item = (C, String)>,
        get: fn(&SpeechPrefs) -> C,
        set: fn(&mut SpeechPrefs, C),
    ) -> impl IntoView {
        let speech = use_reader().speech;
        let buttons = options
            .into_iter()
            .map(|(value, text)| {
                view! {
                    <button
                        type="button"
                        aria-pressed=move || (get(&speech.get()) == value).to_string()
                        on:click=move |_| choose(speech, &|p| set(p, value))
                    >
                        {text}
                    </button>
                }
            })
            .collect_view();
        view! {
            <legend>{legend}</legend>
            {buttons}
        }
    }
}

/// 指读's pause: the element the pointer or focus last came to, read once it has rested there.
#[cfg(feature = "hydrate")]
mod pointing {
    use crate::ui::Ui;
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    /// How long the pointer or focus rests before the element is read.
    pub const REST_MS: i32 = 400;

    thread_local! {
        static TIMER: Cell<Option<i32>> = const { Cell::new(None) };
        static LAST: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    }

    pub fn cancel() {
        if let Some(t) = TIMER.take() {
            leptos::prelude::window().clear_timeout_with_handle(t);
        }
    }

    /// Reads what `target` is (a link or button by its text, else its block) after the rest,
    /// unless the pointer or focus moves on first; the same element is not read twice in a row.
    pub fn rest_on(target: &web_sys::Element, ui: &Ui, read: impl FnOnce(String) + 'static) {
        let Some((el, text)) = what(target, ui) else {
            return;
        };
        if LAST.with_borrow(|l| l.as_ref() == Some(&el)) {
            return;
        }
        cancel();
        LAST.set(Some(el));
        let run = Closure::once_into_js(move || {
            TIMER.set(None);
            read(text);
        });
        let window = leptos::prelude::window();
        if let Ok(t) = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), REST_MS)
        {
            TIMER.set(Some(t));
        }
    }

    /// The element to read for `target`, and what to say.
    fn what(target: &web_sys::Element, ui: &Ui) -> Option<(web_sys::Element, String)> {
        crate::aids::pointed(target, Some(ui))
    }
}
