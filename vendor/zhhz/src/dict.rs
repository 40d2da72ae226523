//! Dictionary representation and longest-prefix matching.
//!
//! The hot path for long-text conversion is `longest_prefix`, called once
//! per input position per dictionary in the conversion group.
//!
//! The trie is stored compactly (patched from the published crate, which kept
//! a node struct of ~120 bytes plus a drained `HashMap` and a `String` per
//! node): nodes are numbered breadth-first, so the children of a node are
//! consecutive nodes and a node is three `u32`s — the start of its children,
//! the char on the edge into it and its value's index. Values live in one
//! string arena. Built from sorted keys, level by level, without a pointer
//! trie in between.

/// A value slot meaning "no value at this node".
const NONE: u32 = u32::MAX;

pub struct Dict {
    /// Node `n`'s children are nodes `first[n] + 1 ..= first[n + 1]`
    /// (edge `e` leads to node `e + 1`); `first` has one entry per node plus one.
    first: Vec<u32>,
    /// `label[e]`: the char on edge `e`, sorted within each node's children.
    label: Vec<char>,
    /// `value[n]`: an index into `spans`, or `NONE`.
    value: Vec<u32>,
    /// Byte ranges of values in `text`.
    spans: Vec<(u32, u32)>,
    text: String,
    /// All candidates (default first) of the few nodes whose dictionary line had
    /// several values, sorted by node.
    candidates: Vec<(u32, Vec<String>)>,
}

/// One key as read: its value and, for a line with several, all its candidates.
struct Entry<'a> {
    key: &'a str,
    value: &'a str,
    candidates: Option<Vec<&'a str>>,
}

