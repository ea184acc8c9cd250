//! The deadlines job (F20, B2), run daily (a scheduled Lambda on AWS, a
//! timer of `sejour serve`, or `sejour jobs deadlines`): 7 days before the
//! end of a complement request the applicant is reminded, once; when the 30
//! days have passed the case becomes `complement_overdue` and the applicant
//! and the préfecture's agents in charge are told; when the permit of an
//! applicant whose renewal is pending ends, the extension certificate is
//! issued, then renewed before it lapses. The cases come from the index of
//! next deadlines, never a scan. Each step is a transition conditional on
//! the version read, so a rerun, or two runs at once, never send anything
//! twice.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::account::Language;
use crate::domain::application::extension::ExtensionPeriod;
use crate::domain::application::lifecycle::Action;
use crate::domain::application::{Application, DeadlineStep};
use crate::domain::issued_document::{IssuedDocument, IssuedKind};
use crate::domain::notification::NotificationKind;

use super::issued::issue;
use super::transitions::{Acting, Change, transition};
use super::{App, ServiceError, ServiceResult};

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeadlinesReport {
    /// Cases read from the deadlines index.
    pub due: usize,
    pub reminded: usize,
    pub expired: usize,
    /// Extension certificates issued or renewed (B2).
    pub extended: usize,
    /// Cases another run (or the applicant) changed meanwhile: left to the next run.
    pub skipped: usize,
}

/// Most steps one run takes for one case (an expiry and an extension may fall due together).
const STEPS_PER_CASE: usize = 3;

/// Do what is due at `now`.
pub async fn run(app: &App, now: DateTime<Utc>) -> ServiceResult<DeadlinesReport> {
    let due = app.ports.applications.due(now).await?;
    let mut report = DeadlinesReport {
        due: due.len(),
        ..DeadlinesReport::default()
    };
    for mut application in due {
        let id = application.id;
        for _ in 0..STEPS_PER_CASE {
            let Some(step) = application.deadline_step_at(now) else {
                break;
            };
            match take(app, &application, step, now).await {
                Ok(saved) => {
                    *match step {
                        DeadlineStep::Remind => &mut report.reminded,
                        DeadlineStep::Expire => &mut report.expired,
                        DeadlineStep::Extend => &mut report.extended,
                    } += 1;
                    application = saved;
                }
                Err(ServiceError::Conflict(_) | ServiceError::NotAllowed(_) | ServiceError::NotFound(_)) => {
                    tracing::info!(application_id = %id, "deadline left to the next run: the case moved meanwhile");
                    report.skipped += 1;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
    }
    tracing::info!(
        due = report.due,
        reminded = report.reminded,
        expired = report.expired,
        extended = report.extended,
        skipped = report.skipped,
        "deadlines job done"
    );
    Ok(report)
}

/// One step for one case, as the system, on the version read: the case as saved.
async fn take(app: &App, read: &Application, step: DeadlineStep, now: DateTime<Utc>) -> ServiceResult<Application> {
    let action = match step {
        DeadlineStep::Remind => Action::RemindComplement,
        DeadlineStep::Expire => Action::ComplementExpired,
        DeadlineStep::Extend => Action::ExtendStay,
    };
    let done = transition(
        app,
        &Acting::System,
        None,
        read.id,
        action,
        Some(read.version),
        |application, case, now_of_write| {
            let mut change = Change::default();
            match step {
                DeadlineStep::Remind => {
                    let request = application
                        .open_complement_mut()
                        .ok_or(ServiceError::NotFound("complement request"))?;
                    request.reminded_at = Some(now_of_write);
                    change.notify = Some(NotificationKind::ComplementReminder);
                }
                DeadlineStep::Expire => {
                    change.notify = Some(NotificationKind::ComplementOverdue);
                    // The agents in charge: who asked, and who reviews.
                    let mut agents: Vec<_> = application
                        .open_complement()
                        .map(|c| c.requested_by)
                        .into_iter()
                        .chain(application.assigned_agent)
                        .collect();
                    agents.dedup();
                    change.notify_agents = agents.into_iter().map(|a| (a, NotificationKind::CaseOverdue)).collect();
                }
                DeadlineStep::Extend => {
                    let title = application
                        .current_title
                        .clone()
                        .ok_or(ServiceError::NotFound("current permit"))?;
                    let period =
                        ExtensionPeriod::issued_on(now.date_naive(), title.valid_until, application.extended_until);
                    application.extended_until = Some(period.until);
                    let kind = IssuedKind::ExtensionCertificate;
                    // Both languages are issued; the holder downloads either.
                    let (issued, files) = issue(app, kind, application, &[], Language::Fr, now_of_write, Some(period))?;
                    change.reissued = case
                        .issued
                        .iter()
                        .rfind(|i| i.kind == kind && i.superseded_at.is_none())
                        .map(|i| IssuedDocument {
                            superseded_at: Some(now_of_write),
                            ..i.clone()
                        });
                    change.issued = Some(issued);
                    change.files = files;
                    change.notify = Some(NotificationKind::ExtensionIssued);
                }
            }
            Ok((change, ()))
        },
    )
    .await?;
    tracing::info!(application_id = %read.id, step = ?step, "deadline step taken");
    Ok(done.case.application)
}
