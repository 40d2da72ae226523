//! Deterministic synthetic articles for benchmarks: realistic Chinese text, ~2–5 KB per article.

use serde_json::json;
use std::io::Write;

const SEED_BODY: &str = include_str!("../data/meizhou-article.jsonl");

/// A small, fixed pseudo-random sequence (SplitMix64): the same file on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentences() -> Vec<String> {
    let seed: serde_json::Value =
        serde_json::from_str(SEED_BODY.lines().next().unwrap_or("{}")).unwrap_or_default();
    let text = crate::import::summary(seed["body_html"].as_str().unwrap_or(""), usize::MAX);
    text.split_inclusive(['。', '!', ';'])
        .map(|s| s.trim().to_owned())
        .filter(|s| s.chars().count() > 8)
        .collect()
}

/// Writes `count` articles spread over `channels` channels in 5 departments, as import JSONL.
pub fn write(out: &mut impl Write, count: usize, channels: usize) -> std::io::Result<()> {
    let pool = sentences();
    let mut rng = Rng(42);
    let channels = channels.max(1);
    let start = 1_577_808_000i64; // 2020-01-01T00:00:00+08:00
    for i in 0..count {
        let ch = i % channels;
        let paragraphs = 3 + rng.below(4);
        let mut body = String::new();
        for _ in 0..paragraphs {
            body.push_str("<p>");
            for _ in 0..2 + rng.below(3) {
                body.push_str(&pool[rng.below(pool.len())]);
            }
            body.push_str("</p>");
        }
        let t = start + (i as i64) * 600 + rng.below(300) as i64;
        let published = chrono::DateTime::from_timestamp(t, 0)
            .unwrap_or_default()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset"));
        let title: String = pool[rng.below(pool.len())].chars().take(24).collect();
        let line = json!({
            "id": format!("bench-{i:06}"),
            "site": "梅州市人民政府门户网站",
            "department": format!("基准测试部门{}", ch % 5 + 1),
            "channel": format!("基准栏目{}", ch + 1),
            "channel_slug": format!("bench-{}", ch + 1),
            "title": format!("{title}({i})"),
            "source": "基准测试",
            "published_at": published.to_rfc3339(),
            "body_html": body,
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_articles_import_and_are_deterministic() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        super::write(&mut a, 30, 4).unwrap();
        super::write(&mut b, 30, 4).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        let parsed = crate::import::parse(&text).unwrap();
        assert_eq!(parsed.len(), 30);
        let avg = text.len() / 30;
        assert!((1500..6000).contains(&avg), "{avg} bytes per line");
    }
}
