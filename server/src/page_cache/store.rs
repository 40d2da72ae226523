//! Rendered pages on local disk, so a restart starts warm: one file per (address, variant) with
//! the page's parts and slots and its brotli copy for the default style, bounded in bytes (the
//! oldest written go first). Files are written whole (a temporary file renamed into place) and
//! grouped by what they show — `h/` the front page, `c/<channel>/`, `a/<article>/` — so an import
//! drops exactly the directories it touched. A stamp file names the build, glossary and content
//! version the pages are current for; at start a store from another build or glossary is emptied,
//! and one from an older content version loses what changed since.

use super::compressed::{Compressed, Made};
use super::key::Key;
use super::page::{Packed, Page, unpack};
use super::slot::{Slot, Style};
use crate::db::Touched;
use app::address::Route;
use app::model::PageQuery;
use app::reader::StylePref;
use axum::body::Bytes;
use axum::http::HeaderValue;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};

const MAGIC: &[u8; 4] = b"PGS3";
/// Bytes before what the CRC covers: the magic and the CRC.
const CHECKED: usize = 8;
/// Swept down to this share of the bound when it is passed. A sweep walks and stats every stored
/// file (`sweep`), so it is made to run once per fifth of the bound written, not once per page
/// (chosen by that arithmetic, not by a sweep of values; see README, "Tuning").
const SWEEP_TO: f64 = 0.8;
/// Pages waiting for the writer at most: past that a reader's page is not stored (it stays in
/// memory), so a flood of misses neither queues memory nor waits for the disk. Measured
/// 2026-12-05 (README): with the writer on its own thread behind this queue, CPU per first request
/// 3.7–4.1 → 2.0 ms; 64 pages of about 25 KB bound the queue's memory to 1.6 MB.
const QUEUE: usize = 64;
/// A thread's read buffer: most stored pages fit.
const READ_BUFFER: usize = 64 << 10;
/// A read buffer past this size is let go after its read (a rare big page).
const KEPT_BUFFER: usize = 256 << 10;

/// A page's write, run on the store's writer thread.
pub(super) type Job = Box<dyn FnOnce() + Send>;

/// What the stored pages are current for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub build: u64,
    pub glossary: u64,
    /// The database's identity.
    pub instance: String,
    pub content: i64,
}

pub struct PageStore {
    root: PathBuf,
    max_bytes: u64,
    /// Bytes of the files in `pages/` (counted at start in the background, then kept up).
    bytes: Arc<AtomicI64>,
    build: u64,
    sweeping: Arc<AtomicBool>,
    /// Writes queued or under way.
    pending: AtomicUsize,
    /// Writes not queued: the queue was full.
    dropped: AtomicU64,
    /// The writer thread's queue: pages are written one at a time, beside the readers, at a
    /// lower priority than they are served.
    writer: std::sync::mpsc::SyncSender<Job>,
    /// Names temporary files apart.
    next: AtomicU64,
    /// The database the pages come from, once known.
    instance: std::sync::OnceLock<String>,
    /// Set once the stored pages are known current: nothing is read before.
    ready: AtomicBool,
}

fn hash(x: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

/// This build: the binary's bytes and the site files it serves (another build may render pages
/// differently).
fn build_id() -> u64 {
    static ID: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(|path| content_id(&path));
        let assets = crate::assets::paths();
        hash((
            env!("CARGO_PKG_VERSION"),
            exe.ok(),
            &assets.js,
            &assets.wasm,
            &assets.css,
        ))
    })
}

/// A file's CRC-32 and length, read in pieces (the binary: a few milliseconds, little memory).
fn content_id(path: &Path) -> std::io::Result<(u32, u64)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let (mut crc, mut len) = (crc32fast::Hasher::new(), 0u64);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buf)? {
            0 => return Ok((crc.finalize(), len)),
            n => {
                crc.update(&buf[..n]);
                len += n as u64;
            }
        }
    }
}

