//! 我要纠错: a reader reports an error on an article. `POST /report` (a form, with or without
//! JavaScript) checks that the post comes from this site (`Origin`, else `Sec-Fetch-Site`, else
//! `Referer`), its size (the router's body limit), its fields, and the reader's hourly limit, then
//! stores it as text; `GET /reports/{reference}` thanks the reader. Deployers read reports with
//! `server reports`. A report is never shown in a page.

use crate::db::{Database, DbError};
pub use crate::db::{NewReport, Report};
use app::storage::{SharedConverter, SiteConfig};
use app::variant::Variant;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

/// Characters a description may have.
pub const MAX_DESCRIPTION: usize = 2000;
/// Characters of the reader's selection kept with a report.
pub const MAX_EXCERPT: usize = 200;
/// Characters of the contact field.
pub const MAX_CONTACT: usize = 100;
/// Bytes a report's form may have: the longest (2,000 Chinese characters with its excerpt and
/// contact) is 21 KB percent-encoded. The router's limit (`web::MAX_BODY`) is this.
pub const MAX_BODY: usize = 32 * 1024;
/// Reports one client address may make in an hour.
pub const PER_HOUR: i64 = 10;

#[derive(Deserialize)]
struct Form {
    #[serde(default)]
    article: String,
    #[serde(default)]
    variant: String,
    #[serde(default)]
    excerpt: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contact: String,
}

/// Why a report was refused, said to the reader.
#[derive(Debug)]
enum Refused {
    CrossSite,
    NotAForm,
    TooLarge,
    Invalid(&'static str),
    NoSuchArticle,
    TooMany,
    /// The database failed (`true`: it cannot be reached now).
    Unavailable(bool, String),
}

impl Refused {
    fn status(&self) -> StatusCode {
        match self {
            Refused::CrossSite => StatusCode::FORBIDDEN,
            Refused::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Refused::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refused::Invalid(_) => StatusCode::BAD_REQUEST,
            Refused::NoSuchArticle => StatusCode::NOT_FOUND,
            Refused::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Refused::Unavailable(true, _) => StatusCode::SERVICE_UNAVAILABLE,
            Refused::Unavailable(false, _) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The reader's message, in Simplified (converted for the page's variant).
    fn message(&self) -> &'static str {
        match self {
            Refused::CrossSite => "请从本站的文章页提交纠错。",
            Refused::NotAForm => "提交的内容格式不正确。",
            Refused::TooLarge => "提交的内容太长。",
            Refused::Invalid(why) => why,
            Refused::NoSuchArticle => "要纠错的文章不存在。",
            Refused::TooMany => "提交过于频繁，请一小时后再试。",
            Refused::Unavailable(..) => "服务暂时不可用，请稍后再试。",
        }
    }
}

/// Whether the request comes from a page of this site: its `Origin` names the host it was sent
/// to; without one, `Sec-Fetch-Site` says `same-origin`; without either, its `Referer` does.
fn same_site(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
            .map(str::to_owned)
    };
    let get = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(origin) = get(header::ORIGIN) {
        return host.is_some() && authority(origin).as_deref() == host;
    }
    if let Some(site) = get(header::HeaderName::from_static("sec-fetch-site")) {
        return site == "same-origin";
    }
    match get(header::REFERER) {
        Some(referer) => host.is_some() && authority(referer).as_deref() == host,
        None => false,
    }
}

/// The reader's address: the connection's peer, or behind a proxy on this machine (the peer is
/// loopback) the last address of `X-Forwarded-For`, which that proxy appended.
fn client_address(req: &Request) -> String {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(|v| v.trim().to_owned());
    match (peer, forwarded) {
        (Some(ip), Some(f)) if ip.is_loopback() && !f.is_empty() => f,
        (Some(ip), _) => ip.to_string(),
        (None, f) => f.unwrap_or_else(|| "unknown".into()),
    }
}

/// Text as stored: trimmed, characters XML cannot carry dropped, at most `max` characters.
fn field(value: &str, max: usize, what: &'static str) -> Result<String, Refused> {
    let v: String = value
        .trim()
        .chars()
        .filter(|&c| crate::import::is_text_char(c))
        .collect();
    if v.chars().count() > max {
        return Err(Refused::Invalid(what));
    }
    Ok(v)
}

