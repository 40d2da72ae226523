//! Brotli for pages with per-response values, like [`crate::gzip`]: a page is compressed once, as
//! one stream, with a placeholder where each value goes and a flush (byte-aligned meta-block end)
//! before each placeholder and after it. A response is that stream with each placeholder's output
//! swapped for an uncompressed meta-block holding the value.
//!
//! Brotli's decoder state across meta-blocks is the window, the last four copy distances and the
//! last two bytes (the literal context). The value takes its placeholder's place in the window;
//! the swapped block also carries the two bytes after the placeholder, so the context after it is
//! the same whatever the value; and placeholders are made of bytes no page holds, each two-byte run
//! of them used once, so the encoder finds nothing to copy inside them (a copy would move the
//! distances). Every template is checked by decoding it with two unlike sets of values when made.

use crate::chunks::Chunker;
use axum::body::Bytes;
use std::io::Write;

/// Compressed parts at least this long are sent as they are; shorter ones are copied together
/// with the values around them.
const SHARE_FROM: usize = 256;

/// A page's parts, compressed, with the bytes that go after each value.
pub struct Template {
    /// `compressed[0]` opens the stream; `compressed[i]` follows value `i - 1` and its tail.
    compressed: Vec<Bytes>,
    /// The first two bytes of part `i + 1`, sent after value `i` in its block.
    tails: Vec<[u8; 2]>,
    lens: Vec<usize>,
}

/// Longest value between two parts (one meta-block of at most 65,536 bytes, with its tail).
pub const MAX_VALUE: usize = 65_534;

/// What placeholders are made of: bytes that never occur in UTF-8 text, and control characters
/// that HTML text does not hold.
const ALPHABET: [u8; 39] = [
    0xc0, 0xc1, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff, 0x01, 0x02, 0x03,
    0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
    0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
];

/// The smallest window (log2 bytes, 17–24) that holds `len` bytes: no worse than a larger one for
/// a page that fits, and a fraction of the memory on both sides (brotli's default, 22, makes
/// quality 11 allocate 32 MiB). Not 16: there the encoder's hasher for qualities 5–9 takes 32 MiB.
fn window(len: usize) -> u32 {
    // A window of 2^w bytes holds 2^w - 16.
    (17..24).find(|w| (1usize << w) - 16 >= len).unwrap_or(24)
}

impl Template {
    /// Compresses `parts` (at `quality`, 0–11) around placeholders of `lens[i]` bytes; `None` if
    /// that cannot be done so that any values decode right (a part between values shorter than
    /// two bytes, placeholders longer than the alphabet allows, a page holding their bytes).
    pub fn new(parts: &[Bytes], lens: &[usize], quality: u32) -> Option<Self> {
        if lens.len() + 1 != parts.len()
            || lens.iter().any(|&n| n > MAX_VALUE)
            || parts[1..].iter().any(|p| p.len() < 2)
        {
            return None;
        }
        let mut holders = placeholders(lens)?.into_iter();
        let total = parts.iter().map(Bytes::len).sum::<usize>() + lens.iter().sum::<usize>();
        let mut w = brotli::CompressorWriter::new(Vec::new(), 4096, quality, window(total));
        let mut cuts = Vec::with_capacity(parts.len() * 2);
        let mut tails = Vec::with_capacity(lens.len());
        for (i, p) in parts.iter().enumerate() {
            let body = if i == 0 { &p[..] } else { &p[2..] };
            w.write_all(body).ok()?;
            if i + 1 < parts.len() {
                w.flush().ok()?;
                cuts.push(w.get_ref().len());
                let next = &parts[i + 1];
                let tail = [next[0], next[1]];
                w.write_all(&holders.next()?).ok()?;
                w.write_all(&tail).ok()?;
                w.flush().ok()?;
                cuts.push(w.get_ref().len());
                tails.push(tail);
            }
        }
        let all = w.into_inner();
        let mut compressed = Vec::with_capacity(parts.len());
        let mut from = 0;
        for pair in cuts.chunks(2) {
            compressed.push(Bytes::copy_from_slice(&all[from..pair[0]]));
            from = pair[1];
        }
        compressed.push(Bytes::copy_from_slice(&all[from..]));
        let t = Template {
            compressed,
            tails,
            lens: lens.to_vec(),
        };
        for fill in [b'#', b'~'] {
            let values: Vec<Vec<u8>> = lens.iter().map(|&n| vec![fill; n]).collect();
            let values: Vec<&[u8]> = values.iter().map(Vec::as_slice).collect();
            let mut want = Vec::with_capacity(parts.iter().map(Bytes::len).sum());
            for (i, p) in parts.iter().enumerate() {
                want.extend_from_slice(p);
                if let Some(v) = values.get(i) {
                    want.extend_from_slice(v);
                }
            }
            if decode(&t.render(&values)?)? != want {
                return None;
            }
        }
        Some(t)
    }

