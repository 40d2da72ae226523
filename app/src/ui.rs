//! Interface text. Written here in Simplified; the server converts it for the other variants.

use crate::variant::Variant;
use serde::{Deserialize, Serialize};

macro_rules! ui_text {
    ($($key:ident => $text:expr,)*) => {
        /// A piece of interface text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub enum T { $($key,)* }

        /// Every interface string in Simplified, indexed by [`T`].
        pub const SIMPLIFIED: &[&str] = &[$($text,)*];
    };
}

ui_text! {
    SkipLink => "跳到正文",
    Settings => "阅读设置",
    Page => "页面:",
    Font => "字体:",
    Contrast => "对比度:",
    TextSize => "字号:",
    Small => "小",
    Medium => "中",
    Large => "大",
    XLarge => "特大",
    ContrastDefault => "默认",
    ContrastHigh => "高对比",
    ContrastInverted => "反色",
    Breadcrumb => "当前位置",
    Source => "来源:",
    Author => "作者:",
    Time => "时间:",
    Views => "浏览:",
    PageUrl => "本文网址:",
    Print => "打印本页",
    Neighbours => "上一篇和下一篇",
    Previous => "上一篇:",
    Next => "下一篇:",
    NoMore => "没有了",
    Paging => "分页",
    Newer => "« 较新文章",
    Newest => "最新",
    Older => "较早文章 »",
    Empty => "暂无文章。",
    NotFound => "页面不存在",
    NotFoundText => "您要查看的页面不存在或已被移除。",
    Unavailable => "服务暂时不可用",
    UnavailableText => "服务器暂时无法完成请求,请稍后再试。",
    BackHome => "返回首页",
    Loading => "加载中…",
    HomeDescription => "各部门工作动态与最新文章。",
    ChannelDescription => "的文章列表。",
    Apply => "应用",
    Search => "搜索",
    SearchLabel => "搜索本站文章",
    SearchResults => "搜索结果",
    SearchHint => "请输入要查找的词语,简体或繁体均可。",
    NoResults => "没有找到含有这些词语的文章。",
    MoreResults => "更多结果 »",
    FirstResults => "« 第一页",
    ReadAloud => "朗读",
    ReadAloudPlayer => "朗读控制",
    ReadAloudMore => "语速与选项",
    Pause => "暂停",
    Resume => "继续",
    Stop => "停止朗读",
    PreviousSentence => "上一句",
    NextSentence => "下一句",
    PreviousParagraph => "上一段",
    NextParagraph => "下一段",
    NoMandarinVoice => "此浏览器没有普通话语音，无法朗读。",
    NoTaiwanVoice => "此浏览器没有国语（台湾）语音，无法朗读。",
    NoCantoneseVoice => "此浏览器没有粤语语音，无法朗读。",
    NoTraditionalVoice => "此浏览器没有国语或粤语语音，无法朗读。",
    Rate => "语速:",
    RateSlow => "慢",
    RateNormal => "正常",
    RateFast => "快",
    RateFaster => "很快",
    HkVoiceLabel => "语音:",
    Cantonese => "粤语",
    Mandarin => "普通话",
    StopHidden => "切换到其他标签页时停止朗读",
    PointRead => "指读",
    LinkRole => "链接",
    ButtonRole => "按钮",
    Aids => "无障碍",
    Cursor => "大鼠标",
    Guide => "辅助线",
    Caption => "大字幕",
    CaptionHint => "大字幕：鼠标指向或键盘选中的文字显示在这里。",
    Spacing => "行距:",
    SpacingNormal => "标准",
    SpacingWide => "宽",
    SpacingWider => "更宽",
    Reset => "重置",
    Shortcuts => "快捷键说明",
    Close => "关闭",
    Keys => "按键",
    Action => "作用",
    KeyRead => "朗读：开始、暂停或继续",
    KeyStop => "停止朗读",
    KeyNext => "朗读下一句",
    KeyPrevious => "朗读上一句",
    KeyAids => "打开或关闭无障碍面板",
    KeyHelp => "快捷键说明",
    KeysNote => "在输入框中打字时快捷键不起作用。快捷键只用 Alt+Shift 组合和问号，不占用读屏软件的按键。",
    Statement => "无障碍声明",
    StatementIntro => "本站为老年读者和残障读者提供以下服务。它们都是网站自身的功能，不需要安装插件，也不加载其他网站的脚本。",
    Offers => "本站提供的服务",
    OfferScript => "页面：简体、繁体、台湾正体、香港繁体，按词语转换，不是逐字转换。",
    OfferFont => "字体：小、中、大、特大四档，由网站放大文字，不依赖浏览器的缩放。",
    OfferContrast => "对比度：默认、高对比、反色。",
    OfferRead => "朗读：文章页朗读标题、来源、时间和正文，按页面文字选用普通话、国语或粤语语音，可暂停、继续、上一句、下一句、上一段、下一段，可调语速。指读：朗读鼠标指向或键盘选中的内容。",
    OfferAids => "无障碍面板：大鼠标、辅助线、大字幕、行距；重置恢复默认的字体、对比度和各项辅助功能（页面文字保持所选）。",
    OfferKept => "这些设置保存在本浏览器中，再次访问时从第一屏开始生效。没有 JavaScript 时工具栏和无障碍面板仍可使用，朗读、指读、辅助线和大字幕除外。",
    Standards => "遵循的标准",
    StandardWcag => "万维网联盟《Web 内容无障碍指南》（WCAG）2.2 AA 级。",
    StandardGb => "GB/T 37668-2019《信息技术 互联网内容无障碍可访问性技术要求与测试方法》。",
    StandardMiit => "工业和信息化部《互联网网站适老化通用设计规范》。",
    Gaps => "已知不足",
    GapVoices => "朗读使用浏览器自带的语音。浏览器没有所需语言的语音时（例如缺少粤语语音）无法朗读，网站会说明原因，不会改用其他语言的语音。",
    GapImages => "文章中的图片说明来自发布单位，部分旧文章的图片没有文字说明。",
    GapScript => "辅助线、大字幕和快捷键需要 JavaScript。",
    GapLoading => "在网速慢的手机上，页面显示后的两三秒内，朗读按钮还没有出现，快捷键也不起作用；这时工具栏和链接照常可用，只是每按一次都会重新打开页面。",
    GovInfo => "政务公开信息",
    IndexNumber => "索引号:",
    Issuer => "发布机构:",
    DocumentNumber => "发文字号:",
    WrittenOn => "成文日期:",
    PublishedOn => "发布日期:",
    Topic => "主题分类:",
    Keywords => "主题词:",
    Validity => "有效性:",
    Valid => "有效",
    Expired => "失效",
    Repealed => "废止",
    Attachments => "附件",
    Related => "相关链接",
    Share => "分享到",
    ShareQr => "微信扫一扫，在手机上阅读本文",
    QrLabel => "本文网址的二维码",
    CopyLink => "复制链接",
    Copied => "链接已复制。",
    CopyFailed => "无法复制，请从地址栏复制本文网址。",
    ShareSystem => "分享…",
    SiteMap => "网站地图",
    Privacy => "隐私政策",
    Sponsor => "主办单位:",
    Organizer => "承办单位:",
    ContactUs => "联系方式:",
    SiteCode => "网站标识码:",
    GovMark => "党政机关",
    GovMarkLabel => "党政机关网站标识",
    Filings => "网站备案信息",
    Report => "我要纠错",
    ReportExcerpt => "出错的文字（可选）",
    ReportDescription => "问题描述（必填，2,000 字以内）",
    ReportContact => "联系方式（可选）",
    Submit => "提交",
    Sending => "正在提交…",
    ReportSent => "已收到，谢谢！纠错编号：",
    ReportFailed => "未能提交，请稍后再试。",
}

