//! Response headers that limit what a page may do: a Content-Security-Policy whose script nonce is
//! fresh for every page response, and the policy-level headers every response carries.

use axum::http::{HeaderValue, StatusCode, header};

use axum::response::Response;

/// Length of a nonce: 128 bits in unpadded base64.
pub const NONCE_LEN: usize = 22;

/// A script nonce: 128 bits from the thread's CSPRNG (ChaCha, seeded from the OS), base64url.
pub struct Nonce([u8; NONCE_LEN]);

impl Nonce {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::ops::Deref for Nonce {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// A fresh nonce.
pub fn nonce() -> Nonce {
    use base64::Engine;
    use rand::RngCore;
    let mut bits = [0u8; 16];
    rand::rng().fill_bytes(&mut bits);
    let mut out = [0u8; NONCE_LEN];
    let _ = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_slice(bits, &mut out);
    Nonce(out)
}

/// Rendered as every script's nonce (the app finds it in context); the page cache writes a fresh
/// nonce over it, and into the policy header, for every response. Random per process: text in a
/// page (an imported title, say) cannot spell it and so cannot be given the response's nonce.
pub fn nonce_slot() -> &'static str {
    static SLOT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SLOT.get_or_init(|| format!("slot{}", nonce().as_str()))
}

/// The policy of an HTML page whose inline scripts carry `nonce`: everything from the site itself
/// (`default-src`), scripts only from the site or with the nonce (and wasm compilation), no
/// plugins, no `<base>`, forms to the site only, no framing by other sites.
pub fn page_policy(nonce: &str) -> HeaderValue {
    const BEFORE: &str = "default-src 'self'; script-src 'self' 'nonce-";
    const AFTER: &str = "' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; \
                         form-action 'self'; frame-ancestors 'self'";
    // `cargo leptos watch` reloads the page over a websocket on its own port.
    const DEV: &str = if cfg!(debug_assertions) {
        "; connect-src 'self' ws:"
    } else {
        ""
    };
    let mut policy =
        bytes::BytesMut::with_capacity(BEFORE.len() + nonce.len() + AFTER.len() + DEV.len());
    policy.extend_from_slice(BEFORE.as_bytes());
    policy.extend_from_slice(nonce.as_bytes());
    policy.extend_from_slice(AFTER.as_bytes());
    policy.extend_from_slice(DEV.as_bytes());
    HeaderValue::from_maybe_shared(policy.freeze())
        .unwrap_or_else(|_| HeaderValue::from_static(OTHER_POLICY))
}

/// The policy of everything that is not a page (JSON, files, redirects, errors).
pub const OTHER_POLICY: &str =
    "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

/// Adds the headers every response carries. A 304 gets no policy: the browser keeps the headers
/// stored with its copy, and a new nonce there would no longer match the copy's scripts.
pub fn headers(mut res: Response) -> Response {
    let not_modified = res.status() == StatusCode::NOT_MODIFIED;
    add_headers(res.headers_mut(), not_modified);
    res
}

/// [`headers`] on a header map.
pub fn add_headers(h: &mut axum::http::HeaderMap, not_modified: bool) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if not_modified {
        h.remove(header::CONTENT_SECURITY_POLICY);
    } else if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(OTHER_POLICY),
        );
    }
}

/// User agents whose requests are not counted as views: search engines, link previews, monitors
/// and archivers. Matched case-insensitively anywhere in `User-Agent`.
pub const NOT_READERS: [&str; 25] = [
    "bot/",
    "bot;",
    "bot)",
    "spider",
    "crawler",
    "googlebot",
    "bingbot",
    "baiduspider",
    "yandex",
    "sogou",
    "360spider",
    "bytespider",
    "petalbot",
    "slurp",
    "duckduckbot",
    "facebookexternalhit",
    "embedly",
    "preview",
    "uptime",
    "monitor",
    "pingdom",
    "archive.org",
    "curl/",
    "wget/",
    RENDERER,
];

/// The `User-Agent` of `server render`'s requests: a pre-render is not a view.
pub const RENDERER: &str = "portal-render/1";

/// Whether a request with this `User-Agent` is a reader (counted) rather than a machine.
pub fn is_reader(user_agent: Option<&HeaderValue>) -> bool {
    static MACHINES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(NOT_READERS)
                .ok()
        });
    match (user_agent, MACHINES.as_ref()) {
        (Some(ua), Some(m)) => !m.is_match(ua.as_bytes()),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_slot_is_random_and_stable() {
        let slot = nonce_slot();
        assert_eq!(slot, nonce_slot());
        assert_eq!(slot.len(), 26);
        assert!(
            slot[4..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(&slot[4..], nonce().as_str());
    }

    #[test]
    fn readers_and_machines() {
        let ua = |s: &'static str| is_reader(Some(&HeaderValue::from_static(s)));
        assert!(is_reader(None));
        assert!(ua(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36"
        ));
        assert!(!ua(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        ));
        assert!(!ua(
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
        ));
        assert!(!ua("curl/8.5.0"));
    }

    #[test]
    fn nonces_are_fresh_base64url() {
        let (a, b) = (nonce(), nonce());
        assert_ne!(&*a, &*b);
        assert_eq!(a.len(), 22);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn page_policy_has_the_nonce_and_no_inline_scripts() {
        let p = page_policy("abc_-123");
        let p = p.to_str().unwrap();
        assert!(p.contains("script-src 'self' 'nonce-abc_-123' 'wasm-unsafe-eval'"));
        assert!(!p.contains("unsafe-inline"));
        for d in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
        ] {
            assert!(p.contains(d), "{d}");
        }
    }
}
