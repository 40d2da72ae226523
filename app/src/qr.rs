//! QR codes for 分享到: encoded on the server (the `qrcode` crate), carried as a small bit string
//! and drawn as one SVG path by the view, on the server and in the browser alike.

use serde::{Deserialize, Serialize};

/// Modules of a QR code, dark = 1, row by row, as hex (4 modules a digit, the last padded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qr {
    /// Modules per side, without the quiet zone.
    pub width: u32,
    pub modules: String,
}

/// Light modules around the code that scanners need.
pub const QUIET: u32 = 4;

impl Qr {
    /// `text`'s QR code at error correction level M; `None` if it is too long for one.
    #[cfg(feature = "ssr")]
    pub fn encode(text: &str) -> Option<Qr> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
        let mut modules = String::new();
        let mut nibble = 0u8;
        let colors = code.to_colors();
        for (i, c) in colors.iter().enumerate() {
            nibble = nibble << 1 | u8::from(*c == qrcode::Color::Dark);
            if i % 4 == 3 {
                modules.push(char::from_digit(u32::from(nibble), 16)?);
                nibble = 0;
            }
        }
        if colors.len() % 4 != 0 {
            let shift = 4 - colors.len() % 4;
            modules.push(char::from_digit(u32::from(nibble << shift), 16)?);
        }
        Some(Qr {
            width: code.width() as u32,
            modules,
        })
    }

    /// Whether the module in column `x` of row `y` is dark.
    pub fn dark(&self, x: u32, y: u32) -> bool {
        let i = (y * self.width + x) as usize;
        self.modules
            .as_bytes()
            .get(i / 4)
            .and_then(|d| (*d as char).to_digit(16))
            .is_some_and(|d| d >> (3 - i % 4) & 1 == 1)
    }

    /// The dark modules as one SVG path, a rectangle per run of dark modules in a row, in module
    /// units from the code's corner (the quiet zone is the view box's margin).
    pub fn path(&self) -> String {
        use std::fmt::Write;
        let mut d = String::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.dark(x, y) {
                    x += 1;
                }
                let _ = write!(d, "M{start} {y}h{}v1H{start}z", x - start);
            }
        }
        d
    }

    /// The SVG's view box, the quiet zone included.
    pub fn view_box(&self) -> String {
        let side = self.width + 2 * QUIET;
        format!("-{QUIET} -{QUIET} {side} {side}")
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_the_crate_s_modules() {
        let url = "https://www.meizhou.gov.cn/articles/mz-2022-0512?variant=zh-TW";
        let qr = Qr::encode(url).unwrap();
        let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
        assert_eq!(qr.width as usize, code.width());
        for y in 0..qr.width {
            for x in 0..qr.width {
                assert_eq!(
                    qr.dark(x, y),
                    code[(x as usize, y as usize)] == qrcode::Color::Dark
                );
            }
        }
        assert!(Qr::encode(&"x".repeat(5000)).is_none());
    }

    /// One rectangle per run of dark modules, against the crate's own SVG renderer (a rectangle
    /// per module): the measured sizes for a typical article address.
    #[test]
    fn runs_make_a_smaller_svg_than_the_crate_s_renderer() {
        let url = "https://www.meizhou.gov.cn/articles/mz-2022-0512?variant=zh-HK";
        let qr = Qr::encode(url).unwrap();
        let crate_svg = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)
            .unwrap()
            .render::<qrcode::render::svg::Color>()
            .module_dimensions(1, 1)
            .build();
        let runs = qr.path().len();
        assert!(
            runs * 2 < crate_svg.len(),
            "{runs} against {}",
            crate_svg.len()
        );
    }
}
