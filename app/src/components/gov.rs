//! What a government article page carries beyond the article: 政务公开 metadata, 附件, 相关链接
//! and 分享到.

use crate::model::{Attachment, GovInfo, RelatedLink, Validity, file_size};
use crate::qr::Qr;
use crate::ui::{T, Ui};
use leptos::prelude::*;

/// The 政务公开 table above the title, two fields a row, as policy documents show it.
#[component]
pub fn GovTable(ui: Ui, info: GovInfo) -> impl IntoView {
    let validity = info.validity.map(|v| {
        ui.t(match v {
            Validity::Valid => T::Valid,
            Validity::Expired => T::Expired,
            Validity::Repealed => T::Repealed,
        })
    });
    let fields: Vec<(String, String)> = [
        (T::IndexNumber, info.index_number),
        (T::Issuer, info.issuer),
        (T::DocumentNumber, info.document_number),
        (T::WrittenOn, info.written_on),
        (T::PublishedOn, info.published_on),
        (T::Topic, info.topic),
        (T::Keywords, info.keywords),
        (T::Validity, validity),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some((ui.t(label), value?)))
    .collect();
    let rows: Vec<Vec<(String, String)>> = fields.chunks(2).map(<[_]>::to_vec).collect();
    view! {
        <table class="gov-info">
            <caption class="visually-hidden">{ui.t(T::GovInfo)}</caption>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        view! {
                            <tr>
                                {row
                                    .into_iter()
                                    .map(|(label, value)| view! { <th scope="row">{label}</th><td>{value}</td> })
                                    .collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// 附件 under the body: name, then format and size (附件1：…（PDF，1.2 MB）).
#[component]
pub fn Attachments(ui: Ui, files: Vec<Attachment>) -> impl IntoView {
    view! {
        <section class="attachments" aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">{ui.t(T::Attachments)}</h2>
            <ul>
                {files
                    .into_iter()
                    .map(|f| {
                        let meta = match (f.format.is_empty(), f.size) {
                            (true, None) => String::new(),
                            (false, None) => format!("（{}）", f.format),
                            (true, Some(n)) => format!("（{}）", file_size(n)),
                            (false, Some(n)) => format!("（{}，{}）", f.format, file_size(n)),
                        };
                        // `rel=external`: a file, not a page for the router.
                        view! {
                            <li>
                                <a href=f.url rel="external" data-format=f.format.clone()>{f.name}</a>
                                <span class="file-meta">{meta}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// 相关链接: links on this site are followed in place, others leave it.
#[component]
pub fn Related(ui: Ui, links: Vec<RelatedLink>) -> impl IntoView {
    view! {
        <nav class="related" aria-labelledby="related-heading">
            <h2 id="related-heading">{ui.t(T::Related)}</h2>
            <ul>
                {links
                    .into_iter()
                    .map(|l| {
                        if l.url.starts_with('/') {
                            view! { <li><a href=crate::route::link(l.url)>{l.title}</a></li> }.into_any()
                        } else {
                            view! { <li><a href=l.url rel="external noopener noreferrer">{l.title}</a></li> }
                                .into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// 分享到: the page's address in the variant shown as a QR code (drawn here, in the page, for
/// 微信扫一扫), and with JavaScript a copy button and the system's share sheet where there is one.
#[component]
pub fn Share(ui: Ui, url: String, qr: Option<Qr>) -> impl IntoView {
    let live = RwSignal::new(false);
    let can_share = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    Effect::new(move || {
        live.set(true);
        #[cfg(feature = "hydrate")]
        can_share.set(browser::can_share());
    });
    let copy = {
        let (url, ui) = (url.clone(), ui.clone());
        move |_| {
            #[cfg(feature = "hydrate")]
            browser::copy(url.clone(), ui.t(T::Copied), ui.t(T::CopyFailed), status);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&url, &ui);
        }
    };
    let share = {
        let url = url.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            browser::share(&url);
            #[cfg(not(feature = "hydrate"))]
            let _ = &url;
        }
    };
    let code = qr.map(|qr| {
        let side = qr.width + 2 * crate::qr::QUIET;
        let quiet = format!("-{}", crate::qr::QUIET);
        view! {
            <figure class="share-qr">
                <svg
                    viewBox=qr.view_box()
                    width="144"
                    height="144"
                    role="img"
                    aria-label=ui.t(T::QrLabel)
                    data-url=url.clone()
                >
                    <rect x=quiet.clone() y=quiet width=side height=side fill="#fff"></rect>
                    <path d=qr.path() fill="#000"></path>
                </svg>
                <figcaption>{ui.t(T::ShareQr)}</figcaption>
            </figure>
        }
    });
    view! {
        <section class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ui.t(T::Share)}</h2>
            {code}
            <div class="share-actions" hidden=move || !live.get()>
                <button type="button" class="share-copy" on:click=copy>{ui.t(T::CopyLink)}</button>
                <button type="button" class="share-system" hidden=move || !can_share.get() on:click=share>
                    {ui.t(T::ShareSystem)}
                </button>
                <p class="share-status" role="status">{move || status.get()}</p>
            </div>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsValue;

    pub fn can_share() -> bool {
        js_sys::Reflect::has(&window().navigator(), &JsValue::from_str("share")).unwrap_or(false)
    }

    pub fn copy(url: String, done: String, failed: String, status: RwSignal<String>) {
        let promise = window().navigator().clipboard().write_text(&url);
        wasm_bindgen_futures::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            status.set(if ok { done } else { failed });
        });
    }

    pub fn share(url: &str) {
        let data = web_sys::ShareData::new();
        data.set_url(url);
        data.set_title(&document().title());
        // Dismissing the sheet rejects the promise: nothing to report.
        let _ = window().navigator().share_with_data(&data);
    }
}
