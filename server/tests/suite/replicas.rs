//! Two server processes on one PostgreSQL database, as behind a load balancer: the same pages, an
//! import seen by both within a second or so, view counts exact across them — also when one is
//! stopped with SIGTERM under load, and at most the last second's views lost when one is killed.
//! Runs when `TEST_POSTGRES_URL` names a server (`.ci/test` starts one).

use crate::common;

use common::{SEED_ID, until};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

const SERVER: &str = env!("CARGO_BIN_EXE_server");
/// What `server render` sends: a request that counts no view.
const NOT_A_READER: &str = "portal-render/1";

struct Replica {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, url: &str, name: &str) -> Replica {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let log = std::fs::File::create(dir.join(format!("{name}.log"))).unwrap();
    let child = Command::new(SERVER)
        .args(["--site-addr", &addr.to_string(), "--no-demo"])
        .current_dir(dir)
        .env("DATABASE_URL", url)
        // Behind one load balancer: one public address.
        .env("PUBLIC_URL", "https://portal.example")
        .env("PAGE_STORE", dir.join(format!("{name}.pages")))
        .env("RUST_LOG", "info")
        .stderr(log)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{name} did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Replica { child, addr }
}

fn get(addr: SocketAddr, path: &str, agent: &str) -> Option<(u16, String)> {
    common::http_get(addr, path, agent).map(|g| (g.status, g.body))
}

fn reader_get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    get(addr, path, common::READER)
}

/// The page without what differs per response (its nonce).
fn generic(html: &str) -> String {
    html.replace(&common::nonce_of(html), "NONCE")
}

fn api_views(addr: SocketAddr) -> i64 {
    let (status, body) = get(addr, &format!("/api/articles/{SEED_ID}"), NOT_A_READER).unwrap();
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["view_count"].as_i64().unwrap()
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {sig}");
}

#[test]
fn two_replicas_on_one_database() {
    if common::postgres().is_none() {
        eprintln!("skipped: TEST_POSTGRES_URL not set");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(&dir);
    let cli = |args: &[&str]| {
        let out = Command::new(SERVER)
            .args(args)
            .current_dir(dir.path())
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {err}");
    };
    cli(&[
        "import",
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/meizhou-article.jsonl"),
    ]);
    let mut a = start(dir.path(), &url, "a");
    let b = start(dir.path(), &url, "b");
    let seed = format!("/articles/{SEED_ID}");

    // The same pages from both.
    for path in ["/", seed.as_str(), "/channels/gzdt", "/articles/nope"] {
        let (sa, pa) = get(a.addr, path, NOT_A_READER).unwrap();
        let (sb, pb) = get(b.addr, path, NOT_A_READER).unwrap();
        assert_eq!(sa, sb, "{path}");
        assert!(generic(&pa) == generic(&pb), "{path}: the replicas differ");
    }

    // An import through the CLI reaches both.
    let title = "两个副本都看到的新标题";
    let file = dir.path().join("retitled.jsonl");
    std::fs::write(&file, common::seed_line_titled(title).to_string()).unwrap();
    let imported = Instant::now();
    cli(&["import", file.to_str().unwrap()]);
    for (name, r) in [("a", &a), ("b", &b)] {
        let mut last = String::new();
        let shown = until(Duration::from_secs(10), || {
            let html = get(r.addr, &seed, NOT_A_READER).map(|(_, h)| h);
            last = html.unwrap_or_default();
            last.contains(title)
        });
        let start = last.find("<title>").unwrap_or(0);
        assert!(shown, "{name} still shows {:.80}", &last[start..]);
    }
    eprintln!(
        "import shown by both replicas after {:?}",
        imported.elapsed()
    );

    // Views counted by one show on the other.
    let mut expected = 0;
    for _ in 0..5 {
        assert_eq!(reader_get(b.addr, &seed).unwrap().0, 200);
        expected += 1;
    }
    let counted_by_b = Instant::now();
    let shown = until(Duration::from_secs(4), || api_views(a.addr) == expected);
    assert!(shown, "b's views not shown by a: {}", api_views(a.addr));
    eprintln!(
        "views counted by b shown by a after {:?}",
        counted_by_b.elapsed()
    );

    // Load on both; a stopped with SIGTERM in the middle of it.
    let stop = Arc::new(AtomicBool::new(false));
    let counted = Arc::new(AtomicI64::new(0));
    let loaders: Vec<_> = [a.addr, a.addr, b.addr, b.addr]
        .into_iter()
        .map(|addr| {
            let (stop, counted, seed) = (stop.clone(), counted.clone(), seed.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some((200, html)) = reader_get(addr, &seed)
                        && html.contains("</html>")
                    {
                        counted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    signal(&a.child, "-TERM");
    let status = a.child.wait().unwrap();
    assert!(status.success(), "a stopped: {status:?}");
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    for l in loaders {
        l.join().unwrap();
    }
    let under_load = counted.load(Ordering::Relaxed);
    assert!(under_load > 100, "{under_load} views under load");
    expected += under_load;
    let stored = until(Duration::from_secs(4), || {
        common::stored_seed_views(&url) == expected
    });
    assert!(
        stored,
        "{} stored, {expected} counted",
        common::stored_seed_views(&url)
    );
    assert_eq!(api_views(b.addr), expected, "b shows the total");

    // b killed: what it had written stays; at most its last second's views are lost.
    for _ in 0..10 {
        assert_eq!(reader_get(b.addr, &seed).unwrap().0, 200);
        expected += 1;
    }
    let written = until(Duration::from_secs(4), || {
        common::stored_seed_views(&url) == expected
    });
    assert!(
        written,
        "{} stored, {expected} counted",
        common::stored_seed_views(&url)
    );
    for _ in 0..5 {
        assert_eq!(reader_get(b.addr, &seed).unwrap().0, 200);
    }
    let mut b = b;
    b.child.kill().unwrap();
    b.child.wait().unwrap();
    let stored = common::stored_seed_views(&url);
    assert!(
        (expected..=expected + 5).contains(&stored),
        "{stored} stored, {expected} before the last 5"
    );
    eprintln!(
        "{under_load} views under load, all stored; {} lost to SIGKILL",
        expected + 5 - stored
    );
}
