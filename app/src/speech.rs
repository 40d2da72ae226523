//! The reading behind 朗读: what the controls and the reading share (`Speech`, `Command`, the
//! generation that ends a reading), the text rules (sentences, voices by language), and, in the
//! browser, the reading itself (in the 朗读 control's split chunk, loaded when a reader first
//! presses it): the article's text as it is on screen — title, 来源 / 时间, then the body in reading
//! order — cut into sentences short enough for every engine (Chrome cuts an utterance after about
//! 14 s), each spoken in turn by a voice of exactly the variant's language, highlighted (CSS Custom
//! Highlight API: the page's nodes are not touched) and scrolled into view.

use crate::reader::{HkVoice, SpeechPrefs};
use crate::ui::Ui;
use crate::variant::Variant;
use leptos::prelude::*;

/// Where the reading stands, as the controls show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Playing {
    #[default]
    Stopped,
    Reading,
    Paused,
}

/// What the controls ask of the reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Play,
    Pause,
    Resume,
    Stop,
    Previous,
    Next,
    PreviousParagraph,
    NextParagraph,
}

/// The control's state, shared with the reading.
#[derive(Clone, Copy)]
pub struct Speech {
    pub playing: RwSignal<Playing>,
    /// Said in the status line (no voice for the language, say).
    pub status: RwSignal<String>,
    /// The messages the reading may show, in the reader's variant.
    pub ui: StoredValue<Ui>,
    /// The reader's 朗读 choices (rate, Hong Kong voice), read as each sentence starts.
    pub prefs: RwSignal<SpeechPrefs>,
}

/// The name of the highlight (`::highlight(reading)` in the stylesheet) on the sentence being read.
pub const HIGHLIGHT: &str = "reading";

/// The current reading, as a generation that a stop moves: the utterances of an older one, ended
/// by a stop, go no further.
#[cfg(feature = "hydrate")]
pub mod current {
    use std::cell::Cell;

    thread_local! {
        static GENERATION: Cell<u32> = const { Cell::new(0) };
    }

    pub fn generation() -> u32 {
        GENERATION.get()
    }

    /// Ends the reading: a new generation, nothing queued, no highlight.
    pub fn stop() -> u32 {
        let next = GENERATION.get().wrapping_add(1);
        GENERATION.set(next);
        if let Ok(synth) = leptos::prelude::window().speech_synthesis() {
            synth.cancel();
        }
        clear_highlight();
        next
    }

    /// Removes the highlight of the sentence being read.
    pub fn clear_highlight() {
        use wasm_bindgen::JsValue;
        let window = leptos::prelude::window();
        let highlights = js_sys::Reflect::get(&window, &JsValue::from_str("CSS"))
            .and_then(|css| js_sys::Reflect::get(&css, &JsValue::from_str("highlights")));
        if let Ok(highlights) = highlights
            && !highlights.is_undefined()
            && let Ok(delete) = js_sys::Reflect::get(&highlights, &JsValue::from_str("delete"))
            && let Ok(delete) = delete.dyn_into::<js_sys::Function>()
        {
            let _ = delete.call1(&highlights, &JsValue::from_str(super::HIGHLIGHT));
        }
    }

    use wasm_bindgen::JsCast;
}

/// The longest sentence spoken as one utterance, in characters (about 10 s of Mandarin at the
/// default rate, under Chrome's cut at about 14 s).
pub const MAX_CHARS: usize = 40;

/// The languages a variant is read in, first choice first (`lang` of its utterances); Hong Kong
/// text in Cantonese unless the reader chose Mandarin.
pub fn languages(v: Variant, hk: HkVoice) -> &'static [&'static str] {
    match (v, hk) {
        (Variant::Hans, _) => &["zh-CN"],
        (Variant::Tw, _) => &["zh-TW"],
        (Variant::Hk, HkVoice::Cantonese) => &["zh-HK"],
        (Variant::Hk, HkVoice::Mandarin) => &["zh-CN", "zh-TW"],
        (Variant::Hant, _) => &["zh-TW", "zh-HK"],
    }
}

