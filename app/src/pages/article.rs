use crate::address::{ID, Route, article_path};
use crate::api::{count_view, get_article};
use crate::components::gov::{self, ReportForm, Share};
use crate::components::head::{Head, PageHead};
use crate::components::layout::{Breadcrumb, Layout};
use crate::components::toolbar::TextSize;
use crate::format::local_datetime;
use crate::model::{ArticleLink, ArticlePage};
use crate::prefetch;
use crate::reader::use_reader;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// `/articles/:id`; its view is loaded with the first article page.
#[derive(Debug)]
pub struct ArticleRoute;

#[leptos_router::lazy_route]
impl leptos_router::LazyRoute for ArticleRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        let params = leptos_router::hooks::use_params_map();
        let id = Memo::new(move |_| params.read().get(ID).unwrap_or_default());
        // A new view for each article, so its head tags, counting and focus start afresh.
        (move || view! { <ArticleView id=Signal::stored(id.get())/> }).into_any()
    }
}

#[component]
pub fn ArticleView(#[prop(into)] id: Signal<String>) -> impl IntoView {
    let reader = use_reader();
    // The server counts the view of a page it sends; in the browser, the first fetch of an article
    // reached by navigation counts it, a refetch for another variant does not.
    let shown = StoredValue::new(hydrating().then(|| id.get_untracked()));
    let page = Resource::new(
        move || (id.get(), reader.variant.get()),
        move |(id, variant)| {
            let count = cfg!(feature = "ssr") || shown.get_value().as_deref() != Some(id.as_str());
            shown.set_value(Some(id.clone()));
            prefetch::local(async move {
                // Prefetched data never counted the view: count it now, as the page is shown.
                match prefetch::take::<ArticlePage>(&prefetch::key(Route::Article(&id), variant))
                    .await
                {
                    Some(mut page) => {
                        if count && let Ok(Some(n)) = count_view(id).await {
                            page.article.view_count = n;
                        }
                        Ok(page)
                    }
                    None => get_article(id, variant, count).await,
                }
            })
        },
    );
    super::scaffold::resource_page(page, |ui, page| view! { <ArticleBody ui page/> })
}

/// The article's data for a prefetch (never counts a view); loaded with the article's code.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
pub async fn prefetch_data(
    id: String,
    variant: crate::variant::Variant,
) -> Result<ArticlePage, crate::error::AppError> {
    get_article(id, variant, false).await
}

/// Whether this view is being made to hydrate the server's page (not by a navigation since).
fn hydrating() -> bool {
    Owner::current_shared_context().is_some_and(|c| c.during_hydration())
}

#[component]
fn ArticleBody(ui: Ui, page: ArticlePage) -> impl IntoView {
    let reader = use_reader();
    let ArticlePage {
        article: a,
        url,
        qr,
    } = page;
    let shared = crate::components::head::variant_url(&url, reader.variant.get_untracked());
    let trail = a.trail.clone();
    let head = Head {
        title: format!("{} - {}", a.title, trail.site),
        description: Some(a.summary.clone()),
        og: Some(("article", a.title.clone())),
        url: Some(url.clone()),
        variant: reader.variant.get_untracked(),
        article: Some((trail.site.clone(), a.published_at.clone())),
        noindex: false,
        feeds: super::feeds(&ui, &trail),
    };
    super::arrived(&a.title);
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=trail.site.clone() read_aloud=true>
            <Breadcrumb ui=ui.clone() trail=trail.clone() article=a.title.clone()/>
            <article class="article" aria-labelledby="article-title">
                {a.gov.as_ref().map(|info| view! { <div class="gov-info-frame" inner_html=gov::gov_table(&ui, info)></div> })}
                <h1 id="article-title">{a.title.clone()}</h1>
                {a.subtitle.clone().map(|s| view! { <p class="subtitle">{s}</p> })}
                <p class="meta">
                    <span class="meta-item">{ui.t(T::Source)} {a.source.clone()}</span>
                    {a.author.clone().map(|au| view! { <span class="meta-item">{ui.t(T::Author)} {au}</span> })}
                    <span class="meta-item">
                        {ui.t(T::Time)}
                        <time datetime=a.published_at.clone()>{local_datetime(&a.published_at)}</time>
                    </span>
                    <span class="meta-item">{ui.t(T::Views)} <span class="view-count">{a.view_count}</span></span>
                </p>
                <TextSize ui=ui.clone()/>
                <div class="article-body" inner_html=a.body_html.clone()></div>
                {(!a.attachments.is_empty()).then(|| view! {
                    <section class="attachments" aria-labelledby="attachments-heading"
                        inner_html=gov::attachments(&ui, &a.attachments)></section>
                })}
                {(!a.related.is_empty()).then(|| {
                    let html = gov::related(&ui, &a.related, |path| crate::route::link(path.to_owned())());
                    view! { <nav class="related" aria-labelledby="related-heading" inner_html=html></nav> }
                })}
                <p class="print-url">{ui.t(T::PageUrl)} {url}</p>
            </article>
            <Share ui=ui.clone() url=shared qr/>
            <ReportForm ui=ui.clone() id=a.id.clone()/>
            <div class="article-actions">
                <button type="button" class="print-button" on:click=move |_| {
                    let _ = window().print();
                }>{ui.t(T::Print)}</button>
            </div>
            <nav class="prev-next" aria-label=ui.t(T::Neighbours)>
                <Neighbour label=ui.t(T::Previous) none=ui.t(T::NoMore) link=a.previous.clone()/>
                <Neighbour label=ui.t(T::Next) none=ui.t(T::NoMore) link=a.next.clone()/>
            </nav>
        </Layout>
    }
}

#[component]
fn Neighbour(label: String, none: String, link: Option<ArticleLink>) -> impl IntoView {
    view! {
        <p>
            {label}
            {match link {
                Some(l) => view! { <a href=crate::route::link(article_path(&l.id))>{l.title}</a> }.into_any(),
                None => view! { <span>{none}</span> }.into_any(),
            }}
        </p>
    }
}
