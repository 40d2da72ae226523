//! The built site (wasm, js, css, `public/`), embedded in release builds and read from disk in debug
//! builds, served with precompressed variants and ETags.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/site"]
#[allow_missing = true]
struct Site;

fn hex(hash: &[u8], bytes: usize) -> String {
    hash.iter()
        .take(bytes)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `pkg/portal.0123456789abcdef.wasm` → (`pkg/portal.wasm`, `0123456789abcdef`).
fn unhashed(path: &str) -> Option<(String, &str)> {
    let (rest, ext) = path.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| (format!("{stem}.{ext}"), hash))
}

/// The bundle's addresses, named by content hash so browsers may keep them for good. Debug builds
/// (read from disk, rebuilt while the server runs) use the plain names.
pub fn paths() -> app::AssetPaths {
    static PATHS: std::sync::OnceLock<app::AssetPaths> = std::sync::OnceLock::new();
    PATHS.get_or_init(compute_paths).clone()
}

/// The split wasm's loader and its chunks import each other by relative name, so the script, the
/// wasm and every chunk share one directory named by a hash of them all: `pkg/<version>/…`.
fn is_bundle(path: &str) -> bool {
    path.strip_prefix("pkg/").is_some_and(|name| {
        !name.contains('/')
            && (name.ends_with(".js") || name.ends_with(".wasm") || name.ends_with(".json"))
    })
}

fn bundle_version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        use sha2::Digest;
        let mut names: Vec<_> = Site::iter().filter(|p| is_bundle(p)).collect();
        names.sort();
        let mut hasher = sha2::Sha256::new();
        for name in names {
            if let Some(file) = Site::get(&name) {
                hasher.update(name.as_bytes());
                hasher.update(file.metadata.sha256_hash());
            }
        }
        hex(&hasher.finalize(), 8)
    })
}

/// The split chunks each lazy view needs, from the manifest `cargo leptos build --split` writes.
fn chunks(dir: &str) -> Vec<(String, Vec<String>)> {
    let Some(file) = Site::get("pkg/__wasm_split_manifest.json") else {
        return Vec::new();
    };
    let manifest: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_slice(&file.data).unwrap_or_default();
    manifest
        .into_iter()
        .map(|(view, modules)| {
            let urls = modules.iter().map(|m| format!("{dir}/{m}.wasm")).collect();
            (view, urls)
        })
        .collect()
}

fn compute_paths() -> app::AssetPaths {
    let plain = app::AssetPaths::default();
    if cfg!(debug_assertions) {
        return app::AssetPaths {
            chunks: chunks("/pkg"),
            ..plain
        };
    }
    let hashed = |url: &str| {
        let path = url.trim_start_matches('/');
        match (Site::get(path), path.rsplit_once('.')) {
            (Some(f), Some((stem, ext))) => {
                format!("/{stem}.{}.{ext}", hex(&f.metadata.sha256_hash(), 8))
            }
            _ => url.to_owned(),
        }
    };
    let dir = format!("/pkg/{}", bundle_version());
    let versioned = |url: &str| url.replacen("/pkg", &dir, 1);
    app::AssetPaths {
        js: versioned(&plain.js),
        wasm: versioned(&plain.wasm),
        css: hashed(&plain.css),
        chunks: chunks(&dir),
    }
}

/// The embedded file at `path`, if any, as a response honouring `Accept-Encoding` and `If-None-Match`.
/// A content-hashed name is cached for a year; a plain one is revalidated through its ETag.
pub fn response(path: &str, headers: &HeaderMap) -> Option<Response<Body>> {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') || path.ends_with(".br") || path.ends_with(".gz") {
        return None;
    }
    let (path, immutable) = match Site::get(path) {
        Some(_) => (path.to_owned(), false),
        None if path.starts_with("pkg/") && path[4..].contains('/') => {
            let (version, name) = path[4..].split_once('/')?;
            let plain = format!("pkg/{name}");
            if version != bundle_version() || !is_bundle(&plain) || Site::get(&plain).is_none() {
                return None;
            }
            (plain, true)
        }
        None => {
            let (plain, hash) = unhashed(path)?;
            let file = Site::get(&plain)?;
            if hex(&file.metadata.sha256_hash(), 8) != hash {
                return None;
            }
            (plain, true)
        }
    };
    let file = Site::get(&path)?;
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash(), 12));
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, file.metadata.mimetype())
        .header(header::ETAG, &etag)
        .header(header::VARY, "Accept-Encoding")
        .header(
            header::CACHE_CONTROL,
            if immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            },
        );
    if crate::respond::not_modified(headers.get(header::IF_NONE_MATCH), &etag) {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .ok();
    }
    // The precompressed copy the reader asks for, where there is one.
    let encoding = crate::respond::Coding::of(headers).header();
    let (data, encoding) = encoding
        .and_then(|enc| {
            let ext = if enc == "br" { "br" } else { "gz" };
            Site::get(&format!("{path}.{ext}")).map(|f| (f.data, Some(enc)))
        })
        .unwrap_or((file.data, None));
    if let Some(enc) = encoding {
        builder = builder.header(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    let body = match data {
        std::borrow::Cow::Borrowed(b) => Body::from(axum::body::Bytes::from_static(b)),
        std::borrow::Cow::Owned(v) => Body::from(v),
    };
    builder.body(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert_eq!(
            unhashed("pkg/portal.0123456789abcdef.wasm"),
            Some(("pkg/portal.wasm".to_owned(), "0123456789abcdef"))
        );
        assert_eq!(unhashed("pkg/portal.wasm"), None);
        assert_eq!(unhashed("pkg/portal.0123456789abcdeg.wasm"), None);
        assert_eq!(unhashed("pkg/portal.0123.wasm"), None);
    }

    #[test]
    fn bundle_files() {
        assert!(is_bundle("pkg/portal.js"));
        assert!(is_bundle("pkg/chunk_4.wasm"));
        assert!(is_bundle("pkg/__wasm_split_manifest.json"));
        assert!(!is_bundle("pkg/portal.css"));
        assert!(!is_bundle("pkg/portal.wasm.br"));
        assert!(!is_bundle("favicon.png"));
    }
}
