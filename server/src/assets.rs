//! The built site (wasm, js, css, `public/`), embedded in release builds and read from disk in debug
//! builds, served with precompressed variants and ETags.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[allow_missing = true]
struct Site;

fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut it = part.split(';');
            let name = it.next().unwrap_or("").trim();
            let refused = it.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case(encoding) && !refused
        })
}

/// The embedded file at `path`, if any, as a response honouring `Accept-Encoding` and `If-None-Match`.
pub fn response(path: &str, headers: &HeaderMap) -> Option<Response<Body>> {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') || path.ends_with(".br") || path.ends_with(".gz") {
        return None;
    }
    let file = Site::get(path)?;
    let etag = format!(
        "\"{}\"",
        file.metadata
            .sha256_hash()
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, file.metadata.mimetype())
        .header(header::ETAG, &etag)
        .header(header::VARY, "Accept-Encoding")
        // Names are not content-hashed yet: revalidate every time, cheaply, through the ETag.
        .header(header::CACHE_CONTROL, "no-cache");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .ok();
    }
    let (data, encoding) = [("br", ".br"), ("gzip", ".gz")]
        .iter()
        .find_map(|(enc, ext)| {
            accepts(headers, enc)
                .then(|| Site::get(&format!("{path}{ext}")))
                .flatten()
                .map(|f| (f.data, Some(*enc)))
        })
        .unwrap_or((file.data, None));
    if let Some(enc) = encoding {
        builder = builder.header(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    builder.body(Body::from(data.into_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_parsing() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br;q=0"),
        );
        assert!(accepts(&h, "gzip"));
        assert!(!accepts(&h, "br"));
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("BR"));
        assert!(accepts(&h, "br"));
    }
}
