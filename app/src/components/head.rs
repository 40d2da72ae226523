//! What a page puts in `<head>`. The server renders all of it; in the browser only the title can
//! change (with the variant), so only the title is kept in step there.

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
}

/// `url` in `variant`: the bare URL for Simplified, `?variant=` for the others.
pub fn variant_url(url: &str, variant: Variant) -> String {
    match variant {
        Variant::Hans => url.to_owned(),
        v => format!("{url}?variant={}", v.tag()),
    }
}

/// On the server the tags are rendered here and sent to `<head>` (leptos_meta's channel); the
/// body gets nothing, exactly like in the browser, so hydration sees the same markup.
#[cfg(feature = "ssr")]
#[component]
pub fn PageHead(head: Head) -> impl IntoView {
    use leptos_meta::{Link, Meta, Title};
    let Head {
        title,
        description,
        og,
        url,
        variant,
        article,
        noindex,
    } = head;
    let og = og.map(|(og_type, og_title)| {
        view! {
            <Meta property="og:type" content=og_type/>
            <Meta property="og:title" content=og_title/>
            {description.clone().map(|d| view! { <Meta property="og:description" content=d/> })}
        }
    });
    let links = url.map(|url| {
        let og_url = article
            .is_some()
            .then(|| view! { <Meta property="og:url" content=url.clone()/> });
        view! {
            <Link rel="canonical" href=variant_url(&url, variant)/>
            {Variant::ALL
                .into_iter()
                .map(|v| view! { <Link rel="alternate" hreflang=v.tag() href=variant_url(&url, v)/> })
                .collect_view()}
            <Link rel="alternate" hreflang="x-default" href=url.clone()/>
            {og_url}
        }
    });
    let article = article.map(|(site, published)| {
        view! {
            <Meta property="og:site_name" content=site/>
            <Meta property="article:published_time" content=published/>
        }
    });
    let tags = view! {
        <Title text=title/>
        {description.map(|d| view! { <Meta name="description" content=d/> })}
        {noindex.then(|| view! { <Meta name="robots" content="noindex"/> })}
        {og}
        {links}
        {article}
    };
    // What this writes is only hydration markers for the optional parts; the tags went to `<head>`.
    let _markers = tags.to_html();
}

#[cfg(not(feature = "ssr"))]
#[component]
pub fn PageHead(head: Head) -> impl IntoView {
    document().set_title(&head.title);
}
