//! `/site-map`: 网站地图, the site's departments and their channels as links, with the pages every
//! page's footer links to.

use crate::address::{Route, channel_path};
use crate::api::get_home;
use crate::components::head::{Head, PageHead};
use crate::components::layout::Layout;
use crate::model::Home;
use crate::prefetch;
use crate::reader::use_reader;
use crate::route::link;
use crate::ui::{T, Ui};
use leptos::prelude::*;

#[derive(Debug)]
pub struct SiteMapPage;

#[leptos_router::lazy_route]
impl leptos_router::LazyRoute for SiteMapPage {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        let reader = use_reader();
        let home = Resource::new(
            move || reader.variant.get(),
            |variant| prefetch::or_fetch(prefetch::key(Route::SiteMap, variant), get_home(variant)),
        );
        super::scaffold::resource_page(home, |ui, home| view! { <SiteMap ui home/> }).into_any()
    }
}

/// The site map's data (the front page's) for a prefetch; loaded with the site map's code.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
pub async fn prefetch_data(
    variant: crate::variant::Variant,
) -> Result<Home, crate::error::AppError> {
    get_home(variant).await
}

#[component]
fn SiteMap(ui: Ui, home: Home) -> impl IntoView {
    let reader = use_reader();
    let title = ui.t(T::SiteMap);
    let head = Head {
        title: format!("{title} - {}", home.site),
        description: Some(format!("{}:{}", home.site, title)),
        url: Some(format!(
            "{}{}",
            ui.base_url,
            crate::address::site_map_path()
        )),
        variant: reader.variant.get_untracked(),
        ..Head::default()
    };
    super::arrived(&title);
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=home.site.clone()>
            <h1>{title}</h1>
            <ul class="site-map">
                <li><a href=link("/")>{home.site.clone()}</a></li>
                {home
                    .departments
                    .into_iter()
                    .map(|d| {
                        view! {
                            <li>
                                <a href=link(crate::model::department_anchor(d.id))>{d.name}</a>
                                <ul>
                                    {d
                                        .channels
                                        .into_iter()
                                        .map(|c| view! {
                                            <li><a href=link(channel_path(&c.channel.slug))>{c.channel.name}</a></li>
                                        })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
                <li><a href=link(crate::address::accessibility_path())>{ui.t(T::Statement)}</a></li>
            </ul>
        </Layout>
    }
}
