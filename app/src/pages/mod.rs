pub mod article;
pub mod channel;
pub mod errors;
pub mod home;

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(code)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_code),
    ) {
        res.set_status(code);
    }
}
