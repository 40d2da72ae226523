//! What search compares: text folded to one script (OpenCC's character tables, Taiwan and Hong
//! Kong forms → standard Traditional → Simplified), and the index terms made of it. A character
//! folds to exactly one character, so a match's place in folded text is its place in the text.

use app::search::runs;
use std::collections::HashMap;
use std::sync::OnceLock;

fn table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // `key<TAB>value [value…]`, single characters only; the first value is the usual form.
        let read = |name: &str| -> HashMap<char, char> {
            let mut map = HashMap::new();
            for line in zhhz::data::dict_text(name).unwrap_or_default().lines() {
                let Some((k, v)) = line.split_once('\t') else {
                    continue;
                };
                let v = v.split(' ').next().unwrap_or_default();
                let (mut k, mut v) = (k.chars(), v.chars());
                if let (Some(k), None, Some(v), None) = (k.next(), k.next(), v.next(), v.next()) {
                    map.insert(k, v);
                }
            }
            map
        };
        let ts = read("TSCharacters");
        let mut regional = read("TWVariantsRev");
        for (k, v) in read("HKVariantsRev") {
            regional.entry(k).or_insert(v);
        }
        let step = |c: char| {
            let c = regional.get(&c).copied().unwrap_or(c);
            ts.get(&c).copied().unwrap_or(c)
        };
        let mut map = HashMap::new();
        for &c in ts.keys().chain(regional.keys()) {
            // Twice: a regional form's standard form may itself be Traditional.
            let f = step(step(c));
            if f != c {
                map.insert(c, f);
            }
        }
        map
    })
}

/// One character folded (see the module).
pub fn fold_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        // Full-width ASCII.
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(c as u32 - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase())
        }
        c if c.is_ascii() => c,
        c => table().get(&c).copied().unwrap_or(c),
    }
}

pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Names the folding and the index's terms (2: titles carry the 发文字号 and 索引号): an index
/// made under another is rebuilt.
pub fn scheme() -> String {
    use std::hash::{Hash, Hasher};
    let mut entries: Vec<(char, char)> = table().iter().map(|(k, v)| (*k, *v)).collect();
    entries.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    entries.hash(&mut h);
    format!("bigram-2-{:016x}", h.finish())
}

/// The index terms of folded text, in order: within each run of word characters its bigrams, then
/// its last character alone. A term of two or more characters is then the phrase of its bigrams
/// (the lone character ends a run, so no phrase spans two), one character a prefix.
pub fn grams(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for run in runs(folded) {
        let bounds: Vec<usize> = run
            .char_indices()
            .map(|(i, _)| i)
            .chain([run.len()])
            .collect();
        for w in bounds.windows(3) {
            out.push(&run[w[0]..w[2]]);
        }
        let last = bounds[bounds.len() - 2];
        out.push(&run[last..]);
    }
    out
}

/// The bigrams of one term (itself if it is one character).
pub fn term_grams(term: &str) -> Vec<&str> {
    let mut g = grams(term);
    if g.len() > 1 {
        g.pop();
    }
    g
}

/// Characters of body text shown around a match.
const SNIPPET_CHARS: usize = 96;
/// Of which before the first match.
const SNIPPET_BEFORE: usize = 24;

/// A window of `plain` around the first place any term occurs in it (its opening if none),
/// with `…` where it is cut.
pub fn snippet(plain: &str, terms: &[String]) -> String {
    let chars: Vec<char> = plain.chars().collect();
    let folded: Vec<char> = chars.iter().map(|&c| fold_char(c)).collect();
    let first = terms
        .iter()
        .filter_map(|t| {
            let t: Vec<char> = t.chars().collect();
            (!t.is_empty() && t.len() <= folded.len())
                .then(|| (0..=folded.len() - t.len()).find(|&i| folded[i..i + t.len()] == t[..]))
                .flatten()
        })
        .min()
        .unwrap_or(0);
    let start = first.saturating_sub(SNIPPET_BEFORE);
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_folds_to_one_form() {
        for (any, simplified) in [
            ("修復工程", "修复工程"),
            ("乾淨", "干净"),
            ("幹部", "干部"),
            ("體系", "体系"),
            ("裡面", "里面"),
            ("裏面", "里面"),
            ("為人民", "为人民"),
            ("爲人民", "为人民"),
            ("ＡＢＣ Covid", "abc covid"),
            ("修复工程", "修复工程"),
        ] {
            assert_eq!(fold(any), simplified, "{any}");
        }
        let text = "以感恩之心奋进之力實幹之行";
        assert_eq!(fold(text).chars().count(), text.chars().count());
    }

    #[test]
    fn grams_make_phrases_that_stay_in_their_run() {
        assert_eq!(grams("修复工程"), ["修复", "复工", "工程", "程"]);
        assert_eq!(grams("干, 部"), ["干", "部"]);
        assert_eq!(term_grams("修复工程"), ["修复", "复工", "工程"]);
        assert_eq!(term_grams("干"), ["干"]);
        assert!(grams("，。 ").is_empty());
    }

    #[test]
    fn text_of_html_and_windows_around_matches() {
        let long = format!("{}修复工程{}", "前".repeat(100), "后".repeat(200));
        let s = snippet(&long, &["修复工程".into()]);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 2);
        assert_eq!(s.chars().position(|c| c == '修'), Some(SNIPPET_BEFORE + 1));
        assert_eq!(snippet("短文", &["无".into()]), "短文");
    }
}
