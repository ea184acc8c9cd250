//! The préfecture's side (F15–F17): the queue of cases routed to the
//! agent's préfecture, one case as filed with its history, and starting
//! the review. An agent reaches only their préfecture's cases: any other
//! is "not found", never "forbidden".

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::account::{Account, AccountId, Role};
use crate::domain::application::lifecycle::{Action, Status};
use crate::domain::application::{Application, ApplicationId, AuditEvent, Reference};
use crate::domain::civil_status::search_key;
use crate::domain::eligibility::Procedure;
use crate::domain::prefecture::PrefectureCode;
use crate::domain::state_record::StateRecord;
use crate::ports::{Case, QueueCursor, QueueFilter, QueuePage};

use super::accounts::Authenticated;
use super::applications::{ApplicationView, DocumentView, view};
use super::transitions::{Acting, Change, transition};
use super::{App, ServiceError, ServiceResult};
use crate::service::ProblemCode;

/// Most cases on one page of the queue.
pub const MAX_PAGE: usize = 100;
/// Cases on a page unless asked otherwise.
pub const DEFAULT_PAGE: usize = 25;

/// The agent's préfecture; applicants are refused (`forbidden`).
pub(crate) fn agent_prefecture(auth: &Authenticated) -> ServiceResult<PrefectureCode> {
    match &auth.account.role {
        Role::Agent { prefecture } => Ok(prefecture.clone()),
        Role::Applicant => Err(ServiceError::Forbidden(ProblemCode::Forbidden)),
    }
}

/// The agent acting on their préfecture's cases.
pub(crate) fn acting_agent(auth: &Authenticated) -> ServiceResult<Acting<'static>> {
    Ok(Acting::Agent {
        id: auth.account.id,
        prefecture: agent_prefecture(auth)?,
    })
}

/// One page of the queue, as asked.
#[derive(Debug, Clone)]
pub struct QueueRequest {
    pub status: Status,
    /// A reference (`SEJ-2026-…`, looked up directly) or the start of a
    /// surname (accents and case folded), in every status.
    pub search: Option<String>,
    pub after: Option<QueueCursor>,
    pub limit: usize,
}

/// How many of the préfecture's cases are in one status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

/// One case in the queue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueEntry {
    #[schema(value_type = String, format = Uuid)]
    pub id: ApplicationId,
    #[schema(value_type = String)]
    pub reference: Reference,
    pub status: Status,
    pub procedure: Procedure,
    #[schema(example = "DIALLO")]
    pub surname: String,
    #[schema(example = "Awa")]
    pub given_names: String,
    pub submitted_at: DateTime<Utc>,
    /// The agent who started the review, if it started.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub assigned_agent: Option<AccountId>,
    #[schema(required = true)]
    pub late_fee_eur: Option<u32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Queue {
    /// The préfecture's cases in this status, oldest submission first; for
    /// a search, the matching cases by surname then submission.
    pub applications: Vec<QueueEntry>,
    /// The préfecture's cases in each status (`complement_overdue`: the overdue ones).
    pub counts: Vec<StatusCount>,
    /// Give it back as `cursor` for the next page; `null` on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// The préfecture's cases in one status, oldest submission first, or those
/// a search finds, with the counts per status (F16).
pub async fn queue(app: &App, auth: &Authenticated, request: &QueueRequest) -> ServiceResult<Queue> {
    let prefecture = agent_prefecture(auth)?;
    let limit = request.limit.clamp(1, MAX_PAGE);
    let applications = &app.ports.applications;
    let search = request.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let page = match search {
        Some(text) if looks_like_reference(text) => {
            let reference = Reference(text.to_ascii_uppercase());
            let found = applications.find_reference(&prefecture, &reference).await?;
            QueuePage {
                applications: found.into_iter().collect(),
                next: None,
            }
        }
        Some(text) => {
            let filter = QueueFilter::Surname(search_key(text));
            applications
                .queue(&prefecture, &filter, request.after.as_ref(), limit)
                .await?
        }
        None => {
            let filter = QueueFilter::Status(request.status);
            applications
                .queue(&prefecture, &filter, request.after.as_ref(), limit)
                .await?
        }
    };
    let counted = applications.counts(&prefecture).await?;
    // Every status of a submitted case, in the order of the lifecycle.
    let counts = Status::ALL[1..]
        .iter()
        .map(|&status| StatusCount {
            status,
            count: counted.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n),
        })
        .collect();
    let QueuePage { applications, next } = page;
    let applications = applications
        .into_iter()
        .filter_map(|a| {
            Some(QueueEntry {
                id: a.id,
                reference: a.reference,
                status: a.status,
                procedure: a.procedure,
                surname: a.civil_status.surname,
                given_names: a.civil_status.given_names,
                submitted_at: a.submitted_at?,
                assigned_agent: a.assigned_agent,
                late_fee_eur: a.late_fee_eur,
            })
        })
        .collect();
    tracing::info!(
        account_id = %auth.account.id,
        prefecture = prefecture.as_str(),
        status = ?request.status,
        "queue read"
    );
    Ok(Queue {
        applications,
        counts,
        next_cursor: next.map(|c| c.encode()),
    })
}

