//! Supporting documents (F11). Files never pass through the API: it signs
//! a short-lived upload URL for exactly the declared type and length under
//! a key it chooses (`applications/<application>/<random uuid v4>`), then
//! `confirm` (or the storage event, through [`check_upload`]) inspects what
//! was stored: its size and first bytes decide, never its name.
//!
//! Every change goes through `Applications::save`, conditional on the
//! version read, and withdraws the review validation of the documents
//! section. Objects that no document points to any more (replaced,
//! deleted, rejected) are deleted from storage after the save.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::Invalid;
use crate::domain::application::documents::{DocumentKind, FileType, RejectionReason};
use crate::domain::application::{ApplicationId, Changing, DocumentId, DocumentStatus, Section, SupportingDocument};
use crate::domain::validation::text;
use crate::ports::{Case, DocumentChange, PresignedRequest, StoredObject};

use super::accounts::Authenticated;
use super::applications::{DocumentView, Edit, check_editable, edit, kind_code, random_bytes, required_documents};
use super::review::{acting_agent, reachable_case};
use super::transitions::Acting;
use super::{App, ServiceError, ServiceResult};
use crate::domain::FieldCode;
use crate::service::ProblemCode;

/// How long an upload URL may be used.
pub const UPLOAD_URL_LIFETIME: Duration = Duration::minutes(10);
/// How long a download URL may be used.
pub const DOWNLOAD_URL_LIFETIME: Duration = Duration::minutes(5);

/// A file the applicant is about to upload.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct UploadRequest {
    /// One of the kinds this case requires (`documents.required` of the application).
    #[schema(required = true, value_type = DocumentKind, example = "passport")]
    pub kind: String,
    /// The file's name on the device (shown only).
    #[schema(required = true, example = "passeport.pdf")]
    pub file_name: String,
    #[schema(required = true, value_type = FileType, example = "application/pdf")]
    pub content_type: String,
    /// Exact length in bytes; the upload URL accepts this length only.
    #[schema(required = true, example = 482133)]
    pub size: Option<i64>,
}

/// Where to send the file, and the document waiting for it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UploadTicket {
    pub document: DocumentView,
    /// Send the file with exactly this method, URL and headers, before `expires_at`.
    pub upload: PresignedRequest,
    /// The application's version after this change.
    pub application_version: u64,
}

/// A document after a change.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentChanged {
    pub document: DocumentView,
    /// The application's version after this change.
    pub application_version: u64,
}

