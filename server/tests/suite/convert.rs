//! Conversion quality: the seed page's known traps, the glossary, and OpenCC's own test cases.

use crate::common;

use app::storage::Convert;
use app::variant::Variant;
use common::{RIGHT, WRONG};
use server::convert::{Converter, Glossary};

const TRADITIONAL: [Variant; 3] = [Variant::Hant, Variant::Tw, Variant::Hk];

fn converter() -> Converter {
    Converter::new(&Glossary::builtin())
}

#[test]
fn seed_page_has_no_wrong_forms_and_all_right_ones() {
    let page = include_str!("../data/meizhou-article-zh-Hans.txt");
    let c = converter();
    for v in TRADITIONAL {
        let out = c.text(v, page);
        for wrong in WRONG {
            assert!(!out.contains(wrong), "{v:?} writes {wrong}");
        }
        for right in RIGHT {
            assert!(out.contains(right), "{v:?} lacks {right}");
        }
    }
}

#[test]
fn seed_article_html_converts_text_only() {
    let seed: serde_json::Value =
        serde_json::from_str(include_str!("../../data/meizhou-article.jsonl")).unwrap();
    let body = seed["body_html"].as_str().unwrap();
    let c = converter();
    for v in TRADITIONAL {
        let out = c.html(v, body);
        assert_eq!(out.matches("<p>").count(), body.matches("<p>").count());
        assert!(out.contains("好幹部") && out.contains("乾淨") && !out.contains("好乾部"));
    }
    assert_eq!(c.html(Variant::Hans, body), body);
}

#[test]
fn glossary_names_in_every_traditional_variant() {
    let c = converter();
    for v in TRADITIONAL {
        assert_eq!(c.text(v, "梅县区松口镇"), "梅縣區松口鎮");
        assert_eq!(c.text(v, "好干部"), "好幹部");
    }
}

/// Scores our converter on OpenCC's cases for the configs behind our variants. The floors are the
/// rates measured when the converter was chosen, so a regression fails; the rates are printed.
#[test]
fn opencc_peer_cases() {
    let c = converter();
    let suites = [
        (
            "testcases",
            include_str!("../data/opencc/opencc_testcases.tsv"),
        ),
        (
            "golden",
            include_str!("../data/opencc/opencc_golden_us_constitution.tsv"),
        ),
    ];
    let configs = [
        ("s2t", Variant::Hant),
        ("s2tw", Variant::Tw),
        ("s2hk", Variant::Hk),
    ];
    let floors = [("testcases", [86, 56, 45]), ("golden", [158, 158, 158])];
    for (suite, text) in suites {
        for (i, (config, variant)) in configs.iter().enumerate() {
            let rows: Vec<Vec<&str>> = text
                .lines()
                .skip(1)
                .map(|l| l.split('\t').collect::<Vec<_>>())
                .filter(|r| r.len() == 4 && r[0] == *config)
                .collect();
            let passed = rows
                .iter()
                .filter(|r| c.text(*variant, r[2]) == r[3])
                .count();
            println!("{suite} {config}: {passed}/{}", rows.len());
            let floor = floors.iter().find(|(s, _)| *s == suite).unwrap().1[i];
            assert!(
                passed >= floor,
                "{suite} {config}: {passed}/{} < {floor}",
                rows.len()
            );
        }
    }
}
