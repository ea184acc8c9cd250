//! The PDFs the service issues, starting with the submission receipt (F13).
//!
//! Written with `pdf-writer` (a thin, dependency-light PDF serialiser) over
//! a small layout layer of our own; text in DejaVu Sans, embedded as a
//! subset (`subsetter`) with a ToUnicode map so it can be searched; the QR
//! code (`qrcode`) drawn as vector squares; dates in Paris time.

mod dates;
mod font;
mod layout;
mod qr;
mod receipt;
mod texts;

pub use dates::{format_date, format_date_time, paris_offset, to_paris};
pub use qr::{MARKED_CONTENT_TAG as QR_MARKED_CONTENT_TAG, QrMatrix};
pub use receipt::{ReceiptData, receipt};
pub use texts::{country_name, document_kind, document_type_name};
