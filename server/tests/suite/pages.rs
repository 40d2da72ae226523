use crate::common;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn seed_article_html_is_complete_before_any_javascript() {
    let app = TestApp::with_demo().await;
    let (status, html) = app.get(&format!("/articles/{SEED_ID}")).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "<html lang=\"zh-Hans\"",
        SEED_TITLE,
        "梅州日报",
        "2022-05-12 09:50:54",
        "梅州市人民政府门户网站",
        "梅州市人民政府发展研究中心",
        "工作动态",
        "页面:",
        "字体:",
        "对比度:",
        "字号:",
        "property=\"og:title\"",
        "https://portal.example/articles/mz-fzyjzx-gzdt-20220512-01",
        "<title>以感恩之心奋进之力实干之行 推动红色苏区绿色发展 - 梅州市人民政府门户网站</title>",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    // The whole body, paragraph by paragraph, as stored.
    let seed: serde_json::Value =
        serde_json::from_str(include_str!("../../data/meizhou-article.jsonl")).unwrap();
    let body = seed["body_html"].as_str().unwrap();
    for paragraph in body.split("</p>").filter(|p| !p.is_empty()) {
        let text = paragraph.trim_start_matches("<p>");
        assert!(html.contains(text), "paragraph missing: {text:.40}");
    }
}

#[tokio::test]
async fn front_page_links_every_channel_and_the_seed_article() {
    let app = TestApp::with_demo().await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/articles/{SEED_ID}\">{SEED_TITLE}</a>")));
    assert!(html.contains("href=\"/channels/gzdt\""));
    assert!(html.contains("href=\"/channels/tzgg\""));
}

#[tokio::test]
async fn unknown_and_malformed_paths_are_404_pages() {
    let app = TestApp::with_demo().await;
    for path in [
        "/articles/unknown-id",
        "/articles/bad%20id",
        "/articles/%E6%96%87",
        "/channels/nope",
        "/channels/NOPE",
        "/channels/gzdt?after=garbage",
        "/no/such/page",
        "/channels/gzdt/more",
        "/channels/",
        "/articles/",
        "/pkg/missing.wasm",
    ] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("页面不存在"), "{path}");
    }
}

#[tokio::test]
async fn every_head_tag_appears_once_and_the_body_starts_the_same_on_every_page() {
    let app = TestApp::with_demo().await;
    let article = format!("/articles/{SEED_ID}");
    for (path, tags) in [
        // With the feeds: the site's everywhere but the 404 page, the channel's on its pages.
        (article.as_str(), 16),
        ("/channels/gzdt", 13),
        ("/", 12),
        ("/no/such/page", 2),
    ] {
        for cookie in ["", "reader=zh-TW.large.high"] {
            let (_, _, html) = app.get_with(path, &[("cookie", cookie)]).await;
            let (head, body) = html.split_once("</head>").unwrap();
            for tag in [
                "<title>",
                "name=\"description\"",
                "property=\"og:title\"",
                "rel=\"canonical\"",
                "hreflang=\"x-default\"",
                "name=\"robots\"",
                "property=\"og:url\"",
            ] {
                assert!(head.matches(tag).count() <= 1, "{path}: {tag} twice");
            }
            let count = head.matches("<meta name=").count() - 1 // the shell's viewport
                + head.matches("<meta property=").count()
                + head.matches("rel=\"canonical\"").count()
                + head.matches("rel=\"alternate\"").count()
                + head.matches("<title>").count();
            assert_eq!(count, tags, "{path} {cookie}: head tags");
            assert!(
                head.matches("/feeds/site").count() <= 1,
                "{path}: site feed twice"
            );
            // Head tags leave nothing in the body: it starts with the announcer, the guide lines
            // and the skip link.
            assert!(
                body.starts_with(
                    "<body><div id=\"announcer\" aria-live=\"polite\" aria-atomic=\"true\" \
                     class=\"visually-hidden\"></div><div aria-hidden=\"true\" class=\"guide guide-x\">\
                     </div><div aria-hidden=\"true\" class=\"guide guide-y\"></div><a "
                ),
                "{path}: {:.120}",
                body
            );
        }
    }
}

