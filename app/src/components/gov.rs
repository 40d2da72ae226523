//! What a government article page carries beyond the article: 政务公开 metadata, 附件, 相关链接
//! and 分享到. The static parts are written as HTML here (escaped) and set as `inner_html`: a
//! view tree per element cost 16 KB brotli of wasm on the article's first load (measured against
//! these strings), and nothing in them changes while shown.

use crate::model::{Attachment, GovInfo, RelatedLink, Validity, file_size};
use crate::qr::Qr;
use crate::ui::{T, Ui};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use leptos::prelude::*;
use std::fmt::Write;

/// The 政务公开 table above the title, two fields a row, as policy documents show it.
pub fn gov_table(ui: &Ui, info: &GovInfo) -> String {
    let validity = info.validity.map(|v| {
        ui.t(match v {
            Validity::Valid => T::Valid,
            Validity::Expired => T::Expired,
            Validity::Repealed => T::Repealed,
        })
    });
    let fields: Vec<(String, &str)> = [
        (T::IndexNumber, info.index_number.as_deref()),
        (T::Issuer, info.issuer.as_deref()),
        (T::DocumentNumber, info.document_number.as_deref()),
        (T::WrittenOn, info.written_on.as_deref()),
        (T::PublishedOn, info.published_on.as_deref()),
        (T::Topic, info.topic.as_deref()),
        (T::Keywords, info.keywords.as_deref()),
        (T::Validity, validity.as_deref()),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some((ui.t(label), value?)))
    .collect();
    let mut html = format!(
        "<table class=\"gov-info\"><caption class=\"visually-hidden\">{}</caption><tbody>",
        text(&ui.t(T::GovInfo))
    );
    for row in fields.chunks(2) {
        html.push_str("<tr>");
        for (label, value) in row {
            let _ = write!(
                html,
                "<th scope=\"row\">{}</th><td>{}</td>",
                text(label),
                text(value)
            );
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// 附件 under the body: name, then format and size (附件1：…（PDF，1.2 MB）). `rel=external`: a
/// file, not a page for the router.
pub fn attachments(ui: &Ui, files: &[Attachment]) -> String {
    let mut html = format!(
        "<h2 id=\"attachments-heading\">{}</h2><ul>",
        text(&ui.t(T::Attachments))
    );
    for f in files {
        let meta = match (f.format.is_empty(), f.size) {
            (true, None) => String::new(),
            (false, None) => format!("（{}）", f.format),
            (true, Some(n)) => format!("（{}）", file_size(n)),
            (false, Some(n)) => format!("（{}，{}）", f.format, file_size(n)),
        };
        let _ = write!(
            html,
            "<li><a href=\"{}\" rel=\"external\">{}</a><span class=\"file-meta\">{}</span></li>",
            attr(&f.url),
            text(&f.name),
            text(&meta)
        );
    }
    html.push_str("</ul>");
    html
}

/// 相关链接: links on this site (`href` writes them as the router's links do) are followed in
/// place, others leave the site.
pub fn related(ui: &Ui, links: &[RelatedLink], href: impl Fn(&str) -> String) -> String {
    let mut html = format!(
        "<h2 id=\"related-heading\">{}</h2><ul>",
        text(&ui.t(T::Related))
    );
    for l in links {
        let (url, rel) = if l.url.starts_with('/') {
            (href(&l.url), "")
        } else {
            (l.url.clone(), " rel=\"external noopener noreferrer\"")
        };
        let _ = write!(
            html,
            "<li><a href=\"{}\"{rel}>{}</a></li>",
            attr(&url),
            text(&l.title)
        );
    }
    html.push_str("</ul>");
    html
}

/// The QR code as SVG: black modules on white, whatever the contrast, with the quiet zone.
fn qr_svg(qr: &Qr, label: &str, url: &str) -> String {
    let side = qr.width + 2 * crate::qr::QUIET;
    let q = crate::qr::QUIET;
    format!(
        "<svg viewBox=\"{}\" width=\"144\" height=\"144\" role=\"img\" aria-label=\"{}\" data-url=\"{}\">\
         <rect x=\"-{q}\" y=\"-{q}\" width=\"{side}\" height=\"{side}\" fill=\"#fff\"></rect>\
         <path d=\"{}\" fill=\"#000\"></path></svg>",
        qr.view_box(),
        attr(label),
        attr(url),
        qr.path()
    )
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
    let code = qr
        .map(|qr| {
            format!(
                "{}<figcaption>{}</figcaption>",
                qr_svg(&qr, &ui.t(T::QrLabel), &url),
                text(&ui.t(T::ShareQr))
            )
        })
        .unwrap_or_default();
    view! {
        <section class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ui.t(T::Share)}</h2>
            <figure class="share-qr" inner_html=code></figure>
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

/// 我要纠错: a form that posts to `/report` (without JavaScript: the server answers with the
/// thank-you page), in place with JavaScript, the text the reader selected in the article as the
/// excerpt.
#[component]
pub fn ReportForm(ui: Ui, id: String) -> impl IntoView {
    let reader = crate::reader::use_reader();
    let status = RwSignal::new(String::new());
    let variant = reader.variant.get_untracked().tag();
    // Read before the press on 我要纠错 can clear the selection.
    let capture = move || {
        #[cfg(feature = "hydrate")]
        browser::take_selection();
    };
    let submit = {
        let ui = ui.clone();
        move |ev: leptos::ev::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            {
                ev.prevent_default();
                status.set(ui.t(T::Sending));
                let (sent, failed) = (ui.t(T::ReportSent), ui.t(T::ReportFailed));
                leptos::task::spawn_local(async move {
                    status.set(send_report(sent, failed).await);
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, &ui);
        }
    };
    view! {
        <details class="report" id="report">
            <summary on:pointerdown=move |_| capture() on:keydown=move |_| capture()>{ui.t(T::Report)}</summary>
            <form class="report-form" method="post" action="/report" on:submit=submit>
                <input type="hidden" id="report-article" name="article" value=id/>
                <input type="hidden" id="report-variant" name="variant" value=variant/>
                <p>
                    <label for="report-excerpt">{ui.t(T::ReportExcerpt)}</label>
                    <textarea id="report-excerpt" name="excerpt" maxlength="200" rows="2"></textarea>
                </p>
                <p>
                    <label for="report-description">{ui.t(T::ReportDescription)}</label>
                    <textarea id="report-description" name="description" required maxlength="2000" rows="5"></textarea>
                </p>
                <p>
                    <label for="report-contact">{ui.t(T::ReportContact)}</label>
                    <input id="report-contact" name="contact" maxlength="100" autocomplete="off"/>
                </p>
                <button type="submit">{ui.t(T::Submit)}</button>
                <p class="report-status" role="status">{move || status.get()}</p>
            </form>
        </details>
    }
}

/// Posts the report form's fields in place; the line to show. Its own split chunk, fetched when
/// a reader first sends a report.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
pub async fn send_report(sent: String, failed: String) -> String {
    browser::send(sent, failed).await
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};

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

    fn field(id: &str) -> Option<web_sys::HtmlTextAreaElement> {
        document().get_element_by_id(id)?.dyn_into().ok()
    }

    fn value(id: &str) -> String {
        document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default()
    }

    /// The text selected in the article, as the excerpt, unless one is written already.
    pub fn take_selection() {
        let Some(excerpt) = field("report-excerpt") else {
            return;
        };
        let Some(sel) = window().get_selection().ok().flatten() else {
            return;
        };
        let in_article = sel
            .anchor_node()
            .and_then(|n| n.parent_element())
            .and_then(|e| e.closest(".article-body, .article").ok().flatten())
            .is_some();
        let text: String = String::from(sel.to_string())
            .trim()
            .chars()
            .take(200)
            .collect();
        if in_article && !text.is_empty() && excerpt.value().is_empty() {
            excerpt.set_value(&text);
        }
    }

    #[derive(serde::Deserialize)]
    struct Answer {
        reference: Option<String>,
        error: Option<Problem>,
    }

    #[derive(serde::Deserialize)]
    struct Problem {
        message: String,
    }

    pub async fn send(sent: String, failed: String) -> String {
        let text = |id: &str| field(id).map(|f| f.value()).unwrap_or_default();
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("article", &value("report-article"))
            .append_pair("variant", &value("report-variant"))
            .append_pair("excerpt", &text("report-excerpt"))
            .append_pair("description", &text("report-description"))
            .append_pair("contact", &value("report-contact"))
            .finish();
        let request = gloo_net::http::Request::post("/report")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(body);
        let Ok(response) = (match request {
            Ok(r) => r.send().await,
            Err(e) => Err(e),
        }) else {
            return failed;
        };
        match response.json::<Answer>().await {
            Ok(Answer {
                reference: Some(r), ..
            }) => {
                for id in ["report-excerpt", "report-description"] {
                    if let Some(f) = field(id) {
                        f.set_value("");
                    }
                }
                format!("{sent}{r}")
            }
            Ok(Answer { error: Some(p), .. }) => p.message,
            _ => failed,
        }
    }

    pub fn share(url: &str) {
        let data = web_sys::ShareData::new();
        data.set_url(url);
        data.set_title(&document().title());
        // Dismissing the sheet rejects the promise: nothing to report.
        let _ = window().navigator().share_with_data(&data);
    }
}
