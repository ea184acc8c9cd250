//! A small page-layout layer over pdf-writer: A4 pages, two embedded fonts,
//! text measured and wrapped, a cursor that moves down and starts a new page
//! when the next block does not fit.

use pdf_writer::types::LineCapStyle;
use pdf_writer::{Content, Date, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::font::{DEJAVU_SANS, DEJAVU_SANS_BOLD, UsedFont, deflate};

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.276;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub f32, pub f32, pub f32);

pub(crate) const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
/// The French administration's blue (#000091).
pub(crate) const BLUE: Rgb = Rgb(0.0, 0.0, 0.569);
pub(crate) const GREY: Rgb = Rgb(0.33, 0.33, 0.36);
pub(crate) const LIGHT: Rgb = Rgb(0.93, 0.94, 0.97);
pub(crate) const RULE: Rgb = Rgb(0.80, 0.80, 0.84);

/// A piece of text with its look.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font {
    pub style: Style,
    pub size: f32,
    pub color: Rgb,
}

impl Font {
    pub(crate) const fn new(style: Style, size: f32, color: Rgb) -> Self {
        Font { style, size, color }
    }

    /// Baseline-to-baseline distance.
    pub(crate) fn leading(&self) -> f32 {
        self.size * 1.35
    }
}

/// Document metadata.
pub(crate) struct Info<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub lang: &'a str,
    pub created: chrono::DateTime<chrono::Utc>,
}

pub(crate) struct Doc {
    regular: UsedFont,
    bold: UsedFont,
    pages: Vec<Content>,
    /// The cursor: the top of the next block, from the bottom of the page.
    pub y: f32,
    pub left: f32,
    pub right: f32,
    top: f32,
    bottom: f32,
}

impl Doc {
    pub(crate) fn new(margin: f32, top: f32, bottom: f32) -> anyhow::Result<Self> {
        Ok(Doc {
            regular: UsedFont::new(DEJAVU_SANS, "DejaVuSans")?,
            bold: UsedFont::new(DEJAVU_SANS_BOLD, "DejaVuSans-Bold")?,
            pages: vec![Content::new()],
            y: PAGE_HEIGHT - top,
            left: margin,
            right: PAGE_WIDTH - margin,
            top,
            bottom,
        })
    }

    pub(crate) fn width(&self) -> f32 {
        self.right - self.left
    }

    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub(crate) fn content(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a document has a page")
    }

    fn page(&mut self, index: usize) -> &mut Content {
        &mut self.pages[index]
    }

    fn font(&self, style: Style) -> &UsedFont {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    pub(crate) fn measure(&self, font: Font, text: &str) -> f32 {
        self.font(font.style).width(text, font.size)
    }

    pub(crate) fn cap_height(&self, font: Font) -> f32 {
        self.font(font.style).cap_height() * font.size / 1000.0
    }

    /// Starts a new page and puts the cursor at its top.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = PAGE_HEIGHT - self.top;
    }

    /// Makes room for a block `height` points tall: a new page if it does not fit.
    pub(crate) fn ensure(&mut self, height: f32) {
        if self.y - height < self.bottom && self.y < PAGE_HEIGHT - self.top {
            self.new_page();
        }
    }

    /// Draws one line of text with its baseline at `baseline`, on page `page`.
    fn text_on(&mut self, page: usize, x: f32, baseline: f32, font: Font, text: &str) {
        let text = clean(text);
        let codes = match font.style {
            Style::Regular => self.regular.encode(&text),
            Style::Bold => self.bold.encode(&text),
        };
        let name = font_name(font.style);
        let Rgb(r, g, b) = font.color;
        let content = self.page(page);
        content.set_fill_rgb(r, g, b);
        content.begin_text();
        content.set_font(Name(name), font.size);
        content.next_line(x, baseline);
        content.show(Str(&codes));
        content.end_text();
    }

    /// Draws one line of text on the current page.
    pub(crate) fn text(&mut self, x: f32, baseline: f32, font: Font, text: &str) {
        let page = self.pages.len() - 1;
        self.text_on(page, x, baseline, font, text);
    }

    /// Draws one line of text on page `page` (0-based), e.g. a footer written last.
    pub(crate) fn text_on_page(&mut self, page: usize, x: f32, baseline: f32, font: Font, text: &str) {
        self.text_on(page, x, baseline, font, text);
    }

