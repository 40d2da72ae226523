//! A kept page: its HTML split at the slots, its ETag and compressed copies, and how a response's
//! body is written from it.

use super::compressed::{
    BR_BEST, BR_QUALITY, Compressed, GZIP_LEVEL, HOT_AFTER, Template, template,
};
use super::key::Key;
use super::slot::{COUNT_WIDTH, Needle, Slot, Style, count_slot, style_marker};
use crate::chunks::{Chunker, Chunks};
use crate::security;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// A rendered page as kept: in memory, and (through `store`) on disk.
pub(super) struct Page {
    /// The HTML split at the slots (empty while `packed`).
    pub(super) parts: Vec<Bytes>,
    /// A page read from disk for one brotli response, which its stored brotli copy serves: its
    /// parts as stored, decoded only if that response needs them after all.
    pub(super) packed: Option<Packed>,
    /// `slots[i]` goes between `parts[i]` and `parts[i + 1]`.
    pub(super) slots: Vec<Slot>,
    pub(super) content_type: HeaderValue,
    /// The ETag's first part (the parts' hash), opening quote included.
    pub(super) etag: Box<str>,
    /// The article shown, whose views this page counts.
    pub(super) article: Option<Box<str>>,
    /// The page compressed once around its values, per coding; made on the first response in
    /// that coding, again when the count grows a digit.
    pub(super) compressed: std::sync::Mutex<Compressed>,
}

/// A page's parts as the page store keeps them: one LZ4 block.
pub(super) struct Packed {
    pub(super) block: Bytes,
    pub(super) lens: Vec<usize>,
    pub(super) parts: std::sync::OnceLock<Option<Vec<Bytes>>>,
}

impl Packed {
    /// The parts, decoded on first use; `None` if the block does not decode.
    pub(super) fn parts(&self) -> Option<&[Bytes]> {
        self.parts
            .get_or_init(|| unpack(&self.block, &self.lens))
            .as_deref()
    }
}

impl Page {
    /// The HTML split at the slots (empty if its packed parts do not decode: see
    /// [`Self::whole`]).
    pub(super) fn parts(&self) -> &[Bytes] {
        match &self.packed {
            None => &self.parts,
            Some(p) => p.parts().unwrap_or_default(),
        }
    }

    /// Whether the page's parts are at hand, decoding them if they are packed.
    pub(super) fn whole(&self) -> bool {
        self.packed.as_ref().is_none_or(|p| p.parts().is_some())
    }

    pub(super) fn len(&self) -> usize {
        match &self.packed {
            None => self.parts.iter().map(Bytes::len).sum(),
            Some(p) => p.lens.iter().sum(),
        }
    }

    pub(super) fn weight(&self) -> usize {
        // The compressed copies, made later, are about a third and a quarter of the page.
        self.len() + self.len() / 3 + self.len() / 4
    }
}

#[derive(Clone)]
pub(super) struct Weigh;

impl quick_cache::Weighter<Key, Arc<Page>> for Weigh {
    fn weight(&self, _: &Key, page: &Arc<Page>) -> u64 {
        (page.weight() + 256) as u64
    }
}

pub(super) fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

pub(super) fn content_type(headers: &axum::http::HeaderMap) -> HeaderValue {
    headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"))
}

/// Splits a rendered page at its slots: the count and nonce placeholders and the style slots the
/// app rendered (whose values are written per response).
pub(super) fn split(body: Bytes, content_type: HeaderValue) -> Page {
    let count = count_slot().to_string();
    let needles: [(&[u8], Needle); 3] = [
        (count.as_bytes(), Needle::Whole(Slot::Count)),
        (
            security::nonce_slot().as_bytes(),
            Needle::Whole(Slot::Nonce),
        ),
        (style_marker().as_bytes(), Needle::Marked),
    ];
    let finders = needles
        .each_ref()
        .map(|(n, _)| memchr::memmem::Finder::new(n));
    let quote = |from: usize| memchr::memchr(b'"', &body[from..]).map(|n| from + n);
    let mut parts = Vec::new();
    let mut slots = Vec::new();
    let mut from = 0;
    let mut scan = 0;
    loop {
        let next = finders
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.find(&body[scan..]).map(|at| (scan + at, i)))
            .min();
        let Some((at, i)) = next else {
            break;
        };
        let end = at + needles[i].0.len();
        scan = end;
        // The slot's span and what it is; a marker not followed by a slot's name is text.
        let found = match needles[i].1 {
            Needle::Whole(slot) => Some((at, end, slot)),
            Needle::Marked => quote(end).and_then(|q| {
                let slot = Slot::marked(std::str::from_utf8(&body[end..q]).ok()?)?;
                Some((at, q, slot))
            }),
        };
        if let Some((start, stop, slot)) = found {
            parts.push(body.slice(from..start));
            slots.push(slot);
            from = stop;
            scan = stop;
        }
    }
    parts.push(body.slice(from..));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in &parts {
        p.hash(&mut h);
    }
    slots.hash(&mut h);
    Page {
        parts,
        packed: None,
        slots,
        content_type,
        etag: format!("\"{:016x}", h.finish()).into(),
        article: None,
        compressed: std::sync::Mutex::default(),
    }
}

