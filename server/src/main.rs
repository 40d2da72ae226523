//! The portal server: serves the site, runs migrations, imports articles.

use app::storage::SiteConfig;
use clap::{Parser, Subcommand};
use server::views::ViewCounter;
use server::{db, demo, import, web};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Caps glibc's malloc arenas at one per core (its default is eight per core): under a mixed
/// load with many blocking threads (page writes, compression) the extra arenas each keep freed
/// memory, and the process grows. `MALLOC_ARENA_MAX`, when set, is left to glibc.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: sets one malloc option before any other thread is started.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// Hands memory malloc holds free back to the system every few seconds (glibc keeps freed
/// memory inside its heaps, so a burst of renders or an import would otherwise leave the process
/// at its high-water mark for good).
fn spawn_trimmer() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    let _ = std::thread::Builder::new()
        .name("malloc-trim".into())
        .spawn(|| {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(2));
                // SAFETY: malloc_trim only releases free memory; it is thread-safe.
                unsafe {
                    libc::malloc_trim(0);
                }
            }
        });
}

#[derive(Parser, Debug)]
#[command(
    version,
    about = "Municipal news portal: server, migrations and article import"
)]
struct Cli {
    /// Database URL; the SQLite file is created if missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://portal.db",
        global = true
    )]
    database_url: String,

    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(clap::Args, Debug, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    site_addr: SocketAddr,

    /// Public base URL used in canonical links and printouts (default: http://SITE_ADDR).
    #[arg(long, env = "PUBLIC_URL")]
    public_url: Option<String>,

    /// Conversion glossary (TSV: Simplified, Traditional[, Taiwan[, Hong Kong]]) added to the built-in
    /// one; reloaded when the file changes.
    #[arg(long, env = "GLOSSARY")]
    glossary: Option<PathBuf>,

    /// Do not write demo content into an empty database.
    #[arg(long, env = "NO_DEMO")]
    no_demo: bool,

    /// Seconds a client has to send a request's headers before its connection is closed.
    #[arg(long, env = "HEADER_TIMEOUT", default_value_t = 10)]
    header_timeout: u64,

    /// Memory for rendered pages, in MiB.
    #[arg(long, env = "PAGE_CACHE_MB", default_value_t = 8)]
    page_cache_mb: u64,

    /// Directory for rendered pages on disk (default: beside the SQLite file, `NAME.pages`;
    /// required for other databases). `off` keeps pages in memory only.
    #[arg(long, env = "PAGE_STORE")]
    page_store: Option<PathBuf>,

    /// Disk for rendered pages, in MiB (the oldest written go first).
    #[arg(long, env = "PAGE_STORE_MB", default_value_t = 4096)]
    page_store_mb: u64,

    #[command(flatten)]
    footer: server::site::FooterArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the site (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Import articles from a JSONL file, all or nothing.
    Import { file: PathBuf },
    /// Copy every article and view total into another, empty database (say, from SQLite to
    /// PostgreSQL), migrating it first.
    MigrateTo { url: String },
    /// Print readers' 我要纠错 reports, oldest first.
    Reports {
        /// Only reports made on or after this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: Option<String>,
        /// `jsonl` (one JSON object a line) or `csv`.
        #[arg(long, default_value = "jsonl")]
        format: String,
    },
    /// Render pages into the page store, each in every variant: the whole site (`--all`) or
    /// one channel's pages and articles (`--channel SLUG`). Pages stored already are kept.
    Render {
        #[arg(long, conflicts_with = "channel", required_unless_present = "channel")]
        all: bool,
        #[arg(long)]
        channel: Option<String>,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Write deterministic synthetic articles (import format) to stdout, for benchmarks.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        #[arg(long, default_value_t = 20)]
        channels: usize,
    },
    /// Convert Simplified text from FILE (or stdin with -) to a variant, on stdout.
    Convert {
        #[arg(long, default_value = "zh-Hant")]
        variant: String,
        #[arg(long, env = "GLOSSARY")]
        glossary: Option<PathBuf>,
        file: PathBuf,
    },
}

#[derive(Debug, thiserror::Error)]
enum Error {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("{0}")]
    Import(#[from] import::LineError),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("{0}: {1}")]
    Glossary(PathBuf, server::convert::GlossaryError),
    #[error("unknown variant {0:?}: use zh-Hans, zh-Hant, zh-TW or zh-HK")]
    Variant(String),
    #[error("server failed: {0}")]
    Serve(std::io::Error),
    #[error("page store {0}: {1}")]
    Store(PathBuf, std::io::Error),
    #[error("no page store: set PAGE_STORE to a directory")]
    NoStore,
    #[error("{0}")]
    Render(String),
    #[error("{0}")]
    Site(String),
}

fn main() -> ExitCode {
    tune_allocator();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // Blocking work here is CPU work (conversions, compression): more threads than a few per core
    // add no speed, only stacks and heap held by threads idling out.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cores * 4)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Error> {
    match &cli.command {
        Some(Command::Generate { articles, channels }) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            return server::generate::write(&mut out, *articles, *channels)
                .map_err(|e| Error::Read("stdout".into(), e));
        }
        Some(Command::Convert {
            variant,
            glossary,
            file,
        }) => return convert_file(variant, glossary.as_deref(), file).await,
        _ => {}
    }
    let serving = matches!(cli.command, None | Some(Command::Serve(_)));
    let database = open_database(&cli.database_url, serving).await?;
    match cli.command {
        Some(Command::Migrate) => {
            eprintln!("migrations applied to {}", cli.database_url);
            Ok(())
        }
        Some(Command::Import { file }) => {
            let input = tokio::fs::File::open(&file)
                .await
                .map_err(|e| Error::Read(file.clone(), e))?;
            let base = file
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            import_file(database.as_ref(), input, base).await
        }
        Some(Command::MigrateTo { url }) => {
            let target = open_database(&url, false).await?;
            let (articles, views) = db::copy(database.as_ref(), target.as_ref()).await?;
            eprintln!("copied {articles} articles and {views} views");
            Ok(())
        }
        Some(Command::Serve(args)) => serve(database, args, &cli.database_url).await,
        Some(Command::Render {
            all: _,
            channel,
            serve: args,
        }) => render(database, args, &cli.database_url, channel).await,
        Some(Command::Reports { since, format }) => {
            let csv = match format.as_str() {
                "jsonl" => false,
                "csv" => true,
                other => {
                    return Err(Error::Site(format!(
                        "unknown format {other:?}: use jsonl or csv"
                    )));
                }
            };
            let since = match since {
                None => None,
                Some(day) => Some(
                    chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                        .map_err(|_| {
                            Error::Site(format!("--since {day:?} is not a date (YYYY-MM-DD)"))
                        })?
                        .and_hms_opt(0, 0, 0)
                        .map_or(0, |t| t.and_utc().timestamp()),
                ),
            };
            let reports = database.reports(since).await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            server::report::write_reports(&reports, csv, &mut out)
                .and_then(|()| std::io::Write::flush(&mut out))
                .map_err(|e| Error::Read("stdout".into(), e))
        }
        Some(Command::Generate { .. } | Command::Convert { .. }) => Ok(()),
        None => serve(database, cli.serve, &cli.database_url).await,
    }
}

