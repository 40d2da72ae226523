//! Gzip for pages with per-response values: a page is deflated once, as one stream, with a
//! placeholder of each value's length where the value goes, and a sync flush before and after each
//! placeholder. A response is that stream with each placeholder's output swapped for the response's
//! value as a stored (uncompressed) deflate block, and a CRC-32 assembled from the parts'
//! precomputed terms: a few short copies and, per part, one 32 × 32 bit matrix step.
//!
//! Later parts may refer back into earlier ones (the page's hydration data repeats its text), since
//! the value takes exactly its placeholder's place. Nothing may refer into a placeholder: its bytes
//! never occur in a page, and every template is checked by decoding it once when it is made.

use crate::chunks::Chunker;
use axum::body::Bytes;

/// Compressed parts at least this long are sent as they are; shorter ones are copied together
/// with the values around them.
const SHARE_FROM: usize = 256;

/// A page's parts, deflated, with what each adds to the CRC.
pub struct Template {
    parts: Vec<Part>,
    /// The length of the value between each two parts.
    lens: Vec<usize>,
}

struct Part {
    deflated: Bytes,
    len: u64,
    /// The CRC register after this part, starting from zero.
    term: u32,
    /// The register shifted by this part's length: `shift · r`, a GF(2) matrix by columns.
    shift: [u32; 32],
}

/// The gzip header (RFC 1952): deflate, no name, no time, unknown OS.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// The last block: stored, empty, final.
const END: [u8; 5] = [1, 0, 0, 0xff, 0xff];
/// Longest value between two parts (one stored block).
pub const MAX_VALUE: usize = u16::MAX as usize;

impl Template {
    /// Deflates `parts` (at `level`, 0–9) around placeholders of `lens[i]` bytes; `None` if the
    /// result does not decode to the page (a part holding placeholder bytes, say).
    pub fn new(parts: &[Bytes], lens: &[usize], level: u32) -> Option<Self> {
        if lens.len() + 1 != parts.len() || lens.iter().any(|&n| n > MAX_VALUE) {
            return None;
        }
        let mut z = flate2::Compress::new(flate2::Compression::new(level), false);
        let mut out = Vec::with_capacity(parts.len());
        for (i, p) in parts.iter().enumerate() {
            out.push(Part {
                deflated: Bytes::from(deflate(&mut z, p)?),
                len: p.len() as u64,
                term: crc_update(0, p),
                shift: zeros_operator(p.len() as u64),
            });
            if let Some(&n) = lens.get(i) {
                deflate(&mut z, &vec![PLACEHOLDER; n])?;
            }
        }
        let t = Template {
            parts: out,
            lens: lens.to_vec(),
        };
        // Checked once with values unlike the placeholder.
        let values: Vec<Vec<u8>> = lens.iter().map(|&n| vec![b'#'; n]).collect();
        let values: Vec<&[u8]> = values.iter().map(Vec::as_slice).collect();
        let mut want = Vec::with_capacity(parts.iter().map(Bytes::len).sum());
        for (i, p) in parts.iter().enumerate() {
            want.extend_from_slice(p);
            if let Some(v) = values.get(i) {
                want.extend_from_slice(v);
            }
        }
        (gunzip(&t.render(&values)?)? == want).then_some(t)
    }

    /// Whether this template was made for values of these lengths.
    pub fn fits(&self, lens: &[usize]) -> bool {
        self.lens == lens
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.deflated.len() + 140).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The gzip stream of the parts with `values[i]` between part `i` and part `i + 1`, as the
    /// chunks to send: the deflated parts shared, the short pieces between them copied together.
    /// `None` unless each value has its placeholder's length.
    pub fn render(&self, values: &[&[u8]]) -> Option<Vec<Bytes>> {
        if values.len() != self.lens.len()
            || self.lens.iter().zip(values).any(|(n, v)| *n != v.len())
        {
            return None;
        }
        let mut chunks = Chunker::new(SHARE_FROM, 64);
        chunks.copy(&HEADER);
        let mut crc = !0u32;
        let mut size = 0u64;
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                let v = values[i - 1];
                let n = v.len() as u16;
                chunks.copy(&[0]);
                chunks.copy(&n.to_le_bytes());
                chunks.copy(&(!n).to_le_bytes());
                chunks.copy(v);
                crc = crc_update(crc, v);
                size += v.len() as u64;
            }
            crc = apply(&part.shift, crc) ^ part.term;
            size += part.len;
            chunks.part(&part.deflated);
        }
        chunks.copy(&END);
        chunks.copy(&(!crc).to_le_bytes());
        chunks.copy(&(size as u32).to_le_bytes());
        Some(chunks.finish())
    }
}

/// A byte no page holds (NUL): what placeholders are made of.
const PLACEHOLDER: u8 = 0;

/// Deflates `input` on `z`'s stream and sync-flushes (byte-aligned, not final).
fn deflate(z: &mut flate2::Compress, input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    let start = z.total_in();
    loop {
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(1024));
        }
        let done = (z.total_in() - start) as usize;
        z.compress_vec(&input[done..], &mut out, flate2::FlushCompress::Sync)
            .ok()?;
        // The flush is complete once all input is in and the output was not filled.
        if (z.total_in() - start) as usize == input.len() && out.len() < out.capacity() {
            return Some(out);
        }
    }
}

