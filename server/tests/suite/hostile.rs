//! The hostile web through the real router on a real SQLite file: HEAD requests, hostile imported
//! text in `<head>`, the script policy and its nonces, junk addresses, renders racing imports,
//! what counts as a view, bad input of every kind, and hostile text in feeds and the sitemap.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{SEED_ID, TestApp, nonce_of};
use std::sync::Arc;

const HOSTILE_TITLE: &str = "标题</title><script>alert(document.domain)</script>";

fn article_line(id: &str, field: &str, value: &str) -> String {
    let mut line = serde_json::json!({
        "id": id, "site": "梅州市人民政府门户网站", "department": "梅州市人民政府发展研究中心",
        "channel": "工作动态", "title": "普通标题", "source": "梅州日报",
        "published_at": "2030-01-01T08:00:00+08:00", "body_html": "<p>正文</p>",
    });
    line[field] = value.into();
    line.to_string()
}

fn head_of(html: &str) -> &str {
    &html[..html.find("</head>").expect("a <head>")]
}

/// Every `<script` in the page carries the response's nonce, and the policy names it.
fn scripts_carry_the_nonce(html: &str, headers: &axum::http::HeaderMap) {
    let nonce = nonce_of(html);
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains(&format!("'nonce-{nonce}'")), "{policy}");
    assert!(!policy.contains("unsafe-inline"));
    let scripts = html.matches("<script").count();
    assert!(scripts >= 1);
    assert_eq!(
        html.matches(&format!("<script nonce=\"{nonce}\"")).count()
            + html
                .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                .count(),
        scripts,
        "a script without this response's nonce"
    );
    assert!(!html.contains(server::security::nonce_slot()));
}

#[tokio::test]
async fn head_then_get_serves_the_whole_page() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}?variant=zh-TW");
    let head = Request::head(&path).body(Body::empty()).unwrap();
    let (status, _, _) = app.send(head).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, html) = app.get_with(&path, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.len() > 10_000,
        "a whole page, not {} bytes",
        html.len()
    );
    assert!(html.contains("推動紅色蘇區綠色發展"));
    assert_eq!(app.pages.stats(), (1, 1), "the GET was served from memory");
    scripts_carry_the_nonce(&html, &headers);
    // HEAD counted nothing; the GET counted one.
    assert!(html.contains("<span class=\"view-count\">1</span>"));
}

#[tokio::test]
async fn hostile_text_from_an_import_stays_text_in_head_and_body() {
    let app = TestApp::with_demo().await;
    let lines = [
        article_line("x-title", "title", HOSTILE_TITLE),
        article_line("x-source", "source", "\"><svg onload=alert(1)>"),
        article_line("x-author", "author", "</script><script>alert(2)</script>"),
        article_line("x-subtitle", "subtitle", "<img src=x onerror=alert(3)>"),
    ]
    .join("\n");
    app.import(&lines).await;
    for variant in ["", "?variant=zh-Hant", "?variant=zh-TW", "?variant=zh-HK"] {
        let (status, headers, html) = app
            .get_with(&format!("/articles/x-title{variant}"), &[])
            .await;
        assert_eq!(status, StatusCode::OK);
        let head = head_of(&html);
        assert!(!head.contains("<script>alert"), "{variant}: {head}");
        assert!(
            head.contains("&lt;/title&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt;"),
            "{variant}: title not escaped as text"
        );
        assert!(!head.contains("&amp;lt;"), "escaped twice");
        scripts_carry_the_nonce(&html, &headers);
        for id in ["x-source", "x-author", "x-subtitle"] {
            let (_, headers, html) = app.get_with(&format!("/articles/{id}{variant}"), &[]).await;
            scripts_carry_the_nonce(&html, &headers);
            assert!(!html.contains("<svg onload") && !html.contains("<img src=x"));
        }
    }
}

