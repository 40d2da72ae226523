use crate::address::{Route, SLUG, article_path, channel_path};
use crate::api::get_channel;
use crate::components::head::{Head, PageHead};
use crate::components::layout::{Breadcrumb, Layout};
use crate::error::AppError;
use crate::format::local_date;
use crate::model::{ChannelPage, PageQuery};
use crate::prefetch;
use crate::reader::use_reader;
use crate::route::link;
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
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=trail.site.clone()>
            <Breadcrumb ui=ui.clone() trail=trail.clone()/>
            <h1>{trail.channel.name.clone()}</h1>
            {if page.articles.is_empty() {
                view! { <p class="empty">{ui.t(T::Empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="article-list channel-list">
                        {page
                            .articles
                            .into_iter()
                            .map(|a| {
                                view! {
                                    <li>
                                        <a href=link(article_path(&a.id))>{a.title}</a>
                                        <time datetime=a.published_at.clone()>
                                            {local_date(&a.published_at).to_owned()}
                                        </time>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <nav class="pager" aria-label=ui.t(T::Paging)>
                {newer.map(|href| view! { <a rel="prev" href=link(href)>{ui.t(T::Newer)}</a> })}
                {(page.newer.is_some()).then(|| view! { <a href=link(base.clone())>{ui.t(T::Newest)}</a> })}
                {older.map(|href| view! { <a rel="next" href=link(href)>{ui.t(T::Older)}</a> })}
            </nav>
        </Layout>
    }
}
