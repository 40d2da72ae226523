use crate::address::{Route, channel_path};
use crate::api::get_home;
use crate::components::head::{Head, PageHead};
use crate::components::layout::Layout;
use crate::model::Home;
use crate::prefetch;
use crate::reader::use_reader;
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
    let title = home.site.clone();
    let departments = departments(&home);
    view! {
        <PageHead head/>
        <Layout ui site=home.site>
            <h1 class="home-title">{title}</h1>
            <div class="departments" inner_html=departments></div>
        </Layout>
    }
}

/// Each department with its channels and their latest articles, as HTML.
fn departments(home: &Home) -> String {
    use super::html::{a, article_item, attr, text};
    use std::fmt::Write;
    let mut h = String::new();
    for dept in &home.departments {
        let id = format!("department-{}", dept.id);
        let _ = write!(
            h,
            "<section class=\"department\" id=\"{0}\" aria-labelledby=\"{0}-h\"><h2 id=\"{0}-h\">{1}</h2>",
            attr(&id),
            text(&dept.name)
        );
        for ch in &dept.channels {
            h.push_str("<section class=\"channel-box\"><h3>");
            a(&mut h, "", channel_path(&ch.channel.slug), &ch.channel.name);
            h.push_str("</h3><ul class=\"article-list\">");
            for article in &ch.latest {
                article_item(&mut h, article);
            }
            h.push_str("</ul></section>");
        }
        h.push_str("</section>");
    }
    h
}
