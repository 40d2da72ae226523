use crate::reader::{Contrast, FontSize, use_reader};
use leptos::prelude::*;

/// The toolbar row of the reference page: 页面 (script), 字体 (font size), 对比度 (contrast).
#[component]
pub fn Toolbar() -> impl IntoView {
    let reader = use_reader();
    view! {
        <nav class="toolbar" aria-label="阅读设置">
            <div class="toolbar-group" role="group" aria-labelledby="tb-variant">
                <span id="tb-variant" class="toolbar-label">
                    "页面:"
                </span>
                <button type="button" data-pref="variant" data-value="zh-Hans" aria-pressed="true">
                    "简体"
                </button>
                <button
                    type="button"
                    data-pref="variant"
                    data-value="zh-Hant"
                    aria-pressed="false"
                    disabled
                >
                    "繁體"
                </button>
            </div>
            <div class="toolbar-group" role="group" aria-labelledby="tb-font">
                <span id="tb-font" class="toolbar-label">
                    "字体:"
                </span>
                {FontSize::ALL
                    .into_iter()
                    .map(|size| {
                        view! {
                            <button
                                type="button"
                                data-pref="font-size"
                                data-value=size.as_str()
                                aria-pressed=move || (reader.font_size.get() == size).to_string()
                                on:click=move |_| reader.font_size.set(size)
                            >
                                {size.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="toolbar-group" role="group" aria-labelledby="tb-contrast">
                <span id="tb-contrast" class="toolbar-label">
                    "对比度:"
                </span>
                {Contrast::ALL
                    .into_iter()
                    .map(|c| {
                        view! {
                            <button
                                type="button"
                                data-pref="contrast"
                                data-value=c.as_str()
                                aria-pressed=move || (reader.contrast.get() == c).to_string()
                                on:click=move |_| reader.contrast.set(c)
                            >
                                {c.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </nav>
    }
}

/// The article's own 字号 大 中 小 control; acts on the same preference as the toolbar.
#[component]
pub fn TextSize() -> impl IntoView {
    let reader = use_reader();
    view! {
        <div class="text-size" role="group" aria-labelledby="text-size-label">
            <span id="text-size-label">"字号:"</span>
            {[FontSize::Large, FontSize::Medium, FontSize::Small]
                .into_iter()
                .map(|size| {
                    view! {
                        <button
                            type="button"
                            data-pref="font-size"
                            data-value=size.as_str()
                            aria-pressed=move || (reader.font_size.get() == size).to_string()
                            on:click=move |_| reader.font_size.set(size)
                        >
                            {size.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
