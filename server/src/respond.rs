//! Answers that several parts of the HTTP surface give alike.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A 301 to `to` (a path and query); 400 if it cannot be a header.
pub fn moved_permanently(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// One rule for every address (pages, search, feeds, sitemap, API): a `variant` written otherwise
/// than the site writes it gets a 301 to the same address with it respelled, or dropped when it
/// names no variant. `/prefs` (where a variant is a choice: 400 if unknown) and server functions
/// are actions, not addresses.
pub async fn canonical_variant(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let uri = req.uri();
    if matches!(*req.method(), Method::GET | Method::HEAD)
        && uri.path() != "/prefs"
        && !uri.path().starts_with("/_fn/")
        && let Some(right) = uri.query().and_then(app::query::respelled_variant)
    {
        return if right.is_empty() {
            moved_permanently(uri.path())
        } else {
            moved_permanently(&format!("{}?{right}", uri.path()))
        };
    }
    next.run(req).await
}

/// How a response body is encoded.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Coding {
    Identity,
    Gzip,
    Br,
}

impl Coding {
    /// The coding a reader's `Accept-Encoding` asks for, by the rule the JSON responses follow
    /// (tower-http's compression): the highest q-value wins, brotli before gzip before none at
    /// equal q; `q=0` refuses; `x-gzip` is gzip; unknown codings and `*` are ignored.
    pub fn of(headers: &axum::http::HeaderMap) -> Self {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|item| {
                let mut it = item.splitn(2, ';');
                let name = it.next().unwrap_or("").trim();
                let coding = if name.eq_ignore_ascii_case("br") {
                    Coding::Br
                } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                    Coding::Gzip
                } else if name.eq_ignore_ascii_case("identity") {
                    Coding::Identity
                } else {
                    return None;
                };
                let q = match it.next() {
                    Some(q) => qvalue(q.trim())?,
                    None => 1000,
                };
                Some((q, coding))
            })
            .filter(|&(q, _)| q > 0)
            .max()
            .map_or(Coding::Identity, |(_, coding)| coding)
    }

    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Br => Some("br"),
        }
    }
}

/// A q-value (`q=0.5`) in thousandths; `None` if malformed (the item is then ignored).
fn qvalue(s: &str) -> Option<u16> {
    let v = s.strip_prefix("q=").or_else(|| s.strip_prefix("Q="))?;
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    let whole = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    (whole + frac <= 1000).then_some(whole + frac)
}

/// Whether a request's `If-None-Match` matches `etag` (quoted, as sent in `ETag`): `*`, a list, and
/// weak tags compared weakly, as RFC 9110 (13.1.2) asks for a GET.
pub fn not_modified(if_none_match: Option<&HeaderValue>, etag: &str) -> bool {
    fn bare(t: &str) -> &str {
        t.trim().trim_start_matches("W/")
    }
    let Some(v) = if_none_match.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let etag = bare(etag);
    v.trim() == "*" || v.split(',').any(|t| bare(t) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn coding(accept: &str) -> Coding {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        Coding::of(&h)
    }

    #[test]
    fn accept_encoding_by_q_value() {
        assert_eq!(coding("gzip, deflate, br, zstd"), Coding::Br);
        assert_eq!(coding("gzip"), Coding::Gzip);
        assert_eq!(coding("x-gzip"), Coding::Gzip);
        assert_eq!(coding("br;q=0.5, gzip"), Coding::Gzip);
        assert_eq!(coding("br;q=0, gzip;q=0.1"), Coding::Gzip);
        assert_eq!(coding("br;q=0.000"), Coding::Identity);
        assert_eq!(coding("BR;Q=1.0"), Coding::Br);
        assert_eq!(coding("identity, gzip;q=0.5"), Coding::Identity);
        assert_eq!(coding("*"), Coding::Identity);
        assert_eq!(
            coding("br;q=2, gzip;q=0.9"),
            Coding::Gzip,
            "a bad q-value drops its item"
        );
        assert_eq!(coding("br;q=0.5555"), Coding::Identity);
        assert_eq!(coding(""), Coding::Identity);
        assert_eq!(Coding::of(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn if_none_match_forms() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        let tag = "\"abc\"";
        assert!(not_modified(Some(&v("\"abc\"")), tag));
        assert!(not_modified(Some(&v("W/\"abc\"")), tag));
        assert!(not_modified(Some(&v("\"x\", W/\"abc\"")), tag));
        assert!(not_modified(Some(&v("*")), tag));
        assert!(!not_modified(Some(&v("\"abcd\"")), tag));
        assert!(!not_modified(Some(&v("abc")), tag));
        assert!(!not_modified(None, tag));
    }
}
