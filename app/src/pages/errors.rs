use crate::components::head::{Head, PageHead};
use crate::components::layout::Layout;
use crate::error::AppError;
use crate::page::UiResource;
use crate::route::link;
use crate::ui::{T, Ui};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let ui = UiResource::get().await;
                view! { <ErrorPage ui error=AppError::NotFound/> }
            })}
        </Transition>
    }
}

/// The page for anything that went wrong; sets the matching status and says nothing of internals.
#[component]
pub fn ErrorPage(ui: Ui, error: AppError) -> impl IntoView {
    let status = match error {
        AppError::BadRequest(_) | AppError::NotFound => 404,
        other => other.status(),
    };
    super::set_status(status);
    let (heading, text) = if status == 404 {
        (ui.t(T::NotFound), ui.t(T::NotFoundText))
    } else {
        (ui.t(T::Unavailable), ui.t(T::UnavailableText))
    };
    let head = Head {
        title: heading.clone(),
        noindex: true,
        ..Head::default()
    };
    super::arrived(&heading);
    view! {
        <PageHead head/>
        <Layout ui=ui.clone() site=ui.site.clone()>
            <section class="error-page" data-status=status>
                <h1>{heading}</h1>
                <p>{text}</p>
                <p>
                    <a href=link("/")>{ui.t(T::BackHome)}</a>
                </p>
            </section>
        </Layout>
    }
}
