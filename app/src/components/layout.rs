use crate::route::link;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// Skip link, site header, the reading toolbar, the page's content and the footer.
#[component]
pub fn Layout(ui: Ui, #[prop(into)] site: String, children: Children) -> impl IntoView {
    let site = if site.is_empty() {
        ui.t(T::BackHome)
    } else {
        site
    };
    view! {
        <a class="skip-link" href="#main">{ui.t(T::SkipLink)}</a>
        <header class="site-header">
            <a class="site-name" href=link("/")>
                {site.clone()}
            </a>
        </header>
        <super::toolbar::Toolbar ui=ui.clone()/>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{site}</p>
        </footer>
    }
}
