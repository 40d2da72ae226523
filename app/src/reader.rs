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
    pub aids: Aids,
}

/// Name of the cookie mirroring the preferences.
pub const COOKIE: &str = "reader";
/// localStorage key of the preferences.
pub const STORAGE_KEY: &str = "reader-prefs";

impl Prefs {
    /// `zh-Hant.large.high.on.off.off.wide` (variant, then each [`StylePref`] in order): the
    /// cookie and storage form.
    pub fn encode(self) -> String {
        let mut s = self.variant.tag().to_owned();
        for pref in StylePref::ALL {
            s.push('.');
            s.push_str(self.tag(pref));
        }
        s
    }

    /// Parses [`Prefs::encode`]'s form (a shorter one too: the fields missing are defaults);
    /// anything unreadable falls back to the default, field by field.
    pub fn decode(s: &str) -> Prefs {
        let mut it = s.trim().trim_matches('"').split('.');
        let mut p = Prefs {
            variant: it.next().and_then(|v| v.parse().ok()).unwrap_or_default(),
            ..Prefs::default()
        };
        for (pref, tag) in StylePref::ALL.into_iter().zip(it) {
            let _ = p.set_tag(pref, tag);
        }
        p
    }

    /// What style preference `pref` is, as its tag.
    pub fn tag(&self, pref: StylePref) -> &'static str {
        match pref {
            StylePref::FontSize => self.font_size.tag(),
            StylePref::Contrast => self.contrast.tag(),
            StylePref::Cursor => self.aids.cursor.tag(),
            StylePref::Guide => self.aids.guide.tag(),
            StylePref::Caption => self.aids.caption.tag(),
            StylePref::Spacing => self.aids.spacing.tag(),
        }
    }

    /// Sets style preference `pref` from its tag (`toggle` flips a switched aid); `Err` for a
    /// tag it does not have, leaving it as it was.
    pub fn set_tag(&mut self, pref: StylePref, tag: &str) -> Result<(), UnknownTag> {
        fn set<C: Choice>(field: &mut C, tag: &str) -> Result<(), UnknownTag> {
            *field = C::parse(tag).ok_or(UnknownTag)?;
            Ok(())
        }
        fn switch(field: &mut Switch, tag: &str) -> Result<(), UnknownTag> {
            if tag == "toggle" {
                *field = field.flipped();
                return Ok(());
            }
            set(field, tag)
        }
        match pref {
            StylePref::FontSize => set(&mut self.font_size, tag),
            StylePref::Contrast => set(&mut self.contrast, tag),
            StylePref::Cursor => switch(&mut self.aids.cursor, tag),
            StylePref::Guide => switch(&mut self.aids.guide, tag),
            StylePref::Caption => switch(&mut self.aids.caption, tag),
            StylePref::Spacing => set(&mut self.aids.spacing, tag),
        }
    }

    /// 重置: every display choice and aid back to its default; the script stays as chosen.
    pub fn reset(self) -> Prefs {
        Prefs {
            variant: self.variant,
            ..Prefs::default()
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

/// 行距: line height and letter spacing, from the stylesheet's presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Spacing {
    #[default]
    Normal,
    Wide,
    Wider,
}

impl Spacing {
    pub const ALL: [Spacing; 3] = [Spacing::Normal, Spacing::Wide, Spacing::Wider];

    pub fn as_str(self) -> &'static str {
        match self {
            Spacing::Normal => "normal",
            Spacing::Wide => "wide",
            Spacing::Wider => "wider",
        }
    }

    pub fn text(self) -> T {
        match self {
            Spacing::Normal => T::SpacingNormal,
            Spacing::Wide => T::SpacingWide,
            Spacing::Wider => T::SpacingWider,
        }
    }
}

/// A value a preference does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownTag;

impl std::fmt::Display for UnknownTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unknown preference value")
    }
}

impl std::error::Error for UnknownTag {}

/// An aid that is on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Switch {
    #[default]
    Off,
    On,
}

impl Switch {
    pub const ALL: [Switch; 2] = [Switch::Off, Switch::On];

    pub fn as_str(self) -> &'static str {
        match self {
            Switch::Off => "off",
            Switch::On => "on",
        }
    }

    pub fn on(self) -> bool {
        self == Switch::On
    }

    pub fn flipped(self) -> Switch {
        match self {
            Switch::Off => Switch::On,
            Switch::On => Switch::Off,
        }
    }
}

/// A choice spelled by a fixed set of tags (`as_str`), read back by [`Choice::parse`].
pub trait Choice: Copy + PartialEq + 'static {
    const TAGS: &'static [Self];
    fn tag(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::TAGS.iter().copied().find(|c| c.tag() == s)
    }
}

macro_rules! choice {
    ($($t:ty),*) => {$(
        impl Choice for $t {
            const TAGS: &'static [Self] = &<$t>::ALL;
            fn tag(self) -> &'static str {
                self.as_str()
            }
        }
    )*};
}
choice!(FontSize, Contrast, Spacing, Switch, Rate, HkVoice);

/// The aids of the 无障碍 panel that show from the first paint (server-rendered on `<html>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Aids {
    /// 大鼠标: a large pointer and text cursor.
    pub cursor: Switch,
    /// 辅助线: guide lines that follow the pointer and the focus.
    pub guide: Switch,
    /// 大字幕: a panel showing what the pointer or focus is on, in large type.
    pub caption: Switch,
    /// 行距.
    pub spacing: Spacing,
}

/// The preferences the stylesheet reads from `<html>`'s `data-*` attributes: in a kept page each
/// one's value is a slot the server fills per reader (the variant is part of the page's address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StylePref {
    FontSize,
    Contrast,
    Cursor,
    Guide,
    Caption,
    Spacing,
}