impl Dict {
    /// Build a dictionary from raw OpenCC `.txt` dictionary text.
    ///
    /// Lines are `key<TAB>value` or `key<TAB>value1 value2 ...`. The first
    /// value is the default (used by the hot path). All values are kept for
    /// `longest_prefix_multi` callers (n-gram disambig).
    pub fn from_text(raw: &str) -> Self {
        let mut entries = Vec::new();
        for line in raw.lines() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, vals)) = line.split_once('\t') else {
                continue;
            };
            let mut iter = vals.split_whitespace();
            let Some(first) = iter.next() else {
                continue;
            };
            let all: Vec<&str> = std::iter::once(first).chain(iter).collect();
            entries.push(Entry {
                key,
                value: first,
                candidates: (all.len() > 1).then_some(all),
            });
        }
        Self::build(entries)
    }

    /// Merge a patch overlay onto a base dictionary text, then build a
    /// `Dict`. The base is the upstream OpenCC `.txt` (single- or
    /// multi-value lines). The patches overlay has the same format; for
    /// any key present in both, the patch's value list **replaces** the
    /// base's value list (rather than appending), so a single-value base
    /// entry can be promoted to multi-value via a patch.
    ///
    /// Comment / blank lines in either file are ignored. This is the
    /// intended way to fix known FMM-bias limitations (e.g. turning
    /// "一出戏 → 一齣戲" into "一出戏 → 一齣戲 一出戲") without forking
    /// the upstream data directory.
    pub fn from_text_with_patches(base: &str, patches: &str) -> Self {
        let merged = merge_dict_patches(base, patches);
        Self::from_text(&merged)
    }

    /// Build a dictionary from explicit `(key, value)` entries (e.g. user
    /// custom words; later entries win on duplicate keys).
    pub fn from_entries(entries: &[(String, String)]) -> Self {
        Self::build(
            entries
                .iter()
                .map(|(k, v)| Entry {
                    key: k,
                    value: v,
                    candidates: None,
                })
                .collect(),
        )
    }

    /// Later entries win on a duplicate key: the last value, and the last
    /// candidate list given (as repeated inserts into a trie would leave them).
    fn build(mut entries: Vec<Entry<'_>>) -> Self {
        // Byte order of UTF-8 is code point order, so this sorts by chars;
        // the sort is stable, so duplicates keep their input order.
        entries.sort_by(|a, b| a.key.cmp(b.key));
        entries.dedup_by(|later, kept| {
            if later.key != kept.key {
                return false;
            }
            kept.value = later.value;
            if later.candidates.is_some() {
                kept.candidates = later.candidates.take();
            }
            true
        });
        let keys = entries;

        let mut d = Dict {
            first: Vec::new(),
            label: Vec::new(),
            value: vec![NONE],
            spans: Vec::new(),
            text: String::new(),
            candidates: Vec::new(),
        };
        // Per key: the node of its prefix so far and that prefix's byte length.
        let mut at: Vec<(u32, usize)> = vec![(0, 0); keys.len()];
        let mut parent: Vec<u32> = vec![0];
        let mut live: Vec<usize> = (0..keys.len())
            .filter(|&i| !keys[i].key.is_empty())
            .collect();
        // The empty key is the root's value.
        if let Some(i) = (0..keys.len()).find(|&i| keys[i].key.is_empty()) {
            d.set_value(0, &keys[i]);
        }
        while !live.is_empty() {
            // Nodes one level down, in order of their parents then chars: the
            // distinct prefixes one char longer, in sorted order.
            let mut prev: Option<(u32, char)> = None;
            let mut next = Vec::with_capacity(live.len());
            for &i in &live {
                let (node, len) = at[i];
                let key = keys[i].key;
                let ch = key[len..]
                    .chars()
                    .next()
                    .expect("a live key has chars left");
                if prev != Some((node, ch)) {
                    prev = Some((node, ch));
                    parent.push(node);
                    d.label.push(ch);
                    d.value.push(NONE);
                }
                let child = (parent.len() - 1) as u32;
                let len = len + ch.len_utf8();
                at[i] = (child, len);
                if len == key.len() {
                    d.set_value(child, &keys[i]);
                } else {
                    next.push(i);
                }
            }
            live = next;
        }
        // `parent` is sorted (breadth-first), so each node's children are one run.
        let nodes = parent.len();
        d.first = vec![0; nodes + 1];
        for &p in &parent[1..] {
            d.first[p as usize + 1] += 1;
        }
        for n in 0..nodes {
            d.first[n + 1] += d.first[n];
        }
        d.label.shrink_to_fit();
        d.value.shrink_to_fit();
        d.spans.shrink_to_fit();
        d.text.shrink_to_fit();
        d.candidates.shrink_to_fit();
        d
    }

    fn set_value(&mut self, node: u32, e: &Entry<'_>) {
        let start = self.text.len() as u32;
        self.text.push_str(e.value);
        self.spans.push((start, self.text.len() as u32));
        self.value[node as usize] = (self.spans.len() - 1) as u32;
        if let Some(all) = &e.candidates {
            // Nodes are set in increasing order, so this stays sorted.
            self.candidates
                .push((node, all.iter().map(|s| s.to_string()).collect()));
        }
    }

    fn value_of(&self, node: usize) -> Option<&str> {
        let v = self.value[node];
        if v == NONE {
            return None;
        }
        let (a, b) = self.spans[v as usize];
        Some(&self.text[a as usize..b as usize])
    }

    /// The child of `node` along `ch`.
    #[inline]
    fn child(&self, node: usize, ch: char) -> Option<usize> {
        let lo = self.first[node] as usize;
        let hi = self.first[node + 1] as usize;
        self.label[lo..hi]
            .binary_search(&ch)
            .ok()
            .map(|k| lo + k + 1)
    }

    /// Longest key that is a prefix of `text`. Returns the matched byte
    /// length and the default candidate value, or `None` if no key
    /// prefixes `text`.
    pub fn longest_prefix(&self, text: &str) -> Option<(usize, &str)> {
        let mut node = 0;
        let mut best: Option<(usize, &str)> = None;
        for (i, ch) in text.char_indices() {
            match self.child(node, ch) {
                Some(child) => {
                    if let Some(v) = self.value_of(child) {
                        best = Some((i + ch.len_utf8(), v));
                    }
                    node = child;
                }
                None => break,
            }
        }
        best
    }

    /// Longest-prefix match returning **all** candidate values, ordered
    /// default-first. Returns `None` if no key prefixes `text`; returns
    /// `Some((len, single))` for single-candidate matches; returns
    /// `Some((len, all))` for multi-candidate matches where `all.len() > 1`.
    ///
    /// `single` and `all` borrow from the dict; the caller can either
    /// emit the first value (fast path) or call into a language model to
    /// disambiguate.
    pub fn longest_prefix_multi<'a>(&'a self, text: &str) -> Option<(usize, Vec<&'a str>)> {
        let mut node = 0;
        let mut best: Option<(usize, Vec<&'a str>)> = None;
        for (i, ch) in text.char_indices() {
            match self.child(node, ch) {
                Some(child) => {
                    let multi = self
                        .candidates
                        .binary_search_by_key(&(child as u32), |(n, _)| *n)
                        .ok()
                        .map(|k| &self.candidates[k].1);
                    if let Some(cands) = multi {
                        best = Some((
                            i + ch.len_utf8(),
                            cands.iter().map(String::as_str).collect(),
                        ));
                    } else if let Some(v) = self.value_of(child) {
                        best = Some((i + ch.len_utf8(), vec![v]));
                    }
                    node = child;
                }
                None => break,
            }
        }
        best
    }
}

/// Group longest-prefix: the first (highest-priority) dictionary that has
/// any prefix of `text` wins, returning that dictionary's longest match.
/// Lower-priority longer matches never override a higher-priority shorter
/// match — the priority ordering dominates.
pub fn group_longest_prefix<'a>(group: &'a [Dict], text: &str) -> Option<(usize, &'a str)> {
    for dict in group {
        if let Some(m) = dict.longest_prefix(text) {
            return Some(m);
        }
    }
    None
}

