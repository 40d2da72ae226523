use crate::address::{ID, Route, article_path};
use crate::api::{count_view, get_article};
use crate::components::gov::{self, wire as gov_wire};
use crate::components::head::{Head, PageHead};
use crate::components::layout::{Breadcrumb, Layout};
use crate::format::local_datetime;
use crate::model::{Article, ArticleLink, ArticlePage};
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
    let article = article_html(&ui, &a, &url);
    let more = after_article(
        &ui,
        &a,
        &shared,
        qr.as_ref(),
        reader.variant.get_untracked(),
    );
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=trail.site.clone() read_aloud=true>
            <Breadcrumb ui=ui.clone() trail=trail.clone() article=a.title.clone()/>
            <article class="article" aria-labelledby="article-title" inner_html=article></article>
            <div class="article-more" inner_html=more use:gov_wire></div>
        </Layout>
    }
}

/// What follows the article, as HTML: 分享到, 我要纠错, 打印本页 and 上一篇 / 下一篇 (made to
/// work by [`gov::wire`]).
fn after_article(
    ui: &Ui,
    a: &Article,
    shared: &str,
    qr: Option<&crate::qr::Qr>,
    variant: crate::variant::Variant,
) -> String {
    use super::html::{attr, text};
    format!(
        "{}{}<div class=\"article-actions\"><button type=\"button\" class=\"print-button\">{}</button></div>\
         <nav class=\"prev-next\" aria-label=\"{}\">{}{}</nav>",
        gov::share(ui, shared, qr),
        gov::report_form(ui, &a.id, variant.tag()),
        text(&ui.t(T::Print)),
        attr(&ui.t(T::Neighbours)),
        neighbour(ui, T::Previous, &a.previous),
        neighbour(ui, T::Next, &a.next)
    )
}

/// The article itself as HTML (its parts escaped; the body as imported, cleaned on import):
/// 政务公开, title, 来源 / 作者 / 时间 / 浏览, 字号, the body, 附件, 相关链接 and the printed
/// address. Nothing in it changes while shown, so it is not a view tree (README, Performance).
fn article_html(ui: &Ui, a: &Article, url: &str) -> String {
    use super::html::{attr, text};
    use std::fmt::Write;
    let mut h = String::new();
    if let Some(info) = &a.gov {
        let _ = write!(
            h,
            "<div class=\"gov-info-frame\">{}</div>",
            gov::gov_table(ui, info)
        );
    }
    let _ = write!(h, "<h1 id=\"article-title\">{}</h1>", text(&a.title));
    if let Some(s) = &a.subtitle {
        let _ = write!(h, "<p class=\"subtitle\">{}</p>", text(s));
    }
    let item = |label: T, value: &str| {
        format!(
            "<span class=\"meta-item\">{}{}</span>",
            text(&ui.t(label)),
            text(value)
        )
    };
    h.push_str("<p class=\"meta\">");
    h.push_str(&item(T::Source, &a.source));
    if let Some(author) = &a.author {
        h.push_str(&item(T::Author, author));
    }
    let _ = write!(
        h,
        "<span class=\"meta-item\">{}<time datetime=\"{}\">{}</time></span>\
         <span class=\"meta-item\">{}<span class=\"view-count\">{}</span></span></p>",
        text(&ui.t(T::Time)),
        attr(&a.published_at),
        text(&local_datetime(&a.published_at)),
        text(&ui.t(T::Views)),
        a.view_count
    );
    h.push_str(&crate::components::toolbar::text_size(ui));
    let _ = write!(h, "<div class=\"article-body\">{}</div>", a.body_html);
    if !a.attachments.is_empty() {
        let _ = write!(
            h,
            "<section class=\"attachments\" aria-labelledby=\"attachments-heading\">{}</section>",
            gov::attachments(ui, &a.attachments)
        );
    }
    if !a.related.is_empty() {
        let _ = write!(
            h,
            "<nav class=\"related\" aria-labelledby=\"related-heading\">{}</nav>",
            gov::related(ui, &a.related, |path| crate::route::link(path.to_owned())())
        );
    }
    let _ = write!(
        h,
        "<p class=\"print-url\">{}{}</p>",
        text(&ui.t(T::PageUrl)),
        text(url)
    );
    h
}

/// 上一篇 / 下一篇: the neighbour's link, or 没有了.
fn neighbour(ui: &Ui, label: T, link: &Option<ArticleLink>) -> String {
    use super::html::{a, text};
    let mut h = format!("<p>{}", text(&ui.t(label)));
    match link {
        Some(l) => a(&mut h, "", article_path(&l.id), &l.title),
        None => h.push_str(&format!("<span>{}</span>", text(&ui.t(T::NoMore)))),
    }
    h.push_str("</p>");
    h
}
