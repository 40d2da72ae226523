//! The HTTP surface: Leptos pages and server functions, the JSON API, the embedded site files.

pub use crate::state::AppState;
use app::reader::{Prefs, StylePref};
use app::shell;
use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos_axum::LeptosRoutes;
use std::sync::Arc;
use tower_http::trace::TraceLayer;

/// The whole site: the page cache in front of the router. A hit is answered before anything else
/// runs; a miss goes through the limits below and then the router.
pub type App = crate::page_cache::Cached<Router>;

/// Largest request body: server-function arguments are a few hundred bytes; a 我要纠错 report is
/// the largest body taken.
pub const MAX_BODY: usize = crate::report::MAX_BODY;
/// Longest a request may take before it is answered 503.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// Most requests handled at once; more wait for a place.
pub const MAX_IN_FLIGHT: usize = 1024;

pub fn router(state: AppState) -> App {
    let options = state.leptos_options.clone();
    let pages = state.pages.clone();
    let router = Router::new()
        .nest("/api", crate::api::router())
        .route("/prefs", axum::routing::get(prefs))
        .route("/healthz", axum::routing::get(healthz))
        .route("/readyz", axum::routing::get(readyz))
        .route("/robots.txt", axum::routing::get(crate::sitemap::robots))
        .route("/sitemap.xml", axum::routing::get(crate::sitemap::sitemap))
        .route("/feeds/site", axum::routing::get(crate::feeds::site))
        .route("/report", axum::routing::post(crate::report::submit))
        .route(
            "/reports/{reference}",
            axum::routing::get(crate::report::thanks),
        )
        .route(
            "/files/{hash}/{name}",
            axum::routing::get(crate::files::serve),
        )
        .route(
            "/feeds/channels/{slug}",
            axum::routing::get(crate::feeds::channel),
        )
        .route(
            "/sitemaps/{file}",
            axum::routing::get(crate::sitemap::sitemap_file),
        )
        // The app's routes (rendered whole, `SsrMode::Async`) and its server functions.
        .leptos_routes_with_context(&state, routes(), state.context(), move || {
            shell(options.clone())
        })
        .fallback(fallback)
        .layer(axum::middleware::from_fn(crate::respond::canonical_variant))
        .layer(axum::middleware::map_response(server_fn_status))
        .layer(axum::middleware::map_response(vary_on_cookie))
        .layer(compression())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
        .layer(
            tower::ServiceBuilder::new()
                .map_response(retry_after)
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    REQUEST_TIMEOUT,
                ))
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                    MAX_IN_FLIGHT,
                ))
                .map_response(|r: Response<tower_http::limit::ResponseBody<Body>>| r.map(Body::new))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY)),
        );
    crate::page_cache::Cached::new(pages, router)
}

/// Brotli or gzip, by `Accept-Encoding`, for what is made per request: server-function and API
/// JSON (the data of every page reached by navigation). Pages go to the page cache uncompressed
/// (it splices each response's count and nonce into them); the site's files come precompressed.
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    use tower_http::compression::{CompressionLayer, CompressionLevel, DefaultPredicate};
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .quality(CompressionLevel::Precise(5))
        .compress_when(
            DefaultPredicate::new()
                .and(NotForContentType::const_new("text/html"))
                // Downloads go as stored, with their length.
                .and(
                    |_: StatusCode, _: http::Version, h: &HeaderMap, _: &http::Extensions| {
                        !h.contains_key(header::CONTENT_DISPOSITION)
                    },
                ),
        )
}

/// Seconds a client is told to wait before asking again when the service is unavailable.
const RETRY_AFTER_SECS: &str = "5";

/// Every 503 (database unreachable, too slow, too busy) says when to try again.
fn retry_after(mut res: Response) -> Response {
    if res.status() == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(header::HeaderValue::from_static(RETRY_AFTER_SECS));
    }
    res
}

/// Longest `/readyz` waits for the database.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

fn health(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        text,
    )
        .into_response()
}

