//! Pre-rendering (`server render`): every page of the site or of one channel, in every variant,
//! requested through the app as a reader would, so each lands in the page store.

use app::address::{article_path, channel_path};
use app::model::{PAGE_SIZE, PageQuery};
use app::storage::{Storage, StorageError};
use app::variant::Variant;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures::StreamExt;
use tower::ServiceExt;

/// The addresses to render: the front page, each channel's pages (followed page by page) and
/// their articles — of one channel if `only` names it — each once per variant.
pub async fn addresses(
    storage: &dyn Storage,
    only: Option<&str>,
) -> Result<Vec<String>, StorageError> {
    let mut pages = Vec::new();
    let slugs: Vec<String> = match only {
        Some(slug) => vec![slug.to_owned()],
        None => {
            pages.push("/".to_owned());
            let home = storage.home(app::model::LATEST_PER_CHANNEL).await?;
            home.departments
                .iter()
                .flat_map(|d| &d.channels)
                .map(|c| c.channel.slug.clone())
                .collect()
        }
    };
    let mut articles = Vec::new();
    for slug in &slugs {
        let base = channel_path(slug);
        let mut query = PageQuery::Newest;
        loop {
            let Some(page) = storage.channel_page(slug, query, PAGE_SIZE).await? else {
                break;
            };
            pages.push(match query {
                PageQuery::After(c) => format!("{base}?after={c}"),
                _ => base.clone(),
            });
            articles.extend(page.articles.iter().map(|a| article_path(&a.id)));
            match page.older {
                Some(c) => query = PageQuery::After(c),
                None => break,
            }
        }
    }
    pages.extend(articles);
    let mut out = Vec::with_capacity(pages.len() * Variant::ALL.len());
    for page in pages {
        let sep = if page.contains('?') { '&' } else { '?' };
        for v in Variant::ALL {
            out.push(format!("{page}{sep}variant={}", v.tag()));
        }
    }
    Ok(out)
}

/// What a pre-render did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub rendered: usize,
    pub stored: usize,
    pub failed: usize,
}

impl Tally {
    pub fn done(&self) -> usize {
        self.rendered + self.stored + self.failed
    }
}

/// Requests each address of `addresses` from `app`, a few at once (as many as there are cores),
/// calling `progress` after each. Each waits for room in `store`'s queue, so none of the pages is
/// left unwritten because the disk is slower than the renders.
pub async fn render(
    app: crate::web::App,
    store: Option<&crate::page_cache::PageStore>,
    addresses: Vec<String>,
    mut progress: impl FnMut(&Tally),
) -> Tally {
    let at_once = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut answers = futures::stream::iter(addresses)
        .map(|address| {
            let app = app.clone();
            async move {
                if let Some(store) = store {
                    store.room().await;
                }
                let req = Request::get(&address)
                    .header("accept-encoding", "br")
                    .header("user-agent", crate::security::RENDERER)
                    .body(Body::empty());
                let res = match req {
                    Ok(req) => app.oneshot(req).await.ok(),
                    Err(_) => None,
                };
                (address, res)
            }
        })
        .buffer_unordered(at_once);
    let mut tally = Tally::default();
    while let Some((address, res)) = answers.next().await {
        match res {
            Some(res) if res.status() == StatusCode::OK => {
                let from = res.headers().get("x-cache").map(|v| v.as_bytes());
                if from == Some(b"miss") {
                    tally.rendered += 1;
                } else {
                    tally.stored += 1;
                }
            }
            Some(res) => {
                tracing::warn!(address, status = %res.status(), "page not rendered");
                tally.failed += 1;
            }
            None => tally.failed += 1,
        }
        progress(&tally);
    }
    tally
}