async fn accept(
    db: &Arc<dyn Database>,
    req: Request,
) -> Result<(String, String, Variant), (Refused, Option<String>, Variant)> {
    let fail = |r| (r, None, Variant::Hans);
    if !same_site(req.headers()) {
        return Err(fail(Refused::CrossSite));
    }
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(fail(Refused::NotAForm));
    }
    let client = client_address(&req);
    let body = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| fail(Refused::TooLarge))?;
    let form: Form = serde_urlencoded::from_bytes(&body).map_err(|_| fail(Refused::NotAForm))?;
    let variant: Variant = form.variant.parse().unwrap_or_default();
    let article = Some(form.article.clone()).filter(|id| app::model::is_valid_article_id(id));
    let fail = |r| (r, article.clone(), variant);
    let Some(article_id) = article.clone() else {
        return Err(fail(Refused::NoSuchArticle));
    };
    let description = field(
        &form.description,
        MAX_DESCRIPTION,
        "问题描述不能超过 2,000 字。",
    )
    .map_err(fail)?;
    if description.is_empty() {
        return Err(fail(Refused::Invalid("请填写问题描述。")));
    }
    let excerpt = field(&form.excerpt, MAX_EXCERPT, "出错的文字不能超过 200 字。").map_err(fail)?;
    let contact = field(&form.contact, MAX_CONTACT, "联系方式不能超过 100 字。").map_err(fail)?;
    match db.live_views(&article_id).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(fail(Refused::NoSuchArticle)),
        Err(e) => {
            let unreachable = matches!(e, app::storage::StorageError::Unavailable(_));
            return Err(fail(Refused::Unavailable(unreachable, e.to_string())));
        }
    }
    let down = |e: DbError| Refused::Unavailable(e.is_unreachable(), e.to_string());
    let salt = db.instance().await.map_err(|e| fail(down(e)))?;
    let client = {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(format!("{salt}\n{client}")))[..32].to_owned()
    };
    let now = chrono::Utc::now();
    let new = NewReport {
        reference: reference(now),
        article_id: article_id.clone(),
        variant: variant.tag().to_owned(),
        excerpt,
        description,
        contact,
        client,
        created_utc: now.timestamp(),
        created_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    match db.add_report(&new, now.timestamp() - 3600, PER_HOUR).await {
        Ok(true) => Ok((new.reference, article_id, variant)),
        Ok(false) => Err(fail(Refused::TooMany)),
        Err(e) => Err(fail(down(e))),
    }
}

/// `JC` + the date + 8 random letters and digits (no 0/O, 1/I): what the reader quotes.
/// The letters and digits of a reference: none that reads like another.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn reference(now: chrono::DateTime<chrono::Utc>) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let tail: String = (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("JC{}-{tail}", now.format("%Y%m%d"))
}

fn is_reference(s: &str) -> bool {
    s.len() == 19
        && s.is_ascii()
        && s.starts_with("JC")
        && s[2..10].bytes().all(|b| b.is_ascii_digit())
        && &s[10..11] == "-"
        && s[11..].bytes().all(|b| ALPHABET.contains(&b))
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// `POST /report`.
pub async fn submit(
    State(db): State<Arc<dyn Database>>,
    State(converter): State<SharedConverter>,
    State(site): State<SiteConfig>,
    req: Request,
) -> Response {
    let json = wants_json(req.headers());
    match accept(&db, req).await {
        Ok((reference, _, variant)) if json => (
            StatusCode::CREATED,
            axum::Json(serde_json::json!({ "reference": reference, "variant": variant.tag() })),
        )
            .into_response(),
        Ok((reference, _, variant)) => {
            let to = crate::report::thanks_path(&reference, variant);
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
        Err((refused, article, variant)) => {
            if let Refused::Unavailable(_, e) = &refused {
                tracing::warn!(error = %e, "report not stored");
            }
            let status = refused.status();
            let message = convert(&converter, variant, refused.message());
            let mut res = if json {
                let body = serde_json::json!({ "error": { "status": status.as_u16(), "message": message } });
                (status, axum::Json(body)).into_response()
            } else {
                let back = article.map(|id| app::address::article_path(&id));
                page(
                    &converter,
                    &site,
                    variant,
                    status,
                    "我要纠错",
                    &message,
                    None,
                    back,
                )
            };
            if status == StatusCode::TOO_MANY_REQUESTS {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
            }
            res
        }
    }
}

fn thanks_path(reference: &str, variant: Variant) -> String {
    app::components::head::variant_url(&format!("/reports/{reference}"), variant)
}

fn convert(converter: &SharedConverter, variant: Variant, s: &str) -> String {
    match variant {
        Variant::Hans => s.to_owned(),
        v => converter.0.text(v, s),
    }
}

/// `GET /reports/{reference}`: the thank-you page, naming the reference.
pub async fn thanks(
    State(db): State<Arc<dyn Database>>,
    State(converter): State<SharedConverter>,
    State(site): State<SiteConfig>,
    Path(reference): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let variant = app::query::variant(query.as_deref().unwrap_or("")).unwrap_or_default();
    let found = if is_reference(&reference) {
        db.report_article(&reference).await
    } else {
        Ok(None)
    };
    match found {
        Ok(Some(article)) => {
            let message = convert(
                &converter,
                variant,
                "感谢您帮助我们改正错误，我们会尽快核实处理。",
            );
            let label = convert(&converter, variant, "纠错编号：");
            page(
                &converter,
                &site,
                variant,
                StatusCode::OK,
                "我要纠错",
                &message,
                Some((&label, &reference)),
                Some(app::address::article_path(&article)),
            )
        }
        Ok(None) => {
            let message = convert(&converter, variant, "没有这个纠错编号。");
            page(
                &converter,
                &site,
                variant,
                StatusCode::NOT_FOUND,
                "我要纠错",
                &message,
                None,
                None,
            )
        }
        Err(e) => crate::documents::unavailable("report page", &e),
    }
}

/// A plain page of the site's look (its stylesheet, no script): a heading, a message, the
/// reference if any, and the way back.
#[allow(clippy::too_many_arguments)]
fn page(
    converter: &SharedConverter,
    site: &SiteConfig,
    variant: Variant,
    status: StatusCode,
    title: &str,
    message: &str,
    reference: Option<(&str, &str)>,
    back: Option<String>,
) -> Response {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
    let title = convert(converter, variant, title);
    let back_label = convert(
        converter,
        variant,
        if back.is_some() {
            "返回文章"
        } else {
            "返回首页"
        },
    );
    let back = app::components::head::variant_url(&back.unwrap_or_else(|| "/".into()), variant);
    let reference = reference
        .map(|(label, r)| {
            format!(
                "<p class=\"report-reference\">{}<strong>{}</strong></p>",
                text(label),
                text(r)
            )
        })
        .unwrap_or_default();
    let css = crate::assets::paths().css;
    let _ = site;
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\" data-font-size=\"medium\" data-contrast=\"default\">\
         <head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main id=\"main\" class=\"report-page\"><h1>{title}</h1><p>{message}</p>{reference}\
         <p><a href=\"{back}\">{back_label}</a></p></main></body></html>",
        lang = variant.tag(),
        title = text(&title),
        css = attr(&css),
        message = text(message),
        back = attr(&back),
        back_label = text(&back_label),
    );
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"),
    );
    res
}

