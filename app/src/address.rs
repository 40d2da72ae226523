//! The site's routes in one place: each page, its path parameters and its canonical query, as
//! typed values. The router's segments, the split chunk of each route's view, the keys of kept and
//! prefetched pages and the page store's scopes are all read from here. A page that can be kept is
//! kept under its canonical form only; any other spelling of it is sent there with a 301.

use crate::model::{Cursor, PageQuery, SearchCursor, is_valid_article_id, is_valid_slug};
use crate::variant::Variant;

/// Longest path plus query served at all (414 above it).
pub const MAX_URI: usize = 2048;

/// The path segments and parameter names the router matches (`AppRoutes`).
pub const CHANNELS: &str = "channels";
pub const ARTICLES: &str = "articles";
pub const SEARCH: &str = "search";
pub const ACCESSIBILITY: &str = "accessibility";
pub const SITE_MAP: &str = "site-map";
pub const SLUG: &str = "slug";
pub const ID: &str = "id";

/// A page the site has: `S` is `&str` while looking up, `Box<str>` when stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route<S> {
    Home,
    Channel(S, PageQuery),
    Article(S),
    /// `/search?q=…`: rendered for each request, never kept.
    Search,
    /// `/accessibility`: the accessibility statement (无障碍声明).
    Accessibility,
    /// `/site-map`: 网站地图, every department and its channels.
    SiteMap,
}

impl<'a> Route<&'a str> {
    /// The route serving `path` (its query unread: a channel's paging is the newest).
    pub fn of_path(path: &'a str) -> Option<Self> {
        if path == "/" {
            return Some(Route::Home);
        }
        let (first, rest) = path
            .strip_prefix('/')?
            .split_once('/')
            .unwrap_or((&path[1..], ""));
        match first {
            CHANNELS if is_valid_slug(rest) => Some(Route::Channel(rest, PageQuery::Newest)),
            ARTICLES if is_valid_article_id(rest) => Some(Route::Article(rest)),
            SEARCH if path.len() == SEARCH.len() + 1 => Some(Route::Search),
            ACCESSIBILITY if path.len() == ACCESSIBILITY.len() + 1 => Some(Route::Accessibility),
            SITE_MAP if path.len() == SITE_MAP.len() + 1 => Some(Route::SiteMap),
            _ => None,
        }
    }

    pub fn to_owned(&self) -> Route<Box<str>> {
        match self {
            Route::Home => Route::Home,
            Route::Channel(s, q) => Route::Channel((*s).into(), *q),
            Route::Article(id) => Route::Article((*id).into()),
            Route::Search => Route::Search,
            Route::Accessibility => Route::Accessibility,
            Route::SiteMap => Route::SiteMap,
        }
    }
}

impl<S: AsRef<str>> Route<S> {
    /// The path of the route, as links write it.
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".to_owned(),
            Route::Channel(slug, _) => format!("/{CHANNELS}/{}", slug.as_ref()),
            Route::Article(id) => format!("/{ARTICLES}/{}", id.as_ref()),
            Route::Search => format!("/{SEARCH}"),
            Route::Accessibility => format!("/{ACCESSIBILITY}"),
            Route::SiteMap => format!("/{SITE_MAP}"),
        }
    }

    /// The start of the split name `#[lazy_route]` gives the route's view (`__<type>_view_<hash>`):
    /// the chunks a first load of it fetches beside the bundle.
    pub fn view_chunk(&self) -> &'static str {
        match self {
            Route::Home => "__home_page_view_",
            Route::Channel(..) => "__channel_route_view_",
            Route::Article(_) => "__article_route_view_",
            Route::Search => "__search_route_view_",
            Route::Accessibility => "__statement_page_view_",
            Route::SiteMap => "__site_map_page_view_",
        }
    }
}

/// A page address in its typed form: the page and the variant its query names, if any.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address<S> {
    pub route: Route<S>,
    pub variant: Option<Variant>,
}

impl Address<&str> {
    pub fn to_owned(&self) -> Address<Box<str>> {
        Address {
            route: self.route.to_owned(),
            variant: self.variant,
        }
    }
}

