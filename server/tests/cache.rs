//! Rendered pages are kept and reused: keyed by preferences, dropped after an import, with the
//! live view count written into each copy, ETags, and views counted in batches.

mod common;

use axum::http::StatusCode;
use common::{SEED_ID, TestApp};

const SLOT: &str = "7305214986530417";

fn stored_views(app: &TestApp) -> i64 {
    let url = common::database_url(&app.dir);
    let id = SEED_ID.to_owned();
    std::thread::spawn(move || {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            use sqlx::Connection;
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_scalar("SELECT view_count FROM article WHERE external_id = ?")
                .bind(id)
                .fetch_one(&mut c)
                .await
                .unwrap()
        })
    })
    .join()
    .unwrap()
}

#[tokio::test]
async fn a_cached_article_carries_the_live_count_in_html_and_hydration_data() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let (_, first) = app.get(&path).await;
    let (status, second) = app.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.pages.stats(), (1, 1), "second view served from memory");
    assert!(!second.contains(SLOT) && !first.contains(SLOT));
    assert!(second.contains("<span class=\"view-count\">2</span>"));
    assert!(
        second.contains(r#"view_count\":2,"#),
        "hydration data has the same count"
    );
    // Apart from the count and the nonce, the two copies are the same bytes.
    let (n1, n2) = (common::nonce_of(&first), common::nonce_of(&second));
    assert_ne!(n1, n2, "every response has its own nonce");
    assert_eq!(generic(&first, 1, &n1), generic(&second, 2, &n2));
}