/// Sign an upload: for the applicant, one required document (it replaces
/// the document of that kind, if any) or a message's attachment; for an
/// agent, a message's attachment or the signed refusal decision.
pub async fn request_upload(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    input: &UploadRequest,
    expected: Option<u64>,
) -> ServiceResult<UploadTicket> {
    let acting = acting(auth)?;
    let case = reachable_case(app, &acting, id).await?;
    let current = &case.application;
    let agent = auth.is_agent();
    let parsed = parse_kind(&input.kind);
    // The applicant uploads supporting documents and attachments; an agent,
    // attachments and the refusal decision.
    if let Ok(kind) = parsed {
        let theirs = match kind {
            DocumentKind::Attachment => true,
            DocumentKind::RefusalDecision => agent,
            _ => !agent,
        };
        if !theirs {
            return Err(Invalid::from(crate::domain::FieldError::new("kind", FieldCode::NotRequired)).into());
        }
    }
    // A supporting document: a draft takes any required kind; an answer to
    // a complement request, the kinds it names (checked with the kind below).
    let answering = current.may_change(Changing::Complement) && parsed.is_ok_and(|k| k.is_supporting());
    let what = match parsed {
        Ok(kind) if !kind.is_supporting() => Changing::Document(kind),
        _ if answering => Changing::Complement,
        _ => Changing::Content,
    };
    check_editable(current, what, expected)?;

    let max = app.config.max_upload_bytes;
    let mut e = Invalid::default();
    let kind = match parsed {
        Err(code) => {
            e.push("kind", code);
            None
        }
        Ok(kind) if !kind.is_supporting() => Some(kind),
        Ok(kind) if answering && current.may_change(Changing::Document(kind)) => Some(kind),
        Ok(kind) if !answering && required_documents(current).contains(&kind) => Some(kind),
        Ok(_) => {
            e.push("kind", FieldCode::NotRequired);
            None
        }
    };
    let file_name = e.check("file_name", text(&input.file_name, 255));
    let file_type = match kind {
        // The préfecture's decision is a signed PDF.
        Some(DocumentKind::RefusalDecision) => e.check(
            "content_type",
            FileType::parse_mime(&input.content_type).and_then(|t| {
                if t == FileType::Pdf {
                    Ok(t)
                } else {
                    Err(FieldCode::UnsupportedType)
                }
            }),
        ),
        _ => e.check("content_type", FileType::parse_mime(&input.content_type)),
    };
    let size = match input.size {
        None => {
            e.push("size", FieldCode::Required);
            None
        }
        Some(s) if s <= 0 => {
            e.push("size", FieldCode::MustBePositive);
            None
        }
        Some(s) if s as u64 > max => {
            e.push("size", FieldCode::TooLarge);
            None
        }
        Some(s) => Some(s as u64),
    };
    e.into_result()?;
    let (Some(kind), Some(file_name), Some(file_type), Some(size)) = (kind, file_name, file_type, size) else {
        unreachable!("checked above")
    };
    let supporting = kind.is_supporting();

    let now = app.ports.clock.now();
    let random = random_bytes(app);
    let mut uuid_bytes = [0u8; 16];
    uuid_bytes.copy_from_slice(&random[..16]);
    let document = SupportingDocument {
        id: DocumentId(app.ports.random.id()),
        application: id,
        kind,
        file_name,
        file_type,
        size,
        storage_key: format!(
            "applications/{id}/{}",
            uuid::Builder::from_random_bytes(uuid_bytes).into_uuid()
        ),
        status: DocumentStatus::AwaitingUpload,
        created_at: now,
        uploaded_by: Some(auth.account.id),
    };
    let drafting = supporting && !answering;
    let (saved, replaced) = edit(
        app,
        owner(auth),
        id,
        expected,
        Changing::Document(kind),
        Some(case),
        |application, documents| {
            // The housing may have changed since the check above.
            if drafting && !required_documents(application).contains(&kind) {
                return Err(Invalid::from(crate::domain::FieldError::new("kind", FieldCode::NotRequired)).into());
            }
            // A replacement asked for by the préfecture is a new document:
            // the original stays, for the agent to see both. So is every
            // file of the conversation or of the decision.
            let replaced: Vec<&SupportingDocument> = if drafting {
                documents.iter().filter(|d| d.kind == kind).collect()
            } else {
                Vec::new()
            };
            let mut changes: Vec<DocumentChange> = replaced.iter().map(|d| DocumentChange::Delete(d.id)).collect();
            changes.push(DocumentChange::Put(document.clone()));
            if drafting {
                application.section_changed(Section::Documents);
            }
            Ok(Edit::Save {
                documents: changes,
                value: replaced.iter().map(|d| d.storage_key.clone()).collect::<Vec<_>>(),
            })
        },
    )
    .await?;
    delete_objects(app, &replaced).await;
    let upload = app
        .ports
        .storage
        .presign_upload(&document.storage_key, file_type, size, now + UPLOAD_URL_LIFETIME)
        .await?;
    tracing::info!(
        account_id = %auth.account.id,
        application_id = %id,
        document_id = %document.id.0,
        kind = kind_code(kind),
        replaced = replaced.len(),
        "upload signed"
    );
    Ok(UploadTicket {
        document: DocumentView::of(&document),
        upload,
        application_version: saved.application.version,
    })
}

/// Look at what was uploaded for a document and accept or reject it. With
/// nothing uploaded yet, `not_uploaded` and no change. A document already
/// checked is returned as it is. An agent checks only the préfecture's own
/// uploads (attachments, the refusal decision).
pub async fn confirm(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    document: DocumentId,
    expected: Option<u64>,
) -> ServiceResult<DocumentChanged> {
    let case = reachable_case(app, &acting(auth)?, id).await?;
    let found = case
        .documents
        .iter()
        .find(|d| d.id == document && (!auth.is_agent() || !d.kind.is_supporting()))
        .ok_or(ServiceError::NotFound("document"))?;
    if found.status != DocumentStatus::AwaitingUpload {
        return Ok(DocumentChanged {
            document: DocumentView::of(found),
            application_version: case.application.version,
        });
    }
    check_editable(&case.application, Changing::Document(found.kind), expected)?;
    let found = found.clone();
    inspect_and_record(app, Some(auth), id, found, expected, Some(case)).await
}

