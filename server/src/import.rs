//! The JSONL import format: one article per line, validated and sanitized before anything is stored.

use app::model::{
    Attachment, GovInfo, RelatedLink, Validity, is_valid_article_id, is_valid_link, is_valid_slug,
};
use serde::Deserialize;

/// Attachments, or related links, one article may list.
pub const MAX_LINKS: usize = 50;

/// An article ready to store: validated, sanitized and normalised by this module.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    /// 1-based line in the import file, for error messages.
    pub line: usize,
    pub external_id: String,
    pub site: Option<String>,
    pub department: Option<String>,
    pub channel: String,
    pub channel_slug: Option<String>,
    pub title: String,
    pub subtitle: Option<String>,
    pub source: String,
    pub author: Option<String>,
    pub published_at: String,
    pub published_utc: i64,
    pub body_html: String,
    pub summary: String,
    pub gov: Option<GovInfo>,
    pub attachments: Vec<Attachment>,
    pub related: Vec<RelatedLink>,
    /// Attachments given as a file beside the import (`"file"`): the attachment's index and the
    /// path as written, until `files::resolve` reads them.
    pub wanted_files: Vec<(usize, String)>,
    /// The files read for this article's attachments, to store with it.
    pub files: Vec<NewFile>,
}

/// An attachment file read for an import (`files::resolve`), ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    /// SHA-256 of the bytes, lower-case hex: the file's key and address.
    pub hash: String,
    pub media_type: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// Articles to import, in file order; an `Err` (a bad line) stops the import.
pub type ArticleStream<'a> = futures::stream::BoxStream<'a, Result<NewArticle, LineError>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: String,
    channel: String,
    title: String,
    source: String,
    published_at: String,
    body_html: String,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    channel_slug: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    gov: Option<GovLine>,
    #[serde(default)]
    attachments: Vec<AttachmentLine>,
    #[serde(default)]
    related: Vec<RelatedLine>,
}

/// 政务公开 metadata as the import gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GovLine {
    #[serde(default)]
    index_number: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    document_number: Option<String>,
    #[serde(default)]
    written_on: Option<String>,
    #[serde(default)]
    published_on: Option<String>,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    keywords: Option<String>,
    #[serde(default)]
    validity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentLine {
    name: String,
    /// An address, or:
    #[serde(default)]
    url: Option<String>,
    /// A file beside the import file, stored and served by the portal.
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    size: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelatedLine {
    title: String,
    url: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {reason}")]
pub struct LineError {
    pub line: usize,
    pub reason: String,
}

/// Parses a whole JSONL document; blank lines are skipped. Fails on the first bad line.
pub fn parse(text: &str) -> Result<Vec<NewArticle>, LineError> {
    let mut seen = Seen::default();
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| seen.line(raw, i + 1).transpose())
        .collect()
}

/// Reads JSONL from `input` one line at a time (memory stays at one line plus the ids seen),
/// yielding each article, or the first bad line and then nothing.
pub fn read<R>(input: R) -> ArticleStream<'static>
where
    R: tokio::io::AsyncBufRead + Unpin + Send + 'static,
{
    use futures::StreamExt;
    use tokio::io::AsyncBufReadExt;
    let state = (Some(input.lines()), 0usize, Seen::default());
    futures::stream::unfold(state, |(lines, mut n, mut seen)| async move {
        let mut lines = lines?;
        loop {
            n += 1;
            let item = match lines.next_line().await {
                Ok(None) => return None,
                Ok(Some(raw)) => seen.line(&raw, n).transpose(),
                Err(e) => Some(Err(LineError {
                    line: n,
                    reason: if e.kind() == std::io::ErrorKind::InvalidData {
                        "not UTF-8 text".into()
                    } else {
                        format!("unreadable: {e}")
                    },
                })),
            };
            match item {
                None => continue,
                Some(Ok(a)) => return Some((Ok(a), (Some(lines), n, seen))),
                Some(Err(e)) => return Some((Err(e), (None, n, seen))),
            }
        }
    })
    .boxed()
}

/// Ids seen so far in one import, with their lines: an id may appear once.
#[derive(Default)]
struct Seen(std::collections::HashMap<String, usize>);

impl Seen {
    /// The article on `raw` (line `line`), `None` for a blank line.
    fn line(&mut self, raw: &str, line: usize) -> Result<Option<NewArticle>, LineError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        let article = parse_line(raw, line).map_err(|reason| LineError { line, reason })?;
        if let Some(first) = self.0.insert(article.external_id.clone(), line) {
            return Err(LineError {
                line,
                reason: format!(
                    "id {:?} already appears on line {first}",
                    article.external_id
                ),
            });
        }
        Ok(Some(article))
    }
}

