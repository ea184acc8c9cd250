//! The QR code of the verification URL, drawn as vector squares (sharp at
//! any zoom, no image to embed).

use anyhow::anyhow;
use pdf_writer::{Content, Name};
use qrcode::{Color, EcLevel, QrCode};

/// The marked-content tag around the QR code's squares, so tools (and the
/// tests) can find them in the page's content.
pub const MARKED_CONTENT_TAG: &[u8] = b"QRCode";

/// The dark and light modules of a QR code, row by row from the top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// Level M error correction: survives a crease or a smudge on paper.
    pub fn encode(text: &str) -> anyhow::Result<Self> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| anyhow!("QR code for a {}-byte text: {e}", text.len()))?;
        Ok(QrMatrix {
            width: code.width(),
            dark: code.to_colors().into_iter().map(|c| c == Color::Dark).collect(),
        })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// Draws the code with its top-left corner at (`left`, `top`) in page
    /// space, each module `module` points wide: one rectangle per horizontal
    /// run of dark modules, in module units under a scaling transform.
    pub(crate) fn draw(&self, content: &mut Content, left: f32, top: f32, module: f32) {
        let size = self.width as f32 * module;
        content.begin_marked_content(Name(MARKED_CONTENT_TAG));
        content.save_state();
        content.transform([module, 0.0, 0.0, module, left, top - size]);
        content.set_fill_gray(0.0);
        for y in 0..self.width {
            let row = (self.width - 1 - y) as f32;
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                content.rect(start as f32, row, (x - start) as f32, 1.0);
            }
        }
        content.fill_nonzero();
        content.restore_state();
        content.end_marked_content();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verification_url_fits_a_small_code() {
        let qr = QrMatrix::encode("https://sejour.example.fr/verify/7F3K9Q2MX4B8").unwrap();
        // Version 4 (33 modules) or less at level M for ~50 bytes.
        assert!(qr.width <= 33, "{}", qr.width);
        assert_eq!(qr.dark.len(), qr.width * qr.width);
        // The finder pattern's corner is dark.
        assert!(qr.is_dark(0, 0) && qr.is_dark(qr.width - 1, 0) && qr.is_dark(0, qr.width - 1));
    }
}