impl PageStore {
    /// The store in `dir` (made if missing), holding at most `max_bytes`. With `background`, its
    /// writes yield to the threads serving readers; without (`server render`), they don't.
    pub fn open(dir: &Path, max_bytes: u64, background: bool) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir.join("pages"))?;
        std::fs::create_dir_all(dir.join("tmp"))?;
        std::fs::create_dir_all(dir.join("trash"))?;
        let (writer, jobs) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("page-store".into())
            .spawn(move || {
                if background {
                    lower_priority();
                }
                for job in jobs {
                    job();
                }
            })?;
        let store = Self {
            root: dir.to_owned(),
            max_bytes,
            bytes: Arc::new(AtomicI64::new(0)),
            build: build_id(),
            sweeping: Arc::new(AtomicBool::new(false)),
            pending: AtomicUsize::new(0),
            dropped: AtomicU64::new(0),
            writer,
            next: AtomicU64::new(0),
            instance: std::sync::OnceLock::new(),
            ready: AtomicBool::new(false),
        };
        // Left by a process that stopped mid-write or mid-delete.
        for leftover in ["tmp", "trash"] {
            if let Ok(entries) = std::fs::read_dir(dir.join(leftover)) {
                for e in entries.flatten() {
                    let _ = remove(&e.path());
                }
            }
        }
        let (bytes, pages, sweeping) = (
            store.bytes.clone(),
            dir.join("pages"),
            store.sweeping.clone(),
        );
        let max = max_bytes;
        sweeping.store(true, Ordering::Release);
        std::thread::spawn(move || {
            // A walk over every stored file: background work, readers first.
            lower_priority();
            let mut total = 0;
            walk(&pages, &mut |_, m| total += m.len());
            bytes.fetch_add(total as i64, Ordering::AcqRel);
            sweep(&pages, &bytes, max);
            sweeping.store(false, Ordering::Release);
        });
        Ok(store)
    }

    pub fn build(&self) -> u64 {
        self.build
    }

    /// Bytes of pages held.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Acquire).max(0) as u64
    }

    pub fn instance(&self) -> Option<&str> {
        self.instance.get().map(String::as_str)
    }

    pub fn set_instance(&self, instance: String) {
        let _ = self.instance.set(instance);
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Lets stored pages be read: they are current.
    pub fn set_ready(&self) {
        self.ready.store(true, Ordering::Release);
    }

    pub fn stamp(&self) -> Option<Stamp> {
        let text = std::fs::read_to_string(self.root.join("stamp")).ok()?;
        let mut words = text.split_whitespace();
        (words.next()? == "v2").then_some(())?;
        Some(Stamp {
            build: words.next()?.parse().ok()?,
            glossary: words.next()?.parse().ok()?,
            instance: words.next()?.to_owned(),
            content: words.next()?.parse().ok()?,
        })
    }

    /// Says the stored pages are current for `glossary` and `content` (this build, this
    /// database).
    pub fn set_stamp(&self, glossary: u64, content: i64) {
        let Some(instance) = self.instance() else {
            return;
        };
        let text = format!("v2 {} {glossary} {instance} {content}\n", self.build);
        let tmp = self.temp_path();
        let written = std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, self.root.join("stamp")));
        if let Err(e) = written {
            tracing::warn!(error = %e, dir = %self.root.display(), "page store stamp not written");
        }
    }

    fn temp_path(&self) -> PathBuf {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.root
            .join("tmp")
            .join(format!("{}-{n}", std::process::id()))
    }

    /// The directory of the pages showing `scope`.
    fn scope_of(&self, route: Route<&str>) -> PathBuf {
        let mut path = self.root.clone();
        push_scope(&route, &mut path);
        path
    }

    /// `pages/<kind>[/<name's hash>]/<key's hash>`, built in one allocation (it is on every read).
    fn path(&self, key: &Key) -> PathBuf {
        let file = Hex::of(hash((&*key.spelled, key.variant as u8)));
        let mut path = PathBuf::with_capacity(self.root.as_os_str().len() + 48);
        path.push(&self.root);
        push_scope(&key.address.route, &mut path);
        path.push(file.as_str());
        path
    }

    /// The page stored for `key`, if there is one whole and for this key; with `whole` false,
    /// its parts are left packed.
    pub(super) fn load(&self, key: &Key, whole: bool) -> Option<Page> {
        if !self.is_ready() {
            return None;
        }
        thread_local! {
            // A file is read into this thread's buffer (zeroed once, not per read) and what the
            // page keeps is copied out: no allocation of the file's size per read.
            static FILE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let path = self.path(key);
        let page = FILE.with_borrow_mut(|buf| {
            let page = read(&path, buf, key, whole).ok();
            if buf.len() > KEPT_BUFFER {
                *buf = Vec::new();
            }
            page
        })?;
        if page.is_none() {
            tracing::warn!(path = %key.spelled, "unreadable stored page dropped");
            let _ = std::fs::remove_file(&path);
        }
        page
    }

    /// Writes `page` to a temporary file, to be put in place by [`Self::place`].
    pub(super) fn write(
        &self,
        key: &Key,
        page: &Page,
        br: Option<&crate::br::Template>,
    ) -> std::io::Result<PathBuf> {
        let tmp = self.temp_path();
        std::fs::write(&tmp, encode(key, page, br))?;
        Ok(tmp)
    }

    /// Puts a file from [`Self::write`] in place as `key`'s page.
    pub(super) fn place(&self, tmp: &Path, key: &Key) -> std::io::Result<()> {
        let path = self.path(key);
        let len = std::fs::metadata(tmp)?.len() as i64;
        let old = std::fs::metadata(&path).map_or(0, |m| m.len() as i64);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(tmp, &path)?;
        let now = self.bytes.fetch_add(len - old, Ordering::AcqRel) + len - old;
        if now as u64 > self.max_bytes && !self.sweeping.swap(true, Ordering::AcqRel) {
            let (pages, bytes, sweeping, max) = (
                self.root.join("pages"),
                self.bytes.clone(),
                self.sweeping.clone(),
                self.max_bytes,
            );
            std::thread::spawn(move || {
                sweep(&pages, &bytes, max);
                sweeping.store(false, Ordering::Release);
            });
        }
        Ok(())
    }

    /// Deletes `key`'s stored page.
    pub(super) fn forget(&self, key: &Key) {
        let _ = std::fs::remove_file(self.path(key));
    }

    pub(super) fn discard(&self, tmp: &Path) {
        let _ = std::fs::remove_file(tmp);
    }

    /// Drops the pages showing what `t` names (the front page shows every channel's newest).
    pub fn drop_touched(&self, t: &Touched) {
        let mut dirs = vec![self.scope_of(Route::Home)];
        dirs.extend(
            t.channels
                .iter()
                .map(|c| self.scope_of(Route::Channel(c, PageQuery::Newest))),
        );
        dirs.extend(t.articles.iter().map(|a| self.scope_of(Route::Article(a))));
        self.trash(dirs);
    }

    /// Drops every page.
    pub fn clear(&self) {
        let pages = self.root.join("pages");
        let Ok(entries) = std::fs::read_dir(&pages) else {
            return;
        };
        self.trash(entries.flatten().map(|e| e.path()).collect());
    }

    /// Moves `dirs` out of the way at once and deletes them in the background.
    fn trash(&self, dirs: Vec<PathBuf>) {
        let mut moved = Vec::new();
        for dir in dirs {
            let to = self.root.join("trash").join(
                self.temp_path()
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_default(),
            );
            match std::fs::rename(&dir, &to) {
                Ok(()) => moved.push(to),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(error = %e, dir = %dir.display(), "stored pages not dropped")
                }
            }
        }
        if moved.is_empty() {
            return;
        }
        let bytes = self.bytes.clone();
        std::thread::spawn(move || {
            for dir in moved {
                let mut len = 0;
                walk(&dir, &mut |_, m| len += m.len());
                let _ = remove(&dir);
                bytes.fetch_sub(len as i64, Ordering::AcqRel);
            }
        });
    }

    /// Queues `job` for the writer thread unless the queue is full; `job` calls [`Self::end`]
    /// when done.
    pub(super) fn enqueue(&self, job: Job) {
        self.pending.fetch_add(1, Ordering::AcqRel);
        if self.writer.try_send(job).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            self.end();
        }
    }

    pub(super) fn end(&self) {
        self.pending.fetch_sub(1, Ordering::AcqRel);
    }

    /// Pages not stored because the writer's queue was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Waits until the writer's queue is at most half full (pre-rendering waits for the disk).
    pub async fn room(&self) {
        while self.pending.load(Ordering::Acquire) >= QUEUE / 2 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    }

    /// Waits until every page write started so far has ended.
    pub async fn settled(&self) {
        while self.pending.load(Ordering::Acquire) > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

/// Reads the file at `path` into `buf` (grown as needed, never shrunk) and decodes it as `key`'s
/// page (`None`: not whole, or not `key`'s). A file mostly arrives in one read and is decoded
/// then, without a second read to see its end: a part of a file fails the CRC.
fn read(path: &Path, buf: &mut Vec<u8>, key: &Key, whole: bool) -> std::io::Result<Option<Page>> {
    use std::io::Read;
    if buf.len() < READ_BUFFER {
        buf.resize(READ_BUFFER, 0);
    }
    let mut file = std::fs::File::open(path)?;
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let n = match file.read(&mut buf[len..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(decode(&buf[..len], key, whole));
        }
        len += n;
        if len < buf.len()
            && let Some(page) = decode(&buf[..len], key, whole)
        {
            return Ok(Some(page));
        }
    }
}

/// Lets the threads serving readers go first when the cores are busy (Linux: a thread's nice
/// value is its own).
fn lower_priority() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: changes the calling thread's nice value only.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
    }
}

