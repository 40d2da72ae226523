//! Interface text. Written here in Simplified; the server converts it for the other variants.

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
    Pause => "暂停",
    Resume => "继续",
    Stop => "停止朗读",
    PreviousSentence => "上一句",
    NextSentence => "下一句",
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
}

/// The interface text in one variant, and the site's public base URL for absolute links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Ui {
    text: Vec<String>,
    pub base_url: String,
    /// The portal's name, in the same variant.
    pub site: String,
}

impl Ui {
    /// Builds the text by mapping every Simplified string (the server passes its converter).
    pub fn mapped(base_url: String, site: &str, f: impl Fn(&str) -> String) -> Self {
        Ui {
            text: SIMPLIFIED.iter().map(|s| f(s)).collect(),
            base_url,
            site: f(site),
        }
    }

    /// The same text through `f` (the base URL is not text).
    pub fn convert(&mut self, f: impl Fn(&str) -> String) {
        for s in self.text.iter_mut().chain([&mut self.site]) {
            *s = f(s);
        }
    }

    pub fn t(&self, key: T) -> String {
        self.text
            .get(key as usize)
            .cloned()
            .unwrap_or_else(|| SIMPLIFIED[key as usize].to_owned())
    }
}