fn required(field: &str, value: String, max_chars: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("\"{field}\" is empty"));
    }
    if v.chars().count() > max_chars {
        return Err(format!("\"{field}\" is longer than {max_chars} characters"));
    }
    if let Some(c) = v.chars().find(|&c| !is_text_char(c)) {
        return Err(format!(
            "\"{field}\" holds U+{:04X}, a control character that text cannot carry",
            u32::from(c)
        ));
    }
    Ok(v.to_owned())
}

/// A character XML 1.0 allows (feeds and sitemaps are XML): not a control character other than
/// tab, line feed and carriage return, not U+FFFE or U+FFFF.
pub fn is_text_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn optional(
    field: &str,
    value: Option<String>,
    max_chars: usize,
) -> Result<Option<String>, String> {
    match value {
        Some(v) if !v.trim().is_empty() => required(field, v, max_chars).map(Some),
        _ => Ok(None),
    }
}

fn parse_line(raw: &str, line: usize) -> Result<NewArticle, String> {
    let l: Line = serde_json::from_str(raw).map_err(|e| format!("invalid JSON: {e}"))?;
    if !is_valid_article_id(&l.id) {
        return Err(format!(
            "\"id\" {:?} must be 1–100 ASCII letters, digits, '-', '_' or '.'",
            l.id
        ));
    }
    let published = chrono::DateTime::parse_from_rfc3339(l.published_at.trim()).map_err(|e| {
        format!(
            "\"published_at\" {:?} is not an RFC 3339 time with offset: {e}",
            l.published_at
        )
    })?;
    if let Some(slug) = &l.channel_slug
        && !is_valid_slug(slug)
    {
        return Err(format!(
            "\"channel_slug\" {slug:?} must be 1–64 lowercase letters, digits or '-'"
        ));
    }
    let body_html = sanitize(&l.body_html);
    let summary = summary(&body_html, 120);
    if summary.is_empty() {
        return Err("\"body_html\" has no text".into());
    }
    Ok(NewArticle {
        line,
        external_id: l.id,
        site: optional("site", l.site, 200)?,
        department: optional("department", l.department, 200)?,
        channel: required("channel", l.channel, 100)?,
        channel_slug: l.channel_slug,
        title: required("title", l.title, 300)?,
        subtitle: optional("subtitle", l.subtitle, 300)?,
        source: required("source", l.source, 200)?,
        author: optional("author", l.author, 200)?,
        published_at: published.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        published_utc: published.timestamp(),
        body_html,
        summary,
        gov: l.gov.map(gov).transpose()?,
        wanted_files: l
            .attachments
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.file.clone().map(|f| (i, f)))
            .collect(),
        attachments: attachments(l.attachments)?,
        related: related(l.related)?,
        files: Vec::new(),
    })
}

/// A `YYYY-MM-DD` date, or an error naming `field`.
fn date(field: &str, value: Option<String>) -> Result<Option<String>, String> {
    let Some(v) = optional(field, value, 10)? else {
        return Ok(None);
    };
    chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
        .ok()
        .filter(|_| v.len() == 10)
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .ok_or_else(|| format!("\"{field}\" {v:?} is not a date (YYYY-MM-DD)"))
}

fn gov(g: GovLine) -> Result<GovInfo, String> {
    let validity = match optional("gov.validity", g.validity, 10)? {
        None => None,
        Some(v) => Some(Validity::parse(&v).ok_or_else(|| {
            format!(
                "\"gov.validity\" {v:?} must be valid, expired or repealed (有效, 失效 or 废止)"
            )
        })?),
    };
    let info = GovInfo {
        index_number: optional("gov.index_number", g.index_number, 60)?,
        issuer: optional("gov.issuer", g.issuer, 100)?,
        document_number: optional("gov.document_number", g.document_number, 60)?,
        written_on: date("gov.written_on", g.written_on)?,
        published_on: date("gov.published_on", g.published_on)?,
        topic: optional("gov.topic", g.topic, 100)?,
        keywords: optional("gov.keywords", g.keywords, 200)?,
        validity,
    };
    if info == GovInfo::default() {
        return Err("\"gov\" has no field".into());
    }
    Ok(info)
}

