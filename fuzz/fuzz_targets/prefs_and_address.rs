//! The preference cookie, page addresses and the query rule: never a panic; a canonical address
//! parses to itself, and a redirect target is canonical (one hop, no loop); a respelled `variant`
//! needs no second respelling.
#![no_main]
use app::reader::Prefs;
use libfuzzer_sys::fuzz_target;
use app::address::{Parsed, parse};

fuzz_target!(|input: (&str, &str, &str)| {
    let (cookie, path, query) = input;
    if let Some(p) = Prefs::from_cookie_header(cookie) {
        assert_eq!(Prefs::decode(&p.encode()), p);
    }
    if let Some(q) = app::query::respelled_variant(query) {
        assert_eq!(app::query::respelled_variant(&q), None, "{q} is respelled again");
        assert_eq!(app::query::variant(&q), app::query::variant(query));
    }
    let p = Prefs::decode(cookie);
    assert_eq!(Prefs::decode(&p.encode()), p);
    if let Parsed::Redirect(to) = parse(path, Some(query)) {
        let (to_path, to_query) = match to.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (to.as_str(), None),
        };
        assert_eq!(to_path, path);
        assert!(
            matches!(parse(to_path, to_query), Parsed::Page(_)),
            "{to} is not canonical"
        );
    }
});