    /// Splits `text` into lines no wider than `width`: at spaces, or inside
    /// a word too long for a line (a file name, a URL).
    pub(crate) fn wrap(&self, text: &str, font: Font, width: f32) -> Vec<String> {
        let text = clean(text);
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.measure(font, &candidate) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: cut it where it overflows.
            for c in word.chars() {
                line.push(c);
                if self.measure(font, &line) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Draws `text` wrapped to `width` from `x`, the first baseline one cap
    /// height below `top`; returns the height used.
    pub(crate) fn paragraph_at(&mut self, x: f32, top: f32, width: f32, font: Font, text: &str) -> f32 {
        let lines = self.wrap(text, font, width);
        let cap = self.cap_height(font);
        for (i, line) in lines.iter().enumerate() {
            self.text(x, top - cap - i as f32 * font.leading(), font, line);
        }
        self.block_height(lines.len(), font)
    }

    /// The height of `lines` lines: the first one's cap height, then one leading per line more.
    pub(crate) fn block_height(&self, lines: usize, font: Font) -> f32 {
        self.cap_height(font) + lines.saturating_sub(1) as f32 * font.leading()
    }

    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        let Rgb(r, g, b) = color;
        let content = self.content();
        content.set_fill_rgb(r, g, b);
        content.rect(x, y, width, height);
        content.fill_nonzero();
    }

    pub(crate) fn stroke_rect(&mut self, x: f32, y: f32, width: f32, height: f32, line: f32, color: Rgb) {
        let Rgb(r, g, b) = color;
        let content = self.content();
        content.set_stroke_rgb(r, g, b);
        content.set_line_width(line);
        content.rect(x, y, width, height);
        content.stroke();
    }

    pub(crate) fn hline(&mut self, x1: f32, x2: f32, y: f32, line: f32, color: Rgb) {
        let page = self.pages.len() - 1;
        self.hline_on_page(page, x1, x2, y, line, color);
    }

    pub(crate) fn hline_on_page(&mut self, page: usize, x1: f32, x2: f32, y: f32, line: f32, color: Rgb) {
        let Rgb(r, g, b) = color;
        let content = self.page(page);
        content.set_stroke_rgb(r, g, b);
        content.set_line_width(line);
        content.set_line_cap(LineCapStyle::ButtCap);
        content.move_to(x1, y);
        content.line_to(x2, y);
        content.stroke();
    }

    /// The finished PDF: pages, fonts subset to the glyphs drawn, metadata.
    pub(crate) fn finish(self, info: &Info) -> anyhow::Result<Vec<u8>> {
        let mut next_id = 1;
        let mut next = move || {
            let id = Ref::new(next_id);
            next_id += 1;
            id
        };
        let (catalog, tree, regular, bold, info_id) = (next(), next(), next(), next(), next());
        let mut pdf = Pdf::new();
        pdf.set_version(1, 7);

        let page_ids: Vec<(Ref, Ref)> = self.pages.iter().map(|_| (next(), next())).collect();
        pdf.catalog(catalog).pages(tree).lang(TextStr(info.lang));
        pdf.pages(tree)
            .kids(page_ids.iter().map(|(page, _)| *page))
            .count(i32::try_from(page_ids.len())?);
        for ((page_id, content_id), content) in page_ids.iter().zip(self.pages) {
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .parent(tree)
                .contents(*content_id);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Name(font_name(Style::Regular)), regular);
            fonts.pair(Name(font_name(Style::Bold)), bold);
            fonts.finish();
            resources.finish();
            page.finish();
            pdf.stream(*content_id, &deflate(&content.finish()))
                .filter(pdf_writer::Filter::FlateDecode);
        }
        self.regular.write(&mut pdf, regular, &mut next)?;
        self.bold.write(&mut pdf, bold, &mut next)?;

        let created = info.created;
        let date = {
            use chrono::{Datelike, Timelike};
            Date::new(u16::try_from(created.year())?)
                .month(created.month() as u8)
                .day(created.day() as u8)
                .hour(created.hour() as u8)
                .minute(created.minute() as u8)
                .second(created.second() as u8)
                .utc_offset_hour(0)
                .utc_offset_minute(0)
        };
        pdf.document_info(info_id)
            .title(TextStr(info.title))
            .subject(TextStr(info.subject))
            .creator(TextStr("Séjour"))
            .producer(TextStr("Séjour"))
            .creation_date(date);
        Ok(pdf.finish())
    }
}

fn font_name(style: Style) -> &'static [u8] {
    match style {
        Style::Regular => b"F1",
        Style::Bold => b"F2",
    }
}

/// Control characters (a newline in a file name...) print as spaces;
/// invisible formatting ones (bidi overrides...) not at all.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !crate::domain::validation::is_invisible(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Font = Font::new(Style::Regular, 10.0, BLACK);

    #[test]
    fn wrapping_keeps_lines_within_the_width_and_loses_no_word() {
        let doc = Doc::new(50.0, 50.0, 50.0).unwrap();
        let text = "La présente attestation prouve le dépôt de la demande. Elle ne vaut pas autorisation de séjour.";
        let lines = doc.wrap(text, BODY, 150.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| doc.measure(BODY, l) <= 150.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut() {
        let doc = Doc::new(50.0, 50.0, 50.0).unwrap();
        let url = "https://sejour.example.fr/verify/7F3K9Q2MX4B8";
        let lines = doc.wrap(url, BODY, 80.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| doc.measure(BODY, l) <= 80.0), "{lines:?}");
        assert_eq!(lines.concat(), url);
        assert_eq!(doc.wrap("", BODY, 80.0), vec![String::new()]);
        assert_eq!(doc.wrap("a\nb", BODY, 80.0), vec!["a b".to_string()]);
    }

    #[test]
    fn a_block_that_does_not_fit_goes_to_a_new_page() {
        let mut doc = Doc::new(50.0, 50.0, 50.0).unwrap();
        doc.ensure(100.0);
        assert_eq!(doc.page_count(), 1);
        doc.y = 120.0;
        doc.ensure(100.0);
        assert_eq!(doc.page_count(), 2);
        assert_eq!(doc.y, PAGE_HEIGHT - 50.0);
        // Taller than a page: drawn on the fresh page rather than looping.
        doc.ensure(10_000.0);
        assert_eq!(doc.page_count(), 2);
    }
}
