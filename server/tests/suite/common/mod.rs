//! Each test gets its own real database, migrated, behind the real router: a SQLite file, or with
//! `TEST_POSTGRES_URL` set (a server's URL without a database name), a new PostgreSQL database.

use app::storage::SiteConfig;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use server::db::{self, Database};
use server::page_cache::PageCache;
use server::views::ViewCounter;
use std::sync::Arc;
use tower::ServiceExt;

pub const SEED_ID: &str = "mz-fzyjzx-gzdt-20220512-01";
/// The original site's conversion errors (and OpenCC's 好乾部), and what each should read.
pub const WRONG: [&str; 12] = [
    "頁麵",
    "全麵",
    "麵臨",
    "同誌",
    "製度",
    "機製",
    "責任製",
    "修複",
    "批複",
    "體係",
    "幹淨",
    "好乾部",
];
pub const RIGHT: [&str; 12] = [
    "頁面",
    "全面",
    "面臨",
    "同志",
    "制度",
    "機制",
    "責任制",
    "修復",
    "批覆",
    "體系",
    "乾淨",
    "好幹部",
];

pub const SEED_TITLE: &str = "以感恩之心奋进之力实干之行 推动红色苏区绿色发展";

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub db: Arc<dyn Database>,
    pub views: Arc<ViewCounter>,
    pub pages: Arc<PageCache>,
    pub router: server::web::App,
}

impl TestApp {
    /// A fresh database file holding the demo content.
    pub async fn with_demo() -> Self {
        let app = Self::empty().await;
        let articles = server::import::parse(&server::demo::jsonl()).unwrap();
        app.db.import(&articles, &|_| {}).await.unwrap();
        app
    }

    pub async fn empty() -> Self {
        Self::with_storage(|store| store).await
    }

    /// An empty database behind the storage `wrap` makes of the real one.
    pub async fn with_storage(
        wrap: fn(Arc<dyn app::storage::Storage>) -> Arc<dyn app::storage::Storage>,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::assemble(dir, None, wrap).await
    }

    /// The demo content, with a page store in the test's directory (`portal.pages`).
    pub async fn persisted() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("portal.pages");
        let app = Self::assemble(dir, Some(&store), |s| s).await;
        let articles = server::import::parse(&server::demo::jsonl()).unwrap();
        app.db.import(&articles, &|_| {}).await.unwrap();
        app.refresh().await;
        app
    }

    /// The same files (database, page store) opened anew, as by a restarted server, once the
    /// pages being written are written.
    pub async fn restarted(self) -> Self {
        if let Some(store) = self.pages.page_store() {
            store.settled().await;
        }
        self.views.flush().await.unwrap();
        let store = self
            .pages
            .page_store()
            .map(|_| self.dir.path().join("portal.pages"));
        let dir = self.dir;
        Self::assemble(dir, store.as_deref(), |s| s).await
    }

    /// The app as the binary builds it (`Setup::build`), with nothing running by itself: the
    /// tests flush views and refresh pages when they mean to.
    async fn assemble(
        dir: tempfile::TempDir,
        store: Option<&std::path::Path>,
        wrap: fn(Arc<dyn app::storage::Storage>) -> Arc<dyn app::storage::Storage>,
    ) -> Self {
        let url = database_url(&dir);
        let db = db::open::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let setup = server::state::Setup {
            database: db.clone(),
            converter: Arc::new(server::convert::Converter::new(
                &server::convert::Glossary::builtin(),
            )),
            fingerprint: Arc::new(|| 0),
            site: SiteConfig {
                public_url: "https://portal.example".into(),
                footer: Default::default(),
            },
            site_addr: "127.0.0.1:3000".parse().unwrap(),
            page_cache_bytes: 8 << 20,
            page_store: store.map(|path| (path.to_owned(), 64 << 20)),
            serving: true,
            background: false,
            storage: wrap,
        };
        let (state, views) = setup.build().await.unwrap();
        let pages = state.pages.clone();
        let router = server::web::router(state);
        Self {
            dir,
            db,
            views,
            pages,
            router,
        }
    }

    /// What the server's watcher does every second: drop rendered pages after an import.
    pub async fn refresh(&self) {
        self.pages.refresh(self.db.as_ref(), 0).await;
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let res = self
            .router
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// GET with request headers; returns status, response headers and body.
    pub async fn get_with(
        &self,
        uri: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    /// Any request; returns status, headers and body.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, headers, body.to_vec())
    }

    /// Imports JSONL lines and lets the server notice, as its watcher does.
    pub async fn import(&self, jsonl: &str) {
        let articles = server::import::parse(jsonl).unwrap();
        self.db.import(&articles, &|_| {}).await.unwrap();
        self.refresh().await;
    }

    pub async fn get_json(&self, uri: &str) -> (StatusCode, serde_json::Value) {
        let (status, body) = self.get(uri).await;
        let json =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {body}"));
        (status, json)
    }
}