impl<S: AsRef<str>> Address<S> {
    /// The address written canonically, path and query: what kept and prefetched pages are
    /// found by.
    pub fn spelled(&self) -> String {
        let mut out = self.route.path();
        if let Some(q) = canonical_query(self) {
            out.push('?');
            out.push_str(&q);
        }
        out
    }
}

/// The article page of `id`.
pub fn article_path(id: &str) -> String {
    Route::Article(id).path()
}

/// The newest page of channel `slug`.
pub fn channel_path(slug: &str) -> String {
    Route::Channel(slug, PageQuery::Newest).path()
}

/// The search page for query `q`, from `after`.
pub fn search_path(q: &str, after: Option<SearchCursor>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("q", q);
    if let Some(c) = after {
        query.append_pair("after", &c.to_string());
    }
    format!("/{SEARCH}?{}", query.finish())
}

/// The accessibility statement.
pub fn accessibility_path() -> String {
    Route::<&str>::Accessibility.path()
}

/// 网站地图.
pub fn site_map_path() -> String {
    Route::<&str>::SiteMap.path()
}

/// The Atom feed of the whole site, or of one channel (served by the server alone).
pub fn feed_path(channel: Option<&str>) -> String {
    match channel {
        Some(slug) => format!("/feeds/channels/{slug}"),
        None => "/feeds/site".to_owned(),
    }
}

/// What an address is.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed<'a> {
    /// A page that can be kept, written canonically.
    Page(Address<&'a str>),
    /// A page written some other way (parameter order or encoding, unknown or junk parameters):
    /// its canonical path and query.
    Redirect(String),
    /// Not a page that can be kept (search, unknown path, malformed id or cursor): rendered as it
    /// is.
    Other,
}

/// A channel's paging as `query` names it: the first `after` or `before` counts.
pub fn paging(query: &str) -> Result<PageQuery, crate::model::BadCursor> {
    let Some((dir, value)) =
        crate::query::pairs(query).find(|(k, _)| k == "after" || k == "before")
    else {
        return Ok(PageQuery::Newest);
    };
    let cursor = value.parse::<Cursor>()?;
    Ok(match &*dir {
        "after" => PageQuery::After(cursor),
        _ => PageQuery::Before(cursor),
    })
}

/// Reads a path and query (decoded by `crate::query`'s rule).
pub fn parse<'a>(path: &'a str, query: Option<&str>) -> Parsed<'a> {
    let route = match Route::of_path(path) {
        Some(Route::Search) | None => return Parsed::Other,
        Some(route) => route,
    };
    let Some(query) = query else {
        return Parsed::Page(Address {
            route,
            variant: None,
        });
    };
    let mut address = Address {
        route,
        variant: crate::query::value(query, "variant").and_then(|v| v.parse().ok()),
    };
    if let Route::Channel(_, page) = &mut address.route {
        let Ok(paging) = paging(query) else {
            return Parsed::Other;
        };
        *page = paging;
    }
    let canonical = canonical_query(&address);
    if canonical.as_deref() == Some(query) {
        Parsed::Page(address)
    } else {
        Parsed::Redirect(match canonical {
            Some(q) => format!("{path}?{q}"),
            None => path.to_owned(),
        })
    }
}