fn link_target(field: &str, url: String) -> Result<String, String> {
    let url = url.trim().to_owned();
    if is_valid_link(&url) {
        Ok(url)
    } else {
        Err(format!(
            "\"{field}\" {:?} must be an http(s) address or a path on this site (/…), at most 2,000 characters",
            url.chars().take(80).collect::<String>()
        ))
    }
}

fn attachments(list: Vec<AttachmentLine>) -> Result<Vec<Attachment>, String> {
    if list.len() > MAX_LINKS {
        return Err(format!("\"attachments\" lists more than {MAX_LINKS}"));
    }
    list.into_iter()
        .enumerate()
        .map(|(i, a)| {
            let field = |f: &str| format!("attachments[{i}].{f}");
            let (url, file) = match (a.url, a.file) {
                (Some(url), None) => (link_target(&field("url"), url)?, None),
                (None, Some(file)) => (String::new(), Some(file_path(&field("file"), &file)?)),
                _ => {
                    return Err(format!(
                        "\"attachments[{i}]\" needs one of \"url\" or \"file\""
                    ));
                }
            };
            let name = required(&field("name"), a.name, 200)?;
            let format = match optional(&field("format"), a.format, 10)? {
                Some(f) if f.chars().all(|c| c.is_ascii_alphanumeric()) => f.to_ascii_uppercase(),
                Some(f) => {
                    return Err(format!(
                        "\"{}\" {f:?} must be letters and digits, like PDF",
                        field("format")
                    ));
                }
                None => format_of(file.as_deref().unwrap_or(&url))
                    .or_else(|| format_of(&name))
                    .unwrap_or_default(),
            };
            Ok(Attachment {
                name,
                format,
                size: a.size,
                url,
            })
        })
        .collect()
}

/// A file beside the import: a relative path down from its folder (no `..`, not absolute).
fn file_path(field: &str, path: &str) -> Result<String, String> {
    let p = std::path::Path::new(path);
    let down = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if path.is_empty() || path.len() > 500 || !down || path.contains('\\') {
        return Err(format!(
            "\"{field}\" {path:?} must be a path below the import file's folder"
        ));
    }
    Ok(path.to_owned())
}

/// The upper-case extension of a path or name (`a.pdf?x=1` → `PDF`), up to 5 characters.
fn format_of(s: &str) -> Option<String> {
    let path = s.split(['?', '#']).next()?;
    let last = path.rsplit('/').next()?;
    let (_, ext) = last.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| ext.to_ascii_uppercase())
}

fn related(list: Vec<RelatedLine>) -> Result<Vec<RelatedLink>, String> {
    if list.len() > MAX_LINKS {
        return Err(format!("\"related\" lists more than {MAX_LINKS}"));
    }
    list.into_iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(RelatedLink {
                url: link_target(&format!("related[{i}].url"), r.url)?,
                title: required(&format!("related[{i}].title"), r.title, 300)?,
            })
        })
        .collect()
}

/// Article bodies keep structure (paragraphs, lists, tables, images, links) and lose scripts,
/// styles and event handlers. Embedded resources (images and the like) must be the portal's own:
/// a `src` on another site would be a request to it from every reader, so it is dropped.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|_, attribute, value| {
            let embedded = matches!(attribute, "src" | "srcset" | "poster");
            (!embedded || is_same_site(value)).then_some(value.into())
        })
        .clean(html)
        .to_string()
        .chars()
        // A form feed is white space in HTML; other control characters are noise.
        .filter_map(|c| match c {
            '\u{C}' => Some(' '),
            c => is_text_char(c).then_some(c),
        })
        .collect()
}

/// A URL relative to the portal: no scheme, no host.
fn is_same_site(url: &str) -> bool {
    let url = url.trim();
    let scheme = url
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    // Browsers read `\` as `/`, so `/\host` and `\\host` name another host too.
    !scheme && !url.replace('\\', "/").starts_with("//")
}

