//! Addresses inside the app: the router (`App`) picks the page; this module makes internal links.

use leptos::prelude::*;

/// The current address, path and query, as a link back to it.
pub fn here() -> String {
    let location = leptos_router::hooks::use_location();
    let (path, query) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    let query = query.trim_start_matches('?');
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// The value of the address's query parameter `name`, decoded once (`crate::query`'s rule;
/// `use_query_map` decodes twice: a query for `%3C` would read as `<`).
pub fn query_value(name: &'static str) -> Memo<Option<String>> {
    let search = leptos_router::hooks::use_location().search;
    Memo::new(move |_| crate::query::value(&search.read(), name))
}

/// An internal link to `path` (which may hold a query and a `#fragment`). When the address named a
/// variant (`?variant=`, say from an `hreflang` link, without a cookie), the link names the
/// reader's current one, so the reader stays in it; else it is `path` as given.
pub fn link(path: impl Into<String>) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let path: String = path.into();
    let search = leptos_router::hooks::use_location().search;
    let reader = crate::reader::use_reader();
    move || {
        if crate::query::variant(&search.get()).is_some() {
            path_with_variant(&path, reader.variant.get())
        } else {
            path.clone()
        }
    }
}

/// `path` (with its query and fragment) naming variant `v`.
pub fn path_with_variant(path: &str, v: crate::variant::Variant) -> String {
    let (rest, fragment) = path
        .split_once('#')
        .map_or((path, None), |(r, f)| (r, Some(f)));
    let (base, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut out = format!("{base}?{}", crate::query::with_variant(query, v));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_the_variant() {
        use crate::variant::Variant;
        assert_eq!(path_with_variant("/", Variant::Tw), "/?variant=zh-TW");
        assert_eq!(
            path_with_variant("/channels/gzdt?after=5_1", Variant::Hk),
            "/channels/gzdt?after=5_1&variant=zh-HK"
        );
        assert_eq!(
            path_with_variant("/#department-3", Variant::Hant),
            "/?variant=zh-Hant#department-3"
        );
    }
}
