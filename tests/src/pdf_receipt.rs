//! The submission receipt PDF (F13, B1), read back with an independent PDF
//! parser (lopdf) and QR decoder (rqrr): the text a person or a search tool
//! extracts, the embedded font, and the QR code's content.
//!
//! `SEJOUR_RECEIPT_OUT=dir cargo test -p sejour-tests --test pdf_receipt`
//! also writes the sample receipts there, to look at them.

use chrono::{NaiveDate, TimeZone, Utc};
use lopdf::content::Content;
use lopdf::{Document, Object};
use sejour::domain::account::Language;
use sejour::domain::application::documents::DocumentKind;
use sejour::domain::issued_document::VerificationCode;
use sejour::pdf::{QR_MARKED_CONTENT_TAG, ReceiptData, receipt};

const URL: &str = "https://sejour.example.fr/verify/7F3K9Q2MX4B8";

fn sample() -> ReceiptData {
    ReceiptData {
        kind: sejour::domain::issued_document::IssuedKind::SubmissionReceipt,
        reference: "SEJ-2026-7F3K9Q2M".into(),
        prefecture: "Rhône (69) — Lyon".into(),
        given_names: "Thị Émilie".into(),
        surname: "Nguyễn".into(),
        birth_date: NaiveDate::from_ymd_opt(2001, 3, 1).unwrap(),
        birth_place: "Hô Chi Minh-Ville".into(),
        birth_country: Some("VNM".into()),
        nationality: "VNM".into(),
        foreigner_number: Some("7501234567".into()),
        procedure: sejour::domain::eligibility::Procedure::Renewal,
        current_title: Some(sejour::domain::application::extension::CurrentTitle {
            kind: sejour::domain::state_record::RecordKind::Permit,
            document_type: sejour::domain::state_record::DocumentType::PermitStudent,
            valid_until: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        }),
        // 13:05 UTC is 14:05 in Paris in November (winter time).
        submitted_at: Utc.with_ymd_and_hms(2026, 11, 28, 13, 5, 0).unwrap(),
        late_fee_eur: None,
        documents: vec![
            (DocumentKind::Passport, "passeport-émilie.pdf".into()),
            (DocumentKind::CurrentVisaOrPermit, "visa_long_séjour.jpg".into()),
            (
                DocumentKind::HostCertificate,
                "attestation hébergement « Lefèvre ».pdf".into(),
            ),
            (DocumentKind::HostId, "CNI-Lefèvre.png".into()),
            (DocumentKind::HostProofOfAddress, "facture EDF août 2026.pdf".into()),
            (
                DocumentKind::RepublicCommitment,
                "contrat-engagement-république.pdf".into(),
            ),
            (
                DocumentKind::EnrolmentCertificate,
                "certificat_scolarité_2026-2027.pdf".into(),
            ),
            (DocumentKind::ProofOfResources, "bourse-campus-france.pdf".into()),
        ],
        verification_code: VerificationCode::parse("7F3K-9Q2M-X4B8").unwrap(),
        verify_url: URL.into(),
        decided_at: None,
        extension: None,
    }
}

fn render(data: &ReceiptData, language: Language) -> Vec<u8> {
    let bytes = receipt(data, language).expect("the receipt renders");
    if let Ok(dir) = std::env::var("SEJOUR_RECEIPT_OUT") {
        let name = format!("receipt-{}-{}.pdf", language.as_str(), data.documents.len());
        std::fs::write(std::path::Path::new(&dir).join(name), &bytes).unwrap();
    }
    bytes
}

/// The text of every page, whitespace (including no-break spaces) collapsed.
fn text(pdf: &[u8]) -> String {
    let doc = Document::load_mem(pdf).expect("the receipt parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let raw = doc.extract_text(&pages).expect("text extracts");
    raw.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_contains(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e:?} not found in the extracted text:\n{text}");
    }
}

