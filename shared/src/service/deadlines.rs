//! The deadlines job (F20), run daily (a scheduled Lambda on AWS, a timer
//! of `sejour serve`, or `sejour jobs deadlines`): 7 days before the end of
//! a complement request the applicant is reminded, once; when the 30 days
//! have passed the case becomes `complement_overdue` and the applicant is
//! told. The cases come from the index of next deadlines, never a scan.
//! Each step is a write conditional on the version read, so a rerun, or two
//! runs at once, never send anything twice.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::application::lifecycle::Action;
use crate::domain::application::{Application, DeadlineStep};
use crate::domain::notification::{Notification, NotificationId, NotificationKind};
use crate::ports::{StoreError, Writes};

use super::transitions::{Acting, Change, transition};
use super::{App, ServiceError, ServiceResult};

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeadlinesReport {
    /// Cases read from the deadlines index.
    pub due: usize,
    pub reminded: usize,
    pub expired: usize,
    /// Cases another run (or the applicant) changed meanwhile: left to the next run.
    pub skipped: usize,
}

/// Do what is due at `now`.
pub async fn run(app: &App, now: DateTime<Utc>) -> ServiceResult<DeadlinesReport> {
    let due = app.ports.applications.due(now).await?;
    let mut report = DeadlinesReport {
        due: due.len(),
        ..DeadlinesReport::default()
    };
    for application in due {
        let id = application.id;
        let done = match application.deadline_step_at(now) {
            None => continue,
            Some(DeadlineStep::Remind) => remind(app, &application, now).await.map(|()| &mut report.reminded),
            Some(DeadlineStep::Expire) => transition(
                app,
                &Acting::System,
                None,
                id,
                Action::ComplementExpired,
                Some(application.version),
                |_, _, _| {
                    let change = Change {
                        notify: Some(NotificationKind::ComplementOverdue),
                        ..Change::default()
                    };
                    Ok((change, ()))
                },
            )
            .await
            .map(|_| &mut report.expired),
        };
        match done {
            Ok(count) => *count += 1,
            Err(ServiceError::Conflict(_) | ServiceError::NotAllowed(_) | ServiceError::NotFound(_)) => {
                tracing::info!(application_id = %id, "deadline left to the next run: the case moved meanwhile");
                report.skipped += 1;
            }
            Err(e) => return Err(e),
        }
    }
    tracing::info!(
        due = report.due,
        reminded = report.reminded,
        expired = report.expired,
        skipped = report.skipped,
        "deadlines job done"
    );
    Ok(report)
}

/// Remind the applicant, and remember it, in one conditional write.
async fn remind(app: &App, read: &Application, now: DateTime<Utc>) -> ServiceResult<()> {
    let mut next = read.clone();
    let Some(request) = next.open_complement_mut() else {
        return Err(ServiceError::NotFound("complement request"));
    };
    request.reminded_at = Some(now);
    next.version = read.version + 1;
    next.updated_at = app.ports.clock.now();
    let notification = Notification::new(
        NotificationId(app.ports.random.id()),
        read.applicant,
        NotificationKind::ComplementReminder,
        next.updated_at,
    );
    let writes = Writes {
        notification: Some(&notification),
        ..Writes::default()
    };
    match app.ports.applications.save(&next, read, writes).await {
        Ok(()) => {}
        Err(StoreError::VersionConflict) => {
            return Err(ServiceError::Conflict(super::ProblemCode::VersionConflict));
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(application_id = %read.id, "complement reminder sent");
    if let Some(account) = app.ports.accounts.get(read.applicant).await? {
        super::notifications::announce(app, &account, &notification).await;
    }
    Ok(())
}
