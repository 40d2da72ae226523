//! Rendered pages are kept and reused: keyed by preferences, dropped after an import, with the
//! live view count written into each copy, ETags, and views counted in batches.

use crate::common;

use axum::http::StatusCode;
use common::{SEED_ID, TestApp, unbrotli};

/// What a page made for the cache renders in place of the count.
fn slot() -> String {
    server::page_cache::count_slot().to_string()
}

fn stored_views(app: &TestApp) -> i64 {
    common::stored_seed_views(&common::database_url(&app.dir))
}

#[tokio::test]
async fn a_cached_article_carries_the_live_count_in_html_and_hydration_data() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let (_, first) = app.get(&path).await;
    let (status, second) = app.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.pages.stats(), (1, 1), "second view served from memory");
    assert!(!second.contains(&slot()) && !first.contains(&slot()));
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

/// Text can hold any number: none is taken for the count's place (it was once a fixed one).
#[tokio::test]
async fn an_article_spelling_a_number_shows_it() {
    let app = TestApp::with_demo().await;
    let number = "7305214986530417";
    let line = serde_json::json!({
        "id": "number-1", "department": "梅州市人民政府发展研究中心", "channel": "工作动态",
        "title": format!("编号{number}"), "source": "测试", "published_at": "2030-01-01T08:00:00+08:00",
        "body_html": format!("<p>{number}</p>"),
    });
    app.import(&line.to_string()).await;
    for n in 1..=2 {
        let (status, html) = app.get("/articles/number-1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("<h1 id=\"article-title\">编号{number}</h1>")));
        assert!(html.contains(&format!("<p>{number}</p>")), "view {n}");
        assert!(html.contains(&format!("<span class=\"view-count\">{n}</span>")));
    }
    assert_eq!(slot().len(), 16);
    assert_eq!(slot(), slot());
}

