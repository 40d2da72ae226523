//! A page's compressed copies: brotli and gzip templates made once around the page's values, per
//! style, kept beside the page.

use super::slot::Style;
use crate::respond::Coding;
use axum::body::Bytes;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Compressed copies, per coding, for at most [`STYLES_KEPT`] styles each (most readers keep the
/// default one).
#[derive(Default)]
pub(super) struct Compressed {
    pub(super) gzip: Vec<Made<crate::gzip::Template>>,
    pub(super) br: Vec<Made<crate::br::Template>>,
}

pub(super) const STYLES_KEPT: usize = 2;

/// A template for one style and count and nonce values of `lens`, or `None` where none could be
/// made (tried once per style and lengths).
pub(super) struct Made<T> {
    pub(super) style: Style,
    pub(super) lens: Vec<usize>,
    pub(super) template: Option<Arc<T>>,
    /// Responses sent with it.
    pub(super) served: u32,
}

/// Brotli quality for a page's first compressed copy, made while its first reader waits (the
/// seed article: 0.7 ms, 5.4 KB; quality 9 takes 11 ms for 1 % less).
pub(super) const BR_QUALITY: u32 = 5;

/// Quality for pages read often, made in the background (20 ms, 7 % smaller).
pub(super) const BR_BEST: u32 = 11;

/// Brotli responses after which a page is compressed at [`BR_BEST`]: the 20 ms of background CPU
/// (about 30 first renders' worth) buys 7 % off every later response, spent only on pages read
/// often (the seed article: 5.6 → 5.2 KB). Measured against 8 (`bench/compare.sh`, Zipf (s = 1)
/// over 20,000 articles × 4 variants, brotli, 3 rounds, 2026-12-07): at 8 so many pages are
/// compressed again that the long tail falls from 33,539 to 17,260 req/s (p99 7.6 → 14.3 ms, peak
/// RSS 56 → 67 MiB); the hot page is within noise (65,700 and 67,670 req/s).
pub(super) const HOT_AFTER: u32 = 64;

/// Gzip level for stored pages.
pub(super) const GZIP_LEVEL: u32 = 6;

pub(super) enum Template {
    Gzip(Arc<crate::gzip::Template>),
    Br(Arc<crate::br::Template>),
}

impl Template {
    pub(super) fn coding(&self) -> Coding {
        match self {
            Template::Gzip(_) => Coding::Gzip,
            Template::Br(_) => Coding::Br,
        }
    }

    pub(super) fn render(&self, values: &[&[u8]]) -> Option<Vec<Bytes>> {
        match self {
            Template::Gzip(t) => t.render(values),
            Template::Br(t) => t.render(values),
        }
    }
}

/// The template in `made` for `style` and values of `lens`, made now by `make` if there is none
/// (counted in `count`), and how many responses it served before this one.
pub(super) fn template<T>(
    made: &mut Vec<Made<T>>,
    style: Style,
    lens: &[usize],
    count: &AtomicU64,
    make: impl FnOnce() -> Option<T>,
) -> (Option<Arc<T>>, u32) {
    if let Some(i) = made.iter().position(|m| m.style == style) {
        let m = &mut made[i];
        if m.lens == lens {
            m.served = m.served.saturating_add(1);
            return (m.template.clone(), m.served - 1);
        }
        made.remove(i);
    }
    if made.len() >= STYLES_KEPT {
        // The default style stays; of the others, the oldest goes.
        let i = made
            .iter()
            .position(|m| m.style != Style::default())
            .unwrap_or(0);
        made.remove(i);
    }
    count.fetch_add(1, Ordering::Relaxed);
    let template = make().map(Arc::new);
    made.push(Made {
        style,
        lens: lens.to_vec(),
        template: template.clone(),
        served: 1,
    });
    (template, 0)
}
