//! The JSONL import parser: any input gives articles or a line-numbered error, never a panic, and
//! what it accepts is sanitized.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(articles) = server::import::parse(text) {
        for a in articles {
            assert!(app::model::is_valid_article_id(&a.external_id));
            assert!(!a.body_html.to_ascii_lowercase().contains("<script"));
        }
    }
});