fn remove(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// Calls `f` with every file under `dir`.
fn walk(dir: &Path, f: &mut dyn FnMut(&Path, &std::fs::Metadata)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(meta) = e.metadata() else { continue };
        if meta.is_dir() {
            walk(&e.path(), f);
        } else {
            f(&e.path(), &meta);
        }
    }
}

/// Deletes the oldest written pages until at most [`SWEEP_TO`] of `max` is held.
fn sweep(pages: &Path, bytes: &AtomicI64, max: u64) {
    if bytes.load(Ordering::Acquire).max(0) as u64 <= max {
        return;
    }
    let mut files = Vec::new();
    walk(pages, &mut |p, m| {
        files.push((m.modified().ok(), m.len(), p.to_owned()));
    });
    files.sort_unstable();
    let goal = (max as f64 * SWEEP_TO) as i64;
    let mut dropped = 0usize;
    for (_, len, path) in files {
        if bytes.load(Ordering::Acquire) <= goal {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            bytes.fetch_sub(len as i64, Ordering::AcqRel);
            dropped += 1;
        }
    }
    tracing::info!(dropped, max, "page store swept");
}

/// A slot in two bytes: its kind, then the style preference's index in [`StylePref::ALL`] (a
/// pressed button: `PRESSED` plus that index, then the tag's index).
fn slot_code(s: Slot) -> [u8; 2] {
    let index = |p: StylePref| StylePref::ALL.iter().position(|q| *q == p).unwrap_or(0) as u8;
    match s {
        Slot::Count => [0, 0],
        Slot::Nonce => [1, 0],
        Slot::Value(p) => [2, index(p)],
        Slot::Pressed(p, tag) => [PRESSED + index(p), tag],
    }
}