/// Whether a voice's `lang` is `tag` (`zh-CN`, `zh-TW` or `zh-HK`), by the exact region (and the
/// spellings engines use for it), never by `zh` alone.
pub fn speaks(voice_lang: &str, tag: &str) -> bool {
    let lang = voice_lang.replace('_', "-").to_ascii_lowercase();
    let same: &[&str] = match tag {
        "zh-CN" => &["zh-cn", "cmn-cn", "cmn-hans-cn", "zh-hans-cn"],
        "zh-TW" => &["zh-tw", "cmn-tw", "cmn-hant-tw", "zh-hant-tw"],
        "zh-HK" => &["zh-hk", "yue-hk", "yue-hant-hk", "zh-hant-hk", "yue"],
        _ => &[],
    };
    same.contains(&lang.as_str())
}

/// `text` cut into sentences: at 。！？；!?; and line ends, then any longer than [`MAX_CHARS`] at
/// a comma or pause mark, else by length. Each is (start, end) in UTF-16 units of `text`, trimmed.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    const ENDS: &[char] = &['。', '！', '？', '；', '!', '?', ';', '\n'];
    const PAUSES: &[char] = &['，', '、', '：', ',', ':', '）', '”'];
    let chars: Vec<(usize, char)> = {
        let mut at = 0;
        text.chars()
            .map(|c| {
                let here = at;
                at += c.len_utf16();
                (here, c)
            })
            .collect()
    };
    let end_of = |i: usize| {
        chars
            .get(i)
            .map_or_else(|| text.encode_utf16().count(), |c| c.0)
    };
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize| {
        // Trim whitespace at both ends.
        let (mut a, mut b) = (from, to);
        while a < b && chars[a].1.is_whitespace() {
            a += 1;
        }
        while b > a && chars[b - 1].1.is_whitespace() {
            b -= 1;
        }
        if a < b {
            out.push((a, b));
        }
    };
    let mut start = 0;
    let mut last_pause = None;
    for (i, &(_, c)) in chars.iter().enumerate() {
        if PAUSES.contains(&c) {
            last_pause = Some(i + 1);
        }
        if ENDS.contains(&c) {
            push(start, i + 1);
            start = i + 1;
            last_pause = None;
        } else if i + 1 - start >= MAX_CHARS {
            let cut = last_pause.filter(|&p| p > start).unwrap_or(i + 1);
            push(start, cut);
            start = cut;
            last_pause = None;
        }
    }
    push(start, chars.len());
    out.into_iter()
        .map(|(a, b)| (end_of(a), end_of(b)))
        .collect()
}

/// Where a skip goes from sentence `at`, given each sentence's paragraph: the next or previous
/// sentence, or the first sentence of the next or previous paragraph (`paras.len()`: past the end,
/// the reading ends). `None` for a command that does not skip.
pub fn skip(paras: &[usize], at: usize, cmd: Command) -> Option<usize> {
    let para = |i: usize| paras.get(i).copied();
    // The first sentence of the paragraph sentence `i` is in.
    let start = |i: usize| {
        let mut j = i;
        while j > 0 && para(j - 1) == para(i) {
            j -= 1;
        }
        j
    };
    Some(match cmd {
        Command::Next => at + 1,
        Command::Previous => at.saturating_sub(1),
        Command::NextParagraph => (at + 1..paras.len())
            .find(|&j| para(j) != para(at))
            .unwrap_or(paras.len()),
        Command::PreviousParagraph => start(start(at).saturating_sub(1)),
        _ => return None,
    })
}

#[cfg(feature = "hydrate")]
pub use browser::{command, point};

#[cfg(feature = "hydrate")]
mod browser {
    use super::{Command, HIGHLIGHT, Playing, Speech, current};
    use super::{languages, sentences, skip, speaks};
    use crate::reader::HkVoice;
    use crate::ui::T;
    use crate::variant::Variant;
    use leptos::prelude::*;
    use std::cell::RefCell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    /// One sentence: its text, where it is on the page, and which paragraph it is in.
    struct Sentence {
        text: String,
        range: web_sys::Range,
        para: usize,
    }

    struct Reading {
        sentences: Vec<Sentence>,
        at: usize,
        voice: web_sys::SpeechSynthesisVoice,
        lang: &'static str,
        speech: Speech,
    }

    thread_local! {
        static READING: RefCell<Option<Reading>> = const { RefCell::new(None) };
    }

