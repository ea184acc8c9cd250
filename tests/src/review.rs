//! After submission, over HTTP only and on both runtimes: cases filed in
//! three préfectures, each agent's queue listing only their own; withdrawal
//! before review (the receipt then verifies as withdrawn) and a second
//! submission; the start of the review, after which withdrawal is refused;
//! and every new endpoint refused to whoever may not use it, changing nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::contract::harness::Harness;
use crate::journey::sign_up;
use crate::support::filing::{self, Applicant};
use crate::support::{PASSWORD, PERMIT, Seed, assert_problem};
use sejour::domain::prefecture::PrefectureCode;

const LYON: Seed = Seed {
    number: "PS2000001",
    valid_from: "2025-12-01",
    valid_until: "2026-12-01",
    ..PERMIT
};
const PARIS: Seed = Seed {
    number: "PS2000002",
    given_names: "Fatou",
    surname: "Sow",
    ..LYON
};
const MARSEILLE: Seed = Seed {
    number: "PS2000003",
    given_names: "Moussa",
    surname: "Traoré",
    ..LYON
};

/// A submitted case whose address is in `postcode`, `city`.
pub(crate) async fn submitted(h: &Harness, seed: &Seed, postcode: &str, city: &str) -> (Applicant, String, String) {
    let (applicant, api, _) = sign_up(h, seed).await;
    let id = applicant.create().await["id"].as_str().unwrap().to_string();
    applicant.fill_in(&id).await;
    let mut personal = filing::personal();
    personal["address"]["postcode"] = json!(postcode);
    personal["address"]["city"] = json!(city);
    applicant.save_step_ok(&id, "personal", &personal).await;
    applicant.validate_all(&id).await;
    let response = applicant.submit(&id, &format!("first-{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
    (applicant, api, id)
}

pub(crate) async fn agent(h: &Harness, api: &str, prefecture: &str, email: &str) -> Applicant {
    let code = PrefectureCode::parse(prefecture).unwrap();
    sejour::service::accounts::create_agent(&h.app, code, email, PASSWORD, "Agent")
        .await
        .unwrap();
    Applicant::login(api, email, PASSWORD).await
}

pub(crate) async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// `q` as a query string value.
fn urlencoding(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn queue_ids(queue: &Value) -> Vec<&str> {
    queue["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect()
}

async fn review(h: Harness) {
    let (awa, api, lyon_case) = submitted(&h, &LYON, "69003", "Lyon").await;
    let (fatou, _, paris_case) = submitted(&h, &PARIS, "75011", "Paris").await;
    let (_, _, marseille_case) = submitted(&h, &MARSEILLE, "13001", "Marseille").await;
    let lyon = agent(&h, &api, "69", "agent.lyon@example.org").await;
    let paris = agent(&h, &api, "75", "agent.paris@example.org").await;

    // Each queue lists its préfecture's cases only.
    let queue = json_of(lyon.get("/api/agent/applications").await).await;
    assert_eq!(queue_ids(&queue), [lyon_case.as_str()]);
    assert_eq!(queue["applications"][0]["surname"], "Diallo");
    assert_eq!(queue["next_cursor"], Value::Null);
    let queue = json_of(paris.get("/api/agent/applications?status=submitted&limit=10").await).await;
    assert_eq!(queue_ids(&queue), [paris_case.as_str()]);
    assert!(!queue_ids(&queue).contains(&marseille_case.as_str()));
    let response = lyon.get("/api/agent/applications?status=nope&limit=0&cursor=zz").await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["status", "cursor", "limit"]);

    // Search by surname (folded) and by reference, never across préfectures; counts per status.
    let marseille = agent(&h, &api, "13", "agent.marseille@example.org").await;
    let search = |who: &Applicant, q: &str| {
        let who = who.clone();
        let path = format!("/api/agent/applications?q={}", urlencoding(q));
        async move { json_of(who.get(&path).await).await }
    };
    assert_eq!(queue_ids(&search(&lyon, "dial").await), [lyon_case.as_str()]);
    assert_eq!(
        queue_ids(&search(&marseille, "TRAORE").await),
        [marseille_case.as_str()]
    );
    assert_eq!(
        queue_ids(&search(&marseille, "traoré").await),
        [marseille_case.as_str()]
    );
    assert!(queue_ids(&search(&paris, "diallo").await).is_empty());
    assert!(queue_ids(&search(&lyon, "sow").await).is_empty());
    let lyon_reference = awa.application(&lyon_case).await["reference"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        queue_ids(&search(&lyon, &lyon_reference.to_lowercase()).await),
        [lyon_case.as_str()]
    );
    assert!(queue_ids(&search(&paris, &lyon_reference).await).is_empty());
    let counts = search(&lyon, "dial").await["counts"].clone();
    assert_eq!(counts[0], json!({"status": "submitted", "count": 1}));
    assert!(
        counts.as_array().unwrap()[1..].iter().all(|c| c["count"] == 0),
        "{counts}"
    );
    let response = lyon.get("/api/agent/applications?q=%20-%27").await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "q");

    // The case as filed, to its préfecture only.
    let case = json_of(lyon.get(&format!("/api/agent/applications/{lyon_case}")).await).await;
    assert_eq!(
        case["application"]["reference"],
        awa.application(&lyon_case).await["reference"]
    );
    assert_eq!(case["record"]["number"], "PS2000001");
    assert_eq!(case["history"][0]["action"], "submit");
    let before = awa.application(&lyon_case).await;

    // Who may not: another préfecture (404), an applicant (403), no session (401).
    let doc = case["documents"][0]["id"].as_str().unwrap().to_string();
    let agent_endpoints = |id: &str| {
        let base = format!("/api/agent/applications/{id}");
        let key = vec![("idempotency-key", "intruder".to_string())];
        vec![
            (Method::GET, base.clone(), None, vec![]),
            (Method::POST, format!("{base}/review"), None, vec![]),
            (
                Method::POST,
                format!("{base}/complement-request"),
                Some(json!({"message": "x", "items": [{"kind": "transcripts", "reason": "x"}]})),
                vec![],
            ),
            (
                Method::POST,
                format!("{base}/decision"),
                Some(json!({"outcome": "favourable"})),
                key,
            ),
            (
                Method::POST,
                format!("{base}/card"),
                Some(json!({"step": "in_production"})),
                vec![],
            ),
            (
                Method::POST,
                format!("{base}/messages"),
                Some(json!({"text": "Bonjour"})),
                vec![],
            ),
            (
                Method::POST,
                format!("{base}/documents"),
                Some(
                    json!({"kind": "attachment", "file_name": "a.pdf", "content_type": "application/pdf", "size": 10}),
                ),
                vec![],
            ),
            (Method::POST, format!("{base}/documents/{doc}/confirm"), None, vec![]),
            (Method::GET, format!("{base}/documents/{doc}"), None, vec![]),
        ]
    };
    for (method, path, body, headers) in agent_endpoints(&lyon_case) {
        let response = paris.send(method.clone(), &path, body.as_ref(), &headers).await;
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
        let response = awa.send(method.clone(), &path, body.as_ref(), &headers).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        let anonymous = Applicant::new(&api, "no-such-session");
        let response = anonymous.send(method, &path, body.as_ref(), &headers).await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    let response = awa.get("/api/agent/applications").await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = lyon
        .send(
            Method::POST,
            &format!("/api/applications/{lyon_case}/withdraw"),
            None,
            &[],
        )
        .await;
    assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = fatou
        .send(
            Method::POST,
            &format!("/api/applications/{lyon_case}/withdraw"),
            None,
            &[],
        )
        .await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        awa.application(&lyon_case).await,
        before,
        "a refused request changed the case"
    );

    // Withdrawn before the review: a draft again, out of the queue, its receipt withdrawn.
    let code = before["receipt"]["verification_code"].as_str().unwrap().to_string();
    let response = awa
        .send(
            Method::POST,
            &format!("/api/applications/{lyon_case}/withdraw"),
            None,
            &[],
        )
        .await;
    let draft = json_of(response).await;
    assert_eq!(draft["status"], "draft");
    let check = json_of(awa.get(&format!("/api/verify/{code}")).await).await;
    assert_eq!(check["valid"], false);
    assert!(check["withdrawn_at"].is_string(), "{check}");
    let queue = json_of(lyon.get("/api/agent/applications").await).await;
    assert!(queue_ids(&queue).is_empty());
    let response = awa
        .send(
            Method::POST,
            &format!("/api/applications/{lyon_case}/withdraw"),
            None,
            &[],
        )
        .await;
    assert_problem(response, StatusCode::CONFLICT, "not_submitted").await;
    let response = lyon
        .send(
            Method::POST,
            &format!("/api/agent/applications/{lyon_case}/review"),
            None,
            &[],
        )
        .await;
    assert_problem(response, StatusCode::CONFLICT, "not_submitted").await;

    // Submitted again, with a new receipt.
    let response = awa.submit(&lyon_case, "second", None).await;
    let again: Value = json_of(response).await;
    let second_code = again["receipt"]["verification_code"].as_str().unwrap();
    assert_ne!(second_code, code);
    assert_eq!(
        json_of(awa.get(&format!("/api/verify/{second_code}")).await).await["valid"],
        true
    );

    // The review starts (a stale version is refused), then withdrawal is refused.
    let version = again["application"]["version"].as_u64().unwrap();
    let path = format!("/api/agent/applications/{lyon_case}/review");
    let stale = [("if-match", format!("\"{}\"", version - 1))];
    let response = lyon.send(Method::POST, &path, None, &stale).await;
    assert_problem(response, StatusCode::CONFLICT, "version_conflict").await;
    let current = [("if-match", format!("\"{version}\""))];
    let case = json_of(lyon.send(Method::POST, &path, None, &current).await).await;
    assert_eq!(case["application"]["status"], "under_review");
    assert!(case["assigned_agent"].is_string());
    let actions: Vec<&str> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submit", "withdraw", "submit", "start_review"]);
    assert_eq!(case["history"][3]["actor"]["type"], "agent");
    let response = lyon.send(Method::POST, &path, None, &[]).await;
    assert_problem(response, StatusCode::CONFLICT, "review_started").await;
    let response = awa
        .send(
            Method::POST,
            &format!("/api/applications/{lyon_case}/withdraw"),
            None,
            &[],
        )
        .await;
    assert_problem(response, StatusCode::CONFLICT, "review_started").await;
    let queue = json_of(lyon.get("/api/agent/applications?status=under_review").await).await;
    assert_eq!(queue_ids(&queue), [lyon_case.as_str()]);

    // Complements (F18, F19): nothing to answer before a request.
    let app_path = format!("/api/applications/{lyon_case}");
    let send = format!("{app_path}/complement/send");
    let response = awa.send(Method::POST, &send, Some(&json!({})), &[]).await;
    assert_problem(response, StatusCode::CONFLICT, "no_complement_requested").await;
    let files = case["documents"].as_array().unwrap().clone();
    let passport = files.iter().find(|f| f["kind"] == "passport").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ask = format!("/api/agent/applications/{lyon_case}/complement-request");
    let bad = json!({"message": "", "items": [{"kind": "lottery", "reason": "x"}]});
    let problem = assert_problem(
        lyon.send(Method::POST, &ask, Some(&bad), &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        crate::support::field_errors(&problem),
        [
            ("message".to_string(), "required".to_string()),
            ("items[0].kind".to_string(), "not_in_list".to_string())
        ]
    );
    let response = paris.send(Method::POST, &ask, Some(&bad), &[]).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let request = json!({
        "message": "Merci de compléter votre dossier.",
        "items": [
            {"kind": "passport", "document_id": passport, "reason": "La page d'identité est illisible."},
            {"kind": "transcripts", "reason": "Les relevés de notes de l'an dernier manquent."}
        ]
    });
    let case = json_of(lyon.send(Method::POST, &ask, Some(&request), &[]).await).await;
    assert_eq!(case["application"]["status"], "complement_requested");
    let asked = &case["application"]["complements"][0];
    assert_eq!(asked["open"], true);
    assert_eq!(asked["items"].as_array().unwrap().len(), 2);
    assert!(
        asked["deadline_date"].is_string() && asked["deadline"].is_string(),
        "{asked}"
    );

    // The applicant keeps the passport with a justification, sends too early,
    // uploads the transcripts asked for (not another kind), and sends.
    let keep = json!({"keep": {"justification": "Le passeport original est lisible : la copie était floue."}});
    let view = json_of(
        awa.send(Method::PUT, &format!("{app_path}/complement/items/0"), Some(&keep), &[])
            .await,
    )
    .await;
    assert_eq!(view["complements"][0]["items"][0]["answer"]["type"], "keep");
    let problem = assert_problem(
        awa.send(Method::POST, &send, Some(&json!({})), &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "complement_incomplete",
    )
    .await;
    assert_eq!(
        crate::support::field_errors(&problem),
        [("items[1]".to_string(), "required".to_string())]
    );
    let response = awa
        .request_upload(&lyon_case, "proof_of_address", "adresse.pdf", "application/pdf", 100)
        .await;
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let transcripts = awa
        .attach(
            &lyon_case,
            "transcripts",
            "releves.pdf",
            "application/pdf",
            filing::pdf_bytes("transcripts"),
        )
        .await;
    assert_eq!(transcripts["status"], "accepted");
    let replace = json!({"replace": {"document_id": transcripts["id"]}});
    json_of(
        awa.send(
            Method::PUT,
            &format!("{app_path}/complement/items/1"),
            Some(&replace),
            &[],
        )
        .await,
    )
    .await;
    let sent = json_of(
        awa.send(Method::POST, &send, Some(&json!({"message": "Voici les pièces."})), &[])
            .await,
    )
    .await;
    assert_eq!(sent["status"], "under_review");
    let response = awa.send(Method::POST, &send, Some(&json!({})), &[]).await;
    assert_problem(response, StatusCode::CONFLICT, "no_complement_requested").await;

    // The agent sees the answer, the original passport and the new file.
    let case = json_of(lyon.get(&format!("/api/agent/applications/{lyon_case}")).await).await;
    let answered = &case["application"]["complements"][0];
    assert_eq!(answered["open"], false);
    assert_eq!(answered["answer_message"], "Voici les pièces.");
    let ids: Vec<&str> = case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&passport.as_str()) && ids.contains(&transcripts["id"].as_str().unwrap()));
    let actions: Vec<&str> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions[4..], ["request_complement", "answer_complement"]);

    // The applicant was told of the withdrawal (and of each submission).
    let notes = json_of(awa.get("/api/me/notifications").await).await;
    let kinds: Vec<&str> = notes["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "complement_sent",
            "complement_requested",
            "application_submitted",
            "application_withdrawn",
            "application_submitted",
            "account_activated"
        ]
    );

    // Then to the end of the lifecycle: approved, the card produced, ready,
    // handed over; the applicant notified and emailed exactly once at each step.
    let email = json_of(awa.get("/api/me").await).await["email"]
        .as_str()
        .unwrap()
        .to_string();
    let case_path = format!("/api/agent/applications/{lyon_case}");
    let steps: [(&str, Value, &str, &str); 4] = [
        (
            "decision",
            json!({"outcome": "favourable"}),
            "approved",
            "decision_made",
        ),
        (
            "card",
            json!({"step": "in_production"}),
            "card_in_production",
            "card_in_production",
        ),
        (
            "card",
            json!({"step": "ready", "place": "Préfecture du Rhône, guichet 2", "from": "2026-11-02"}),
            "card_ready",
            "card_ready",
        ),
        (
            "card",
            json!({"step": "handed_over"}),
            "card_delivered",
            "card_handed_over",
        ),
    ];
    for (action, body, status, kind) in steps {
        let (notes_before, mails_before) = (
            json_of(awa.get("/api/me/notifications").await).await["notifications"]
                .as_array()
                .unwrap()
                .len(),
            crate::journey::emails_to(&h, &email).await.len(),
        );
        let headers = [("idempotency-key", format!("lifecycle-{status}"))];
        let case = json_of(
            lyon.send(Method::POST, &format!("{case_path}/{action}"), Some(&body), &headers)
                .await,
        )
        .await;
        assert_eq!(case["application"]["status"], status);
        let notes = json_of(awa.get("/api/me/notifications").await).await;
        let notes = notes["notifications"].as_array().unwrap();
        assert_eq!(notes.len(), notes_before + 1, "{status}");
        assert_eq!(notes[0]["kind"], kind);
        let mails = crate::journey::emails_to(&h, &email).await.len();
        assert_eq!(mails, mails_before + 1, "{status}");
    }
}

#[tokio::test]
async fn review_on_the_local_runtime() {
    review(Harness::local().await).await;
}

#[tokio::test]
async fn review_on_aws_with_moto() {
    review(Harness::aws().await).await;
}
