//! `/sitemap.xml` and `/robots.txt`: every address (the front page, 网站地图, 无障碍声明, each
//! channel, each article) in every script variant, each naming the others with `hreflang`
//! (sitemaps.org, Google's `xhtml:link` alternates). Past [`MAX_URLS`] the sitemap is an index of files of that many.

use crate::db::{Database, DbError};
use crate::documents::{escape, unavailable};
use app::components::head::variant_url;
use app::variant::Variant;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// URLs a sitemap file may hold (sitemaps.org).
pub const MAX_URLS: usize = 50_000;
/// Addresses a file holds: each is listed once per variant.
const ADDRESSES: usize = MAX_URLS / Variant::ALL.len();
/// One address and when what it shows last changed.
struct Entry {
    path: String,
    lastmod: Option<String>,
}

/// Pages that are neither channels nor articles: the front page, 网站地图 and 无障碍声明.
const PAGES: usize = 3;

/// What the sitemap lists: addresses `start..end` of the [`PAGES`], the channels by slug, then
/// the articles in the order they were first written.
async fn entries(
    db: &dyn Database,
    channels: &[(String, String)],
    start: usize,
    end: usize,
) -> Result<Vec<Entry>, DbError> {
    let newest = channels.iter().map(|(_, m)| m.clone()).max();
    let fixed = PAGES + channels.len();
    let pages = [
        ("/".to_owned(), newest.clone()),
        (app::address::site_map_path(), newest),
        // The statement changes with the build, not the content.
        (app::address::accessibility_path(), None),
    ];
    let channels = channels
        .iter()
        .map(|(slug, m)| (app::address::channel_path(slug), Some(m.clone())));
    let mut out: Vec<Entry> = pages
        .into_iter()
        .chain(channels)
        .skip(start)
        .take(end.min(fixed).saturating_sub(start))
        .map(|(path, lastmod)| Entry { path, lastmod })
        .collect();
    if end > fixed {
        let offset = start.saturating_sub(fixed);
        let limit = end - fixed.max(start);
        for (id, lastmod) in db.sitemap_articles(offset as i64, limit as i64).await? {
            out.push(Entry {
                path: app::address::article_path(&id),
                lastmod: Some(lastmod),
            });
        }
    }
    Ok(out)
}

const URLSET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset \
     xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
     xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_TAIL: &str = "</urlset>\n";

/// A `urlset`: each entry once per variant, each naming every variant and the default.
fn urlset(base: &str, entries: &[Entry]) -> String {
    format!("{URLSET_HEAD}{}{URLSET_TAIL}", urls(base, entries))
}

/// The `<url>`s of `entries`.
fn urls(base: &str, entries: &[Entry]) -> String {
    let mut xml = String::with_capacity(entries.len() * 4 * 640);
    for e in entries {
        let url = format!("{base}{}", e.path);
        let mut links = String::new();
        for v in Variant::ALL {
            let _ = write!(
                links,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                v.tag(),
                escape(&variant_url(&url, v))
            );
        }
        let _ = write!(
            links,
            "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
            escape(&url)
        );
        let lastmod = e
            .lastmod
            .as_deref()
            .map(|m| format!("<lastmod>{}</lastmod>", escape(m)))
            .unwrap_or_default();
        for v in Variant::ALL {
            let _ = writeln!(
                xml,
                "<url><loc>{}</loc>{lastmod}{links}</url>",
                escape(&variant_url(&url, v)),
            );
        }
    }
    xml
}