/// Streams the file into one transaction; prints `id<TAB>path` per article once it is committed.
/// Attachment files (`"file"`) are read from `base`, the import file's folder, each at most
/// `MAX_ATTACHMENT_MB` (default 64).
async fn import_file(
    database: &dyn db::Database,
    input: tokio::fs::File,
    base: PathBuf,
) -> Result<(), Error> {
    let bar = std::io::stderr()
        .is_terminal()
        .then(indicatif::ProgressBar::new_spinner);
    let progress = |done: usize| {
        if let Some(bar) = &bar {
            bar.set_message(format!("{done} articles"));
            bar.tick();
        }
    };
    let max_mb = std::env::var("MAX_ATTACHMENT_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(server::files::DEFAULT_MAX_MB);
    let articles = server::files::with_files(
        import::read(tokio::io::BufReader::new(input)),
        base,
        max_mb << 20,
    );
    let ids = database.import_stream(articles, &progress).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut out = String::with_capacity(ids.len() * 48);
    for id in &ids {
        out.push_str(id);
        out.push('\t');
        out.push_str(&app::address::article_path(id));
        out.push('\n');
    }
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(())
}

async fn load_glossary(path: Option<&std::path::Path>) -> Result<server::convert::Glossary, Error> {
    let mut glossary = server::convert::Glossary::builtin();
    if let Some(path) = path {
        let text = tokio::fs::read_to_string(path)
            .await
            .map_err(|e| Error::Read(path.to_owned(), e))?;
        let extra = server::convert::Glossary::parse(&text)
            .map_err(|e| Error::Glossary(path.to_owned(), e))?;
        tracing::info!(entries = extra.len(), path = %path.display(), "glossary loaded");
        glossary = glossary.extended(extra);
    }
    Ok(glossary)
}

async fn convert_file(
    variant: &str,
    glossary: Option<&std::path::Path>,
    file: &std::path::Path,
) -> Result<(), Error> {
    use app::storage::Convert;
    use std::io::{Read, Write};
    let variant: app::variant::Variant = variant
        .parse()
        .map_err(|()| Error::Variant(variant.to_owned()))?;
    let converter = server::convert::Converter::new(&load_glossary(glossary).await?);
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_string(&mut text))
    }
    .map_err(|e| Error::Read(file.to_owned(), e))?;
    let out = converter.text(variant, &text);
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(())
}