pub fn database_url(dir: &tempfile::TempDir) -> String {
    database_url_in(dir.path())
}

/// The PostgreSQL server tests run on, if any.
pub fn postgres() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|u| u.trim_end_matches('/').to_owned())
}

/// The test's database, made if it is not there yet: `portal.db` in `dir`, or on PostgreSQL a
/// database named after `dir`.
pub fn database_url_in(dir: &std::path::Path) -> String {
    let Some(server) = postgres() else {
        return format!("sqlite://{}", dir.join("portal.db").display());
    };
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hash =
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(dir);
    let name = format!("t{hash:016x}");
    let admin = format!("{server}/postgres");
    let create = format!("CREATE DATABASE {name}");
    on_own_runtime(async move {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
        match sqlx::raw_sql(sqlx::AssertSqlSafe(create))
            .execute(&mut c)
            .await
        {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P04") => {}
            Err(e) => panic!("cannot make a test database: {e}"),
        }
    });
    format!("{server}/{name}")
}

/// One number `sql` selects from the database at `url`, SQLite or PostgreSQL.
pub fn scalar(url: &str, sql: &'static str) -> i64 {
    let url = url.to_owned();
    on_own_runtime(async move {
        use sqlx::Connection;
        if url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut c).await.unwrap()
        } else {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut c).await.unwrap()
        }
    })
}

/// Runs `sql` on the database at `url`; `?mode=rwc` is added to a SQLite URL (made if missing).
pub fn execute(url: &str, sql: &'static str) {
    let url = url.to_owned();
    on_own_runtime(async move {
        use sqlx::Connection;
        if url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc"))
                .await
                .unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    })
}

/// The seed article's stored view total.
pub fn stored_seed_views(url: &str) -> i64 {
    scalar(
        url,
        "SELECT COALESCE((SELECT v.views FROM article_view v JOIN article a ON a.id = v.article_id
                          WHERE a.external_id = 'mz-fzyjzx-gzdt-20220512-01'), 0)",
    )
}

/// Every article's views, summed, as stored.
pub fn stored_total_views(url: &str) -> i64 {
    scalar(
        url,
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM article_view",
    )
}

/// Runs `f` to completion on a runtime of its own, on a thread of its own (callable from tests
/// with or without a runtime).
fn on_own_runtime<T: Send + 'static>(
    f: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || tokio::runtime::Runtime::new().unwrap().block_on(f))
        .join()
        .unwrap()
}

/// The script nonce a page was sent with (from its first `nonce="…"`).
pub fn nonce_of(html: &str) -> String {
    let start = html.find("nonce=\"").expect("page has a nonce") + 7;
    let len = html[start..].find('"').unwrap();
    html[start..start + len].to_owned()
}

/// The seed article's import line with another title.
pub fn seed_line_titled(title: &str) -> serde_json::Value {
    let mut line: serde_json::Value = serde_json::from_str(
        server::demo::jsonl()
            .lines()
            .find(|l| l.contains(SEED_ID))
            .expect("the seed article in the demo content"),
    )
    .expect("a JSON line");
    line["title"] = title.into();
    line
}

/// A brotli body, decoded.
pub fn unbrotli(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut html = String::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(&mut html)
        .expect("valid brotli");
    html
}

/// A browser's User-Agent: its article pages count views.
pub const READER: &str = "Mozilla/5.0 (X11; Linux x86_64) test reader";

/// A response read whole from a server process.
pub struct Got {
    pub status: u16,
    /// Status line and headers, lowercased.
    pub head: String,
    pub body: String,
    pub took: std::time::Duration,
}

/// GET over HTTP/1.0 (no chunks) from a server process; `None` if the connection failed.
pub fn http_get(addr: std::net::SocketAddr, path: &str, agent: &str) -> Option<Got> {
    use std::io::{Read, Write};
    let started = std::time::Instant::now();
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .ok()?;
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\nUser-Agent: {agent}\r\n\r\n"
    )
    .ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some(Got {
        status: head.split(' ').nth(1)?.parse().ok()?,
        head: head.to_lowercase(),
        body: body.to_owned(),
        took: started.elapsed(),
    })
}

/// Waits until `ok` holds; whether it did within `limit`.
pub fn until(limit: std::time::Duration, mut ok: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    while !ok() {
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    true
}

/// The ids of the articles a search results page lists, in order.
pub fn found(html: &str) -> Vec<String> {
    let list = html
        .split_once("<ol class=\"search-results\">")
        .map(|(_, r)| r.split_once("</ol>").map_or(r, |(l, _)| l))
        .unwrap_or_default();
    list.split("<li><a href=\"/articles/")
        .skip(1)
        .map(|s| s.split(['"', '?']).next().unwrap().to_owned())
        .collect()
}