/// The query of an address as the site writes it: `after=` / `before=` first, then `variant=`.
pub fn canonical_query<S>(address: &Address<S>) -> Option<String> {
    use std::fmt::Write;
    let mut q = String::new();
    if let Route::Channel(_, paging) = &address.route {
        let _ = match paging {
            PageQuery::Newest => Ok(()),
            PageQuery::After(c) => write!(q, "after={c}"),
            PageQuery::Before(c) => write!(q, "before={c}"),
        };
    }
    if let Some(v) = address.variant {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str("variant=");
        q.push_str(v.tag());
    }
    (!q.is_empty()).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, query: Option<&str>) -> Address<Box<str>> {
        match parse(path, query) {
            Parsed::Page(a) => a.to_owned(),
            other => panic!("{path}?{query:?}: {other:?}"),
        }
    }

    fn redirect(path: &str, query: &str) -> String {
        match parse(path, Some(query)) {
            Parsed::Redirect(to) => to,
            other => panic!("{path}?{query}: {other:?}"),
        }
    }

    #[test]
    fn canonical_addresses_are_pages() {
        assert_eq!(page("/", None).route, Route::Home);
        let a = page("/channels/gzdt", Some("after=1652320254_42&variant=zh-TW"));
        assert_eq!(a.variant, Some(Variant::Tw));
        assert!(matches!(a.route, Route::Channel(_, PageQuery::After(_))));
        assert_eq!(
            page("/articles/a-1", Some("variant=zh-HK")).variant,
            Some(Variant::Hk)
        );
    }

    #[test]
    fn other_spellings_redirect_to_one_form() {
        let p = "/channels/gzdt";
        assert_eq!(
            redirect(p, "variant=zh-TW&after=1652320254_42"),
            "/channels/gzdt?after=1652320254_42&variant=zh-TW"
        );
        assert_eq!(
            redirect(p, "after=1652320254%5F42"),
            "/channels/gzdt?after=1652320254_42"
        );
        assert_eq!(redirect(p, "after=%2B05_1"), "/channels/gzdt?after=5_1");
        assert_eq!(redirect(p, "variant=klingon"), "/channels/gzdt");
        assert_eq!(redirect(p, "variant=zh-tw"), "/channels/gzdt?variant=zh-TW");
        assert_eq!(
            redirect(p, "utm_source=x&variant=zh-HK"),
            "/channels/gzdt?variant=zh-HK"
        );
        assert_eq!(
            redirect(p, "after=1_2&before=3_4"),
            "/channels/gzdt?after=1_2"
        );
        assert_eq!(redirect(p, ""), "/channels/gzdt");
        assert_eq!(redirect("/articles/a", "after=1_2"), "/articles/a");
        assert_eq!(redirect("/", &"x".repeat(5000)), "/");
        assert_eq!(redirect("/", "variant=%FF%FE"), "/");
    }

    #[test]
    fn malformed_addresses_are_not_pages() {
        assert_eq!(parse("/channels/gzdt", Some("after=abc")), Parsed::Other);
        assert_eq!(parse("/channels/gzdt", Some("after=1_0")), Parsed::Other);
        for path in [
            "/x",
            "/articles/",
            "/articles/a/b",
            "/articles/%E6%96%87",
            "/channels/",
        ] {
            assert_eq!(parse(path, None), Parsed::Other, "{path}");
        }
    }

    #[test]
    fn routes_write_their_own_paths() {
        for path in [
            "/",
            "/channels/gzdt",
            "/articles/a-1.b",
            "/search",
            "/accessibility",
            "/site-map",
        ] {
            let route = Route::of_path(path).expect(path);
            assert_eq!(route.path(), path);
        }
        assert_eq!(Route::of_path("/site-map/x"), None);
        assert_eq!(Route::of_path("/search/x"), None);
        assert_eq!(Route::of_path("/accessibility/x"), None);
        assert_eq!(
            page("/accessibility", Some("variant=zh-HK")).spelled(),
            "/accessibility?variant=zh-HK"
        );
        assert_eq!(parse("/search", Some("q=x")), Parsed::Other);
        let a = page("/channels/gzdt", Some("before=5_1&variant=zh-Hant"));
        assert_eq!(a.spelled(), "/channels/gzdt?before=5_1&variant=zh-Hant");
    }

    #[test]
    fn paging_reads_the_first_cursor() {
        assert_eq!(paging(""), Ok(PageQuery::Newest));
        assert!(matches!(
            paging("before=5_1&after=6_1"),
            Ok(PageQuery::Before(_))
        ));
        assert!(paging("after=x").is_err());
    }

    #[test]
    fn search_addresses_encode_the_query() {
        let c = SearchCursor {
            tier: 1,
            published_utc: 1_652_320_254,
            row: 42,
        };
        assert_eq!(
            search_path("修复 & 工程", Some(c)),
            "/search?q=%E4%BF%AE%E5%A4%8D+%26+%E5%B7%A5%E7%A8%8B&after=1_1652320254_42"
        );
    }
}
