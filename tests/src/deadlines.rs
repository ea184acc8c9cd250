//! The deadlines job (F20) on both runtimes: nothing on day 22 of a
//! complement request, one reminder on day 23 (a rerun adds none), overdue
//! after the 30 days with the applicant told (a rerun adds none), and two
//! runs at once sending nothing twice; the extension certificate (B2)
//! issued when the permit ends during the review, renewed before its end,
//! the first one then verifying as superseded.

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
    // The préfecture's agent in charge is told too, once.
    let lyon_id = account_of(&lyon).await;
    assert_eq!(kinds(&h, lyon_id).await, ["case_overdue"]);
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

/// A renewal filed on time (the permit ends on 30 November 2026, 90 days
/// after the harness's clock starts), in review when the permit ends.
const EXTENDED: Seed = Seed {
    number: "PS4000003",
    valid_from: "2025-12-01",
    valid_until: "2026-11-30",
    given_names: "Mariam",
    ..FIRST
};

/// The text of a PDF downloaded by the applicant, and its verification code.
async fn certificate(applicant: &Applicant, id: &str, language: &str) -> (String, String) {
    let response = applicant
        .get(&format!("/api/applications/{id}/extension?language={language}"))
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let text = crate::journey::pdf_text(&response.bytes().await.unwrap());
    let code = text
        .split_whitespace()
        .find(|w| w.len() == 14 && w.matches('-').count() == 2)
        .expect("a verification code")
        .to_string();
    (text, code)
}

async fn extension_certificates(h: Harness) {
    let (mariam, api, id) = submitted(&h, &EXTENDED, "69003", "Lyon").await;
    let lyon = agent(&h, &api, "69", "agent.extensions@example.org").await;
    json_of(
        lyon.send(Method::POST, &format!("/api/agent/applications/{id}/review"), None, &[])
            .await,
    )
    .await;
    let mariam_id = account_of(&mariam).await;
    let email = awa_email(&h, mariam_id).await;
    let at = |day: &str| -> chrono::DateTime<chrono::Utc> { format!("{day}T05:00:00Z").parse().unwrap() };
    let run = |day: &'static str| {
        let h = &h;
        async move {
            h.clock.set(at(day));
            deadlines::run(&h.app, at(day)).await.unwrap()
        }
    };

    // Nothing while the permit is valid; on the first day without it, one certificate.
    assert_eq!(run("2026-11-30").await.extended, 0);
    assert_eq!(run("2026-12-01").await.extended, 1);
    assert_eq!(run("2026-12-01").await.extended, 0, "a rerun issues nothing again");
    assert_eq!(kinds(&h, mariam_id).await[0], "extension_issued");
    let mariam = Applicant::login(&api, &email, PASSWORD).await;
    let (text, first) = certificate(&mariam, &id, "fr").await;
    let view = mariam.application(&id).await;
    let reference = view["reference"].as_str().unwrap();
    for expected in [
        "Attestation de prolongation d’instruction",
        reference,
        "Mariam",
        "DIALLO",
        "du 1er décembre 2026 au 28 février 2027",
        "valable jusqu’au 30 novembre 2026",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let (english, same) = certificate(&mariam, &id, "en").await;
    assert!(
        english.contains("from 1 December 2026 to 28 February 2027"),
        "{english}"
    );
    assert_eq!(same, first);
    let check = json_of(mariam.get(&format!("/api/verify/{first}")).await).await;
    assert_eq!(check["kind"], "extension_certificate");
    assert_eq!(
        (check["valid"].clone(), check["confers_right_of_stay"].clone()),
        (json!(true), json!(true))
    );

    // Renewed 15 days before its end; the first one is superseded.
    assert_eq!(run("2027-02-12").await.extended, 0);
    assert_eq!(run("2027-02-13").await.extended, 1);
    let mariam = Applicant::login(&api, &email, PASSWORD).await;
    let (text, second) = certificate(&mariam, &id, "fr").await;
    assert_ne!(second, first);
    assert!(text.contains("du 13 février 2027 au 31 mai 2027"), "{text}");
    let old = json_of(mariam.get(&format!("/api/verify/{first}")).await).await;
    assert_eq!(old["valid"], false);
    assert!(old["superseded_at"].is_string(), "{old}");
    let new = json_of(mariam.get(&format!("/api/verify/{second}")).await).await;
    assert_eq!(new["valid"], true);
    let timeline = json_of(mariam.get(&format!("/api/applications/{id}/timeline")).await).await;
    assert_eq!(timeline["extended_until"], "2027-05-31");

    // Until the decision: then nothing more is issued.
    let lyon = Applicant::login(&api, "agent.extensions@example.org", PASSWORD).await;
    let decide = json!({"outcome": "favourable"});
    json_of(
        lyon.send(
            Method::POST,
            &format!("/api/agent/applications/{id}/decision"),
            Some(&decide),
            &[("idempotency-key", "granted".to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(run("2027-05-20").await.extended, 0);
    let issued = kinds(&h, mariam_id)
        .await
        .iter()
        .filter(|k| *k == "extension_issued")
        .count();
    assert_eq!(issued, 2);
}

#[tokio::test]
async fn extension_certificates_on_the_local_runtime() {
    extension_certificates(Harness::local().await).await;
}

#[tokio::test]
async fn extension_certificates_on_aws_with_moto() {
    extension_certificates(Harness::aws().await).await;
}

#[tokio::test]
async fn deadlines_on_the_local_runtime() {
    deadlines_job(Harness::local().await).await;
}

#[tokio::test]
async fn deadlines_on_aws_with_moto() {
    deadlines_job(Harness::aws().await).await;
}
