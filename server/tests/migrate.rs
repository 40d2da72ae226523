//! Schema changes keep what a database already holds.

mod common;

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
    let store = db::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    assert!(store.ready().await.unwrap());
    assert_eq!(store.live_views("read").await.unwrap(), Some(41));
    assert_eq!(store.live_views("unread").await.unwrap(), Some(0));
    assert_eq!(store.live_views("none").await.unwrap(), None);
    let totals = store.add_views(&[("read".into(), 2)]).await.unwrap();
    assert_eq!(totals, [("read".to_owned(), 43)]);
    let mut seen = Vec::new();
    store
        .view_totals(&mut |id, n| seen.push((id.to_owned(), n)))
        .await
        .unwrap();
    seen.sort();
    assert_eq!(seen, [("read".to_owned(), 43), ("unread".to_owned(), 0)]);
}

/// Batched views are additions: two writers' batches of the same article add up.
#[tokio::test]
async fn view_batches_add_up_on_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    let url = common::database_url(&dir);
    let a = db::connect(&url).await.unwrap();
    a.migrate().await.unwrap();
    let articles = server::import::parse(&server::demo::jsonl()).unwrap();
    a.import(&articles, &|_| {}).await.unwrap();
    let b = db::connect(&url).await.unwrap();
    let seed = common::SEED_ID.to_owned();
    let batch = vec![
        (seed.clone(), 3),
        ("demo-002".to_owned(), 1),
        ("no-such-article".to_owned(), 5),
    ];
    let (x, y) = tokio::join!(a.add_views(&batch), b.add_views(&batch));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.len(), 2, "only articles that exist: {x:?}");
    let mut ends: Vec<i64> = x
        .iter()
        .chain(&y)
        .filter(|(id, _)| *id == seed)
        .map(|(_, n)| *n)
        .collect();
    ends.sort_unstable();
    assert_eq!(ends, [3, 6]);
    assert_eq!(common::stored_seed_views(&url), 6);
    assert_eq!(common::stored_total_views(&url), 8);
}
