use crate::common;

use app::storage::Convert;
use app::variant::Variant;
use axum::http::StatusCode;
use common::*;
use server::search::fold;
use server::text::plain_text;

fn q(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The ids of the articles a results page links to, in order, and the page's HTML.
async fn search(app: &TestApp, query: &str) -> (Vec<String>, String) {
    let (status, html) = app.get(&format!("/search?{query}")).await;
    if std::env::var_os("SHOW").is_some() {
        eprintln!("{html}");
    }
    assert_eq!(status, StatusCode::OK, "{query}");
    (found(&html), html)
}

fn next_page(html: &str) -> Option<String> {
    let tag = html.split("<a ").find(|t| {
        let t = t.split('>').next().unwrap_or_default();
        t.contains("rel=\"next\"")
    })?;
    let at = tag.find("href=\"/search?")? + "href=\"/search?".len();
    let href = &tag[at..];
    Some(href[..href.find('"')?].replace("&amp;", "&"))
}

#[tokio::test]
async fn a_query_in_any_script_finds_the_seed_article() {
    let app = TestApp::with_demo().await;
    let converter = server::convert::Converter::new(&server::convert::Glossary::builtin());
    // A sentence of the seed as a Taiwan reader would type it (our own zh-TW rendering).
    let seed = plain_text(&server::import::parse(&server::demo::jsonl()).unwrap()[0].body_html);
    let sentence: String = seed
        .split(['。', ',', ','])
        .find(|s| s.contains("修复工程"))
        .unwrap()
        .trim()
        .to_owned();
    let tw = converter.text(Variant::Tw, &sentence);
    assert_ne!(tw, sentence);
    for query in [
        "修復工程",
        "修复工程",
        "乾淨",
        "干净",
        "干部",
        "幹部",
        &tw,
        "苏区 干净",
        "蘇",
    ] {
        let (ids, html) = search(&app, &format!("q={}", q(query))).await;
        assert!(ids.contains(&SEED_ID.to_owned()), "{query}: {ids:?}");
        assert!(html.contains("<mark>"), "{query}: matches marked");
    }
    // Marked in the reader's variant, phrase-correct.
    let (_, html) = search(&app, &format!("q={}&variant=zh-Hant", q("干净"))).await;
    assert!(html.contains("<mark>乾淨</mark>"), "{html}");
    let (_, html) = search(&app, &format!("q={}&variant=zh-TW", q("修复工程"))).await;
    assert!(html.contains("<mark>修復工程</mark>"));
    assert!(html.contains("<html lang=\"zh-TW\""));
    // Nothing holds it.
    let (ids, html) = search(&app, &format!("q={}", q("量子计算机"))).await;
    assert!(ids.is_empty());
    assert!(html.contains("没有找到"));
}

#[tokio::test]
async fn title_matches_come_first_then_the_newest() {
    let app = TestApp::with_demo().await;
    let mut late = seed_line_titled("另一篇文章");
    late["id"] = "late-1".into();
    late["published_at"] = "2023-01-01T09:00:00+08:00".into();
    late["body_html"] = "<p>红色苏区的新消息。</p>".into();
    app.import(&format!("{late}\n")).await;
    let (ids, _) = search(&app, &format!("q={}", q("红色苏区"))).await;
    assert_eq!(ids[0], SEED_ID, "the title match first: {ids:?}");
    assert!(ids.contains(&"late-1".to_owned()));
}

/// The ids of `articles` (in import order) holding `term`, in search order: title matches first,
/// then the rest, each newest first (the later import first at the same time).
fn ranked(articles: &[server::import::NewArticle], term: &str) -> Vec<String> {
    let mut ranked: Vec<(bool, i64, usize, String)> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| fold(&format!("{}\n{}", a.title, plain_text(&a.body_html))).contains(term))
        .map(|(i, a)| {
            let in_title = fold(&a.title).contains(term);
            (
                !in_title,
                -a.published_utc,
                usize::MAX - i,
                a.external_id.clone(),
            )
        })
        .collect();
    ranked.sort();
    ranked.into_iter().map(|r| r.3).collect()
}

