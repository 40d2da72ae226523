//! Query terms and match marking. Text is compared in its folded form (each character to its
//! Simplified standard form, see the server's `search::fold`), which keeps one character for one,
//! so positions in folded text are positions in the text shown.

use crate::model::Segment;

/// Terms kept from one query.
pub const MAX_TERMS: usize = 8;
/// Characters kept of one term.
pub const MAX_TERM_CHARS: usize = 32;

/// Characters that make words; anything else separates terms (and is never searched for).
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The runs of word characters in `text`, in order.
pub fn runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word(c)).filter(|r| !r.is_empty())
}

/// A folded query's terms: its runs of word characters (each a phrase), the first
/// [`MAX_TERMS`], each cut to [`MAX_TERM_CHARS`], without repeats.
pub fn terms(folded: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for run in runs(folded) {
        let term: String = run.chars().take(MAX_TERM_CHARS).collect();
        if !out.contains(&term) {
            out.push(term);
        }
        if out.len() == MAX_TERMS {
            break;
        }
    }
    out
}

/// A folded identifier (发文字号, 索引号) or query as one exact-match key: its runs of word
/// characters joined by single spaces, so brackets of any kind (〔〕, [], 【】) and spacing do not
/// matter: 梅市府〔2022〕5号 and 梅市府[2022]5号 give `梅市府 2022 5号`.
pub fn identifier_key(folded: &str) -> String {
    runs(folded).collect::<Vec<_>>().join(" ")
}

/// `text` cut into segments, those where any term occurs in `folded` (its folded form, one
/// character for each of `text`'s) marked.
pub fn marks(text: &str, folded: &str, terms: &[String]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let key: Vec<char> = folded.chars().collect();
    let mut marked = vec![false; chars.len()];
    if key.len() == chars.len() {
        for term in terms {
            let t: Vec<char> = term.chars().collect();
            if t.is_empty() || t.len() > key.len() {
                continue;
            }
            for start in 0..=key.len() - t.len() {
                if key[start..start + t.len()] == t[..] {
                    marked[start..start + t.len()]
                        .iter_mut()
                        .for_each(|m| *m = true);
                }
            }
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    for (c, m) in chars.into_iter().zip(marked) {
        match out.last_mut() {
            Some(s) if s.mark == m => s.text.push(c),
            _ => out.push(Segment {
                text: c.to_string(),
                mark: m,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_runs_of_word_characters() {
        assert_eq!(terms("修复工程"), ["修复工程"]);
        assert_eq!(
            terms(" 干部, \"修复\"  干部 covid-19"),
            ["干部", "修复", "covid", "19"]
        );
        // Query syntax is only separators: operators become words, quotes go.
        assert_eq!(terms("\"*() OR ' -- ; NEAR(a"), ["OR", "NEAR", "a"]);
        assert_eq!(terms("a b c d e f g h i j").len(), MAX_TERMS);
        assert_eq!(terms(&"字".repeat(50))[0].chars().count(), MAX_TERM_CHARS);
    }

    #[test]
    fn identifier_keys_ignore_brackets_and_spacing() {
        let k = identifier_key("梅市府〔2022〕5号");
        assert_eq!(k, "梅市府 2022 5号");
        assert_eq!(identifier_key("梅市府[2022]5号"), k);
        assert_eq!(identifier_key(" 梅市府【2022】 5号 "), k);
        assert_ne!(identifier_key("梅市府〔2022〕15号"), k);
    }

    #[test]
    fn matches_are_marked_by_folded_position() {
        let m = marks(
            "乾淨的修復工程",
            "干净的修复工程",
            &["干净".into(), "修复".into()],
        );
        let shown: Vec<(&str, bool)> = m.iter().map(|s| (s.text.as_str(), s.mark)).collect();
        assert_eq!(
            shown,
            [
                ("乾淨", true),
                ("的", false),
                ("修復", true),
                ("工程", false)
            ]
        );
        // A folded form of another length marks nothing rather than the wrong characters.
        assert!(marks("abc", "ab", &["a".into()]).iter().all(|s| !s.mark));
    }
}