/// Connects and migrates. A server waits for a database it cannot reach yet (say, started before
/// it), trying again with backoff up to every 30 s; commands give up at once.
async fn open_database(url: &str, wait: bool) -> Result<Arc<dyn db::Database>, Error> {
    let mut delay = std::time::Duration::from_millis(500);
    loop {
        let opened = match db::open::connect(url).await {
            Ok(d) => d.migrate().await.map(|()| d),
            Err(e) => Err(e),
        };
        match opened {
            Ok(d) => return Ok(d),
            Err(e) if wait && e.is_unreachable() => {
                tracing::warn!(error = %e, retry_in = ?delay, "database unreachable; waiting for it");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(std::time::Duration::from_secs(30));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The page store's directory: the one named, else beside the SQLite file; `None` for `off`.
fn store_dir(args: &ServeArgs, database_url: &str) -> Option<PathBuf> {
    match &args.page_store {
        Some(p) if p.as_os_str() == "off" => None,
        Some(p) => Some(p.clone()),
        None => {
            let file = database_url
                .strip_prefix("sqlite://")
                .or_else(|| database_url.strip_prefix("sqlite:"))?;
            let file = file
                .split('?')
                .next()
                .filter(|f| !f.is_empty() && *f != ":memory:")?;
            Some(PathBuf::from(file).with_extension("pages"))
        }
    }
}

/// The app and what runs beside it (`server::state::Setup`), after demo content for an empty
/// database and the deployer's glossary.
async fn build(
    database: Arc<dyn db::Database>,
    args: &ServeArgs,
    database_url: &str,
    serving: bool,
) -> Result<(web::AppState, Arc<ViewCounter>), Error> {
    if !args.no_demo && database.article_count().await? == 0 {
        let articles = import::parse(&demo::jsonl())?;
        database.import(&articles, &|_| {}).await?;
        tracing::info!(
            count = articles.len(),
            "empty database: demo content written"
        );
    }
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.site_addr))
        .trim_end_matches('/')
        .to_owned();
    let glossary = load_glossary(args.glossary.as_deref()).await?;
    let live = Arc::new(server::convert::Live::new(&glossary, args.glossary.clone()));
    live.clone().watch();
    let setup = server::state::Setup {
        database,
        converter: live.clone(),
        fingerprint: Arc::new(move || live.fingerprint()),
        site: SiteConfig {
            public_url,
            footer: server::site::footer(&args.footer).map_err(Error::Site)?,
        },
        site_addr: args.site_addr,
        page_cache_bytes: args.page_cache_mb << 20,
        page_store: store_dir(args, database_url).map(|dir| (dir, args.page_store_mb << 20)),
        serving,
        background: true,
        storage: |s| s,
    };
    setup
        .build()
        .await
        .map_err(|e| Error::Store(e.dir, e.source))
}

async fn serve(
    database: Arc<dyn db::Database>,
    args: ServeArgs,
    database_url: &str,
) -> Result<(), Error> {
    let (state, views) = build(database, &args, database_url, true).await?;
    spawn_trimmer();
    let pages = state.pages.clone();
    let listener = tokio::net::TcpListener::bind(args.site_addr)
        .await
        .map_err(|e| Error::Bind(args.site_addr, e))?;
    tracing::info!("listening on http://{}", args.site_addr);
    let served = server::serve::serve(
        listener,
        web::router(state),
        server::serve::Limits {
            header_read: std::time::Duration::from_secs(args.header_timeout.max(1)),
            ..Default::default()
        },
        shutdown_signal(),
    )
    .await;
    views.flush_at_exit().await;
    served.map_err(Error::Serve)?;
    let (hits, misses) = pages.stats();
    tracing::info!(
        hits,
        misses,
        disk_hits = pages.disk_hits(),
        compressions = pages.compressions(),
        pages_not_stored = pages.page_store().map_or(0, |s| s.dropped()),
        "stopped"
    );
    Ok(())
}

async fn render(
    database: Arc<dyn db::Database>,
    args: ServeArgs,
    database_url: &str,
    channel: Option<String>,
) -> Result<(), Error> {
    if store_dir(&args, database_url).is_none() {
        return Err(Error::NoStore);
    }
    let (state, views) = build(database, &args, database_url, false).await?;
    let pages = state.pages.clone();
    let storage = state.storage.0.clone();
    let addresses = server::render::addresses(storage.as_ref(), channel.as_deref())
        .await
        .map_err(|e| Error::Render(e.to_string()))?;
    let bar = std::io::stderr()
        .is_terminal()
        .then(|| indicatif::ProgressBar::new(addresses.len() as u64));
    let total = addresses.len();
    let mut last = std::time::Instant::now();
    let tally =
        server::render::render(
            web::router(state),
            pages.page_store(),
            addresses,
            |t| match &bar {
                Some(bar) => bar.set_position(t.done() as u64),
                None if last.elapsed().as_secs() >= 5 || t.done() == total => {
                    last = std::time::Instant::now();
                    eprintln!("{} of {total} pages", t.done());
                }
                None => {}
            },
        )
        .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut unwritten = 0;
    if let Some(store) = pages.page_store() {
        store.settled().await;
        unwritten = store.dropped();
    }
    views.flush_at_exit().await;
    eprintln!(
        "{total} pages: {} rendered, {} stored already, {} failed, {unwritten} not written",
        tally.rendered, tally.stored, tally.failed
    );
    if tally.failed > 0 {
        return Err(Error::Render(format!("{} pages failed", tally.failed)));
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