/// A page with its view count `n` and its nonce written as placeholders.
fn generic(html: &str, n: i64, nonce: &str) -> String {
    html.replace(&format!(">{n}<"), ">N<")
        .replace(&format!(r#"count\":{n},"#), "N")
        .replace(nonce, "NONCE")
}

#[tokio::test]
async fn preferences_are_part_of_the_key() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let (_, _, hans) = app.get_with(&path, &[]).await;
    let (_, _, hant) = app
        .get_with(&path, &[("cookie", "reader=zh-Hant.large.high")])
        .await;
    let (_, _, hant_again) = app
        .get_with(&path, &[("cookie", "reader=zh-Hant.large.high")])
        .await;
    let (_, _, hk) = app.get_with(&format!("{path}?variant=zh-HK"), &[]).await;
    assert_eq!(app.pages.stats(), (1, 3));
    assert!(hans.contains("推动红色苏区绿色发展"));
    assert!(hant.contains("推動紅色蘇區綠色發展") && hant.contains("data-font-size=\"large\""));
    assert!(hant_again.contains("data-contrast=\"high\""));
    assert!(hk.contains("lang=\"zh-HK\""));
    // Other spellings of the same page are sent to its one address, never stored.
    let (status, headers, _) = app
        .get_with(&format!("{path}?utm_source=x&variant=zh-hk"), &[])
        .await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(headers["location"], format!("{path}?variant=zh-HK"));
    assert_eq!(app.pages.stats(), (1, 3));
}

#[tokio::test]
async fn an_import_drops_rendered_pages() {
    let app = TestApp::with_demo().await;
    app.refresh().await;
    let path = format!("/articles/{SEED_ID}");
    let (_, before) = app.get(&path).await;
    let (_, channel_before) = app.get("/channels/gzdt").await;
    let mut line: serde_json::Value = serde_json::from_str(
        server::demo::jsonl()
            .lines()
            .find(|l| l.contains(SEED_ID))
            .unwrap(),
    )
    .unwrap();
    line["title"] = "更新后的标题".into();
    let new = r#"{"id": "new-1", "department": "梅州市人民政府发展研究中心", "channel": "工作动态", "title": "新来的文章", "source": "测试", "published_at": "2030-01-01T08:00:00+08:00", "body_html": "<p>新</p>"}"#;
    let articles = server::import::parse(&format!("{line}\n{new}")).unwrap();
    app.db.import(&articles, &|_| {}).await.unwrap();

    let (_, stale) = app.get(&path).await;
    assert!(
        !stale.contains("更新后的标题"),
        "kept until the version check"
    );
    app.refresh().await;
    let (_, after) = app.get(&path).await;
    let (_, channel_after) = app.get("/channels/gzdt").await;
    assert!(!before.contains("更新后的标题") && after.contains("更新后的标题"));
    assert!(!channel_before.contains("新来的文章") && channel_after.contains("新来的文章"));
    assert!(
        after.contains("<span class=\"view-count\">3</span>"),
        "count survives"
    );
}

#[tokio::test]
async fn etags_answer_304_when_nothing_changed() {
    let app = TestApp::with_demo().await;
    let (status, headers, body) = app.get_with("/channels/gzdt", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(headers["vary"], "Cookie, Accept-Encoding");
    let (status, _, body304) = app
        .get_with("/channels/gzdt", &[("if-none-match", &etag)])
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body304.is_empty() && !body.is_empty());
    // Another reader's preferences are another page.
    let (status, headers, _) = app
        .get_with(
            "/channels/gzdt",
            &[
                ("if-none-match", &etag),
                ("cookie", "reader=zh-TW.medium.normal"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(headers["etag"].to_str().unwrap(), etag);
    // An article's tag includes its count, which every view moves.
    let path = format!("/articles/{SEED_ID}");
    let (_, headers, _) = app.get_with(&path, &[]).await;
    let tag = headers["etag"].to_str().unwrap().to_owned();
    assert!(tag.ends_with("-1\""), "{tag}");
    let (status, headers, _) = app.get_with(&path, &[("if-none-match", &tag)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["etag"].to_str().unwrap().ends_with("-2\""));
}

#[tokio::test]
async fn views_are_written_in_batches_and_none_is_lost() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    for _ in 0..25 {
        assert_eq!(app.get(&path).await.0, StatusCode::OK);
    }
    assert_eq!(stored_views(&app), 0, "nothing written on the request path");
    let (_, json) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    assert_eq!(json["view_count"], 25, "the API shows the live count");
    assert_eq!(app.views.flush().await.unwrap(), 25);
    assert_eq!(stored_views(&app), 25);
    assert_eq!(app.views.pending(), 0);
    let (_, html) = app.get(&path).await;
    assert!(html.contains("<span class=\"view-count\">26</span>"));
    app.views.flush().await.unwrap();
    assert_eq!(stored_views(&app), 26);
}

#[tokio::test]
async fn a_glossary_reload_drops_rendered_pages() {
    let app = TestApp::with_demo().await;
    app.refresh().await;
    app.get("/").await;
    app.get("/").await;
    assert_eq!(app.pages.stats(), (1, 1));
    app.pages.refresh(app.db.as_ref(), 1).await;
    app.get("/").await;
    assert_eq!(app.pages.stats(), (1, 2));
}

#[tokio::test]
async fn a_page_too_big_to_keep_is_served_and_counted_every_time() {
    let app = TestApp::with_demo().await;
    // An eighth of the test cache (8 MB) is the most one page may take; this one is ~1.5 MB.
    let paragraph = "<p>梅州市人民政府发展研究中心工作动态。</p>".repeat(30_000);
    let line = serde_json::json!({
        "id": "huge-1", "department": "梅州市人民政府发展研究中心", "channel": "工作动态",
        "title": "很长的文章", "source": "测试", "published_at": "2030-01-01T08:00:00+08:00",
        "body_html": paragraph,
    });
    let articles = server::import::parse(&line.to_string()).unwrap();
    app.db.import(&articles, &|_| {}).await.unwrap();
    for n in 1..=2 {
        let (status, html) = app.get("/articles/huge-1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.len() > 1 << 20 && html.contains("很长的文章"));
        assert!(!html.contains(SLOT));
        assert!(html.contains(&format!("<span class=\"view-count\">{n}</span>")));
    }
    assert_eq!(app.pages.stats(), (0, 2), "rendered both times, never kept");
}

/// A reader whose browser takes gzip gets the stored page compressed, with its own count and nonce:
/// the same page as without gzip, count exact on every response, 304 on its own ETag.
#[tokio::test]
async fn a_cached_page_goes_out_gzip_compressed_with_its_own_count_and_nonce() {
    use std::io::Read;
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let get = |encoding: &'static str, etag: Option<String>| {
        let mut req = axum::http::Request::get(&path).header("accept-encoding", encoding);
        if let Some(etag) = etag {
            req = req.header("if-none-match", etag);
        }
        req.body(axum::body::Body::empty()).unwrap()
    };
    let gunzip = |bytes: &[u8]| {
        let mut html = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut html)
            .expect("valid gzip, right CRC and length");
        html
    };
    // The first response (rendered) and a hit.
    let (_, h1, gz1) = app.send(get("gzip, deflate, br", None)).await;
    let (status, h2, gz2) = app.send(get("gzip", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.pages.stats(), (1, 1));
    for h in [&h1, &h2] {
        assert_eq!(h["content-encoding"], "gzip");
        assert!(h["vary"].to_str().unwrap().contains("Accept-Encoding"));
    }
    let (first, second) = (gunzip(&gz1), gunzip(&gz2));
    assert!(first.contains("<span class=\"view-count\">1</span>"));
    assert!(second.contains("<span class=\"view-count\">2</span>"));
    assert!(second.contains(r#"view_count\":2,"#));
    let nonce = common::nonce_of(&second);
    assert_ne!(common::nonce_of(&first), nonce);
    assert!(
        h2["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&format!("'nonce-{nonce}'"))
    );
    assert!(
        gz2.len() * 3 < second.len(),
        "{} of {} bytes",
        gz2.len(),
        second.len()
    );
    // The same bytes as the page sent without gzip, but for count and nonce.
    let (_, h3, plain) = app.send(get("identity", None)).await;
    assert!(h3.get("content-encoding").is_none());
    let plain = String::from_utf8(plain).unwrap();
    let third = common::nonce_of(&plain);
    assert_eq!(generic(&second, 2, &nonce), generic(&plain, 3, &third));
    assert_ne!(h2["etag"], h3["etag"], "each encoding its own ETag");
    // The count grows a digit: a new deflated copy, still whole.
    for _ in 0..7 {
        app.get(&path).await;
    }
    let (_, _, gz) = app.send(get("gzip", None)).await;
    assert!(gunzip(&gz).contains("<span class=\"view-count\">11</span>"));
    let (_, h3, _) = app.send(get("identity", None)).await;
    // A copy is current until the count moves: a crawler (not counted) revalidating gets 304.
    let etag = h3["etag"].to_str().unwrap().replace("-12\"", "-12-gz\"");
    let req = axum::http::Request::get(&path)
        .header("accept-encoding", "gzip")
        .header("user-agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")
        .header("if-none-match", etag)
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}
