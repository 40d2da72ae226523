//! Simplified → Traditional / Taiwan / Hong Kong conversion: zhhz (OpenCC's dictionaries, longest-match
//! phrases) with the glossary's entries at top priority.

use app::storage::Convert;
use app::variant::Variant;
use std::sync::Mutex;

const BUILTIN_GLOSSARY: &str = include_str!("../data/glossary.tsv");

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Entry {
    simplified: String,
    hant: String,
    tw: String,
    hk: String,
}

/// Deployer-editable overrides: Simplified → Traditional [→ Taiwan [→ Hong Kong]], TSV.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Glossary {
    entries: Vec<Entry>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("glossary line {line}: {reason}")]
pub struct GlossaryError {
    pub line: usize,
    pub reason: String,
}

impl Glossary {
    pub fn builtin() -> Self {
        Self::parse(BUILTIN_GLOSSARY).unwrap_or_default()
    }

    pub fn parse(text: &str) -> Result<Self, GlossaryError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let err = |reason: &str| GlossaryError {
                line: i + 1,
                reason: reason.to_owned(),
            };
            if cols.len() < 2 || cols.len() > 4 {
                return Err(err("expected 2 to 4 tab-separated columns"));
            }
            if cols.iter().any(|c| c.is_empty()) {
                return Err(err("empty column"));
            }
            if cols.iter().any(|c| c.contains(['<', '>', '&', '"', '\''])) {
                return Err(err("markup characters (< > & \" ') are not allowed"));
            }
            let hant = cols[1].to_owned();
            entries.push(Entry {
                simplified: cols[0].to_owned(),
                tw: cols
                    .get(2)
                    .map_or_else(|| hant.clone(), |s| (*s).to_owned()),
                hk: cols
                    .get(3)
                    .map_or_else(|| hant.clone(), |s| (*s).to_owned()),
                hant,
            });
        }
        Ok(Self { entries })
    }

    /// This glossary with `other`'s entries added; `other` wins on the same Simplified phrase.
    pub fn extended(mut self, other: Glossary) -> Self {
        for e in other.entries {
            self.entries.retain(|x| x.simplified != e.simplified);
            self.entries.push(e);
        }
        self
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn pairs(&self, pick: impl Fn(&Entry) -> &String) -> Vec<(String, String)> {
        self.entries
            .iter()
            .map(|e| (e.simplified.clone(), pick(e).clone()))
            .collect()
    }
}

/// Simplified → Traditional with OpenCC's phrase dictionaries, built once; Taiwan and Hong Kong forms
/// are a second, small stage over the Traditional text (OpenCC's `t2tw` / `t2hk`), so the big
/// dictionaries are held once rather than per variant.
pub struct Converter {
    hant: Mutex<zhhz::Converter>,
    tw: Mutex<zhhz::Converter>,
    hk: Mutex<zhhz::Converter>,
}

impl Converter {
    pub fn new(glossary: &Glossary) -> Self {
        use zhhz::Config;
        let regional = |pick: fn(&Entry) -> &String| -> Vec<(String, String)> {
            glossary
                .entries
                .iter()
                .map(|e| (e.hant.clone(), pick(e).clone()))
                .collect()
        };
        Self {
            hant: Mutex::new(zhhz::Converter::with_custom(
                Config::S2t,
                &glossary.pairs(|e| &e.hant),
            )),
            tw: Mutex::new(zhhz::Converter::with_custom(
                Config::T2tw,
                &regional(|e| &e.tw),
            )),
            hk: Mutex::new(zhhz::Converter::with_custom(
                Config::T2hk,
                &regional(|e| &e.hk),
            )),
        }
    }

