//! Atom feeds (RFC 4287) of the newest articles, for the whole site (`/feeds/site`) and for each
//! channel (`/feeds/channels/{slug}`), in the variant `?variant=` names (Simplified without one),
//! converted by the portal's converter and made once per content change.

use crate::db::FeedEntry;
use crate::documents::escape;
use app::components::head::variant_url;
use app::storage::Convert;
use app::variant::Variant;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// Entries in a feed.
pub const ENTRIES: i64 = 20;

/// The feed's address (absolute, without the variant).
pub fn feed_url(base: &str, channel: Option<&str>) -> String {
    format!("{base}{}", app::address::feed_path(channel))
}

/// `url` as an absolute address: a path on this site gets the public base.
pub fn absolute(base: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_owned()
    }
}

/// The feed document for `entries` (newest first); `channel` names the channel's feed.
pub fn atom(
    base: &str,
    channel: Option<&str>,
    variant: Variant,
    entries: &[FeedEntry],
    to: &dyn Convert,
) -> String {
    let text = |s: &str| match variant {
        Variant::Hans => s.to_owned(),
        v => to.text(v, s),
    };
    let site = entries.first().map(|e| text(&e.site)).unwrap_or_default();
    let (title, page) = match (channel, entries.first()) {
        (Some(slug), Some(e)) => (
            format!("{} - {site}", text(&e.channel)),
            format!("{base}{}", app::address::channel_path(slug)),
        ),
        _ => (site.clone(), format!("{base}/")),
    };
    let updated = entries
        .iter()
        .map(|e| e.updated_at.as_str())
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), str::to_owned);
    let self_url = variant_url(&feed_url(base, channel), variant);
    let mut xml = String::with_capacity(4096 + entries.len() * 8192);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <id>{id}</id>\n<title type=\"text\">{title}</title>\n<updated>{updated}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{id}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n\
         <author><name>{site}</name></author>\n",
        lang = variant.tag(),
        id = escape(&self_url),
        title = escape(&title),
        updated = escape(&updated),
        page = escape(&variant_url(&page, variant)),
        site = escape(&site),
    );
    for e in entries {
        let url = variant_url(
            &format!("{base}{}", app::address::article_path(&e.id)),
            variant,
        );
        let author = text(e.author.as_deref().unwrap_or(&e.source));
        let body = match variant {
            Variant::Hans => e.body_html.clone(),
            v => to.html(v, &e.body_html),
        };
        let mut enclosures = String::new();
        for f in &e.attachments {
            let href = absolute(base, &f.url);
            let _ = write!(
                enclosures,
                "<link rel=\"enclosure\" type=\"{mime}\" href=\"{href}\" title=\"{name}\"",
                mime = crate::files::media_type(&f.format),
                href = escape(&href),
                name = escape(&text(&f.name)),
            );
            if let Some(n) = f.size {
                let _ = write!(enclosures, " length=\"{n}\"");
            }
            enclosures.push_str("/>\n");
        }
        let _ = write!(
            xml,
            "<entry>\n<id>{url}</id>\n<title type=\"text\">{title}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n{enclosures}\
             <published>{published}</published>\n<updated>{updated}</updated>\n\
             <author><name>{author}</name></author>\n\
             <category term=\"{slug}\" label=\"{channel}\"/>\n\
             <summary type=\"text\">{summary}</summary>\n\
             <content type=\"html\">{body}</content>\n</entry>\n",
            url = escape(&url),
            title = escape(&text(&e.title)),
            published = escape(&e.published_at),
            updated = escape(&e.updated_at),
            author = escape(&author),
            slug = escape(&e.slug),
            channel = escape(&text(&e.channel)),
            summary = escape(&text(&e.summary)),
            body = escape(&body),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// What the feed handlers read: a part of the app's state.
#[derive(Clone)]
pub struct Feeds {
    pub db: Arc<dyn crate::db::Database>,
    pub converter: Arc<dyn app::storage::Convert>,
    pub public_url: Arc<str>,
    /// Whose epoch says when the content last changed.
    pub data: Arc<crate::data_cache::DataCache>,
    /// Feeds (channel slug or the whole site, variant) made since the content last changed.
    pub made: Arc<crate::documents::Kept<(Option<String>, Variant)>>,
}

async fn answer(state: Feeds, channel: Option<String>, query: Option<String>) -> Response {
    let variant = app::query::variant(query.as_deref().unwrap_or("")).unwrap_or_default();
    let epoch = app::storage::DataCache::epoch(state.data.as_ref());
    let key = (channel, variant);
    if let Some(xml) = state.made.get(epoch, &key) {
        return feed_response(xml.to_string());
    }
    let (channel, variant) = key;
    let entries = match state.db.feed_entries(channel.as_deref(), ENTRIES).await {
        Ok(e) => e,
        Err(e) => return crate::documents::unavailable("feed", &e),
    };
    if channel.is_some() && entries.is_empty() {
        return (StatusCode::NOT_FOUND, "no such channel\n").into_response();
    }
    let to = state.converter.clone();
    let base = state.public_url.clone();
    let slug = channel.clone();
    // Conversion takes CPU time: off the async workers.
    let made = tokio::task::spawn_blocking(move || {
        atom(&base, slug.as_deref(), variant, &entries, to.as_ref())
    })
    .await;
    match made {
        Ok(xml) => {
            let xml: Arc<str> = xml.into();
            state.made.put(epoch, (channel, variant), xml.clone());
            feed_response(xml.to_string())
        }
        Err(e) => {
            tracing::error!(error = %e, "feed not made");
            (StatusCode::INTERNAL_SERVER_ERROR, "feed unavailable\n").into_response()
        }
    }
}

fn feed_response(xml: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml,
    )
        .into_response()
}

/// `GET /feeds/site`.
pub async fn site(State(state): State<Feeds>, RawQuery(query): RawQuery) -> Response {
    answer(state, None, query).await
}

/// `GET /feeds/channels/{slug}`.
pub async fn channel(
    State(state): State<Feeds>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    answer(state, Some(slug), query).await
}
