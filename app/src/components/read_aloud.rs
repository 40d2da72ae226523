//! 朗读: the article read aloud by the browser's `speechSynthesis`, in the variant on screen. This
//! file is the control (in the toolbar row of article pages) and its player bar; the reading
//! itself is `crate::speech`, a split chunk loaded when the reader first presses it.

use crate::reader::use_reader;
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
    let label = ui.t(T::ReadAloud);
    let (pause, resume, stop, previous, next) = (
        ui.t(T::Pause),
        ui.t(T::Resume),
        ui.t(T::Stop),
        ui.t(T::PreviousSentence),
        ui.t(T::NextSentence),
    );
    let player = ui.t(T::ReadAloudPlayer);
    let stopped = move || speech.playing.get() == Playing::Stopped;
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
            <p class="read-aloud-status" role="status">{move || speech.status.get()}</p>
        </div>
        <div class="read-aloud-player" role="group" aria-label=player hidden=stopped>
            <button type="button" on:click=move |_| send(Command::Previous)>{previous}</button>
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
            <button type="button" on:click=move |_| send(Command::Next)>{next}</button>
            <button type="button" class="read-aloud-stop" on:click=move |_| send(Command::Stop)>{stop}</button>
        </div>
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
