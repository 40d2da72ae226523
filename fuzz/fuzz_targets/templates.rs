//! The brotli and gzip templates: parts compressed once around placeholders. Whenever one is made,
//! every set of values of its lengths decodes to the parts with those values between them.
#![no_main]
use arbitrary::Arbitrary;
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use std::io::Read;

#[derive(Arbitrary, Debug)]
struct Input {
    parts: Vec<Vec<u8>>,
    values: Vec<Vec<u8>>,
    quality: u8,
}

fn page(parts: &[Bytes], values: &[&[u8]]) -> Vec<u8> {
    let mut out = parts[0].to_vec();
    for (v, p) in values.iter().zip(&parts[1..]) {
        out.extend_from_slice(v);
        out.extend_from_slice(p);
    }
    out
}

fn concat(chunks: &[Bytes]) -> Vec<u8> {
    chunks.iter().flat_map(|c| c.iter().copied()).collect()
}

fuzz_target!(|input: Input| {
    let n = input.parts.len().min(input.values.len() + 1).min(8);
    if n == 0 {
        return;
    }
    let parts: Vec<Bytes> = input.parts[..n].iter().map(|p| Bytes::from(p.clone())).collect();
    let values: Vec<&[u8]> = input.values[..n - 1].iter().map(|v| &v[..v.len().min(24)]).collect();
    let lens: Vec<usize> = values.iter().map(|v| v.len()).collect();
    let want = page(&parts, &values);

    if let Some(t) = server::br::Template::new(&parts, &lens, u32::from(input.quality % 6)) {
        let chunks = t.render(&values).expect("values of the template's lengths");
        let mut got = Vec::new();
        brotli::Decompressor::new(&concat(&chunks)[..], 4096)
            .read_to_end(&mut got)
            .expect("a brotli stream");
        assert_eq!(got, want);
    }
    if let Some(t) = server::gzip::Template::new(&parts, &lens, u32::from(input.quality % 10)) {
        let chunks = t.render(&values).expect("values of the template's lengths");
        let mut got = Vec::new();
        flate2::read::GzDecoder::new(&concat(&chunks)[..])
            .read_to_end(&mut got)
            .expect("a gzip stream");
        assert_eq!(got, want);
    }
});
