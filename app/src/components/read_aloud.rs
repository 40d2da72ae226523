//! 朗读: the article read aloud by the browser's `speechSynthesis`, in the variant on screen. This
//! file is the control (in the toolbar row of article pages) and its player bar; the reading
//! itself is `crate::speech`, a split chunk loaded when the reader first presses it.

use crate::reader::{SpeechPrefs, use_reader};
#[cfg(feature = "hydrate")]
use crate::speech::engaged;
use crate::speech::{Command, Playing, Speech};
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// The 朗读 button; shown only once the page runs (without JavaScript nothing can read).
#[component]
pub fn ReadAloud(ui: Ui) -> impl IntoView {
    let reader = use_reader();
    let live = RwSignal::new(false);
    Effect::new(move || live.set(true));
    let speech = Speech {
        playing: RwSignal::new(Playing::Stopped),
        status: RwSignal::new(String::new()),
        ui: StoredValue::new(ui.clone()),
        prefs: reader.speech,
    };
    let send = move |cmd: Command| dispatch(speech, cmd, reader.variant.get_untracked());
    // A new variant is other text: the reading stops (and can start again in it).
    Effect::new(move |previous: Option<crate::variant::Variant>| {
        let now = reader.variant.get();
        if previous.is_some_and(|p| p != now) {
            stop_now(speech);
        }
        now
    });
    // Leaving the page stops it (the view's signals are going: none is set).
    on_cleanup(cancel);
    // And, if the reader chose so, hiding the tab.
    #[cfg(feature = "hydrate")]
    {
        let hidden = window_event_listener_untyped("visibilitychange", move |_| {
            if document().hidden()
                && reader.speech.get_untracked().stop_hidden
                && speech.playing.get_untracked() != Playing::Stopped
            {
                stop_now(speech);
            }
        });
        on_cleanup(move || hidden.remove());
    }
    // 指读: what the pointer rests on, or the keyboard focuses, is read after a short pause.
    #[cfg(feature = "hydrate")]
    {
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
            pointing::rest_on(&el, &ui, move |text| {
                // Still wanted when the pause is over.
                if let (Some(p), Some(v)) = (
                    reader.speech.try_get_untracked(),
                    reader.variant.try_get_untracked(),
                ) && p.point
                {
                    dispatch_point(speech, text, v)
                }
            });
        };
        let over = window_event_listener_untyped("pointerover", point);
        let focus = window_event_listener_untyped("focusin", point);
        on_cleanup(move || {
            over.remove();
            focus.remove();
            pointing::cancel();
        });
    }
    let point_label = ui.t(T::PointRead);
    let label = ui.t(T::ReadAloud);
    let stopped = move || speech.playing.get() == Playing::Stopped;
    // The bar (上一段, 上一句, 暂停, 下一句, 下一段, 停止, 语速…) is made by a split chunk once a
    // reading first starts; a reader who never presses 朗读 never loads it.
    let started = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(false) || speech.playing.get() != Playing::Stopped
    });
    #[cfg(feature = "hydrate")]
    let bar = move || started.get().then(|| Suspend::new(bar::player(speech)));
    #[cfg(not(feature = "hydrate"))]
    let bar = move || started.get().then_some(());
    view! {
        <div class="toolbar-group read-aloud" hidden=move || !live.get()>
            <button
                type="button"
                class="read-aloud-start"
                aria-pressed=move || (!stopped()).to_string()
                on:click=move |_| {
                    if stopped() { send(Command::Play) } else { send(Command::Stop) }
                }
            >
                {label}
            </button>
            <button
                type="button"
                class="read-aloud-point"
                aria-pressed=move || reader.speech.get().point.to_string()
                on:click=move |_| choose(reader.speech, &|p| p.point = !p.point)
            >
                {point_label}
            </button>
            <p class="read-aloud-status" role="status">{move || speech.status.get()}</p>
        </div>
        {bar}
    }
}

/// Changes 朗读's choices and remembers them.
fn choose(prefs: RwSignal<SpeechPrefs>, change: &dyn Fn(&mut SpeechPrefs)) {
    let mut p = prefs.get_untracked();
    change(&mut p);
    prefs.set(p);
    crate::persist::save_speech(p);
}

/// The player bar, made in the reading's own split chunk.
#[cfg(feature = "hydrate")]
mod bar {
    use super::{Command, Playing, Speech, choose, dispatch};
    use crate::reader::{Choice, HkVoice, Rate, SpeechPrefs, use_reader};
    use crate::ui::T;
    use crate::variant::Variant;
    use leptos::prelude::*;

    #[leptos::lazy]
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
        let player = ui.t(T::ReadAloudPlayer);
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

/// Hands `cmd` to the reading (loading its chunk the first time).
fn dispatch(_speech: Speech, _cmd: Command, _variant: crate::variant::Variant) {
    #[cfg(feature = "hydrate")]
    {
        engaged::set();
        leptos::task::spawn_local(crate::speech::command(_speech, _cmd, _variant));
    }
}

/// Reads `text` now (指读), loading the reading's chunk the first time.
#[cfg(feature = "hydrate")]
fn dispatch_point(speech: Speech, text: String, variant: crate::variant::Variant) {
    engaged::set();
    leptos::task::spawn_local(crate::speech::point(speech, text, variant));
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

/// Stops a reading at once, without loading the reading's chunk if it never ran.
fn stop_now(speech: Speech) {
    cancel();
    speech.playing.set(Playing::Stopped);
}

/// Ends the speaking and the highlight, if a reading ever ran on this page.
fn cancel() {
    #[cfg(feature = "hydrate")]
    if engaged::get() {
        engaged::stop();
    }
}
