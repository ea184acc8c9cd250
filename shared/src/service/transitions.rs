//! Every change of an application's status goes through [`transition`]:
//! who may act on the case, the lifecycle's `Status::next`, the audit event,
//! the notification, any issued document, the conditional save and the
//! answer to a lost race, in one place. Submission, withdrawal, the review's
//! actions and the scheduled job only say what their action writes besides
//! the new status (a [`Change`]).

use chrono::{DateTime, Utc};

use crate::domain::account::{Account, AccountId};
use crate::domain::application::documents::FileType;
use crate::domain::application::lifecycle::Action;
use crate::domain::application::{Actor, Application, ApplicationId, AuditEvent};
use crate::domain::issued_document::IssuedDocument;
use crate::domain::notification::{Notification, NotificationId, NotificationKind};
use crate::domain::prefecture::PrefectureCode;
use crate::ports::{Case, DocumentChange, StoreError, StoredResponse, Writes};

use super::{App, ServiceError, ServiceResult};
use crate::service::ProblemCode;

/// Who acts, and so which cases they can reach: an applicant their own, an
/// agent those routed to their préfecture, the scheduled job any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acting<'a> {
    /// The applicant's own account: also where their notification goes.
    Applicant(&'a Account),
    Agent {
        id: AccountId,
        prefecture: PrefectureCode,
    },
    System,
}

impl Acting<'_> {
    /// Whether `application` is within reach. Out of reach is "not found",
    /// exactly like a case that does not exist.
    pub fn reaches(&self, application: &Application) -> bool {
        match self {
            Acting::Applicant(account) => application.applicant == account.id,
            Acting::Agent { prefecture, .. } => application.prefecture.as_ref() == Some(prefecture),
            Acting::System => true,
        }
    }

    pub fn actor(&self) -> Actor {
        match self {
            Acting::Applicant(account) => Actor::Applicant { id: account.id },
            Acting::Agent { id, .. } => Actor::Agent { id: *id },
            Acting::System => Actor::System,
        }
    }
}

/// What an action writes besides the new status, in the same atomic write.
#[derive(Debug, Default)]
pub(crate) struct Change {
    pub documents: Vec<DocumentChange>,
    /// The applicant is notified (and emailed "log in to see it").
    pub notify: Option<NotificationKind>,
    /// Other accounts notified (agents of the préfecture), likewise.
    pub notify_agents: Vec<(AccountId, NotificationKind)>,
    pub issued: Option<IssuedDocument>,
    /// An issued document whose standing changes (a withdrawn receipt).
    pub reissued: Option<IssuedDocument>,
    pub idempotency: Option<StoredResponse>,
    /// Generated files, stored before the write and deleted if the write
    /// does not happen.
    pub files: Vec<GeneratedFile>,
}

/// A generated file: its storage key and bytes.
pub(crate) type GeneratedFile = (String, Vec<u8>);

/// The case as saved and what the action returned.
pub(crate) struct Transitioned<T> {
    pub case: Case,
    pub value: T,
}

/// How often an action without the client's version is tried again on a
/// fresh read after another change won the race.
const ATTEMPTS: usize = 5;

/// Read the case (or take `read`, just read by the caller), check that `acting` reaches it and that `action` is
/// possible from its status, let `prepare` change it and say what else to
/// write, then save it all conditionally on the version read. With the
/// client's version (`expected`), a stale read is `version_conflict`;
/// without, the action is tried again on a fresh read a few times (and a
/// status that moved meanwhile refuses it with the lifecycle's code).
pub(crate) async fn transition<T>(
    app: &App,
    acting: &Acting<'_>,
    mut read: Option<Case>,
    id: ApplicationId,
    action: Action,
    expected: Option<u64>,
    mut prepare: impl FnMut(&mut Application, &Case, DateTime<Utc>) -> ServiceResult<(Change, T)>,
) -> ServiceResult<Transitioned<T>> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let case = match read.take() {
            Some(case) => Some(case),
            None => app.ports.applications.case(id).await?,
        }
        .filter(|c| c.application.id == id && acting.reaches(&c.application))
        .ok_or(ServiceError::NotFound("application"))?;
        let application = &case.application;
        let to = application.status.next(action).map_err(ServiceError::NotAllowed)?;
        if expected.is_some_and(|v| v != application.version) {
            return Err(ServiceError::Conflict(ProblemCode::VersionConflict));
        }
        let now = app.ports.clock.now();
        let read = application.version;
        // `prepare` sees the application as it will be saved.
        let mut next = application.clone();
        next.status = to;
        next.version = read + 1;
        next.updated_at = now;
        let event = AuditEvent {
            id: app.ports.random.id(),
            application: id,
            at: now,
            actor: acting.actor(),
            action,
            from: application.status,
            to,
        };
        // `prepare` sees the history with this action in it (for the answers it keeps).
        let from = application.status;
        let mut seen = case;
        seen.events.push(event.clone());
        let application = &seen.application;
        let (change, value) = prepare(&mut next, &seen, now)?;
        let notifications: Vec<Notification> = change
            .notify
            .map(|kind| (next.applicant, kind))
            .into_iter()
            .chain(change.notify_agents.iter().copied())
            .map(|(account, kind)| Notification::new(NotificationId(app.ports.random.id()), account, kind, now))
            .collect();
        for (key, bytes) in &change.files {
            app.ports.storage.put(key, bytes.clone(), FileType::Pdf).await?;
        }
        let writes = Writes {
            documents: &change.documents,
            events: std::slice::from_ref(&event),
            notifications: &notifications,
            idempotency: change.idempotency.as_ref(),
            issued: change.issued.as_ref(),
            reissued: change.reissued.as_ref(),
        };
        match app.ports.applications.save(&next, application, writes).await {
            Ok(()) => {
                tracing::info!(
                    application_id = %id,
                    action = ?action,
                    from = ?from,
                    to = ?to,
                    version = next.version,
                    "application moved on"
                );
                for notification in &notifications {
                    match acting {
                        Acting::Applicant(account) if account.id == notification.account_id => {
                            super::notifications::announce(app, account, notification).await
                        }
                        _ => match app.ports.accounts.get(notification.account_id).await {
                            Ok(Some(account)) => super::notifications::announce(app, &account, notification).await,
                            Ok(None) => tracing::error!(application_id = %id, "a notified account is missing"),
                            Err(e) => tracing::error!(error = format!("{e:#}"), "notification email not sent"),
                        },
                    }
                }
                let mut saved = seen;
                saved.application = next;
                super::applications::apply_changes(&mut saved.documents, &change.documents);
                saved.issued.extend(change.issued);
                if let Some(reissued) = change.reissued {
                    saved.issued.retain(|i| i.code != reissued.code);
                    saved.issued.push(reissued);
                    saved.issued.sort_by_key(|i| i.issued_at);
                }
                return Ok(Transitioned { case: saved, value });
            }
            Err(e) => {
                delete_files(app, &change.files).await;
                match e {
                    StoreError::VersionConflict if expected.is_none() && attempt < ATTEMPTS => {
                        tracing::info!(application_id = %id, attempt, "version conflict, trying again");
                    }
                    StoreError::VersionConflict => {
                        tracing::info!(application_id = %id, action = ?action, "lost the race");
                        return Err(ServiceError::Conflict(ProblemCode::VersionConflict));
                    }
                    e => return Err(e.into()),
                }
            }
        }
    }
}

async fn delete_files(app: &App, files: &[GeneratedFile]) {
    for (key, _) in files {
        if let Err(e) = app.ports.storage.delete(key).await {
            tracing::warn!(error = format!("{e:#}"), "unissued document not deleted");
        }
    }
}
