use super::errors::ErrorPage;
use crate::api::get_channel;
use crate::components::layout::Layout;
use crate::error::AppError;
use crate::format::local_date;
use crate::model::{ChannelPage, Cursor, PageQuery, article_path, channel_path, department_anchor};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

fn page_query(after: Option<String>, before: Option<String>) -> Result<PageQuery, AppError> {
    let parse = |s: String| {
        s.parse::<Cursor>()
            .map_err(|_| AppError::BadRequest("cursor".into()))
    };
    match (after, before) {
        (None, None) => Ok(PageQuery::Newest),
        (Some(a), None) => Ok(PageQuery::After(parse(a)?)),
        (None, Some(b)) => Ok(PageQuery::Before(parse(b)?)),
        (Some(_), Some(_)) => Err(AppError::BadRequest("cursor".into())),
    }
}

#[component]
pub fn ChannelView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let q = query.read();
            (
                params.read().get("slug").unwrap_or_default(),
                q.get("after"),
                q.get("before"),
            )
        },
        |(slug, after, before)| async move {
            let q = page_query(after, before)?;
            get_channel(slug, q).await
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ChannelPageView page/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChannelPageView(page: ChannelPage) -> impl IntoView {
    let trail = page.trail;
    let base = channel_path(&trail.channel.slug);
    let title = format!(
        "{} - {} - {}",
        trail.channel.name, trail.department, trail.site
    );
    let description = format!("{}{}的文章列表。", trail.department, trail.channel.name);
    let newer = page.newer.map(|c| format!("{base}?before={c}"));
    let older = page.older.map(|c| format!("{base}?after={c}"));
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description/>
        <Meta property="og:title" content=title/>
        <Meta property="og:type" content="website"/>
        <Layout site=trail.site.clone()>
            <nav class="breadcrumb" aria-label="当前位置">
                <ol>
                    <li>
                        <a href="/">{trail.site.clone()}</a>
                    </li>
                    <li>
                        <a href=department_anchor(trail.department_id)>{trail.department.clone()}</a>
                    </li>
                    <li>
                        <a href=base.clone() aria-current="page">
                            {trail.channel.name.clone()}
                        </a>
                    </li>
                </ol>
            </nav>
            <h1>{trail.channel.name.clone()}</h1>
            {if page.articles.is_empty() {
                view! { <p class="empty">"暂无文章。"</p> }.into_any()
            } else {
                view! {
                    <ul class="article-list channel-list">
                        {page
                            .articles
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
                }
                    .into_any()
            }}
            <nav class="pager" aria-label="分页">
                {newer.map(|href| view! { <a rel="prev" href=href>"« 较新文章"</a> })}
                {(page.newer.is_some()).then(|| view! { <a href=base.clone()>"最新"</a> })}
                {older.map(|href| view! { <a rel="next" href=href>"较早文章 »"</a> })}
            </nav>
        </Layout>
    }
}