fn gunzip(chunks: &[Bytes]) -> Option<Vec<u8>> {
    use std::io::Read;
    let all: Vec<u8> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&all[..])
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// CRC-32 (IEEE, reflected) register update, without the final inversion.
fn crc_update(mut r: u32, data: &[u8]) -> u32 {
    for &b in data {
        r = TABLE[((r ^ u32::from(b)) & 0xff) as usize] ^ (r >> 8);
    }
    r
}

const POLY: u32 = 0xedb8_8320;

const TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut r = i as u32;
        let mut k = 0;
        while k < 8 {
            r = if r & 1 == 1 { (r >> 1) ^ POLY } else { r >> 1 };
            k += 1;
        }
        t[i] = r;
        i += 1;
    }
    t
};

/// `m · v` over GF(2), `m` by columns.
fn apply(m: &[u32; 32], mut v: u32) -> u32 {
    let mut out = 0;
    let mut i = 0;
    while v != 0 {
        if v & 1 == 1 {
            out ^= m[i];
        }
        v >>= 1;
        i += 1;
    }
    out
}

fn compose(a: &[u32; 32], b: &[u32; 32]) -> [u32; 32] {
    let mut out = [0; 32];
    for (o, col) in out.iter_mut().zip(b) {
        *o = apply(a, *col);
    }
    out
}

/// What feeding `n` zero bytes does to the CRC register (a linear map), by squaring.
fn zeros_operator(mut n: u64) -> [u32; 32] {
    let mut byte = [0u32; 32];
    for (i, col) in byte.iter_mut().enumerate() {
        *col = crc_update(1 << i, &[0]);
    }
    let mut result = [0u32; 32];
    for (i, col) in result.iter_mut().enumerate() {
        *col = 1 << i;
    }
    while n > 0 {
        if n & 1 == 1 {
            result = compose(&byte, &result);
        }
        byte = compose(&byte, &byte);
        n >>= 1;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(parts: &[&str], values: &[&str]) -> String {
        let mut s = String::new();
        for (i, p) in parts.iter().enumerate() {
            s.push_str(p);
            if let Some(v) = values.get(i) {
                s.push_str(v);
            }
        }
        s
    }

    #[test]
    fn parts_and_values_come_back_whole() {
        let body = "正文，全面推进乡村振兴。".repeat(400);
        let head = "<html><head><script nonce=\"";
        let parts = [
            head.to_owned(),
            format!("\"></script></head><body>{body}<p>浏览 "),
            format!("</p><script>data({body}, views: "),
            "})</script></body></html>".to_owned(),
        ];
        let bytes: Vec<Bytes> = parts.iter().map(|p| Bytes::from(p.clone())).collect();
        let strs: Vec<&str> = parts.iter().map(String::as_str).collect();
        for (nonce, count) in [
            ("-wDrxFGV7mnhHUpEORXVtQ", "7"),
            ("abcdefghijklmnopqrstuv", "123"),
        ] {
            let t = Template::new(&bytes, &[nonce.len(), count.len(), count.len()], 6).unwrap();
            let values = [nonce.as_bytes(), count.as_bytes(), count.as_bytes()];
            let got = gunzip(&t.render(&values).unwrap()).expect("valid gzip, CRC and length");
            assert_eq!(
                String::from_utf8(got).unwrap(),
                page(&strs, &[nonce, count, count])
            );
            // The second copy of the text refers back to the first across the values.
            let size: usize = t.render(&values).unwrap().iter().map(Bytes::len).sum();
            assert!(size < 1_000, "compressed: {size} bytes");
            assert!(
                t.render(&[nonce.as_bytes(), b"12345678", count.as_bytes()])
                    .is_none(),
                "wrong length"
            );
            assert!(t.fits(&[nonce.len(), count.len(), count.len()]) && !t.fits(&[1, 2, 3]));
        }
    }

    #[test]
    fn a_page_holding_placeholder_bytes_gets_no_template() {
        let parts = [
            Bytes::from_static(b"a\0\0\0\0b"),
            Bytes::from_static(b"\0\0\0\0c"),
        ];
        assert!(Template::new(&parts, &[4], 6).is_none());
    }

    #[test]
    fn empty_and_single_parts() {
        let t = Template::new(&[Bytes::new()], &[], 6).unwrap();
        assert_eq!(gunzip(&t.render(&[]).unwrap()).unwrap(), b"");
        let t = Template::new(&[Bytes::new(), Bytes::new()], &[65_535], 1).unwrap();
        let big = vec![0xffu8; 65_535];
        assert_eq!(gunzip(&t.render(&[&big]).unwrap()).unwrap(), big);
        assert!(t.render(&[]).is_none(), "one value for two parts");
        assert!(Template::new(&[Bytes::new(), Bytes::new()], &[65_536], 1).is_none());
    }

    #[test]
    fn the_crc_steps_match_a_straight_crc() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        let (a, b) = data.split_at(3_333);
        let whole = crc_update(!0, &data);
        let stepped = apply(&zeros_operator(b.len() as u64), crc_update(!0, a)) ^ crc_update(0, b);
        assert_eq!(whole, stepped);
        let mut h = crc32fast::Hasher::new();
        h.update(&data);
        assert_eq!(!whole, h.finalize());
    }
}