/// Interface words each region says its own way: (Simplified, Taiwan, Hong Kong). Applied to the
/// interface text only; article text is converted by characters and phrases, never reworded.
/// Each Taiwan word is what OpenCC's s2twp phrase tables give, except where those tables take
/// the word in its software sense ([`NOT_SOFTWARE`]); each Hong Kong word is s2hk's, or s2twp's
/// where Hong Kong's usage is Taiwan's (the server's tests check all of it).
pub const REGIONAL: &[(&str, &str, &str)] = &[
    ("默认", "預設", "預設"),
    ("搜索", "搜尋", "搜尋"),
    ("打印", "列印", "列印"),
    ("鼠标", "滑鼠", "滑鼠"),
    ("字体", "字型", "字型"),
    ("链接", "連結", "連結"),
    ("设置", "設定", "設定"),
    ("服务器", "伺服器", "伺服器"),
    ("加载", "載入", "載入"),
    ("保存", "儲存", "儲存"),
    ("打开", "開啟", "打開"),
    ("软件", "軟體", "軟件"),
    ("联系", "聯絡", "聯繫"),
    ("查找", "查詢", "查找"),
    ("查看", "檢視", "查看"),
    ("插件", "外掛", "插件"),
    ("脚本", "指令碼", "腳本"),
    ("地址栏", "位址列", "地址欄"),
    ("信息", "資訊", "信息"),
    ("发布", "發布", "發佈"),
    ("声明", "聲明", "聲明"),
];

