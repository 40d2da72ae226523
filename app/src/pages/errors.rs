use crate::components::layout::Layout;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

const SITE: &str = "梅州市人民政府门户网站";

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound/> }
}

/// The page for anything that went wrong; sets the matching status and says nothing of internals.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    let status = match error {
        AppError::BadRequest(_) | AppError::NotFound => 404,
        other => other.status(),
    };
    super::set_status(status);
    let (heading, text) = if status == 404 {
        ("页面不存在", "您要查看的页面不存在或已被移除。")
    } else {
        ("服务暂时不可用", "服务器暂时无法完成请求,请稍后再试。")
    };
    view! {
        <Title text=format!("{heading} - {SITE}")/>
        <Meta name="robots" content="noindex"/>
        <Layout site=SITE>
            <section class="error-page" data-status=status>
                <h1>{heading}</h1>
                <p>{text}</p>
                <p>
                    <a href="/">"返回首页"</a>
                </p>
            </section>
        </Layout>
    }
}
