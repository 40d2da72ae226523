//! What a page puts in `<head>`: rendered into it by the server, and kept in step by the browser
//! as the reader navigates or switches variant (leptos_meta on both sides).

use crate::variant::Variant;
use leptos::prelude::*;

/// A page's `<head>` entries.
#[derive(Debug, Clone, Default)]
pub struct Head {
    pub title: String,
    pub description: Option<String>,
    /// `og:type` and `og:title`; Open Graph tags are written only with them.
    pub og: Option<(&'static str, String)>,
    /// The page's absolute URL without query: `rel=canonical` for the variant shown, `hreflang`
    /// alternates for every variant, and `og:url` on articles.
    pub url: Option<String>,
    pub variant: Variant,
    /// `og:site_name` and `article:published_time`, for articles.
    pub article: Option<(String, String)>,
    pub noindex: bool,
    /// Atom feeds (title, absolute URL without the variant): the site's, and the channel's on
    /// channel and article pages; linked in the variant shown.
    pub feeds: [Option<(String, String)>; 2],
}

/// `url` in `variant`: the bare URL for Simplified, `?variant=` for the others.
pub fn variant_url(url: &str, variant: Variant) -> String {
    match variant {
        Variant::Hans => url.to_owned(),
        v => format!("{url}?variant={}", v.tag()),
    }
}

/// The tags go to `<head>` (leptos_meta) as this view is rendered. Optional tags are
/// `Either<tag, []>` and lists are arrays, so the body keeps no placeholder for them.
#[component]
pub fn PageHead(head: Head) -> impl IntoView {
    use leptos::either::Either;
    use leptos_meta::{Link, Meta, Title};
    fn maybe<V>(v: Option<V>) -> Either<V, [V; 0]> {
        v.map_or(Either::Right([]), Either::Left)
    }
    let Head {
        title,
        description,
        og,
        url,
        variant,
        article,
        noindex,
        feeds,
    } = head;
    let feeds = feeds.map(|f| {
        maybe(f.map(|(title, href)| {
            view! {
                <Link
                    rel="alternate"
                    type_="application/atom+xml"
                    title=title
                    href=variant_url(&href, variant)
                />
            }
        }))
    });
    let og = maybe(og.map(|(og_type, og_title)| {
        let og_description = maybe(
            description
                .clone()
                .map(|d| view! { <Meta property="og:description" content=d/> }),
        );
        view! {
            <Meta property="og:type" content=og_type/>
            <Meta property="og:title" content=og_title/>
            {og_description}
        }
    }));
    let links = maybe(url.map(|url| {
        let og_url = maybe(
            article
                .is_some()
                .then(|| view! { <Meta property="og:url" content=url.clone()/> }),
        );
        let alternates = Variant::ALL
            .map(|v| view! { <Link rel="alternate" hreflang=v.tag() href=variant_url(&url, v)/> });
        view! {
            <Link rel="canonical" href=variant_url(&url, variant)/>
            {alternates}
            <Link rel="alternate" hreflang="x-default" href=url.clone()/>
            {og_url}
        }
    }));
    let article = maybe(article.map(|(site, published)| {
        view! {
            <Meta property="og:site_name" content=site/>
            <Meta property="article:published_time" content=published/>
        }
    }));
    let description = maybe(description.map(|d| view! { <Meta name="description" content=d/> }));
    let noindex = maybe(noindex.then(|| view! { <Meta name="robots" content="noindex"/> }));
    // leptos_meta writes the title into `<head>` as it is on the server; everything else is
    // escaped by Leptos. In the browser it sets `document.title`, which is text.
    #[cfg(feature = "ssr")]
    let title = html_escape::encode_text(&title).into_owned();
    view! {
        <Title text=title/>
        {description}
        {noindex}
        {og}
        {links}
        {article}
        {feeds}
    }
}
