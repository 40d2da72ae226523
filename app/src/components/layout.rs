use crate::route::link;
use crate::ui::{T, Ui};
use leptos::prelude::*;

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
        <footer class="site-footer">
            <p>{site}</p>
            <p>
                <a href=link(crate::address::accessibility_path())>{ui.t(T::Statement)}</a>
            </p>
        </footer>
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
