use crate::route::link;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// The footer a government site carries: its name, 网站地图 / 无障碍声明 / 隐私政策, then what the
/// deployer set (主办单位, 承办单位, 联系方式, 网站标识码, ICP and 公安 filings, the 党政机关 mark).
#[component]
fn SiteFooter(ui: Ui, site: String) -> impl IntoView {
    let f = ui.footer.clone();
    let line = |label: T, value: Option<String>| value.map(|v| view! { <p>{ui.t(label)} {v}</p> });
    let privacy = f.privacy.clone().map(|url| {
        let text = ui.t(T::Privacy);
        if url.starts_with('/') {
            view! { <li><a href=link(url)>{text}</a></li> }.into_any()
        } else {
            view! { <li><a href=url rel="external noopener noreferrer">{text}</a></li> }.into_any()
        }
    });
    let police = f.police_link().zip(f.police.clone()).map(|(href, text)| {
        view! { <li><a href=href rel="external noopener noreferrer">{text}</a></li> }
    });
    let filings = (f.site_code.is_some() || f.icp.is_some() || police.is_some() || f.gov_mark.is_some())
        .then(|| {
            view! {
                <ul class="footer-filings" aria-label=ui.t(T::Filings)>
                    {f.gov_mark.clone().map(|href| view! {
                        <li>
                            <a class="gov-mark" href=href rel="external noopener noreferrer" aria-label=ui.t(T::GovMarkLabel)>
                                {ui.t(T::GovMark)}
                            </a>
                        </li>
                    })}
                    {f.site_code.clone().map(|c| view! { <li>{ui.t(T::SiteCode)} {c}</li> })}
                    {f.icp.clone().map(|icp| view! {
                        <li><a href=crate::ui::ICP_SITE rel="external noopener noreferrer">{icp}</a></li>
                    })}
                    {police}
                </ul>
            }
        });
    view! {
        <footer class="site-footer">
            <p class="footer-site">{site}</p>
            <ul class="footer-links">
                <li><a href=link(crate::address::site_map_path())>{ui.t(T::SiteMap)}</a></li>
                <li><a href=link(crate::address::accessibility_path())>{ui.t(T::Statement)}</a></li>
                {privacy}
            </ul>
            {line(T::Sponsor, f.sponsor.clone())}
            {line(T::Organizer, f.organizer.clone())}
            {line(T::ContactUs, f.contact.clone())}
            {filings}
        </footer>
    }
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
        <SiteFooter ui=ui.clone() site/>
        <super::help::ShortcutsDialog ui=ui.clone()/>
        // 大字幕 (shown by the stylesheet when on; `aids` fills it). Hidden from screen readers,
        // which have the text itself.
        <p class="caption-panel" aria-hidden="true">{ui.t(T::CaptionHint)}</p>
    }
}

/// Where a page sits: site › department › channel, then the article's title on an article page
/// (on a channel's pages the channel is the current one).
#[component]
pub fn Breadcrumb(
    ui: Ui,
    trail: crate::model::Trail,
    #[prop(optional)] article: Option<String>,
) -> impl IntoView {
    use crate::address::channel_path;
    use crate::model::department_anchor;
    let channel_current = article.is_none().then_some("page");
    view! {
        <nav class="breadcrumb" aria-label=ui.t(T::Breadcrumb)>
            <ol>
                <li>
                    <a href=link("/")>{trail.site}</a>
                </li>
                <li>
                    <a href=link(department_anchor(trail.department_id))>{trail.department}</a>
                </li>
                <li>
                    <a href=link(channel_path(&trail.channel.slug)) aria-current=channel_current>
                        {trail.channel.name}
                    </a>
                </li>
                {article.map(|title| view! { <li aria-current="page">{title}</li> })}
            </ol>
        </nav>
    }
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