/// A `sitemapindex` naming `files` files.
fn index(base: &str, files: usize, lastmod: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex \
         xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=files {
        let _ = writeln!(
            xml,
            "<sitemap><loc>{base}/sitemaps/{n}.xml</loc><lastmod>{}</lastmod></sitemap>",
            escape(lastmod)
        );
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

/// Addresses above which a file is sent as it is read (about 2.5 KB an address), in batches of
/// [`BATCH`], rather than made whole and kept.
const WHOLE_UP_TO: usize = 1_000;
const BATCH: usize = 500;

/// A sitemap document: whole, or addresses `start..end` to be written as they are read.
enum Made {
    Whole(String),
    Range {
        channels: Vec<(String, String)>,
        start: usize,
        end: usize,
    },
}

/// The sitemap (`None`) or one of its files (1-based), `None` if there is no such file.
async fn make(db: &dyn Database, base: &str, file: Option<usize>) -> Result<Option<Made>, DbError> {
    let channels = db.sitemap_channels().await?;
    let total = PAGES + channels.len() + usize::try_from(db.article_count().await?).unwrap_or(0);
    let files = total.div_ceil(ADDRESSES);
    let (start, end) = match file {
        None if files > 1 => {
            let newest = channels.iter().map(|(_, m)| m.as_str()).max().unwrap_or("");
            return Ok(Some(Made::Whole(index(base, files, newest))));
        }
        None => (0, total),
        Some(n) if files > 1 && (1..=files).contains(&n) => {
            let start = (n - 1) * ADDRESSES;
            (start, (start + ADDRESSES).min(total))
        }
        Some(_) => return Ok(None),
    };
    if end - start <= WHOLE_UP_TO {
        let entries = entries(db, &channels, start, end).await?;
        return Ok(Some(Made::Whole(urlset(base, &entries))));
    }
    Ok(Some(Made::Range {
        channels,
        start,
        end,
    }))
}

/// Addresses `start..end` as a `urlset`, read and written [`BATCH`] at a time.
fn stream(
    db: Arc<dyn Database>,
    base: String,
    channels: Vec<(String, String)>,
    start: usize,
    end: usize,
) -> axum::body::Body {
    use futures::StreamExt;
    let head =
        futures::stream::once(async { Ok(bytes::Bytes::from_static(URLSET_HEAD.as_bytes())) });
    let tail =
        futures::stream::once(async { Ok(bytes::Bytes::from_static(URLSET_TAIL.as_bytes())) });
    let batches = futures::stream::unfold(start, move |from| {
        let (db, base, channels) = (db.clone(), base.clone(), channels.clone());
        async move {
            if from >= end {
                return None;
            }
            let to = (from + BATCH).min(end);
            let batch = match entries(db.as_ref(), &channels, from, to).await {
                Ok(e) => Ok(bytes::Bytes::from(urls(&base, &e))),
                Err(e) => {
                    tracing::warn!(error = %e, "sitemap cut short");
                    Err(std::io::Error::other(e))
                }
            };
            // After an error the response ends there (the client sees it cut short).
            let next = if batch.is_ok() { to } else { end };
            Some((batch, next))
        }
    });
    axum::body::Body::from_stream(head.chain(batches).chain(tail))
}

fn xml_response(body: axum::body::Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// What the sitemap handlers read: a part of the app's state.
#[derive(Clone)]
pub struct Sitemaps {
    pub db: Arc<dyn crate::db::Database>,
    pub public_url: Arc<str>,
    /// Whose epoch says when the content last changed.
    pub data: Arc<crate::data_cache::DataCache>,
    /// Sitemap files (the index: `None`) made since the content last changed.
    pub made: Arc<crate::documents::Kept<Option<usize>>>,
}

async fn answer(state: &Sitemaps, file: Option<usize>) -> Response {
    let epoch = app::storage::DataCache::epoch(state.data.as_ref());
    if let Some(xml) = state.made.get(epoch, &file) {
        return xml_response(xml.to_string().into());
    }
    match make(state.db.as_ref(), &state.public_url, file).await {
        Ok(Some(Made::Whole(xml))) => {
            let xml: Arc<str> = xml.into();
            state.made.put(epoch, file, xml.clone());
            xml_response(xml.to_string().into())
        }
        Ok(Some(Made::Range {
            channels,
            start,
            end,
        })) => xml_response(stream(
            state.db.clone(),
            state.public_url.to_string(),
            channels,
            start,
            end,
        )),
        Ok(None) => (StatusCode::NOT_FOUND, "no such sitemap file\n").into_response(),
        Err(e) => unavailable("sitemap", &e),
    }
}

/// `GET /sitemap.xml`.
pub async fn sitemap(State(state): State<Sitemaps>) -> Response {
    answer(&state, None).await
}

/// `GET /sitemaps/{n}.xml`.
pub async fn sitemap_file(State(state): State<Sitemaps>, Path(name): Path<String>) -> Response {
    let n = name
        .strip_suffix(".xml")
        .filter(|n| !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<usize>().ok());
    match n {
        Some(n) => answer(&state, Some(n)).await,
        None => (StatusCode::NOT_FOUND, "no such sitemap file\n").into_response(),
    }
}

/// `GET /robots.txt`: everything may be crawled; the sitemap is named.
pub async fn robots(State(site): State<app::storage::SiteConfig>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            site.public_url
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_is_xml() {
        assert_eq!(
            escape("a<b>&\"c\u{1}\u{b}\u{fffe}\td\n"),
            "a&lt;b&gt;&amp;&quot;c\td\n"
        );
    }

    #[test]
    fn each_address_once_per_variant_with_every_alternate() {
        let xml = urlset(
            "https://x.example",
            &[Entry {
                path: "/articles/a&b".into(),
                lastmod: Some("2026-01-02T03:04:05Z".into()),
            }],
        );
        assert_eq!(xml.matches("<url>").count(), 4);
        assert_eq!(xml.matches("<xhtml:link").count(), 20);
        assert!(xml.contains("<loc>https://x.example/articles/a&amp;b?variant=zh-TW</loc>"));
        assert!(!xml.contains("a&b"));
    }
}
