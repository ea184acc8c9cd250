//! The embedded TrueType fonts: measured for layout, subset to the glyphs
//! used, and written as CID fonts (Identity-H) with a ToUnicode map so the
//! text can be searched and copied.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE`): Latin
/// with every French accent, Vietnamese, Greek and Cyrillic.
pub(crate) static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(crate) static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Printed instead of a character the font lacks.
const REPLACEMENT: char = '\u{fffd}';

/// One font as used by one document: the glyphs drawn so far, their widths
/// and the characters they stand for.
pub(crate) struct UsedFont {
    data: &'static [u8],
    face: Face<'static>,
    postscript_name: &'static str,
    remapper: GlyphRemapper,
    /// New glyph id → the character it was drawn for (ToUnicode).
    chars: BTreeMap<u16, char>,
}

impl UsedFont {
    pub(crate) fn new(data: &'static [u8], postscript_name: &'static str) -> anyhow::Result<Self> {
        let face = Face::parse(data, 0).map_err(|e| anyhow!("font {postscript_name}: {e}"))?;
        Ok(UsedFont {
            data,
            face,
            postscript_name,
            remapper: GlyphRemapper::new(),
            chars: BTreeMap::new(),
        })
    }

    fn units(&self, value: f32) -> f32 {
        value * 1000.0 / f32::from(self.face.units_per_em())
    }

    /// Whether the font can draw `c` (otherwise it prints as �).
    #[cfg(test)]
    pub(crate) fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    fn glyph(&self, c: char) -> (GlyphId, char) {
        match self.face.glyph_index(c) {
            Some(glyph) => (glyph, c),
            None => (self.face.glyph_index(REPLACEMENT).unwrap_or(GlyphId(0)), REPLACEMENT),
        }
    }

    fn advance(&self, glyph: GlyphId) -> f32 {
        self.units(f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)))
    }

    /// The width of `text` at `size` points (advances only, no kerning).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(self.glyph(c).0)).sum::<f32>() * size / 1000.0
    }

    /// The cap height, in thousandths of the size.
    pub(crate) fn cap_height(&self) -> f32 {
        self.units(f32::from(self.face.capital_height().unwrap_or(self.face.ascender())))
    }

    /// `text` as the 2-byte glyph codes of the subset font; remembers the glyphs.
    pub(crate) fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (glyph, shown) = self.glyph(c);
            let new = self.remapper.remap(glyph.0);
            self.chars.entry(new).or_insert(shown);
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    /// "ABCDEF+DejaVuSans": the subset tag is derived from the glyphs kept,
    /// so different subsets never share a name.
    fn subset_name(&self) -> String {
        let mut hash: u32 = 0x811c_9dc5;
        for glyph in self.remapper.remapped_gids() {
            for byte in glyph.to_be_bytes() {
                hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        }
        let tag: String = (0..6)
            .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
            .collect();
        format!("{tag}+{}", self.postscript_name)
    }

    /// Writes the Type0 font at `type0` and its parts at the next free refs.
    pub(crate) fn write(&self, pdf: &mut Pdf, type0: Ref, next: &mut impl FnMut() -> Ref) -> anyhow::Result<()> {
        let (cid, descriptor, file, cmap) = (next(), next(), next(), next());
        let name = self.subset_name();
        let base_font = Name(name.as_bytes());
        let system_info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(type0)
            .base_font(base_font)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);

        let widths: Vec<f32> = self
            .remapper
            .remapped_gids()
            .map(|old| self.advance(GlyphId(old)))
            .collect();
        let mut font = pdf.cid_font(cid);
        font.subtype(CidFontType::Type2)
            .base_font(base_font)
            .system_info(system_info)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        font.widths().consecutive(0, widths);
        font.finish();

        let bbox = self.face.global_bounding_box();
        let weight = self.face.weight().to_number();
        let mut flags = FontFlags::NON_SYMBOLIC;
        if weight >= 600 {
            flags |= FontFlags::FORCE_BOLD;
        }
        pdf.font_descriptor(descriptor)
            .name(base_font)
            .flags(flags)
            .bbox(Rect::new(
                self.units(f32::from(bbox.x_min)),
                self.units(f32::from(bbox.y_min)),
                self.units(f32::from(bbox.x_max)),
                self.units(f32::from(bbox.y_max)),
            ))
            .italic_angle(self.face.italic_angle())
            .ascent(self.units(f32::from(self.face.ascender())))
            .descent(self.units(f32::from(self.face.descender())))
            .cap_height(self.cap_height())
            .stem_v(10.0 + 0.244 * (f32::from(weight) - 50.0))
            .font_file2(file);

        let subset = subsetter::subset(self.data, 0, &self.remapper)
            .map_err(|e| anyhow!("subsetting {}: {e:?}", self.postscript_name))?;
        let length1 = i32::try_from(subset.len()).context("font subset too large")?;
        pdf.stream(file, &deflate(&subset))
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), length1);

        let mut to_unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Sejour-UCS"), system_info);
        for (glyph, c) in &self.chars {
            to_unicode.pair(*glyph, *c);
        }
        pdf.stream(cmap, &deflate(&to_unicode.finish()))
            .filter(Filter::FlateDecode);
        Ok(())
    }
}

pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_draw_french_and_vietnamese_names() {
        for (data, name) in [(DEJAVU_SANS, "DejaVuSans"), (DEJAVU_SANS_BOLD, "DejaVuSans-Bold")] {
            let font = UsedFont::new(data, name).unwrap();
            for c in "éèêëàâçôöœæùûüîïÿÉÈÀÇŒ«»’\u{a0}\u{202f}·ỄễƯưĐđ�".chars() {
                assert!(font.has(c), "{name} lacks {c:?}");
            }
        }
    }

    #[test]
    fn glyph_codes_are_two_bytes_and_shared_between_equal_characters() {
        let mut font = UsedFont::new(DEJAVU_SANS, "DejaVuSans").unwrap();
        let codes = font.encode("éé");
        assert_eq!(codes.len(), 4);
        assert_eq!(codes[..2], codes[2..]);
        assert_eq!(font.chars.values().copied().collect::<String>(), "é");
        // Glyph 0 (.notdef) is always kept, so the first real glyph is 1.
        assert_eq!(codes[..2], [0, 1]);
    }

    #[test]
    fn missing_characters_print_as_the_replacement_character() {
        let mut font = UsedFont::new(DEJAVU_SANS, "DejaVuSans").unwrap();
        assert!(!font.has('漢'));
        font.encode("漢");
        assert_eq!(font.chars.values().copied().collect::<String>(), "\u{fffd}");
        assert!(font.width("漢", 10.0) > 0.0);
    }
}