#[tokio::test]
async fn every_response_carries_the_policy_headers() {
    let app = TestApp::with_demo().await;
    let article = format!("/articles/{SEED_ID}");
    let mut nonces = Vec::new();
    for path in [&article, &article, "/", "/channels/gzdt", "/articles/nope"] {
        let (_, headers, html) = app.get_with(path, &[]).await;
        scripts_carry_the_nonce(&html, &headers);
        nonces.push(nonce_of(&html));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(
            headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
        let policy = headers["content-security-policy"].to_str().unwrap();
        for d in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
            "'wasm-unsafe-eval'",
        ] {
            assert!(policy.contains(d), "{path}: {d}");
        }
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(
        nonces.len(),
        5,
        "a fresh nonce for every response, hits included"
    );
    for path in [
        format!("/api/articles/{SEED_ID}"),
        "/api/nope".into(),
        "/prefs?variant=zh-TW&back=/".into(),
        format!("/articles/{SEED_ID}?utm=1"),
    ] {
        let (_, headers, _) = app.get_with(&path, &[]).await;
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            headers["content-security-policy"],
            server::security::OTHER_POLICY,
            "{path}"
        );
    }
    // A revalidated copy keeps the policy it came with: a 304 carries none.
    let (_, headers, _) = app.get_with("/", &[]).await;
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let (status, headers, _) = app.get_with("/", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(!headers.contains_key("content-security-policy"));
}

#[tokio::test]
async fn junk_addresses_neither_fill_the_cache_nor_evict_a_hot_page() {
    let app = TestApp::with_demo().await;
    let hot = format!("/articles/{SEED_ID}");
    app.get(&hot).await;
    for i in 0..10_000u32 {
        let junk = match i % 5 {
            0 => format!("{hot}?utm_source={i}"),
            1 => format!("{hot}?variant=x{i}"),
            2 => format!("/channels/gzdt?after={i}_{i}&variant=zh-TW&x={i}"),
            3 => format!("/articles/junk-{i}"),
            _ => format!("/channels/gzdt?after=00{i}_1"),
        };
        let (status, _) = app.get(&junk).await;
        assert!(
            matches!(
                status,
                StatusCode::MOVED_PERMANENTLY | StatusCode::NOT_FOUND
            ),
            "{junk}: {status}"
        );
        if i % 100 == 0 {
            app.get(&hot).await;
        }
    }
    let (hits_before, _) = app.pages.stats();
    app.get(&hot).await;
    assert_eq!(
        app.pages.stats().0,
        hits_before + 1,
        "the hot page is still held"
    );
    assert!(app.pages.len() <= 2, "{} pages held", app.pages.len());
}

#[tokio::test]
async fn a_render_that_an_import_overtook_is_not_kept() {
    let app = TestApp::with_demo().await;
    app.refresh().await;
    let pages = app.pages.clone();
    let db = app.db.clone();
    // The import commits (and the watcher drops the pages) while this page is being rendered.
    let inner = tower::service_fn(move |_req: axum::extract::Request| {
        let (pages, db) = (pages.clone(), db.clone());
        async move {
            let line = article_line("during-render", "title", "渲染中导入");
            let articles = server::import::parse(&line).unwrap();
            db.import(&articles, &|_| {}).await.unwrap();
            pages.refresh(db.as_ref(), 0).await;
            Ok::<_, std::convert::Infallible>(
                axum::response::Response::builder()
                    .header("content-type", "text/html; charset=utf-8")
                    .body(Body::from("<html>rendered from the old content</html>"))
                    .unwrap(),
            )
        }
    });
    let cached = server::page_cache::Cached::new(app.pages.clone(), inner);
    use tower::ServiceExt;
    let res = cached
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.pages.len(), 0, "the stale render was sent but not kept");
}

/// The real storage, except that the portal's name cannot be read.
struct NoSiteName(Arc<dyn app::storage::Storage>);

#[async_trait::async_trait]
impl app::storage::Storage for NoSiteName {
    async fn site_name(&self) -> Result<String, app::storage::StorageError> {
        Err(app::storage::StorageError::Backend(
            "site table unreadable".into(),
        ))
    }
    async fn home(&self, n: u32) -> Result<app::model::Home, app::storage::StorageError> {
        self.0.home(n).await
    }
    async fn channel_page(
        &self,
        slug: &str,
        query: app::model::PageQuery,
        limit: u32,
    ) -> Result<Option<app::model::ChannelPage>, app::storage::StorageError> {
        self.0.channel_page(slug, query, limit).await
    }
    async fn article(
        &self,
        id: &str,
    ) -> Result<Option<app::model::Article>, app::storage::StorageError> {
        self.0.article(id).await
    }
    async fn record_view(&self, id: &str) -> Result<Option<i64>, app::storage::StorageError> {
        self.0.record_view(id).await
    }
    async fn live_views(&self, id: &str) -> Result<Option<i64>, app::storage::StorageError> {
        self.0.live_views(id).await
    }
    async fn search(
        &self,
        key: &str,
        terms: &[String],
        after: Option<app::model::SearchCursor>,
        limit: u32,
    ) -> Result<app::model::SearchResults, app::storage::StorageError> {
        self.0.search(key, terms, after, limit).await
    }
}

