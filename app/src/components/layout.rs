use crate::route::link;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// The footer a government site carries: its name, 网站地图 / 无障碍声明 / 隐私政策, then what the
/// deployer set (主办单位, 承办单位, 联系方式, 网站标识码, ICP and 公安 filings, the 党政机关 mark).
/// Written as HTML (escaped), as `gov.rs`'s static parts are: it never changes while shown.
fn footer_html(ui: &Ui, site: &str, href: impl Fn(String) -> String) -> String {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
    use std::fmt::Write;
    let f = &ui.footer;
    let external = " rel=\"external noopener noreferrer\"";
    let mut html = format!(
        "<p class=\"footer-site\">{}</p><ul class=\"footer-links\">",
        text(site)
    );
    let mut link = |url: String, rel: &str, label: &str| {
        let _ = write!(
            html,
            "<li><a href=\"{}\"{rel}>{}</a></li>",
            attr(&url),
            text(label)
        );
    };
    link(href(crate::address::site_map_path()), "", &ui.t(T::SiteMap));
    link(
        href(crate::address::accessibility_path()),
        "",
        &ui.t(T::Statement),
    );
    if let Some(url) = &f.privacy {
        match url.starts_with('/') {
            true => link(href(url.clone()), "", &ui.t(T::Privacy)),
            false => link(url.clone(), external, &ui.t(T::Privacy)),
        }
    }
    html.push_str("</ul>");
    for (label, value) in [
        (T::Sponsor, &f.sponsor),
        (T::Organizer, &f.organizer),
        (T::ContactUs, &f.contact),
    ] {
        if let Some(v) = value {
            let _ = write!(html, "<p>{}{}</p>", text(&ui.t(label)), text(v));
        }
    }
    let police = f.police_link().zip(f.police.as_ref());
    if f.site_code.is_some() || f.icp.is_some() || police.is_some() || f.gov_mark.is_some() {
        let _ = write!(
            html,
            "<ul class=\"footer-filings\" aria-label=\"{}\">",
            attr(&ui.t(T::Filings))
        );
        if let Some(url) = &f.gov_mark {
            let _ = write!(
                html,
                "<li><a class=\"gov-mark\" href=\"{}\"{external} aria-label=\"{}\">{}</a></li>",
                attr(url),
                attr(&ui.t(T::GovMarkLabel)),
                text(&ui.t(T::GovMark))
            );
        }
        if let Some(code) = &f.site_code {
            let _ = write!(html, "<li>{}{}</li>", text(&ui.t(T::SiteCode)), text(code));
        }
        if let Some(icp) = &f.icp {
            let _ = write!(
                html,
                "<li><a href=\"{}\"{external}>{}</a></li>",
                crate::ui::ICP_SITE,
                text(icp)
            );
        }
        if let Some((url, number)) = police {
            let _ = write!(
                html,
                "<li><a href=\"{}\"{external}>{}</a></li>",
                attr(&url),
                text(number)
            );
        }
        html.push_str("</ul>");
    }
    html
}

/// Skip link, site header, the reading toolbar, the page's content and the footer.
#[component]
pub fn Layout(
    ui: Ui,
    #[prop(into)] site: String,
    /// An article page: the toolbar offers 朗读.
    #[prop(optional)]
    read_aloud: bool,
    children: Children,
) -> impl IntoView {
    let site = if site.is_empty() {
        ui.t(T::BackHome)
    } else {
        site
    };
    // The page's own view (with this header and toolbar) is built: it is live once mounted.
    crate::page::page_live();
    view! {
        <a class="skip-link" href="#main">{ui.t(T::SkipLink)}</a>
        <header class="site-header">
            <a class="site-name" href=link("/")>
                {site.clone()}
            </a>
            <SearchBox ui=ui.clone()/>
        </header>
        <super::toolbar::Toolbar ui=ui.clone() read_aloud/>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer" inner_html=footer_html(&ui, &site, |p| link(p)())></footer>
        <super::help::ShortcutsDialog ui=ui.clone()/>
        // 大字幕 (shown by the stylesheet when on; `aids` fills it). Hidden from screen readers,
        // which have the text itself.
        <p class="caption-panel" aria-hidden="true">{ui.t(T::CaptionHint)}</p>
    }
}

/// Where a page sits: site › department › channel, then the article's title on an article page
/// (on a channel's pages the channel is the current one). HTML, like the footer.
#[component]
pub fn Breadcrumb(
    ui: Ui,
    trail: crate::model::Trail,
    #[prop(optional)] article: Option<String>,
) -> impl IntoView {
    use crate::address::channel_path;
    use crate::model::department_anchor;
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
    use std::fmt::Write;
    let item = |href: String, current: &str, label: &str| {
        format!(
            "<li><a href=\"{}\"{current}>{}</a></li>",
            attr(&link(href)()),
            text(label)
        )
    };
    let mut html = format!(
        "<ol>{}{}{}",
        item("/".into(), "", &trail.site),
        item(
            department_anchor(trail.department_id),
            "",
            &trail.department
        ),
        item(
            channel_path(&trail.channel.slug),
            if article.is_none() {
                " aria-current=\"page\""
            } else {
                ""
            },
            &trail.channel.name
        ),
    );
    if let Some(title) = article {
        let _ = write!(html, "<li aria-current=\"page\">{}</li>", text(&title));
    }
    html.push_str("</ol>");
    view! { <nav class="breadcrumb" aria-label=ui.t(T::Breadcrumb) inner_html=html></nav> }
}

/// The header's search form: a GET form to `/search` (followed in place once hydrated), showing
/// the query of the results page it is on.
#[component]
fn SearchBox(ui: Ui) -> impl IntoView {
    use leptos_router::components::Form;
    let query = crate::route::query_value("q");
    let location = leptos_router::hooks::use_location();
    let q = move || {
        (location.pathname.get() == "/search")
            .then(|| query.get())
            .flatten()
            .unwrap_or_default()
    };
    let variant = move || crate::query::variant(&location.search.get());
    view! {
        <div class="search-box" role="search">
            <Form action="/search" on_form_data=drop_unnamed_submitter()>
                <label for="search-q" class="visually-hidden">{ui.t(T::SearchLabel)}</label>
                <input id="search-q" type="search" name="q" maxlength="100" prop:value=q value=q/>
                {move || {
                    variant()
                        .map(|v| view! { <input type="hidden" name="variant" value=v.tag()/> })
                }}
                <button type="submit">{ui.t(T::Search)}</button>
            </Form>
        </div>
    }
}

/// leptos' `Form` adds the clicked button to the data even without a name (`…&=` in the address);
/// a browser leaves such a button out, so this does too.
fn drop_unnamed_submitter() -> std::sync::Arc<dyn Fn(&leptos::web_sys::FormData)> {
    std::sync::Arc::new(|data| data.delete(""))
}
