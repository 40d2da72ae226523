//! Paging cursors: never a panic; an accepted cursor prints back to a form that parses to it.
#![no_main]
use app::model::Cursor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(c) = text.parse::<Cursor>() {
        assert!(c.row >= 1);
        assert_eq!(c.to_string().parse::<Cursor>(), Ok(c));
    }
});
