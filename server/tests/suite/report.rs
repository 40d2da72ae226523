//! 我要纠错 through the real router on a real database: where a post may come from, its size, its
//! fields, the hourly limit, and what is stored.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;

const HOST: &str = "portal.example";

fn form(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

fn post(body: String, headers: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::post("/report")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::from(body)).unwrap()
}

fn good(description: &str) -> String {
    good_in("zh-Hans", description)
}

fn good_in(variant: &str, description: &str) -> String {
    form(&[
        ("article", SEED_ID),
        ("variant", variant),
        ("excerpt", "頁麵"),
        ("description", description),
        ("contact", "13800000000"),
    ])
}

const SAME: (&str, &str) = ("origin", "https://portal.example");

#[tokio::test]
async fn a_report_from_the_page_is_stored_and_thanked_with_its_reference() {
    let app = TestApp::with_demo().await;
    let hostile = "<script>alert(1)</script> \"' =1+1 頁麵 should read 頁面";
    let (status, headers, _) = app.send(post(good_in("zh-TW", hostile), &[SAME])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/reports/JC") && to.ends_with("?variant=zh-TW"),
        "{to}"
    );
    let (status, html) = app.get(&to).await;
    assert_eq!(status, StatusCode::OK);
    let reference = to
        .trim_start_matches("/reports/")
        .split('?')
        .next()
        .unwrap();
    assert!(
        html.contains(reference) && html.contains("糾錯編號"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/articles/{SEED_ID}?variant=zh-TW\"")));
    let stored = app.db.reports(None).await.unwrap();
    assert_eq!(stored.len(), 1);
    let r = &stored[0];
    assert_eq!(
        (
            r.reference.as_str(),
            r.article_id.as_str(),
            r.variant.as_str()
        ),
        (reference, SEED_ID, "zh-TW")
    );
    assert_eq!(r.description, hostile, "stored as typed, as text");
    assert_eq!(
        (r.excerpt.as_str(), r.contact.as_str()),
        ("頁麵", "13800000000")
    );

    // In place (JavaScript): JSON, 201.
    let (status, _, body) = app
        .send(post(
            good("又一处"),
            &[SAME, ("accept", "application/json")],
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(json["reference"].as_str().unwrap().starts_with("JC"));
    // An unknown reference has no page.
    let (status, _) = app.get("/reports/JC20261207-ZZZZZZZZ").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_and_nothing_is_stored() {
    let app = TestApp::with_demo().await;
    for headers in [
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("referer", "https://evil.example/portal.example")],
        vec![],
    ] {
        let (status, _, body) = app.send(post(good("x"), &headers)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(String::from_utf8_lossy(&body).contains("请从本站的文章页提交纠错"));
    }
    // Same site by `Sec-Fetch-Site` or `Referer` when there is no `Origin`.
    for headers in [
        vec![("sec-fetch-site", "same-origin")],
        vec![("referer", "https://portal.example/articles/x")],
    ] {
        let (status, _, _) = app.send(post(good("x"), &headers)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{headers:?}");
    }
    assert_eq!(app.db.reports(None).await.unwrap().len(), 2);
}

#[tokio::test]
async fn bad_fields_and_big_bodies_get_clear_4xx_answers() {
    let app = TestApp::with_demo().await;
    let long = "错".repeat(2001);
    let cases: Vec<(String, StatusCode, &str)> = vec![
        (
            good(&long),
            StatusCode::BAD_REQUEST,
            "问题描述不能超过 2,000 字",
        ),
        (good("   "), StatusCode::BAD_REQUEST, "请填写问题描述"),
        (
            form(&[("article", "no-such"), ("description", "x")]),
            StatusCode::NOT_FOUND,
            "要纠错的文章不存在",
        ),
        (
            form(&[("article", "../x"), ("description", "x")]),
            StatusCode::NOT_FOUND,
            "要纠错的文章不存在",
        ),
        (
            form(&[
                ("article", SEED_ID),
                ("description", "x"),
                ("excerpt", &"字".repeat(201)),
            ]),
            StatusCode::BAD_REQUEST,
            "出错的文字不能超过 200 字",
        ),
        (
            "article=%ZZ&&==".into(),
            StatusCode::NOT_FOUND,
            "要纠错的文章不存在",
        ),
        (
            "description=x".into(),
            StatusCode::NOT_FOUND,
            "要纠错的文章不存在",
        ),
    ];
    for (body, status, message) in cases {
        let (got, _, page) = app.send(post(body, &[SAME])).await;
        assert_eq!(got, status, "{message}");
        assert!(
            String::from_utf8_lossy(&page).contains(message),
            "{message}"
        );
    }
    // The longest report there can be, 2,000 Chinese characters with the longest excerpt and
    // contact, percent-encoded as a form posts it (21 KB), is taken.
    let longest = form(&[
        ("article", SEED_ID),
        ("excerpt", &"字".repeat(200)),
        ("description", &"错".repeat(2000)),
        ("contact", &"联".repeat(100)),
    ]);
    assert!(longest.len() > 20_000);
    assert_eq!(
        app.send(post(longest, &[SAME])).await.0,
        StatusCode::SEE_OTHER
    );
    let big = good(&"x".repeat(100 * 1024));
    let (status, _, _) = app.send(post(big, &[SAME])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Not a form.
    let req = Request::post("/report")
        .header(header::HOST, HOST)
        .header("origin", "https://portal.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(app.send(req).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.db.reports(None).await.unwrap().len(),
        1,
        "only the longest"
    );
}

#[tokio::test]
async fn the_eleventh_report_in_an_hour_is_refused() {
    let app = TestApp::with_demo().await;
    let me = ("x-forwarded-for", "203.0.113.7");
    for i in 0..10 {
        let (status, _, _) = app.send(post(good(&format!("第{i}处")), &[SAME, me])).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "report {i}");
    }
    let (status, headers, body) = app.send(post(good("第十一处"), &[SAME, me])).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers[header::RETRY_AFTER], "3600");
    assert!(String::from_utf8_lossy(&body).contains("提交过于频繁，请一小时后再试。"));
    // Another reader is not held back.
    let other = ("x-forwarded-for", "198.51.100.9");
    assert_eq!(
        app.send(post(good("别处"), &[SAME, other])).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.db.reports(None).await.unwrap().len(), 11);
}
