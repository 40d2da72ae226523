//! What differs per response in a kept page: the slots, the reader's style, and the placeholders
//! the app renders where they go.

use app::reader::{Contrast, FontSize, Prefs};

/// What is written between two stored parts of a page.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(super) enum Slot {
    /// The article's live view count.
    Count,
    /// This response's script nonce.
    Nonce,
    /// `<html data-font-size>`'s value.
    FontSize,
    /// `<html data-contrast>`'s value.
    Contrast,
    /// A font size button's `aria-pressed` (`true` or `false`).
    FontPressed(FontSize),
    /// A contrast button's `aria-pressed`.
    ContrastPressed(Contrast),
}

impl Slot {
    /// What a reader with `style` sees here (the count and nonce are not the style's).
    pub(super) fn styled(self, style: Style) -> Option<&'static str> {
        let pressed = |on: bool| if on { "true" } else { "false" };
        match self {
            Slot::Count | Slot::Nonce => None,
            Slot::FontSize => Some(style.0.as_str()),
            Slot::Contrast => Some(style.1.as_str()),
            Slot::FontPressed(f) => Some(pressed(f == style.0)),
            Slot::ContrastPressed(c) => Some(pressed(c == style.1)),
        }
    }
}

/// The reader's font size and contrast: what a stored page is styled with per response.
pub(super) type Style = (FontSize, Contrast);

pub(super) fn style(prefs: Prefs) -> Style {
    (prefs.font_size, prefs.contrast)
}

impl Slot {
    /// The slot the app wrote after the style marker (`app::reader::style_value`): `font-size`,
    /// `contrast`, or a button's `font-size=<tag>` / `contrast=<tag>`.
    pub(super) fn marked(spelled: &str) -> Option<Slot> {
        Some(match spelled.split_once('=') {
            None if spelled == "font-size" => Slot::FontSize,
            None if spelled == "contrast" => Slot::Contrast,
            Some(("font-size", tag)) => Slot::FontPressed(FontSize::parse(tag)?),
            Some(("contrast", tag)) => Slot::ContrastPressed(Contrast::parse(tag)?),
            _ => return None,
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
