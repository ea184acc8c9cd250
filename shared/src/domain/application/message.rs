//! The case's conversation (B4): the applicant and the préfecture write to
//! each other inside the case, with optional files uploaded and checked
//! like any document. Messages are kept in the case, oldest first, and
//! never changed once written.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::documents::DocumentKind;
use super::{Actor, DocumentId, DocumentStatus, SupportingDocument};
use crate::domain::FieldCode;
use crate::domain::account::AccountId;
use crate::domain::validation::{Invalid, text};

/// Longest message.
pub const MAX_TEXT: usize = 2000;
/// Most files joined to one message.
pub const MAX_ATTACHMENTS: usize = 5;
/// Most messages in one case: the case is stored whole, and a conversation
/// that long belongs at the counter.
pub const MAX_MESSAGES: usize = 100;

/// One message of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Message {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub author: Actor,
    pub text: String,
    /// Files of kind `attachment` the author uploaded for it.
    #[schema(value_type = Vec<String>)]
    pub attachments: Vec<DocumentId>,
}

impl Message {
    /// A message by `author`, written `now`, joining the files named by
    /// `attachments` among the case's `documents` (the author's own
    /// uploads); the case already holds `earlier`. Each wrong value comes
    /// with its code.
    pub fn new(
        id: uuid::Uuid,
        author: Actor,
        now: DateTime<Utc>,
        body: &str,
        attachments: &[String],
        documents: &[SupportingDocument],
        earlier: &[Message],
    ) -> Result<Message, Invalid> {
        let uploader: Option<AccountId> = match &author {
            Actor::Applicant { id } | Actor::Agent { id } => Some(*id),
            Actor::System => None,
        };
        let mut e = Invalid::default();
        let body = e.check("text", text(body, MAX_TEXT));
        if attachments.len() > MAX_ATTACHMENTS {
            e.push("attachments", FieldCode::TooMany);
        }
        let mut joined = Vec::new();
        for (i, raw) in attachments.iter().enumerate().take(MAX_ATTACHMENTS) {
            let field = format!("attachments[{i}]");
            let found = uuid::Uuid::parse_str(raw.trim())
                .ok()
                .map(DocumentId)
                .and_then(|id| documents.iter().find(|d| d.id == id));
            let code = match found {
                None => Some(FieldCode::NotInList),
                Some(d) if d.kind != DocumentKind::Attachment || uploader.is_none() || d.uploaded_by != uploader => {
                    Some(FieldCode::NotInList)
                }
                Some(d) if d.status != DocumentStatus::Accepted => Some(FieldCode::NotUploaded),
                Some(d) if joined.contains(&d.id) || earlier.iter().any(|m| m.attachments.contains(&d.id)) => {
                    Some(FieldCode::NotInList)
                }
                Some(d) => {
                    joined.push(d.id);
                    None
                }
            };
            if let Some(code) = code {
                e.push(field, code);
            }
        }
        e.into_result()?;
        Ok(Message {
            id,
            at: now,
            author,
            text: body.unwrap_or_default(),
            attachments: joined,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::application::ApplicationId;
    use crate::domain::application::documents::FileType;

    fn file(kind: DocumentKind, by: AccountId, status: DocumentStatus) -> SupportingDocument {
        SupportingDocument {
            id: DocumentId(uuid::Uuid::now_v7()),
            application: ApplicationId(uuid::Uuid::nil()),
            kind,
            file_name: "note.pdf".into(),
            file_type: FileType::Pdf,
            size: 10,
            storage_key: "applications/x/y".into(),
            status,
            created_at: Utc::now(),
            uploaded_by: Some(by),
        }
    }

    #[test]
    fn only_the_authors_own_checked_attachments_are_joined_once() {
        let me = AccountId(uuid::Uuid::now_v7());
        let other = AccountId(uuid::Uuid::now_v7());
        let mine = file(DocumentKind::Attachment, me, DocumentStatus::Accepted);
        let theirs = file(DocumentKind::Attachment, other, DocumentStatus::Accepted);
        let waiting = file(DocumentKind::Attachment, me, DocumentStatus::AwaitingUpload);
        let passport = file(DocumentKind::Passport, me, DocumentStatus::Accepted);
        let documents = [mine.clone(), theirs.clone(), waiting.clone(), passport.clone()];
        let author = Actor::Applicant { id: me };
        let now = Utc::now();
        let ids = |ds: &[&SupportingDocument]| ds.iter().map(|d| d.id.0.to_string()).collect::<Vec<_>>();

        let message = Message::new(
            uuid::Uuid::nil(),
            author.clone(),
            now,
            "Bonjour",
            &ids(&[&mine]),
            &documents,
            &[],
        )
        .unwrap();
        assert_eq!(message.attachments, vec![mine.id]);

        let refused = Message::new(
            uuid::Uuid::nil(),
            author.clone(),
            now,
            " ",
            &[ids(&[&theirs, &waiting, &passport]), vec!["nope".into()]].concat(),
            &documents,
            &[],
        )
        .unwrap_err();
        let codes: Vec<(String, FieldCode)> = refused.0.iter().map(|f| (f.field.clone(), f.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("text".to_string(), FieldCode::Required),
                ("attachments[0]".to_string(), FieldCode::NotInList),
                ("attachments[1]".to_string(), FieldCode::NotUploaded),
                ("attachments[2]".to_string(), FieldCode::NotInList),
                ("attachments[3]".to_string(), FieldCode::NotInList),
            ]
        );
        // A file already sent with an earlier message is not sent again.
        let again = Message::new(
            uuid::Uuid::nil(),
            author,
            now,
            "Re",
            &ids(&[&mine]),
            &documents,
            &[message],
        );
        assert!(again.is_err());
    }
}