    fn convert(&self, variant: Variant, text: &str) -> Option<String> {
        // A poisoned lock only means another conversion panicked; the converter itself is intact.
        let run = |c: &Mutex<zhhz::Converter>, text: &str| {
            c.lock().unwrap_or_else(|p| p.into_inner()).convert(text)
        };
        let regional = match variant {
            Variant::Hans => return None,
            Variant::Hant => None,
            Variant::Tw => Some(&self.tw),
            Variant::Hk => Some(&self.hk),
        };
        let hant = run(&self.hant, text);
        Some(match regional {
            Some(stage) => run(stage, &hant),
            None => hant,
        })
    }
}

impl Convert for Converter {
    fn text(&self, variant: Variant, text: &str) -> String {
        self.convert(variant, text)
            .unwrap_or_else(|| text.to_owned())
    }

    fn html(&self, variant: Variant, html: &str) -> String {
        if variant == Variant::Hans {
            return html.to_owned();
        }
        map_html_text(html, |t| self.convert(variant, t).unwrap_or_default())
    }

    fn fold(&self, text: &str) -> String {
        crate::search::fold(text)
    }
}

/// The converter in service: the built-in glossary plus an optional deployer file, rebuilt when that
/// file changes (checked every few seconds; a broken file is reported and the last good one kept).
pub struct Live {
    path: Option<std::path::PathBuf>,
    current: std::sync::RwLock<std::sync::Arc<Converter>>,
    fingerprint: std::sync::atomic::AtomicU64,
}

fn fingerprint(glossary: &Glossary) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    glossary.hash(&mut h);
    h.finish()
}

impl Live {
    pub fn new(glossary: &Glossary, path: Option<std::path::PathBuf>) -> Self {
        Self {
            path,
            current: std::sync::RwLock::new(std::sync::Arc::new(Converter::new(glossary))),
            fingerprint: std::sync::atomic::AtomicU64::new(fingerprint(glossary)),
        }
    }

    /// Changes when the glossary does (the same across restarts): text converted under another
    /// one is stale.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint.load(std::sync::atomic::Ordering::Acquire)
    }

    fn get(&self) -> std::sync::Arc<Converter> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reads the deployer glossary again; `Ok(entries)` once the new converter is in service.
    pub fn reload(&self) -> Result<usize, String> {
        let Some(path) = &self.path else {
            return Ok(0);
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let extra = Glossary::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let entries = extra.len();
        let glossary = Glossary::builtin().extended(extra);
        let converter = std::sync::Arc::new(Converter::new(&glossary));
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = converter;
        self.fingerprint
            .store(fingerprint(&glossary), std::sync::atomic::Ordering::Release);
        Ok(entries)
    }

    /// Watches the glossary file's modification time and reloads on change.
    pub fn watch(self: std::sync::Arc<Self>) {
        let Some(path) = self.path.clone() else {
            return;
        };
        tokio::spawn(async move {
            let mtime = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
            let mut seen = mtime(&path);
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                let now = mtime(&path);
                if now == seen {
                    continue;
                }
                seen = now;
                let live = self.clone();
                match tokio::task::spawn_blocking(move || live.reload()).await {
                    Ok(Ok(n)) => tracing::info!(entries = n, "glossary reloaded"),
                    Ok(Err(e)) => {
                        tracing::error!("glossary not reloaded, keeping the last good one: {e}")
                    }
                    Err(e) => tracing::error!("glossary reload failed: {e}"),
                }
            }
        });
    }
}

impl Convert for Live {
    fn text(&self, variant: Variant, text: &str) -> String {
        self.get().text(variant, text)
    }

    fn html(&self, variant: Variant, html: &str) -> String {
        self.get().html(variant, html)
    }

    fn fold(&self, text: &str) -> String {
        crate::search::fold(text)
    }
}