const PRESSED: u8 = 16;

fn slot_of([kind, arg]: [u8; 2]) -> Option<Slot> {
    Some(match kind {
        0 => Slot::Count,
        1 => Slot::Nonce,
        2 => Slot::Value(*StylePref::ALL.get(arg as usize)?),
        PRESSED.. => {
            let pref = *StylePref::ALL.get((kind - PRESSED) as usize)?;
            (usize::from(arg) < pref.tags().len()).then_some(Slot::Pressed(pref, arg))?
        }
        _ => return None,
    })
}

fn put(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put(out, b.len());
    out.extend_from_slice(b);
}

/// The file: the magic, a CRC-32 of the rest, a header (key, headers, slots, part lengths, the
/// brotli copy's layout), then the parts (LZ4) and the brotli pieces, back to back.
fn encode(key: &Key, page: &Page, br: Option<&crate::br::Template>) -> Vec<u8> {
    let pieces = br.map(crate::br::Template::pieces);
    let mut out = Vec::with_capacity(page.len() / 2 + 4096);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[0; 4]);
    out.push(key.variant as u8);
    put_bytes(&mut out, key.spelled.as_bytes());
    put_bytes(&mut out, page.content_type.as_bytes());
    put_bytes(&mut out, page.etag.as_bytes());
    match &page.article {
        Some(a) => {
            out.push(1);
            put_bytes(&mut out, a.as_bytes());
        }
        None => out.push(0),
    }
    put(&mut out, page.slots.len());
    for s in &page.slots {
        out.extend_from_slice(&slot_code(*s));
    }
    put(&mut out, page.parts().len());
    for p in page.parts() {
        put(&mut out, p.len());
    }
    match pieces {
        Some((compressed, tails, lens)) => {
            out.push(1);
            put(&mut out, lens.len());
            for &n in lens {
                put(&mut out, n);
            }
            for t in tails {
                out.extend_from_slice(t);
            }
            for c in compressed {
                put(&mut out, c.len());
            }
        }
        None => out.push(0),
    }
    // The parts, back to back, as one LZ4 block: a third of their size, read back in microseconds.
    let raw: Vec<u8> = page
        .parts()
        .iter()
        .flat_map(|p| p.iter().copied())
        .collect();
    put(&mut out, raw.len());
    put_bytes(&mut out, &lz4_flex::block::compress(&raw));
    if let Some((compressed, ..)) = pieces {
        for c in compressed {
            out.extend_from_slice(c);
        }
    }
    let crc = crc32fast::hash(&out[CHECKED..]);
    out[MAGIC.len()..CHECKED].copy_from_slice(&crc.to_le_bytes());
    out
}

