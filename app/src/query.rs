//! Query strings, read one way everywhere, in the browser and on the server: as
//! `application/x-www-form-urlencoded` (names and values percent-decoded once, `+` a space); the
//! first of a repeated name counts. `variant` is written as the site writes it, or not at all.

use crate::variant::Variant;
use std::borrow::Cow;

fn bare(query: &str) -> &str {
    query.strip_prefix('?').unwrap_or(query)
}

/// The decoded name–value pairs of `query` (with or without its `?`).
pub fn pairs(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(bare(query).as_bytes())
}

/// `name`'s first value, decoded.
pub fn value(query: &str, name: &str) -> Option<String> {
    pairs(query)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The variant `query` names, if it names one the site has.
pub fn variant(query: &str) -> Option<Variant> {
    value(query, "variant").and_then(|v| v.parse().ok())
}

/// The raw `name=value` pieces of `query`, each with its decoded name.
fn pieces(query: &str) -> impl Iterator<Item = (Cow<'_, str>, &str)> {
    bare(query)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let name = form_urlencoded::parse(piece.as_bytes())
                .next()
                .map_or(Cow::Borrowed(""), |(k, _)| k);
            (name, piece)
        })
}

/// `query` (without `?`) naming variant `v` instead of any it named: the other parameters kept as
/// written, `variant` last, as in a canonical address.
pub fn with_variant(query: &str, v: Variant) -> String {
    let rest = without_variant(query);
    let join = if rest.is_empty() { "" } else { "&" };
    format!("{rest}{join}variant={}", v.tag())
}

/// `query` (without `?`) without any `variant`, the other parameters kept as written.
pub fn without_variant(query: &str) -> String {
    pieces(query)
        .filter(|(name, _)| name != "variant")
        .map(|(_, piece)| piece)
        .collect::<Vec<_>>()
        .join("&")
}

/// Where `query`'s `variant` is not written as the site writes it (unknown, empty, another case or
/// encoding, repeated), the query as it should be: the first `variant` respelled in its place, or
/// dropped if it names none. `None` when it is already right (or absent).
pub fn respelled_variant(query: &str) -> Option<String> {
    let mut named = pieces(query).filter(|(name, _)| name == "variant");
    let first = named.next()?;
    let right = |piece: &str| {
        piece
            .strip_prefix("variant=")
            .is_some_and(|v| Variant::ALL.iter().any(|x| x.tag() == v))
    };
    if right(first.1) && named.next().is_none() {
        return None;
    }
    let wanted = variant(query).map(|v| format!("variant={}", v.tag()));
    let mut seen = false;
    let out: Vec<&str> = pieces(query)
        .filter_map(|(name, piece)| {
            if name != "variant" {
                Some(piece)
            } else if !std::mem::replace(&mut seen, true) {
                wanted.as_deref()
            } else {
                None
            }
        })
        .collect();
    Some(out.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_decoded_once() {
        let q = "?q=%253Cb%253E+%E5%B9%B2%E9%83%A8%26&after=1_2";
        assert_eq!(value(q, "q").as_deref(), Some("%3Cb%3E 干部&"));
        assert_eq!(value(q, "after").as_deref(), Some("1_2"));
        assert_eq!(value("", "q"), None);
        assert_eq!(variant("?x=1&variant=zh-TW"), Some(Variant::Tw));
        assert_eq!(variant("variant=zh%2DTW"), Some(Variant::Tw));
        assert_eq!(variant("%76ariant=zh-HK"), Some(Variant::Hk));
        assert_eq!(variant("variant=klingon"), None);
    }

    #[test]
    fn variant_replaced_or_dropped_others_kept() {
        assert_eq!(
            with_variant("after=17_3&variant=zh-Hans", Variant::Hk),
            "after=17_3&variant=zh-HK"
        );
        assert_eq!(
            with_variant("variant=zh-TW&q=%E5%B9%B2", Variant::Hant),
            "q=%E5%B9%B2&variant=zh-Hant"
        );
        assert_eq!(with_variant("", Variant::Tw), "variant=zh-TW");
        assert_eq!(without_variant("?a=1&variant=zh-TW&b=2"), "a=1&b=2");
        assert_eq!(without_variant("%76ariant=x"), "");
    }

    #[test]
    fn only_the_site_s_spelling_stands() {
        for fine in ["", "q=1", "variant=zh-TW", "after=1_2&variant=zh-Hant"] {
            assert_eq!(respelled_variant(fine), None, "{fine}");
        }
        for (given, want) in [
            ("variant=klingon", ""),
            ("variant=", ""),
            ("q=1&variant=klingon&x=2", "q=1&x=2"),
            ("variant=zh%2DTW", "variant=zh-TW"),
            ("variant=zh-tw&q=1", "variant=zh-TW&q=1"),
            ("%76ariant=zh-HK", "variant=zh-HK"),
            ("variant=zh-TW&variant=zh-HK", "variant=zh-TW"),
            ("variant=bad&variant=zh-HK", ""),
        ] {
            assert_eq!(respelled_variant(given).as_deref(), Some(want), "{given}");
        }
    }
}
