//! Requests for complements (F18) and their answers (F19): the préfecture
//! names documents, an uploaded one judged unacceptable or a kind that is
//! missing, each with its reason; the applicant answers every item within
//! 30 days, keeping the original with a justification or replacing it. The
//! original is never overwritten: a replacement is a new document.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::documents::DocumentKind;
use super::{DocumentId, DocumentStatus, SupportingDocument};
use crate::domain::FieldCode;
use crate::domain::account::AccountId;
use crate::domain::validation::{Invalid, text};

/// How long the applicant has to answer.
pub const ANSWER_DAYS: i64 = 30;
/// How long before the end the applicant is reminded, once.
pub const REMINDER_DAYS: i64 = 7;
/// Most items in one request.
pub const MAX_ITEMS: usize = 20;
/// Longest reason, justification or message.
pub const MAX_TEXT: usize = 2000;

/// One request of the préfecture, and its answer once sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplementRequest {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub requested_at: DateTime<Utc>,
    #[schema(value_type = String, format = Uuid)]
    pub requested_by: AccountId,
    /// The end of the 30 days to answer.
    pub deadline: DateTime<Utc>,
    pub message: String,
    pub items: Vec<ComplementItem>,
    /// The applicant's message, with the answer.
    #[schema(required = true)]
    pub answer_message: Option<String>,
    /// When the answer was sent ("valider et envoyer").
    #[schema(required = true)]
    pub answered_at: Option<DateTime<Utc>>,
    /// When the applicant was reminded that the end is near (F20).
    #[serde(default)]
    #[schema(required = true)]
    pub reminded_at: Option<DateTime<Utc>>,
}

/// One document the préfecture asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplementItem {
    pub kind: DocumentKind,
    /// The uploaded document judged unacceptable; `null`: the kind is missing.
    #[schema(value_type = Option<String>, format = Uuid, required = true)]
    pub document: Option<DocumentId>,
    pub reason: String,
    /// `null` until the applicant answers the item.
    #[schema(required = true)]
    pub answer: Option<ItemAnswer>,
}

/// How the applicant answers one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemAnswer {
    /// The original stays, with why it is acceptable.
    Keep { justification: String },
    /// A new document of the same kind, uploaded and accepted.
    Replace {
        #[schema(value_type = String, format = Uuid)]
        document: DocumentId,
    },
}

/// An item as the agent typed it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemInput {
    #[schema(value_type = DocumentKind)]
    pub kind: String,
    /// The uploaded document judged unacceptable, if any.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub document_id: Option<String>,
    pub reason: String,
}

