//! Script variants and reader preferences as the server renders them.

use crate::common;

use axum::http::StatusCode;
use common::*;

fn attr<'a>(html: &'a str, name: &str) -> &'a str {
    let start = html.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = html[start..].find('"').unwrap();
    &html[start..start + end]
}

fn html_tag(html: &str) -> &str {
    let start = html.find("<html").unwrap();
    &html[start..start + html[start..].find('>').unwrap()]
}

#[tokio::test]
async fn every_traditional_variant_of_the_seed_page_is_phrase_correct() {
    let app = TestApp::with_demo().await;
    for variant in ["zh-Hant", "zh-TW", "zh-HK"] {
        let (status, html) = app
            .get(&format!("/articles/{SEED_ID}?variant={variant}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(attr(html_tag(&html), "lang"), variant);
        for wrong in WRONG {
            assert!(!html.contains(wrong), "{variant} page has {wrong}");
        }
        for right in RIGHT {
            assert!(html.contains(right), "{variant} page lacks {right}");
        }
        // Interface words are the region's own (字型 in Taiwan and Hong Kong, 字體 elsewhere).
        let font = if variant == "zh-Hant" {
            "字體:"
        } else {
            "字型:"
        };
        for ui in [font, "對比度:", "字號:", "來源:", "時間:", "瀏覽:"] {
            assert!(html.contains(ui), "{variant} page lacks {ui}");
        }
        // Hong Kong writes 門户, the others 門戶.
        assert!(
            html.contains(
                "<title>以感恩之心奮進之力實幹之行 推動紅色蘇區綠色發展 - 梅州市人民政府門"
            )
        );
        assert!(html.contains("梅州市人民政府發展研究中心"));
        // Markup and addresses are untouched.
        assert!(html.contains("href=\"/articles/"));
        assert!(html.contains(&format!("href=\"/channels/gzdt?variant={variant}\"")));
    }
}

#[tokio::test]
async fn simplified_stays_the_stored_text() {
    let app = TestApp::with_demo().await;
    let (_, html) = app.get(&format!("/articles/{SEED_ID}")).await;
    assert_eq!(attr(html_tag(&html), "lang"), "zh-Hans");
    assert!(html.contains("新时代好干部标准"));
    assert!(html.contains("页面:"));
}

#[tokio::test]
async fn the_cookie_renders_the_readers_choice_in_the_first_byte() {
    let app = TestApp::with_demo().await;
    let (status, headers, html) = app
        .get_with(
            &format!("/articles/{SEED_ID}"),
            &[("cookie", "other=1; reader=zh-TW.x-large.inverted")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let tag = html_tag(&html);
    assert_eq!(attr(tag, "lang"), "zh-TW");
    assert_eq!(attr(tag, "data-font-size"), "x-large");
    assert_eq!(attr(tag, "data-contrast"), "inverted");
    assert!(html.contains("好幹部"));
    assert!(html.contains("data-value=\"zh-TW\" aria-pressed=\"true\""));
    let vary: Vec<_> = headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(vary.iter().any(|v| v.contains("Cookie")), "{vary:?}");

    // An explicit variant in the address wins over the cookie.
    let (_, _, html) = app
        .get_with(
            &format!("/articles/{SEED_ID}?variant=zh-HK"),
            &[("cookie", "reader=zh-TW.x-large.inverted")],
        )
        .await;
    assert_eq!(attr(html_tag(&html), "lang"), "zh-HK");
    assert_eq!(attr(html_tag(&html), "data-font-size"), "x-large");
}

#[tokio::test]
async fn corrupt_cookies_and_variants_fall_back_to_defaults() {
    let app = TestApp::with_demo().await;
    for cookie in [
        "reader=",
        "reader=garbage",
        "reader=zh-XX.huge.neon",
        "reader=%FF%FE",
    ] {
        let (status, _, html) = app
            .get_with(&format!("/articles/{SEED_ID}"), &[("cookie", cookie)])
            .await;
        assert_eq!(status, StatusCode::OK, "{cookie}");
        let tag = html_tag(&html);
        assert_eq!(attr(tag, "lang"), "zh-Hans", "{cookie}");
        assert_eq!(attr(tag, "data-font-size"), "medium", "{cookie}");
        assert_eq!(attr(tag, "data-contrast"), "default", "{cookie}");
    }
    let (status, headers, _) = app
        .get_with(&format!("/articles/{SEED_ID}?variant=klingon"), &[])
        .await;
    assert_eq!(
        status,
        StatusCode::MOVED_PERMANENTLY,
        "an unknown variant is dropped"
    );
    assert_eq!(headers["location"], format!("/articles/{SEED_ID}"));
}

#[tokio::test]
async fn pages_link_every_variant() {
    let app = TestApp::with_demo().await;
    let (_, html) = app.get(&format!("/articles/{SEED_ID}?variant=zh-TW")).await;
    let url = format!("https://portal.example/articles/{SEED_ID}");
    assert!(
        html.contains(&format!("href=\"{url}?variant=zh-TW\" rel=\"canonical\""))
            || html.contains(&format!("rel=\"canonical\" href=\"{url}?variant=zh-TW\"")),
        "canonical"
    );
    for v in ["zh-Hans", "zh-Hant", "zh-TW", "zh-HK", "x-default"] {
        assert!(html.contains(&format!("hreflang=\"{v}\"")), "hreflang {v}");
    }
}

#[tokio::test]
async fn prefs_without_javascript_set_the_cookie_and_go_back() {
    let app = TestApp::with_demo().await;
    let (status, headers, _) = app
        .get_with(
            "/prefs?back=%2Farticles%2Fx%3Fvariant%3Dzh-Hant&variant=zh-HK",
            &[("cookie", "reader=zh-Hant.large.high")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/articles/x?variant=zh-HK");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("reader=zh-HK.large.high.off.off.off.normal;"),
        "{cookie}"
    );

    // A paged channel stays on its page.
    let (status, headers, _) = app
        .get_with(
            "/prefs?back=%2Fchannels%2Fgzdt%3Fafter%3D1652320254000_7%26variant%3Dzh-TW&variant=zh-HK",
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers["location"],
        "/channels/gzdt?after=1652320254000_7&variant=zh-HK"
    );

    let (status, headers, _) = app
        .get_with("/prefs?back=/channels/gzdt&font-size=small", &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/channels/gzdt");
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("reader=zh-Hans.small.default.off.off.off.normal;")
    );

    // Each aid by its name; a switch flips, reset keeps only the script.
    let cookie = |query: &str, had: &'static str| {
        let app = &app;
        let query = query.to_owned();
        async move {
            let (status, headers, _) = app
                .get_with(&format!("/prefs?back=/&{query}"), &[("cookie", had)])
                .await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{query}");
            let c = headers["set-cookie"].to_str().unwrap().to_owned();
            c.split(';').next().unwrap().to_owned()
        }
    };
    assert_eq!(
        cookie("cursor=toggle&spacing=wider", "").await,
        "reader=zh-Hans.medium.default.on.off.off.wider"
    );
    assert_eq!(
        cookie(
            "cursor=toggle&guide=on&caption=toggle",
            "reader=zh-TW.large.high.on.off.off.wide"
        )
        .await,
        "reader=zh-TW.large.high.off.on.on.wide"
    );
    assert_eq!(
        cookie("reset=1", "reader=zh-TW.large.high.on.on.on.wide").await,
        "reader=zh-TW.medium.default.off.off.off.normal"
    );
    for bad in ["cursor=big", "spacing=toggle", "guide=", "caption=ON"] {
        let (status, _, body) = app.get_with(&format!("/prefs?back=/&{bad}"), &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(body.contains("unknown preference"), "{bad}");
    }

    for evil in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil",
        "javascript:alert(1)",
    ] {
        let uri = format!("/prefs?contrast=high&back={}", urlencode(evil));
        let (status, headers, _) = app.get_with(&uri, &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers["location"], "/", "{evil}");
    }

    let (status, _, _) = app.get_with("/prefs?back=/&contrast=neon", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn the_api_converts_on_request() {
    let app = TestApp::with_demo().await;
    let (status, a) = app
        .get_json(&format!("/api/articles/{SEED_ID}?variant=zh-TW"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a["variant"], "zh-TW");
    assert_eq!(
        a["title"],
        "以感恩之心奮進之力實幹之行 推動紅色蘇區綠色發展"
    );
    assert_eq!(a["source"], "梅州日報");
    let body = a["body_html"].as_str().unwrap();
    assert!(body.contains("好幹部") && !body.contains("好乾部"));
    let (_, plain) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    assert_eq!(plain["variant"], "zh-Hans");
    assert_eq!(plain["title"], SEED_TITLE);
}

/// A `variant` the site does not write that way is answered alike on every endpoint: a 301 to the
/// same address with it respelled, or dropped when it names none.
#[tokio::test]
async fn a_bad_variant_is_answered_alike_everywhere() {
    let app = TestApp::with_demo().await;
    let addresses = [
        format!("/articles/{SEED_ID}"),
        "/channels/gzdt".to_owned(),
        "/".to_owned(),
        "/search?q=%E5%B9%B2%E9%83%A8".to_owned(),
        "/feeds/site".to_owned(),
        "/feeds/channels/gzdt".to_owned(),
        "/sitemap.xml".to_owned(),
        format!("/api/articles/{SEED_ID}"),
        "/api/channels/gzdt/articles".to_owned(),
        "/no-such-page".to_owned(),
    ];
    for address in &addresses {
        let join = if address.contains('?') { '&' } else { '?' };
        for (given, want) in [
            ("klingon", address.clone()),
            ("", address.clone()),
            ("zh%2DTW", format!("{address}{join}variant=zh-TW")),
            ("zh-hk", format!("{address}{join}variant=zh-HK")),
        ] {
            let uri = format!("{address}{join}variant={given}");
            let (status, headers, _) = app.get_with(&uri, &[]).await;
            assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{uri}");
            assert_eq!(headers["location"], want.as_str(), "{uri}");
        }
        // The address it was sent to stands.
        let uri = format!("{address}{join}variant=zh-TW");
        let (status, headers, _) = app.get_with(&uri, &[]).await;
        assert_ne!(status, StatusCode::MOVED_PERMANENTLY, "{uri}");
        assert!(!headers.contains_key("location"), "{uri}");
    }
}

/// The `href`s of the page's links (`<a>` only), as written in the HTML.
fn links(html: &str) -> Vec<String> {
    html.match_indices("<a ")
        .filter_map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>')?];
            let start = tag.find(" href=\"")? + 7;
            Some(tag[start..start + tag[start..].find('"')?].replace("&amp;", "&"))
        })
        .collect()
}

#[tokio::test]
async fn an_address_naming_a_variant_keeps_it_on_every_internal_link() {
    let app = TestApp::with_demo().await;
    for path in [
        "/".to_owned(),
        "/channels/gzdt".to_owned(),
        format!("/articles/{SEED_ID}"),
        "/no/such/page".to_owned(),
    ] {
        let (_, html) = app.get(&format!("{path}?variant=zh-HK")).await;
        let internal: Vec<_> = links(&html)
            .into_iter()
            .filter(|l| l.starts_with('/'))
            .collect();
        assert!(!internal.is_empty(), "{path}: no links");
        for l in &internal {
            let before_fragment = l.split('#').next().unwrap();
            assert!(before_fragment.ends_with("variant=zh-HK"), "{path}: {l}");
        }
        // Without `?variant=` (the cookie decides), links are plain.
        let (_, _, html) = app
            .get_with(&path, &[("cookie", "reader=zh-HK.medium.default")])
            .await;
        for l in links(&html).into_iter().filter(|l| l.starts_with('/')) {
            assert!(!l.contains("variant="), "{path}: {l}");
        }
    }
    // Paging keeps the cursor and the variant.
    let (_, html) = app.get("/channels/gzdt?variant=zh-TW").await;
    let older = links(&html)
        .into_iter()
        .find(|l| l.contains("after="))
        .expect("an older page");
    assert!(older.starts_with("/channels/gzdt?after="), "{older}");
    assert!(older.ends_with("&variant=zh-TW"), "{older}");
    let (status, _) = app.get(&older).await;
    assert_eq!(status, StatusCode::OK, "{older} is canonical");
}
