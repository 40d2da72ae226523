use leptos::prelude::*;

/// Site header, the reading toolbar, the page's content and the footer.
#[component]
pub fn Layout(#[prop(into)] site: String, children: Children) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="site-name" href="/">
                {site.clone()}
            </a>
        </header>
        <super::toolbar::Toolbar/>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{site}</p>
        </footer>
    }
}
