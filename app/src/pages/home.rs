use crate::address::{Route, article_path, channel_path};
use crate::api::get_home;
use crate::components::head::{Head, PageHead};
use crate::components::layout::Layout;
use crate::format::local_date;
use crate::model::Home;
use crate::prefetch;
use crate::reader::use_reader;
use crate::route::link;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// `/`.
#[derive(Debug)]
pub struct HomePage;

#[leptos_router::lazy_route]
impl leptos_router::LazyRoute for HomePage {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        home_page().into_any()
    }
}

/// The front page's data for a prefetch; loaded with the front page's code.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
pub async fn prefetch_data(
    variant: crate::variant::Variant,
) -> Result<Home, crate::error::AppError> {
    get_home(variant).await
}

fn home_page() -> impl IntoView {
    let reader = use_reader();
    let home = Resource::new(
        move || reader.variant.get(),
        |variant| prefetch::or_fetch(prefetch::key(Route::Home, variant), get_home(variant)),
    );
    super::scaffold::resource_page(home, |ui, home| view! { <HomeView ui home/> })
}

#[component]
fn HomeView(ui: Ui, home: Home) -> impl IntoView {
    let reader = use_reader();
    let description = format!("{}:{}", home.site, ui.t(T::HomeDescription));
    let url = format!("{}/", ui.base_url);
    let head = Head {
        title: home.site.clone(),
        description: Some(description),
        og: Some(("website", home.site.clone())),
        url: Some(url),
        variant: reader.variant.get_untracked(),
        feeds: [Some(super::site_feed(&ui, &home.site)), None],
        ..Head::default()
    };
    super::arrived(&home.site);
    view! {
        <PageHead head/>
        <Layout ui site=home.site.clone()>
            <h1 class="home-title">{home.site.clone()}</h1>
            {home
                .departments
                .into_iter()
                .map(|dept| {
                    let heading_id = format!("department-{}", dept.id);
                    view! {
                        <section class="department" id=heading_id.clone() aria-labelledby=format!("{heading_id}-h")>
                            <h2 id=format!("{heading_id}-h")>{dept.name}</h2>
                            {dept
                                .channels
                                .into_iter()
                                .map(|ch| {
                                    view! {
                                        <section class="channel-box">
                                            <h3>
                                                <a href=link(channel_path(&ch.channel.slug))>{ch.channel.name}</a>
                                            </h3>
                                            <ul class="article-list">
                                                {ch
                                                    .latest
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
                                        </section>
                                    }
                                })
                                .collect_view()}
                        </section>
                    }
                })
                .collect_view()}
        </Layout>
    }
}
