//! The portal's pages: rendered on the server, hydrated in the browser.

pub mod api;
pub mod components;
pub mod error;
pub mod format;
pub mod model;
pub mod pages;
pub mod persist;
pub mod reader;
#[cfg(feature = "ssr")]
pub mod storage;
pub mod ui;
pub mod variant;

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// Name of the built bundle (`/pkg/portal.js`, `/pkg/portal.css`, …).
pub const OUTPUT_NAME: &str = "portal";

/// The HTML document around the app, rendered only on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let assets = use_context::<AssetPaths>().unwrap_or_default();
    // The bundle's own loader, pointed at the (content-hashed) file names.
    let hydrate = format!(
        "import({:?}).then(m => m.default({{module_or_path: {:?}}}).then(() => m.hydrate()))",
        assets.js, assets.wasm
    );
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/png" href="/favicon.png"/>
                <link id="leptos" rel="stylesheet" href=assets.css/>
                <AutoReload options/>
                <link rel="modulepreload" href=assets.js.clone()/>
                <link
                    rel="preload"
                    href=assets.wasm.clone()
                    r#as="fetch"
                    r#type="application/wasm"
                    crossorigin=""
                />
                <script type="module">{hydrate}</script>
                <MetaTags/>
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
}

impl Default for AssetPaths {
    fn default() -> Self {
        Self {
            js: format!("/pkg/{OUTPUT_NAME}.js"),
            wasm: format!("/pkg/{OUTPUT_NAME}.wasm"),
            css: format!("/pkg/{OUTPUT_NAME}.css"),
        }
    }
}

/// The interface text for the reader's variant, shared by every page.
#[derive(Clone, Copy)]
pub struct UiResource(pub Resource<Result<ui::Ui, error::AppError>>);

impl UiResource {
    pub async fn get() -> ui::Ui {
        match use_context::<UiResource>() {
            Some(r) => r.0.await.unwrap_or_default(),
            None => ui::Ui::default(),
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let reader = reader::provide_reader();
    provide_context(UiResource(Resource::new(
        move || reader.variant.get(),
        api::get_ui,
    )));
    Effect::new(move || {
        persist::watch(reader);
        // Marks the document once hydration has run (effects run only in the browser).
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Html
            {..}
            lang=move || reader.variant.get().tag()
            data-font-size=move || reader.font_size.get().as_str()
            data-contrast=move || reader.contrast.get().as_str()
        />
        <Router>
            <Routes fallback=|| view! { <pages::errors::NotFound/> }>
                <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async/>
                <Route
                    path=path!("/channels/:slug")
                    view=pages::channel::ChannelView
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/articles/:id")
                    view=pages::article::ArticleView
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