impl StylePref {
    pub const ALL: [StylePref; 6] = [
        StylePref::FontSize,
        StylePref::Contrast,
        StylePref::Cursor,
        StylePref::Guide,
        StylePref::Caption,
        StylePref::Spacing,
    ];

    /// The attribute's name after `data-`, and the `/prefs` parameter.
    pub fn name(self) -> &'static str {
        match self {
            StylePref::FontSize => "font-size",
            StylePref::Contrast => "contrast",
            StylePref::Cursor => "cursor",
            StylePref::Guide => "guide",
            StylePref::Caption => "caption",
            StylePref::Spacing => "spacing",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Every value it can take (its [`Choice::TAGS`], spelled; read per response, so static).
    pub fn tags(self) -> &'static [&'static str] {
        match self {
            StylePref::FontSize => &["small", "medium", "large", "x-large"],
            StylePref::Contrast => &["default", "high", "inverted"],
            StylePref::Cursor | StylePref::Guide | StylePref::Caption => &["off", "on"],
            StylePref::Spacing => &["normal", "wide", "wider"],
        }
    }

    /// A switched aid.
    pub fn switch(self) -> bool {
        matches!(
            self,
            StylePref::Cursor | StylePref::Guide | StylePref::Caption
        )
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

/// What an attribute set by style preference `pref` ([`StylePref::name`]) shows: `value`, or in a page made to keep,
/// the slot `<marker><pref>` (`pressed` given: a button's `aria-pressed`, `<marker><pref>=<tag>`).
pub fn style_value(
    slots: Option<StyleSlots>,
    pref: &str,
    pressed: Option<&str>,
    value: &str,
) -> String {
    match slots.filter(|_| StylePref::parse(pref).is_some()) {
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
    pub aids: RwSignal<Aids>,
    /// 朗读's choices (browser storage only).
    pub speech: RwSignal<SpeechPrefs>,
}

impl Reader {
    pub fn prefs(&self) -> Prefs {
        Prefs {
            variant: self.variant.get_untracked(),
            font_size: self.font_size.get_untracked(),
            contrast: self.contrast.get_untracked(),
            aids: self.aids.get_untracked(),
        }
    }

    /// The preferences, tracked (an effect reading them runs again on each change).
    pub fn tracked(&self) -> Prefs {
        Prefs {
            variant: self.variant.get(),
            font_size: self.font_size.get(),
            contrast: self.contrast.get(),
            aids: self.aids.get(),
        }
    }

    pub fn set(&self, p: Prefs) {
        self.variant.set(p.variant);
        self.font_size.set(p.font_size);
        self.contrast.set(p.contrast);
        self.aids.set(p.aids);
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
        let mut p = Prefs {
            variant: root
                .get_attribute("lang")
                .and_then(|l| l.parse().ok())
                .unwrap_or_default(),
            ..Prefs::default()
        };
        for pref in StylePref::ALL {
            if let Some(tag) = root.get_attribute(&format!("data-{}", pref.name())) {
                let _ = p.set_tag(pref, &tag);
            }
        }
        p
    }
}

pub fn provide_reader() -> Reader {
    let p = initial_prefs();
    let reader = Reader {
        variant: RwSignal::new(p.variant),
        font_size: RwSignal::new(p.font_size),
        contrast: RwSignal::new(p.contrast),
        aids: RwSignal::new(p.aids),
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
            aids: Aids {
                cursor: Switch::On,
                guide: Switch::Off,
                caption: Switch::On,
                spacing: Spacing::Wider,
            },
        };
        assert_eq!(p.encode(), "zh-HK.x-large.inverted.on.off.on.wider");
        assert_eq!(Prefs::decode(&p.encode()), p);
        // The form before the aids: they are off.
        let old = Prefs::decode("zh-HK.x-large.inverted");
        assert_eq!(
            (old.contrast, old.aids),
            (Contrast::Inverted, Aids::default())
        );
        assert_eq!(
            p.reset(),
            Prefs {
                variant: Variant::Hk,
                ..Prefs::default()
            }
        );
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
    fn every_style_pref_sets_and_reads_each_of_its_tags() {
        fn spelled<C: Choice>() -> Vec<&'static str> {
            C::TAGS.iter().map(|c| c.tag()).collect()
        }
        assert_eq!(StylePref::FontSize.tags(), spelled::<FontSize>());
        assert_eq!(StylePref::Contrast.tags(), spelled::<Contrast>());
        assert_eq!(StylePref::Cursor.tags(), spelled::<Switch>());
        assert_eq!(StylePref::Spacing.tags(), spelled::<Spacing>());
        for pref in StylePref::ALL {
            assert_eq!(StylePref::parse(pref.name()), Some(pref));
            for &tag in pref.tags() {
                let mut p = Prefs::default();
                assert_eq!(p.set_tag(pref, tag), Ok(()));
                assert_eq!(p.tag(pref), tag);
            }
            let mut p = Prefs::default();
            assert_eq!(p.set_tag(pref, "nonsense"), Err(UnknownTag));
            assert_eq!(p, Prefs::default());
            assert_eq!(p.set_tag(pref, "toggle").is_ok(), pref.switch());
        }
        let mut p = Prefs::default();
        p.set_tag(StylePref::Guide, "toggle").unwrap();
        assert_eq!(p.aids.guide, Switch::On);
        p.set_tag(StylePref::Guide, "toggle").unwrap();
        assert_eq!(p.aids.guide, Switch::Off);
    }

    #[test]
    fn cookie_header() {
        let p = Prefs::from_cookie_header("a=1; reader=zh-Hant.large.high; b=2").unwrap();
        assert_eq!(p.variant, Variant::Hant);
        assert!(Prefs::from_cookie_header("readers=zh-Hant").is_none());
    }
}
