//! The reader's display choices (font size, contrast), shared by every control that changes them.

use crate::ui::T;
use crate::variant::Variant;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FontSize {
    Small,
    #[default]
    Medium,
    Large,
    XLarge,
}

impl FontSize {
    pub const ALL: [FontSize; 4] = [
        FontSize::Small,
        FontSize::Medium,
        FontSize::Large,
        FontSize::XLarge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FontSize::Small => "small",
            FontSize::Medium => "medium",
            FontSize::Large => "large",
            FontSize::XLarge => "x-large",
        }
    }

    pub fn text(self) -> T {
        match self {
            FontSize::Small => T::Small,
            FontSize::Medium => T::Medium,
            FontSize::Large => T::Large,
            FontSize::XLarge => T::XLarge,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Contrast {
    #[default]
    Default,
    High,
    Inverted,
}

impl Contrast {
    pub const ALL: [Contrast; 3] = [Contrast::Default, Contrast::High, Contrast::Inverted];

    pub fn as_str(self) -> &'static str {
        match self {
            Contrast::Default => "default",
            Contrast::High => "high",
            Contrast::Inverted => "inverted",
        }
    }

    pub fn text(self) -> T {
        match self {
            Contrast::Default => T::ContrastDefault,
            Contrast::High => T::ContrastHigh,
            Contrast::Inverted => T::ContrastInverted,
        }
    }
}

/// The reader's choices. Stored in the browser (localStorage) and mirrored in a cookie so the
/// server renders them in the first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Prefs {
    pub variant: Variant,
    pub font_size: FontSize,
    pub contrast: Contrast,
}

/// Name of the cookie mirroring the preferences.
pub const COOKIE: &str = "reader";
/// localStorage key of the preferences.
pub const STORAGE_KEY: &str = "reader-prefs";

impl Prefs {
    /// `zh-Hant.large.high`: the cookie and storage form.
    pub fn encode(self) -> String {
        format!(
            "{}.{}.{}",
            self.variant.tag(),
            self.font_size.as_str(),
            self.contrast.as_str()
        )
    }

    /// Parses [`Prefs::encode`]'s form; anything unreadable falls back to the default, field by field.
    pub fn decode(s: &str) -> Prefs {
        let mut it = s.trim().trim_matches('"').splitn(3, '.');
        Prefs {
            variant: it.next().and_then(|v| v.parse().ok()).unwrap_or_default(),
            font_size: it.next().and_then(FontSize::parse).unwrap_or_default(),
            contrast: it.next().and_then(Contrast::parse).unwrap_or_default(),
        }
    }

    /// The whole cookie that remembers these preferences (`Set-Cookie` or `document.cookie`):
    /// a year, the whole site, sent on same-site requests and top-level navigations.
    pub fn cookie(&self) -> String {
        format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            self.encode()
        )
    }

    /// The preferences in a `Cookie:` header, if that cookie is there.
    pub fn from_cookie_header(header: &str) -> Option<Prefs> {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == COOKIE)
            .map(|(_, v)| Prefs::decode(v))
    }

    /// The preferences in a request's cookies (the defaults without one).
    #[cfg(feature = "ssr")]
    pub fn from_cookies(headers: &http::HeaderMap) -> Prefs {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(Prefs::from_cookie_header)
            .unwrap_or_default()
    }

    /// What a page request is rendered with: the cookie, then `?variant=`.
    #[cfg(feature = "ssr")]
    pub fn from_request(headers: &http::HeaderMap, query: Option<&str>) -> Prefs {
        let mut prefs = Prefs::from_cookies(headers);
        if let Some(v) = query.and_then(crate::query::variant) {
            prefs.variant = v;
        }
        prefs
    }
}

impl FontSize {
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl Contrast {
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// How fast 朗读 reads (`SpeechSynthesisUtterance.rate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Rate {
    Slow,
    #[default]
    Normal,
    Fast,
    Faster,
}

impl Rate {
    pub const ALL: [Rate; 4] = [Rate::Slow, Rate::Normal, Rate::Fast, Rate::Faster];

    pub fn value(self) -> f32 {
        match self {
            Rate::Slow => 0.75,
            Rate::Normal => 1.0,
            Rate::Fast => 1.25,
            Rate::Faster => 1.5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rate::Slow => "slow",
            Rate::Normal => "normal",
            Rate::Fast => "fast",
            Rate::Faster => "faster",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn text(self) -> T {
        match self {
            Rate::Slow => T::RateSlow,
            Rate::Normal => T::RateNormal,
            Rate::Fast => T::RateFast,
            Rate::Faster => T::RateFaster,
        }
    }
}

/// Which voice reads Hong Kong text: Cantonese, or Mandarin for a reader who prefers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HkVoice {
    #[default]
    Cantonese,
    Mandarin,
}

impl HkVoice {
    pub const ALL: [HkVoice; 2] = [HkVoice::Cantonese, HkVoice::Mandarin];

    pub fn as_str(self) -> &'static str {
        match self {
            HkVoice::Cantonese => "yue",
            HkVoice::Mandarin => "cmn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn text(self) -> T {
        match self {
            HkVoice::Cantonese => T::Cantonese,
            HkVoice::Mandarin => T::Mandarin,
        }
    }
}

/// The reader's 朗读 choices: browser only (the server renders nothing from them), kept in
/// localStorage beside [`Prefs`] and shared with other tabs the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SpeechPrefs {
    pub rate: Rate,
    pub hk: HkVoice,
    /// Stop reading when the tab is hidden.
    pub stop_hidden: bool,
    /// 指读: read what the pointer rests on or the keyboard focuses.
    pub point: bool,
}

/// localStorage key of the 朗读 choices.
pub const SPEECH_KEY: &str = "reader-speech";

impl SpeechPrefs {
    /// `fast.yue.stop.point`: the storage form.
    pub fn encode(self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.rate.as_str(),
            self.hk.as_str(),
            if self.stop_hidden { "stop" } else { "keep" },
            if self.point { "point" } else { "off" }
        )
    }

