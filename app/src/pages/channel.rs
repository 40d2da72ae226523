use crate::address::{Route, SLUG, channel_path};
use crate::api::get_channel;
use crate::components::head::{Head, PageHead};
use crate::components::layout::{Breadcrumb, Layout};
use crate::error::AppError;
use crate::model::{ArticleLink, ChannelPage, PageQuery};
use crate::prefetch;
use crate::reader::use_reader;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// `/channels/:slug`, paged by `?after=` / `?before=`.
#[derive(Debug)]
pub struct ChannelRoute;

#[leptos_router::lazy_route]
impl leptos_router::LazyRoute for ChannelRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        let params = leptos_router::hooks::use_params_map();
        let search = leptos_router::hooks::use_location().search;
        let slug = Memo::new(move |_| params.read().get(SLUG).unwrap_or_default());
        let paging = Memo::new(move |_| {
            crate::address::paging(&search.read())
                .map_err(|_| AppError::BadRequest("cursor".into()))
        });
        view! { <ChannelView slug paging/> }.into_any()
    }
}

/// A channel page's data for a prefetch; loaded with the channel's code.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
pub async fn prefetch_data(
    slug: String,
    paging: PageQuery,
    variant: crate::variant::Variant,
) -> Result<ChannelPage, AppError> {
    get_channel(slug, paging, variant).await
}

#[component]
pub fn ChannelView(
    #[prop(into)] slug: Signal<String>,
    #[prop(into)] paging: Signal<Result<PageQuery, AppError>>,
) -> impl IntoView {
    let reader = use_reader();
    let page = Resource::new(
        move || (slug.get(), paging.get(), reader.variant.get()),
        move |(slug, paging, variant)| async move {
            let paging = paging?;
            let key = prefetch::key(Route::Channel(&slug, paging), variant);
            prefetch::or_fetch(key, get_channel(slug, paging, variant)).await
        },
    );
    super::scaffold::resource_page(page, |ui, page| view! { <ChannelPageView ui page/> })
}

#[component]
fn ChannelPageView(ui: Ui, page: ChannelPage) -> impl IntoView {
    let reader = use_reader();
    let trail = page.trail;
    let base = channel_path(&trail.channel.slug);
    let title = format!(
        "{} - {} - {}",
        trail.channel.name, trail.department, trail.site
    );
    let description = format!(
        "{}{}{}",
        trail.department,
        trail.channel.name,
        ui.t(T::ChannelDescription)
    );
    let url = format!("{}{base}", ui.base_url);
    let newer = page.newer.map(|c| format!("{base}?before={c}"));
    let older = page.older.map(|c| format!("{base}?after={c}"));
    let head = Head {
        og: Some(("website", title.clone())),
        title,
        description: Some(description),
        url: Some(url),
        variant: reader.variant.get_untracked(),
        feeds: super::feeds(&ui, &trail),
        ..Head::default()
    };
    super::arrived(&trail.channel.name);
    let list = list(&ui, &page.articles);
    let pager = {
        use super::html::a;
        let mut h = String::new();
        if let Some(href) = newer {
            a(&mut h, " rel=\"prev\"", href, &ui.t(T::Newer));
            a(&mut h, "", base.clone(), &ui.t(T::Newest));
        }
        if let Some(href) = older {
            a(&mut h, " rel=\"next\"", href, &ui.t(T::Older));
        }
        h
    };
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=trail.site.clone()>
            <Breadcrumb ui=ui.clone() trail=trail.clone()/>
            <h1>{trail.channel.name.clone()}</h1>
            <div class="channel-articles" inner_html=list></div>
            <nav class="pager" aria-label=ui.t(T::Paging) inner_html=pager></nav>
        </Layout>
    }
}

/// The channel's articles, as HTML; a line saying there are none.
fn list(ui: &Ui, articles: &[ArticleLink]) -> String {
    use super::html::{article_item, text};
    if articles.is_empty() {
        return format!("<p class=\"empty\">{}</p>", text(&ui.t(T::Empty)));
    }
    let mut h = String::from("<ul class=\"article-list channel-list\">");
    for a in articles {
        article_item(&mut h, a);
    }
    h.push_str("</ul>");
    h
}
