//! The deadlines job (F20) on both runtimes: nothing on day 22 of a
//! complement request, one reminder on day 23 (a rerun adds none), overdue
//! after the 30 days with the applicant told (a rerun adds none), and two
//! runs at once sending nothing twice.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};

use crate::contract::harness::Harness;
use crate::review::{agent, json_of, submitted};
use crate::support::PASSWORD;
use crate::support::filing::Applicant;
use crate::support::{PERMIT, Seed};
use sejour::domain::account::AccountId;
use sejour::domain::application::ApplicationId;
use sejour::ports::Clock;
use sejour::service::deadlines::{self, DeadlinesReport};

const FIRST: Seed = Seed {
    number: "PS4000001",
    valid_from: "2025-12-01",
    valid_until: "2026-12-01",
    ..PERMIT
};
const SECOND: Seed = Seed {
    number: "PS4000002",
    given_names: "Fatou",
    ..FIRST
};

/// A case in review with a complement request made now; its applicant.
async fn asked(h: &Harness, seed: &Seed, lyon: Option<&Applicant>) -> (Applicant, String, Applicant) {
    let (applicant, api, id) = submitted(h, seed, "69003", "Lyon").await;
    let lyon = match lyon {
        Some(lyon) => Applicant::new(&api, &lyon.token),
        None => agent(h, &api, "69", "agent.deadlines@example.org").await,
    };
    let path = format!("/api/agent/applications/{id}");
    json_of(lyon.send(Method::POST, &format!("{path}/review"), None, &[]).await).await;
    let request = json!({"message": "Merci.", "items": [{"kind": "transcripts", "reason": "Manquants."}]});
    let case = json_of(
        lyon.send(Method::POST, &format!("{path}/complement-request"), Some(&request), &[])
            .await,
    )
    .await;
    assert_eq!(case["application"]["status"], "complement_requested");
    (applicant, id, lyon)
}

/// The account's notifications, newest first (read from the store: the
/// sessions do not outlive the weeks the clock jumps).
async fn kinds(h: &Harness, account: AccountId) -> Vec<String> {
    let notes = h.ports().notifications.list(account).await.unwrap();
    notes
        .iter()
        .map(|n| serde_json::to_value(n.kind).unwrap().as_str().unwrap().to_string())
        .collect()
}

async fn account_of(applicant: &Applicant) -> AccountId {
    let me: Value = json_of(applicant.get("/api/me").await).await;
    AccountId(uuid::Uuid::parse_str(me["id"].as_str().expect("the profile's id")).unwrap())
}

async fn awa_email(h: &Harness, account: AccountId) -> String {
    h.ports()
        .accounts
        .get(account)
        .await
        .unwrap()
        .unwrap()
        .email
        .as_str()
        .to_string()
}

async fn run_on_day(h: &Harness, start: chrono::DateTime<chrono::Utc>, day: i64) -> DeadlinesReport {
    let at = start + Duration::days(day) + Duration::minutes(1);
    h.clock.set(at);
    deadlines::run(&h.app, at).await.unwrap()
}

async fn deadlines_job(h: Harness) {
    let start = h.clock.now();
    let (awa, id, lyon) = asked(&h, &FIRST, None).await;
    let awa_id = account_of(&awa).await;
    let before = kinds(&h, awa_id).await;

    assert_eq!(run_on_day(&h, start, 22).await.reminded, 0);
    assert_eq!(kinds(&h, awa_id).await, before);

    let report = run_on_day(&h, start, 23).await;
    assert_eq!((report.reminded, report.expired), (1, 0));
    assert_eq!(kinds(&h, awa_id).await[0], "complement_reminder");
    assert_eq!(
        run_on_day(&h, start, 23).await.reminded,
        0,
        "a rerun reminds nobody again"
    );
    assert_eq!(
        run_on_day(&h, start, 29).await,
        DeadlinesReport {
            due: 0,
            ..Default::default()
        }
    );

    let report = run_on_day(&h, start, 31).await;
    assert_eq!((report.reminded, report.expired), (0, 1));
    let case_id = ApplicationId(uuid::Uuid::parse_str(&id).unwrap());
    let stored = h.ports().applications.get(case_id).await.unwrap().unwrap();
    assert_eq!(
        stored.status,
        sejour::domain::application::lifecycle::Status::ComplementOverdue
    );
    let after = kinds(&h, awa_id).await;
    assert_eq!(after[..2], ["complement_overdue", "complement_reminder"]);
    assert_eq!(
        run_on_day(&h, start, 31).await.expired,
        0,
        "a rerun expires nothing again"
    );
    assert_eq!(kinds(&h, awa_id).await, after);
    let lyon = Applicant::login(&lyon.api, "agent.deadlines@example.org", PASSWORD).await;
    let awa = Applicant::login(&awa.api, &awa_email(&h, awa_id).await, PASSWORD).await;
    let case = json_of(lyon.get(&format!("/api/agent/applications/{id}")).await).await;
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "complement_expired");
    assert_eq!(last["actor"]["type"], "system");
    // Late, the applicant can still answer: the case goes back to review.
    let keep = json!({"keep": {"justification": "Je n'ai pas de relevés : première année."}});
    json_of(
        awa.send(
            Method::PUT,
            &format!("/api/applications/{id}/complement/items/0"),
            Some(&keep),
            &[],
        )
        .await,
    )
    .await;
    let sent = json_of(
        awa.send(
            Method::POST,
            &format!("/api/applications/{id}/complement/send"),
            Some(&json!({})),
            &[],
        )
        .await,
    )
    .await;
    assert_eq!(sent["status"], "under_review");

    // Two runs at once: one reminder.
    h.clock.set(start);
    let lyon = Applicant::login(&lyon.api, "agent.deadlines@example.org", PASSWORD).await;
    let (fatou, _, _) = asked(&h, &SECOND, Some(&lyon)).await;
    let fatou_id = account_of(&fatou).await;
    let second_start = h.clock.now();
    let at = second_start + Duration::days(23) + Duration::minutes(1);
    h.clock.set(at);
    let (a, b) = tokio::join!(deadlines::run(&h.app, at), deadlines::run(&h.app, at));
    assert_eq!(a.unwrap().reminded + b.unwrap().reminded, 1);
    let reminders = kinds(&h, fatou_id)
        .await
        .iter()
        .filter(|k| *k == "complement_reminder")
        .count();
    assert_eq!(reminders, 1);
}

#[tokio::test]
async fn deadlines_on_the_local_runtime() {
    deadlines_job(Harness::local().await).await;
}

#[tokio::test]
async fn deadlines_on_aws_with_moto() {
    deadlines_job(Harness::aws().await).await;
}