/// `server reports`: as JSON lines, or as CSV with every cell that a spreadsheet would read as a
/// formula (`=`, `+`, `-`, `@`, tab, CR) prefixed with `'`, so the file opens as text.
pub fn write_reports(
    reports: &[Report],
    csv_format: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if !csv_format {
        for r in reports {
            serde_json::to_writer(&mut *out, r)?;
            out.write_all(b"\n")?;
        }
        return Ok(());
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "reference",
        "article_id",
        "variant",
        "excerpt",
        "description",
        "contact",
        "created_at",
    ])?;
    let inert = |s: &str| {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_owned()
        }
    };
    for r in reports {
        w.write_record([
            &r.reference,
            &r.article_id,
            &r.variant,
            &inert(&r.excerpt),
            &inert(&r.description),
            &inert(&r.contact),
            &r.created_at,
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_well_formed() {
        let r = reference(chrono::Utc::now());
        assert!(is_reference(&r), "{r}");
        assert!(!is_reference("JC20261207-00000000"), "no 0");
        assert!(!is_reference("../../etc/passwd"));
        assert!(
            !is_reference("JC一二三四五六七"),
            "not ASCII: no slicing inside a character"
        );
    }

    #[test]
    fn only_this_site_s_pages_may_post() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        assert!(same_site(&h(&[
            ("host", "a.gov.cn"),
            ("origin", "https://a.gov.cn")
        ])));
        assert!(!same_site(&h(&[
            ("host", "a.gov.cn"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same_site(&h(&[("host", "a.gov.cn"), ("origin", "null")])));
        assert!(same_site(&h(&[
            ("host", "a.gov.cn"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(!same_site(&h(&[
            ("host", "a.gov.cn"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(same_site(&h(&[
            ("host", "a.gov.cn"),
            ("referer", "https://a.gov.cn/articles/x")
        ])));
        assert!(!same_site(&h(&[
            ("host", "a.gov.cn"),
            ("referer", "https://a.gov.cn.evil.example/")
        ])));
        assert!(
            !same_site(&h(&[("host", "a.gov.cn")])),
            "nothing says where it came from"
        );
    }

    #[test]
    fn csv_cells_never_read_as_formulas() {
        let r = Report {
            reference: "JC20261207-ABCDEFGH".into(),
            article_id: "a".into(),
            variant: "zh-Hans".into(),
            excerpt: "=HYPERLINK(\"http://evil\")".into(),
            description: "+1\n\"quoted\", <script>".into(),
            contact: "@x".into(),
            created_at: "2026-12-07T00:00:00Z".into(),
        };
        let mut out = Vec::new();
        write_reports(&[r], true, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
            "{text}"
        );
        assert!(text.contains("\"'+1\n\"\"quoted\"\", <script>\""), "{text}");
        assert!(text.contains(",'@x,"), "{text}");
    }
}
