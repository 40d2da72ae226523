use crate::common;

use axum::http::StatusCode;
use common::*;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const BASE: &str = "https://portal.example";

struct Entry {
    id: String,
    title: String,
    link: String,
    updated: String,
    channel: String,
    content: String,
}

/// Checks the feed's required elements (RFC 4287) and returns its `xml:lang` and entries.
fn parse(xml: &str) -> (String, Vec<Entry>) {
    let doc = roxmltree::Document::parse(xml).expect("the feed parses as XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        n.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .unwrap_or_else(|| panic!("<{name}> missing"))
    }
    fn text(n: roxmltree::Node<'_, '_>, name: &str) -> String {
        child(n, name).text().unwrap_or("").to_owned()
    }
    assert!(text(feed, "id").starts_with(BASE));
    assert!(!text(feed, "title").is_empty());
    assert!(chrono::DateTime::parse_from_rfc3339(&text(feed, "updated")).is_ok());
    assert!(
        feed.children()
            .any(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"))
    );
    child(feed, "author");
    let lang = feed
        .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
        .expect("xml:lang")
        .to_owned();
    let entries = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            for date in ["published", "updated"] {
                let d = text(e, date);
                assert!(
                    chrono::DateTime::parse_from_rfc3339(&d).is_ok(),
                    "{date} {d}"
                );
            }
            Entry {
                id: text(e, "id"),
                title: text(e, "title"),
                link: child(e, "link").attribute("href").unwrap().to_owned(),
                updated: text(e, "updated"),
                channel: child(e, "category").attribute("term").unwrap().to_owned(),
                content: text(e, "content"),
            }
        })
        .collect();
    (lang, entries)
}

async fn feed(app: &TestApp, path: &str) -> (String, Vec<Entry>) {
    let (status, headers, body) = app
        .send(
            axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert!(
        headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml"),
        "{path}"
    );
    parse(std::str::from_utf8(&body).unwrap())
}

#[tokio::test]
async fn the_site_and_channel_feeds_list_the_seed_article_in_every_variant() {
    let app = TestApp::with_demo().await;
    let seed = format!("{BASE}/articles/{SEED_ID}");
    let (lang, entries) = feed(&app, "/feeds/site").await;
    assert_eq!(lang, "zh-Hans");
    assert!(!entries.is_empty() && entries.len() <= 20);
    let e = entries
        .iter()
        .find(|e| e.id == seed)
        .expect("the seed article");
    assert_eq!(e.title, SEED_TITLE);
    assert_eq!(e.link, seed);
    assert!(
        e.content.starts_with("<p>"),
        "content is the body's HTML, escaped"
    );
    let updated: Vec<&str> = entries.iter().map(|e| e.updated.as_str()).collect();
    assert!(updated.iter().all(|u| !u.is_empty()));
    let channel = e.channel.clone();

    for (variant, tag) in [
        ("zh-Hant", "zh-Hant"),
        ("zh-TW", "zh-TW"),
        ("zh-HK", "zh-HK"),
    ] {
        for path in [
            format!("/feeds/site?variant={variant}"),
            format!("/feeds/channels/{channel}?variant={variant}"),
        ] {
            let (lang, entries) = feed(&app, &path).await;
            assert_eq!(lang, tag);
            let url = format!("{seed}?variant={variant}");
            let e = entries
                .iter()
                .find(|e| e.id == url)
                .unwrap_or_else(|| panic!("seed missing from {path}"));
            assert_eq!(e.link, url);
            assert_ne!(e.title, SEED_TITLE, "{path}: title not converted");
            assert!(e.title.contains("奮進"), "{path}: {}", e.title);
            if variant == "zh-Hant" {
                for (wrong, right) in WRONG.iter().zip(RIGHT) {
                    assert!(!e.content.contains(wrong), "{path}: {wrong}");
                    // 頁面 is the toolbar's word, not the body's.
                    if right != "頁面" {
                        assert!(e.content.contains(right), "{path}: {right} missing");
                    }
                }
            }
        }
    }
    let (_, entries) = feed(&app, &format!("/feeds/channels/{channel}")).await;
    assert!(entries.iter().all(|e| e.channel == channel));
    assert!(entries.iter().any(|e| e.id == seed));
    assert_eq!(
        app.get("/feeds/channels/no-such-channel").await.0,
        StatusCode::NOT_FOUND
    );

    // An import shows at once; hostile text stays text.
    let hostile = "新</title><script>alert(1)</script>&amp;]]>";
    let mut line = seed_line_titled(hostile);
    line["id"] = "feed-new-1".into();
    line["published_at"] = "2030-01-01T08:00:00+08:00".into();
    app.import(&line.to_string()).await;
    let (_, entries) = feed(&app, "/feeds/site").await;
    assert_eq!(entries[0].id, format!("{BASE}/articles/feed-new-1"));
    assert_eq!(entries[0].title, hostile);
}

#[tokio::test]
async fn pages_link_their_feeds_in_the_variant_shown() {
    let app = TestApp::with_demo().await;
    let (_, html) = app.get(&format!("/articles/{SEED_ID}?variant=zh-HK")).await;
    let links: Vec<&str> = html
        .split("<link")
        .skip(1)
        .filter(|l| l.contains("application/atom+xml"))
        .collect();
    assert_eq!(links.len(), 2, "the site's feed and the channel's");
    assert!(links[0].contains("href=\"https://portal.example/feeds/site?variant=zh-HK\""));
    assert!(links[1].contains("href=\"https://portal.example/feeds/channels/"));
    assert!(links[1].contains("?variant=zh-HK\""));
    let (_, html) = app.get("/").await;
    assert_eq!(html.matches("application/atom+xml").count(), 1);
    assert!(html.contains("href=\"https://portal.example/feeds/site\""));
}
