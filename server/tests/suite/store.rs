//! The page store: rendered pages on disk outlive the process, and nothing stale comes back.

use crate::common;

use axum::http::StatusCode;
use common::{SEED_ID, TestApp, nonce_of, unbrotli};

/// The page with what differs per response blanked out: the nonce, the view count.
fn generic(html: &str) -> String {
    let mut out = html.replace(&nonce_of(html), "NONCE");
    for needle in ["class=\"view-count\">", "view_count\\\":"] {
        if let Some(at) = out.find(needle) {
            let from = at + needle.len();
            let digits = out[from..].bytes().take_while(u8::is_ascii_digit).count();
            out.replace_range(from..from + digits, "N");
        }
    }
    out
}

async fn from(app: &TestApp, path: &str) -> String {
    let (status, headers, _) = app.get_with(path, &[]).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    headers["x-cache"].to_str().unwrap().to_owned()
}

/// Files under the store, by walking it.
fn stored_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.join("portal.pages").join("pages")];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                todo.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

#[tokio::test]
async fn a_restarted_server_serves_the_pages_it_rendered_from_disk() {
    let app = TestApp::persisted().await;
    let path = format!("/articles/{SEED_ID}?variant=zh-Hant");
    let (_, first) = app.get(&path).await;
    assert_eq!(from(&app, &path).await, "hit");
    let app = app.restarted().await;
    assert_eq!(app.pages.len(), 0, "nothing in memory after a restart");
    let (status, headers, again) = app.get_with(&path, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-cache"], "disk");
    assert!(generic(&again) == generic(&first), "the same page");
    let count = |html: &str| {
        let at = html.find("class=\"view-count\">").unwrap() + 19;
        html[at..].split('<').next().unwrap().to_owned()
    };
    let before: i64 = count(&first).parse().expect("a count");
    assert_eq!(
        count(&again),
        (before + 2).to_string(),
        "the live count, read from the database"
    );
    assert_ne!(nonce_of(&again), nonce_of(&first), "a fresh nonce");
    // Read twice from disk (a page read once is not kept in memory), then from memory.
    assert_eq!(from(&app, &path).await, "disk");
    assert_eq!(app.pages.len(), 1, "kept on its second read");
    assert_eq!(from(&app, &path).await, "hit");
    assert_eq!(app.pages.disk_hits(), 2);

    // In brotli, in the reader's style.
    let app = app.restarted().await;
    let (status, headers, body) = app
        .send(
            axum::http::Request::get(&path)
                .header("accept-encoding", "br")
                .header("cookie", "reader=zh-Hant.large.high")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-cache"], "disk");
    assert_eq!(headers["content-encoding"], "br");
    let html = unbrotli(&body);
    assert!(html.contains("data-font-size=\"large\""), "{html:.300}");
    assert!(html.contains("data-contrast=\"high\""));
    assert!(html.contains(common::RIGHT[0]), "converted text");
}

/// A page read from disk in brotli goes out as its stored copy: nothing is compressed while the
/// reader waits, in the default style, counted or not. A page first rendered for a client that
/// does not take brotli is stored without a copy and gets one from its first brotli read.
#[tokio::test]
async fn a_stored_page_is_sent_in_its_stored_brotli_copy() {
    let app = TestApp::persisted().await;
    let path = format!("/articles/{SEED_ID}?variant=zh-TW");
    let plain = format!("/articles/{SEED_ID}?variant=zh-HK");
    let browser = |path: &str| {
        axum::http::Request::get(path)
            .header("accept-encoding", "gzip, deflate, br")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    app.send(browser(&path)).await;
    app.get(&plain).await;
    let app = app.restarted().await;
    for _ in 0..3 {
        let (status, headers, body) = app.send(browser(&path)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-encoding"], "br");
        assert!(unbrotli(&body).contains("class=\"view-count\""));
    }
    assert_eq!(app.pages.disk_hits(), 2, "read twice, then kept");
    assert_eq!(app.pages.compressions(), 0, "the stored copy was sent");
    let (_, headers, body) = app.send(browser(&plain)).await;
    assert_eq!(headers["x-cache"], "disk");
    assert!(unbrotli(&body).contains("class=\"view-count\""));
    assert_eq!(
        app.pages.compressions(),
        1,
        "made for the first brotli read"
    );
    let app = app.restarted().await;
    app.send(browser(&plain)).await;
    assert_eq!(app.pages.compressions(), 0, "and written back");

    // The count grows a digit while the server is down: the stored copy has room for it.
    let count = app.views.tally(SEED_ID, false).unwrap();
    let up = 10_i64.pow(count.to_string().len() as u32) - count;
    app.db.add_views(&[(SEED_ID.to_owned(), up)]).await.unwrap();
    let app = app.restarted().await;
    let brotli = || {
        axum::http::Request::get(&path)
            .header("accept-encoding", "br")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let (_, _, body) = app.send(brotli()).await;
    let shown = count + up + 1;
    assert!(unbrotli(&body).contains(&format!("class=\"view-count\">{shown:<7}<")));
    assert_eq!(app.pages.compressions(), 0, "a digit more fits the copy");
    // Past seven digits it does not: a copy is made once and written back, and the next run sends
    // that one.
    let up = 10_000_000 - shown;
    app.db.add_views(&[(SEED_ID.to_owned(), up)]).await.unwrap();
    let app = app.restarted().await;
    let (_, _, body) = app.send(brotli()).await;
    assert!(unbrotli(&body).contains("class=\"view-count\">10000001<"));
    assert_eq!(app.pages.compressions(), 1, "made once for the new length");
    let app = app.restarted().await;
    let (_, headers, body) = app.send(brotli()).await;
    assert_eq!(headers["x-cache"], "disk");
    assert!(unbrotli(&body).contains("class=\"view-count\">10000002<"));
    assert_eq!(app.pages.compressions(), 0, "the copy written back fits");
}

/// An import made while the server was down drops, at the next start, exactly the stored pages
/// showing what it touched; the rest are still read from disk.
#[tokio::test]
async fn an_import_between_runs_drops_only_the_stored_pages_it_touched() {
    let app = TestApp::persisted().await;
    let kept = [format!("/articles/{SEED_ID}"), "/channels/tzgg".to_owned()];
    let dropped = [
        "/".to_owned(),
        "/channels/gzdt".to_owned(),
        "/articles/demo-011".to_owned(),
    ];
    for path in kept.iter().chain(&dropped) {
        assert_eq!(from(&app, path).await, "miss", "{path}");
    }
    let app = app.restarted().await;
    // Written by another process (the CLI) while the server is stopped: the server notices at
    // start, not through its watcher.
    let articles = server::import::parse(r#"{"id": "new-1", "department": "梅州市人民政府发展研究中心", "channel": "工作动态", "title": "新来的文章", "source": "测试", "published_at": "2022-04-30T20:00:00+08:00", "body_html": "<p>新</p>"}"#).unwrap();
    app.db.import(&articles, &|_| {}).await.unwrap();
    let app = app.restarted().await;
    for path in &kept {
        assert_eq!(from(&app, path).await, "disk", "{path} kept");
    }
    for path in &dropped {
        assert_eq!(from(&app, path).await, "miss", "{path} dropped");
    }
    let (_, html) = app.get("/articles/demo-011").await;
    assert!(html.contains("新来的文章"), "links to its new neighbour");
}

/// While serving, an import drops the stored pages it touched as well as those in memory.
#[tokio::test]
async fn an_import_while_serving_drops_the_stored_pages_it_touched() {
    let app = TestApp::persisted().await;
    let (_, before) = app.get(&format!("/articles/{SEED_ID}")).await;
    app.get("/channels/tzgg").await;
    let app = app.restarted().await;
    app.import(&common::seed_line_titled("改过的标题").to_string())
        .await;
    let (_, headers, html) = app.get_with(&format!("/articles/{SEED_ID}"), &[]).await;
    assert_eq!(headers["x-cache"], "miss");
    assert!(html.contains("改过的标题") && !before.contains("改过的标题"));
    assert_eq!(from(&app, "/channels/tzgg").await, "disk");
}

/// A new database in the old one's place (same content version) never gets the old pages.
#[tokio::test]
async fn pages_stored_for_another_database_are_not_served() {
    let app = TestApp::persisted().await;
    let path = format!("/articles/{SEED_ID}");
    app.get(&path).await;
    app.pages.page_store().unwrap().settled().await;
    let dir = app.dir.path().to_owned();
    let app = app.restarted().await;
    drop(app.db.clone());
    for f in ["portal.db", "portal.db-wal", "portal.db-shm"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let app = app.restarted().await;
    let line = common::seed_line_titled("另一个数据库").to_string();
    let articles = server::import::parse(&line).unwrap();
    app.db.import(&articles, &|_| {}).await.unwrap();
    let app = app.restarted().await;
    let (_, headers, html) = app.get_with(&path, &[]).await;
    assert_eq!(headers["x-cache"], "miss");
    assert!(html.contains("另一个数据库"));
}

/// A damaged file — cut short, or one byte changed anywhere — is dropped and the page rendered
/// again.
#[tokio::test]
async fn a_damaged_stored_page_is_rendered_again() {
    let mut app = TestApp::persisted().await;
    let path = format!("/articles/{SEED_ID}");
    let (_, first) = app.get(&path).await;
    let damages: [fn(&mut Vec<u8>); 3] = [
        |d| d.truncate(d.len() - 100),
        |d| {
            let mid = d.len() / 2;
            d[mid] ^= 0x20;
        },
        |d| *d.last_mut().unwrap() ^= 1,
    ];
    for damage in damages {
        app = app.restarted().await;
        let files = stored_files(app.dir.path());
        assert_eq!(files.len(), 1, "{files:?}");
        let mut data = std::fs::read(&files[0]).unwrap();
        damage(&mut data);
        std::fs::write(&files[0], &data).unwrap();
        let (status, headers, html) = app.get_with(&path, &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["x-cache"], "miss");
        assert!(generic(&html) == generic(&first), "the same page");
    }
}

/// `server render --all` fills the store with every page in every variant; a second run finds
/// them all stored.
#[test]
fn render_all_stores_every_page_in_every_variant() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(&dir);
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["render", "--all"])
            .env("DATABASE_URL", &url)
            .env("PAGE_STORE", dir.path().join("portal.pages"))
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = run();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // The demo content: the front page, channels' pages, articles; four variants each.
    let line = err.lines().last().unwrap();
    let (total, rest) = line.split_once(" pages: ").unwrap();
    let total: usize = total.parse().unwrap();
    assert!(total > 4 * 40, "{line}");
    assert_eq!(
        rest,
        format!("{total} rendered, 0 stored already, 0 failed, 0 not written")
    );
    assert_eq!(stored_files(dir.path()).len(), total);
    let out = run();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.ends_with(&format!(
            "{total} pages: 0 rendered, {total} stored already, 0 failed, 0 not written\n"
        )),
        "{err}"
    );
}

/// A pre-render is not a view: `server render --all` leaves every article's count as it was.
#[test]
fn render_all_counts_no_views() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(&dir);
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("PAGE_STORE", dir.path().join("portal.pages"))
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/data/meizhou-article.jsonl");
    run(&["import", seed]);
    let views = || common::stored_total_views(&url);
    let before = views();
    run(&["render", "--all"]);
    assert_eq!(stored_files(dir.path()).len() % 4, 0, "every variant");
    assert!(!stored_files(dir.path()).is_empty());
    assert_eq!(views(), before, "no view counted by rendering");
}

/// The store keeps within its bound: past it, the oldest written pages go.
#[tokio::test]
async fn the_store_keeps_within_its_bound() {
    let app = TestApp::persisted().await;
    for i in 1..=30 {
        let path = format!("/articles/demo-{i:03}");
        assert_eq!(app.get(&path).await.0, StatusCode::OK, "{path}");
        app.pages.page_store().unwrap().settled().await;
    }
    let all = app.pages.page_store().unwrap().bytes();
    assert_eq!(stored_files(app.dir.path()).len(), 30);
    // Files the sweep removes while they are listed count as gone.
    let on_disk = |dir: &std::path::Path| -> u64 {
        stored_files(dir)
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum()
    };
    assert_eq!(on_disk(app.dir.path()), all);
    let app = app.restarted().await;
    // Opened with room for half: swept at start to at most 80 % of that.
    let bound = all / 2;
    let store =
        server::page_cache::PageStore::open(&app.dir.path().join("portal.pages"), bound, true)
            .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while on_disk(app.dir.path()) > bound * 8 / 10 {
        assert!(std::time::Instant::now() < deadline, "not swept");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let left = stored_files(app.dir.path()).len();
    assert!((10..30).contains(&left), "{left} files left");
    drop(store);
    // The newest stayed, the oldest went.
    assert_eq!(from(&app, "/articles/demo-030").await, "disk");
    assert_eq!(from(&app, "/articles/demo-001").await, "miss");
}
