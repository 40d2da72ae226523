//! Data shapes shared by the server (which fills them) and the browser (which hydrates from them).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Articles per channel page.
pub const PAGE_SIZE: u32 = 10;
/// Latest articles listed per channel on the front page.
pub const LATEST_PER_CHANNEL: u32 = 5;

/// A link to an article, as listed on the front page, a channel page or as previous/next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLink {
    pub id: String,
    pub title: String,
    /// RFC 3339 with the original UTC offset.
    pub published_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRef {
    pub slug: String,
    pub name: String,
}

/// Where a channel sits: site › department › channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trail {
    pub site: String,
    pub department_id: i64,
    pub department: String,
    pub channel: ChannelRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub source: String,
    pub author: Option<String>,
    /// RFC 3339 with the original UTC offset.
    pub published_at: String,
    /// Sanitized on import; safe to render as HTML.
    pub body_html: String,
    /// Plain-text opening of the body, for meta descriptions.
    pub summary: String,
    pub view_count: i64,
    pub trail: Trail,
    /// The newer neighbour in the channel.
    pub previous: Option<ArticleLink>,
    /// The older neighbour in the channel.
    pub next: Option<ArticleLink>,
    /// 政务公开 metadata, for policy documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gov: Option<GovInfo>,
    /// 附件, in the publisher's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// 相关链接, in the publisher's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedLink>,
}

/// 政务公开 metadata of a policy document; every field optional, at least one given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovInfo {
    /// 索引号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_number: Option<String>,
    /// 发布机构.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// 发文字号, e.g. 梅市府〔2022〕5号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// 成文日期, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_on: Option<String>,
    /// 发布日期, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_on: Option<String>,
    /// 主题分类.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// 主题词.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    /// 有效性.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
}

/// 有效性 of a policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Validity {
    /// 有效.
    Valid,
    /// 失效.
    Expired,
    /// 废止.
    Repealed,
}

impl Validity {
    /// From the import format: `valid` / `expired` / `repealed`, or 有效 / 失效 / 废止.
    pub fn parse(s: &str) -> Option<Validity> {
        match s.trim() {
            "valid" | "有效" => Some(Validity::Valid),
            "expired" | "失效" => Some(Validity::Expired),
            "repealed" | "废止" => Some(Validity::Repealed),
            _ => None,
        }
    }
}

/// 附件: a file published with the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Shown name, e.g. 附件1：梅州市…实施方案.
    pub name: String,
    /// Upper-case format, e.g. `PDF`.
    pub format: String,
    /// Bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Where it is served: absolute `http(s)` or a path on this site.
    pub url: String,
}

/// 相关链接.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedLink {
    pub title: String,
    /// Absolute `http(s)` or a path on this site.
    pub url: String,
}

/// A link target the import accepts: absolute `http(s)` without credentials, or a path on this
/// site (`/…`, not `//…`); at most 2,000 characters, no spaces or control characters.
pub fn is_valid_link(url: &str) -> bool {
    if url.is_empty()
        || url.len() > 2000
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    if let Some(rest) = url.strip_prefix('/') {
        return !rest.starts_with('/') && !rest.starts_with('\\');
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !host.contains('@')
}

/// Bytes as shown beside an attachment: `980 B`, `12.5 KB`, `1.2 MB` (powers of 1,024).
pub fn file_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// An article page as the app renders it: the article plus its absolute address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticlePage {
    pub article: Article,
    pub url: String,
    /// The page's address in the variant shown, as a QR code (分享到).
    pub qr: Option<crate::qr::Qr>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSummary {
    pub channel: ChannelRef,
    pub latest: Vec<ArticleLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentSummary {
    pub id: i64,
    pub name: String,
    pub channels: Vec<ChannelSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub site: String,
    pub departments: Vec<DepartmentSummary>,
}

/// Which slice of a channel to show. Keyset paging: stable while articles are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum PageQuery {
    #[default]
    Newest,
    /// Articles older than the cursor.
    After(Cursor),
    /// Articles newer than the cursor.
    Before(Cursor),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelPage {
    pub trail: Trail,
    /// Newest first.
    pub articles: Vec<ArticleLink>,
    /// Cursor for the page of newer articles, if any.
    pub newer: Option<Cursor>,
    /// Cursor for the page of older articles, if any.
    pub older: Option<Cursor>,
}

/// A position in a channel's newest-first order: publication time, then row id as tie-break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    pub published_utc: i64,
    pub row: i64,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.published_utc, self.row)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed cursor")]
pub struct BadCursor;

impl FromStr for Cursor {
    type Err = BadCursor;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (t, r) = s.split_once('_').ok_or(BadCursor)?;
        let published_utc = t.parse().map_err(|_| BadCursor)?;
        let row: i64 = r.parse().map_err(|_| BadCursor)?;
        if row < 1 || s.len() > 40 {
            return Err(BadCursor);
        }
        Ok(Cursor { published_utc, row })
    }
}

