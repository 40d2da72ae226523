//! Which page an address shows. Every page is its own document (links are plain navigations), so
//! the address is read once: from the request on the server, from `window.location` in the browser.

/// The address a page was rendered for: path and query (without `?`), as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Here {
    pub path: String,
    pub query: String,
}

impl Here {
    /// The current address (the request's on the server, the window's in the browser).
    pub fn current() -> Here {
        #[cfg(feature = "ssr")]
        {
            leptos::prelude::use_context::<http::request::Parts>()
                .map(|parts| Here {
                    path: parts.uri.path().to_owned(),
                    query: parts.uri.query().unwrap_or_default().to_owned(),
                })
                .unwrap_or_else(|| Here {
                    path: "/".into(),
                    query: String::new(),
                })
        }
        #[cfg(not(feature = "ssr"))]
        {
            let location = leptos::prelude::window().location();
            Here {
                path: location.pathname().unwrap_or_else(|_| "/".into()),
                query: location
                    .search()
                    .unwrap_or_default()
                    .trim_start_matches('?')
                    .to_owned(),
            }
        }
    }

    /// The first value of query parameter `key`, as written (the values used here are plain ASCII).
    pub fn param(&self, key: &str) -> Option<String> {
        self.query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_owned())
    }

    /// Path and query, as a link back to this address.
    pub fn href(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// An internal link to `path` (which may hold a query and a `#fragment`). When the address named a
/// variant (`?variant=`, say from an `hreflang` link, without a cookie), the link names the
/// reader's current one, so the reader stays in it; else it is `path` as given.
pub fn link(path: impl Into<String>) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    use leptos::prelude::*;
    let path: String = path.into();
    let explicit =
        use_context::<Here>().is_some_and(|h| crate::reader::variant_in_query(&h.query).is_some());
    let variant = explicit.then(|| crate::reader::use_reader().variant);
    move || match variant {
        Some(v) => with_variant(&path, v.get()),
        None => path.clone(),
    }
}

/// `path` (with its query and fragment) naming variant `v`.
pub fn with_variant(path: &str, v: crate::variant::Variant) -> String {
    let (rest, fragment) = path
        .split_once('#')
        .map_or((path, None), |(r, f)| (r, Some(f)));
    let (base, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut out = format!("{base}?{}", crate::reader::with_variant(query, v));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The pages there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Channel(String),
    Article(String),
    NotFound,
}

impl Route {
    /// `/`, `/channels/{slug}`, `/articles/{id}`; anything else (or anything more) is not found.
    /// Slug and id are checked by the page; here they only have to be one non-empty segment.
    pub fn of(path: &str) -> Route {
        let one = |rest: &str| (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_owned());
        if path == "/" {
            Route::Home
        } else if let Some(slug) = path.strip_prefix("/channels/").and_then(one) {
            Route::Channel(slug)
        } else if let Some(id) = path.strip_prefix("/articles/").and_then(one) {
            Route::Article(id)
        } else {
            Route::NotFound
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(Route::of("/"), Route::Home);
        assert_eq!(Route::of("/channels/gzdt"), Route::Channel("gzdt".into()));
        assert_eq!(Route::of("/articles/a-1.x"), Route::Article("a-1.x".into()));
        for bad in [
            "",
            "/channels/",
            "/channels/a/b",
            "/articles",
            "/x",
            "//",
            "/articles//",
        ] {
            assert_eq!(Route::of(bad), Route::NotFound, "{bad}");
        }
    }

    #[test]
    fn links_name_the_variant() {
        use crate::variant::Variant;
        assert_eq!(with_variant("/", Variant::Tw), "/?variant=zh-TW");
        assert_eq!(
            with_variant("/channels/gzdt?after=5_1", Variant::Hk),
            "/channels/gzdt?after=5_1&variant=zh-HK"
        );
        assert_eq!(
            with_variant("/#department-3", Variant::Hant),
            "/?variant=zh-Hant#department-3"
        );
    }

    #[test]
    fn params() {
        let here = Here {
            path: "/channels/gzdt".into(),
            query: "after=1_2&variant=zh-TW".into(),
        };
        assert_eq!(here.param("after").as_deref(), Some("1_2"));
        assert_eq!(here.param("before"), None);
        assert_eq!(here.href(), "/channels/gzdt?after=1_2&variant=zh-TW");
    }
}