#[tokio::test]
async fn a_page_rendered_without_its_interface_text_is_sent_but_not_kept() {
    let app = TestApp::with_storage(|s| Arc::new(NoSiteName(s))).await;
    app.import(&server::demo::jsonl()).await;
    let path = format!("/articles/{SEED_ID}");
    for n in 1..=2 {
        let (status, headers, html) = app.get_with(&path, &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("以感恩之心"));
        assert_eq!(headers["cache-control"], "no-store");
        assert!(html.contains(&format!("<span class=\"view-count\">{n}</span>")));
    }
    assert_eq!(app.pages.len(), 0);
}

#[tokio::test]
async fn only_a_readers_get_is_a_view_and_counts_once() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let views = || async {
        let (_, json) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
        json["view_count"].as_i64().unwrap()
    };
    for _ in 0..3 {
        let req = Request::head(&path).body(Body::empty()).unwrap();
        assert_eq!(app.send(req).await.0, StatusCode::OK);
    }
    for ua in [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    ] {
        let (status, _, _) = app.get_with(&path, &[("user-agent", ua)]).await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(views().await, 0, "HEAD and crawlers are not readers");
    for i in 0..50 {
        let (status, _, _) = app.get_with(&format!("{path}?junk={i}"), &[]).await;
        assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    }
    assert_eq!(views().await, 0, "a redirect is not a view");
    let (_, _, html) = app.get_with(&path, &[("user-agent", "Mozilla/5.0")]).await;
    assert!(html.contains("<span class=\"view-count\">1</span>"));
    app.get_with(&format!("{path}?variant=zh-HK"), &[]).await;
    assert_eq!(
        views().await,
        2,
        "one view per page request, whatever the variant"
    );
}

