//! Script variants. Simplified is the stored form; the others are converted on the server.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Variant {
    /// Simplified (the stored original).
    #[default]
    #[serde(rename = "zh-Hans")]
    Hans,
    /// Traditional, OpenCC standard forms.
    #[serde(rename = "zh-Hant")]
    Hant,
    /// Traditional as written in Taiwan.
    #[serde(rename = "zh-TW")]
    Tw,
    /// Traditional as written in Hong Kong.
    #[serde(rename = "zh-HK")]
    Hk,
}

impl Variant {
    pub const ALL: [Variant; 4] = [Variant::Hans, Variant::Hant, Variant::Tw, Variant::Hk];

    /// The BCP 47 tag, also the value in URLs, cookies and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Variant::Hans => "zh-Hans",
            Variant::Hant => "zh-Hant",
            Variant::Tw => "zh-TW",
            Variant::Hk => "zh-HK",
        }
    }

    /// The control's label, written in its own script.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Hans => "简体",
            Variant::Hant => "繁體",
            Variant::Tw => "台灣正體",
            Variant::Hk => "香港繁體",
        }
    }
}

impl FromStr for Variant {
    type Err = ();
    /// Accepts the tags case-insensitively (`zh-hant` too).
    fn from_str(s: &str) -> Result<Self, ()> {
        Variant::ALL
            .into_iter()
            .find(|v| v.tag().eq_ignore_ascii_case(s))
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for v in Variant::ALL {
            assert_eq!(v.tag().parse::<Variant>(), Ok(v));
            assert_eq!(v.tag().to_lowercase().parse::<Variant>(), Ok(v));
        }
        assert!("zh-CN".parse::<Variant>().is_err());
        assert!("".parse::<Variant>().is_err());
    }
}