    /// Carries out `cmd` (from the 朗读 controls).
    pub async fn command(speech: Speech, cmd: Command, variant: Variant) {
        let Ok(synth) = window().speech_synthesis() else {
            return;
        };
        match cmd {
            Command::Play => play(speech, variant).await,
            Command::Pause => {
                synth.pause();
                speech.playing.try_set(Playing::Paused);
            }
            Command::Resume => {
                synth.resume();
                speech.playing.try_set(Playing::Reading);
            }
            Command::Stop => {
                current::stop();
                READING.set(None);
                speech.playing.try_set(Playing::Stopped);
            }
            Command::Previous
            | Command::Next
            | Command::PreviousParagraph
            | Command::NextParagraph => {
                let to = READING.with_borrow(|r| {
                    let r = r.as_ref()?;
                    let paras: Vec<usize> = r.sentences.iter().map(|s| s.para).collect();
                    skip(&paras, r.at, cmd)
                });
                if let Some(to) = to {
                    let generation = current::stop();
                    speak(to, generation);
                }
            }
        }
    }

    /// 指读: reads `text` (what the pointer rests on or the focus is on) at once, in place of
    /// anything being read.
    pub async fn point(speech: Speech, text: String, variant: Variant) {
        let generation = current::stop();
        let Ok(synth) = window().speech_synthesis() else {
            return;
        };
        let hk = speech.prefs.get_untracked().hk;
        let Some((voice, lang)) = voice_for(variant, hk).await else {
            speech.status.try_set(no_voice(&speech, variant, hk));
            return;
        };
        if current::generation() != generation {
            return;
        }
        let rate = speech
            .prefs
            .try_get_untracked()
            .unwrap_or_default()
            .rate
            .value();
        let units: Vec<u16> = text.encode_utf16().collect();
        for (a, b) in sentences(&text) {
            let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(
                &String::from_utf16_lossy(&units[a..b]),
            ) else {
                continue;
            };
            u.set_lang(lang);
            u.set_voice(Some(&voice));
            u.set_rate(rate);
            synth.speak(&u);
        }
    }

    /// The status line's message when the browser has no voice for the variant.
    fn no_voice(speech: &Speech, variant: Variant, hk: HkVoice) -> String {
        speech.ui.get_value().t(match (variant, hk) {
            (Variant::Hans, _) | (Variant::Hk, HkVoice::Mandarin) => T::NoMandarinVoice,
            (Variant::Tw, _) => T::NoTaiwanVoice,
            (Variant::Hk, HkVoice::Cantonese) => T::NoCantoneseVoice,
            (Variant::Hant, _) => T::NoTraditionalVoice,
        })
    }

    async fn play(speech: Speech, variant: Variant) {
        let generation = current::stop();
        let hk = speech.prefs.get_untracked().hk;
        let Some((voice, lang)) = voice_for(variant, hk).await else {
            speech.playing.try_set(Playing::Stopped);
            speech.status.try_set(no_voice(&speech, variant, hk));
            return;
        };
        let sentences = collect();
        if sentences.is_empty() || current::generation() != generation {
            return;
        }
        speech.status.try_set(String::new());
        READING.set(Some(Reading {
            sentences,
            at: 0,
            voice,
            lang,
            speech,
        }));
        speech.playing.try_set(Playing::Reading);
        speak(0, generation);
    }

    /// A voice for the variant: the first language of [`languages`] with one, a voice that works
    /// offline (`localService`) before one that does not. Waits briefly for voices still loading.
    async fn voice_for(
        variant: Variant,
        hk: HkVoice,
    ) -> Option<(web_sys::SpeechSynthesisVoice, &'static str)> {
        let synth = window().speech_synthesis().ok()?;
        if synth.get_voices().length() == 0 {
            voices_changed(&synth).await;
        }
        let voices: Vec<web_sys::SpeechSynthesisVoice> = synth
            .get_voices()
            .iter()
            .map(|v| v.unchecked_into())
            .collect();
        languages(variant, hk).iter().find_map(|&tag| {
            let mut of_tag: Vec<_> = voices.iter().filter(|v| speaks(&v.lang(), tag)).collect();
            of_tag.sort_by_key(|v| !v.local_service());
            of_tag.first().map(|v| ((*v).clone(), tag))
        })
    }

