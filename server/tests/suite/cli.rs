//! The binary itself: import, migrate, --help, against real databases (see `common`).

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

const SERVER: &str = env!("CARGO_BIN_EXE_server");

/// The server in `dir` with the test's database: on SQLite the default, `portal.db` there.
fn server(dir: &Path) -> Command {
    let mut c = Command::new(SERVER);
    c.current_dir(dir);
    match common::postgres() {
        Some(_) => c.env("DATABASE_URL", common::database_url_in(dir)),
        None => c.env_remove("DATABASE_URL"),
    };
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    server(dir)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn line(id: &str, title: &str) -> String {
    serde_json::json!({
        "id": id, "site": "测试站", "department": "测试部门", "channel": "工作动态",
        "title": title, "source": "测试", "published_at": "2022-05-12T09:50:54+08:00",
        "body_html": "<p>正文</p>"
    })
    .to_string()
}

fn count(dir: &Path) -> i64 {
    query(dir, "SELECT COUNT(*) FROM article")
}

fn query(dir: &Path, sql: &'static str) -> i64 {
    common::scalar(&common::database_url_in(dir), sql)
}

#[test]
fn import_prints_id_and_path_per_article_and_upserts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.jsonl");
    std::fs::write(
        &file,
        format!("{}\n{}\n", line("x-1", "一"), line("x-2", "二")),
    )
    .unwrap();
    let out = run(dir.path(), &["import", "a.jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "x-1\t/articles/x-1\nx-2\t/articles/x-2\n"
    );
    assert_eq!(count(dir.path()), 2);

    // The same id again updates, never duplicates.
    std::fs::write(&file, line("x-1", "一(更新)")).unwrap();
    let out = run(dir.path(), &["import", "a.jsonl"]);
    assert!(out.status.success());
    assert_eq!(count(dir.path()), 2);
}

#[test]
fn a_broken_second_line_imports_nothing_and_names_line_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.jsonl"), line("keep-1", "保留")).unwrap();
    assert!(run(dir.path(), &["import", "ok.jsonl"]).status.success());

    let bad = format!(
        "{}\n{{\"id\": \"y-2\", \"title\": \n{}\n",
        line("y-1", "一"),
        line("y-3", "三")
    );
    std::fs::write(dir.path().join("bad.jsonl"), bad).unwrap();
    let out = run(dir.path(), &["import", "bad.jsonl"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(count(dir.path()), 1);
}

#[test]
fn a_line_the_database_rejects_rolls_back_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    // Line 2 names no department for a channel that does not exist yet.
    let mut orphan: serde_json::Value = serde_json::from_str(&line("z-2", "二")).unwrap();
    orphan.as_object_mut().unwrap().remove("department");
    orphan["channel"] = "新栏目".into();
    std::fs::write(
        dir.path().join("f.jsonl"),
        format!("{}\n{orphan}\n", line("z-1", "一")),
    )
    .unwrap();

    let out = run(dir.path(), &["import", "f.jsonl"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2") && stderr.contains("新栏目"),
        "{stderr}"
    );
    assert_eq!(count(dir.path()), 0);
}

#[test]
fn a_bad_last_line_after_thousands_written_rolls_all_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut text: String = (1..=2500)
        .map(|i| line(&format!("n-{i}"), "一") + "\n")
        .collect();
    text.push_str(&line("n-7", "重复"));
    std::fs::write(dir.path().join("big.jsonl"), text).unwrap();
    let out = run(dir.path(), &["import", "big.jsonl"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2501") && stderr.contains("already appears on line 7"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(count(dir.path()), 0);
}

#[test]
fn bytes_that_are_not_utf8_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!("{}\n{}\n", line("u-1", "一"), line("u-2", "二")).into_bytes();
    bytes.extend_from_slice(b"{\"id\": \"u-3\xff\"}\n");
    std::fs::write(dir.path().join("u.jsonl"), bytes).unwrap();
    let out = run(dir.path(), &["import", "u.jsonl"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3: not UTF-8"), "{stderr}");
    assert_eq!(count(dir.path()), 0);
}

#[test]
fn missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["import", "nope.jsonl"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read nope.jsonl"));
}

#[test]
fn migrate_creates_the_database_and_help_lists_settings() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if common::postgres().is_none() {
        assert!(dir.path().join("portal.db").exists());
    } else {
        assert_eq!(count(dir.path()), 0, "migrated");
    }
    let help = String::from_utf8_lossy(&run(dir.path(), &["--help"]).stdout).into_owned();
    for needle in [
        "DATABASE_URL",
        "LEPTOS_SITE_ADDR",
        "serve",
        "migrate",
        "import",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn unsupported_database_urls_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(SERVER)
        .args(["--database-url", "mysql://x", "migrate"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
}

#[test]
fn a_failed_migration_stops_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // A table in the way of the first migration.
    common::execute(
        &common::database_url_in(dir.path()),
        "CREATE TABLE site (unrelated TEXT)",
    );
    let out = run(dir.path(), &["serve", "--site-addr", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("database migration failed"), "{stderr}");
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let child = server(dir.path())
        .args(["--site-addr", &addr.to_string()])
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(started.elapsed().as_secs() < 20, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Views are written in batches; the ones still pending when SIGTERM comes must not be lost.
    let views = 7;
    for _ in 0..views {
        let res = http_get(addr, "/articles/mz-fzyjzx-gzdt-20220512-01");
        assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit: {:?}", out.status);
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped"));
    let stored = common::stored_seed_views(&common::database_url_in(dir.path()));
    assert_eq!(stored, views);
}

fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// A SQLite file the server cannot write (here opened read-only): pages still render, and the
/// views that cannot be written are kept and said so in the log.
#[test]
fn a_read_only_database_still_serves_and_says_views_wait() {
    if common::postgres().is_some() {
        return; // SQLite's own case
    }
    let dir = tempfile::tempdir().unwrap();
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/data/meizhou-article.jsonl");
    assert!(run(dir.path(), &["import", seed]).status.success());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = format!(
        "sqlite://{}?mode=ro",
        dir.path().join("portal.db").display()
    );
    let log = dir.path().join("server.log");
    let mut child = Command::new(SERVER)
        .args(["--site-addr", &addr.to_string(), "--no-demo"])
        .current_dir(dir.path())
        .env("DATABASE_URL", &url)
        .env("PAGE_STORE", "off")
        .env("RUST_LOG", "info")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(started.elapsed().as_secs() < 20, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    for _ in 0..3 {
        let res = http_get(addr, "/articles/mz-fzyjzx-gzdt-20220512-01");
        assert!(res.starts_with("HTTP/1.1 200"), "{res:.200}");
    }
    let said = || std::fs::read_to_string(&log).unwrap_or_default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !said().contains("views not written yet") {
        assert!(std::time::Instant::now() < deadline, "{}", said());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        common::stored_seed_views(&format!(
            "sqlite://{}",
            dir.path().join("portal.db").display()
        )),
        0
    );
}

/// A full disk under the SQLite file (a small tmpfs of the server's own, filled up): pages still
/// render, views wait in memory with a warning, and are written once there is room again.
#[test]
fn a_full_disk_still_serves_and_writes_views_once_there_is_room() {
    if common::postgres().is_some() {
        return; // SQLite's own case
    }
    // A mount namespace of its own, as root or as a user mapped to root.
    let can = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs none /mnt"])
        .status()
        .is_ok_and(|s| s.success());
    if !can {
        eprintln!("skipped: no mount namespace here (unshare -rm)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/data/meizhou-article.jsonl");
    assert!(run(dir.path(), &["import", seed]).status.success());
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let log = dir.path().join("server.log");
    let child = Command::new("unshare")
        .args(["-rm", "sh", "-c"])
        .arg(r#"mount -t tmpfs -o size=4m none "$1" && cp "$2".db* "$1" && shift 2 && exec "$@""#)
        .args(["sh", disk.to_str().unwrap()])
        .arg(dir.path().join("portal"))
        .args([SERVER, "--site-addr", &addr.to_string(), "--no-demo"])
        .current_dir(dir.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/portal.db", disk.display()),
        )
        .env("RUST_LOG", "info")
        .stderr(std::fs::File::create(&log).unwrap())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let child = Killed(child);
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(started.elapsed().as_secs() < 20, "server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The server's own view of the disk, from outside its namespace.
    let inside = Path::new("/proc")
        .join(child.0.id().to_string())
        .join("root")
        .join(disk.strip_prefix("/").unwrap());
    let filler = inside.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&block[..512]).is_ok() {}
        let _ = f.sync_all();
    }
    let article = "/articles/mz-fzyjzx-gzdt-20220512-01";
    let paths = [
        article.to_string(),
        format!("{article}?variant=zh-TW"),
        format!("{article}?variant=zh-HK"),
        "/".to_string(),
        "/channels/gzdt".to_string(),
    ];
    for path in &paths {
        let res = http_get(addr, path);
        assert!(res.starts_with("HTTP/1.1 200"), "{path}: {res:.300}");
    }
    let said = || std::fs::read_to_string(&log).unwrap_or_default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !said().contains("views not written yet") {
        assert!(std::time::Instant::now() < deadline, "{}", said());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(said().contains("disk is full"), "{}", said());
    // Still serving while the views wait, including a page rendered now.
    let res = http_get(addr, &format!("{article}?variant=zh-Hant"));
    assert!(res.starts_with("HTTP/1.1 200"), "{res:.300}");
    // SQLite would follow `/proc/PID/root` back to this namespace: read a copy of the files, the
    // log before the file (a checkpoint in between leaves them consistent). A copy torn by a
    // write reads as nothing and is taken again.
    let copy = dir.path().join("copy");
    let stored = || loop {
        let _ = std::fs::remove_dir_all(&copy);
        std::fs::create_dir(&copy).unwrap();
        let _ = std::fs::copy(inside.join("portal.db-wal"), copy.join("portal.db-wal"));
        std::fs::copy(inside.join("portal.db"), copy.join("portal.db")).unwrap();
        let url = format!("sqlite://{}", copy.join("portal.db").display());
        if let Ok(n) = std::panic::catch_unwind(|| common::stored_seed_views(&url)) {
            return n;
        }
    };
    assert_eq!(stored(), 0);
    std::fs::remove_file(&filler).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while stored() != 4 {
        assert!(std::time::Instant::now() < deadline, "{}", said());
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// A child process killed when the test ends, passed or not.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The server in `dir` listening on a free port, once it answers; killed when dropped.
struct Running(std::process::Child, std::net::SocketAddr);

impl Running {
    fn start(dir: &Path, configure: impl FnOnce(&mut Command)) -> Running {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let mut c = server(dir);
        c.args(["--site-addr", &addr.to_string()])
            .env("RUST_LOG", "warn");
        for key in [
            "SITE_SPONSOR",
            "SITE_ICP",
            "SITE_POLICE",
            "SITE_FILE",
            "SITE_CODE",
        ] {
            c.env_remove(key);
        }
        configure(&mut c);
        let child = c.spawn().unwrap();
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(started.elapsed().as_secs() < 20, "server did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Running(child, addr)
    }

    fn footer(&self, path: &str) -> String {
        let page = http_get(self.1, path);
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        let at = page.find("<footer").expect("a footer");
        page[at..at + page[at..].find("</footer>").unwrap()].replace("<!>", "")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_footer_carries_what_the_deployer_set_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let bare = Running::start(dir.path(), |_| {});
    let footer = bare.footer("/");
    for absent in [
        "主办单位",
        "承办单位",
        "网站标识码",
        "beian",
        "gov-mark",
        "隐私政策",
    ] {
        assert!(!footer.contains(absent), "{absent} in {footer}");
    }
    assert!(footer.contains("href=\"/site-map\"") && footer.contains("href=\"/accessibility\""));
    drop(bare);

    let file = dir.path().join("site.toml");
    std::fs::write(
        &file,
        "organizer = \"梅州市政务服务数据管理局\"\nsite_code = \"4414000048\"\n\
         gov_mark = \"https://bszs.conac.cn/sitename?method=show&id=1\"\nprivacy = \"/articles/demo-001\"\n",
    )
    .unwrap();
    let set = Running::start(dir.path(), |c| {
        c.env("SITE_SPONSOR", "梅州市人民政府办公室")
            .env("SITE_ICP", "粤ICP备05080342号")
            .env("SITE_POLICE", "粤公网安备 44140202000123号")
            .env("SITE_FILE", &file);
    });
    let footer = set.footer(&format!("/articles/{}", common::SEED_ID));
    for present in [
        "主办单位:梅州市人民政府办公室",
        "承办单位:梅州市政务服务数据管理局",
        "网站标识码:4414000048",
        "<a href=\"https://beian.miit.gov.cn/\" rel=\"external noopener noreferrer\">粤ICP备05080342号</a>",
        "href=\"https://beian.mps.gov.cn/#/query/webSearch?code=44140202000123\"",
        "href=\"https://bszs.conac.cn/sitename?method=show&amp;id=1\"",
        "<a href=\"/articles/demo-001\">隐私政策</a>",
    ] {
        assert!(footer.contains(present), "{present} not in {footer}");
    }
    // In Traditional the names are converted; the filing numbers are not.
    let tw = set.footer(&format!("/articles/{}?variant=zh-TW", common::SEED_ID));
    assert!(tw.contains("主辦單位:梅州市人民政府辦公室"), "{tw}");
    assert!(tw.contains(">粤ICP备05080342号<"), "{tw}");
    let map = http_get(set.1, "/site-map");
    assert!(
        map.starts_with("HTTP/1.1 200") && map.contains("href=\"/channels/gzdt\""),
        "{map}"
    );
}

#[test]
fn a_bad_footer_setting_stops_the_server_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = server(dir.path())
        .args(["--site-addr", "127.0.0.1:0"])
        .env("SITE_GOV_MARK", "javascript:alert(1)")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("gov_mark"), "{stderr}");
}

/// An article whose attachments are files beside the import: `files` (name in the page, path).
fn with_files(id: &str, files: &[(&str, &str)]) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&line(id, "附件测试")).unwrap();
    v["attachments"] = files
        .iter()
        .map(|(name, path)| serde_json::json!({"name": name, "file": path}))
        .collect();
    v.to_string()
}

fn get_bytes(addr: std::net::SocketAddr, path: &str) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let at = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&out[..at]).into_owned();
    let mut body = out[at + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut plain = Vec::new();
        let mut rest = &body[..];
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            plain.extend_from_slice(&rest[end + 2..end + 2 + n]);
            rest = &rest[end + 4 + n..];
        }
        body = plain;
    }
    (head, body)
}

#[test]
fn attachment_files_are_stored_and_served_as_downloads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("files")).unwrap();
    // Over one chunk, so the download is streamed in parts.
    let pdf: Vec<u8> = b"%PDF-1.4\n"
        .iter()
        .copied()
        .chain((0..700_000u32).map(|i| (i * 7 % 251) as u8))
        .collect();
    std::fs::write(dir.path().join("files/实施 方案.pdf"), &pdf).unwrap();
    let html = b"<!doctype html><script>alert(1)</script><h1>x</h1>";
    std::fs::write(dir.path().join("files/page.html"), html).unwrap();
    std::fs::write(
        dir.path().join("a.jsonl"),
        with_files(
            "f-1",
            &[
                ("附件1：实施 方案", "files/实施 方案.pdf"),
                ("附件2 page", "files/page.html"),
            ],
        ),
    )
    .unwrap();
    let out = run(dir.path(), &["import", "a.jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Running::start(dir.path(), |_| {});
    let page = http_get(server.1, "/articles/f-1");
    let links: Vec<String> = page
        .split("href=\"/files/")
        .skip(1)
        .map(|s| format!("/files/{}", &s[..s.find('"').unwrap()]))
        .collect();
    assert_eq!(links.len(), 2, "{page}");
    assert!(page.contains("附件1：实施 方案"), "the name as given");
    assert!(page.contains("（PDF，683.6 KB）"), "{page}");

    let (head, body) = get_bytes(server.1, &links[0]);
    let h = head.to_ascii_lowercase();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(h.contains("content-type: application/pdf"), "{head}");
    assert!(h.contains("x-content-type-options: nosniff"), "{head}");
    assert!(h.contains("content-disposition: attachment;"), "{head}");
    assert!(
        head.contains("filename*=UTF-8''%E9%99%84%E4%BB%B61%EF%BC%9A%E5%AE%9E%E6%96%BD%20%E6%96%B9%E6%A1%88.pdf"),
        "the UTF-8 name with its space: {head}"
    );
    assert!(!h.contains("content-encoding"), "sent as stored: {head}");
    assert_eq!(body, pdf);

    // An HTML file is a download of bytes, never a page of the site.
    let (head, body) = get_bytes(server.1, &links[1]);
    let h = head.to_ascii_lowercase();
    assert!(
        h.contains("content-type: application/octet-stream"),
        "{head}"
    );
    assert!(h.contains("content-disposition: attachment;"), "{head}");
    assert!(
        h.contains("content-security-policy: default-src 'none'; sandbox"),
        "{head}"
    );
    assert_eq!(body, html);

    for bad in [
        "/files/abc/x.pdf",
        &format!("/files/{}/x.pdf", "0".repeat(64)),
    ] {
        let (head, _) = get_bytes(server.1, bad);
        assert!(head.starts_with("HTTP/1.1 404"), "{bad}: {head}");
    }
}

#[test]
fn an_attachment_file_too_large_or_missing_imports_nothing_and_names_its_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.pdf"), vec![b'x'; (1 << 20) + 1]).unwrap();
    std::fs::write(dir.path().join("ok.pdf"), b"%PDF-1.4").unwrap();
    let cases = [
        (
            ("大文件", "big.pdf"),
            "\"attachments[0].file\" \"big.pdf\": is 1048577 bytes, more than the 1048576 allowed",
        ),
        (
            ("没有", "missing.pdf"),
            "\"attachments[0].file\" \"missing.pdf\": cannot be read",
        ),
        (
            ("上级", "../ok.pdf"),
            "\"attachments[0].file\" \"../ok.pdf\" must be a path below",
        ),
    ];
    for ((name, path), expected) in cases {
        std::fs::write(
            dir.path().join("a.jsonl"),
            format!(
                "{}\n{}\n",
                with_files("f-1", &[("好", "ok.pdf")]),
                with_files("f-2", &[(name, path)])
            ),
        )
        .unwrap();
        let out = server(dir.path())
            .args(["import", "a.jsonl"])
            .env("MAX_ATTACHMENT_MB", "1")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("line 2") && stderr.contains(expected),
            "{stderr}"
        );
        assert_eq!(count(dir.path()), 0, "all or nothing");
        assert_eq!(query(dir.path(), "SELECT COUNT(*) FROM file"), 0);
    }
}

fn http_post_form(addr: std::net::SocketAddr, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn reports_made_through_the_binary_are_printed_inert_as_jsonl_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "=HYPERLINK(\"http://evil.example\",\"x\") <script>alert(1)</script>\n第二行";
    {
        let running = Running::start(dir.path(), |_| {});
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("article", common::SEED_ID)
            .append_pair("variant", "zh-HK")
            .append_pair("excerpt", "頁麵")
            .append_pair("description", hostile)
            .append_pair("contact", "@me")
            .finish();
        let res = http_post_form(running.1, "/report", &body);
        assert!(res.starts_with("HTTP/1.1 303"), "{res}");
        // Each connection's own address is the client: the binary counts by it.
        assert!(
            res.contains("location: /reports/JC") || res.contains("Location: /reports/JC"),
            "{res}"
        );
    }
    let out = run(dir.path(), &["reports"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8(out.stdout).unwrap();
    let r: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(r["description"], hostile);
    assert_eq!(r["variant"], "zh-HK");
    assert_eq!(r["excerpt"], "頁麵");
    let out = run(
        dir.path(),
        &["reports", "--format", "csv", "--since", "2020-01-01"],
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("reference,article_id,variant,excerpt,description,contact,created_at\n")
    );
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\") <script>alert(1)</script>\n第二行\""), "{csv}");
    assert!(csv.contains(",'@me,"), "{csv}");
    let later = run(dir.path(), &["reports", "--since", "2999-01-01"]);
    assert!(later.stdout.is_empty());
    let bad = run(dir.path(), &["reports", "--since", "yesterday"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--since \"yesterday\" is not a date"));
}