/// The bad-input table of the README, row by row: a 4xx or a redirect, never a 5xx, and the
/// server keeps serving.
#[tokio::test]
async fn bad_input_gets_a_4xx_or_a_redirect_never_a_5xx() {
    let app = TestApp::with_demo().await;
    let long_path = format!("/articles/{}", "a".repeat(3000));
    let long_query = format!("/?q={}", "x".repeat(3000));
    let cookie = format!("reader={}", "x".repeat(20_000));
    let cases: Vec<(&str, Request<Body>, StatusCode)> = vec![
        ("over-long path", get(&long_path), StatusCode::URI_TOO_LONG),
        (
            "over-long query",
            get(&long_query),
            StatusCode::URI_TOO_LONG,
        ),
        (
            "query junk",
            get("/?a=%ZZ&b"),
            StatusCode::MOVED_PERMANENTLY,
        ),
        (
            "invalid UTF-8 in query",
            get("/?variant=%FF%FE"),
            StatusCode::MOVED_PERMANENTLY,
        ),
        (
            "invalid UTF-8 in path",
            get("/articles/%FF%FE"),
            StatusCode::NOT_FOUND,
        ),
        (
            "bad percent-encoding in path",
            get("/articles/%zz"),
            StatusCode::NOT_FOUND,
        ),
        (
            "20 KB cookie",
            Request::get("/")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
            StatusCode::OK,
        ),
        (
            "unknown variant",
            get("/?variant=zh-XX"),
            StatusCode::MOVED_PERMANENTLY,
        ),
        ("negative id", get("/articles/-1"), StatusCode::NOT_FOUND),
        (
            "huge id",
            get("/articles/99999999999999999999999999999999"),
            StatusCode::NOT_FOUND,
        ),
        (
            "id with a dot first",
            get("/articles/.env"),
            StatusCode::NOT_FOUND,
        ),
        (
            "non-numeric cursor",
            get("/channels/gzdt?after=abc"),
            StatusCode::NOT_FOUND,
        ),
        (
            "negative cursor row",
            get("/channels/gzdt?after=1_-1"),
            StatusCode::NOT_FOUND,
        ),
        (
            "huge cursor",
            get("/channels/gzdt?after=99999999999999999999_1"),
            StatusCode::NOT_FOUND,
        ),
        (
            "api: malformed id",
            get("/api/articles/a%20b"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "api: bad cursor",
            get("/api/channels/gzdt/articles?after=x"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "POST to a page",
            Request::post("/").body(Body::from("x")).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "DELETE to an article",
            Request::delete(format!("/articles/{SEED_ID}"))
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "oversized server-function body",
            Request::post("/_fn/article")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("content-length", "1048576")
                .body(Body::from(vec![b'a'; 1 << 20]))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "malformed server-function body",
            Request::post("/_fn/article")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("id=%ZZ&variant=klingon"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (what, req, expected) in cases {
        let (status, headers, _) = app.send(req).await;
        assert_eq!(status, expected, "{what}");
        assert!(headers.contains_key("content-security-policy"), "{what}");
    }
    assert_eq!(app.get("/").await.0, StatusCode::OK, "still serving");
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn hostile_text_stays_text_in_feeds_and_the_sitemap() {
    let app = TestApp::empty().await;
    let evil = "\"'><x:y/>&amp;]]><!--<script>alert(1)</script>";
    let mut line: serde_json::Value =
        serde_json::from_str(&article_line("x-feed", "title", evil)).unwrap();
    for field in [
        "site",
        "department",
        "channel",
        "source",
        "author",
        "subtitle",
    ] {
        line[field] = format!("{field}{evil}").into();
    }
    app.import(&line.to_string()).await;
    for variant in ["", "?variant=zh-Hant", "?variant=zh-TW", "?variant=zh-HK"] {
        let (status, headers, body) = app
            .send(
                Request::get(format!("/feeds/site{variant}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let xml = String::from_utf8(body).unwrap();
        let doc = roxmltree::Document::parse(&xml).expect("the feed parses");
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(
            texts.contains(&evil),
            "{variant}: the title comes back as the same text"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("site") && t.ends_with(evil))
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("author") && t.ends_with(evil))
        );
        let labels: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("label"))
            .collect();
        assert_eq!(labels, [format!("channel{evil}").as_str()], "{variant}");
        assert!(
            !doc.descendants()
                .any(|n| n.tag_name().name() == "script" || n.tag_name().name() == "y"),
            "{variant}: markup from the import became elements"
        );
    }
    let slug = app.db.sitemap_channels().await.unwrap()[0].0.clone();
    let (status, _) = app.get(&format!("/feeds/channels/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, xml) = app.get("/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&xml).expect("the sitemap parses");
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("url") || n.tag_name().name() == "url")
            .count(),
        // The front page, 网站地图, 无障碍声明, the channel and the article, in four variants.
        4 * 5
    );
}

#[tokio::test]
async fn control_characters_are_refused_at_import_and_never_reach_a_feed() {
    // An import names the field and the character, and stores nothing.
    let line = article_line("x-control", "title", "标题\u{1}");
    let err = server::import::parse(&line).unwrap_err();
    assert!(err.reason.contains("\"title\" holds U+0001"), "{err}");
    // In a body they are dropped (a form feed is white space).
    let line = article_line("x-control", "body_html", "<p>正\u{b}文\u{c}二&#1;</p>");
    let body = &server::import::parse(&line).unwrap()[0].body_html;
    assert_eq!(body, "<p>正文 二</p>");
    // Text stored before imports refused them still makes well-formed feeds.
    let app = TestApp::with_demo().await;
    common::execute(
        &common::database_url(&app.dir),
        "UPDATE article SET title = '控制\u{1}字符\u{1b}标题', body_html = '<p>正\u{2}文</p>'",
    );
    for path in ["/feeds/site", "/feeds/site?variant=zh-TW"] {
        let (status, xml) = app.get(path).await;
        assert_eq!(status, StatusCode::OK);
        let doc = roxmltree::Document::parse(&xml).expect("the feed parses");
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "title")))
            .filter_map(|n| n.text())
            .collect();
        // Converted in zh-TW; in Simplified the same text without its control characters.
        assert!(
            path.contains("variant") || titles.contains(&"控制字符标题"),
            "{path}: {titles:?}"
        );
    }
}