/// Applies `f` to the text of an HTML fragment, except inside `<code>`; read by an HTML tokenizer
/// (lol_html), so tags, attributes, comments and entities pass byte for byte, whatever they hold.
pub fn map_html_text(html: &str, f: impl Fn(&str) -> String) -> String {
    use lol_html::html_content::ContentType;
    use lol_html::{RewriteStrSettings, doc_text, element, rewrite_str};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let code_depth = Rc::new(Cell::new(0usize));
    let pending = RefCell::new(String::new());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("code", |el| {
            let depth = code_depth.clone();
            let on_end: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                depth.set(depth.get().saturating_sub(1));
                Ok(())
            });
            if el.on_end_tag(on_end).is_ok() {
                code_depth.set(code_depth.get() + 1);
            }
            Ok(())
        }))
        .append_document_content_handler(doc_text!(|chunk| {
            if code_depth.get() > 0 {
                return Ok(());
            }
            // A text node may come in several chunks: convert it whole, at its last chunk.
            let mut text = pending.borrow_mut();
            text.push_str(chunk.as_str());
            if chunk.last_in_text_node() {
                let converted = f(&text);
                chunk.replace(&converted, ContentType::Html);
                text.clear();
            } else {
                chunk.remove();
            }
            Ok(())
        }));
    match rewrite_str(html, settings) {
        Ok(out) => out,
        Err(e) => {
            tracing::error!(error = %e, "HTML not converted");
            html.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_is_mapped_but_not_markup_or_code() {
        let html =
            r#"<p class="x">干部</p><a href="/干部">干部</a><code>干部 <b>干部</b></code>干部"#;
        let out = map_html_text(html, |t| t.replace("干部", "幹部"));
        assert_eq!(
            out,
            r#"<p class="x">幹部</p><a href="/干部">幹部</a><code>干部 <b>干部</b></code>幹部"#
        );
    }

    #[test]
    fn markup_that_looks_like_text_is_left_alone() {
        let html = r#"<p title="a>干部" data-x='b>干部'>干部<!-- 干部 > 干部 -->&amp;干部</p><code>x</code><code><code>干部</code>干部</code>干部"#;
        let out = map_html_text(html, |t| t.replace("干部", "幹部"));
        assert_eq!(
            out,
            r#"<p title="a>干部" data-x='b>干部'>幹部<!-- 干部 > 干部 -->&amp;幹部</p><code>x</code><code><code>干部</code>干部</code>幹部"#
        );
    }

    #[test]
    fn glossary_parsing() {
        let g = Glossary::parse("# c\n\n松口\t松口\n台\t臺\t臺\t台\n").unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g.entries[1].tw, "臺");
        assert_eq!(g.entries[1].hk, "台");
        assert_eq!(g.entries[0].hk, "松口");
        let err = Glossary::parse("ok\tok\nbad\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(Glossary::parse("a\t\n").is_err());
        for markup in ["<", ">", "&", "\"", "'"] {
            let err = Glossary::parse(&format!("好\t好\n干{markup}\t幹\n")).unwrap_err();
            assert_eq!(err.line, 2, "{markup}");
            assert!(err.reason.contains("markup"), "{markup}");
        }
        let merged = Glossary::builtin().extended(Glossary::parse("松口\t鬆口").unwrap());
        assert_eq!(merged.len(), Glossary::builtin().len());
        assert!(
            merged
                .entries
                .iter()
                .any(|e| e.simplified == "松口" && e.hant == "鬆口")
        );
    }

    #[test]
    fn live_converter_reloads_its_file_and_keeps_the_last_good_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.tsv");
        std::fs::write(&path, "梅江\t梅江甲\n").unwrap();
        let live = Live::new(&Glossary::builtin(), Some(path.clone()));
        assert_eq!(live.text(Variant::Hant, "梅江"), "梅江");
        assert_eq!(live.reload(), Ok(1));
        assert_eq!(live.text(Variant::Hant, "梅江"), "梅江甲");
        std::fs::write(&path, "broken line\n").unwrap();
        assert!(live.reload().unwrap_err().contains("line 1"));
        assert_eq!(live.text(Variant::Hant, "梅江"), "梅江甲");
        assert_eq!(live.text(Variant::Hant, "好干部"), "好幹部");
    }

    #[test]
    fn glossary_beats_the_dictionary() {
        let c = Converter::new(&Glossary::builtin());
        for v in [Variant::Hant, Variant::Tw, Variant::Hk] {
            assert_eq!(c.text(v, "梅县区松口镇"), "梅縣區松口鎮", "{v:?}");
            assert_eq!(c.text(v, "新时代好干部标准"), "新時代好幹部標準", "{v:?}");
            assert_eq!(c.text(v, "平远县差干镇"), "平遠縣差干鎮", "{v:?}");
        }
        assert_eq!(c.text(Variant::Hans, "梅县区松口镇"), "梅县区松口镇");
    }

    /// The interface's regional words are OpenCC's: Taiwan's from the s2twp phrase tables (but
    /// for the words those tables take in their software sense), Hong Kong's from s2hk or, where
    /// Hong Kong says it as Taiwan does, s2twp.
    #[test]
    fn interface_words_follow_opencc_region_tables() {
        let twp = zhhz::Converter::new(zhhz::Config::S2twp);
        let hk = zhhz::Converter::new(zhhz::Config::S2hk);
        for &(simplified, tw, hong_kong) in app::ui::REGIONAL {
            let software = app::ui::NOT_SOFTWARE.iter().find(|(s, _)| *s == simplified);
            match software {
                Some(&(_, theirs)) => assert_eq!(twp.convert(simplified), theirs),
                None => assert_eq!(twp.convert(simplified), tw, "s2twp of {simplified}"),
            }
            let by_table = [hk.convert(simplified), twp.convert(simplified)];
            assert!(
                by_table.iter().any(|w| w == hong_kong),
                "{simplified}: {hong_kong} is neither s2hk's nor s2twp's ({by_table:?})"
            );
        }
    }

    /// Every interface string, whole, in Taiwan's and Hong Kong's text is what OpenCC's region
    /// tables give (s2twp, s2hk), with the regional choices above in place of theirs; names and
    /// titles in 《》 stay as our converter gives them, by characters.
    #[test]
    fn every_interface_string_is_the_regions_own() {
        let c = Converter::new(&Glossary::builtin());
        for (variant, config) in [
            (Variant::Tw, zhhz::Config::S2twp),
            (Variant::Hk, zhhz::Config::S2hk),
        ] {
            let table = zhhz::Converter::new(config);
            let mut ui = app::ui::Ui::mapped(String::new(), "", str::to_owned);
            ui.convert(variant, |s| c.text(variant, s));
            let ours_of = |w: &str| {
                let r = app::ui::REGIONAL.iter().find(|r| r.0 == w).unwrap();
                if variant == Variant::Tw { r.1 } else { r.2 }
            };
            let names: Vec<String> = app::ui::NAMES.iter().map(|n| n.to_string()).collect();
            let mut wrong = Vec::new();
            for (i, simplified) in app::ui::SIMPLIFIED.iter().enumerate() {
                // The table's text between the kept spans, our converter's in them.
                let region = |text: &str| {
                    let mut free = table.convert(text);
                    for &(w, ..) in app::ui::REGIONAL {
                        free = free.replace(&table.convert(w), ours_of(w));
                    }
                    free
                };
                let mut spans = app::ui::kept_spans(simplified, &names);
                spans.sort_by_key(|r| r.start);
                let (mut expected, mut at) = (String::new(), 0);
                for span in spans {
                    if span.start < at {
                        continue;
                    }
                    expected.push_str(&region(&simplified[at..span.start]));
                    expected.push_str(&c.text(variant, &simplified[span.clone()]));
                    at = span.end;
                }
                expected.push_str(&region(&simplified[at..]));
                if ui.text_at(i) != expected {
                    wrong.push(format!(
                        "{variant:?}: ours {} / expected {expected}",
                        ui.text_at(i)
                    ));
                }
            }
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        }
    }
}