#[tokio::test]
async fn pages_answer_get_and_head_only() {
    use axum::body::Body;
    use axum::http::{Method, Request};
    use tower::ServiceExt;
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    for (method, status) in [
        (Method::HEAD, StatusCode::OK),
        (Method::POST, StatusCode::METHOD_NOT_ALLOWED),
        (Method::DELETE, StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let req = Request::builder()
            .method(method.clone())
            .uri(&path)
            .body(Body::empty())
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), status, "{method}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            let allow = res.headers()["allow"].to_str().unwrap().replace(' ', "");
            assert_eq!(allow, "GET,HEAD", "{method}");
        }
    }
}

#[tokio::test]
async fn storage_failure_is_a_500_page_that_leaks_nothing() {
    let app = TestApp::with_demo().await;
    // Break the database underneath the running app.
    sqlx_drop_article_table(&app).await;
    let (status, html) = app.get(&format!("/articles/{SEED_ID}")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(html.contains("服务暂时不可用"));
    assert!(!html.to_lowercase().contains("sqlite"));
    assert!(!html.to_lowercase().contains("postgres"));
    assert!(!html.contains("no such table"));
    assert!(!html.contains("does not exist"));
    let (status, json) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json["error"]["message"], "internal error");
}

async fn sqlx_drop_article_table(app: &TestApp) {
    common::execute(
        &database_url(&app.dir),
        "ALTER TABLE article RENAME TO article_gone",
    );
}

#[tokio::test]
async fn channel_paging_is_keyset_and_stable_while_articles_are_added() {
    let app = TestApp::with_demo().await;
    let (_, first) = app.get_json("/api/channels/gzdt/articles").await;
    let older = first["older"].as_str().unwrap().to_owned();
    let (_, second_before) = app.get_json(&older).await;

    // A new article arrives at the top of the channel.
    let line = r#"{"id": "new-1", "department": "梅州市人民政府发展研究中心", "channel": "工作动态", "title": "新文章", "source": "测试", "published_at": "2023-01-01T08:00:00+08:00", "body_html": "<p>新</p>"}"#;
    let articles = server::import::parse(line).unwrap();
    app.db.import(&articles, &|_| {}).await.unwrap();

    let (_, second_after) = app.get_json(&older).await;
    assert_eq!(second_before["articles"], second_after["articles"]);
    let (_, first_now) = app.get_json("/api/channels/gzdt/articles").await;
    assert_eq!(first_now["articles"][0]["id"], "new-1");

    // Walking all pages gives every article once, newest first.
    let mut ids = Vec::new();
    let mut next = Some("/api/channels/gzdt/articles".to_owned());
    while let Some(uri) = next {
        let (status, page) = app.get_json(&uri).await;
        assert_eq!(status, StatusCode::OK);
        for a in page["articles"].as_array().unwrap() {
            ids.push(a["id"].as_str().unwrap().to_owned());
        }
        next = page["older"].as_str().map(str::to_owned);
    }
    assert_eq!(ids.len(), 36);
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 36);
    assert_eq!(ids[0], "new-1");
    assert_eq!(ids[1], SEED_ID);

    // And back up again through "newer".
    let (_, last) = app
        .get_json(&format!("/api/channels/gzdt/articles?after={}", "1_1"))
        .await;
    assert_eq!(last["articles"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn channel_page_html_has_working_paging_links() {
    let app = TestApp::with_demo().await;
    let (status, html) = app.get("/channels/gzdt").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<li><a href=\"/articles/").count(), 10);
    let start = html.find("/channels/gzdt?after=").expect("older link");
    let href: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let (status, page2) = app.get(&href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page2.contains("/channels/gzdt?before="));
    assert!(
        !page2.contains(SEED_TITLE),
        "page 2 repeats the newest article"
    );
}