#[tokio::test]
async fn results_are_paged_by_cursor_and_hold_exactly_the_matching_articles() {
    let app = TestApp::with_demo().await;
    let articles = server::import::parse(&server::demo::jsonl()).unwrap();
    for term in [
        "演示",
        "会议",
        "发展",
        "工作",
        "的",
        "高质量发展",
        "示例文章",
    ] {
        let mut expected = ranked(&articles, term);
        let order = expected.clone();
        let mut seen = Vec::new();
        let mut query = format!("q={}", q(term));
        let mut pages = 0;
        loop {
            let (ids, html) = search(&app, &query).await;
            assert!(ids.len() <= 10);
            seen.extend(ids);
            pages += 1;
            match next_page(&html) {
                Some(next) => query = next,
                None => break,
            }
        }
        assert_eq!(pages, expected.len().div_ceil(10).max(1), "{term}");
        assert_eq!(seen, order, "{term}: in search order");
        let mut got = seen.clone();
        got.sort();
        got.dedup();
        assert_eq!(got.len(), seen.len(), "{term}: no article twice");
        expected.sort();
        assert_eq!(got, expected, "{term}");
    }
    // A cursor that is not one names no page (as on channels).
    let (status, _) = app.get(&format!("/search?q={}&after=x", q("演示"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_index_follows_imports_all_or_nothing() {
    let app = TestApp::with_demo().await;
    app.import(&format!("{}\n", seed_line_titled("蓝莓节开幕")))
        .await;
    assert_eq!(
        search(&app, &format!("q={}", q("藍莓節"))).await.0,
        [SEED_ID]
    );
    assert!(
        search(&app, &format!("q={}", q("奋进之力实干之行")))
            .await
            .0
            .is_empty()
    );
    // A rejected file changes nothing, in the index either.
    let mut orphan = seed_line_titled("另一篇");
    orphan["id"] = "orphan-1".into();
    orphan["department"] = serde_json::Value::Null;
    orphan["channel"] = "不存在的栏目".into();
    let bad = format!("{}\n{orphan}\n", seed_line_titled("草莓节开幕"));
    let lines = server::import::parse(&bad).unwrap();
    assert!(app.db.import(&lines, &|_| {}).await.is_err());
    assert!(
        search(&app, &format!("q={}", q("草莓节")))
            .await
            .0
            .is_empty()
    );
    assert_eq!(
        search(&app, &format!("q={}", q("蓝莓节"))).await.0,
        [SEED_ID]
    );
}

#[tokio::test]
async fn an_index_made_under_another_folding_is_made_again() {
    let app = TestApp::with_demo().await;
    let url = database_url(&app.dir);
    if url.starts_with("sqlite:") {
        execute(
            &url,
            "INSERT INTO article_search (article_search) VALUES ('delete-all')",
        );
    } else {
        execute(&url, "DELETE FROM article_search");
    }
    execute(&url, "UPDATE search_state SET scheme = 'older'");
    assert!(search(&app, &format!("q={}", q("干部"))).await.0.is_empty());
    let app = app.restarted().await;
    assert!(
        search(&app, &format!("q={}", q("干部")))
            .await
            .0
            .contains(&SEED_ID.to_owned())
    );
}

#[tokio::test]
async fn query_syntax_and_hostile_text_stay_text() {
    let app = TestApp::with_demo().await;
    let mut line = seed_line_titled("<script>alert(1)</script>警示词\"'&");
    line["id"] = "hostile-1".into();
    app.import(&format!("{line}\n")).await;
    for query in [
        "\"",
        "*",
        "'",
        "\\",
        "NEAR(",
        "OR",
        "AND NOT",
        "\" OR 1=1 --",
        "'); DROP TABLE article; --",
        "%",
        "_",
        "{title}:",
        "警示词*",
        "<script>",
        "干部 干部 干部 干部 干部 干部 干部 干部 干部",
        "",
    ] {
        let (status, html) = app.get(&format!("/search?q={}", q(query))).await;
        assert_eq!(status, StatusCode::OK, "{query:?}");
        assert!(!html.contains("<script>alert"), "{query:?}");
    }
    // A query is decoded once: what the reader typed is what the page and its box show.
    for query in ["%3Cscript%3E", "%25", "100%", "a+b"] {
        let (_, html) = app.get(&format!("/search?q={}", q(query))).await;
        assert!(
            html.contains(&format!("<h1>搜索结果:{query}</h1>")),
            "{query}"
        );
        assert!(html.contains(&format!("value=\"{query}\"")), "{query}");
    }
    let long = "干".repeat(5000);
    let (status, _) = app.get(&format!("/search?q={}", q(&long))).await;
    assert!(status == StatusCode::OK || status == StatusCode::URI_TOO_LONG);
    let (ids, html) = search(&app, &format!("q={}", q("警示词"))).await;
    assert_eq!(ids, ["hostile-1"]);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;<mark>警示词</mark>"),
        "{html}"
    );
    assert_eq!(
        scalar(&database_url(&app.dir), "SELECT COUNT(*) FROM article"),
        42
    );
}

#[tokio::test]
async fn a_large_import_is_indexed_whole_and_an_article_twice_keeps_its_last_text() {
    let app = TestApp::with_demo().await;
    // Past the size at which the index is written in parts.
    let mut out = Vec::new();
    server::generate::write(&mut out, 1500, 3).unwrap();
    let jsonl = String::from_utf8(out).unwrap();
    let mut articles = server::import::parse(&jsonl).unwrap();
    // Files name an article once; a caller handing the store one twice gets the last text.
    for title in ["蓝莓节开幕", "草莓节开幕"] {
        articles.extend(server::import::parse(&seed_line_titled(title).to_string()).unwrap());
    }
    app.db.import(&articles, &|_| {}).await.unwrap();
    app.refresh().await;
    for term in ["1007", "749", "1499"] {
        let expected: Vec<String> = articles
            .iter()
            .filter(|a| fold(&format!("{}\n{}", a.title, plain_text(&a.body_html))).contains(term))
            .map(|a| a.external_id.clone())
            .collect();
        assert!(!expected.is_empty() && expected.len() < 10, "{term}");
        let mut got = search(&app, &format!("q={term}")).await.0;
        got.sort();
        assert_eq!(got, expected, "{term}");
    }
    assert_eq!(
        search(&app, &format!("q={}", q("草莓节"))).await.0,
        [SEED_ID]
    );
    assert!(
        search(&app, &format!("q={}", q("蓝莓节")))
            .await
            .0
            .is_empty()
    );
}

/// Terms from common to rare over 1,500 articles, with the database's statistics made: each first
/// page and the next in search order, however the backend goes about finding them.
#[tokio::test]
async fn common_and_rare_terms_come_in_search_order_at_scale() {
    let app = TestApp::with_demo().await;
    let mut out = Vec::new();
    server::generate::write(&mut out, 1500, 5).unwrap();
    let generated = server::import::parse(&String::from_utf8(out).unwrap()).unwrap();
    app.db.import(&generated, &|_| {}).await.unwrap();
    app.refresh().await;
    common::execute(&common::database_url(&app.dir), "ANALYZE");
    let mut articles = server::import::parse(&server::demo::jsonl()).unwrap();
    articles.extend(generated);
    let texts: Vec<String> = articles
        .iter()
        .map(|a| fold(&format!("{}\n{}", a.title, plain_text(&a.body_html))))
        .collect();
    let share =
        |term: &str| texts.iter().filter(|t| t.contains(term)).count() as f64 / texts.len() as f64;
    // Pieces of one article's text, by how many articles hold them.
    let chars: Vec<char> = texts[50]
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect();
    let mut pieces: Vec<(f64, String)> = [1, 2, 3, 4]
        .iter()
        .flat_map(|&n| (0..chars.len() - n).step_by(7).map(move |i| (n, i)))
        .take(400)
        .map(|(n, i)| chars[i..i + n].iter().collect::<String>())
        .map(|p| (share(&p), p))
        .collect();
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
    let pick = |n: usize, lo: f64, hi: f64| {
        pieces
            .iter()
            .find(|(f, p)| p.chars().count() == n && (lo..hi).contains(f))
            .map(|(_, p)| p.clone())
    };
    let terms: Vec<String> = [
        pick(2, 0.5, 1.0),
        pick(2, 0.05, 0.5),
        pick(2, 0.003, 0.02),
        pick(1, 0.3, 1.0),
        pick(4, 0.05, 1.0),
        pick(3, 0.003, 0.02),
        Some(
            articles[700]
                .title
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(terms.len() >= 5, "{terms:?}");
    for term in &terms {
        let expected = ranked(&articles, term);
        let (first, html) = search(&app, &format!("q={}", q(term))).await;
        let mut seen = first;
        if let Some(next) = next_page(&html) {
            seen.extend(search(&app, &next).await.0);
        }
        let n = expected.len().min(20);
        assert_eq!(
            seen,
            expected[..n],
            "{term} (in {:.1} % of articles)",
            share(term) * 100.0
        );
    }
}