/// The storage event's check (the S3 upload notification on AWS): the same
/// inspection as `confirm`, for the document stored under `storage_key`.
/// `None` when no document waits for this key (already checked, replaced,
/// or not a document's key).
pub async fn check_upload(app: &App, storage_key: &str) -> ServiceResult<Option<DocumentView>> {
    let Some(id) = storage_key
        .strip_prefix("applications/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| Uuid::parse_str(id).ok())
        .map(ApplicationId)
    else {
        return Ok(None);
    };
    let Some(case) = app.ports.applications.case(id).await? else {
        return Ok(None);
    };
    let Some(found) = case
        .documents
        .iter()
        .find(|d| d.storage_key == storage_key && d.status == DocumentStatus::AwaitingUpload)
        .cloned()
    else {
        return Ok(None);
    };
    match inspect_and_record(app, None, id, found, None, Some(case)).await {
        Ok(changed) => Ok(Some(changed.document)),
        // Not uploaded after all, or no longer a draft: nothing to record.
        Err(ServiceError::Rejected(_) | ServiceError::Conflict(_) | ServiceError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn inspect_and_record(
    app: &App,
    auth: Option<&Authenticated>,
    id: ApplicationId,
    document: SupportingDocument,
    expected: Option<u64>,
    read: Option<Case>,
) -> ServiceResult<DocumentChanged> {
    let object = app
        .ports
        .storage
        .inspect(&document.storage_key)
        .await?
        .ok_or(ServiceError::Rejected(ProblemCode::NotUploaded))?;
    let status = verdict(&object, &document, app.config.max_upload_bytes);
    let owner = auth.and_then(owner);
    let what = Changing::Document(document.kind);
    let (saved, ()) = edit(app, owner, id, expected, what, read, |application, documents| {
        let Some(current) = documents
            .iter()
            .find(|d| d.id == document.id && d.storage_key == document.storage_key)
        else {
            return Err(ServiceError::NotFound("document"));
        };
        if current.status != DocumentStatus::AwaitingUpload {
            // Checked meanwhile (the storage event and `confirm` both ran).
            return Ok(Edit::Unchanged(()));
        }
        let mut checked = current.clone();
        checked.status = status.clone();
        if application.status.is_editable() {
            application.section_changed(Section::Documents);
        }
        Ok(Edit::Save {
            documents: vec![DocumentChange::Put(checked)],
            value: (),
        })
    })
    .await?;
    let checked = saved
        .documents
        .iter()
        .find(|d| d.id == document.id)
        .ok_or(ServiceError::NotFound("document"))?;
    if let DocumentStatus::Rejected { reason } = &checked.status {
        delete_objects(app, std::slice::from_ref(&checked.storage_key)).await;
        tracing::info!(application_id = %id, document_id = %document.id.0, reason = reason.code(), "document rejected");
    } else {
        tracing::info!(application_id = %id, document_id = %document.id.0, "document accepted");
    }
    Ok(DocumentChanged {
        document: DocumentView::of(checked),
        application_version: saved.application.version,
    })
}

/// Who uploads: the applicant into their own case, an agent into one of
/// their préfecture's.
fn acting(auth: &Authenticated) -> ServiceResult<Acting<'_>> {
    if auth.is_agent() {
        acting_agent(auth)
    } else {
        Ok(Acting::Applicant(&auth.account))
    }
}

/// The owner a change is checked against: the applicant's own case; an
/// agent's reach was checked when the case was read.
fn owner(auth: &Authenticated) -> Option<crate::domain::account::AccountId> {
    (!auth.is_agent()).then_some(auth.account.id)
}

fn parse_kind(value: &str) -> Result<DocumentKind, FieldCode> {
    match value.trim() {
        "" => Err(FieldCode::Required),
        k => serde_json::from_value::<DocumentKind>(serde_json::Value::String(k.to_string()))
            .map_err(|_| FieldCode::NotInList),
    }
}

/// Accept or reject what storage holds for `document`.
fn verdict(object: &StoredObject, document: &SupportingDocument, max: u64) -> DocumentStatus {
    let reject = |reason| DocumentStatus::Rejected { reason };
    if object.size > max {
        return reject(RejectionReason::TooLarge);
    }
    if object.size != document.size {
        return reject(RejectionReason::SizeMismatch);
    }
    match FileType::sniff(&object.head) {
        None => reject(RejectionReason::UnsupportedContent),
        Some(sniffed) if sniffed != document.file_type => reject(RejectionReason::TypeMismatch),
        Some(_) => DocumentStatus::Accepted,
    }
}

/// A short-lived link to view an accepted document (inline, under its
/// name): for the applicant, any of their case's; for an agent, any of a
/// case of their préfecture (F17).
pub async fn download(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    document: DocumentId,
) -> ServiceResult<PresignedRequest> {
    let case = reachable_case(app, &acting(auth)?, id).await?;
    let found = case
        .documents
        .iter()
        .find(|d| d.id == document)
        .ok_or(ServiceError::NotFound("document"))?;
    if found.status != DocumentStatus::Accepted {
        return Err(ServiceError::Rejected(ProblemCode::NotUploaded));
    }
    let expires_at = app.ports.clock.now() + DOWNLOAD_URL_LIFETIME;
    let request = app
        .ports
        .storage
        .presign_download(&found.storage_key, &found.file_name, found.file_type, expires_at)
        .await?;
    tracing::info!(account_id = %auth.account.id, application_id = %id, document_id = %document.0, "download signed");
    Ok(request)
}

/// Remove a document before submission; returns the application's new version.
pub async fn delete(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    document: DocumentId,
    expected: Option<u64>,
) -> ServiceResult<u64> {
    super::applications::applicant_only(auth)?;
    let (saved, key) = edit(
        app,
        Some(auth.account.id),
        id,
        expected,
        Changing::Content,
        None,
        |application, documents| {
            let found = documents
                .iter()
                .find(|d| d.id == document)
                .ok_or(ServiceError::NotFound("document"))?;
            application.section_changed(Section::Documents);
            Ok(Edit::Save {
                documents: vec![DocumentChange::Delete(document)],
                value: found.storage_key.clone(),
            })
        },
    )
    .await?;
    delete_objects(app, std::slice::from_ref(&key)).await;
    tracing::info!(account_id = %auth.account.id, application_id = %id, document_id = %document.0, "document deleted");
    Ok(saved.application.version)
}

/// Delete objects no document points to any more. The change is saved:
/// a failure here leaves an unreachable object, logged, not an error.
async fn delete_objects(app: &App, keys: &[String]) {
    for key in keys {
        if let Err(e) = app.ports.storage.delete(key).await {
            tracing::warn!(error = format!("{e:#}"), "stale object not deleted");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn document(size: u64, file_type: FileType) -> SupportingDocument {
        SupportingDocument {
            id: DocumentId(Uuid::now_v7()),
            application: ApplicationId(Uuid::now_v7()),
            kind: DocumentKind::Passport,
            file_name: "passeport.pdf".into(),
            file_type,
            size,
            storage_key: "applications/a/b".into(),
            status: DocumentStatus::AwaitingUpload,
            created_at: Utc::now(),
            uploaded_by: None,
        }
    }

    fn object(size: u64, head: &[u8]) -> StoredObject {
        StoredObject {
            size,
            head: head.to_vec(),
        }
    }

    #[test]
    fn content_decides_not_the_name() {
        let pdf = document(100, FileType::Pdf);
        let reason = |s: DocumentStatus| match s {
            DocumentStatus::Rejected { reason } => reason.code().to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(verdict(&object(100, b"%PDF-1.7"), &pdf, 1000), DocumentStatus::Accepted);
        assert_eq!(
            reason(verdict(&object(100, b"\x7fELF\x02\x01"), &pdf, 1000)),
            "unsupported_content"
        );
        assert_eq!(
            reason(verdict(&object(100, b"\x89PNG\r\n\x1a\n"), &pdf, 1000)),
            "type_mismatch"
        );
        assert_eq!(reason(verdict(&object(99, b"%PDF-1.7"), &pdf, 1000)), "size_mismatch");
        assert_eq!(reason(verdict(&object(2000, b"%PDF-1.7"), &pdf, 1000)), "too_large");
    }
}
