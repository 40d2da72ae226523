//! What differs per response in a kept page: the slots, the reader's style, and the placeholders
//! the app renders where they go.

use app::reader::{Prefs, StylePref};

/// What is written between two stored parts of a page.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(super) enum Slot {
    /// The article's live view count.
    Count,
    /// This response's script nonce.
    Nonce,
    /// A style preference's value (`<html data-font-size>`, `data-cursor`…).
    Value(StylePref),
    /// Whether a button for one of a style preference's values (by its index in
    /// [`StylePref::tags`]) is pressed: `aria-pressed`'s `true` or `false`.
    Pressed(StylePref, u8),
}

impl Slot {
    /// What a reader with `style` sees here (the count and nonce are not the style's).
    pub(super) fn styled(self, style: Style) -> Option<&'static str> {
        match self {
            Slot::Count | Slot::Nonce => None,
            Slot::Value(pref) => Some(style.tag(pref)),
            Slot::Pressed(pref, i) => {
                let on = pref.tags().get(i as usize) == Some(&style.tag(pref));
                Some(if on { "true" } else { "false" })
            }
        }
    }
}

/// The reader's style preferences (everything in [`Prefs`] but the variant, which is part of a
/// page's address): what a stored page is styled with per response.
pub(super) type Style = Prefs;

pub(super) fn style(prefs: Prefs) -> Style {
    Prefs {
        variant: Default::default(),
        ..prefs
    }
}

/// A number per style (each preference's tag index, mixed radix), for the ETag of a page whose
/// slots show the style.
pub(super) fn style_number(style: Style) -> u32 {
    StylePref::ALL.into_iter().fold(0, |n, pref| {
        let tags = pref.tags();
        let i = tags.iter().position(|t| *t == style.tag(pref)).unwrap_or(0);
        n * tags.len() as u32 + i as u32
    })
}

impl Slot {
    /// The slot the app wrote after the style marker (`app::reader::style_value`): a preference's
    /// name (`font-size`), or a button's `<name>=<tag>` (`contrast=high`).
    pub(super) fn marked(spelled: &str) -> Option<Slot> {
        Some(match spelled.split_once('=') {
            None => Slot::Value(StylePref::parse(spelled)?),
            Some((name, tag)) => {
                let pref = StylePref::parse(name)?;
                let i = pref.tags().iter().position(|t| *t == tag)?;
                Slot::Pressed(pref, u8::try_from(i).ok()?)
            }
        })
    }
}

/// Where a slot starts in a page, and how far it runs.
pub(super) enum Needle {
    /// The needle itself is the slot.
    Whole(Slot),
    /// The style marker: the slot runs to the end of the attribute's value, and says which it is.
    Marked,
}

/// Given to the app (`app::reader::StyleSlots`) to start each style slot it renders: random per
/// process, so imported text cannot spell it.
pub fn style_marker() -> &'static str {
    static MARKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| {
        use rand::Rng;
        format!("style{:016x}:", rand::rng().random::<u64>())
    })
}

/// Rendered instead of an article's view count in a page made for the cache (16 digits, random
/// per process: imported text cannot spell it, as it cannot spell the nonce's slot).
pub fn count_slot() -> i64 {
    static SLOT: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *SLOT.get_or_init(|| {
        use rand::Rng;
        rand::rng().random_range(1_000_000_000_000_000..10_000_000_000_000_000)
    })
}

/// Digits a compressed copy leaves room for. In compressed responses the count is followed by
/// spaces up to this width (where the count sits, at the end of its line in the page's text and
/// before a `,` in its JSON, they show nothing and parse the same), so a copy made at 9 views
/// still fits at 9,999,999 instead of being compressed again at 10, 100, 1,000… Measured (README):
/// after every count on a 10,000-article site grew a digit, brotli uniform fell from 59,500 to
/// 2,200–2,600 req/s without the padding, and stayed at 57,600–62,500 with it.
pub(super) const COUNT_WIDTH: usize = 7;

/// `digits` followed by spaces up to [`COUNT_WIDTH`], in `wide`.
pub(super) fn padded<'a>(digits: &str, wide: &'a mut [u8; 20]) -> &'a [u8] {
    wide[..digits.len()].copy_from_slice(digits.as_bytes());
    &wide[..digits.len().max(COUNT_WIDTH)]
}