/// A page with its view count `n` and its nonce written as placeholders.
fn generic(html: &str, n: i64, nonce: &str) -> String {
    html.replace(&format!(">{n:<7}<"), ">N<")
        .replace(&format!(">{n}<"), ">N<")
        .replace(&format!(r#"count\":{n:<7},"#), "N")
        .replace(&format!(r#"count\":{n},"#), "N")
        .replace(nonce, "NONCE")
}

#[tokio::test]
async fn one_copy_per_variant_serves_every_style() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let (_, _, hans) = app.get_with(&path, &[]).await;
    let (_, _, hant) = app
        .get_with(&path, &[("cookie", "reader=zh-Hant.large.high")])
        .await;
    let (_, _, hant_small) = app
        .get_with(&path, &[("cookie", "reader=zh-Hant.small.inverted")])
        .await;
    let (_, _, hk) = app.get_with(&format!("{path}?variant=zh-HK"), &[]).await;
    let (_, _, hans_large) = app
        .get_with(&path, &[("cookie", "reader=zh-Hans.x-large.default")])
        .await;
    // Font size and contrast are written into the one copy of each variant.
    assert_eq!(app.pages.stats(), (2, 3));
    assert!(hans.contains("推动红色苏区绿色发展"));
    assert!(hant.contains("推動紅色蘇區綠色發展"));
    assert!(hk.contains("lang=\"zh-HK\""));
    for (html, font, contrast) in [
        (&hans, "medium", "default"),
        (&hant, "large", "high"),
        (&hant_small, "small", "inverted"),
        (&hk, "medium", "default"),
        (&hans_large, "x-large", "default"),
    ] {
        assert!(html.contains(&format!(
            "data-font-size=\"{font}\" data-contrast=\"{contrast}\""
        )));
        // Each preference button's value and `aria-pressed`.
        let states = |pref: &str| -> Vec<(String, String)> {
            html.match_indices(&format!("data-pref=\"{pref}\" data-value=\""))
                .filter_map(|(at, n)| {
                    let rest = &html[at + n.len()..];
                    let (value, rest) = rest.split_once('"')?;
                    let state = rest.strip_prefix(" aria-pressed=\"")?.split('"').next()?;
                    Some((value.to_owned(), state.to_owned()))
                })
                .collect()
        };
        let pressed = |pref: &str| -> Vec<String> {
            states(pref)
                .into_iter()
                .filter(|(_, state)| state == "true")
                .map(|(value, _)| value)
                .collect()
        };
        // The toolbar's button and the article's 字号 button (大中小, no x-large) for the size.
        let in_text_size = font != "x-large";
        let sizes = if in_text_size {
            vec![font; 2]
        } else {
            vec![font]
        };
        assert_eq!(pressed("font-size"), sizes, "{font}");
        assert_eq!(pressed("contrast"), [contrast], "{contrast}");
        let unpressed = 3 + 3 + 2 + if in_text_size { 2 } else { 3 };
        let count = |pref| states(pref).iter().filter(|(_, s)| s == "false").count();
        assert_eq!(
            count("variant") + count("font-size") + count("contrast"),
            unpressed
        );
    }
    // Each style its own ETag.
    let etag = |cookie: &'static str| {
        let app = &app;
        let path = &path;
        async move {
            let (_, h, _) = app.get_with(path, &[("cookie", cookie)]).await;
            h["etag"].to_str().unwrap().to_owned()
        }
    };
    let a = etag("reader=zh-Hans.large.high").await;
    let b = etag("reader=zh-Hans.small.high").await;
    assert_ne!(a.split('-').next(), b.split('-').next());
    // Other spellings of the same page are sent to its one address, never stored.
    let (status, headers, _) = app
        .get_with(&format!("{path}?utm_source=x&variant=zh-hk"), &[])
        .await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(headers["location"], format!("{path}?variant=zh-HK"));
    assert_eq!(app.pages.stats(), (4, 3));
}

/// An import drops only the pages showing what it touched: the front page, the channel, the new
/// article's neighbours. Every other page stays rendered.
#[tokio::test]
async fn an_import_keeps_the_pages_it_does_not_touch() {
    let app = TestApp::with_demo().await;
    app.refresh().await;
    let kept = [
        format!("/articles/{SEED_ID}"),
        "/articles/demo-010".to_owned(),
        "/articles/demo-102".to_owned(),
        "/channels/tzgg".to_owned(),
    ];
    let dropped = [
        "/".to_owned(),
        "/channels/gzdt".to_owned(),
        "/articles/demo-011".to_owned(),
        "/articles/demo-012".to_owned(),
    ];
    for path in kept.iter().chain(&dropped) {
        assert_eq!(app.get(path).await.0, StatusCode::OK, "{path}");
    }
    let (hits, misses) = app.pages.stats();
    // Between demo-012 (30 April, 11:30) and demo-011 (1 May, 10:30) in 工作动态.
    app.import(r#"{"id": "new-1", "department": "梅州市人民政府发展研究中心", "channel": "工作动态", "title": "新来的文章", "source": "测试", "published_at": "2022-04-30T20:00:00+08:00", "body_html": "<p>新</p>"}"#).await;
    for path in &kept {
        app.get(path).await;
    }
    assert_eq!(
        app.pages.stats(),
        (hits + 4, misses),
        "untouched pages kept"
    );
    for path in &dropped {
        let (_, html) = app.get(path).await;
        if path.starts_with("/articles/") {
            assert!(
                html.contains("新来的文章"),
                "{path} links to its new neighbour"
            );
        }
    }
    assert_eq!(app.pages.stats(), (hits + 4, misses + 4));
}

#[tokio::test]
async fn an_import_drops_rendered_pages() {
    let app = TestApp::with_demo().await;
    app.refresh().await;
    let path = format!("/articles/{SEED_ID}");
    let (_, before) = app.get(&path).await;
    let (_, channel_before) = app.get("/channels/gzdt").await;
    let line = common::seed_line_titled("更新后的标题");
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

/// `*`, a list and a weak form of the tag all match, as for the site's files.
#[tokio::test]
async fn if_none_match_in_every_form() {
    let app = TestApp::with_demo().await;
    let (_, headers, _) = app.get_with("/channels/gzdt", &[]).await;
    let etag = headers["etag"].to_str().unwrap().to_owned();
    for given in [
        etag.clone(),
        format!("W/{etag}"),
        format!("\"other\", {etag}"),
        "*".to_owned(),
    ] {
        let (status, _, _) = app
            .get_with("/channels/gzdt", &[("if-none-match", &given)])
            .await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{given}");
    }
    let (status, _, _) = app
        .get_with("/channels/gzdt", &[("if-none-match", "\"other\"")])
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// Pages and the JSON the app fetches pick their coding by one rule (q-values, brotli first).
#[tokio::test]
async fn pages_and_json_agree_on_accept_encoding() {
    let app = TestApp::with_demo().await;
    for accept in [
        "gzip, deflate, br, zstd",
        "br;q=0.5, gzip",
        "gzip;q=0.2, br;q=0.1",
        "x-gzip",
        "br;q=0, gzip",
        "identity, br;q=0.9",
        "*",
        "deflate",
    ] {
        let coding = |h: &axum::http::HeaderMap| {
            h.get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let (s1, page, _) = app
            .get_with("/channels/gzdt", &[("accept-encoding", accept)])
            .await;
        let (s2, json, _) = app
            .get_with(
                &format!("/api/articles/{SEED_ID}"),
                &[("accept-encoding", accept)],
            )
            .await;
        assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
        assert_eq!(coding(&page), coding(&json), "{accept}");
    }
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

/// Tallies are held for articles read lately only: after a minute of flushes without a read, an
/// article's tally is dropped, and the next view — a kept page, a server function with kept data —
/// reads the stored total again and counts exactly.
#[tokio::test]
async fn tallies_of_articles_not_read_lately_are_dropped_and_views_still_count() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let fetch = || {
        axum::http::Request::post("/_fn/article")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!(
                "id={SEED_ID}&variant=zh-TW&count=true"
            )))
            .unwrap()
    };
    app.get(&path).await;
    assert_eq!(app.send(fetch()).await.0, StatusCode::OK);
    let held = app.views.held();
    assert!(held > 0);
    for _ in 0..61 {
        app.views.flush().await.unwrap();
    }
    assert_eq!(app.views.held(), 0, "nothing read for a minute of flushes");
    assert_eq!(stored_views(&app), 2);
    // The page is still kept in memory, the article's data too.
    let (_, headers, body) = app.get_with(&path, &[]).await;
    assert_eq!(headers["x-cache"], "hit");
    assert!(
        body.contains("<span class=\"view-count\">3</span>"),
        "counted on the stored total"
    );
    for _ in 0..61 {
        app.views.flush().await.unwrap();
    }
    assert_eq!(app.views.held(), 0);
    let (_, _, body) = app.send(fetch()).await;
    let json = String::from_utf8(body).unwrap();
    assert!(json.contains("\"view_count\":4"), "{json:.300}");
    app.views.flush().await.unwrap();
    assert_eq!(stored_views(&app), 4, "no view lost");
}

/// The totals read at start give an article a tally without a query, and flushes keep them current.
#[tokio::test]
async fn view_totals_read_at_start_give_tallies_without_a_query() {
    let app = TestApp::with_demo().await;
    app.db.add_views(&[(SEED_ID.to_owned(), 41)]).await.unwrap();
    app.views.preload().await;
    assert_eq!(app.views.held(), 0);
    assert_eq!(
        app.views.tally(SEED_ID, false),
        Some(41),
        "from the totals read"
    );
    assert_eq!(app.views.held(), 0, "a read not counted holds nothing");
    assert_eq!(app.views.tally("no-such-article", true), None);
    let (_, html) = app.get(&format!("/articles/{SEED_ID}")).await;
    assert!(html.contains("<span class=\"view-count\">42</span>"));
    // A kept page is answered on its tally.
    app.get(&format!("/articles/{SEED_ID}")).await;
    assert_eq!(app.views.tally(SEED_ID, false), Some(43));
    assert_eq!(app.views.tally(SEED_ID, true), Some(44));
    for _ in 0..61 {
        app.views.flush().await.unwrap();
    }
    assert_eq!(app.views.held(), 0);
    assert_eq!(
        app.views.tally(SEED_ID, false),
        Some(44),
        "raised by the flush"
    );
    assert_eq!(stored_views(&app), 44);
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
        assert!(!html.contains(&slot()));
        assert!(html.contains(&format!("<span class=\"view-count\">{n}</span>")));
    }
    assert_eq!(app.pages.stats(), (0, 2), "rendered both times, never kept");
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut html = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut html)
        .expect("valid gzip, right CRC and length");
    html
}

/// A reader whose browser takes gzip gets the stored page compressed, with its own count and nonce:
/// the same page as without gzip, count exact on every response, 304 on its own ETag.
#[tokio::test]
async fn a_cached_page_goes_out_gzip_compressed_with_its_own_count_and_nonce() {
    compressed_pages("gzip", "gzip, deflate", "gz", gunzip).await;
}

/// The same for brotli, preferred where the browser takes both.
#[tokio::test]
async fn a_cached_page_goes_out_brotli_compressed_with_its_own_count_and_nonce() {
    compressed_pages("br", "gzip, deflate, br, zstd", "br", unbrotli).await;
}

async fn compressed_pages(
    coding: &str,
    accept: &'static str,
    suffix: &str,
    decode: fn(&[u8]) -> String,
) {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let get = |encoding: &'static str, etag: Option<String>| {
        let mut req = axum::http::Request::get(&path).header("accept-encoding", encoding);
        if let Some(etag) = etag {
            req = req.header("if-none-match", etag);
        }
        req.body(axum::body::Body::empty()).unwrap()
    };
    // The first response (rendered) and a hit.
    let (_, h1, c1) = app.send(get(accept, None)).await;
    let (status, h2, c2) = app.send(get(accept, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.pages.stats(), (1, 1));
    assert_eq!(
        (&h1["x-cache"], &h2["x-cache"]),
        (&"miss".parse().unwrap(), &"hit".parse().unwrap())
    );
    for h in [&h1, &h2] {
        assert_eq!(h["content-encoding"], coding);
        assert!(h["vary"].to_str().unwrap().contains("Accept-Encoding"));
    }
    // Compressed, the count is followed by spaces up to seven places (see `COUNT_WIDTH`).
    let (first, second) = (decode(&c1), decode(&c2));
    assert!(first.contains("<span class=\"view-count\">1      </span>"));
    assert!(second.contains("<span class=\"view-count\">2      </span>"));
    assert!(second.contains(r#"view_count\":2      ,"#));
    let nonce = common::nonce_of(&second);
    assert_ne!(common::nonce_of(&first), nonce);
    assert!(
        h2["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&format!("'nonce-{nonce}'"))
    );
    assert!(
        c2.len() * 3 < second.len(),
        "{} of {} bytes",
        c2.len(),
        second.len()
    );
    // The same bytes as the page sent uncompressed, but for count and nonce.
    let (_, h3, plain) = app.send(get("identity", None)).await;
    assert!(h3.get("content-encoding").is_none());
    let plain = String::from_utf8(plain).unwrap();
    let third = common::nonce_of(&plain);
    assert_eq!(generic(&second, 2, &nonce), generic(&plain, 3, &third));
    assert_ne!(h2["etag"], h3["etag"], "each encoding its own ETag");
    // The count grows a digit: the same compressed copy serves it.
    let made = app.pages.compressions();
    for _ in 0..7 {
        app.get(&path).await;
    }
    let (_, _, c) = app.send(get(accept, None)).await;
    assert!(decode(&c).contains("<span class=\"view-count\">11     </span>"));
    assert_eq!(app.pages.compressions(), made, "no copy made again");
    let (_, h3, _) = app.send(get("identity", None)).await;
    // A copy is current until the count moves: a crawler (not counted) revalidating gets 304.
    let etag = h3["etag"]
        .to_str()
        .unwrap()
        .replace("-12\"", &format!("-12-{suffix}\""));
    let req = axum::http::Request::get(&path)
        .header("accept-encoding", accept)
        .header("user-agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")
        .header("if-none-match", etag)
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, _, body) = app.send(req).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

/// A page read often is compressed again, at brotli's best quality, off the request path.
#[tokio::test]
async fn a_page_read_often_is_compressed_again_smaller() {
    let app = TestApp::with_demo().await;
    let path = format!("/articles/{SEED_ID}");
    let get = || {
        axum::http::Request::get(&path)
            .header("accept-encoding", "br")
            // Not counted, so the count and every value's length stay as they are.
            .header("user-agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let (_, _, first) = app.send(get()).await;
    let page = unbrotli(&first);
    let mut sizes = Vec::new();
    for _ in 0..1000 {
        let (_, _, br) = app.send(get()).await;
        let html = unbrotli(&br);
        assert_eq!(
            generic(&html, 0, &common::nonce_of(&html)),
            generic(&page, 0, &common::nonce_of(&page))
        );
        sizes.push(br.len());
        if br.len() < first.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let last = *sizes.last().unwrap();
    assert!(last < first.len(), "{} → {last} bytes", first.len());
}
