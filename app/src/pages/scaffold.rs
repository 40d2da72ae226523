//! The frame every page made from one resource shares.

/// A page made from one resource: the page once its data is in, else the error page; the page
/// shown before stays until then (`Transition`: no loading state, on the server or after a click).
pub fn resource_page<T, V>(
    data: leptos::prelude::Resource<Result<T, crate::error::AppError>>,
    page: impl Fn(crate::ui::Ui, T) -> V + Clone + Send + Sync + 'static,
) -> impl leptos::prelude::IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: leptos::prelude::IntoView + 'static,
{
    use super::errors::ErrorPage;
    use leptos::prelude::*;
    view! {
        <Transition>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    let ui = crate::page::UiResource::get().await;
                    match data.await {
                        Ok(data) => page(ui, data).into_any(),
                        Err(error) => view! { <ErrorPage ui error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
