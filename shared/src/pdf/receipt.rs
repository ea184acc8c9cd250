//! The submission receipt ("attestation de dépôt", F13): proves that the
//! application was filed (what was asked for, under which visa or permit),
//! gives no right of stay, and carries a QR code and a short code for
//! public verification (B1). The favourable-decision certificate (F21) and
//! the extension certificate (B2) are the same document with their own
//! title and statement, their date rows and no list of documents.

use chrono::{DateTime, NaiveDate, Utc};

use super::dates::{format_date, format_date_time};
use super::layout::{BLACK, BLUE, Doc, Font, GREY, Info, LIGHT, RULE, Style};
use super::qr::QrMatrix;
use super::texts::{ReceiptLabels, country_name, country_with_code, document_kind, document_type_name};
use crate::domain::account::Language;
use crate::domain::application::documents::DocumentKind;
use crate::domain::application::extension::{CurrentTitle, ExtensionPeriod};
use crate::domain::application::{Application, DocumentStatus, SupportingDocument};
use crate::domain::eligibility::Procedure;
use crate::domain::issued_document::{IssuedKind, VerificationCode};

/// What the receipt prints, copied out of the application at submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptData {
    /// Which document: the receipt, the decision or the extension certificate.
    pub kind: IssuedKind,
    /// The application reference, e.g. `SEJ-2026-7F3K9Q2M`.
    pub reference: String,
    /// The préfecture in charge as printed, e.g. "Rhône (69) — Lyon".
    pub prefecture: String,
    pub given_names: String,
    pub surname: String,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    /// ISO 3166-1 alpha-3, printed with the place when known.
    pub birth_country: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub nationality: String,
    pub foreigner_number: Option<String>,
    /// What was asked for: a first permit or a renewal (for studies).
    pub procedure: Procedure,
    /// The visa or permit held when filing.
    pub current_title: Option<CurrentTitle>,
    pub submitted_at: DateTime<Utc>,
    /// The late fee in euros, when filed late.
    pub late_fee_eur: Option<u32>,
    /// The documents submitted: kind and the file's name as uploaded.
    pub documents: Vec<(DocumentKind, String)>,
    pub verification_code: VerificationCode,
    /// The public verification page of this document, e.g. `https://…/verify/7F3K9Q2MX4B8`.
    pub verify_url: String,
    /// Set for the favourable-decision certificate (F21): when it was decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// Set for the extension certificate (B2): the days it covers.
    pub extension: Option<ExtensionPeriod>,
}

impl ReceiptData {
    /// The receipt of `application`, submitted at `submitted_at`, with the
    /// accepted documents among `documents` (in the order of their kinds).
    pub fn for_application(
        application: &Application,
        documents: &[SupportingDocument],
        submitted_at: DateTime<Utc>,
        verification_code: VerificationCode,
        verify_url: String,
    ) -> Self {
        let civil = &application.civil_status;
        let mut accepted: Vec<&SupportingDocument> = documents
            .iter()
            .filter(|d| d.application == application.id && d.status == DocumentStatus::Accepted)
            .collect();
        accepted.sort_by_key(|d| (d.kind, d.created_at));
        ReceiptData {
            kind: IssuedKind::SubmissionReceipt,
            reference: application.reference.0.clone(),
            prefecture: application
                .prefecture
                .as_ref()
                .map(|p| format!("{} ({}) — {}", p.departement_name(), p.as_str(), p.seat()))
                .unwrap_or_default(),
            given_names: civil.given_names.clone(),
            surname: civil.surname.clone(),
            birth_date: civil.birth_date,
            birth_place: civil.birth_place.clone(),
            birth_country: Some(civil.birth_country.as_str().to_string()),
            nationality: civil.nationality.as_str().to_string(),
            foreigner_number: application.foreigner_number.as_ref().map(|n| n.as_str().to_string()),
            procedure: application.procedure,
            current_title: application.current_title.clone(),
            submitted_at,
            late_fee_eur: application.late_fee_eur,
            documents: accepted.into_iter().map(|d| (d.kind, d.file_name.clone())).collect(),
            verification_code,
            verify_url,
            decided_at: None,
            extension: None,
        }
    }

