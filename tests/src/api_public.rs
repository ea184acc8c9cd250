//! The public endpoints through the real router: health, eligibility (F1),
//! the OpenAPI document, and the shape of errors every endpoint shares.

use crate::support::{assert_problem, field_errors, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn health_answers_and_is_not_cached() {
    let app = spawn_app().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

async fn check(app: &crate::support::TestApp, body: Value) -> Value {
    let response = app.post("/api/eligibility", &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    response.json().await.unwrap()
}

#[tokio::test]
async fn eligibility_covered_with_the_filing_window_and_the_prefecture() {
    let app = spawn_app().await; // today: 2026-06-15

    // Renewal, between day 120 and day 60 before expiry: on time.
    let on_time = check(
        &app,
        json!({"document_type": "permit_student", "valid_until": "2026-09-30", "postcode": "69007"}),
    )
    .await;
    assert_eq!(
        on_time,
        json!({
            "outcome": "covered",
            "procedure": "renewal",
            "filing": {"status": "on_time", "due_by": "2026-08-01"},
            "prefecture": {"code": "69", "departement": "Rhône", "seat": "Lyon"}
        })
    );

    // Less than 60 days before expiry: late, with the 180 € fee.
    let late = check(
        &app,
        json!({"document_type": "permit_other", "valid_until": "2026-07-01", "postcode": "20000"}),
    )
    .await;
    assert_eq!(late["outcome"], "covered");
    assert_eq!(
        late["filing"],
        json!({"status": "late", "late_fee_eur": 180, "closes_on": "2027-01-01"})
    );
    assert_eq!(late["prefecture"]["code"], "2A");

    // Too early: says when it opens.
    let early = check(
        &app,
        json!({"document_type": "permit_student", "valid_until": "2027-01-31", "postcode": "75011"}),
    )
    .await;
    assert_eq!(
        early["filing"],
        json!({"status": "not_yet_open", "opens_on": "2026-10-03"})
    );

    // First application after a visa: within two months of arrival.
    let first = check(
        &app,
        json!({"document_type": "vls_ts_student", "valid_until": "2027-04-30",
               "arrival_date": "2026-05-01", "postcode": "97400"}),
    )
    .await;
    assert_eq!(first["procedure"], "first_application");
    assert_eq!(first["filing"], json!({"status": "on_time", "due_by": "2026-07-01"}));
    assert_eq!(
        first["prefecture"],
        json!({"code": "974", "departement": "La Réunion", "seat": "Saint-Denis"})
    );
}

#[tokio::test]
async fn eligibility_not_covered_says_why_and_which_prefecture() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"document_type": "eu_long_term", "valid_until": "2027-01-01"}),
            "eu_long_term_resident",
        ),
        (
            json!({"document_type": "visa_concours", "valid_until": "2026-07-31"}),
            "short_stay_visa_concours",
        ),
        (json!({"document_type": "none"}), "no_visa_nor_permit"),
        (
            json!({"document_type": "vls_t_minor_schooled", "valid_until": "2027-06-30", "birth_date": "2009-01-01"}),
            "not_yet_adult",
        ),
        (
            json!({"document_type": "permit_student", "valid_until": "2025-11-30"}),
            "expired_too_long_ago",
        ),
    ];
    for (mut body, reason) in cases {
        body["postcode"] = json!("13001");
        let answer = check(&app, body).await;
        assert_eq!(answer["outcome"], "not_covered", "{reason}");
        assert_eq!(answer["reason"], reason);
        assert_eq!(
            answer["prefecture"],
            json!({"code": "13", "departement": "Bouches-du-Rhône", "seat": "Marseille"})
        );
        assert!(answer.get("filing").is_none());
    }
}

#[tokio::test]
async fn eligibility_asks_for_what_the_rule_needs() {
    let app = spawn_app().await;
    for (body, field) in [
        (
            json!({"document_type": "vls_ts_student", "valid_until": "2027-04-30", "postcode": "75011"}),
            "arrival_date",
        ),
        (
            json!({"document_type": "permit_student", "postcode": "75011"}),
            "valid_until",
        ),
        (
            json!({"document_type": "vls_t_minor_schooled", "valid_until": "2027-04-30", "postcode": "75011"}),
            "birth_date",
        ),
    ] {
        let problem = assert_problem(
            app.post("/api/eligibility", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            field_errors(&problem),
            vec![(field.to_string(), "required".to_string())]
        );
    }
}

#[tokio::test]
async fn problems_follow_the_request_language() {
    let app = spawn_app().await;
    let body = json!({"document_type": "permit_student", "postcode": "7501"});
    let french = app.post("/api/eligibility", &body).await;
    let french = assert_problem(french, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(french["title"], "Informations invalides");
    assert_eq!(french["errors"][0]["message"], "Code postal invalide : cinq chiffres.");

    let english = app
        .client
        .post(app.url("/api/eligibility"))
        .header("accept-language", "en-GB,en;q=0.9,fr;q=0.5")
        .json(&body)
        .send()
        .await
        .unwrap();
    let english = assert_problem(english, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(english["title"], "Invalid input");
    assert_eq!(
        english["errors"][0],
        json!({"field": "postcode", "code": "invalid_postcode", "message": "Invalid postcode: five digits."})
    );
}

#[tokio::test]
async fn malformed_bodies_are_problems_too() {
    let app = spawn_app().await;
    let send = |body: &'static str, content_type: Option<&'static str>| {
        let mut request = app.client.post(app.url("/api/auth/login")).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send()
    };
    for body in ["{", "[]", "\"text\"", r#"{"email": 5, "password": "x"}"#, ""] {
        let response = send(body, Some("application/json")).await.unwrap();
        assert_problem(response, StatusCode::BAD_REQUEST, "malformed_body").await;
    }
    let response = send(r#"{"email": "a@b.fr", "password": "x"}"#, Some("text/plain"))
        .await
        .unwrap();
    assert_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    let response = send(r#"{"email": "a@b.fr", "password": "x"}"#, None).await.unwrap();
    assert_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;

    let response = app.get("/api/auth/login").await;
    assert_problem(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn openapi_lists_every_path() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    // Every route the server answers is documented, and nothing else:
    // both come from the endpoint table.
    let expected: Vec<(String, String)> = sejour::deployment::functions()
        .into_iter()
        .flat_map(|f| f.routes)
        .map(|r| (r.path, r.method.to_lowercase()))
        .collect();
    assert!(expected.contains(&("/api/agent/applications".into(), "get".into())));
    let paths = doc["paths"].as_object().unwrap();
    let client = reqwest::Client::new();
    for (path, method) in &expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
        let response = app
            .send(&client, method.to_uppercase().parse().unwrap(), path, None, None)
            .await;
        assert_ne!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} not routed"
        );
    }
    let operations: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(operations, expected.len(), "undocumented extra operations: {paths:?}");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "Problem",
        "ProblemField",
        "Profile",
        "ActivateRequest",
        "EligibilityAnswer",
        "NotificationList",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema} missing");
    }
    let security = doc["components"]["securitySchemes"].as_object().unwrap();
    assert!(security.contains_key("session_cookie") && security.contains_key("bearer"));
}
