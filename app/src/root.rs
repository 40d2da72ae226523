//! The document and the app: the HTML shell the server renders around the app, the reader's state,
//! and the router with the pages' routes.

use crate::page::{UiResource, mark};
use crate::{address, aids, api, pages, persist, preload, reader};
use leptos::prelude::*;

/// Name of the built bundle (`/pkg/portal.js`, `/pkg/portal.css`, …).
pub const OUTPUT_NAME: &str = "portal";

/// The HTML document around the app, rendered only on the server. `<html>` carries the reader's
/// preferences, so the first paint has them (the stylesheet keys on these attributes).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let assets = use_context::<AssetPaths>().unwrap_or_default();
    let prefs = reader::initial_prefs();
    let slots = use_context::<reader::StyleSlots>();
    let style =
        |pref: reader::StylePref| reader::style_value(slots, pref.name(), None, prefs.tag(pref));
    let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned());
    let chunks = assets.chunks_for(path.as_deref().unwrap_or("/"));
    // The split build's loader, which the bundle imports (named by the build, beside the bundle).
    let split_loader = (!assets.chunks.is_empty())
        .then(|| assets.js.rsplit_once('/'))
        .flatten()
        .map(|(dir, _)| format!("{dir}/__wasm_split.______________________.js"));
    // The bundle's own loader, pointed at the (content-hashed) file names.
    let hydrate = format!(
        "import({:?}).then(m => m.default({{module_or_path: {:?}}}).then(() => m.hydrate()))",
        assets.js, assets.wasm
    );
    view! {
        <!DOCTYPE html>
        <html
            lang=prefs.variant.tag()
            data-font-size=style(reader::StylePref::FontSize)
            data-contrast=style(reader::StylePref::Contrast)
            data-cursor=style(reader::StylePref::Cursor)
            data-guide=style(reader::StylePref::Guide)
            data-caption=style(reader::StylePref::Caption)
            data-spacing=style(reader::StylePref::Spacing)
        >
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/png" href="/favicon.png"/>
                <link id="leptos" rel="stylesheet" href=assets.css/>
                <AutoReload options/>
                <link rel="modulepreload" href=assets.js.clone()/>
                {split_loader.map(|href| view! { <link rel="modulepreload" href=href/> })}
                {std::iter::once(assets.wasm.clone())
                    .chain(chunks)
                    .map(|href| {
                        view! {
                            <link rel="preload" href=href r#as="fetch" r#type="application/wasm" crossorigin=""/>
                        }
                    })
                    .collect_view()}
                <script type="module" nonce=leptos::nonce::use_nonce()>{hydrate}</script>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Where the page finds the bundle. The server provides content-hashed names; these defaults are
/// the plain ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetPaths {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// Each lazy route view's split name and the chunks it needs.
    pub chunks: Vec<(String, Vec<String>)>,
}

impl AssetPaths {
    /// The chunks the page at `path` needs before it can hydrate, to fetch alongside the bundle.
    pub fn chunks_for(&self, path: &str) -> Vec<String> {
        let Some(route) = address::Route::of_path(path) else {
            return Vec::new();
        };
        let view = route.view_chunk();
        let mut urls: Vec<String> = self
            .chunks
            .iter()
            .filter(|(name, _)| name.starts_with(view))
            .flat_map(|(_, urls)| urls.iter().cloned())
            .collect();
        urls.dedup();
        urls
    }
}

impl Default for AssetPaths {
    fn default() -> Self {
        Self {
            js: format!("/pkg/{OUTPUT_NAME}.js"),
            wasm: format!("/pkg/{OUTPUT_NAME}.wasm"),
            css: format!("/pkg/{OUTPUT_NAME}.css"),
            chunks: Vec::new(),
        }
    }
}

/// The app: the reader's state, then the router. The first page is rendered by the server; after
/// hydration every internal link is followed in place, fetching only the new page's data.
#[component]
pub fn App() -> impl IntoView {
    leptos_meta::provide_meta_context();
    let reader = reader::provide_reader();
    provide_context(UiResource(Resource::new(
        move || reader.variant.get(),
        api::get_ui,
    )));
    // Before the router: its `popstate` listener may show a page at once, and the page must
    // already know it was reached by Back or Forward.
    pages::watch_history();
    Effect::new(move || {
        persist::watch(reader);
        preload::watch(reader);
        mark("portal:shell");
    });
    // The server wrote these into `<html>` and the toolbar's buttons; keep them in step with the
    // reader's choices.
    Effect::new(move || {
        let p = reader.tracked();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", p.variant.tag());
            for pref in reader::StylePref::ALL {
                let _ = root.set_attribute(&format!("data-{}", pref.name()), p.tag(pref));
            }
        }
        #[cfg(feature = "hydrate")]
        crate::components::toolbar::sync_pressed(p);
    });
    aids::watch(reader);
    crate::shortcuts::watch();
    #[cfg(feature = "hydrate")]
    crate::components::toolbar::watch(reader);
    view! {
        // Says the title of each page reached by navigation (`pages::arrived`).
        <div id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
        // 辅助线 (shown by the stylesheet when on; `aids` moves them).
        <div class="guide guide-x" aria-hidden="true"></div>
        <div class="guide guide-y" aria-hidden="true"></div>
        <AppRoutes/>
    }
}

/// The router and the pages' routes (also read alone by the server, to register them). Segments
/// and parameter names come from [`address`], which also reads each address back.
#[component]
pub fn AppRoutes() -> impl IntoView {
    use address::{ACCESSIBILITY, ARTICLES, CHANNELS, ID, SEARCH, SITE_MAP, SLUG};
    use leptos_router::components::{Route, Router, Routes};
    use leptos_router::{Lazy, ParamSegment, SsrMode, StaticSegment};
    view! {
        <Router>
            <Routes fallback=|| view! { <pages::errors::NotFound/> }>
                // Rendered whole before the first byte, so the status and `<head>` are right.
                <Route
                    path=()
                    view={Lazy::<pages::home::HomePage>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(CHANNELS), ParamSegment(SLUG))
                    view={Lazy::<pages::channel::ChannelRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(ARTICLES), ParamSegment(ID))
                    view={Lazy::<pages::article::ArticleRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(SEARCH),)
                    view={Lazy::<pages::search::SearchRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(ACCESSIBILITY),)
                    view={Lazy::<pages::statement::StatementPage>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(SITE_MAP),)
                    view={Lazy::<pages::site_map::SiteMapPage>::new()}
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_preloads_its_own_view_chunks() {
        let chunk = |n: &str| format!("/pkg/v/{n}.wasm");
        let assets = AssetPaths {
            chunks: vec![
                (
                    "__home_page_view_1".into(),
                    vec![chunk("chunk_1"), chunk("home")],
                ),
                (
                    "__channel_route_view_2".into(),
                    vec![chunk("chunk_1"), chunk("channel")],
                ),
                (
                    "__article_route_view_3".into(),
                    vec![chunk("chunk_2"), chunk("article")],
                ),
                ("prefetch_data_4".into(), vec![chunk("prefetch")]),
            ],
            ..AssetPaths::default()
        };
        assert_eq!(assets.chunks_for("/"), [chunk("chunk_1"), chunk("home")]);
        assert_eq!(
            assets.chunks_for("/channels/gzdt"),
            [chunk("chunk_1"), chunk("channel")]
        );
        assert_eq!(
            assets.chunks_for("/articles/x"),
            [chunk("chunk_2"), chunk("article")]
        );
        assert!(assets.chunks_for("/nowhere").is_empty());
    }
}
