use crate::common;

use axum::http::StatusCode;
use common::*;

const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// A `<url>`: its `loc`, its `lastmod` and its alternates (hreflang, href).
type Url = (String, Option<String>, Vec<(String, String)>);

/// Each `<url>` of a `urlset`.
fn urls(xml: &str) -> Vec<Url> {
    let doc = roxmltree::Document::parse(xml).expect("the sitemap parses as XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(root.tag_name().namespace(), Some(SM));
    root.children()
        .filter(|n| n.has_tag_name((SM, "url")))
        .map(|u| {
            let text = |name| {
                u.children()
                    .find(|n| n.has_tag_name((SM, name)))
                    .and_then(|n| n.text())
                    .map(str::to_owned)
            };
            let links = u
                .children()
                .filter(|n| n.has_tag_name((XHTML, "link")))
                .map(|l| {
                    assert_eq!(l.attribute("rel"), Some("alternate"));
                    (
                        l.attribute("hreflang").unwrap().to_owned(),
                        l.attribute("href").unwrap().to_owned(),
                    )
                })
                .collect();
            (text("loc").expect("loc"), text("lastmod"), links)
        })
        .collect()
}

#[tokio::test]
async fn the_sitemap_lists_every_page_in_every_variant_with_its_alternates() {
    let app = TestApp::with_demo().await;
    let (status, headers, body) = app
        .send(
            axum::http::Request::get("/sitemap.xml")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let list = urls(std::str::from_utf8(&body).unwrap());
    let articles = app.db.article_count().await.unwrap() as usize;
    let channels = app.db.sitemap_channels().await.unwrap().len();
    // The front page, 网站地图 and 无障碍声明, then channels and articles.
    assert_eq!(list.len(), 4 * (3 + channels + articles));

    let seed = format!("https://portal.example/articles/{SEED_ID}");
    let expected = [
        ("zh-Hans", seed.clone()),
        ("zh-Hant", format!("{seed}?variant=zh-Hant")),
        ("zh-TW", format!("{seed}?variant=zh-TW")),
        ("zh-HK", format!("{seed}?variant=zh-HK")),
        ("x-default", seed.clone()),
    ];
    for (_, href) in &expected[..4] {
        let (_, lastmod, links) = list
            .iter()
            .find(|(loc, _, _)| loc == href)
            .unwrap_or_else(|| panic!("{href} not listed"));
        let lastmod = lastmod.as_deref().expect("lastmod");
        assert!(
            chrono::DateTime::parse_from_rfc3339(lastmod).is_ok(),
            "lastmod {lastmod}"
        );
        let links: Vec<(&str, &str)> = links
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let want: Vec<(&str, &str)> = expected.iter().map(|(a, b)| (*a, b.as_str())).collect();
        assert_eq!(links, want);
        // Every address listed is a page that exists.
        let path = href.strip_prefix("https://portal.example").unwrap();
        assert_eq!(app.get(path).await.0, StatusCode::OK, "{path}");
    }
    assert!(
        list.iter()
            .any(|(loc, _, _)| loc == "https://portal.example/?variant=zh-HK")
    );
    for page in ["/site-map", "/accessibility"] {
        let loc = format!("https://portal.example{page}?variant=zh-TW");
        assert!(list.iter().any(|(l, _, _)| *l == loc), "{loc} not listed");
        assert_eq!(app.get(page).await.0, StatusCode::OK, "{page}");
    }
    for (loc, _, _) in list.iter().filter(|(l, _, _)| l.contains("/channels/")) {
        let path = loc.strip_prefix("https://portal.example").unwrap();
        assert_eq!(app.get(path).await.0, StatusCode::OK, "{path}");
    }

    // An import shows in the sitemap at once (what was made before is dropped with the pages).
    let mut line = seed_line_titled("新的一篇");
    line["id"] = "sitemap-new-1".into();
    app.import(&line.to_string()).await;
    let (_, body) = app.get("/sitemap.xml").await;
    let list = urls(&body);
    assert_eq!(list.len(), 4 * (3 + channels + articles + 1));
    assert!(list
        .iter()
        .any(|(loc, _, _)| loc == "https://portal.example/articles/sitemap-new-1?variant=zh-TW"));

    assert_eq!(app.get("/sitemaps/1.xml").await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/sitemaps/x.xml").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn robots_txt_names_the_sitemap() {
    let app = TestApp::with_demo().await;
    let (status, body) = app.get("/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("User-agent: *"));
    assert!(
        body.lines()
            .any(|l| l == "Sitemap: https://portal.example/sitemap.xml")
    );
}

#[tokio::test]
async fn past_fifty_thousand_urls_the_sitemap_is_an_index_of_files() {
    let app = TestApp::empty().await;
    let mut jsonl = Vec::new();
    server::generate::write(&mut jsonl, 12_600, 3).unwrap();
    app.import(std::str::from_utf8(&jsonl).unwrap()).await;
    let (status, body) = app.get("/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&body).expect("the index parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let files: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SM, "loc")))
        .map(|n| n.text().unwrap().to_owned())
        .collect();
    assert_eq!(
        files,
        [
            "https://portal.example/sitemaps/1.xml",
            "https://portal.example/sitemaps/2.xml"
        ]
    );
    let mut seen = std::collections::HashSet::new();
    for (n, file) in files.iter().enumerate() {
        let (status, body) = app
            .get(file.strip_prefix("https://portal.example").unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        let list = urls(&body);
        assert!(list.len() <= 50_000, "file {n}: {} urls", list.len());
        for (loc, _, _) in list {
            assert!(seen.insert(loc.clone()), "{loc} listed twice");
        }
    }
    // Every address once per variant: 3 pages, 3 channels, 12,600 articles.
    assert_eq!(seen.len(), 4 * (3 + 3 + 12_600));
    assert_eq!(app.get("/sitemaps/3.xml").await.0, StatusCode::NOT_FOUND);
}
