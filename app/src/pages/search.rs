use crate::address::{article_path, channel_path, search_path};
use crate::api::get_search;
use crate::components::head::{Head, PageHead};
use crate::components::layout::Layout;
use crate::error::AppError;
use crate::format::local_date;
use crate::model::{SearchCursor, SearchPage, Segment};
use crate::reader::use_reader;
use crate::route::{link, query_value};
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// `/search?q=…`, paged by `?after=`.
#[derive(Debug)]
pub struct SearchRoute;

#[leptos_router::lazy_route]
impl leptos_router::LazyRoute for SearchRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        let (q, after) = (query_value("q"), query_value("after"));
        let q = Memo::new(move |_| q.get().unwrap_or_default());
        let after = Memo::new(move |_| {
            after
                .get()
                .map(|a| {
                    a.parse::<SearchCursor>()
                        .map_err(|_| AppError::BadRequest("cursor".into()))
                })
                .transpose()
        });
        view! { <SearchView q after/> }.into_any()
    }
}

#[component]
fn SearchView(
    #[prop(into)] q: Signal<String>,
    #[prop(into)] after: Signal<Result<Option<SearchCursor>, AppError>>,
) -> impl IntoView {
    let reader = use_reader();
    let page = Resource::new(
        move || (q.get(), after.get(), reader.variant.get()),
        |(q, after, variant)| async move { get_search(q, after?, variant).await },
    );
    super::scaffold::resource_page(page, move |ui, page| {
        let after = after.get_untracked().ok().flatten();
        view! { <Results ui q=q.get_untracked() after page/> }
    })
}

fn marked(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.mark {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                s.text.into_any()
            }
        })
        .collect_view()
}

#[component]
fn Results(ui: Ui, q: String, after: Option<SearchCursor>, page: SearchPage) -> impl IntoView {
    let reader = use_reader();
    let q = q.trim().to_owned();
    let heading = if q.is_empty() {
        ui.t(T::Search)
    } else {
        format!("{}:{q}", ui.t(T::SearchResults))
    };
    let head = Head {
        title: format!("{heading} - {}", ui.site),
        variant: reader.variant.get_untracked(),
        noindex: true,
        ..Head::default()
    };
    super::arrived(&heading);
    let status = if q.is_empty() {
        Some(ui.t(T::SearchHint))
    } else if page.hits.is_empty() {
        Some(ui.t(T::NoResults))
    } else {
        None
    };
    let more = page.next.map(|c| search_path(&q, Some(c)));
    let first = after.is_some().then(|| search_path(&q, None));
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=ui.site.clone()>
            <h1>{heading}</h1>
            <p class="search-status" role="status">{status}</p>
            <ol class="search-results">
                {page
                    .hits
                    .into_iter()
                    .map(|hit| {
                        view! {
                            <li>
                                <a class="search-title" href=link(article_path(&hit.id))>
                                    {marked(hit.title)}
                                </a>
                                <p class="snippet">{marked(hit.snippet)}</p>
                                <p class="search-meta">
                                    <a href=link(channel_path(&hit.channel.slug))>{hit.channel.name}</a>
                                    " "
                                    <time datetime=hit.published_at.clone()>
                                        {local_date(&hit.published_at).to_owned()}
                                    </time>
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <nav class="pager" aria-label=ui.t(T::Paging)>
                {first.map(|href| view! { <a href=link(href)>{ui.t(T::FirstResults)}</a> })}
                {more.map(|href| view! { <a rel="next" href=link(href)>{ui.t(T::MoreResults)}</a> })}
            </nav>
        </Layout>
    }
}
