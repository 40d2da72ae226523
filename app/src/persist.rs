//! Browser side of the preferences: localStorage (through gloo-storage) and the cookie that lets the
//! server render them. Every failure (blocked storage, full quota, junk values) leaves defaults and a
//! working page.

#[cfg(feature = "hydrate")]
use crate::reader::STORAGE_KEY;
use crate::reader::{Prefs, Reader};

/// Remembers `p` in localStorage and the cookie.
pub fn save(p: Prefs) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage as _;
        if storage_usable() {
            // A full quota or a refusal is not worth a broken page.
            let _ = gloo_storage::LocalStorage::set(STORAGE_KEY, p.encode());
        }
        set_cookie(p);
        sync_url_variant(p);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = p;
}

/// An explicit `?variant=` in the address wins on reload, so keep it in step with the choice.
#[cfg(feature = "hydrate")]
fn sync_url_variant(p: Prefs) {
    let window = leptos::prelude::window();
    let Ok(search) = window.location().search() else {
        return;
    };
    if crate::query::variant(&search).is_some_and(|v| v != p.variant)
        && let (Ok(path), Ok(history)) = (window.location().pathname(), window.history())
    {
        let url = format!("{path}?{}", crate::query::with_variant(&search, p.variant));
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Remembers 朗读's choices in localStorage.
pub fn save_speech(p: crate::reader::SpeechPrefs) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage as _;
        if storage_usable() {
            let _ = gloo_storage::LocalStorage::set(crate::reader::SPEECH_KEY, p.encode());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = p;
}

/// 朗读's choices in localStorage, if readable.
#[cfg(feature = "hydrate")]
fn load_speech() -> Option<crate::reader::SpeechPrefs> {
    use gloo_storage::Storage as _;
    if !storage_usable() {
        return None;
    }
    gloo_storage::LocalStorage::get::<String>(crate::reader::SPEECH_KEY)
        .ok()
        .map(|s| crate::reader::SpeechPrefs::decode(&s))
}

/// The preferences in localStorage, if readable.
pub fn load() -> Option<Prefs> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage as _;
        if !storage_usable() {
            return None;
        }
        gloo_storage::LocalStorage::get::<String>(STORAGE_KEY)
            .ok()
            .map(|s| Prefs::decode(&s))
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// gloo's LocalStorage throws when storage is blocked (SecurityError); ask the window first.
#[cfg(feature = "hydrate")]
fn storage_usable() -> bool {
    matches!(leptos::prelude::window().local_storage(), Ok(Some(_)))
}

#[cfg(feature = "hydrate")]
fn set_cookie(p: Prefs) {
    use wasm_bindgen::JsCast;
    if let Ok(doc) = leptos::prelude::document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = doc.set_cookie(&p.cookie());
    }
}

/// Starts listening for changes made in other tabs, and brings back preferences the cookie lost.
pub fn watch(reader: Reader) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        if let Some(stored) = load()
            && stored != reader.prefs()
            && !has_cookie()
        {
            reader.set(stored);
            set_cookie(stored);
        }
        if let Some(speech) = load_speech() {
            reader.speech.set(speech);
        }
        let handle = window_event_listener(leptos::ev::storage, move |e| {
            if e.key().as_deref() == Some(STORAGE_KEY) {
                let p = e.new_value().map(|v| Prefs::decode(&v)).unwrap_or_default();
                reader.set(p);
            } else if e.key().as_deref() == Some(crate::reader::SPEECH_KEY) {
                let p = e
                    .new_value()
                    .map(|v| crate::reader::SpeechPrefs::decode(&v));
                reader.speech.set(p.unwrap_or_default());
            }
        });
        // A page restored from the back/forward cache keeps the state it was left with; choices
        // made on other pages since then apply on return, as the server would render them.
        let restored = window_event_listener_untyped("pageshow", move |e| {
            use wasm_bindgen::JsCast;
            let persisted = e
                .dyn_ref::<web_sys::PageTransitionEvent>()
                .is_some_and(|e| e.persisted());
            if let Some(p) = persisted.then(current).flatten()
                && p != reader.prefs()
            {
                reader.set(p);
            }
        });
        on_cleanup(move || {
            handle.remove();
            restored.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = reader;
}

/// What the server would render this address with now: the cookie (else storage), then `?variant=`.
#[cfg(feature = "hydrate")]
fn current() -> Option<Prefs> {
    let mut p = cookie().or_else(load)?;
    let search = leptos::prelude::window().location().search().ok();
    if let Some(v) = search.as_deref().and_then(crate::query::variant) {
        p.variant = v;
    }
    Some(p)
}

#[cfg(feature = "hydrate")]
fn cookie() -> Option<Prefs> {
    use wasm_bindgen::JsCast;
    leptos::prelude::document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.cookie().ok())
        .and_then(|c| Prefs::from_cookie_header(&c))
}

#[cfg(feature = "hydrate")]
fn has_cookie() -> bool {
    cookie().is_some()
}
