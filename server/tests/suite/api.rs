use crate::common;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn article_json_has_every_field() {
    let app = TestApp::with_demo().await;
    let (status, a) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a["id"], SEED_ID);
    assert_eq!(a["title"], SEED_TITLE);
    assert_eq!(a["source"], "梅州日报");
    assert_eq!(a["published_at"], "2022-05-12T09:50:54+08:00");
    assert_eq!(a["view_count"], 0);
    assert_eq!(a["channel"]["slug"], "gzdt");
    assert_eq!(a["path"], format!("/articles/{SEED_ID}"));
    let crumbs: Vec<_> = a["breadcrumb"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        crumbs,
        [
            "梅州市人民政府门户网站",
            "梅州市人民政府发展研究中心",
            "工作动态"
        ]
    );
    assert!(a["body_html"].as_str().unwrap().starts_with("<p>11日"));
    assert!(a["previous"].is_null());
    assert_eq!(a["next"]["id"], "demo-001");
}

#[tokio::test]
async fn api_errors_are_json_with_4xx_statuses() {
    let app = TestApp::with_demo().await;
    let cases = [
        ("/api/articles/unknown", StatusCode::NOT_FOUND),
        ("/api/articles/bad%20id", StatusCode::BAD_REQUEST),
        ("/api/articles/..", StatusCode::BAD_REQUEST),
        ("/api/channels/nope/articles", StatusCode::NOT_FOUND),
        ("/api/channels/Bad_Slug/articles", StatusCode::BAD_REQUEST),
        (
            "/api/channels/gzdt/articles?after=xyz",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/channels/gzdt/articles?after=1_1&before=1_1",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/channels/gzdt/articles?page=2",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/nothing-here", StatusCode::NOT_FOUND),
    ];
    for (uri, expected) in cases {
        let (status, json) = app.get_json(uri).await;
        assert_eq!(status, expected, "{uri}");
        assert_eq!(json["error"]["status"], expected.as_u16(), "{uri}");
        assert!(json["error"]["message"].as_str().unwrap().len() > 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_concurrent_page_views_count_exactly_forty() {
    let app = std::sync::Arc::new(TestApp::with_demo().await);
    let (_, before) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    let views: Vec<_> = (0..40)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.get(&format!("/articles/{SEED_ID}")).await.0 })
        })
        .collect();
    for view in views {
        assert_eq!(view.await.unwrap(), StatusCode::OK);
    }
    let (_, after) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    assert_eq!(
        after["view_count"].as_i64().unwrap() - before["view_count"].as_i64().unwrap(),
        40
    );
}

#[tokio::test]
async fn the_page_shows_the_live_count() {
    let app = TestApp::with_demo().await;
    app.get(&format!("/articles/{SEED_ID}")).await;
    let (_, html) = app.get(&format!("/articles/{SEED_ID}")).await;
    assert!(
        html.contains("<span class=\"view-count\">2</span>"),
        "count not shown"
    );
}

/// What a prefetch and the click after it send: the prefetch counts nothing, the click counts one.
#[tokio::test]
async fn a_prefetch_counts_no_view_and_the_shown_page_counts_one() {
    let app = TestApp::with_demo().await;
    let post = |uri: &str, body: String| {
        axum::http::Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let views = || async {
        let (_, a) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
        a["view_count"].as_i64().unwrap()
    };
    let before = views().await;
    let (status, _, body) = app
        .send(post(
            "/_fn/article",
            format!("id={SEED_ID}&variant=zh-Hant&count=false"),
        ))
        .await;
    let body = String::from_utf8(body).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("推動紅色蘇區綠色發展"), "converted: {body}");
    assert_eq!(views().await, before, "a prefetch is not a view");
    let (status, _, body) = app.send(post("/_fn/view", format!("id={SEED_ID}"))).await;
    let body = String::from_utf8(body).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body.trim(),
        (before + 1).to_string(),
        "the count after the view"
    );
    assert_eq!(views().await, before + 1);
    let (status, _, _) = app
        .send(post("/_fn/view", "id=no-such-article".into()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app.send(post("/_fn/view", "id=%3Cscript%3E".into())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_view_of_an_article_this_process_has_not_read_yet_counts() {
    let app = TestApp::with_demo().await;
    let req = axum::http::Request::post("/_fn/view")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!("id={SEED_ID}")))
        .unwrap();
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8(body).unwrap().trim(), "1");
    let (_, a) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    assert_eq!(a["view_count"], 1);
}

/// Data made per request (server functions, the API) is sent compressed when the client asks;
/// pages leave the page cache as they are.
#[tokio::test]
async fn json_is_compressed_by_accept_encoding_and_pages_only_once() {
    use std::io::Read;
    let app = TestApp::with_demo().await;
    let req = |uri: &str, encoding: &str| {
        let builder = if uri.starts_with("/_fn/") {
            axum::http::Request::post(uri)
                .header("content-type", "application/x-www-form-urlencoded")
        } else {
            axum::http::Request::get(uri)
        };
        let body = if uri.starts_with("/_fn/") {
            format!("id={SEED_ID}&variant=zh-TW&count=false")
        } else {
            String::new()
        };
        builder
            .header("accept-encoding", encoding)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let (status, h, plain) = app.send(req("/_fn/article", "identity")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h.get("content-encoding").is_none());

    let (status, h, br) = app.send(req("/_fn/article", "gzip, br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-encoding"], "br");
    assert!(h["vary"].to_str().unwrap().contains("accept-encoding"));
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&br[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain, "brotli gives back the same JSON");
    assert!(
        br.len() * 2 < plain.len(),
        "{} of {} bytes",
        br.len(),
        plain.len()
    );

    let (_, h, gz) = app
        .send(req(&format!("/api/articles/{SEED_ID}"), "gzip"))
        .await;
    assert_eq!(h["content-encoding"], "gzip");
    let mut json = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut json)
        .unwrap();
    assert!(json.contains(SEED_TITLE));

    let (status, h, html) = app.send(req(&format!("/articles/{SEED_ID}"), "br")).await;
    assert_eq!(status, StatusCode::OK);
    // Pages are compressed by the page cache, once: not again by that layer.
    assert_eq!(h["content-encoding"], "br");
    let mut page = String::new();
    brotli::Decompressor::new(&html[..], 4096)
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains(SEED_TITLE));
}