/// The page's parts for one style: the style's values written in, the count and nonce slots left.
pub(super) fn styled(page: &Page, style: Style) -> (Vec<Bytes>, Vec<Slot>) {
    let mut parts = Vec::with_capacity(page.parts().len());
    let mut slots = Vec::with_capacity(page.slots.len());
    let mut run = bytes::BytesMut::new();
    for (i, part) in page.parts().iter().enumerate() {
        run.extend_from_slice(part);
        match page.slots.get(i) {
            Some(slot) => match slot.styled(style) {
                Some(v) => run.extend_from_slice(v.as_bytes()),
                None => {
                    parts.push(run.split().freeze());
                    slots.push(*slot);
                }
            },
            None => parts.push(run.split().freeze()),
        }
    }
    (parts, slots)
}

/// What goes in the count and nonce slots, in order.
pub(super) fn values<'a>(page: &Page, count: &'a [u8], nonce: &'a [u8]) -> Vec<&'a [u8]> {
    page.slots
        .iter()
        .filter_map(|s| match s {
            Slot::Count => Some(count),
            Slot::Nonce => Some(nonce),
            _ => None,
        })
        .collect()
}

/// The count a response shows: always one where the page has a count slot (left empty, the
/// page's hydration data would not parse).
pub(super) fn shown(page: &Page, views: Option<i64>) -> Option<i64> {
    views.or_else(|| page.slots.contains(&Slot::Count).then_some(0))
}

/// Whether the page's stored brotli copy in the default style fits a response showing `views`.
pub(super) fn fits(page: &Page, views: Option<i64>) -> bool {
    let lens = lens(page, shown(page, views));
    lock(page)
        .br
        .iter()
        .any(|m| m.style == Style::default() && m.template.is_some() && m.lens == lens)
}

/// The lengths of the count and nonce values a compressed response with a count of `views` has.
pub(super) fn lens(page: &Page, views: Option<i64>) -> Vec<usize> {
    let digits = views.map_or(0, |n| itoa::Buffer::new().format(n).len().max(COUNT_WIDTH));
    page.slots
        .iter()
        .filter_map(|s| match s {
            Slot::Count => Some(digits),
            Slot::Nonce => Some(security::NONCE_LEN),
            _ => None,
        })
        .collect()
}

pub(super) fn lock(page: &Page) -> std::sync::MutexGuard<'_, Compressed> {
    page.compressed.lock().unwrap_or_else(|p| p.into_inner())
}

pub(super) fn gzip_template(
    page: &Page,
    style: Style,
    lens: &[usize],
    made: &AtomicU64,
) -> Option<Template> {
    template(&mut lock(page).gzip, style, lens, made, || {
        crate::gzip::Template::new(&styled(page, style).0, lens, GZIP_LEVEL)
    })
    .0
    .map(Template::Gzip)
}

pub(super) fn br_template(
    page: &Arc<Page>,
    style: Style,
    lens: &[usize],
    made: &AtomicU64,
) -> Option<Template> {
    let (t, served) = template(&mut lock(page).br, style, lens, made, || {
        crate::br::Template::new(&styled(page, style).0, lens, BR_QUALITY)
    });
    if served == HOT_AFTER {
        recompress(page.clone(), style, lens.to_vec());
    }
    t.map(Template::Br)
}

/// The page's brotli copy in the default style, if one was made for a response: a page is
/// stored without one otherwise (compressing it only to store it would double a miss's cost), and
/// gets one when it is next read by a browser.
pub(super) fn default_br(page: &Page) -> Option<Arc<crate::br::Template>> {
    lock(page)
        .br
        .iter()
        .find(|m| m.style == Style::default())
        .and_then(|m| m.template.clone())
}

