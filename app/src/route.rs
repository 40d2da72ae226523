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