/// The process is up and answering.
async fn healthz() -> Response {
    health(StatusCode::OK, "ok\n")
}

/// The process can serve: its database answers (within [`READY_WITHIN`]) and is migrated.
async fn readyz(State(db): State<Arc<dyn crate::db::Database>>) -> Response {
    match tokio::time::timeout(READY_WITHIN, db.ready()).await {
        Ok(Ok(true)) => health(StatusCode::OK, "ready\n"),
        Ok(Ok(false)) => health(StatusCode::SERVICE_UNAVAILABLE, "database not migrated\n"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            health(StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
        }
        Err(_) => health(StatusCode::SERVICE_UNAVAILABLE, "database too slow\n"),
    }
}

/// The app's page routes, read from it once per process.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| leptos_axum::generate_route_list(app::AppRoutes))
        .clone()
}

/// Pages are rendered with the reader's preference cookie: caches must key on it.
async fn vary_on_cookie(mut res: Response) -> Response {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        res.headers_mut()
            .append(header::VARY, HeaderValue::from_static("Cookie"));
        // A page rendered without all it needs says `no-store` itself.
        if !res.headers().contains_key(header::CACHE_CONTROL) {
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
        }
    }
    res
}

/// A server function's error is sent as 500 whatever it was; give it its own status (400 for
/// arguments that could not be read, 404 for what does not exist).
async fn server_fn_status(res: Response) -> Response {
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut head, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        head.status = StatusCode::from_u16(error.status()).unwrap_or(head.status);
    }
    Response::from_parts(head, Body::from(bytes))
}

/// The toolbar and the 无障碍 panel without JavaScript: `/prefs?back=/path&variant=zh-Hant` (or a
/// style preference by its name: `font-size=large`, `cursor=toggle`…, or `reset=1`) stores the
/// choice in the cookie and sends the reader back, to the chosen variant if the address named one.
async fn prefs(headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let values = |k: &str| app::query::value(&query, k);
    let (variant, back) = (values("variant"), values("back"));
    let mut p = Prefs::from_cookies(&headers);
    let mut valid = true;
    if values("reset").is_some() {
        p = p.reset();
    }
    if let Some(v) = &variant {
        match v.parse() {
            Ok(v) => p.variant = v,
            Err(()) => valid = false,
        }
    }
    for pref in StylePref::ALL {
        if let Some(tag) = values(pref.name()) {
            valid &= p.set_tag(pref, &tag).is_ok();
        }
    }
    if !valid {
        return (StatusCode::BAD_REQUEST, "unknown preference value").into_response();
    }
    let back = safe_back(back.as_deref().unwrap_or("/"), variant.and(Some(p.variant)));
    let cookie = p.cookie();
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, back)
        .header(header::SET_COOKIE, cookie)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A same-site path to return to; an explicit `variant` in it follows the new choice.
fn safe_back(back: &str, variant: Option<app::variant::Variant>) -> String {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if !ok {
        return "/".into();
    }
    match (back.split_once('?'), variant) {
        (Some((path, query)), Some(v)) if app::query::variant(query).is_some() => {
            format!("{path}?{}", app::query::with_variant(query, v))
        }
        _ => back.to_owned(),
    }
}

/// Files of the built site; anything else is no page of the app's routes, so the app renders its
/// 404 page (whole, with its status).
async fn fallback(State(state): State<AppState>, req: Request<Body>) -> Response {
    if let Some(res) = crate::assets::response(req.uri().path(), req.headers()) {
        return res;
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let options = state.leptos_options.clone();
    let render =
        leptos_axum::render_app_async_with_context(state.context(), move || shell(options.clone()));
    render(req).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_app_pages_are_axum_routes() {
        let paths: Vec<String> = super::routes()
            .iter()
            .map(|r| r.path().to_owned())
            .collect();
        for want in ["/", "/channels/{slug}", "/articles/{id}"] {
            assert!(paths.iter().any(|p| p == want), "{want} in {paths:?}");
        }
    }
}