/// Words whose s2twp rendering is their software sense, wrong on a government site:
/// (Simplified, s2twp's word). 发布 a document is 發布, not 釋出 (a software release); a 声明 is a
/// 聲明, not 宣告 (a declaration in code).
pub const NOT_SOFTWARE: &[(&str, &str)] = &[("发布", "釋出"), ("声明", "宣告")];

/// Names kept as they are, converted by characters only: a ministry's name, and (by the rule
/// below) every title in 《》.
pub const NAMES: &[&str] = &["工业和信息化部", "万维网联盟"];

/// Byte ranges of `s` (already converted) that regional words must not touch: each title in
/// 《》 and each of `names`.
pub fn kept_spans(s: &str, names: &[String]) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut rest = 0;
    while let Some(open) = s[rest..].find('《').map(|i| rest + i) {
        let close = s[open..]
            .find('》')
            .map_or(s.len(), |i| open + i + '》'.len_utf8());
        spans.push(open..close);
        rest = close;
    }
    for name in names.iter().filter(|n| !n.is_empty()) {
        spans.extend(s.match_indices(name.as_str()).map(|(i, n)| i..i + n.len()));
    }
    spans
}

/// `s` with every `from` outside `kept` replaced by `to`.
fn replace_outside(s: &str, from: &str, to: &str, kept: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (i, _) in s.match_indices(from) {
        let end = i + from.len();
        if kept.iter().any(|k| i < k.end && end > k.start) {
            continue;
        }
        out.push_str(&s[last..i]);
        out.push_str(to);
        last = end;
    }
    out.push_str(&s[last..]);
    out
}

/// The interface text in one variant, and the site's public base URL for absolute links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Ui {
    text: Vec<String>,
    pub base_url: String,
    /// The portal's name, in the same variant.
    pub site: String,
    /// What the deployer set for the footer, its names in the same variant.
    pub footer: Footer,
}

/// The footer a government site carries, each part set by the deployer (the server's flags,
/// environment or site file) and left out when not set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Footer {
    /// 主办单位.
    pub sponsor: Option<String>,
    /// 承办单位.
    pub organizer: Option<String>,
    /// 联系方式: a telephone number, an address, a mailbox.
    pub contact: Option<String>,
    /// 网站标识码 (政府网站标识码, e.g. 4414000048).
    pub site_code: Option<String>,
    /// ICP 备案号, linked to the MIIT filing site.
    pub icp: Option<String>,
    /// 公安机关备案号, linked to the MPS filing site by its number.
    pub police: Option<String>,
    /// The 党政机关网站 identity mark's verification address.
    pub gov_mark: Option<String>,
    /// 隐私政策: a path on this site or an http(s) address.
    pub privacy: Option<String>,
}

/// MIIT's ICP filing site, where every ICP 备案号 links.
pub const ICP_SITE: &str = "https://beian.miit.gov.cn/";

impl Footer {
    /// The MPS filing site's page for the 公安机关备案号 (its digits).
    pub fn police_link(&self) -> Option<String> {
        let digits: String = self
            .police
            .as_ref()?
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        (!digits.is_empty())
            .then(|| format!("https://beian.mps.gov.cn/#/query/webSearch?code={digits}"))
    }
}

