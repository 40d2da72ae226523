//! Page addresses in one canonical form: the route and its query as typed values. A page that can be
//! kept is kept under this form only; any other spelling of it is sent there with a 301.

use app::model::{Cursor, PageQuery, is_valid_article_id, is_valid_slug};
use app::variant::Variant;

/// Longest path plus query served at all (414 above it).
pub const MAX_URI: usize = 2048;

/// A page the site has: `S` is `&str` while looking up, `Box<str>` when stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target<S> {
    Home,
    Channel(S, PageQuery),
    Article(S),
}

/// A page address in its typed form: the page and the variant its query names, if any.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address<S> {
    pub target: Target<S>,
    pub variant: Option<Variant>,
}

/// What an address is.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed<'a> {
    /// A page, written canonically.
    Page(Address<&'a str>),
    /// A page written some other way (parameter order or encoding, unknown or junk parameters):
    /// its canonical path and query.
    Redirect(String),
    /// Not a page that can be kept (unknown path, malformed id or cursor): rendered as it is.
    Other,
}

/// Reads a path and query (decoded by `app::query`'s rule).
pub fn parse<'a>(path: &'a str, query: Option<&str>) -> Parsed<'a> {
    let target = if path == "/" {
        Target::Home
    } else if let Some(slug) = path.strip_prefix("/channels/").filter(|s| is_valid_slug(s)) {
        Target::Channel(slug, PageQuery::Newest)
    } else if let Some(id) = path
        .strip_prefix("/articles/")
        .filter(|s| is_valid_article_id(s))
    {
        Target::Article(id)
    } else {
        return Parsed::Other;
    };
    let Some(query) = query else {
        return Parsed::Page(Address {
            target,
            variant: None,
        });
    };
    let mut address = Address {
        target,
        variant: None,
    };
    let mut paged = false;
    let mut seen_variant = false;
    for (name, value) in app::query::pairs(query) {
        match (name.as_ref(), &mut address.target) {
            ("variant", _) if !seen_variant => {
                seen_variant = true;
                address.variant = value.parse().ok();
            }
            (dir @ ("after" | "before"), Target::Channel(_, paging)) if !paged => {
                paged = true;
                let Ok(cursor) = value.parse::<Cursor>() else {
                    return Parsed::Other;
                };
                *paging = match dir {
                    "after" => PageQuery::After(cursor),
                    _ => PageQuery::Before(cursor),
                };
            }
            _ => {}
        }
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
    if let Target::Channel(_, paging) = &address.target {
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

impl Address<&str> {
    pub fn to_owned(&self) -> Address<Box<str>> {
        Address {
            target: match &self.target {
                Target::Home => Target::Home,
                Target::Channel(s, q) => Target::Channel((*s).into(), *q),
                Target::Article(id) => Target::Article((*id).into()),
            },
            variant: self.variant,
        }
    }
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
        assert_eq!(page("/", None).target, Target::Home);
        let a = page("/channels/gzdt", Some("after=1652320254_42&variant=zh-TW"));
        assert_eq!(a.variant, Some(Variant::Tw));
        assert!(matches!(a.target, Target::Channel(_, PageQuery::After(_))));
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
}