/// A navigation's data is converted once per content change: the second reader's request is
/// answered from the kept result (with its own live count), and an import of the article drops it.
#[tokio::test]
async fn navigation_data_is_kept_until_its_content_changes() {
    let app = TestApp::with_demo().await;
    app.refresh().await;
    let fetch = |count: bool| {
        let app = &app;
        async move {
            let req = axum::http::Request::post("/_fn/article")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(format!(
                    "id={SEED_ID}&variant=zh-TW&count={count}"
                )))
                .unwrap();
            let (status, _, body) = app.send(req).await;
            assert_eq!(status, StatusCode::OK);
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()
        }
    };
    let data = app.pages.data();
    let first = fetch(true).await;
    let second = fetch(true).await;
    let third = fetch(false).await;
    assert_eq!(data.stats(), (2, 1), "converted once");
    assert_eq!(first["article"]["view_count"], 1);
    assert_eq!(
        second["article"]["view_count"], 2,
        "the live count, not the kept one"
    );
    assert_eq!(third["article"]["view_count"], 2);
    assert_eq!(
        first["article"]["body_html"],
        second["article"]["body_html"]
    );
    assert!(
        first["article"]["title"]
            .as_str()
            .unwrap()
            .contains("推動紅色蘇區綠色發展")
    );
    // Another article in another channel stays; the seed article is dropped with its page.
    let other = || {
        axum::http::Request::post("/_fn/article")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(
                "id=demo-102&variant=zh-TW&count=false",
            ))
            .unwrap()
    };
    app.send(other()).await;
    let line = common::seed_line_titled("更新后的标题");
    app.import(&line.to_string()).await;
    let (hits, misses) = data.stats();
    app.send(other()).await;
    assert_eq!(data.stats(), (hits + 1, misses), "untouched data kept");
    let after = fetch(false).await;
    assert_eq!(data.stats(), (hits + 1, misses + 1));
    assert_eq!(after["article"]["title"], "更新後的標題");
    assert_eq!(after["article"]["view_count"], 2);
}

/// `/healthz` says the process answers, `/readyz` that its database answers and is migrated;
/// neither is kept by the page cache, and a database missing a migration is not ready.
#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::with_demo().await;
    for (path, text) in [("/healthz", "ok\n"), ("/readyz", "ready\n")] {
        let (status, headers, body) = app.get_with(path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, text);
        assert_eq!(headers["cache-control"], "no-store");
    }
    assert_eq!(
        app.pages.stats(),
        (0, 0),
        "not pages: neither kept nor looked up"
    );
    let url = database_url(&app.dir);
    common::execute(
        &url,
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    );
    let (status, headers, body) = app.get_with("/readyz", &[]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "database not migrated\n");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(app.get_with("/healthz", &[]).await.0, StatusCode::OK);
}

/// An article's previous (newer) and next (older) link: its channel's nearest by time, ties
/// broken by import order, never one of another channel.
#[tokio::test]
async fn neighbours_are_the_nearest_in_the_channel() {
    let app = TestApp::empty().await;
    let line = |id: &str, channel: &str, at: &str| {
        let mut l = seed_line_titled(&format!("标题 {id}"));
        l["id"] = id.into();
        l["channel"] = channel.into();
        l["published_at"] = at.into();
        l.to_string()
    };
    let lines = [
        line("n-old", "甲", "2024-01-01T08:00:00+08:00"),
        line("n-tie-1", "甲", "2024-01-02T08:00:00+08:00"),
        line("n-tie-2", "甲", "2024-01-02T08:00:00+08:00"),
        line("n-other", "乙", "2024-01-02T09:00:00+08:00"),
        line("n-new", "甲", "2024-01-03T08:00:00+08:00"),
    ];
    app.import(&lines.join("\n")).await;
    let app = &app;
    let links = |id: &'static str| async move {
        let (status, a) = app.get_json(&format!("/api/articles/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        (a["previous"]["id"].clone(), a["next"]["id"].clone())
    };
    let expect = |p: Option<&str>, n: Option<&str>| (p.into(), n.into());
    assert_eq!(links("n-new").await, expect(None, Some("n-tie-2")));
    assert_eq!(
        links("n-tie-2").await,
        expect(Some("n-new"), Some("n-tie-1"))
    );
    assert_eq!(
        links("n-tie-1").await,
        expect(Some("n-tie-2"), Some("n-old"))
    );
    assert_eq!(links("n-old").await, expect(Some("n-tie-1"), None));
    assert_eq!(links("n-other").await, expect(None, None));
    let (_, a) = app.get_json("/api/articles/n-tie-1").await;
    assert_eq!(a["previous"]["title"], "标题 n-tie-2");
    assert_eq!(a["next"]["published_at"], "2024-01-01T08:00:00+08:00");
}
