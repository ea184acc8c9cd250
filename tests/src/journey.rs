//! The applicant's journey over HTTP only, on both runtimes: activation
//! by permit, the emailed verification link, login, the draft, the four
//! steps, every required document uploaded to its signed URL (the local
//! storage router, or S3 on moto) and confirmed, the review at 4/4, the
//! submission, the receipt PDF read back, its public verification, and the
//! confirmation email. Then the conflicts (two saves of one version, twenty
//! submits), at once on both runtimes. The runtimes come from the contract
//! suite's harness (which brings its own AWS checks along).

use crate::contract::harness::Harness;
use crate::support::filing::{self, Applicant};
use crate::support::{Mail, PASSWORD, PERMIT, Seed, assert_problem};
use lopdf::Document;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

// Records placed around the harness's first instant (2026-09-01, `t0`).

/// Awa's permit, in its renewal window: filed on time.
const ON_TIME: Seed = Seed {
    number: "PS1000001",
    valid_from: "2025-12-01",
    valid_until: "2026-12-01",
    ..PERMIT
};
/// Expires in 29 days: past the window, accepted with the 180 € fee.
const LATE: Seed = Seed {
    number: "PS1000002",
    given_names: "Fatou",
    ..PERMIT
};
/// Expired 7 months ago: more than 6, the préfecture's to handle.
const EXPIRED: Seed = Seed {
    number: "PS1000003",
    valid_from: "2025-02-01",
    valid_until: "2026-02-01",
    given_names: "Moussa",
    ..PERMIT
};
/// Expires in 5 months: the renewal window opens in a month.
const TOO_EARLY: Seed = Seed {
    number: "PS1000004",
    valid_from: "2025-02-01",
    valid_until: "2027-02-01",
    given_names: "Ibrahima",
    ..PERMIT
};
/// A VLS-T "mineur scolarisé" whose holder is 17 and a half.
const MINOR: Seed = Seed {
    kind: "visa",
    number: "VM1000005",
    document_type: "vls_t_minor_schooled",
    valid_from: "2026-08-15",
    valid_until: "2027-08-14",
    foreigner_number: None,
    given_names: "Aminata",
    birth_date: "2009-03-01",
    ..PERMIT
};