impl Ui {
    /// Builds the text by mapping every Simplified string (the server passes its converter).
    pub fn mapped(base_url: String, site: &str, f: impl Fn(&str) -> String) -> Self {
        Ui {
            text: SIMPLIFIED.iter().map(|s| f(s)).collect(),
            base_url,
            site: f(site),
            footer: Footer::default(),
        }
    }

    /// The same text through `f`, the converter to `variant` (the base URL is not text), with
    /// [`REGIONAL`]'s words in Taiwan's and Hong Kong's interface text (not in the site's name).
    pub fn convert(&mut self, variant: Variant, f: impl Fn(&str) -> String) {
        let words: Vec<(String, &str)> = REGIONAL
            .iter()
            .filter_map(|&(simplified, tw, hk)| match variant {
                Variant::Tw => Some((f(simplified), tw)),
                Variant::Hk => Some((f(simplified), hk)),
                Variant::Hans | Variant::Hant => None,
            })
            .collect();
        let names: Vec<String> = NAMES.iter().map(|n| f(n)).collect();
        for s in self.text.iter_mut() {
            *s = f(s);
            for (from, to) in &words {
                if s.contains(from.as_str()) {
                    *s = replace_outside(s, from, to, &kept_spans(s, &names));
                }
            }
        }
        self.site = f(&self.site);
        let footer = &mut self.footer;
        for s in [
            &mut footer.sponsor,
            &mut footer.organizer,
            &mut footer.contact,
        ]
        .into_iter()
        .flatten()
        {
            *s = f(s);
        }
    }

    /// The `i`th string ([`SIMPLIFIED`]'s order).
    pub fn text_at(&self, i: usize) -> &str {
        self.text.get(i).map_or("", String::as_str)
    }

    /// The text of `key`. The browser always has the server's set (the first page's comes with
    /// it), so only the server falls back to Simplified, and the browser's code carries no copy.
    pub fn t(&self, key: T) -> String {
        self.text.get(key as usize).cloned().unwrap_or_else(|| {
            #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
            return SIMPLIFIED[key as usize].to_owned();
            #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
            String::new()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_regional_word_is_in_the_interface() {
        for (simplified, ..) in REGIONAL {
            assert!(
                SIMPLIFIED.iter().any(|s| s.contains(simplified)),
                "{simplified} is in no interface string"
            );
        }
    }

    #[test]
    fn regional_words_replace_the_converted_ones_in_taiwan_and_hong_kong_only() {
        // A stand-in converter: 默认 → 默認 as OpenCC's Traditional stage does.
        let f = |s: &str| s.replace("默认", "默認");
        let ui = |v: Variant| {
            let mut ui = Ui::mapped(String::new(), "默认站", str::to_owned);
            ui.convert(v, f);
            ui
        };
        assert_eq!(ui(Variant::Tw).t(T::ContrastDefault), "預設");
        assert_eq!(ui(Variant::Hk).t(T::Search), "搜尋");
        assert_eq!(ui(Variant::Hant).t(T::ContrastDefault), "默認");
        assert_eq!(ui(Variant::Tw).site, "默認站");
    }

    #[test]
    fn names_and_titles_keep_their_words() {
        let kept = kept_spans("工业和信息化部《信息技术》信息", &["工业和信息化部".into()]);
        let s = "工业和信息化部《信息技术》信息";
        assert_eq!(
            replace_outside(s, "信息", "資訊", &kept),
            "工业和信息化部《信息技术》資訊"
        );
        // An unclosed title runs to the end.
        let s = "信息《信息";
        assert_eq!(
            replace_outside(s, "信息", "資訊", &kept_spans(s, &[])),
            "資訊《信息"
        );
        let mut ui = Ui::mapped(String::new(), "", str::to_owned);
        ui.convert(Variant::Tw, str::to_owned);
        assert_eq!(
            ui.t(T::StandardMiit),
            "工业和信息化部《互联网网站适老化通用设计规范》。"
        );
        assert_eq!(ui.t(T::GovInfo), "政务公开資訊");
    }
}
