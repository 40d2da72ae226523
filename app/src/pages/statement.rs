//! `/accessibility`: the accessibility statement (无障碍声明): what the site offers, its shortcuts,
//! the standards it aims at and its known gaps. Interface text, so in each variant with the
//! region's own words.

use crate::components::head::{Head, PageHead};
use crate::components::layout::Layout;
use crate::page::UiResource;
use crate::reader::use_reader;
use crate::ui::{T, Ui};
use leptos::prelude::*;

#[derive(Debug)]
pub struct StatementPage;

#[leptos_router::lazy_route]
impl leptos_router::LazyRoute for StatementPage {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! {
            <Transition>
                {move || Suspend::new(async move {
                    let ui = UiResource::get().await;
                    view! { <Statement ui/> }
                })}
            </Transition>
        }
        .into_any()
    }
}

#[component]
fn Statement(ui: Ui) -> impl IntoView {
    let reader = use_reader();
    let title = ui.t(T::Statement);
    let head = Head {
        title: format!("{title} - {}", ui.site),
        description: Some(ui.t(T::StatementIntro)),
        url: Some(format!(
            "{}{}",
            ui.base_url,
            crate::address::accessibility_path()
        )),
        variant: reader.variant.get_untracked(),
        ..Head::default()
    };
    super::arrived(&title);
    let list = |items: &[T]| {
        let items: Vec<String> = items.iter().map(|t| ui.t(*t)).collect();
        view! { <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }
    };
    let offers = list(&[
        T::OfferScript,
        T::OfferFont,
        T::OfferContrast,
        T::OfferRead,
        T::OfferAids,
        T::OfferKept,
    ]);
    let standards = list(&[T::StandardWcag, T::StandardGb, T::StandardMiit]);
    let gaps = list(&[T::GapVoices, T::GapImages, T::GapScript, T::GapLoading]);
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=ui.site.clone()>
            <article class="statement">
                <h1>{title}</h1>
                <p>{ui.t(T::StatementIntro)}</p>
                <h2>{ui.t(T::Offers)}</h2>
                {offers}
                <h2 id="shortcuts">{ui.t(T::Shortcuts)}</h2>
                <div class="shortcut-list" inner_html=crate::components::help::shortcut_table(&ui)></div>
                <h2>{ui.t(T::Standards)}</h2>
                {standards}
                <h2>{ui.t(T::Gaps)}</h2>
                {gaps}
            </article>
        </Layout>
    }
}