#[test]
fn the_french_receipt_reads_back_with_accents_and_paris_time() {
    let pdf = render(&sample(), Language::Fr);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
    let text = text(&pdf);
    assert_contains(
        &text,
        &[
            "RÉPUBLIQUE FRANÇAISE",
            "Attestation de dépôt d’une demande de titre de séjour",
            "SEJ-2026-7F3K9Q2M",
            "Préfecture compétente : Rhône (69) — Lyon",
            "Thị Émilie NGUYỄN",
            "1er mars 2001 à Hô Chi Minh-Ville, Viêt Nam",
            "Nationalité : Viêt Nam (VNM)",
            "Numéro étranger : 7501234567",
            "Date et heure de dépôt : 28 novembre 2026 à 14 h 05 (heure de Paris)",
            "Pièces justificatives déposées",
            "Passeport (pages d’identité)",
            "passeport-émilie.pdf",
            "Attestation d’hébergement",
            "attestation hébergement « Lefèvre ».pdf",
            "ne confère aucun droit au séjour",
            "Code de vérification",
            "7F3K-9Q2M-X4B8",
            "Page 1 sur 1",
        ],
    );
    // Transcripts were not among the documents submitted.
    assert!(!text.contains("Relevés de notes de l’année précédente"));
    // The URL may be cut across lines inside the box; it is all there.
    assert!(text.replace(' ', "").contains(URL), "{text}");
    assert!(!text.contains('\u{fffd}'), "a character the font lacks: {text}");
}

#[test]
fn the_english_receipt_has_every_label_translated() {
    let pdf = render(&sample(), Language::En);
    let text = text(&pdf);
    assert_contains(
        &text,
        &[
            "FRENCH REPUBLIC",
            "Receipt of an application for a residence permit",
            "Application reference: SEJ-2026-7F3K9Q2M",
            "Prefecture in charge: Rhône (69) — Lyon",
            "Given names and SURNAME: Thị Émilie NGUYỄN",
            "1 March 2001 in Hô Chi Minh-Ville, Viet Nam",
            "Nationality: Viet Nam (VNM)",
            "Foreign national number: 7501234567",
            "Date and time of submission: 28 November 2026 at 14:05 (Paris time)",
            "Supporting documents submitted",
            "Passport (identity pages)",
            "Host’s certificate of accommodation",
            "gives no right of stay",
            "Verification code:",
            "7F3K-9Q2M-X4B8",
            "Page 1 of 1",
        ],
    );
    for french in [
        "Attestation de dépôt",
        "Nationalité",
        "heure de Paris",
        "Passeport",
        "Page 1 sur 1",
    ] {
        assert!(!text.contains(french), "{french:?} left in the English receipt");
    }
}

#[test]
fn summer_time_and_an_unknown_foreigner_number() {
    let mut data = sample();
    // 12:05 UTC is 14:05 in Paris in July (summer time).
    data.submitted_at = Utc.with_ymd_and_hms(2026, 7, 1, 12, 5, 0).unwrap();
    data.foreigner_number = None;
    data.nationality = "XKX".into();
    let fr = text(&render(&data, Language::Fr));
    assert_contains(&fr, &["1er juillet 2026 à 14 h 05", "Nationalité : XKX"]);
    assert!(!fr.contains("Numéro étranger"), "{fr}");
    let en = text(&render(&data, Language::En));
    assert_contains(&en, &["1 July 2026 at 14:05"]);
    assert!(!en.contains("Foreign national number"), "{en}");
}

#[test]
fn the_fonts_are_embedded_as_subsets() {
    let pdf = render(&sample(), Language::Fr);
    let doc = Document::load_mem(&pdf).unwrap();
    let mut embedded = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let name = String::from_utf8(dict.get(b"FontName").unwrap().as_name().unwrap().to_vec()).unwrap();
        let file = dict
            .get(b"FontFile2")
            .expect("a FontFile2 stream")
            .as_reference()
            .unwrap();
        let stream = doc.get_object(file).unwrap().as_stream().unwrap();
        let font = stream.decompressed_content().unwrap();
        // A TrueType font, much smaller than the 700 KB DejaVu files.
        assert_eq!(font[..4], [0, 1, 0, 0], "{name}");
        assert!(font.len() < 60_000, "{name}: {} bytes", font.len());
        embedded.push(name);
    }
    // By name: the six-letter subset tag before `+` is the font's hash.
    embedded.sort_by_key(|n| n.split_once('+').map(|(_, name)| name.to_string()));
    assert_eq!(embedded.len(), 2, "{embedded:?}");
    assert!(embedded[0].ends_with("+DejaVuSans"), "{embedded:?}");
    assert!(embedded[1].ends_with("+DejaVuSans-Bold"), "{embedded:?}");
    assert!(embedded.iter().all(|n| n.as_bytes()[6] == b'+'));
}

