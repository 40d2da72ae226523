use crate::address::{article_path, channel_path, search_path};
use crate::api::get_search;
use crate::components::head::{Head, PageHead};
use crate::components::layout::Layout;
use crate::error::AppError;
use crate::model::{Found, SearchCursor, SearchPage, Segment};
use crate::reader::use_reader;
use crate::route::query_value;
use crate::ui::{T, Ui};
use leptos::prelude::*;
use std::fmt::Write;

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

/// A title or snippet with the words searched for in `<mark>`, as HTML.
fn marked(h: &mut String, segments: &[Segment]) {
    use super::html::text;
    for s in segments {
        if s.mark {
            h.push_str("<mark>");
            h.push_str(&text(&s.text));
            h.push_str("</mark>");
        } else {
            h.push_str(&text(&s.text));
        }
    }
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
    let hits = hits(&page.hits);
    let pager = {
        let mut h = String::new();
        if let Some(href) = first {
            super::html::a(&mut h, "", href, &ui.t(T::FirstResults));
        }
        if let Some(href) = more {
            super::html::a(&mut h, " rel=\"next\"", href, &ui.t(T::MoreResults));
        }
        h
    };
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=ui.site.clone()>
            <h1>{heading}</h1>
            <p class="search-status" role="status">{status}</p>
            <ol class="search-results" inner_html=hits></ol>
            <nav class="pager" aria-label=ui.t(T::Paging) inner_html=pager></nav>
        </Layout>
    }
}

/// The results: title and snippet with the words marked, channel and date; as HTML.
fn hits(hits: &[Found]) -> String {
    use super::html::{a, time};
    let mut h = String::new();
    for hit in hits {
        let href = crate::route::link(article_path(&hit.id))();
        let _ = write!(
            h,
            "<li><a href=\"{}\" class=\"search-title\">",
            super::html::attr(&href)
        );
        marked(&mut h, &hit.title);
        h.push_str("</a><p class=\"snippet\">");
        marked(&mut h, &hit.snippet);
        h.push_str("</p><p class=\"search-meta\">");
        a(
            &mut h,
            "",
            channel_path(&hit.channel.slug),
            &hit.channel.name,
        );
        h.push(' ');
        time(&mut h, &hit.published_at);
        h.push_str("</p></li>");
    }
    h
}