    /// When an extension certificate starts (its creation date).
    fn issued_on(&self) -> Option<DateTime<Utc>> {
        self.extension
            .map(|p| p.from.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// "Given names SURNAME", as printed (and as `IssuedDocument::holder_name`).
    pub fn holder_name(&self) -> String {
        format!("{} {}", self.given_names.trim(), self.surname.trim().to_uppercase())
    }

    /// "3 mars 1998 à Dakar, Sénégal" / "3 March 1998 in Dakar, Senegal".
    fn birth(&self, language: Language, labels: &ReceiptLabels) -> String {
        let place = self.birth_place.trim();
        let place = match &self.birth_country {
            Some(country) => {
                let country =
                    country_name(country, language).map_or_else(|| country.trim().to_uppercase(), str::to_string);
                format!("{place}, {country}")
            }
            None => place.to_string(),
        };
        format!("{} {} {place}", format_date(self.birth_date, language), labels.born_in)
    }
}

const MARGIN: f32 = 56.0;
const TOP: f32 = 42.0;
/// Room kept at the bottom of each page for the footer.
const BOTTOM: f32 = 64.0;
/// Where values start in the label/value rows.
const VALUE_COLUMN: f32 = 170.0;
/// One QR module, in points: a version-4 code is then 3.5 cm wide.
const QR_MODULE: f32 = 3.0;

const HEADER: Font = Font::new(Style::Bold, 10.5, BLACK);
const SMALL: Font = Font::new(Style::Regular, 8.5, GREY);
const TITLE: Font = Font::new(Style::Bold, 17.0, BLUE);
const SECTION: Font = Font::new(Style::Bold, 11.5, BLUE);
const LABEL: Font = Font::new(Style::Regular, 9.5, GREY);
const VALUE: Font = Font::new(Style::Regular, 10.5, BLACK);
const STRONG: Font = Font::new(Style::Bold, 10.5, BLACK);
const FILE: Font = Font::new(Style::Regular, 9.5, GREY);
const CODE: Font = Font::new(Style::Bold, 18.0, BLACK);
const URL: Font = Font::new(Style::Regular, 9.5, BLUE);
const FOOTER: Font = Font::new(Style::Regular, 7.5, GREY);

/// The submission receipt as a PDF (A4, fonts embedded and subset).
pub fn receipt(data: &ReceiptData, language: Language) -> anyhow::Result<Vec<u8>> {
    let labels = ReceiptLabels::get(language);
    let qr = QrMatrix::encode(&data.verify_url)?;
    let mut doc = Doc::new(MARGIN, TOP, BOTTOM)?;

    header(&mut doc, data, labels);

    // Title.
    let (title, statement_text, subject) = match data.kind {
        IssuedKind::SubmissionReceipt => (labels.title, labels.statement, labels.subject),
        IssuedKind::FavourableDecision => (
            labels.decision_title,
            labels.decision_statement,
            labels.decision_subject,
        ),
        IssuedKind::ExtensionCertificate => (
            labels.extension_title,
            labels.extension_statement,
            labels.extension_subject,
        ),
    };
    let width = doc.width();
    let (left, y) = (doc.left, doc.y);
    doc.y -= doc.paragraph_at(left, y, width, TITLE, title) + 12.0;

    section(&mut doc, labels.application);
    row(&mut doc, &labels.colon(labels.reference), &data.reference, STRONG);
    let requested = match data.procedure {
        Procedure::FirstApplication => labels.first_application,
        Procedure::Renewal => labels.renewal,
    };
    row(&mut doc, &labels.colon(labels.requested), requested, VALUE);
    if let Some(current) = &data.current_title {
        let held = format!(
            "{}, {} {}",
            document_type_name(current.document_type, language),
            labels.valid_until,
            format_date(current.valid_until, language)
        );
        row(&mut doc, &labels.colon(labels.current_title), &held, VALUE);
    }
    let prefecture = if data.prefecture.trim().is_empty() {
        "—"
    } else {
        data.prefecture.trim()
    };
    row(&mut doc, &labels.colon(labels.prefecture), prefecture, VALUE);
    let submitted = format!(
        "{} ({})",
        format_date_time(data.submitted_at, language),
        labels.paris_time
    );
    row(&mut doc, &labels.colon(labels.submitted_at), &submitted, VALUE);
    if let Some(fee) = data.late_fee_eur {
        let amount = match language {
            Language::Fr => format!("{fee}\u{a0}€"),
            Language::En => format!("€{fee}"),
        };
        row(&mut doc, &labels.colon(labels.late_fee), &amount, STRONG);
    }
    if let Some(decided_at) = data.decided_at {
        let decided = format!("{} ({})", format_date_time(decided_at, language), labels.paris_time);
        row(&mut doc, &labels.colon(labels.decided_at), &decided, STRONG);
    }
    if let Some(period) = data.extension {
        let covered = format!(
            "{} {} {} {}",
            labels.from,
            format_date(period.from, language),
            labels.to,
            format_date(period.until, language)
        );
        row(&mut doc, &labels.colon(labels.extension_period), &covered, STRONG);
    }

    section(&mut doc, labels.applicant);
    row(&mut doc, &labels.colon(labels.name), &data.holder_name(), STRONG);
    row(
        &mut doc,
        &labels.colon(labels.birth),
        &data.birth(language, labels),
        VALUE,
    );
    row(
        &mut doc,
        &labels.colon(labels.nationality),
        &country_with_code(&data.nationality, language),
        VALUE,
    );
    if let Some(number) = data.foreigner_number.as_deref().filter(|n| !n.trim().is_empty()) {
        row(&mut doc, &labels.colon(labels.foreigner_number), number.trim(), VALUE);
    }

    if data.kind == IssuedKind::SubmissionReceipt {
        section(&mut doc, labels.documents);
        documents(&mut doc, data, language, labels);
    }

    doc.y -= 8.0;
    statement(&mut doc, statement_text);
    doc.y -= 16.0;
    verification(&mut doc, data, &qr, labels);

    footers(&mut doc, data, labels);
    doc.finish(&Info {
        title: &format!("{subject} {}", data.reference),
        subject: title,
        lang: match language {
            Language::Fr => "fr-FR",
            Language::En => "en-GB",
        },
        created: data.decided_at.or(data.issued_on()).unwrap_or(data.submitted_at),
    })
}

/// "RÉPUBLIQUE FRANÇAISE" and the service on the left, the reference on the right.
fn header(doc: &mut Doc, data: &ReceiptData, labels: &ReceiptLabels) {
    let top = doc.y;
    let (left, right) = (doc.left, doc.right);
    let baseline = top - doc.cap_height(HEADER);
    doc.text(left, baseline, HEADER, labels.republic);
    let second = baseline - HEADER.leading() - 1.0;
    doc.text(left, second, SMALL, labels.service);

    let label_width = doc.measure(SMALL, labels.reference);
    doc.text(right - label_width, baseline, SMALL, labels.reference);
    let reference_font = Font::new(Style::Bold, 12.0, BLUE);
    let reference_width = doc.measure(reference_font, &data.reference);
    doc.text(right - reference_width, second, reference_font, &data.reference);

    let rule = second - 14.0;
    doc.hline(left, right, rule, 1.5, BLUE);
    doc.y = rule - 16.0;
}

/// A section title with a thin rule under it.
fn section(doc: &mut Doc, title: &str) {
    doc.y -= 6.0;
    doc.ensure(60.0);
    let (left, right, top) = (doc.left, doc.right, doc.y);
    let baseline = top - doc.cap_height(SECTION);
    doc.text(left, baseline, SECTION, title);
    doc.hline(left, right, baseline - 6.0, 0.5, RULE);
    doc.y = baseline - 15.0;
}

/// A label and its value, each wrapped in its column.
fn row(doc: &mut Doc, label: &str, value: &str, value_font: Font) {
    let label_width = VALUE_COLUMN - 10.0;
    let value_width = doc.width() - VALUE_COLUMN;
    let label_lines = doc.wrap(label, LABEL, label_width).len();
    let value_lines = doc.wrap(value, value_font, value_width).len();
    let height = doc
        .block_height(label_lines, LABEL)
        .max(doc.block_height(value_lines, value_font));
    doc.ensure(height);
    let (left, top) = (doc.left, doc.y);
    // Labels and values share their first baseline.
    let baseline_shift = doc.cap_height(value_font) - doc.cap_height(LABEL);
    doc.paragraph_at(left, top - baseline_shift, label_width, LABEL, label);
    doc.paragraph_at(left + VALUE_COLUMN, top, value_width, value_font, value);
    doc.y = top - height - 6.0;
}

/// The numbered list of documents: the kind, then the file's name.
fn documents(doc: &mut Doc, data: &ReceiptData, language: Language, labels: &ReceiptLabels) {
    if data.documents.is_empty() {
        let (left, top, width) = (doc.left, doc.y, doc.width());
        doc.y -= doc.paragraph_at(left, top, width, VALUE, labels.no_documents) + 9.0;
        return;
    }
    let number_width = 24.0;
    let kind_width = VALUE_COLUMN + 80.0 - number_width;
    let file_x = number_width + kind_width + 10.0;
    let file_width = doc.width() - file_x;
    for (i, (kind, file_name)) in data.documents.iter().enumerate() {
        let kind_name = document_kind(*kind, language);
        let file_name = shorten(file_name.trim(), 120);
        let kind_lines = doc.wrap(kind_name, VALUE, kind_width).len();
        let file_lines = doc.wrap(&file_name, FILE, file_width).len();
        let height = doc
            .block_height(kind_lines, VALUE)
            .max(doc.block_height(file_lines, FILE));
        doc.ensure(height);
        let (left, top) = (doc.left, doc.y);
        let number = format!("{}.", i + 1);
        let number_x = left + number_width - 6.0 - doc.measure(VALUE, &number);
        doc.paragraph_at(number_x, top, number_width, VALUE, &number);
        doc.paragraph_at(left + number_width, top, kind_width, VALUE, kind_name);
        let shift = doc.cap_height(VALUE) - doc.cap_height(FILE);
        doc.paragraph_at(left + file_x, top - shift, file_width, FILE, &file_name);
        doc.y = top - height - 5.0;
    }
}

/// At most `max` characters, the end replaced by "…" (a file name is display only).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

/// The statement that the receipt gives no right of stay, in a tinted box.
fn statement(doc: &mut Doc, text: &str) {
    let padding = 11.0;
    let inner = doc.width() - 2.0 * padding - 4.0;
    let lines = doc.wrap(text, STRONG, inner).len();
    let text_height = doc.block_height(lines, STRONG);
    let height = text_height + 2.0 * padding + 2.0;
    doc.ensure(height);
    let (left, top, width) = (doc.left, doc.y, doc.width());
    doc.fill_rect(left, top - height, width, height, LIGHT);
    doc.fill_rect(left, top - height, 4.0, height, BLUE);
    doc.paragraph_at(left + 4.0 + padding, top - padding - 1.0, inner, STRONG, text);
    doc.y = top - height;
}

/// The box with the QR code, the short code and the verification URL.
fn verification(doc: &mut Doc, data: &ReceiptData, qr: &QrMatrix, labels: &ReceiptLabels) {
    let padding = 12.0;
    let module = QR_MODULE.min(120.0 / qr.width as f32);
    let qr_size = qr.width as f32 * module;
    let text_x = padding + qr_size + 2.0 * padding;
    let text_width = doc.width() - text_x - padding;
    let title_font = Font::new(Style::Bold, 11.0, BLUE);
    let help_font = Font::new(Style::Regular, 9.0, GREY);

    let title = doc.wrap(labels.verification, title_font, text_width);
    let help = doc.wrap(labels.verification_help, help_font, text_width);
    let url = doc.wrap(&data.verify_url, URL, text_width);
    let text_height = doc.block_height(title.len(), title_font)
        + 14.0
        + doc.block_height(1, LABEL)
        + 10.0
        + doc.block_height(1, CODE)
        + 14.0
        + doc.block_height(help.len(), help_font)
        + 6.0
        + doc.block_height(url.len(), URL);
    // The QR code keeps a quiet zone of at least 4 modules inside the box.
    let quiet = padding.max(4.0 * module);
    let height = (qr_size + 2.0 * quiet).max(text_height + 2.0 * padding + 4.0);
    doc.ensure(height);
    let (left, top, width) = (doc.left, doc.y, doc.width());
    doc.stroke_rect(left, top - height, width, height, 0.75, RULE);

    let qr_top = top - (height - qr_size) / 2.0;
    qr.draw(doc.content(), left + quiet, qr_top, module);

    let x = left + quiet + qr_size + quiet + 6.0;
    let text_width = left + width - padding - x;
    let mut y = top - padding - 2.0;
    y -= doc.paragraph_at(x, y, text_width, title_font, labels.verification) + 14.0;
    y -= doc.paragraph_at(x, y, text_width, LABEL, &labels.colon(labels.verification_code)) + 10.0;
    y -= doc.paragraph_at(x, y, text_width, CODE, &data.verification_code.display()) + 14.0;
    y -= doc.paragraph_at(x, y, text_width, help_font, labels.verification_help) + 6.0;
    doc.paragraph_at(x, y, text_width, URL, &data.verify_url);
    doc.y = top - height;
}

/// On every page: issued electronically, the reference and "Page n of N".
fn footers(doc: &mut Doc, data: &ReceiptData, labels: &ReceiptLabels) {
    let pages = doc.page_count();
    let (left, right) = (doc.left, doc.right);
    for page in 0..pages {
        let baseline = 30.0;
        let rule = baseline + 12.0;
        let right_text = format!(
            "{} · {} {} {} {}",
            data.reference,
            labels.page,
            page + 1,
            labels.page_of,
            pages
        );
        let width = doc.measure(FOOTER, &right_text);
        doc.text_on_page(page, left, baseline, FOOTER, labels.issued_electronically);
        doc.text_on_page(page, right - width, baseline, FOOTER, &right_text);
        doc.hline_on_page(page, left, right, rule, 0.5, RULE);
    }
}