/// The QR code's modules as drawn: the rectangles inside the marked content,
/// in module units, rows from the top.
fn drawn_qr(pdf: &[u8]) -> (usize, Vec<bool>, f32) {
    let doc = Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = Content::decode(&doc.get_page_content(page)).unwrap();
    let mut inside = false;
    let mut scale = 0.0;
    let mut rects = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "BMC" if op.operands[0].as_name().unwrap() == QR_MARKED_CONTENT_TAG => inside = true,
            "EMC" => inside = false,
            "cm" if inside => scale = op.operands[0].as_float().unwrap(),
            "re" if inside => {
                let v: Vec<f32> = op.operands.iter().map(|o| o.as_float().unwrap()).collect();
                rects.push((v[0], v[1], v[2], v[3]));
            }
            _ => {}
        }
    }
    assert!(!rects.is_empty(), "no QR code found");
    let width = rects.iter().map(|r| (r.0 + r.2) as usize).max().unwrap();
    let mut dark = vec![false; width * width];
    for (x, y, w, h) in rects {
        assert_eq!((h, x.fract(), y.fract(), w.fract()), (1.0, 0.0, 0.0, 0.0));
        let row = width - 1 - y as usize;
        for col in x as usize..(x + w) as usize {
            dark[row * width + col] = true;
        }
    }
    (width, dark, scale)
}

#[test]
fn the_qr_code_drawn_is_the_verification_url() {
    let pdf = render(&sample(), Language::En);
    let (width, dark, module) = drawn_qr(&pdf);
    assert!(module >= 2.0, "modules of {module} pt are too small to scan on paper");

    // The very matrix the qrcode crate makes for the URL...
    let expected = qrcode::QrCode::with_error_correction_level(URL, qrcode::EcLevel::M).unwrap();
    assert_eq!(width, expected.width());
    let expected: Vec<bool> = expected
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    assert_eq!(dark, expected);

    // ...and an independent decoder reads the URL back from it.
    let (pixels, quiet) = (4, 4);
    let size = (width + 2 * quiet) * pixels;
    let mut image = rqrr::PreparedImage::prepare_from_bitmap(size, size, |x, y| {
        let (col, row) = ((x / pixels).wrapping_sub(quiet), (y / pixels).wrapping_sub(quiet));
        col < width && row < width && dark[row * width + col]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, URL);
}

#[test]
fn a_long_list_of_documents_flows_onto_a_second_page() {
    let mut data = sample();
    let long = "scan ".repeat(30);
    let supporting = DocumentKind::ALL.into_iter().filter(|k| k.is_supporting());
    data.documents = supporting
        .clone()
        .chain(supporting)
        .enumerate()
        .map(|(i, kind)| (kind, format!("{i:02} {long}.pdf")))
        .collect();
    let pdf = render(&data, Language::Fr);
    let doc = Document::load_mem(&pdf).unwrap();
    assert_eq!(doc.get_pages().len(), 2);
    let text = text(&pdf);
    assert_contains(
        &text,
        &[
            "Page 1 sur 2",
            "Page 2 sur 2",
            "7F3K-9Q2M-X4B8",
            "ne confère aucun droit",
        ],
    );
    // Every document is listed, its number in front.
    for i in 1..=20 {
        assert!(text.contains(&format!(" {i}. ")), "document {i} missing: {text}");
    }
    // Long file names are cut with an ellipsis, not spilled.
    assert!(text.contains('…'));
}
