//! What a government article page carries beyond the article: 政务公开 metadata, 附件, 相关链接
//! and 分享到. The static parts are written as HTML here (escaped) and set as `inner_html`: a
//! view tree per element cost 16 KB brotli of wasm on the article's first load (measured against
//! these strings), and nothing in them changes while shown.

use crate::model::{Attachment, GovInfo, RelatedLink, Validity, file_size};
use crate::qr::Qr;
use crate::ui::{T, Ui};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
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
/// 微信扫一扫), and with JavaScript a copy button and the system's share sheet where there is one
/// (shown by [`wire`]; the words it shows after a press ride on the button).
pub fn share(ui: &Ui, url: &str, qr: Option<&Qr>) -> String {
    let code = qr
        .map(|qr| {
            format!(
                "{}<figcaption>{}</figcaption>",
                qr_svg(qr, &ui.t(T::QrLabel), url),
                text(&ui.t(T::ShareQr))
            )
        })
        .unwrap_or_default();
    format!(
        "<section class=\"share\" aria-labelledby=\"share-heading\"><h2 id=\"share-heading\">{}</h2>\
         <figure class=\"share-qr\">{code}</figure><div class=\"share-actions\" hidden>\
         <button type=\"button\" class=\"share-copy\" data-url=\"{}\" data-done=\"{}\" data-failed=\"{}\">{}</button>\
         <button type=\"button\" class=\"share-system\" data-url=\"{}\" hidden>{}</button>\
         <p class=\"share-status\" role=\"status\"></p></div></section>",
        text(&ui.t(T::Share)),
        attr(url),
        attr(&ui.t(T::Copied)),
        attr(&ui.t(T::CopyFailed)),
        text(&ui.t(T::CopyLink)),
        attr(url),
        text(&ui.t(T::ShareSystem)),
    )
}

/// 我要纠错: a form that posts to `/report` (without JavaScript: the server answers with the
/// thank-you page); with JavaScript ([`wire`]) sent in place, the text the reader selected in the
/// article as the excerpt. The words it shows while sending ride on the form.
pub fn report_form(ui: &Ui, id: &str, variant: &str) -> String {
    let label = |t: T| text(&ui.t(t)).into_owned();
    format!(
        "<details class=\"report\" id=\"report\"><summary>{}</summary>\
         <form class=\"report-form\" method=\"post\" action=\"/report\" data-sending=\"{}\" data-sent=\"{}\" data-failed=\"{}\">\
         <input type=\"hidden\" id=\"report-article\" name=\"article\" value=\"{}\">\
         <input type=\"hidden\" id=\"report-variant\" name=\"variant\" value=\"{}\">\
         <p><label for=\"report-excerpt\">{}</label><textarea id=\"report-excerpt\" name=\"excerpt\" maxlength=\"200\" rows=\"2\"></textarea></p>\
         <p><label for=\"report-description\">{}</label><textarea id=\"report-description\" name=\"description\" required maxlength=\"2000\" rows=\"5\"></textarea></p>\
         <p><label for=\"report-contact\">{}</label><input id=\"report-contact\" name=\"contact\" maxlength=\"100\" autocomplete=\"off\"></p>\
         <button type=\"submit\">{}</button><p class=\"report-status\" role=\"status\"></p></form></details>",
        label(T::Report),
        attr(&ui.t(T::Sending)),
        attr(&ui.t(T::ReportSent)),
        attr(&ui.t(T::ReportFailed)),
        attr(id),
        attr(variant),
        label(T::ReportExcerpt),
        label(T::ReportDescription),
        label(T::ReportContact),
        label(T::Submit),
    )
}

/// Makes 分享到, 我要纠错 and 打印本页 in `el` work once the page runs: shows what needs
/// JavaScript, and (once for the app) listens on the window for their presses. A directive.
pub fn wire(el: leptos::tachys::renderer::types::Element, _: ()) {
    #[cfg(feature = "hydrate")]
    browser::wire(el);
    #[cfg(not(feature = "hydrate"))]
    let _ = el;
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
    use std::cell::Cell;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        static LISTENING: Cell<bool> = const { Cell::new(false) };
    }

    pub fn wire(el: web_sys::Element) {
        let show = |selector: &str| {
            if let Ok(Some(e)) = el.query_selector(selector) {
                let _ = e.remove_attribute("hidden");
            }
        };
        show(".share-actions");
        if can_share() {
            show(".share-system");
        }
        if LISTENING.replace(true) {
            return;
        }
        let click = window_event_listener_untyped("click", |ev| {
            let Some(target) = target(&ev) else { return };
            let closest = |s: &str| target.closest(s).ok().flatten();
            if let Some(b) = closest(".share-copy") {
                copy(b)
            } else if let Some(b) = closest(".share-system") {
                share(&b.get_attribute("data-url").unwrap_or_default())
            } else if closest(".print-button").is_some() {
                let _ = window().print();
            }
        });
        let submit = window_event_listener_untyped("submit", |ev| {
            if let Some(form) = target(&ev).filter(|f| f.matches(".report-form").unwrap_or(false)) {
                ev.prevent_default();
                send_in_place(form)
            }
        });
        // The selection is read before the press on 我要纠错 can clear it.
        let capture = |ev: web_sys::Event| {
            if target(&ev).is_some_and(|t| t.closest("#report > summary").ok().flatten().is_some())
            {
                take_selection()
            }
        };
        let down = window_event_listener_untyped("pointerdown", capture);
        let key = window_event_listener_untyped("keydown", capture);
        // The app lives as long as the page.
        std::mem::forget((click, submit, down, key));
    }

    fn target(ev: &web_sys::Event) -> Option<web_sys::Element> {
        ev.target()?.dyn_into().ok()
    }

    fn can_share() -> bool {
        js_sys::Reflect::has(&window().navigator(), &JsValue::from_str("share")).unwrap_or(false)
    }

    /// Copies the button's address; the line after it says whether that worked.
    fn copy(button: web_sys::Element) {
        let data = |name: &str| button.get_attribute(name).unwrap_or_default();
        let (done, failed) = (data("data-done"), data("data-failed"));
        let promise = window()
            .navigator()
            .clipboard()
            .write_text(&data("data-url"));
        let status = button
            .closest(".share-actions")
            .ok()
            .flatten()
            .and_then(|a| a.query_selector(".share-status").ok().flatten());
        wasm_bindgen_futures::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            if let Some(status) = status {
                status.set_text_content(Some(if ok { &done } else { &failed }));
            }
        });
    }

    /// Sends the report form in place; its status line says how that went.
    fn send_in_place(form: web_sys::Element) {
        let data = |name: &str| form.get_attribute(name).unwrap_or_default();
        let (sending, sent, failed) =
            (data("data-sending"), data("data-sent"), data("data-failed"));
        let Some(status) = form.query_selector(".report-status").ok().flatten() else {
            return;
        };
        status.set_text_content(Some(&sending));
        leptos::task::spawn_local(async move {
            let line = super::send_report(sent, failed).await;
            status.set_text_content(Some(&line));
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
    fn take_selection() {
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

    fn share(url: &str) {
        let data = web_sys::ShareData::new();
        data.set_url(url);
        data.set_title(&document().title());
        // Dismissing the sheet rejects the promise: nothing to report.
        let _ = window().navigator().share_with_data(&data);
    }
}
