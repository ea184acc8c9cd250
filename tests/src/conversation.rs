//! After submission, over HTTP only and on both runtimes: the conversation
//! (B4) both ways with checked attachments, each message notified to the
//! other side with an email that carries no content; the refusal (F21)
//! with the préfecture's signed PDF uploaded by the agent; the receipt in
//! either language at any time; and the access matrix of these endpoints,
//! nothing changing after a refused request.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::contract::harness::Harness;
use crate::journey::{emails_to, pdf_text};
use crate::review::{agent, json_of, submitted};
use crate::support::filing::{AGENT, Applicant, elf_bytes, pdf_bytes, png_bytes};
use crate::support::{PERMIT, Seed, assert_problem, field_errors};

const TALKS: Seed = Seed {
    number: "PS6000001",
    valid_from: "2025-12-01",
    valid_until: "2026-12-01",
    ..PERMIT
};
const OTHER: Seed = Seed {
    number: "PS6000002",
    given_names: "Fatou",
    ..TALKS
};

fn kinds(notes: &Value) -> Vec<String> {
    notes["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn write(who: &Applicant, path: &str, text: &str, attachments: &[&str]) -> reqwest::Response {
    let body = json!({"text": text, "attachments": attachments});
    who.send(Method::POST, path, Some(&body), &[]).await
}

async fn conversation_and_refusal(h: Harness) {
    let (awa, api, id) = submitted(&h, &TALKS, "69003", "Lyon").await;
    let (fatou, _, fatou_case) = submitted(&h, &OTHER, "69003", "Lyon").await;
    let lyon = agent(&h, &api, "69", "agent.talks@example.org").await;
    let paris = agent(&h, &api, "75", "agent.paris.talks@example.org").await;
    let anonymous = Applicant::new(&api, "no-such-session");
    let email = json_of(awa.get("/api/me").await).await["email"]
        .as_str()
        .unwrap()
        .to_string();
    let mine = format!("/api/applications/{id}/messages");
    let theirs = format!("/api/agent/applications/{id}/messages");

    // The receipt, at any time, in either language, saying what it proves.
    let receipt = format!("/api/applications/{id}/receipt");
    let fr = pdf_text(&awa.get(&receipt).await.bytes().await.unwrap());
    for expected in [
        "Attestation de dépôt",
        "Renouvellement du titre de séjour",
        "Titre détenu au dépôt",
        "valable jusqu’au 1er décembre 2026",
        "ne confère aucun droit au séjour",
    ] {
        assert!(fr.contains(expected), "{expected:?} not in:\n{fr}");
    }
    let response = awa.get(&format!("{receipt}?language=en")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("submission-receipt-SEJ-"), "{disposition}");
    let en = pdf_text(&response.bytes().await.unwrap());
    for expected in [
        "Receipt of an application",
        "Renewal of the residence permit",
        "1 December 2026",
    ] {
        assert!(en.contains(expected), "{expected:?} not in:\n{en}");
    }
    let code = |text: &str| {
        text.split_whitespace()
            .find(|w| w.len() == 14 && w.matches('-').count() == 2)
            .map(str::to_string)
    };
    assert_eq!(code(&fr), code(&en), "one document, one code, two languages");
    let problem = assert_problem(
        awa.get(&format!("{receipt}?language=de")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        [("language".to_string(), "invalid_language".to_string())]
    );

    // The applicant writes before the review: nobody is assigned yet.
    let view = json_of(write(&awa, &mine, "Bonjour, mon adresse change le mois prochain.", &[]).await).await;
    assert_eq!(view["status"], "submitted");
    assert_eq!(view["messages"][0]["author"]["type"], "applicant");

    // Who may not write, or upload for the préfecture: nothing changes.
    let version = awa.version(&id).await;
    assert_problem(
        write(&paris, &theirs, "Bonjour", &[]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        write(&awa, &theirs, "Bonjour", &[]).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        write(&lyon, &mine, "Bonjour", &[]).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        write(&fatou, &mine, "Bonjour", &[]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for path in [&mine, &theirs] {
        assert_problem(
            write(&anonymous, path, "Bonjour", &[]).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
    let upload = |who: &Applicant| {
        let who = who.clone();
        let id = id.clone();
        async move {
            who.request_upload_under(AGENT, &id, "attachment", "note.pdf", "application/pdf", 100)
                .await
        }
    };
    assert_problem(upload(&paris).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(upload(&awa).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(upload(&anonymous).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let some_doc = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    let confirm = lyon.confirm_under(AGENT, &fatou_case, some_doc).await;
    assert_problem(confirm, StatusCode::NOT_FOUND, "not_found").await;
    let confirm = awa.confirm_under(AGENT, &id, some_doc).await;
    assert_problem(confirm, StatusCode::FORBIDDEN, "forbidden").await;
    // An applicant cannot upload the préfecture's decision.
    let refusal = awa
        .request_upload(&id, "refusal_decision", "refus.pdf", "application/pdf", 100)
        .await;
    let problem = assert_problem(refusal, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_errors(&problem),
        [("kind".to_string(), "not_required".to_string())]
    );
    assert_eq!(awa.version(&id).await, version, "refused requests change nothing");

    // The review starts; the agent writes with a checked attachment.
    json_of(
        lyon.send(Method::POST, &format!("{AGENT}/{id}/review"), None, &[])
            .await,
    )
    .await;
    let note = lyon
        .attach_under(
            AGENT,
            &id,
            "attachment",
            "convocation.pdf",
            "application/pdf",
            pdf_bytes("convocation"),
        )
        .await;
    assert_eq!(note["status"], "accepted");
    let note_id = note["id"].as_str().unwrap();
    let case = json_of(write(&lyon, &theirs, "Merci de venir au guichet avec l'original.", &[note_id]).await).await;
    let messages = case["application"]["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["author"]["type"], "agent");
    assert_eq!(messages[1]["attachments"], json!([note_id]));
    let notes = json_of(awa.get("/api/me/notifications").await).await;
    assert_eq!(kinds(&notes)[0], "message_received");
    let mails = emails_to(&h, &email).await;
    let mail = mails
        .iter()
        .find(|m| m.subject.contains("nouveau message"))
        .expect("the applicant is emailed");
    assert!(
        !mail.body.contains("guichet"),
        "the email carries no content: {}",
        mail.body
    );
    // The applicant reads it and its file.
    let view = awa.application(&id).await;
    assert_eq!(view["attachments"][0]["id"], note_id);
    let link = json_of(awa.get(&format!("/api/applications/{id}/documents/{note_id}")).await).await;
    assert!(link["url"].is_string());
    // A file of the préfecture cannot be sent again by the applicant.
    let problem = assert_problem(
        write(&awa, &mine, "Je renvoie votre pièce.", &[note_id]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        [("attachments[0]".to_string(), "not_in_list".to_string())]
    );

    // The applicant answers with their own attachment: the agent is notified.
    let bad = awa
        .attach(&id, "attachment", "photo.pdf", "application/pdf", elf_bytes())
        .await;
    assert_eq!(bad["status"], "rejected");
    let problem = assert_problem(
        write(&awa, &mine, "Voici.", &[bad["id"].as_str().unwrap()]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        [("attachments[0]".to_string(), "not_uploaded".to_string())]
    );
    let good = awa
        .attach(&id, "attachment", "bail.png", "image/png", png_bytes())
        .await;
    let view = json_of(write(&awa, &mine, "Voici mon nouveau bail.", &[good["id"].as_str().unwrap()]).await).await;
    assert_eq!(view["messages"].as_array().unwrap().len(), 3);
    // The agent views it (and every file of the case); nobody else does.
    let file = format!("{AGENT}/{id}/documents/{}", good["id"].as_str().unwrap());
    assert!(json_of(lyon.get(&file).await).await["url"].is_string());
    assert_problem(paris.get(&file).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(awa.get(&file).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_problem(anonymous.get(&file).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let agent_notes = json_of(lyon.get("/api/me/notifications").await).await;
    assert_eq!(kinds(&agent_notes), ["message_received"]);
    let problem = assert_problem(
        write(&awa, &mine, "", &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_errors(&problem), [("text".to_string(), "required".to_string())]);

    // The refusal: the préfecture's signed PDF, checked, and a motive.
    let decide = |body: Value, key: &str| {
        let lyon = lyon.clone();
        let path = format!("{AGENT}/{id}/decision");
        let key = key.to_string();
        async move {
            lyon.send(Method::POST, &path, Some(&body), &[("idempotency-key", key)])
                .await
        }
    };
    let scan = lyon
        .request_upload_under(AGENT, &id, "refusal_decision", "refus.png", "image/png", 72)
        .await;
    let problem = assert_problem(scan, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_errors(&problem),
        [("content_type".to_string(), "unsupported_type".to_string())]
    );
    let fake = lyon
        .attach_under(
            AGENT,
            &id,
            "refusal_decision",
            "refus.pdf",
            "application/pdf",
            elf_bytes(),
        )
        .await;
    assert_eq!(fake["status"], "rejected");
    let problem = assert_problem(
        decide(
            json!({"outcome": "refused", "motive": "Ressources insuffisantes.", "document_id": fake["id"]}),
            "r0",
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        [("document_id".to_string(), "not_uploaded".to_string())]
    );
    let problem = assert_problem(
        decide(json!({"outcome": "refused"}), "r1").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        [
            ("motive".to_string(), "required".to_string()),
            ("document_id".to_string(), "required".to_string())
        ]
    );
    let signed = pdf_bytes("arrêté de refus signé");
    let decision = lyon
        .attach_under(
            AGENT,
            &id,
            "refusal_decision",
            "arrete-refus.pdf",
            "application/pdf",
            signed.clone(),
        )
        .await;
    let motive = "Les ressources justifiées sont inférieures au minimum requis.";
    let body = json!({"outcome": "refused", "motive": motive, "document_id": decision["id"]});
    let case = json_of(decide(body.clone(), "refuse").await).await;
    assert_eq!(case["application"]["status"], "refused");
    assert_eq!(case["application"]["decision"]["outcome"], "refused");
    let again = decide(body, "refuse").await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let response = decide(json!({"outcome": "favourable"}), "late").await;
    assert_problem(response, StatusCode::CONFLICT, "already_decided").await;

    // The applicant is told once, reads the motive and downloads the signed PDF as uploaded.
    let notes = json_of(awa.get("/api/me/notifications").await).await;
    assert_eq!(kinds(&notes).iter().filter(|k| *k == "decision_made").count(), 1);
    let mails = emails_to(&h, &email).await;
    let subject = "Séjour : la préfecture a pris une décision sur votre demande";
    assert_eq!(mails.iter().filter(|m| m.subject == subject).count(), 1);
    let view = awa.application(&id).await;
    assert_eq!(view["decision"]["motive"], motive);
    assert_eq!(view["decision"]["certificate"], Value::Null);
    let response = awa.get(&format!("/api/applications/{id}/decision")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains("decision-de-refus-SEJ-"), "{disposition}");
    assert_eq!(response.bytes().await.unwrap().to_vec(), signed);
    let timeline = json_of(awa.get(&format!("/api/applications/{id}/timeline")).await).await;
    let actions: Vec<&str> = timeline["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "submit",
            "send_message",
            "start_review",
            "send_message",
            "send_message",
            "refuse"
        ]
    );

    // The case is closed: no more messages, either way.
    assert_problem(
        write(&awa, &mine, "Recours ?", &[]).await,
        StatusCode::CONFLICT,
        "case_closed",
    )
    .await;
    assert_problem(
        write(&lyon, &theirs, "Fin.", &[]).await,
        StatusCode::CONFLICT,
        "case_closed",
    )
    .await;
}

#[tokio::test]
async fn conversation_and_refusal_on_the_local_runtime() {
    conversation_and_refusal(Harness::local().await).await;
}

#[tokio::test]
async fn conversation_and_refusal_on_aws_with_moto() {
    conversation_and_refusal(Harness::aws().await).await;
}
