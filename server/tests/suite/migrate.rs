//! Schema changes keep what a database already holds.

use crate::common;

use server::db;

/// A SQLite database made by the release before view totals had a table of their own keeps every
/// article's count when it is migrated.
#[tokio::test]
async fn view_counts_survive_the_move_to_their_own_table() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).unwrap();
    let all = concat!(env!("CARGO_MANIFEST_DIR"), "/src/db/sqlite/migrations");
    for name in [
        "0001_content.sql",
        "0002_content_version.sql",
        "0003_content_change.sql",
        "0004_instance.sql",
    ] {
        std::fs::copy(format!("{all}/{name}"), old.join(name)).unwrap();
    }
    let url = format!("sqlite://{}", dir.path().join("portal.db").display());
    {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc"))
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(old.as_path())
            .await
            .unwrap()
            .run(&mut c)
            .await
            .unwrap();
        sqlx::raw_sql(
            "INSERT INTO site (id, name) VALUES (1, 's');
             INSERT INTO department (id, site_id, name) VALUES (1, 1, 'd');
             INSERT INTO channel (id, department_id, name, slug) VALUES (1, 1, 'c', 'c');
             INSERT INTO article (external_id, channel_id, title, source, published_at,
                                  published_utc, body_html, summary, view_count)
             VALUES ('read', 1, 't', 's', '2022-05-12T09:50:54+08:00', 1652320254, '', '', 41),
                    ('unread', 1, 't', 's', '2022-05-12T09:50:54+08:00', 1652320254, '', '', 0);",
        )
        .execute(&mut c)
        .await
        .unwrap();
    }
    let store = db::open::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    assert!(store.ready().await.unwrap());
    assert_eq!(store.live_views("read").await.unwrap(), Some(41));
    assert_eq!(store.live_views("unread").await.unwrap(), Some(0));
    assert_eq!(store.live_views("none").await.unwrap(), None);
    let totals = store.add_views(&[("read".into(), 2)]).await.unwrap();
    assert_eq!(totals, [Some(43)]);
    let mut seen = Vec::new();
    store
        .view_totals(&mut |id, n| seen.push((id.to_owned(), n)))
        .await
        .unwrap();
    seen.sort();
    assert_eq!(seen, [("read".to_owned(), 43), ("unread".to_owned(), 0)]);
}

/// A database (on the backend under test) holding the demo articles: its URL, the store and the
/// articles imported.
async fn demo_site(
    dir: &tempfile::TempDir,
) -> (
    String,
    std::sync::Arc<dyn db::Database>,
    Vec<server::import::NewArticle>,
) {
    let url = common::database_url(dir);
    let db = db::open::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let articles = server::import::parse(&server::demo::jsonl()).unwrap();
    db.import(&articles, &|_| {}).await.unwrap();
    (url, db, articles)
}

/// Batched views are additions: two writers' batches of the same article add up.
#[tokio::test]
async fn view_batches_add_up_on_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    let (url, a, _) = demo_site(&dir).await;
    let b = db::open::connect(&url).await.unwrap();
    let seed = common::SEED_ID.to_owned();
    let batch = vec![
        (seed.clone(), 3),
        ("demo-002".to_owned(), 1),
        ("no-such-article".to_owned(), 5),
    ];
    let (x, y) = tokio::join!(a.add_views(&batch), b.add_views(&batch));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x[2], None, "only articles that exist: {x:?}");
    assert_eq!(y[2], None, "only articles that exist: {y:?}");
    let mut ends = [x[0].unwrap(), y[0].unwrap()];
    ends.sort_unstable();
    assert_eq!(ends, [3, 6]);
    let mut ends = [x[1].unwrap(), y[1].unwrap()];
    ends.sort_unstable();
    assert_eq!(ends, [1, 2]);
    assert_eq!(common::stored_seed_views(&url), 6);
    assert_eq!(common::stored_total_views(&url), 8);
}

/// A batch larger than one statement's chunk is written whole, in one transaction: articles in
/// the last chunk (ids sorting after thousands of unknown ones) get their views, and each
/// article's new total comes back in the batch's order.
#[tokio::test]
async fn a_large_view_batch_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (url, db, articles) = demo_site(&dir).await;
    let mut batch: Vec<(String, i64)> = (0..3000).map(|i| (format!("{i:04}-gone"), 1)).collect();
    for (i, a) in articles.iter().enumerate() {
        batch.push((a.external_id.clone(), i as i64 + 1));
    }
    batch.push(("~gone".to_owned(), 1));
    batch.reverse();
    let totals = db.add_views(&batch).await.unwrap();
    let written: Vec<(&str, i64)> = batch
        .iter()
        .zip(&totals)
        .filter_map(|((id, _), total)| Some((id.as_str(), (*total)?)))
        .collect();
    let mut expected: Vec<(&str, i64)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.external_id.as_str(), i as i64 + 1))
        .collect();
    expected.reverse();
    assert_eq!(written, expected);
    let n = articles.len() as i64;
    assert_eq!(common::stored_total_views(&url), n * (n + 1) / 2);
}

/// Everything a reader can see of a database, by id: articles (with trail, neighbours, count) and
/// every channel's first page.
async fn visible(db: &dyn db::Database) -> Vec<serde_json::Value> {
    use futures::TryStreamExt;
    let articles: Vec<_> = db.export().try_collect().await.unwrap();
    let mut seen = Vec::new();
    let mut slugs = std::collections::BTreeSet::new();
    for a in &articles {
        let article = db.article(&a.external_id).await.unwrap().unwrap();
        slugs.insert(article.trail.channel.slug.clone());
        seen.push(serde_json::to_value(article).unwrap());
    }
    for slug in slugs {
        let page = db
            .channel_page(&slug, app::model::PageQuery::Newest, 1000)
            .await
            .unwrap();
        seen.push(serde_json::to_value(page).unwrap());
    }
    seen
}

/// `server migrate-to URL` copies a site with its view counts; copied back, it is the same site.
#[tokio::test]
async fn a_site_moved_to_another_database_and_back_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!("sqlite://{}", dir.path().join("portal.db").display());
    let middle_dir = tempfile::tempdir().unwrap();
    // PostgreSQL when the suite runs on it.
    let middle = common::database_url(&middle_dir);
    let back = format!("sqlite://{}", dir.path().join("back.db").display());

    let src = db::open::connect(&source).await.unwrap();
    src.migrate().await.unwrap();
    let articles = server::import::parse(&server::demo::jsonl()).unwrap();
    src.import(&articles, &|_| {}).await.unwrap();
    src.add_views(&[(common::SEED_ID.to_owned(), 12), ("demo-003".to_owned(), 5)])
        .await
        .unwrap();

    let run = |from: &str, to: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["--database-url", from, "migrate-to", to])
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        err
    };
    let said = run(&source, &middle);
    assert_eq!(
        said,
        format!("copied {} articles and 17 views\n", articles.len())
    );
    run(&middle, &back);
    let expected = visible(src.as_ref()).await;
    for url in [&middle, &back] {
        let copy = db::open::connect(url).await.unwrap();
        assert!(visible(copy.as_ref()).await == expected, "{url} differs");
    }
    assert_eq!(common::stored_total_views(&back), 17);

    // Into a database that holds articles: refused, nothing written.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--database-url", &source, "migrate-to", &back])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("copy into an empty one"), "{err}");
    assert_eq!(common::stored_total_views(&back), 17);
}