/// `SEJ-2026-7F3K9Q2M`, in any case: the reference printed on the receipt.
fn looks_like_reference(text: &str) -> bool {
    let text = text.to_ascii_uppercase();
    let mut parts = text.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("SEJ"), Some(year), Some(code), None)
            if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
                && code.len() == 8 && code.bytes().all(|b| b.is_ascii_alphanumeric())
    )
}

/// A case as the préfecture sees it (F17).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    /// Everything filed, as the applicant sees it.
    pub application: ApplicationView,
    /// The state record the application started from.
    pub record: StateRecord,
    /// Every file, accepted or not.
    pub documents: Vec<DocumentView>,
    /// Every transition, oldest first.
    pub history: Vec<AuditEvent>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub assigned_agent: Option<AccountId>,
}

/// One of the préfecture's cases, with its state record and history.
pub async fn case(app: &App, auth: &Authenticated, id: ApplicationId) -> ServiceResult<CaseView> {
    let acting = acting_agent(auth)?;
    let case = reachable_case(app, &acting, id).await?;
    case_view(app, auth, case).await
}

/// The case `acting` reaches; any other is "not found".
pub(crate) async fn reachable_case(app: &App, acting: &Acting<'_>, id: ApplicationId) -> ServiceResult<Case> {
    app.ports
        .applications
        .case(id)
        .await?
        .filter(|c| acting.reaches(&c.application))
        .ok_or(ServiceError::NotFound("application"))
}

/// The case view of what was read, with the applicant's account and the state record.
pub(crate) async fn case_view(app: &App, auth: &Authenticated, case: Case) -> ServiceResult<CaseView> {
    let (applicant, record) = applicant_and_record(app, &case.application).await?;
    tracing::info!(account_id = %auth.account.id, application_id = %case.application.id, "case read by an agent");
    Ok(build_case_view(app, &applicant, record, &case))
}

/// The applicant's account and the state record the application started from.
pub(crate) async fn applicant_and_record(
    app: &App,
    application: &Application,
) -> ServiceResult<(Account, StateRecord)> {
    let id = application.id;
    let applicant = app
        .ports
        .accounts
        .get(application.applicant)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the applicant of {id} has no account"))?;
    let record = app
        .ports
        .records
        .get(&application.record)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the state record of {id} is missing"))?;
    Ok((applicant, record))
}

/// The case view of what was read.
pub(crate) fn build_case_view(app: &App, applicant: &Account, record: StateRecord, case: &Case) -> CaseView {
    CaseView {
        application: view(app, applicant, case),
        record,
        documents: case.documents.iter().map(DocumentView::of).collect(),
        history: case.events.clone(),
        assigned_agent: case.application.assigned_agent,
    }
}

/// Start the review: the case is assigned to the agent (F17).
pub async fn start_review(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    expected: Option<u64>,
) -> ServiceResult<CaseView> {
    let acting = acting_agent(auth)?;
    let agent = auth.account.id;
    let done = transition(
        app,
        &acting,
        None,
        id,
        Action::StartReview,
        expected,
        |application, _, _| {
            application.assigned_agent = Some(agent);
            Ok((Change::default(), ()))
        },
    )
    .await?;
    case_view(app, auth, done.case).await
}