    /// The compressed pieces, the tails and the value lengths, to write down.
    pub fn pieces(&self) -> (&[Bytes], &[[u8; 2]], &[usize]) {
        (&self.compressed, &self.tails, &self.lens)
    }

    /// A template from what [`Self::pieces`] gave, if the pieces fit together.
    pub fn from_pieces(
        compressed: Vec<Bytes>,
        tails: Vec<[u8; 2]>,
        lens: Vec<usize>,
    ) -> Option<Self> {
        (compressed.len() == lens.len() + 1 && tails.len() == lens.len()).then_some(Template {
            compressed,
            tails,
            lens,
        })
    }

    /// Whether this template was made for values of these lengths.
    pub fn fits(&self, lens: &[usize]) -> bool {
        self.lens == lens
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.compressed.iter().map(|c| c.len() + 40).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.compressed.is_empty()
    }

    /// The brotli stream with `values[i]` after part `i`, as chunks to send (the compressed parts
    /// shared, the short pieces between them copied together). `None` unless each value has its
    /// placeholder's length.
    pub fn render(&self, values: &[&[u8]]) -> Option<Vec<Bytes>> {
        if values.len() != self.lens.len()
            || self.lens.iter().zip(values).any(|(n, v)| *n != v.len())
        {
            return None;
        }
        let mut chunks = Chunker::new(SHARE_FROM, 64);
        for (i, part) in self.compressed.iter().enumerate() {
            if i > 0 {
                let v = values[i - 1];
                chunks.copy(&uncompressed_header(v.len() + 2));
                chunks.copy(v);
                chunks.copy(&self.tails[i - 1]);
            }
            chunks.part(part);
        }
        Some(chunks.finish())
    }
}

/// A meta-block header (RFC 7932 §9.2): not last, four nibbles of length, uncompressed; three
/// bytes, the last bits zero.
fn uncompressed_header(len: usize) -> [u8; 3] {
    debug_assert!((1..=65_536).contains(&len));
    let bits = (((len - 1) as u32) << 3) | (1 << 19);
    [bits as u8, (bits >> 8) as u8, (bits >> 16) as u8]
}

/// One placeholder per length, cut from a walk over [`ALPHABET`] that uses each ordered pair of
/// its bytes at most once (so no two-byte run repeats across all of them).
fn placeholders(lens: &[usize]) -> Option<Vec<Vec<u8>>> {
    let walk = de_bruijn();
    let total: usize = lens.iter().sum();
    // Placeholders are cut apart, so the pairs across cuts are not used: one byte lost per cut.
    if total + lens.len() > walk.len() {
        return None;
    }
    let mut from = 0;
    let mut out = Vec::with_capacity(lens.len());
    for &n in lens {
        out.push(walk[from..from + n].to_vec());
        from += n + 1;
    }
    Some(out)
}

/// A de Bruijn sequence of order two over [`ALPHABET`] (every ordered pair once).
fn de_bruijn() -> Vec<u8> {
    let k = ALPHABET.len();
    // Lyndon words of length ≤ 2 in order (the FKM construction).
    let mut seq = Vec::with_capacity(k * k + 1);
    for a in 0..k {
        seq.push(a);
        for b in a + 1..k {
            seq.push(a);
            seq.push(b);
        }
    }
    seq.push(0);
    seq.into_iter().map(|i| ALPHABET[i]).collect()
}

