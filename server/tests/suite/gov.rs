//! A government article page's parts beyond the article: 政务公开 metadata, 附件, 相关链接 and the
//! 分享到 QR code, from the import through the page, the JSON API, the feed and search.

use crate::common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

const ID: &str = "policy-5";
const DECOY: &str = "policy-15";

fn policy(id: &str, number: u32, day: u32) -> String {
    json!({
        "id": id,
        "channel": "通知公告",
        "department": "梅州市人民政府办公室",
        "title": format!("梅州市人民政府关于印发实施方案的通知（第{number}号）"),
        "source": "梅州市人民政府办公室",
        "published_at": format!("2022-06-{day:02}T10:00:00+08:00"),
        "body_html": "<p>各县（市、区）人民政府，市府直属各单位：现将实施方案印发给你们，请认真贯彻执行。</p>",
        "gov": {
            "index_number": format!("007084223/2022-{number:05}"),
            "issuer": "梅州市人民政府办公室",
            "document_number": format!("梅市府〔2022〕{number}号"),
            "written_on": "2022-03-01",
            "published_on": format!("2022-06-{day:02}"),
            "topic": "综合政务\\通知",
            "keywords": "乡村振兴 实施方案",
            "validity": "有效"
        },
        "attachments": [
            {"name": "附件1：梅州市乡村振兴实施方案", "url": "https://files.example/2022/a.pdf", "size": 1_258_291},
            {"name": "附件2：责任分工 表.xlsx", "url": "/files/x.xlsx"}
        ],
        "related": [
            {"title": SEED_TITLE, "url": format!("/articles/{SEED_ID}")},
            {"title": "广东省人民政府门户网站", "url": "https://www.gd.gov.cn/"},
            {"title": "演示文章", "url": "https://portal.example/articles/demo-001"}
        ]
    })
    .to_string()
}

async fn app() -> TestApp {
    let app = TestApp::with_demo().await;
    // The decoy (〔2022〕15号) is newer, so only an exact match puts policy-5 first.
    app.import(&format!("{}\n{}\n", policy(ID, 5, 2), policy(DECOY, 15, 9)))
        .await;
    app
}

#[tokio::test]
async fn the_page_shows_metadata_attachments_and_related_links_in_each_variant() {
    let app = app().await;
    let (status, html) = app.get(&format!("/articles/{ID}")).await;
    assert_eq!(status, StatusCode::OK);
    let table = html
        .find("<table class=\"gov-info\"")
        .expect("the metadata table");
    assert!(table < html.find("<h1").unwrap(), "above the title");
    for text in [
        "索引号:",
        "007084223/2022-00005",
        "梅市府〔2022〕5号",
        "成文日期:",
        "2022-03-01",
        "有效性:",
        "<td>有效</td>",
        "附件1：梅州市乡村振兴实施方案",
        "（PDF，1.2 MB）",
        "（XLSX）",
        "href=\"https://files.example/2022/a.pdf\" rel=\"external\"",
        // A link to this site by its full address is followed in place, as a path.
        "href=\"/articles/demo-001\"",
        "href=\"https://www.gd.gov.cn/\" rel=\"external noopener noreferrer\"",
    ] {
        assert!(html.contains(text), "{text}");
    }
    let (_, tw) = app.get(&format!("/articles/{ID}?variant=zh-TW")).await;
    let converter = server::convert::Converter::new(&server::convert::Glossary::builtin());
    // The interface's label in Taiwan's words (發布, not the converter's 發佈).
    let mut ui = app::ui::Ui::mapped(String::new(), "", str::to_owned);
    ui.convert(app::variant::Variant::Tw, |s| {
        app::storage::Convert::text(&converter, app::variant::Variant::Tw, s)
    });
    let issuer = ui.t(app::ui::T::Issuer);
    assert_eq!(issuer, "發布機構:");
    for text in [
        "梅市府〔2022〕5號",
        "附件1：梅州市鄉村振興實施方案",
        issuer.as_str(),
        "<td>有效</td>",
        "007084223/2022-00005",
    ] {
        assert!(tw.contains(text), "zh-TW: {text}");
    }
    // An article without any shows none of it.
    let (_, seed) = app.get(&format!("/articles/{SEED_ID}")).await;
    assert!(!seed.contains("gov-info") && !seed.contains("class=\"attachments\""));
}