    /// Resolves on `voiceschanged`, or after a second and a half if none comes.
    async fn voices_changed(synth: &web_sys::SpeechSynthesis) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let done = resolve.clone();
            let on = Closure::once_into_js(move || {
                let _ = done.call0(&JsValue::NULL);
            });
            synth.set_onvoiceschanged(Some(on.unchecked_ref()));
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
                resolve.unchecked_ref(),
                1500,
            );
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        synth.set_onvoiceschanged(None);
    }

    /// What is read before the body: the title, the subtitle, each 来源 / 时间 item.
    const HEAD: &str = "h1, .subtitle, .meta-item";
    /// The body's blocks: each read whole (a block inside one is read with it).
    const BLOCKS: &str = "p, h2, h3, h4, h5, h6, li, td, th, figcaption, blockquote, pre, dt, dd";
    /// Elements that hold blocks or lines: their children are read as the body's are.
    const CONTAINERS: &str = "div, section, article, center, ul, ol, dl, table, thead, tbody, \
                              tfoot, tr, figure, header, footer, aside, address";

    /// The article's sentences in reading order: the title, each 来源 / 时间 item, then the body.
    /// Controls (buttons, forms) and what is for print only are not read.
    fn collect() -> Vec<Sentence> {
        let doc = document();
        let Some(article) = doc.query_selector("main article.article").ok().flatten() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut para = 0;
        if let Ok(head) = article.query_selector_all(HEAD) {
            for i in 0..head.length() {
                if let Some(node) = head.item(i) {
                    read_nodes(&[node], para, &mut out);
                    para += 1;
                }
            }
        }
        if let Some(body) = article.query_selector(".article-body").ok().flatten() {
            read_body(&body, &mut para, &mut out);
        }
        out
    }

    /// `parent`'s children in order: each block a paragraph; text outside any block (straight in
    /// the body, or in a `div` as older pages have it) read too, each line between `<br>`s and
    /// blocks a paragraph of its own.
    fn read_body(parent: &web_sys::Element, para: &mut usize, out: &mut Vec<Sentence>) {
        let mut line: Vec<web_sys::Node> = Vec::new();
        let end_line =
            |line: &mut Vec<web_sys::Node>, para: &mut usize, out: &mut Vec<Sentence>| {
                if !line.is_empty() {
                    read_nodes(line, *para, out);
                    *para += 1;
                    line.clear();
                }
            };
        let children = parent.child_nodes();
        for i in 0..children.length() {
            let Some(node) = children.item(i) else {
                continue;
            };
            let Some(el) = node.dyn_ref::<web_sys::Element>() else {
                line.push(node);
                continue;
            };
            if el.matches(BLOCKS).unwrap_or(false) {
                end_line(&mut line, para, out);
                read_nodes(&[node], *para, out);
                *para += 1;
            } else if el.tag_name() == "BR" {
                end_line(&mut line, para, out);
            } else if el.matches(CONTAINERS).unwrap_or(false)
                || el.query_selector(BLOCKS).ok().flatten().is_some()
            {
                end_line(&mut line, para, out);
                read_body(el, para, out);
            } else {
                line.push(node);
            }
        }
        end_line(&mut line, para, out);
    }

    /// The text nodes in `roots` (each a text node or an element) joined, cut into sentences,
    /// each a range over those nodes, all in paragraph `para`.
    fn read_nodes(roots: &[web_sys::Node], para: usize, out: &mut Vec<Sentence>) {
        // (node, where its text starts in `text`, in UTF-16 units)
        let mut nodes: Vec<(web_sys::Node, usize)> = Vec::new();
        let mut text = String::new();
        let mut len16 = 0;
        let mut take = |node: web_sys::Node| {
            let skip = node
                .parent_element()
                .and_then(|p| {
                    p.closest("button, form, .print-url, [hidden]")
                        .ok()
                        .flatten()
                })
                .is_some();
            if skip {
                return;
            }
            let t = node.text_content().unwrap_or_default();
            nodes.push((node, len16));
            len16 += t.encode_utf16().count();
            text.push_str(&t);
        };
        for root in roots {
            if root.node_type() == web_sys::Node::TEXT_NODE {
                take(root.clone());
                continue;
            }
            if root.node_type() != web_sys::Node::ELEMENT_NODE {
                continue;
            }
            let Ok(walker) = document().create_tree_walker_with_what_to_show(root, 4) else {
                continue;
            };
            while let Ok(Some(node)) = walker.next_node() {
                take(node);
            }
        }
        if nodes.is_empty() {
            return;
        }
        let at = |pos: usize, end: bool| {
            // The node holding UTF-16 position `pos` (at an end, the node it ends in).
            let i = nodes
                .iter()
                .rposition(|(_, start)| if end { *start < pos } else { *start <= pos })
                .unwrap_or(0);
            (nodes[i].0.clone(), (pos - nodes[i].1) as u32)
        };
        let units: Vec<u16> = text.encode_utf16().collect();
        for (a, b) in sentences(&text) {
            let Ok(range) = document().create_range() else {
                continue;
            };
            let (sn, so) = at(a, false);
            let (en, eo) = at(b, true);
            if range.set_start(&sn, so).is_err() || range.set_end(&en, eo).is_err() {
                continue;
            }
            out.push(Sentence {
                text: String::from_utf16_lossy(&units[a..b]),
                range,
                para,
            });
        }
    }

    /// Speaks sentence `i` (if there is one) in generation `generation`, then the next.
    fn speak(i: usize, generation: u32) {
        let Ok(synth) = window().speech_synthesis() else {
            return;
        };
        let next = READING.with_borrow_mut(|r| {
            let r = r.as_mut()?;
            let Some(s) = r.sentences.get(i) else {
                r.speech.playing.try_set(Playing::Stopped);
                return None;
            };
            r.at = i;
            let u = web_sys::SpeechSynthesisUtterance::new_with_text(&s.text).ok()?;
            u.set_lang(r.lang);
            u.set_voice(Some(&r.voice));
            u.set_rate(
                r.speech
                    .prefs
                    .try_get_untracked()
                    .unwrap_or_default()
                    .rate
                    .value(),
            );
            highlight(&s.range);
            // Next frame: once a reading starts, the player bar has been drawn by then.
            let range = s.range.clone();
            let show = Closure::once_into_js(move || {
                if current::generation() == generation {
                    show(&range);
                }
            });
            let _ = window().request_animation_frame(show.unchecked_ref());
            Some((u, r.speech))
        });
        let Some((u, speech)) = next else {
            if current::generation() == generation {
                current::clear_highlight();
            }
            return;
        };
        let on_end = Closure::once_into_js(move || {
            if current::generation() == generation {
                speak(i + 1, generation);
            }
        });
        u.set_onend(Some(on_end.unchecked_ref()));
        let on_error = Closure::once_into_js(move |e: web_sys::SpeechSynthesisErrorEvent| {
            // A stop or a skip cancels the utterance: that is no error.
            let cut = matches!(
                e.error(),
                web_sys::SpeechSynthesisErrorCode::Interrupted
                    | web_sys::SpeechSynthesisErrorCode::Canceled
            );
            if current::generation() == generation && !cut {
                current::stop();
                speech.playing.try_set(Playing::Stopped);
            }
        });
        u.set_onerror(Some(on_error.unchecked_ref()));
        synth.speak(&u);
    }

    /// Scrolls `range` into view when it is not (a third of the way down), however long the
    /// paragraph holding it. In view means clear of the fixed panels: the player bar (at the
    /// foot, or at the top with 大字幕), which on a phone at 特大 takes half the window, and
    /// 大字幕's panel.
    fn show(range: &web_sys::Range) {
        let window = window();
        let rect = range.get_bounding_client_rect();
        let height = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        let (mut top, mut bottom) = (0.0_f64, height);
        // 大字幕's panel grows with what it shows, which may change after this frame: keep clear
        // of all it may take (30vh and its border; the stylesheet reserves 32vh).
        let caption = document()
            .document_element()
            .and_then(|e| e.get_attribute("data-caption"));
        if caption.as_deref() == Some("on") {
            bottom = height * 0.68;
        }
        for selector in [".read-aloud-player", ".caption-panel"] {
            if let Ok(Some(panel)) = document().query_selector(selector) {
                let r = panel.get_bounding_client_rect();
                let shown = r.height() > 0.0;
                if shown && selector == ".read-aloud-player" {
                    // The stylesheet keeps focus and the page's end clear of the bar by this much.
                    if let Some(root) = document()
                        .document_element()
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let px = format!("{}px", r.height().ceil());
                        let _ = root.style().set_property("--player-height", &px);
                    }
                }
                if shown && r.top() > height / 2.0 {
                    bottom = bottom.min(r.top());
                } else if shown {
                    top = top.max(r.bottom());
                }
            }
        }
        if rect.top() < top || rect.bottom() > bottom {
            // A third of the way down the clear band, or higher if it would not fit there.
            let band = bottom - top;
            let at = top + (band / 3.0).min((band - rect.height() - 4.0).max(0.0));
            window.scroll_by_with_x_and_y(0.0, rect.top() - at);
        }
    }

    /// Highlights `range` (where the Custom Highlight API exists).
    fn highlight(range: &web_sys::Range) {
        let window = window();
        let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k));
        let Ok(ctor) = get(&window, "Highlight") else {
            return;
        };
        let Ok(ctor) = ctor.dyn_into::<js_sys::Function>() else {
            return;
        };
        let Ok(highlight) = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(range)) else {
            return;
        };
        if let Ok(highlights) = get(&window, "CSS").and_then(|css| get(&css, "highlights"))
            && let Ok(set) = get(&highlights, "set")
            && let Ok(set) = set.dyn_into::<js_sys::Function>()
        {
            let _ = set.call2(&highlights, &JsValue::from_str(HIGHLIGHT), &highlight);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_go_by_sentence_or_to_a_paragraph_start() {
        // Paragraphs: the title (0), one sentence (1), three (2), two (3).
        let paras = [0, 1, 2, 2, 2, 3, 3];
        let go = |at, cmd| skip(&paras, at, cmd).unwrap();
        assert_eq!(go(3, Command::Next), 4);
        assert_eq!(go(3, Command::Previous), 2);
        assert_eq!(go(0, Command::Previous), 0);
        assert_eq!(go(2, Command::NextParagraph), 5);
        assert_eq!(go(3, Command::NextParagraph), 5);
        // Past the last paragraph: the reading ends.
        assert_eq!(go(5, Command::NextParagraph), 7);
        assert_eq!(go(6, Command::Next), 7);
        // To the start of the paragraph before the one being read.
        assert_eq!(go(4, Command::PreviousParagraph), 1);
        assert_eq!(go(2, Command::PreviousParagraph), 1);
        assert_eq!(go(6, Command::PreviousParagraph), 2);
        assert_eq!(go(1, Command::PreviousParagraph), 0);
        assert_eq!(go(0, Command::PreviousParagraph), 0);
        assert_eq!(skip(&paras, 2, Command::Pause), None);
        // Paragraphs need not be numbered one after another.
        assert_eq!(skip(&[0, 4, 4, 9], 1, Command::NextParagraph), Some(3));
    }

    #[test]
    fn sentences_end_at_marks_and_stay_short() {
        let text = "第一句。第二句！  第三句";
        let got: Vec<String> = sentences(text)
            .into_iter()
            .map(|(a, b)| String::from_utf16_lossy(&text.encode_utf16().collect::<Vec<_>>()[a..b]))
            .collect();
        assert_eq!(got, ["第一句。", "第二句！", "第三句"]);
        let long = format!("{}，{}", "长".repeat(30), "句".repeat(30));
        let cut = sentences(&long);
        assert_eq!(cut[0], (0, 31), "at the comma");
        assert!(cut.iter().all(|(a, b)| b - a <= MAX_CHARS));
    }

    #[test]
    fn voices_are_matched_by_region_never_by_zh_alone() {
        assert!(speaks("zh-CN", "zh-CN") && speaks("zh_CN", "zh-CN"));
        assert!(speaks("yue-HK", "zh-HK") && speaks("cmn-Hant-TW", "zh-TW"));
        assert!(!speaks("zh", "zh-CN") && !speaks("zh-TW", "zh-CN") && !speaks("zh-HK", "zh-TW"));
        assert_eq!(
            languages(Variant::Hant, HkVoice::Cantonese),
            ["zh-TW", "zh-HK"]
        );
        assert_eq!(languages(Variant::Hk, HkVoice::Cantonese), ["zh-HK"]);
        assert_eq!(
            languages(Variant::Hk, HkVoice::Mandarin),
            ["zh-CN", "zh-TW"]
        );
    }
}
