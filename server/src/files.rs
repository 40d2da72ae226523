//! Attachment files the deployer gives with an import (`"file": "path"` in an attachment): read
//! beside the import file, stored in the database in chunks (so every replica serves them) and
//! served at `/files/{sha256}/{name}`, a chunk at a time, always as a download.

use crate::import::{LineError, NewArticle, NewFile};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Largest attachment file an import takes, unless the deployer says otherwise
/// (`MAX_ATTACHMENT_MB`).
pub const DEFAULT_MAX_MB: u64 = 64;
/// The formats a file is sent as by name (documents, archives, images, audio and video); any other
/// is `application/octet-stream`. HTML, SVG and scripts are not on the list: whatever a file
/// holds, it is never a page of this site.
pub const MEDIA_TYPES: &[(&str, &str)] = &[
    ("PDF", "application/pdf"),
    ("OFD", "application/ofd"),
    ("DOC", "application/msword"),
    ("WPS", "application/msword"),
    (
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("XLS", "application/vnd.ms-excel"),
    ("ET", "application/vnd.ms-excel"),
    (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("PPT", "application/vnd.ms-powerpoint"),
    ("DPS", "application/vnd.ms-powerpoint"),
    (
        "PPTX",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("ZIP", "application/zip"),
    ("RAR", "application/vnd.rar"),
    ("7Z", "application/x-7z-compressed"),
    ("TXT", "text/plain; charset=utf-8"),
    ("CSV", "text/csv; charset=utf-8"),
    ("JPG", "image/jpeg"),
    ("JPEG", "image/jpeg"),
    ("PNG", "image/png"),
    ("MP3", "audio/mpeg"),
    ("MP4", "video/mp4"),
];

/// The media type of an attachment's format (`PDF` → `application/pdf`), for downloads and feed
/// enclosures.
pub fn media_type(format: &str) -> &'static str {
    MEDIA_TYPES
        .iter()
        .find(|(f, _)| f.eq_ignore_ascii_case(format))
        .map_or("application/octet-stream", |(_, t)| t)
}

/// The file's address: its hash, then its name (for the saved file's name).
pub fn path(hash: &str, name: &str) -> String {
    format!("/files/{hash}/{}", percent(name))
}

/// `s` with every byte but unreserved ASCII percent-encoded (RFC 3986).
fn percent(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Reads the files `a`'s attachments name, relative to `base` (the import file's folder), each at
/// most `max_bytes`; sets each attachment's address and size and keeps the bytes in `a.files`.
pub async fn resolve(
    a: &mut NewArticle,
    base: &std::path::Path,
    max_bytes: u64,
) -> Result<(), LineError> {
    use sha2::Digest;
    for (i, wanted) in std::mem::take(&mut a.wanted_files) {
        let err = |reason: String| LineError {
            line: a.line,
            reason: format!("\"attachments[{i}].file\" {wanted:?}: {reason}"),
        };
        let path = base.join(&wanted);
        let meta = tokio::fs::metadata(&path)
            .await
            .map_err(|e| err(format!("cannot be read: {e}")))?;
        if !meta.is_file() {
            return Err(err("is not a file".into()));
        }
        if meta.len() > max_bytes {
            return Err(err(format!(
                "is {} bytes, more than the {} allowed (MAX_ATTACHMENT_MB)",
                meta.len(),
                max_bytes
            )));
        }
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| err(format!("cannot be read: {e}")))?;
        if bytes.len() as u64 > max_bytes {
            return Err(err("grew past the limit while read".into()));
        }
        let hash = format!("{:x}", sha2::Sha256::digest(&bytes));
        let attachment = &mut a.attachments[i];
        attachment.size = Some(bytes.len() as u64);
        attachment.url = path_of(&hash, &attachment.name, &attachment.format);
        a.files.push(NewFile {
            media_type: media_type(&attachment.format).to_owned(),
            hash,
            bytes: Arc::new(bytes),
        });
    }
    Ok(())
}

/// `articles` with each one's attachment files read (see [`resolve`]); a file that cannot be read
/// or is too large is that line's error.
pub fn with_files(
    articles: crate::import::ArticleStream<'static>,
    base: std::path::PathBuf,
    max_bytes: u64,
) -> crate::import::ArticleStream<'static> {
    use futures::StreamExt;
    let base = Arc::new(base);
    articles
        .then(move |next| {
            let base = base.clone();
            async move {
                let mut a = next?;
                resolve(&mut a, &base, max_bytes).await?;
                Ok(a)
            }
        })
        .boxed()
}

/// The address of a stored attachment: the shown name with the format's extension, so the saved
/// file opens with the right program.
fn path_of(hash: &str, name: &str, format: &str) -> String {
    let ext = format.to_ascii_lowercase();
    let named = if ext.is_empty() || name.to_ascii_lowercase().ends_with(&format!(".{ext}")) {
        name.to_owned()
    } else {
        format!("{name}.{ext}")
    };
    path(hash, &named)
}

/// `Content-Disposition` for `name`: always a download, the UTF-8 name (RFC 6266 / 8187) with an
/// ASCII stand-in for old clients.
pub fn disposition(name: &str) -> HeaderValue {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
        .take(200)
        .collect();
    let clean = if clean.trim().is_empty() {
        "attachment".to_owned()
    } else {
        clean
    };
    let ascii: String = clean
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent(&clean)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `GET /files/{hash}/{name}`: the stored file, streamed a chunk at a time, as a download
/// (`Content-Disposition: attachment`, `nosniff`, a sandboxing CSP), cached for good (the address
/// names the bytes).
pub async fn serve(
    State(db): State<Arc<dyn crate::db::Database>>,
    Path((hash, name)): Path<(String, String)>,
) -> Response {
    if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return (StatusCode::NOT_FOUND, "no such file\n").into_response();
    }
    let (size, media_type) = match db.file(&hash).await {
        Ok(Some(f)) => f,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such file\n").into_response(),
        Err(e) => return crate::documents::unavailable("file", &e),
    };
    let chunks = futures::stream::unfold(Some(0i64), move |seq| {
        let (db, hash) = (db.clone(), hash.clone());
        async move {
            let n = seq?;
            match db.file_chunk(&hash, n).await {
                Ok(Some(bytes)) => Some((Ok(axum::body::Bytes::from(bytes)), Some(n + 1))),
                Ok(None) => None,
                Err(e) => Some((Err(std::io::Error::other(e)), None)),
            }
        }
    });
    let mut res = Response::new(Body::from_stream(chunks));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    h.insert(header::CONTENT_DISPOSITION, disposition(&name));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    res
}
