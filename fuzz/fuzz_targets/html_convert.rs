//! HTML conversion: never a panic; with the identity the output is the input byte for byte; with a
//! character swap, nothing but that character changes; and in built markup, attributes come out
//! byte-identical while text is converted.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use server::convert::map_html_text;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    raw: &'a str,
    pieces: Vec<(&'a str, &'a str)>,
}

fn swap(t: &str) -> String {
    t.replace('干', "幹")
}

/// `<p title="attr">text</p>…` with attribute and text escaped, text passed through `f`.
fn build(pieces: &[(&str, &str)], f: impl Fn(&str) -> String) -> String {
    let mut html = String::new();
    for (attr, text) in pieces {
        let attr = attr.replace('&', "&amp;").replace('"', "&quot;");
        let text = text.replace('&', "&amp;").replace('<', "&lt;");
        html.push_str(&format!("<p title=\"{attr}\">{}</p>", f(&text)));
    }
    html
}

fuzz_target!(|input: Input| {
    assert_eq!(map_html_text(input.raw, str::to_owned), input.raw);
    let swapped = map_html_text(input.raw, swap);
    assert_eq!(swapped.replace('幹', "干"), input.raw.replace('幹', "干"));
    let html = build(&input.pieces, str::to_owned);
    assert_eq!(map_html_text(&html, swap), build(&input.pieces, swap));
});