/// The value lengths the page's brotli copy in the default style was made for, if it has one.
pub(super) fn default_lens(page: &Page) -> Option<Vec<usize>> {
    lock(page)
        .br
        .iter()
        .find(|m| m.style == Style::default() && m.template.is_some())
        .map(|m| m.lens.clone())
}

/// Makes the page's brotli copy for `style` and `lens` again at [`BR_BEST`], off the request
/// path, and puts it in place of the first (if that is still the one held).
pub(super) fn recompress(page: Arc<Page>, style: Style, lens: Vec<usize>) {
    let Ok(rt) = tokio::runtime::Handle::try_current() else {
        return;
    };
    rt.spawn_blocking(move || {
        let Some(best) = crate::br::Template::new(&styled(&page, style).0, &lens, BR_BEST) else {
            return;
        };
        let mut held = lock(&page);
        if let Some(m) = held
            .br
            .iter_mut()
            .find(|m| m.style == style && m.lens == lens)
        {
            m.template = Some(Arc::new(best));
        }
    });
}

/// Parts at least this long go out as stored; shorter ones are copied together with the slots
/// around them, so a response is a few large chunks (each chunk costs the HTTP writer more than
/// copying a few hundred bytes does).
pub(super) const SHARE_FROM: usize = 2048;

/// The stored parts with the slots' values between them: large parts are sent as they are,
/// without copying, short runs in one new chunk.
pub(super) fn body(page: &Page, style: Style, views: Option<i64>, nonce: &str) -> Body {
    let mut count = itoa::Buffer::new();
    let count = views.map_or("", |n| count.format(n));
    let mut chunks = Chunker::new(SHARE_FROM, SHARE_FROM * 2);
    for (i, part) in page.parts().iter().enumerate() {
        if i > 0 {
            let slot = page.slots[i - 1];
            chunks.copy(match slot {
                Slot::Count => count.as_bytes(),
                Slot::Nonce => nonce.as_bytes(),
                _ => slot.styled(style).unwrap_or_default().as_bytes(),
            });
        }
        chunks.part(part);
    }
    Body::new(Chunks::new(chunks.finish()))
}

/// Parts of `lens` from their LZ4 block; `None` if it does not decode to them.
pub(super) fn unpack(block: &[u8], lens: &[usize]) -> Option<Vec<Bytes>> {
    let len = lens.iter().sum();
    let mut raw = vec![0; len];
    (lz4_flex::block::decompress_into(block, &mut raw).ok()? == len).then_some(())?;
    let raw = Bytes::from(raw);
    let mut at = 0;
    Some(
        lens.iter()
            .map(|&n| {
                at += n;
                raw.slice(at - n..at)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::reader::{Aids, Contrast, FontSize, Prefs, StylePref, Switch};

    /// Style slots are where the app put the marker, in any attribute order; a marker not
    /// followed by a slot's name, and the old attribute spellings, are text.
    #[test]
    fn style_slots_are_found_by_the_apps_marker() {
        let m = style_marker();
        let html = format!(
            "<html data-contrast=\"{m}contrast\" data-cursor=\"{m}cursor\">\
             <button aria-pressed=\"{m}font-size=large\" \
             data-pref=\"font-size\" data-value=\"large\">大</button>\
             <button aria-pressed=\"{m}caption=on\">大字幕</button>\
             <p data-pref=\"contrast\" data-value=\"high\" aria-pressed=\"true\">{m}x\"</p>\
             <p>{m}caption=maybe\"</p></html>"
        );
        let page = split(Bytes::from(html), HeaderValue::from_static("text/html"));
        assert_eq!(
            page.slots,
            [
                Slot::Value(StylePref::Contrast),
                Slot::Value(StylePref::Cursor),
                Slot::Pressed(StylePref::FontSize, 2),
                Slot::Pressed(StylePref::Caption, 1),
            ]
        );
        let style = Prefs {
            font_size: FontSize::Large,
            contrast: Contrast::High,
            aids: Aids {
                cursor: Switch::On,
                ..Aids::default()
            },
            ..Prefs::default()
        };
        let (parts, _) = styled(&page, style);
        let text = String::from_utf8(parts.concat()).expect("utf-8");
        assert!(
            text.starts_with(
                "<html data-contrast=\"high\" data-cursor=\"on\"><button aria-pressed=\"true\""
            ),
            "{text}"
        );
        assert!(
            text.contains("<button aria-pressed=\"false\">大字幕"),
            "{text}"
        );
        assert!(text.contains(&format!("{m}caption=maybe")), "{text}");
        assert!(text.contains(&format!("{m}x")), "{text}");
    }
}
