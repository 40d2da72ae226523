//! The HTTP surface: Leptos pages and server functions, the JSON API, the embedded site files.

use app::storage::{SharedStorage, SiteConfig};
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub storage: SharedStorage,
    pub site: SiteConfig,
}

impl AppState {
    fn context(&self) -> impl Fn() + Clone + Send + Sync + 'static {
        let storage = self.storage.clone();
        let site = self.site.clone();
        move || {
            provide_context(storage.clone());
            provide_context(site.clone());
        }
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    Router::new()
        .nest("/api", crate::api::router())
        .leptos_routes_with_context(&state, routes, state.context(), move || {
            shell(options.clone())
        })
        .fallback(fallback)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Files of the built site; anything else is the app's 404 page.
async fn fallback(State(state): State<AppState>, req: Request<Body>) -> Response {
    if let Some(res) = crate::assets::response(req.uri().path(), req.headers()) {
        return res;
    }
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_to_stream_with_context(state.context(), move || {
        shell(options.clone())
    });
    let mut res = render(req).await.into_response();
    if res.status() == StatusCode::OK {
        *res.status_mut() = StatusCode::NOT_FOUND;
    }
    res
}

/// Leptos options from cargo-leptos' environment when present, else this build's defaults.
pub fn leptos_options(addr: std::net::SocketAddr) -> LeptosOptions {
    let from_env = std::env::var_os("LEPTOS_OUTPUT_NAME").is_some()
        || option_env!("LEPTOS_OUTPUT_NAME").is_some();
    let mut options = from_env
        .then(|| get_configuration(None).ok())
        .flatten()
        .map(|c| c.leptos_options)
        .unwrap_or_else(|| {
            LeptosOptions::builder()
                .output_name(app::OUTPUT_NAME)
                .build()
        });
    options.site_addr = addr;
    options
}