fn decode(chunks: &[Bytes]) -> Option<Vec<u8>> {
    use std::io::Read;
    let all: Vec<u8> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
    let mut out = Vec::new();
    brotli::Decompressor::new(&all[..], 4096)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_holds_the_page_and_no_more() {
        assert_eq!(window(0), 17);
        assert_eq!(window((1 << 17) - 16), 17);
        assert_eq!(window((1 << 17) - 15), 18);
        assert_eq!(window(1 << 30), 24);
        // A page larger than the smallest window compresses, and decodes (`new` checks).
        let big = Bytes::from("全面推进乡村振兴。".repeat(1 << 17 >> 4));
        let parts = [big.clone(), big];
        assert!(Template::new(&parts, &[3], 5).is_some());
    }

    #[test]
    fn every_pair_once() {
        let s = de_bruijn();
        let k = ALPHABET.len();
        assert_eq!(s.len(), k * k + 1);
        let pairs: std::collections::HashSet<_> = s.windows(2).collect();
        assert_eq!(pairs.len(), k * k);
    }

    #[test]
    fn parts_and_values_come_back_whole() {
        let body = "正文，全面推进乡村振兴。".repeat(400);
        let parts = [
            "<html><head><script nonce=\"".to_owned(),
            "\"></script><script nonce=\"".to_owned(),
            format!("\"></script></head><body>{body}<p>浏览 "),
            format!("</p><script>data({body}, views: "),
            "})</script></body></html>".to_owned(),
        ];
        let bytes: Vec<Bytes> = parts.iter().map(|p| Bytes::from(p.clone())).collect();
        for (nonce, count) in [
            ("-wDrxFGV7mnhHUpEORXVtQ", "7"),
            ("abcdefghijklmnopqrstuv", "123"),
        ] {
            let lens = [nonce.len(), nonce.len(), count.len(), count.len()];
            let t = Template::new(&bytes, &lens, 9).unwrap();
            let values = [nonce, nonce, count, count].map(str::as_bytes);
            let got = decode(&t.render(&values).unwrap()).unwrap();
            let mut want = String::new();
            for (i, p) in parts.iter().enumerate() {
                want.push_str(p);
                if let Some(v) = values.get(i) {
                    want.push_str(std::str::from_utf8(v).unwrap());
                }
            }
            assert_eq!(String::from_utf8(got).unwrap(), want);
            let size: usize = t.render(&values).unwrap().iter().map(Bytes::len).sum();
            assert!(size < 1_000, "compressed: {size} bytes");
            assert!(
                t.render(&[b"x", b"y", b"z", b"w"]).is_none(),
                "wrong lengths"
            );
            assert!(t.fits(&lens) && !t.fits(&[1, 2, 3, 4]));
        }
    }

    #[test]
    fn refused_where_it_cannot_hold() {
        let p = |s: &'static [u8]| Bytes::from_static(s);
        // A part between values shorter than its tail.
        assert!(Template::new(&[p(b"ab"), p(b"c"), p(b"de")], &[3, 3], 5).is_none());
        // More placeholder bytes than the walk has.
        assert!(Template::new(&[p(b"a"), p(b"bc")], &[2_000], 5).is_none());
    }

    #[test]
    fn a_page_holding_placeholder_bytes_decodes_right_or_gets_none() {
        let holder = placeholders(&[8]).unwrap().remove(0);
        let text = "<p>正文</p>".repeat(50);
        let first = [text.as_bytes(), &holder, &holder[..4], text.as_bytes()].concat();
        let parts = [Bytes::from(first), Bytes::from(format!("\">{text}{text}"))];
        let mut made = 0;
        for q in [5, 9, 11] {
            if let Some(t) = Template::new(&parts, &[8], q) {
                let got = decode(&t.render(&[b"12345678"]).unwrap()).unwrap();
                assert_eq!(got, [&parts[0][..], b"12345678", &parts[1][..]].concat());
                made += 1;
            }
        }
        // Not only refusals: at least one quality makes a template of such a page.
        assert!(made > 0);
    }

    #[test]
    fn long_values_and_no_values() {
        let t = Template::new(&[Bytes::from_static(b"<p>")], &[], 5).unwrap();
        assert_eq!(decode(&t.render(&[]).unwrap()).unwrap(), b"<p>");
        let parts = [Bytes::from_static(b"a"), Bytes::from_static(b"bc")];
        let t = Template::new(&parts, &[22], 11).unwrap();
        let v = [b'z'; 22];
        assert_eq!(
            decode(&t.render(&[&v]).unwrap()).unwrap(),
            [b"a".as_slice(), &v, b"bc"].concat()
        );
    }
}