/// Merge patch lines onto a base dictionary text. For each line in
/// `patches` of the form `key<TAB>value1 value2 ...`, the matching
/// (by key) line in `base` is replaced. Lines in `patches` with no
/// corresponding key in `base` are appended at the end. Comment lines
/// (`#`) and blank lines are ignored in both inputs.
pub(crate) fn merge_dict_patches(base: &str, patches: &str) -> String {
    use std::collections::HashSet;
    // Collect the set of keys being patched; their base lines are
    // dropped (then re-emitted from patches at the end of the output,
    // so the patch order is the source of truth for the value list).
    let mut patched_keys: HashSet<String> = HashSet::new();
    let mut patch_lines: Vec<String> = Vec::new();
    for line in patches.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((key, _vals)) = line.split_once('\t') {
            patched_keys.insert(key.to_string());
            patch_lines.push(line.to_string());
        }
    }
    // Emit the header comment of the base unchanged, then every base
    // line whose key is NOT being patched, then all patch lines.
    let mut out = String::new();
    for line in base.lines() {
        let line = line.trim_end_matches('\r');
        let key = line
            .split_once('\t')
            .map(|(k, _)| k)
            .filter(|k| !k.is_empty() && !k.starts_with('#'));
        let drop = matches!(key, Some(k) if patched_keys.contains(k));
        if drop {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    for line in &patch_lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Group longest-prefix with multi-value candidates (for n-gram disambig).
pub fn group_longest_prefix_multi<'a>(
    group: &'a [Dict],
    text: &str,
) -> Option<(usize, Vec<&'a str>)> {
    for dict in group {
        if let Some(m) = dict.longest_prefix_multi(text) {
            return Some(m);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_basic() {
        let d = Dict::from_entries(&[
            ("ab".to_string(), "AB".to_string()),
            ("abc".to_string(), "ABC".to_string()),
        ]);
        assert_eq!(d.longest_prefix("abcd"), Some((3, "ABC")));
        assert_eq!(d.longest_prefix("abx"), Some((2, "AB")));
        assert_eq!(d.longest_prefix("xb"), None);
    }

    #[test]
    fn arena_no_box() {
        // Smoke: a 2k-entry dict still works (and the absence of `Box` in
        // the source guarantees no per-node heap allocations).
        let entries: Vec<(String, String)> = (0..2000)
            .map(|i| (format!("汉字{i}"), format!("漢字{i}")))
            .collect();
        let d = Dict::from_entries(&entries);
        assert_eq!(d.longest_prefix("汉字0尾"), Some((7, "漢字0")));
    }

    #[test]
    fn later_duplicates_win() {
        let d = Dict::from_text("出\t出 齣\n出\t齣\n中国\t中國\n中\t中\n中国\t中國2\n");
        assert_eq!(d.longest_prefix("出门"), Some((3, "齣")));
        // The last candidate list given is kept, as repeated inserts left it.
        assert_eq!(d.longest_prefix_multi("出门"), Some((3, vec!["出", "齣"])));
        assert_eq!(d.longest_prefix("中国人"), Some((6, "中國2")));
        assert_eq!(d.longest_prefix("中间"), Some((3, "中")));
        let e = Dict::from_entries(&[
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
        ]);
        assert_eq!(e.longest_prefix("a"), Some((1, "2")));
    }

    #[test]
    fn every_key_found_among_many_siblings() {
        // Unsorted input, shared prefixes, keys that are prefixes of others.
        let mut entries = Vec::new();
        for i in (0..3000u32).rev() {
            let c = char::from_u32(0x4e00 + i * 7 % 3000).unwrap();
            entries.push((format!("{c}"), format!("v{i}")));
            entries.push((format!("{c}{c}x"), format!("w{i}")));
        }
        let d = Dict::from_entries(&entries);
        for (k, v) in &entries {
            assert_eq!(
                d.longest_prefix(&format!("{k}!")),
                Some((k.len(), v.as_str()))
            );
        }
        let c = char::from_u32(0x4e00).unwrap();
        assert_eq!(d.longest_prefix(&format!("{c}{c}y")), Some((3, "v0")));
        assert_eq!(d.longest_prefix(""), None);
    }

    #[test]
    fn multi_value_exposed() {
        // 出 -> 出 齣  (multi-value, default first)
        let raw = "出\t出 齣\n";
        let d = Dict::from_text(raw);
        let (len, cands) = d.longest_prefix_multi("出门").unwrap();
        assert_eq!(len, 3);
        assert_eq!(cands, vec!["出", "齣"]);
        // Default path still returns just first
        let (len, first) = d.longest_prefix("出门").unwrap();
        assert_eq!((len, first), (3, "出"));
    }

    #[test]
    fn single_value_no_multi() {
        // Single-value entries should still work and have cands.len() == 1
        let raw = "中\t中\n国\t國\n";
        let d = Dict::from_text(raw);
        let (len, cands) = d.longest_prefix_multi("中国").unwrap();
        assert_eq!(len, 3);
        assert_eq!(cands, vec!["中"]);
    }
}