/// The first `max_chars` characters of the body's text (`text::plain_text`).
pub fn summary(sanitized_html: &str, max_chars: usize) -> String {
    let text = crate::text::plain_text(sanitized_html);
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"id": "a-1", "channel": "工作动态", "department": "部门", "title": " 标题 ", "source": "梅州日报", "published_at": "2022-05-12T09:50:54+08:00", "body_html": "<p>正文</p>"}"#;

    #[tokio::test]
    async fn reading_a_stream_gives_what_parsing_the_text_gives() {
        use futures::StreamExt;
        let second = GOOD.replace("a-1", "a-2");
        let text = format!("\n{GOOD}\n  \n{second}\n{GOOD}\n{second}");
        let input = std::io::Cursor::new(text.clone().into_bytes());
        let mut streamed: Vec<_> = read(input).collect().await;
        assert_eq!(
            streamed.len(),
            3,
            "two articles, then the duplicate, then nothing"
        );
        let err = streamed.pop().unwrap().unwrap_err();
        let lines: Vec<usize> = streamed.into_iter().map(|a| a.unwrap().line).collect();
        assert_eq!(lines, [2, 4]);
        assert_eq!(parse(&text).unwrap_err(), err);
        assert_eq!(err.line, 5);
    }

    #[test]
    fn parses_and_normalises_a_line() {
        let a = &parse(GOOD).unwrap()[0];
        assert_eq!(a.title, "标题");
        assert_eq!(a.published_at, "2022-05-12T09:50:54+08:00");
        assert_eq!(a.published_utc, 1_652_320_254);
        assert_eq!(a.summary, "正文");
        assert_eq!(a.site, None);
    }

    #[test]
    fn names_the_bad_line() {
        let text = format!("{GOOD}\n{{\"id\": \"a-2\"\n");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains("invalid JSON"), "{err}");
    }

    #[test]
    fn rejects_bad_fields() {
        let cases = [
            (GOOD.replace("a-1", "a/1"), "\"id\""),
            (GOOD.replace("+08:00", ""), "published_at"),
            (GOOD.replace("<p>正文</p>", "<script>x</script>"), "no text"),
            (GOOD.replace(" 标题 ", "  "), "\"title\" is empty"),
            (GOOD.replace("\"title\"", "\"headline\""), "invalid JSON"),
            (
                GOOD.replace(" 标题 ", "标\\u0000题"),
                "\"title\" holds U+0000",
            ),
            (
                GOOD.replace("梅州日报", "梅州\\u001b日报"),
                "\"source\" holds U+001B",
            ),
            (
                GOOD.replace("部门", "部\\uffff门"),
                "\"department\" holds U+FFFF",
            ),
        ];
        for (line, expected) in cases {
            let err = parse(&line).unwrap_err();
            assert!(err.reason.contains(expected), "{line}: {err}");
        }
    }

    const GOV: &str = r#", "gov": {"index_number": "007084223/2022-00005", "issuer": "梅州市人民政府办公室", "document_number": "梅市府〔2022〕5号", "written_on": "2022-03-01", "published_on": "2022-03-02", "topic": "综合政务", "keywords": "乡村振兴", "validity": "有效"}, "attachments": [{"name": "附件1：实施方案", "url": "https://www.meizhou.gov.cn/files/a.PDF?v=2", "size": 1258291}, {"name": "附件2.docx", "url": "/files/2", "format": "docx"}], "related": [{"title": "上一期", "url": "/articles/a-0"}]}"#;

    #[test]
    fn reads_government_metadata_attachments_and_related_links() {
        let line = format!("{}{GOV}", GOOD.strip_suffix('}').unwrap());
        let a = &parse(&line).unwrap()[0];
        let g = a.gov.as_ref().unwrap();
        assert_eq!(g.document_number.as_deref(), Some("梅市府〔2022〕5号"));
        assert_eq!(g.validity, Some(Validity::Valid));
        assert_eq!(g.written_on.as_deref(), Some("2022-03-01"));
        assert_eq!(a.attachments[0].format, "PDF");
        assert_eq!(a.attachments[0].size, Some(1_258_291));
        assert_eq!(a.attachments[1].format, "DOCX");
        assert_eq!(a.related[0].url, "/articles/a-0");
    }

    #[test]
    fn bad_metadata_names_the_line_and_field() {
        let second = GOOD.replace("a-1", "a-2");
        let with =
            |extra: &str| format!("{GOOD}\n{}, {extra}}}", second.strip_suffix('}').unwrap());
        let cases = [
            (
                r#""gov": {"written_on": "2022-02-30"}"#,
                "\"gov.written_on\" \"2022-02-30\" is not a date",
            ),
            (
                r#""gov": {"published_on": "2022-3-1"}"#,
                "\"gov.published_on\"",
            ),
            (r#""gov": {"validity": "无效"}"#, "\"gov.validity\""),
            (r#""gov": {}"#, "\"gov\" has no field"),
            (r#""gov": {"number": "x"}"#, "unknown field"),
            (
                &format!(r#""gov": {{"document_number": "{}"}}"#, "号".repeat(61)),
                "\"gov.document_number\" is longer than 60",
            ),
            (
                r#""attachments": [{"name": "a", "url": "javascript:alert(1)"}]"#,
                "\"attachments[0].url\"",
            ),
            (
                r#""attachments": [{"name": " ", "url": "/a.pdf"}]"#,
                "\"attachments[0].name\" is empty",
            ),
            (
                r#""attachments": [{"name": "a", "url": "/a", "format": "p d f"}]"#,
                "\"attachments[0].format\"",
            ),
            (
                r#""attachments": [{"name": "a"}]"#,
                "\"attachments[0]\" needs one of \"url\" or \"file\"",
            ),
            (
                r#""attachments": [{"name": "a", "url": "/a", "file": "a.pdf"}]"#,
                "needs one of",
            ),
            (
                r#""attachments": [{"name": "a", "file": "/etc/passwd"}]"#,
                "\"attachments[0].file\" \"/etc/passwd\" must be a path below",
            ),
            (
                r#""related": [{"title": "t", "url": "//evil.example/"}]"#,
                "\"related[0].url\"",
            ),
        ];
        for (extra, expected) in cases {
            let err = parse(&with(extra)).unwrap_err();
            assert_eq!(err.line, 2, "{extra}");
            assert!(err.reason.contains(expected), "{extra}: {err}");
        }
        let many = format!(
            r#""related": [{}]"#,
            vec![r#"{"title": "t", "url": "/"}"#; 51].join(",")
        );
        assert!(
            parse(&with(&many))
                .unwrap_err()
                .reason
                .contains("more than 50")
        );
    }

    #[test]
    fn rejects_duplicate_ids_in_one_file() {
        let err = parse(&format!("{GOOD}\n\n{GOOD}")).unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn sanitizes_bodies() {
        let clean = sanitize(
            r#"<p onclick="x()">文<script>alert(1)</script><a href="javascript:x">链</a></p>"#,
        );
        assert!(
            !clean.contains("script")
                && !clean.contains("onclick")
                && !clean.contains("javascript")
        );
        assert!(clean.contains("<p>文"));
        // Control characters, raw or as references, do not reach the stored body.
        let clean = sanitize("<p>一\u{1}二&#2;三\u{c}四&#xFFFF;五\u{0}</p>");
        assert_eq!(clean, "<p>一二三 四五</p>");
    }

    #[test]
    fn embedded_resources_stay_on_the_portal() {
        let clean = sanitize(
            r#"<img src="/files/a.png" alt="a"><img src="http://evil.example/p.gif" alt="b"><img src="//evil.example/p.gif"><img src="/\evil.example/p.gif"><img src=" HTTPS://evil.example"><a href="https://example.org/">链</a>"#,
        );
        assert!(
            clean.contains(r#"<img src="/files/a.png" alt="a">"#),
            "{clean}"
        );
        assert!(!clean.contains("evil.example"), "{clean}");
        assert!(
            clean.contains(r#"href="https://example.org/""#),
            "links stay: {clean}"
        );
    }

    #[test]
    fn summaries_are_plain_text() {
        assert_eq!(summary("<p>a &amp; b</p><p>c</p>", 100), "a & b c");
        assert_eq!(summary("<p>一二三四</p>", 2), "一二…");
        // A `>` inside an attribute is not the end of the tag, attributes are not text, and an
        // inline element runs on with the text around it.
        assert_eq!(
            summary(
                r#"<p><a href="/x" title="a>干部">链接</a>正文&lt;b&gt;&nbsp;完</p>"#,
                100
            ),
            "链接正文<b> 完"
        );
        assert_eq!(summary("<!-- 注释 --><p>文</p>", 100), "文");
    }
}
