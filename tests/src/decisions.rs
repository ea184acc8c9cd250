//! The decision (F21) over HTTP on both runtimes: refused on a draft and
//! before the review; two agents deciding at once make exactly one
//! decision, one certificate and one email; a retry with the same key gets
//! the first answer; the certificate reads back with an independent parser
//! and its code verifies; the access matrix of the new endpoints.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::contract::harness::Harness;
use crate::journey::{emails_to, pdf_text, sign_up};
use crate::review::{agent, json_of, submitted};
use crate::support::filing::Applicant;
use crate::support::{PERMIT, Seed, assert_problem};

const DECIDED: Seed = Seed {
    number: "PS5000001",
    valid_from: "2025-12-01",
    valid_until: "2026-12-01",
    ..PERMIT
};
const DRAFT: Seed = Seed {
    number: "PS5000002",
    given_names: "Fatou",
    ..DECIDED
};

async fn decide(agent: &Applicant, id: &str, key: &str) -> reqwest::Response {
    let body = json!({"outcome": "favourable"});
    let path = format!("/api/agent/applications/{id}/decision");
    agent
        .send(
            Method::POST,
            &path,
            Some(&body),
            &[("idempotency-key", key.to_string())],
        )
        .await
}

async fn decisions(h: Harness) {
    let (awa, api, id) = submitted(&h, &DECIDED, "69003", "Lyon").await;
    let one = agent(&h, &api, "69", "agent.one@example.org").await;
    let two = agent(&h, &api, "69", "agent.two@example.org").await;
    let paris = agent(&h, &api, "75", "agent.paris.decisions@example.org").await;
    let me = json_of(awa.get("/api/me").await).await;
    let email = me["email"].as_str().unwrap().to_string();

    // Not a draft, not before the review, not without a key.
    let (fatou, _, _) = sign_up(&h, &DRAFT).await;
    let draft = fatou.create().await["id"].as_str().unwrap().to_string();
    fatou.fill_in(&draft).await;
    assert_problem(decide(&one, &draft, "k0").await, StatusCode::CONFLICT, "not_submitted").await;
    assert_problem(
        decide(&one, &id, "k0").await,
        StatusCode::CONFLICT,
        "transition_not_allowed",
    )
    .await;
    let path = format!("/api/agent/applications/{id}/decision");
    let response = one
        .send(Method::POST, &path, Some(&json!({"outcome": "favourable"})), &[])
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST, "idempotency_key_required").await;

    // Who may not decide: another préfecture, an applicant, no session.
    json_of(
        one.send(Method::POST, &format!("/api/agent/applications/{id}/review"), None, &[])
            .await,
    )
    .await;
    assert_problem(decide(&paris, &id, "k1").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(decide(&awa, &id, "k1").await, StatusCode::FORBIDDEN, "forbidden").await;
    let anonymous = Applicant::new(&api, "no-such-session");
    assert_problem(
        decide(&anonymous, &id, "k1").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let response = awa.get(&format!("/api/applications/{id}/decision")).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = one.get(&format!("/api/applications/{id}/decision")).await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let bad = json!({"outcome": "maybe"});
    let response = one
        .send(Method::POST, &path, Some(&bad), &[("idempotency-key", "k2".into())])
        .await;
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        json_of(awa.get(&format!("/api/applications/{id}")).await).await["status"],
        "under_review"
    );

    // No card before a favourable decision.
    let card = format!("/api/agent/applications/{id}/card");
    let response = one
        .send(Method::POST, &card, Some(&json!({"step": "in_production"})), &[])
        .await;
    assert_problem(response, StatusCode::CONFLICT, "not_approved").await;

    // Two agents at once: one decision.
    let (a, b) = tokio::join!(decide(&one, &id, "first"), decide(&two, &id, "second"));
    let mut answers = vec![
        (a.status(), a.text().await.unwrap()),
        (b.status(), b.text().await.unwrap()),
    ];
    answers.sort();
    assert_eq!(answers[0].0, StatusCode::OK, "{answers:?}");
    assert_eq!(answers[1].0, StatusCode::CONFLICT, "{answers:?}");
    assert!(answers[1].1.contains("already_decided"), "{answers:?}");
    let decided: Value = serde_json::from_str(&answers[0].1).unwrap();
    assert_eq!(decided["application"]["status"], "approved");
    let winner = if decided["history"].as_array().unwrap().last().unwrap()["actor"]["id"]
        == json_of(one.get("/api/me").await).await["id"]
    {
        (&one, "first")
    } else {
        (&two, "second")
    };
    let again = decide(winner.0, &id, winner.1).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), decided);

    // One certificate, one notification, one email.
    let notes = json_of(awa.get("/api/me/notifications").await).await;
    let made = notes["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "decision_made")
        .count();
    assert_eq!(made, 1);
    let mails = emails_to(&h, &email).await;
    let subject = "Séjour : la préfecture a pris une décision sur votre demande";
    assert_eq!(mails.iter().filter(|m| m.subject == subject).count(), 1, "{mails:?}");

    // The certificate, read back, and its code verified.
    let response = awa.get(&format!("/api/applications/{id}/decision")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("decision-favorable-SEJ-"), "{disposition}");
    let text = pdf_text(&response.bytes().await.unwrap());
    let reference = decided["application"]["reference"].as_str().unwrap();
    for expected in [
        "Attestation de décision favorable",
        reference,
        "Awa",
        "DIALLO",
        "Décision favorable le",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let case = json_of(one.get(&format!("/api/agent/applications/{id}")).await).await;
    assert_eq!(case["history"].as_array().unwrap().last().unwrap()["action"], "approve");
    let code = text
        .split_whitespace()
        .find(|w| {
            w.len() == 14 && w.matches('-').count() == 2 && w.chars().all(|c| c == '-' || c.is_ascii_alphanumeric())
        })
        .expect("a verification code in the certificate");
    assert!(text.contains(code));
    let check = json_of(awa.get(&format!("/api/verify/{code}")).await).await;
    assert_eq!(check["kind"], "favourable_decision");
    assert_eq!(check["valid"], true);
    assert_eq!(check["reference"], reference);

    // The card (F22): in production, ready (where, from when, the tax stamp), handed over.
    let step = |body: Value| {
        let one = &one;
        let card = card.clone();
        async move { one.send(Method::POST, &card, Some(&body), &[]).await }
    };
    let response = step(json!({"step": "handed_over"})).await;
    assert_problem(response, StatusCode::CONFLICT, "not_approved").await;
    let case = json_of(step(json!({"step": "in_production"})).await).await;
    assert_eq!(case["application"]["status"], "card_in_production");
    let response = step(json!({"step": "ready"})).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        crate::support::field_errors(&problem),
        [
            ("place".to_string(), "required".to_string()),
            ("from".to_string(), "required".to_string())
        ]
    );
    let ready = json!({"step": "ready", "place": "Préfecture du Rhône, guichet 4", "from": "2026-10-15"});
    json_of(step(ready).await).await;
    let view = json_of(awa.get(&format!("/api/applications/{id}")).await).await;
    assert_eq!(view["status"], "card_ready");
    assert_eq!(view["card"]["tax_stamp_eur"], 75);
    assert_eq!(view["card"]["place"], "Préfecture du Rhône, guichet 4");
    let response = paris
        .send(Method::POST, &card, Some(&json!({"step": "handed_over"})), &[])
        .await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = awa
        .send(Method::POST, &card, Some(&json!({"step": "handed_over"})), &[])
        .await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let case = json_of(step(json!({"step": "handed_over"})).await).await;
    assert_eq!(case["application"]["status"], "card_delivered");
    assert!(case["application"]["card"]["handed_over_at"].is_string());
    let notes = json_of(awa.get("/api/me/notifications").await).await;
    let kinds: Vec<&str> = notes["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds[..4],
        ["card_handed_over", "card_ready", "card_in_production", "decision_made"]
    );

    // The timeline says where the case stands and who did what, in each language.
    let path = format!("/api/applications/{id}/timeline");
    let fr = json_of(awa.get(&path).await).await;
    assert_eq!(fr["status"], "card_delivered");
    assert_eq!(fr["stands"], "Titre de séjour remis");
    let steps: Vec<(&str, &str)> = fr["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["action"].as_str().unwrap(), s["who"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("submit", "you"),
            ("start_review", "prefecture"),
            ("approve", "prefecture"),
            ("start_card_production", "prefecture"),
            ("card_is_ready", "prefecture"),
            ("hand_over_card", "prefecture")
        ]
    );
    let response = awa
        .client
        .get(format!("{api}{path}"))
        .bearer_auth(&awa.token)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let en: Value = response.json().await.unwrap();
    assert_eq!(en["steps"][2]["label"], "Favourable decision");
    assert_problem(one.get(&path).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(fatou.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn decisions_on_the_local_runtime() {
    decisions(Harness::local().await).await;
}

#[tokio::test]
async fn decisions_on_aws_with_moto() {
    decisions(Harness::aws().await).await;
}