/// Results per search page.
pub const SEARCH_PAGE_SIZE: u32 = 10;
/// Longest query read; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 100;

/// A position in search order: exact 发文字号 / 索引号 matches (tier 0), then title matches (tier 1),
/// then body matches (tier 2), each newest first, the row id as tie-break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SearchCursor {
    pub tier: u8,
    pub published_utc: i64,
    pub row: i64,
}

impl fmt::Display for SearchCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}_{}", self.tier, self.published_utc, self.row)
    }
}

impl FromStr for SearchCursor {
    type Err = BadCursor;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (t, rest) = s.split_once('_').ok_or(BadCursor)?;
        let tier = match t {
            "0" => 0,
            "1" => 1,
            "2" => 2,
            _ => return Err(BadCursor),
        };
        let c: Cursor = rest.parse()?;
        Ok(SearchCursor {
            tier,
            published_utc: c.published_utc,
            row: c.row,
        })
    }
}

/// An article found, as storage gives it (Simplified): its title and a plain-text window of its
/// body around the first match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    pub snippet: String,
    pub published_at: String,
    pub channel: ChannelRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Cursor for the next page, if any.
    pub next: Option<SearchCursor>,
}

/// A piece of text, marked where it matches the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub mark: bool,
}

/// An article found, in the reader's variant, with the matches marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub id: String,
    pub title: Vec<Segment>,
    pub snippet: Vec<Segment>,
    pub published_at: String,
    pub channel: ChannelRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<Found>,
    pub next: Option<SearchCursor>,
}

/// External article ids: 1–100 ASCII letters, digits, `-`, `_` or `.`, not starting with `.`.
pub fn is_valid_article_id(id: &str) -> bool {
    (1..=100).contains(&id.len())
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Channel slugs: 1–64 lowercase ASCII letters, digits or `-`.
pub fn is_valid_slug(slug: &str) -> bool {
    (1..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub fn department_anchor(id: i64) -> String {
    format!("/#department-{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets() {
        for ok in [
            "/articles/1",
            "https://www.meizhou.gov.cn/a.pdf",
            "http://example.org",
            "HTTPS://X.CN/?q=1#f",
        ] {
            assert!(is_valid_link(ok), "{ok}");
        }
        for bad in [
            "",
            "//evil.example/x",
            "/\\evil",
            "javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "https://user@host/",
            "https://a b",
            "ftp://x",
            "articles/1",
        ] {
            assert!(!is_valid_link(bad), "{bad}");
        }
        assert!(!is_valid_link(&format!("/{}", "a".repeat(2000))));
    }

    #[test]
    fn sizes_read_like_the_portal_s() {
        assert_eq!(file_size(980), "980 B");
        assert_eq!(file_size(12_800), "12.5 KB");
        assert_eq!(file_size(1_258_291), "1.2 MB");
        assert_eq!(file_size(3 << 30), "3.0 GB");
    }

    #[test]
    fn validity_in_either_form() {
        assert_eq!(Validity::parse("有效"), Some(Validity::Valid));
        assert_eq!(Validity::parse("repealed"), Some(Validity::Repealed));
        assert_eq!(Validity::parse("失效"), Some(Validity::Expired));
        assert_eq!(Validity::parse("无效"), None);
    }

    #[test]
    fn cursor_round_trips() {
        let c = Cursor {
            published_utc: 1_652_320_254,
            row: 42,
        };
        assert_eq!(c.to_string(), "1652320254_42");
        assert_eq!("1652320254_42".parse::<Cursor>(), Ok(c));
        let negative = Cursor {
            published_utc: -5,
            row: 1,
        };
        assert_eq!(negative.to_string().parse::<Cursor>(), Ok(negative));
    }

    #[test]
    fn malformed_cursors_are_rejected() {
        for bad in [
            "", "_", "12", "12_", "_3", "a_1", "1_b", "1_0", "1_-4", "1_2_3",
        ] {
            assert_eq!(bad.parse::<Cursor>(), Err(BadCursor), "{bad:?}");
        }
    }

    #[test]
    fn search_cursors_and_paths() {
        let c = SearchCursor {
            tier: 1,
            published_utc: 1_652_320_254,
            row: 42,
        };
        assert_eq!(c.to_string().parse::<SearchCursor>(), Ok(c));
        for bad in ["", "3_1_1", "0_1", "0_1_0", "x_1_1"] {
            assert_eq!(bad.parse::<SearchCursor>(), Err(BadCursor), "{bad:?}");
        }
    }

    #[test]
    fn article_ids() {
        assert!(is_valid_article_id("mz-fzyjzx-gzdt-20220512-01"));
        assert!(is_valid_article_id("a.b_c"));
        for bad in ["", ".hidden", "a/b", "a b", "文章", &"x".repeat(101)] {
            assert!(!is_valid_article_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("gzdt"));
        assert!(is_valid_slug("gzdt-2"));
        for bad in ["", "GZDT", "工作动态", "a_b", &"x".repeat(65)] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
