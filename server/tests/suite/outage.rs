//! PostgreSQL stopped under a running server, and a server started before its database: cached
//! pages still served, the rest a fast 503 with `Retry-After`, views kept and written once the
//! database is back, `/readyz` failing meanwhile, everything recovering by itself. The test runs
//! its own cluster (`.ci/postgres`) when `TEST_POSTGRES_URL` says PostgreSQL is here.

use crate::common;

use common::{SEED_ID, until};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const SERVER: &str = env!("CARGO_BIN_EXE_server");
const CLUSTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../.ci/postgres");

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

struct Cluster {
    dir: PathBuf,
    port: u16,
}

impl Cluster {
    fn start(&self) -> String {
        let out = Command::new(CLUSTER)
            .args(["start", self.dir.to_str().unwrap(), &self.port.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    fn stop(&self) {
        let ok = Command::new(CLUSTER)
            .args(["stop", self.dir.to_str().unwrap()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "cluster stopped");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(CLUSTER)
            .args(["stop", self.dir.to_str().unwrap()])
            .output();
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path, url: &str, addr: SocketAddr) -> Server {
    let log = std::fs::File::create(dir.join("server.log")).unwrap();
    Server(
        Command::new(SERVER)
            .args(["--site-addr", &addr.to_string(), "--no-demo"])
            .current_dir(dir)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "info")
            .stderr(log)
            .spawn()
            .unwrap(),
    )
}

/// Status, headers (lowercased), body and time taken of a reader's GET.
fn get(addr: SocketAddr, path: &str) -> Option<(u16, String, String, Duration)> {
    common::http_get(addr, path, common::READER).map(|g| (g.status, g.head, g.body, g.took))
}

#[test]
fn the_database_lost_and_back() {
    if common::postgres().is_none() {
        eprintln!("skipped: TEST_POSTGRES_URL not set (no PostgreSQL here)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cluster = Cluster {
        dir: dir.path().join("cluster"),
        port: free_port(),
    };
    let url = format!("{}/postgres", cluster.start());
    let out = Command::new(SERVER)
        .args([
            "import",
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/meizhou-article.jsonl"),
        ])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let more: String = (1..=3)
        .map(|i| {
            let mut line = common::seed_line_titled(&format!("另一篇 {i}"));
            line["id"] = format!("other-{i}").into();
            format!("{line}\n")
        })
        .collect();
    std::fs::write(dir.path().join("more.jsonl"), more).unwrap();
    let out = Command::new(SERVER)
        .args(["import", dir.path().join("more.jsonl").to_str().unwrap()])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let _server = serve(dir.path(), &url, addr);
    assert!(until(Duration::from_secs(20), || get(addr, "/readyz")
        .is_some_and(|r| r.0 == 200)));
    let seed = format!("/articles/{SEED_ID}");
    let mut views = 0;
    for _ in 0..3 {
        assert_eq!(get(addr, &seed).unwrap().0, 200);
        views += 1;
    }

    cluster.stop();
    // Cached: still served, and counted.
    for _ in 0..5 {
        let (status, _, body, took) = get(addr, &seed).unwrap();
        assert_eq!(status, 200, "a cached page while the database is down");
        assert!(body.contains("推动红色苏区绿色发展"));
        assert!(took < Duration::from_secs(2), "{took:?}");
        views += 1;
    }
    // Not cached: a fast 503 saying when to come back, no internals.
    for path in [
        "/articles/other-1",
        "/api/articles/other-2",
        "/channels/gzdt?variant=zh-TW",
    ] {
        let (status, head, body, took) = get(addr, path).unwrap();
        assert_eq!(status, 503, "{path}: {body:.300}");
        assert!(head.contains("\r\nretry-after: "), "{path}: {head}");
        assert!(took < Duration::from_secs(5), "{path}: {took:?}");
        let said = if path.starts_with("/api/") {
            "\"status\":503"
        } else {
            "服务暂时不可用"
        };
        assert!(body.contains(said), "{path}: {body:.300}");
        let lower = body.to_lowercase();
        for leak in ["postgres", "sqlx", "connection refused", "error returned"] {
            assert!(!lower.contains(leak), "{path} shows {leak:?}: {body:.300}");
        }
        eprintln!("{path}: 503 in {took:?}");
    }
    let (status, head, _, took) = get(addr, "/readyz").unwrap();
    assert_eq!(status, 503);
    assert!(head.contains("no-store"));
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert_eq!(get(addr, "/healthz").unwrap().0, 200);

    // Back: ready again, the uncached pages served, every view written.
    cluster.start();
    let back = Instant::now();
    assert!(
        until(Duration::from_secs(20), || get(addr, "/readyz")
            .is_some_and(|r| r.0 == 200)),
        "ready again"
    );
    eprintln!("ready {:?} after the database came back", back.elapsed());
    assert!(until(Duration::from_secs(10), || {
        get(addr, "/articles/other-1").is_some_and(|r| r.0 == 200)
    }));
    assert!(
        until(Duration::from_secs(10), || common::stored_seed_views(&url)
            == views),
        "{} views stored, {views} counted",
        common::stored_seed_views(&url)
    );
    drop(_server);

    // A server started while its database is down waits for it, then serves.
    cluster.stop();
    let _server = serve(dir.path(), &url, addr);
    let log = || std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
    let waiting = until(Duration::from_secs(10), || {
        log().contains("database unreachable; waiting for it")
    });
    assert!(waiting, "{}", log());
    cluster.start();
    assert!(
        until(Duration::from_secs(40), || get(addr, &seed)
            .is_some_and(|r| r.0 == 200)),
        "served once the database is up"
    );
}