#[tokio::test]
async fn the_api_carries_metadata_attachments_and_related_links() {
    let app = app().await;
    let (status, a) = app.get_json(&format!("/api/articles/{ID}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a["gov"]["document_number"], "梅市府〔2022〕5号");
    assert_eq!(a["gov"]["validity"], "valid");
    assert_eq!(a["gov"]["written_on"], "2022-03-01");
    assert_eq!(a["attachments"][0]["format"], "PDF");
    assert_eq!(a["attachments"][0]["size"], 1_258_291);
    assert_eq!(a["attachments"][1]["format"], "XLSX");
    assert!(a["attachments"][1]["size"].is_null());
    assert_eq!(a["related"].as_array().unwrap().len(), 3);
    let (_, hk) = app
        .get_json(&format!("/api/articles/{ID}?variant=zh-HK"))
        .await;
    assert_eq!(hk["gov"]["document_number"], "梅市府〔2022〕5號");
    assert_eq!(hk["gov"]["index_number"], "007084223/2022-00005");
    let (_, seed) = app.get_json(&format!("/api/articles/{SEED_ID}")).await;
    assert!(seed["gov"].is_null());
    assert_eq!(seed["attachments"], json!([]));
}

#[tokio::test]
async fn attachments_are_feed_enclosures() {
    let app = app().await;
    let (status, xml) = app.get("/feeds/site").await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let entry = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("entry")
                && n.children()
                    .any(|c| c.has_tag_name("id") && c.text().unwrap_or("").ends_with(ID))
        })
        .expect("the policy's entry");
    let enclosures: Vec<_> = entry
        .children()
        .filter(|c| c.has_tag_name("link") && c.attribute("rel") == Some("enclosure"))
        .map(|c| {
            (
                c.attribute("href").unwrap().to_owned(),
                c.attribute("type").unwrap().to_owned(),
                c.attribute("length").map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        enclosures,
        [
            (
                "https://files.example/2022/a.pdf".to_owned(),
                "application/pdf".to_owned(),
                Some("1258291".to_owned())
            ),
            (
                "https://portal.example/files/x.xlsx".to_owned(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                None
            ),
        ]
    );
}

#[tokio::test]
async fn a_document_number_or_index_number_finds_its_article_first() {
    let app = app().await;
    let q = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    for query in [
        "梅市府〔2022〕5号",
        "梅市府[2022]5号",
        "梅市府【2022】5号",
        "梅市府 (2022) 5號",
        "007084223/2022-00005",
    ] {
        let (status, html) = app.get(&format!("/search?q={}", q(query))).await;
        assert_eq!(status, StatusCode::OK);
        let ids = found(&html);
        assert_eq!(
            ids.first().map(String::as_str),
            Some(ID),
            "{query}: {ids:?}"
        );
        assert_eq!(
            ids.iter().filter(|i| *i == ID).count(),
            1,
            "{query}: listed once"
        );
    }
    let (_, html) = app
        .get(&format!("/search?q={}", q("梅市府〔2022〕15号")))
        .await;
    assert_eq!(found(&html).first().map(String::as_str), Some(DECOY));
}

/// The QR code in the page, rasterized and read back: the page's address in the variant shown.
#[tokio::test]
async fn the_qr_code_decodes_to_the_canonical_address_in_the_variant_shown() {
    let app = app().await;
    for (query, expected) in [
        ("", format!("https://portal.example/articles/{ID}")),
        (
            "?variant=zh-TW",
            format!("https://portal.example/articles/{ID}?variant=zh-TW"),
        ),
        (
            "?variant=zh-HK",
            format!("https://portal.example/articles/{ID}?variant=zh-HK"),
        ),
    ] {
        let (_, html) = app.get(&format!("/articles/{ID}{query}")).await;
        assert_eq!(decode_qr(&html), expected);
    }
}

fn attribute<'a>(tag: &'a str, name: &str) -> &'a str {
    let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    &tag[at..at + tag[at..].find('"').unwrap()]
}

fn decode_qr(html: &str) -> String {
    use resvg::{tiny_skia, usvg};
    let figure = html.split_once("<figure class=\"share-qr\">").unwrap().1;
    let svg_tag = &figure[..figure.find('>').unwrap()];
    let path = figure.split_once("<path").unwrap().1;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{}\" width=\"400\" height=\"400\">\
         <rect x=\"-100\" y=\"-100\" width=\"1000\" height=\"1000\" fill=\"#fff\"/>\
         <path d=\"{}\" fill=\"#000\"/></svg>",
        attribute(svg_tag, "viewBox"),
        attribute(path, "d"),
    );
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).unwrap();
    let mut pixmap = tiny_skia::Pixmap::new(400, 400).unwrap();
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(400, 400, |x, y| {
        pixmap.pixel(x as u32, y as u32).unwrap().red()
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn copying_the_database_keeps_metadata_attachments_and_links() {
    let app = app().await;
    // And an article whose attachment is a file the portal stores.
    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("a.pdf"), b"%PDF-1.4 stored").unwrap();
    let line = policy("stored-1", 7, 3).replace(
        r#""url":"https://files.example/2022/a.pdf""#,
        r#""file":"a.pdf""#,
    );
    let mut stored = server::import::parse(&line).unwrap().remove(0);
    server::files::resolve(&mut stored, files.path(), 1 << 20)
        .await
        .unwrap();
    let url = stored.attachments[0].url.clone();
    assert!(url.starts_with("/files/"), "{url}");
    app.db.import(&[stored], &|_| {}).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let to = server::db::open::connect(&database_url(&dir))
        .await
        .unwrap();
    to.migrate().await.unwrap();
    server::db::copy(app.db.as_ref(), to.as_ref())
        .await
        .unwrap();
    let a = app.db.article(ID).await.unwrap().unwrap();
    let b = to.article(ID).await.unwrap().unwrap();
    assert!(a.gov.is_some() && a.attachments.len() == 2 && a.related.len() == 3);
    assert_eq!(
        (a.gov, a.attachments, a.related),
        (b.gov, b.attachments, b.related)
    );
    let terms = vec!["梅市府".to_owned(), "2022".to_owned(), "5号".to_owned()];
    let found = to
        .search("梅市府 2022 5号", &terms, None, 10)
        .await
        .unwrap();
    assert_eq!(found.hits[0].id, ID, "the copy's keys and index");
    let hash = url.split('/').nth(2).unwrap();
    assert_eq!(
        to.file(hash).await.unwrap(),
        Some((15, "application/pdf".to_owned()))
    );
    assert_eq!(
        to.file_chunk(hash, 0).await.unwrap().as_deref(),
        Some(&b"%PDF-1.4 stored"[..])
    );
}

#[tokio::test]
async fn an_attachment_file_not_read_is_refused_by_the_database() {
    let app = TestApp::empty().await;
    let line = policy("p-1", 1, 1).replace(
        r#""url":"https://files.example/2022/a.pdf""#,
        r#""file":"a.pdf""#,
    );
    let articles = server::import::parse(&line).unwrap();
    let err = app.db.import(&articles, &|_| {}).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("\"attachments[0].file\" \"a.pdf\" was not read"),
        "{err}"
    );
}
