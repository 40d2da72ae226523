use crate::ui::{T, Ui};
use crate::variant::Variant;
use leptos::prelude::*;
use leptos_meta::Link;

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
            <a class="site-name" href="/">
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

/// `rel=canonical` for the variant shown, and `hreflang` alternates for every variant of `url`
/// (an absolute URL without query).
#[component]
pub fn VariantLinks(url: String, variant: Variant) -> impl IntoView {
    let href = move |v: Variant| match v {
        Variant::Hans => url.clone(),
        v => format!("{url}?variant={}", v.tag()),
    };
    view! {
        <Link rel="canonical" href=href(variant)/>
        {Variant::ALL
            .into_iter()
            .map(|v| view! { <Link rel="alternate" hreflang=v.tag() href=href(v)/> })
            .collect_view()}
        <Link rel="alternate" hreflang="x-default" href=href(Variant::Hans)/>
    }
}