    /// Parses [`SpeechPrefs::encode`]'s form; anything unreadable falls back to the default, field
    /// by field.
    pub fn decode(s: &str) -> SpeechPrefs {
        let mut it = s.trim().trim_matches('"').splitn(4, '.');
        SpeechPrefs {
            rate: it.next().and_then(Rate::parse).unwrap_or_default(),
            hk: it.next().and_then(HkVoice::parse).unwrap_or_default(),
            stop_hidden: it.next() == Some("stop"),
            point: it.next() == Some("point"),
        }
    }
}

/// Given in context by a server that keeps rendered pages: the marker that starts each value set by
/// the reader's font size or contrast, so one kept page serves every style (the server writes each
/// reader's values over the slots). Random per process, so imported text cannot spell it.
#[derive(Clone, Copy, Debug)]
pub struct StyleSlots(pub &'static str);

/// The preferences whose values are slots in a kept page (the variant is part of its address).
pub const STYLE_PREFS: [&str; 2] = ["font-size", "contrast"];

/// What an attribute set by style preference `pref` shows: `value`, or in a page made to keep,
/// the slot `<marker><pref>` (`pressed` given: a button's `aria-pressed`, `<marker><pref>=<tag>`).
pub fn style_value(
    slots: Option<StyleSlots>,
    pref: &str,
    pressed: Option<&str>,
    value: &str,
) -> String {
    match slots.filter(|_| STYLE_PREFS.contains(&pref)) {
        Some(StyleSlots(marker)) => match pressed {
            Some(tag) => format!("{marker}{pref}={tag}"),
            None => format!("{marker}{pref}"),
        },
        None => value.to_owned(),
    }
}

#[derive(Clone, Copy)]
pub struct Reader {
    pub variant: RwSignal<Variant>,
    pub font_size: RwSignal<FontSize>,
    pub contrast: RwSignal<Contrast>,
    /// 朗读's choices (browser storage only).
    pub speech: RwSignal<SpeechPrefs>,
}

impl Reader {
    pub fn prefs(&self) -> Prefs {
        Prefs {
            variant: self.variant.get_untracked(),
            font_size: self.font_size.get_untracked(),
            contrast: self.contrast.get_untracked(),
        }
    }

    pub fn set(&self, p: Prefs) {
        self.variant.set(p.variant);
        self.font_size.set(p.font_size);
        self.contrast.set(p.contrast);
    }
}

/// What the page is rendered with: on the server from the cookie and `?variant=`, in the browser
/// from the attributes the server put on `<html>` (so hydration starts from the same state).
pub(crate) fn initial_prefs() -> Prefs {
    #[cfg(feature = "ssr")]
    {
        match use_context::<http::request::Parts>() {
            Some(parts) => Prefs::from_request(&parts.headers, parts.uri.query()),
            None => Prefs::default(),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let Some(root) = document().document_element() else {
            return Prefs::default();
        };
        let attr = |name: &str| root.get_attribute(name).unwrap_or_default();
        Prefs {
            variant: attr("lang").parse().unwrap_or_default(),
            font_size: FontSize::parse(&attr("data-font-size")).unwrap_or_default(),
            contrast: Contrast::parse(&attr("data-contrast")).unwrap_or_default(),
        }
    }
}

pub fn provide_reader() -> Reader {
    let p = initial_prefs();
    let reader = Reader {
        variant: RwSignal::new(p.variant),
        font_size: RwSignal::new(p.font_size),
        contrast: RwSignal::new(p.contrast),
        speech: RwSignal::new(SpeechPrefs::default()),
    };
    provide_context(reader);
    reader
}

pub fn use_reader() -> Reader {
    use_context::<Reader>().unwrap_or_else(provide_reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_round_trip_and_survive_garbage() {
        let p = Prefs {
            variant: Variant::Hk,
            font_size: FontSize::XLarge,
            contrast: Contrast::Inverted,
        };
        assert_eq!(p.encode(), "zh-HK.x-large.inverted");
        assert_eq!(Prefs::decode(&p.encode()), p);
        assert_eq!(Prefs::decode(""), Prefs::default());
        assert_eq!(Prefs::decode("%%%.\\u{0}"), Prefs::default());
        let partial = Prefs::decode("zh-TW.huge.high");
        assert_eq!(partial.variant, Variant::Tw);
        assert_eq!(partial.font_size, FontSize::Medium);
        assert_eq!(partial.contrast, Contrast::High);
    }

    #[test]
    fn speech_prefs_round_trip_and_survive_garbage() {
        let p = SpeechPrefs {
            rate: Rate::Fast,
            hk: HkVoice::Mandarin,
            stop_hidden: true,
            point: true,
        };
        assert_eq!(p.encode(), "fast.cmn.stop.point");
        assert_eq!(SpeechPrefs::decode(&p.encode()), p);
        assert_eq!(SpeechPrefs::decode("<x>"), SpeechPrefs::default());
        assert_eq!(SpeechPrefs::decode("slow.??").rate, Rate::Slow);
    }

    #[test]
    fn cookie_header() {
        let p = Prefs::from_cookie_header("a=1; reader=zh-Hant.large.high; b=2").unwrap();
        assert_eq!(p.variant, Variant::Hant);
        assert!(Prefs::from_cookie_header("readers=zh-Hant").is_none());
    }
}
