//! The account's notifications (F6): listed newest first, marked read one by one.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::account::{Account, AccountId, Language};
use crate::domain::notification::{Notification, NotificationId, NotificationKind};
use crate::mail::{Template, notification_title};

use super::links::SitePage;
use super::{App, ServiceError, ServiceResult};

/// One notification as the account shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    #[schema(value_type = String, format = Uuid)]
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// The kind in words, in the language of the request.
    pub title: &'static str,
    pub created_at: DateTime<Utc>,
    #[schema(required = true)]
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NotificationList {
    /// Newest first.
    pub notifications: Vec<NotificationView>,
    /// How many are not read yet (the badge of F4).
    pub unread: usize,
}

pub async fn list(app: &App, account: AccountId, language: Language) -> ServiceResult<NotificationList> {
    let notifications: Vec<NotificationView> = app
        .ports
        .notifications
        .list(account)
        .await?
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: n.kind,
            title: notification_title(n.kind, language),
            created_at: n.created_at,
            read_at: n.read_at,
        })
        .collect();
    let unread = notifications.iter().filter(|n| n.read_at.is_none()).count();
    Ok(NotificationList { notifications, unread })
}

/// How many of the account's notifications are unread.
pub async fn unread_count(app: &App, account: AccountId) -> ServiceResult<usize> {
    let all = app.ports.notifications.list(account).await?;
    Ok(all.iter().filter(|n| n.read_at.is_none()).count())
}

/// Mark one of the account's own notifications read. Someone else's
/// notification is "not found", exactly like one that does not exist.
pub async fn mark_read(app: &App, account: AccountId, id: NotificationId) -> ServiceResult<()> {
    let now = app.ports.clock.now();
    if app.ports.notifications.mark_read(account, id, now).await? {
        tracing::info!(account_id = %account, notification_id = %id.0, "notification read");
        Ok(())
    } else {
        Err(ServiceError::NotFound("notification"))
    }
}

/// Email "log in to see it" for a notification already stored. The state
/// change is done: a failure here is logged, not returned.
pub async fn announce(app: &App, account: &Account, notification: &Notification) {
    // The notifications page asks to log in first, then shows this one.
    let login_url = SitePage::Notifications.url(&app.config, account.language);
    let mail = Template::Notification {
        name: &account.display_name,
        kind: notification.kind,
        login_url: &login_url,
    }
    .render(notification.id.0, &account.email, account.language);
    match app.ports.mail.enqueue(&mail).await {
        Ok(()) => {
            tracing::info!(account_id = %account.id, notification_id = %notification.id.0, "notification emailed")
        }
        Err(e) => tracing::error!(
            account_id = %account.id,
            notification_id = %notification.id.0,
            error = format!("{e:#}"),
            "notification email not queued"
        ),
    }
}
