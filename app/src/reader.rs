//! The reader's display choices (font size, contrast), shared by every control that changes them.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FontSize {
    Small,
    #[default]
    Medium,
    Large,
    XLarge,
}

impl FontSize {
    pub const ALL: [FontSize; 4] = [
        FontSize::Small,
        FontSize::Medium,
        FontSize::Large,
        FontSize::XLarge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FontSize::Small => "small",
            FontSize::Medium => "medium",
            FontSize::Large => "large",
            FontSize::XLarge => "x-large",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FontSize::Small => "小",
            FontSize::Medium => "中",
            FontSize::Large => "大",
            FontSize::XLarge => "特大",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Contrast {
    #[default]
    Default,
    High,
    Inverted,
}

impl Contrast {
    pub const ALL: [Contrast; 3] = [Contrast::Default, Contrast::High, Contrast::Inverted];

    pub fn as_str(self) -> &'static str {
        match self {
            Contrast::Default => "default",
            Contrast::High => "high",
            Contrast::Inverted => "inverted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Contrast::Default => "默认",
            Contrast::High => "高对比",
            Contrast::Inverted => "反色",
        }
    }
}

#[derive(Clone, Copy)]
pub struct Reader {
    pub font_size: RwSignal<FontSize>,
    pub contrast: RwSignal<Contrast>,
}

pub fn provide_reader() -> Reader {
    let reader = Reader {
        font_size: RwSignal::new(FontSize::default()),
        contrast: RwSignal::new(Contrast::default()),
    };
    provide_context(reader);
    reader
}

pub fn use_reader() -> Reader {
    use_context::<Reader>().unwrap_or_else(provide_reader)
}
