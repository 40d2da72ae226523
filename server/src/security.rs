//! Response headers that limit what a page may do: a Content-Security-Policy whose script nonce is
//! fresh for every page response, and the policy-level headers every response carries.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// A fresh script nonce: 128 random bits, base64url.
pub fn nonce() -> String {
    leptos::nonce::Nonce::new().to_string()
}

/// The policy of an HTML page whose inline scripts carry `nonce`: scripts from the site itself or
/// with the nonce (and wasm compilation), nothing inline otherwise, no plugins, no `<base>`, no
/// framing by other sites, and every fetch, image, style and form to the site itself.
pub fn page_policy(nonce: &str) -> HeaderValue {
    // `cargo leptos watch` reloads the page over a websocket on its own port.
    let dev = if cfg!(debug_assertions) { " ws:" } else { "" };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'{dev}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static(OTHER_POLICY))
}

/// The policy of everything that is not a page (JSON, files, redirects, errors).
pub const OTHER_POLICY: &str =
    "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

/// Adds the headers every response carries. A 304 gets no policy: the browser keeps the headers
/// stored with its copy, and a new nonce there would no longer match the copy's scripts.
pub fn headers(mut res: Response) -> Response {
    let not_modified = res.status() == StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
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
    res
}

/// User agents whose requests are not counted as views: search engines, link previews, monitors
/// and archivers. Matched case-insensitively anywhere in `User-Agent`.
pub const NOT_READERS: [&str; 24] = [
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
];

/// Whether a request with this `User-Agent` is a reader (counted) rather than a machine.
pub fn is_reader(user_agent: Option<&HeaderValue>) -> bool {
    let Some(ua) = user_agent.and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let ua = ua.to_ascii_lowercase();
    !NOT_READERS.iter().any(|m| ua.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

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
