//! The JSON content API: `/api/articles/{id}` and `/api/channels/{slug}/articles`.

use app::address::{article_path, channel_path};
use app::model::{
    Article, ArticleLink, Cursor, PAGE_SIZE, PageQuery, is_valid_article_id, is_valid_slug,
};
use app::storage::{SharedConverter, SharedStorage};
use app::variant::Variant;
use axum::extract::{FromRef, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;

/// The API's routes, for any app state holding the storage and the converter.
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    SharedStorage: FromRef<S>,
    SharedConverter: FromRef<S>,
{
    Router::new()
        .route("/articles/{id}", get(article))
        .route("/channels/{slug}/articles", get(channel_articles))
        .fallback(|| async { ApiError::NotFound("no such API endpoint") })
}

pub enum ApiError {
    NotFound(&'static str),
    BadRequest(String),
    Internal,
    /// Storage unreachable for now.
    Unavailable,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m.to_owned()),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error".to_owned(),
            ),
            ApiError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "service unavailable, try again shortly".to_owned(),
            ),
        };
        let body = json!({ "error": { "status": status.as_u16(), "message": message } });
        (status, Json(body)).into_response()
    }
}

/// Storage errors are logged and named once, by the app's mapping.
impl From<app::storage::StorageError> for ApiError {
    fn from(e: app::storage::StorageError) -> Self {
        match app::error::AppError::from(e) {
            app::error::AppError::Unavailable => ApiError::Unavailable,
            _ => ApiError::Internal,
        }
    }
}

#[derive(Serialize)]
struct Crumb {
    name: String,
    path: String,
}

#[derive(Serialize)]
struct LinkOut {
    id: String,
    title: String,
    published_at: String,
    path: String,
}

impl From<ArticleLink> for LinkOut {
    fn from(l: ArticleLink) -> Self {
        LinkOut {
            path: article_path(&l.id),
            id: l.id,
            title: l.title,
            published_at: l.published_at,
        }
    }
}

#[derive(Serialize)]
struct ArticleOut {
    id: String,
    variant: Variant,
    path: String,
    title: String,
    subtitle: Option<String>,
    source: String,
    author: Option<String>,
    published_at: String,
    view_count: i64,
    site: String,
    department: String,
    channel: ChannelOut,
    breadcrumb: Vec<Crumb>,
    summary: String,
    body_html: String,
    previous: Option<LinkOut>,
    next: Option<LinkOut>,
    /// 政务公开 metadata, `null` when the article has none.
    gov: Option<app::model::GovInfo>,
    attachments: Vec<app::model::Attachment>,
    related: Vec<app::model::RelatedLink>,
}

#[derive(Serialize)]
struct ChannelOut {
    slug: String,
    name: String,
    path: String,
}

fn query_params(raw: Option<String>) -> Vec<(String, String)> {
    app::query::pairs(raw.as_deref().unwrap_or(""))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn article(
    State(storage): State<SharedStorage>,
    State(converter): State<SharedConverter>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ArticleOut>, ApiError> {
    if !is_valid_article_id(&id) {
        return Err(ApiError::BadRequest(
            "article ids are 1–100 ASCII letters, digits, '-', '_' or '.'".into(),
        ));
    }
    let mut variant = Variant::Hans;
    for (key, value) in query_params(raw) {
        match key.as_str() {
            "variant" => {
                variant = value.parse().map_err(|()| {
                    ApiError::BadRequest("variant is one of zh-Hans, zh-Hant, zh-TW, zh-HK".into())
                })?
            }
            _ => return Err(ApiError::BadRequest(format!("unknown parameter {key:?}"))),
        }
    }
    let a: Article = storage
        .0
        .article(&id)
        .await?
        .ok_or(ApiError::NotFound("article not found"))?;
    let a = app::api::ssr::converted(converter.0.clone(), variant, a, |to, a| to.article(a))
        .await
        .map_err(|_| ApiError::Internal)?;
    let t = a.trail;
    Ok(Json(ArticleOut {
        path: article_path(&a.id),
        breadcrumb: vec![
            Crumb {
                name: t.site.clone(),
                path: "/".into(),
            },
            Crumb {
                name: t.department.clone(),
                path: app::model::department_anchor(t.department_id),
            },
            Crumb {
                name: t.channel.name.clone(),
                path: channel_path(&t.channel.slug),
            },
        ],
        id: a.id,
        variant,
        title: a.title,
        subtitle: a.subtitle,
        source: a.source,
        author: a.author,
        published_at: a.published_at,
        view_count: a.view_count,
        site: t.site,
        department: t.department,
        channel: ChannelOut {
            path: channel_path(&t.channel.slug),
            slug: t.channel.slug,
            name: t.channel.name,
        },
        summary: a.summary,
        body_html: a.body_html,
        previous: a.previous.map(Into::into),
        next: a.next.map(Into::into),
        gov: a.gov,
        attachments: a.attachments,
        related: a.related,
    }))
}

async fn channel_articles(
    State(storage): State<SharedStorage>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    if !is_valid_slug(&slug) {
        return Err(ApiError::BadRequest(
            "channel slugs are 1–64 lowercase letters, digits or '-'".into(),
        ));
    }
    let mut query = PageQuery::Newest;
    for (key, value) in query_params(raw) {
        let cursor = || {
            value
                .parse::<Cursor>()
                .map_err(|_| ApiError::BadRequest(format!("malformed cursor in {key:?}")))
        };
        query = match (key.as_str(), query) {
            ("after", PageQuery::Newest) => PageQuery::After(cursor()?),
            ("before", PageQuery::Newest) => PageQuery::Before(cursor()?),
            ("after" | "before", _) => {
                return Err(ApiError::BadRequest(
                    "give one of \"after\" or \"before\"".into(),
                ));
            }
            _ => return Err(ApiError::BadRequest(format!("unknown parameter {key:?}"))),
        };
    }
    let page = storage
        .0
        .channel_page(&slug, query, PAGE_SIZE)
        .await?
        .ok_or(ApiError::NotFound("channel not found"))?;
    let base = format!("/api/channels/{slug}/articles");
    Ok(Json(json!({
        "channel": ChannelOut {
            path: channel_path(&page.trail.channel.slug),
            slug: page.trail.channel.slug.clone(),
            name: page.trail.channel.name.clone(),
        },
        "department": page.trail.department,
        "site": page.trail.site,
        "articles": page.articles.into_iter().map(LinkOut::from).collect::<Vec<_>>(),
        "newer": page.newer.map(|c| format!("{base}?before={c}")),
        "older": page.older.map(|c| format!("{base}?after={c}")),
    })))
}
