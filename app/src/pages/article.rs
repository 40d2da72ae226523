use super::errors::ErrorPage;
use crate::api::get_article;
use crate::components::layout::Layout;
use crate::components::toolbar::TextSize;
use crate::format::local_datetime;
use crate::model::{ArticleLink, ArticlePage, article_path, channel_path, department_anchor};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn ArticleView() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_article,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ArticleBody page/> }.into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleBody(page: ArticlePage) -> impl IntoView {
    let ArticlePage { article: a, url } = page;
    let trail = a.trail.clone();
    let page_title = format!("{} - {}", a.title, trail.site);
    view! {
        <Title text=page_title/>
        <Meta name="description" content=a.summary.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Meta property="og:type" content="article"/>
        <Meta property="og:title" content=a.title.clone()/>
        <Meta property="og:description" content=a.summary.clone()/>
        <Meta property="og:url" content=url.clone()/>
        <Meta property="og:site_name" content=trail.site.clone()/>
        <Meta property="article:published_time" content=a.published_at.clone()/>
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
                        <a href=channel_path(&trail.channel.slug)>{trail.channel.name.clone()}</a>
                    </li>
                    <li aria-current="page">{a.title.clone()}</li>
                </ol>
            </nav>
            <article class="article" aria-labelledby="article-title">
                <h1 id="article-title">{a.title.clone()}</h1>
                {a.subtitle.clone().map(|s| view! { <p class="subtitle">{s}</p> })}
                <p class="meta">
                    <span class="meta-item">"来源:" {a.source.clone()}</span>
                    {a.author.clone().map(|au| view! { <span class="meta-item">"作者:" {au}</span> })}
                    <span class="meta-item">
                        "时间:"
                        <time datetime=a.published_at.clone()>{local_datetime(&a.published_at)}</time>
                    </span>
                    <span class="meta-item">"浏览:" <span class="view-count">{a.view_count}</span></span>
                </p>
                <TextSize/>
                <div class="article-body" inner_html=a.body_html.clone()></div>
                <p class="print-url">"本文网址:" {url}</p>
            </article>
            <div class="article-actions">
                <button type="button" class="print-button" on:click=move |_| {
                    let _ = window().print();
                }>"打印本页"</button>
            </div>
            <nav class="prev-next" aria-label="上一篇和下一篇">
                <Neighbour label="上一篇:" link=a.previous.clone()/>
                <Neighbour label="下一篇:" link=a.next.clone()/>
            </nav>
        </Layout>
    }
}

#[component]
fn Neighbour(label: &'static str, link: Option<ArticleLink>) -> impl IntoView {
    view! {
        <p>
            {label}
            {match link {
                Some(l) => view! { <a href=article_path(&l.id)>{l.title}</a> }.into_any(),
                None => view! { <span>"没有了"</span> }.into_any(),
            }}
        </p>
    }
}