impl ComplementRequest {
    /// A request made `now` of the case's `documents`: what it may name is
    /// checked here, every wrong value with its code.
    pub fn new(
        id: uuid::Uuid,
        requested_by: AccountId,
        now: DateTime<Utc>,
        message: &str,
        items: &[ItemInput],
        documents: &[SupportingDocument],
    ) -> Result<ComplementRequest, Invalid> {
        let mut e = Invalid::default();
        let message = e.check("message", text(message, MAX_TEXT));
        if items.is_empty() {
            e.push("items", FieldCode::Required);
        }
        if items.len() > MAX_ITEMS {
            e.push("items", FieldCode::TooMany);
        }
        let mut parsed = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = |field: &str| format!("items[{i}].{field}");
            let kind = e.check(&at("kind"), parse_kind(&item.kind));
            let reason = e.check(&at("reason"), text(&item.reason, MAX_TEXT));
            let document = match item.document_id.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                None => Some(None),
                Some(id) => {
                    let found = uuid::Uuid::parse_str(id)
                        .ok()
                        .and_then(|id| documents.iter().find(|d| d.id == DocumentId(id)));
                    match (found, kind) {
                        (None, _) => {
                            e.push(at("document_id"), FieldCode::NotInList);
                            None
                        }
                        (Some(d), Some(kind)) if d.kind != kind => {
                            e.push(at("document_id"), FieldCode::KindMismatch);
                            None
                        }
                        (Some(d), _) => Some(Some(d.id)),
                    }
                }
            };
            if let (Some(kind), Some(reason), Some(document)) = (kind, reason, document) {
                if parsed.iter().any(|p: &ComplementItem| p.kind == kind) {
                    e.push(at("kind"), FieldCode::TooMany);
                    continue;
                }
                parsed.push(ComplementItem {
                    kind,
                    document,
                    reason,
                    answer: None,
                });
            }
        }
        e.into_result()?;
        Ok(ComplementRequest {
            id,
            requested_at: now,
            requested_by,
            deadline: now + Duration::days(ANSWER_DAYS),
            message: message.unwrap_or_default(),
            items: parsed,
            answer_message: None,
            answered_at: None,
            reminded_at: None,
        })
    }

    pub fn is_open(&self) -> bool {
        self.answered_at.is_none()
    }

    /// When the reminder is due: `REMINDER_DAYS` before the end.
    pub fn reminder_at(&self) -> DateTime<Utc> {
        self.deadline - Duration::days(REMINDER_DAYS)
    }

    /// Record the answer to item `index`. A replacement must be a document
    /// of the item's kind, uploaded for this request and accepted.
    pub fn answer(
        &mut self,
        index: usize,
        answer: ItemAnswer,
        documents: &[SupportingDocument],
    ) -> Result<(), Invalid> {
        let Some(item) = self.items.get_mut(index) else {
            return Err(Invalid::from(crate::domain::FieldError::new(
                "index",
                FieldCode::NotInList,
            )));
        };
        let answer = match answer {
            ItemAnswer::Keep { justification } => {
                let justification = text(&justification, MAX_TEXT)
                    .map_err(|code| Invalid::from(crate::domain::FieldError::new("keep.justification", code)))?;
                ItemAnswer::Keep { justification }
            }
            ItemAnswer::Replace { document } => {
                let field = "replace.document_id";
                let found = documents
                    .iter()
                    .find(|d| d.id == document)
                    .ok_or_else(|| Invalid::from(crate::domain::FieldError::new(field, FieldCode::NotInList)))?;
                let code = if found.kind != item.kind {
                    Some(FieldCode::KindMismatch)
                } else if found.created_at < self.requested_at || Some(found.id) == item.document {
                    // The original, or a file of before the request: not a replacement.
                    Some(FieldCode::NotInList)
                } else if found.status != DocumentStatus::Accepted {
                    Some(FieldCode::NotValidated)
                } else {
                    None
                };
                if let Some(code) = code {
                    return Err(Invalid::from(crate::domain::FieldError::new(field, code)));
                }
                ItemAnswer::Replace { document }
            }
        };
        item.answer = Some(answer);
        Ok(())
    }

    /// "Validate and send": only when every item is answered.
    pub fn send(&mut self, message: Option<&str>, now: DateTime<Utc>) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        for (i, item) in self.items.iter().enumerate() {
            if item.answer.is_none() {
                e.push(format!("items[{i}]"), FieldCode::Required);
            }
        }
        let message = match message.map(str::trim).filter(|m| !m.is_empty()) {
            None => None,
            Some(m) => e.check("message", text(m, MAX_TEXT)),
        };
        e.into_result()?;
        self.answer_message = message;
        self.answered_at = Some(now);
        Ok(())
    }

    /// Whether an upload of `kind` now is a replacement this request awaits.
    pub fn awaits(&self, kind: DocumentKind) -> bool {
        self.is_open() && self.items.iter().any(|i| i.kind == kind)
    }
}

