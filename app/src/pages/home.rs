use super::errors::ErrorPage;
use crate::api::get_home;
use crate::components::layout::Layout;
use crate::format::local_date;
use crate::model::{Home, article_path, channel_path};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! { <HomeView home/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(home: Home) -> impl IntoView {
    let description = format!("{}:各部门工作动态与最新文章。", home.site);
    view! {
        <Title text=home.site.clone()/>
        <Meta name="description" content=description/>
        <Meta property="og:title" content=home.site.clone()/>
        <Meta property="og:type" content="website"/>
        <Layout site=home.site.clone()>
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
                                                <a href=channel_path(&ch.channel.slug)>{ch.channel.name}</a>
                                            </h3>
                                            <ul class="article-list">
                                                {ch
                                                    .latest
                                                    .into_iter()
                                                    .map(|a| {
                                                        view! {
                                                            <li>
                                                                <a href=article_path(&a.id)>{a.title}</a>
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