/// The text of every page, whitespace collapsed (as `pdf_receipt.rs` reads it).
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    let doc = Document::load_mem(pdf).expect("the receipt parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let raw = doc.extract_text(&pages).expect("text extracts");
    raw.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The delivered emails to `to`, decoded, oldest first.
pub(crate) async fn emails_to(h: &Harness, to: &str) -> Vec<Mail> {
    h.deliver_queued().await;
    h.delivered_emails()
        .await
        .iter()
        .map(|raw| Mail::parse(Default::default(), raw))
        .filter(|m| m.is_to(to))
        .collect()
}

/// Serve the API, activate an account with `seed` over HTTP (following the
/// emailed link) and log in: the applicant's client, the API's address and
/// the email.
pub(crate) async fn sign_up(h: &Harness, seed: &Seed) -> (Applicant, String, String) {
    // The state's record of the applicant's residence permit or visa.
    let record = seed.raw().parse().expect("valid record");
    h.ports().records.put_many(&[record]).await.unwrap();

    // The API on its own address (on AWS, API Gateway; here one server).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let router = sejour::api::router(h.app.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let http = Client::new();
    let email = format!("awa.{}@example.org", uuid::Uuid::new_v4().simple());

    // Activation by permit, then the link emailed to verify the address.
    let response = http
        .post(format!("{api}/api/accounts/activate"))
        .json(&seed.activation(&email, PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "{}",
        response.text().await.unwrap()
    );
    let prefix = format!("{}/verify-email?token=", h.app.config.public_url);
    let token = emails_to(h, &email)
        .await
        .iter()
        .find_map(|m| m.link_token(&prefix))
        .expect("a verification link");
    let response = http
        .post(format!("{api}/api/accounts/verify-email"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let awa = Applicant::login(&api, &email, PASSWORD).await;
    (awa, api, email)
}

async fn journey(h: Harness) {
    let (awa, api, email) = sign_up(&h, &ON_TIME).await;
    let http = Client::new();

    // The draft, prefilled; the four steps; the documents; the review.
    let draft = awa.create().await;
    let id = draft["id"].as_str().unwrap().to_string();
    let reference = draft["reference"].as_str().unwrap().to_string();
    assert_eq!(draft["civil_status"]["surname"], "Diallo");
    let view = awa.fill_in(&id).await;
    assert_eq!(view["prefecture"]["code"], "69");
    let files = view["documents"]["files"].as_array().unwrap().clone();
    assert_eq!(files.len(), view["documents"]["required"].as_array().unwrap().len());
    assert!(files.iter().all(|f| f["status"] == "accepted"));

    // A document viewed back through its signed download link.
    let passport = files.iter().find(|f| f["kind"] == "passport").unwrap();
    let response = awa
        .get(&format!(
            "/api/applications/{id}/documents/{}",
            passport["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let link: Value = response.json().await.unwrap();
    let file = http.get(link["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.unwrap().to_vec(), filing::pdf_bytes("passport"));

    let view = awa.validate_all(&id).await;
    assert_eq!(view["missing"], json!([]));

    // Submission, with a comment for the administration.
    let response = awa.submit(&id, "journey-1", Some("Première demande en ligne.")).await;
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
    let submitted: Value = response.json().await.unwrap();
    assert_eq!(submitted["application"]["status"], "submitted");
    let code = submitted["receipt"]["verification_code"].as_str().unwrap().to_string();

    // The receipt, at any time after submission.
    let response = awa.get(&format!("/api/applications/{id}/receipt")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"attestation-de-depot-SEJ-")
    );
    let pdf = response.bytes().await.unwrap().to_vec();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for expected in [
        reference.as_str(),
        "Awa",
        "DIALLO",
        code.as_str(),
        "5 avril 2003",
        "1er septembre 2026 à 11 h 00",
        "7501234567",
        "Rhône",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the receipt:\n{text}");
    }

    // The public check of the code printed on it; a modified code is refused.
    let response = http.get(format!("{api}/api/verify/{code}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let check: Value = response.json().await.unwrap();
    assert_eq!(check["authentic"], true);
    assert_eq!(check["reference"], reference.as_str());
    assert_eq!(check["holder_name"], "Awa DIALLO");
    assert_eq!(check["valid_until"], Value::Null);
    assert_eq!(
        check["confers_right_of_stay"], false,
        "a receipt gives no right of stay"
    );
    let last = code.chars().last().unwrap();
    let modified = format!("{}{}", &code[..code.len() - 1], if last == 'A' { 'B' } else { 'A' });
    let response = http.get(format!("{api}/api/verify/{modified}")).send().await.unwrap();
    assert_problem(response, StatusCode::NOT_FOUND, "unknown_code").await;

    // The notification in the account, and one confirmation email.
    let notes: Value = awa.get("/api/me/notifications").await.json().await.unwrap();
    assert_eq!(notes["notifications"][0]["kind"], "application_submitted");
    let confirmations: Vec<Mail> = emails_to(&h, &email)
        .await
        .into_iter()
        .filter(|m| m.subject == "Séjour : votre demande est déposée")
        .collect();
    assert_eq!(confirmations.len(), 1, "{confirmations:?}");
    assert!(confirmations[0].body.contains("Connectez-vous"));
    assert!(!confirmations[0].body.contains(&reference));

    // Still there when the applicant comes back.
    let list: Value = awa.get("/api/applications").await.json().await.unwrap();
    assert_eq!(list["applications"][0]["status"], "submitted");
    assert_eq!(
        awa.get(&format!("/api/applications/{id}/receipt")).await.status(),
        StatusCode::OK
    );
}

/// The eligibility rules (F1) decide at draft creation and again at
/// submission: refused records get the eligibility code, a late filing
/// carries the fee on the application and on its receipt.
async fn eligibility_at_filing(h: Harness) {
    for (seed, code, reason) in [
        (&EXPIRED, "not_covered", Some("expired_too_long_ago")),
        (&MINOR, "not_covered", Some("not_yet_adult")),
        (&TOO_EARLY, "filing_not_open", None),
    ] {
        let (applicant, _, _) = sign_up(&h, seed).await;
        let response = applicant
            .send(reqwest::Method::POST, "/api/applications", Some(&json!({})), &[])
            .await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(problem["reason"].as_str(), reason, "{problem}");
        if code == "filing_not_open" {
            assert_eq!(problem["opens_on"], "2026-10-04");
        }
        let list: Value = applicant.get("/api/applications").await.json().await.unwrap();
        assert_eq!(
            list["applications"],
            json!([]),
            "nothing was created for {}",
            seed.number
        );
    }

    // Late: accepted, with the fee, shown on the draft and on the receipt.
    let (late, _, _) = sign_up(&h, &LATE).await;
    let draft = late.create().await;
    assert_eq!(draft["late_fee_eur"], 180);
    let id = draft["id"].as_str().unwrap().to_string();
    late.fill_in(&id).await;
    late.validate_all(&id).await;
    let response = late.submit(&id, "late-1", None).await;
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
    let submitted: Value = response.json().await.unwrap();
    assert_eq!(submitted["application"]["late_fee_eur"], 180);
    let pdf = late
        .get(&format!("/api/applications/{id}/receipt"))
        .await
        .bytes()
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Majoration (dépôt tardif)") && text.contains("180"),
        "{text}"
    );

    // On time at creation, left as a draft until the record lapsed for good:
    // the submission is refused, and nothing is issued.
    let (slow, api, email) = sign_up(&h, &ON_TIME).await;
    let id = slow.create().await["id"].as_str().unwrap().to_string();
    assert_eq!(slow.application(&id).await["late_fee_eur"], Value::Null);
    slow.fill_in(&id).await;
    slow.validate_all(&id).await;
    h.clock.advance(chrono::Duration::days(300));
    let slow = Applicant::login(&api, &email, PASSWORD).await;
    let response = slow.submit(&id, "slow-1", None).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "not_covered").await;
    assert_eq!(problem["reason"], "expired_too_long_ago");
    assert_eq!(slow.application(&id).await["status"], "draft");
    let app_id = sejour::domain::application::ApplicationId(id.parse().unwrap());
    assert_eq!(h.ports().applications.issued_for(app_id).await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eligibility_at_filing_on_the_local_runtime() {
    eligibility_at_filing(Harness::local().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eligibility_at_filing_on_aws_with_moto() {
    eligibility_at_filing(Harness::aws().await).await;
}

/// Send `requests` all at once; their answers in order.
async fn race<F>(requests: Vec<F>) -> Vec<(StatusCode, String)>
where
    F: std::future::Future<Output = reqwest::Response> + Send + 'static,
{
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            tokio::spawn(async move {
                let response = request.await;
                (response.status(), response.text().await.unwrap())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// Two devices saving the same version, then twenty submits: one save, one
/// submission, one receipt, one email.
async fn conflicts(h: Harness) {
    let (awa, _api, email) = sign_up(&h, &ON_TIME).await;
    let id = awa.create().await["id"].as_str().unwrap().to_string();
    let version = awa.version(&id).await;
    let saves = (0..2)
        .map(|_| {
            let (awa, id) = (awa.clone(), id.clone());
            async move { awa.save_step(&id, "personal", version, &filing::personal()).await }
        })
        .collect();
    let answers = race(saves).await;
    let mut statuses: Vec<StatusCode> = answers.iter().map(|(s, _)| *s).collect();
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{answers:#?}");
    assert!(
        answers
            .iter()
            .any(|(_, body)| body.contains("\"code\":\"version_conflict\""))
    );
    assert_eq!(awa.version(&id).await, version + 1);

    awa.fill_in(&id).await;
    awa.validate_all(&id).await;
    let submits = (0..20)
        .map(|i| {
            let (awa, id) = (awa.clone(), id.clone());
            async move { awa.submit(&id, &format!("device-{i}"), None).await }
        })
        .collect();
    let answers = race(submits).await;
    let submitted = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(submitted, 1, "{answers:#?}");
    assert!(
        answers.iter().all(|(s, body)| *s == StatusCode::OK
            || (*s == StatusCode::CONFLICT
                && (body.contains("already_submitted") || body.contains("version_conflict")))),
        "{answers:#?}"
    );
    let app_id = sejour::domain::application::ApplicationId(id.parse().unwrap());
    let ports = h.ports();
    assert_eq!(ports.applications.issued_for(app_id).await.unwrap().len(), 1);
    assert_eq!(ports.applications.events(app_id).await.unwrap().len(), 1);
    let confirmations = emails_to(&h, &email)
        .await
        .into_iter()
        .filter(|m| m.subject == "Séjour : votre demande est déposée")
        .count();
    assert_eq!(confirmations, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conflicts_on_the_local_runtime() {
    conflicts(Harness::local().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conflicts_on_aws_with_moto() {
    conflicts(Harness::aws().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_on_the_local_runtime() {
    journey(Harness::local().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_on_aws_with_moto() {
    journey(Harness::aws().await).await;
}