fn parse_kind(value: &str) -> Result<DocumentKind, FieldCode> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    serde_json::from_value(serde_json::Value::String(value.to_string())).map_err(|_| FieldCode::NotInList)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-10-01T08:00:00Z").unwrap().to_utc() + Duration::days(day)
    }

    fn document(kind: DocumentKind, day: i64, status: DocumentStatus) -> SupportingDocument {
        SupportingDocument {
            id: DocumentId(uuid::Uuid::now_v7()),
            application: super::super::ApplicationId(uuid::Uuid::nil()),
            kind,
            file_name: "f.pdf".into(),
            file_type: super::super::documents::FileType::Pdf,
            size: 10,
            storage_key: "k".into(),
            status,
            created_at: at(day),
            uploaded_by: None,
        }
    }

    fn item(kind: &str, document: Option<&SupportingDocument>) -> ItemInput {
        ItemInput {
            kind: kind.into(),
            document_id: document.map(|d| d.id.0.to_string()),
            reason: "Illisible".into(),
        }
    }

    #[test]
    fn a_request_names_documents_of_the_case_or_missing_kinds() {
        let passport = document(DocumentKind::Passport, 0, DocumentStatus::Accepted);
        let documents = [passport.clone()];
        let agent = AccountId(uuid::Uuid::now_v7());
        let ok = ComplementRequest::new(
            uuid::Uuid::now_v7(),
            agent,
            at(1),
            "Merci",
            &[item("passport", Some(&passport)), item("transcripts", None)],
            &documents,
        )
        .unwrap();
        assert_eq!(ok.deadline, at(31));
        assert_eq!(ok.items[0].document, Some(passport.id));

        let refused = ComplementRequest::new(
            uuid::Uuid::now_v7(),
            agent,
            at(1),
            "",
            &[
                item("passport", None),
                item("passport", None),
                item("lottery", None),
                item("transcripts", Some(&passport)),
            ],
            &documents,
        )
        .unwrap_err();
        let codes: Vec<(String, FieldCode)> = refused.0.into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("message".to_string(), FieldCode::Required),
                ("items[1].kind".to_string(), FieldCode::TooMany),
                ("items[2].kind".to_string(), FieldCode::NotInList),
                ("items[3].document_id".to_string(), FieldCode::KindMismatch),
            ]
        );
        assert!(ComplementRequest::new(uuid::Uuid::now_v7(), agent, at(1), "x", &[], &documents).is_err());
    }

    #[test]
    fn answers_keep_or_replace_and_send_only_when_complete() {
        let passport = document(DocumentKind::Passport, 0, DocumentStatus::Accepted);
        let mut request = ComplementRequest::new(
            uuid::Uuid::now_v7(),
            AccountId(uuid::Uuid::now_v7()),
            at(1),
            "Merci",
            &[item("passport", Some(&passport)), item("transcripts", None)],
            std::slice::from_ref(&passport),
        )
        .unwrap();
        let new_transcripts = document(DocumentKind::Transcripts, 2, DocumentStatus::Accepted);
        let old_transcripts = document(DocumentKind::Transcripts, 0, DocumentStatus::Accepted);
        let documents = [passport.clone(), new_transcripts.clone(), old_transcripts.clone()];

        assert!(request.send(None, at(3)).is_err());
        let replace = |d: &SupportingDocument| ItemAnswer::Replace { document: d.id };
        assert!(
            request.answer(0, replace(&passport), &documents).is_err(),
            "the original is no replacement"
        );
        assert!(request.answer(1, replace(&old_transcripts), &documents).is_err());
        assert!(request.answer(1, replace(&passport), &documents).is_err());
        assert!(request.answer(5, replace(&passport), &documents).is_err());
        let keep = ItemAnswer::Keep {
            justification: "  ".into(),
        };
        assert!(request.answer(0, keep, &documents).is_err());
        let keep = ItemAnswer::Keep {
            justification: "Lisible en pleine page".into(),
        };
        request.answer(0, keep, &documents).unwrap();
        request.answer(1, replace(&new_transcripts), &documents).unwrap();
        request.send(Some("Voici"), at(3)).unwrap();
        assert!(!request.is_open());
        assert_eq!(request.answer_message.as_deref(), Some("Voici"));
    }
}