/// Reads a file [`encode`] wrote; `None` if it is not whole or not `key`'s. With `whole` false
/// the parts are not decoded.
fn decode(data: &[u8], key: &Key, whole: bool) -> Option<Page> {
    let mut r = Reader { data, at: 0 };
    (r.take(4)? == MAGIC).then_some(())?;
    (r.len()? as u32 == crc32fast::hash(data.get(CHECKED..)?)).then_some(())?;
    (r.byte()? == key.variant as u8).then_some(())?;
    (r.field()? == key.spelled.as_bytes()).then_some(())?;
    let content_type = HeaderValue::from_bytes(r.field()?).ok()?;
    let etag: Box<str> = std::str::from_utf8(r.field()?).ok()?.into();
    let article: Option<Box<str>> = match r.byte()? {
        0 => None,
        _ => Some(std::str::from_utf8(r.field()?).ok()?.into()),
    };
    let n = r.count(2)?;
    let mut slots = Vec::with_capacity(n);
    for _ in 0..n {
        let code = r.take(2)?;
        slots.push(slot_of([code[0], code[1]])?);
    }
    let n = r.count(4)?;
    (n == slots.len() + 1).then_some(())?;
    let part_lens = r.lens(n)?;
    let br = match r.byte()? {
        0 => None,
        _ => {
            let n = r.count(4)?;
            let lens = r.lens(n)?;
            let mut tails = Vec::with_capacity(n);
            for _ in 0..n {
                let t = r.take(2)?;
                tails.push([t[0], t[1]]);
            }
            let piece_lens = r.lens(n + 1)?;
            Some((lens, tails, piece_lens))
        }
    };
    let raw_len = r.len()?;
    (part_lens.iter().sum::<usize>() == raw_len).then_some(())?;
    let block = r.field()?;
    // What the page keeps in a buffer of its own, so the thread's is not kept with it: the
    // brotli pieces, and the packed parts if they are not decoded.
    let (parts, packed, tail) = if whole {
        let parts = unpack(block, &part_lens)?;
        (parts, None, Bytes::copy_from_slice(&data[r.at..]))
    } else {
        let kept = Bytes::copy_from_slice(&data[r.at - block.len()..]);
        let packed = Packed {
            block: kept.slice(..block.len()),
            lens: part_lens,
            parts: std::sync::OnceLock::new(),
        };
        (Vec::new(), Some(packed), kept.slice(block.len()..))
    };
    let mut at = 0usize;
    let mut slice = |n: usize| {
        let piece = tail.get(at..at.checked_add(n)?)?;
        at += n;
        Some(tail.slice_ref(piece))
    };
    let mut compressed = Compressed::default();
    if let Some((lens, tails, piece_lens)) = br {
        let pieces = piece_lens
            .into_iter()
            .map(&mut slice)
            .collect::<Option<Vec<_>>>()?;
        let template = crate::br::Template::from_pieces(pieces, tails, lens.clone())?;
        compressed.br.push(Made {
            style: Style::default(),
            lens,
            template: Some(Arc::new(template)),
            served: 0,
        });
    }
    (at == tail.len()).then_some(())?;
    Some(Page {
        parts,
        packed,
        slots,
        content_type,
        etag,
        article,
        compressed: std::sync::Mutex::new(compressed),
    })
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let b = self.data.get(self.at..end)?;
        self.at = end;
        Some(b)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn len(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn field(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }

    /// A count of items of `size` bytes each that the rest of the data can hold.
    fn count(&mut self, size: usize) -> Option<usize> {
        let n = self.len()?;
        (n <= (self.data.len() - self.at) / size).then_some(n)
    }

    /// `n` lengths (`n` checked by [`Self::count`]).
    fn lens(&mut self, n: usize) -> Option<Vec<usize>> {
        let mut lens = Vec::with_capacity(n);
        for _ in 0..n {
            lens.push(self.len()?);
        }
        Some(lens)
    }
}

/// What a directory of the store holds: the pages showing the front page, a channel (by slug)
/// or an article (by id). Dropping what an import touched drops these directories.
///
/// The directory of the pages showing `route`'s subject (a channel's pages share one), pushed
/// onto `path`: `pages/h`, `pages/c/<slug's hash>`, `pages/a/<id's hash>` (or `pages/s`, and
/// `pages/x` for the statement).
fn push_scope<S: AsRef<str>>(route: &Route<S>, path: &mut PathBuf) {
    path.push("pages");
    let (kind, name) = match route {
        Route::Home | Route::SiteMap => ("h", None),
        Route::Channel(slug, _) => ("c", Some(slug.as_ref())),
        Route::Article(id) => ("a", Some(id.as_ref())),
        Route::Search => ("s", None),
        Route::Accessibility => ("x", None),
    };
    path.push(kind);
    if let Some(name) = name {
        path.push(Hex::of(hash(name)).as_str());
    }
}

/// A hash written as 16 hex digits, without allocating.
struct Hex([u8; 16]);

impl Hex {
    fn of(n: u64) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0; 16];
        for (i, d) in out.iter_mut().enumerate() {
            *d = DIGITS[(n >> (60 - 4 * i)) as usize & 15];
        }
        Hex(out)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// For the fuzz target `store_file`: `body` read as a stored page's file after its magic and
/// checksum (the checksum written right for it, so what is tried is the rest of the format),
/// whole and left packed. Never panics; when both reads give a page, its parts are the same.
#[doc(hidden)]
pub fn fuzz_read(body: &[u8]) {
    let key = fuzz_key();
    let mut data = Vec::with_capacity(CHECKED + body.len());
    data.extend_from_slice(MAGIC);
    data.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    data.extend_from_slice(body);
    let whole = decode(&data, &key, true);
    if let Some(brief) = decode(&data, &key, false) {
        let _ = brief.len();
        let decoded = brief.whole();
        if let Some(whole) = &whole {
            assert!(decoded, "read whole, but its packed parts do not decode");
            assert_eq!(brief.parts(), whole.parts());
        }
    } else {
        assert!(whole.is_none(), "read whole, but not packed");
    }
}

/// A stored file's body (after magic and checksum) that [`fuzz_read`] reads: a page with a count
/// and a brotli copy, to start the fuzz target's corpus from.
#[doc(hidden)]
pub fn fuzz_sample() -> Vec<u8> {
    let key = fuzz_key();
    let html = format!(
        "<html data-font-size=\"{}font-size\"><p>{}</p><span>{}</span></html>",
        super::slot::style_marker(),
        "正文 text ".repeat(40),
        super::slot::count_slot()
    );
    let page = super::page::split(Bytes::from(html), HeaderValue::from_static("text/html"));
    let (parts, _) = super::page::styled(&page, Style::default());
    let br = crate::br::Template::new(&parts, &[1], 5);
    encode(&key, &page, br.as_ref())[CHECKED..].to_vec()
}

fn fuzz_key() -> Key {
    const PATH: &str = "/articles/a-1";
    let app::address::Parsed::Page(address) = app::address::parse(PATH, None) else {
        unreachable!("a page address")
    };
    Key::new(&address, app::variant::Variant::Hant)
}

#[cfg(test)]
mod tests {
    use super::{CHECKED, Hex, MAGIC, build_id, content_id, decode, encode};
    use app::address::{Parsed, parse};
    use axum::body::Bytes;
    use axum::http::HeaderValue;

    /// The fuzz target's sample reads back, whole and packed.
    #[test]
    fn the_fuzz_sample_reads() {
        let body = super::fuzz_sample();
        super::fuzz_read(&body);
        let key = super::fuzz_key();
        let mut data = MAGIC.to_vec();
        data.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        data.extend_from_slice(&body);
        let page = decode(&data, &key, true).expect("the sample reads");
        assert!(page.compressed.lock().unwrap().br.len() == 1 && !page.slots.is_empty());
        if let Ok(dir) = std::env::var("FUZZ_SEED_DIR") {
            std::fs::write(std::path::Path::new(&dir).join("sample"), &body).unwrap();
        }
    }

    /// Two builds of the same size and time still differ (a reproducible rebuild).
    #[test]
    fn the_build_is_known_by_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, b"server build one").unwrap();
        std::fs::write(&b, b"server build two").unwrap();
        let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1);
        for f in [&a, &b] {
            std::fs::File::options()
                .write(true)
                .open(f)
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
        let (ma, mb) = (
            std::fs::metadata(&a).unwrap(),
            std::fs::metadata(&b).unwrap(),
        );
        assert_eq!(
            (ma.len(), ma.modified().unwrap()),
            (mb.len(), mb.modified().unwrap())
        );
        assert_ne!(content_id(&a).unwrap(), content_id(&b).unwrap());
        assert_eq!(content_id(&a).unwrap(), content_id(&a).unwrap());
        assert_eq!(build_id(), build_id());
    }

    /// A stored page read for a brotli response keeps its parts packed until asked; a block that
    /// does not decode (behind a CRC that holds) makes the page not whole, and a whole read none.
    #[test]
    fn packed_parts_are_decoded_when_asked() {
        let Parsed::Page(address) = parse("/articles/a-1", None) else {
            panic!("a page address");
        };
        let key = super::Key::new(&address, app::variant::Variant::Hant);
        let html = format!(
            "<html data-font-size=\"{}font-size\"><p>{}</p><span>{}</span></html>",
            super::super::slot::style_marker(),
            "text ".repeat(400),
            super::super::slot::count_slot()
        );
        let page = super::super::page::split(
            Bytes::from(html.clone()),
            HeaderValue::from_static("text/html"),
        );
        let (parts, _) = super::super::page::styled(&page, super::Style::default());
        let br = crate::br::Template::new(&parts, &[1], 5).expect("a brotli copy");
        let file = encode(&key, &page, Some(&br));

        let brief = decode(&file, &key, false).expect("read");
        assert!(
            brief.packed.is_some() && brief.parts.is_empty(),
            "left packed"
        );
        assert_eq!(brief.len(), page.len());
        assert!(brief.whole());
        assert_eq!(brief.parts(), page.parts(), "decoded when asked");
        let whole = decode(&file, &key, true).expect("read");
        assert!(whole.packed.is_none());
        assert_eq!(whole.parts(), page.parts());

        // The LZ4 block damaged and the CRC written again for it.
        let mut bad = file.clone();
        let raw: Vec<u8> = page.parts().iter().flat_map(|p| p.to_vec()).collect();
        let block = lz4_flex::block::compress(&raw);
        let at = bad
            .windows(block.len())
            .position(|w| w == block)
            .expect("the block");
        bad[at..at + 8].fill(0xff);
        let crc = crc32fast::hash(&bad[CHECKED..]);
        bad[MAGIC.len()..CHECKED].copy_from_slice(&crc.to_le_bytes());
        let brief = decode(&bad, &key, false).expect("its CRC holds");
        assert!(!brief.whole(), "its parts do not decode");
        assert!(brief.parts().is_empty());
        assert!(decode(&bad, &key, true).is_none());
    }

    #[test]
    fn hex_names_are_the_hashes_in_sixteen_digits() {
        for n in [
            0,
            1,
            0xabc,
            0x0123_4567_89ab_cdef,
            u64::MAX,
            hash_of_a_key(),
        ] {
            assert_eq!(Hex::of(n).as_str(), format!("{n:016x}"));
        }
    }

    fn hash_of_a_key() -> u64 {
        super::hash(("/articles/x?variant=zh-HK", 3u8))
    }
}
