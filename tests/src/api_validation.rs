//! A bad value in each field of each endpoint: the exact problem+json code
//! and field, and only that field.

use crate::support::{NEW_PASSWORD, PASSWORD, PERMIT, assert_problem, field_errors, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `(endpoint, method, valid body, field path, bad value, expected code)`;
/// a `None` bad value removes the field.
type Case = (&'static str, Method, Value, &'static str, Option<Value>, &'static str);

fn cases() -> Vec<Case> {
    let eligibility = json!({
        "document_type": "vls_t_minor_schooled", "valid_until": "2027-06-30",
        "arrival_date": "2025-09-01", "birth_date": "2005-01-01", "postcode": "75011"
    });
    let mut activation = PERMIT.activation("awa@example.org", PASSWORD);
    activation["language"] = json!("fr");
    let login = json!({"email": "awa@example.org", "password": "anything at all"});
    let reset = json!({"email": "awa@example.org"});
    let confirm = json!({"token": "c29tZS10b2tlbg", "password": NEW_PASSWORD});
    let verify = json!({"token": "c29tZS10b2tlbg"});
    let me = json!({});
    let address =
        json!({"address": {"line1": "1 rue de Rivoli", "line2": "Bât. B", "postcode": "75001", "city": "Paris"}});
    let long = json!("x".repeat(101));

    use Method as M;
    let mut cases: Vec<Case> = vec![
        (
            "/api/eligibility",
            M::POST,
            eligibility.clone(),
            "document_type",
            Some(json!("passport")),
            "invalid_document_type",
        ),
        (
            "/api/eligibility",
            M::POST,
            eligibility.clone(),
            "document_type",
            None,
            "required",
        ),
        (
            "/api/eligibility",
            M::POST,
            eligibility.clone(),
            "valid_until",
            Some(json!("31/12/2026")),
            "invalid_date",
        ),
        (
            "/api/eligibility",
            M::POST,
            eligibility.clone(),
            "arrival_date",
            Some(json!("2026-13-01")),
            "invalid_date",
        ),
        (
            "/api/eligibility",
            M::POST,
            eligibility.clone(),
            "birth_date",
            Some(json!("yesterday")),
            "invalid_date",
        ),
        (
            "/api/eligibility",
            M::POST,
            eligibility.clone(),
            "postcode",
            Some(json!("7500")),
            "invalid_postcode",
        ),
        (
            "/api/eligibility",
            M::POST,
            eligibility.clone(),
            "postcode",
            Some(json!("99000")),
            "no_prefecture",
        ),
        ("/api/eligibility", M::POST, eligibility, "postcode", None, "required"),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "kind",
            Some(json!("card")),
            "invalid_kind",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "number",
            Some(json!("AB1")),
            "invalid_document_number",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "number",
            None,
            "required",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "valid_from",
            Some(json!("2025-02-30")),
            "invalid_date",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "valid_until",
            Some(json!("")),
            "required",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "valid_until",
            Some(json!("2025-09-30")),
            "before_valid_from",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "email",
            Some(json!("awa@")),
            "invalid_email",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "password",
            Some(json!("short")),
            "too_short",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation.clone(),
            "password",
            Some(json!("123456789012")),
            "too_common",
        ),
        (
            "/api/accounts/activate",
            M::POST,
            activation,
            "language",
            Some(json!("de")),
            "invalid_language",
        ),
        (
            "/api/accounts/verify-email",
            M::POST,
            verify.clone(),
            "token",
            Some(json!("  ")),
            "required",
        ),
        ("/api/accounts/verify-email", M::POST, verify, "token", None, "required"),
        (
            "/api/auth/login",
            M::POST,
            login.clone(),
            "email",
            Some(json!("not-an-email")),
            "invalid_email",
        ),
        (
            "/api/auth/login",
            M::POST,
            login,
            "password",
            Some(json!("")),
            "required",
        ),
        (
            "/api/auth/password-reset",
            M::POST,
            reset.clone(),
            "email",
            Some(json!("")),
            "required",
        ),
        (
            "/api/auth/password-reset",
            M::POST,
            reset,
            "email",
            Some(json!("awa at example.org")),
            "invalid_email",
        ),
        (
            "/api/auth/password-reset/confirm",
            M::POST,
            confirm.clone(),
            "token",
            Some(json!("")),
            "required",
        ),
        (
            "/api/auth/password-reset/confirm",
            M::POST,
            confirm,
            "password",
            Some(json!("short")),
            "too_short",
        ),
        (
            "/api/me",
            M::PATCH,
            address.clone(),
            "address.line1",
            Some(json!("")),
            "required",
        ),
        (
            "/api/me",
            M::PATCH,
            address.clone(),
            "address.line2",
            Some(json!("Bât.\u{7} B")),
            "invalid_characters",
        ),
        (
            "/api/me",
            M::PATCH,
            address.clone(),
            "address.postcode",
            Some(json!("750011")),
            "invalid_postcode",
        ),
        ("/api/me", M::PATCH, address, "address.city", Some(long), "too_long"),
        (
            "/api/me",
            M::PATCH,
            me.clone(),
            "phone",
            Some(json!("12345")),
            "invalid_phone",
        ),
        (
            "/api/me",
            M::PATCH,
            me.clone(),
            "phone",
            Some(json!("01 40 00 00 00")),
            "not_mobile",
        ),
        (
            "/api/me",
            M::PATCH,
            me.clone(),
            "email",
            Some(json!("awa@example")),
            "invalid_email",
        ),
        (
            "/api/me",
            M::PATCH,
            me.clone(),
            "language",
            Some(json!("es")),
            "invalid_language",
        ),
        (
            "/api/me",
            M::PATCH,
            me.clone(),
            "favourite_colour",
            Some(json!("blue")),
            "unknown_field",
        ),
    ];
    for field in [
        "surname",
        "given_names",
        "sex",
        "birth_date",
        "birth_place",
        "birth_country",
        "nationality",
        "civil_status",
        "foreigner_number",
    ] {
        cases.push(("/api/me", M::PATCH, me.clone(), field, Some(json!("X")), "read_only"));
    }
    cases
}

/// Set (or remove) a field given by its dotted path.
fn with_field(mut body: Value, path: &str, value: Option<Value>) -> Value {
    let mut target = &mut body;
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap();
    for part in parts {
        target = &mut target[part];
    }
    let object = target.as_object_mut().unwrap();
    match value {
        Some(value) => object.insert(last.to_string(), value),
        None => object.remove(last),
    };
    body
}

#[tokio::test]
async fn each_bad_field_gets_its_stable_code() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, "awa@example.org").await;
    let token = app.bearer("awa@example.org", PASSWORD).await;
    let cases = cases();
    let mut endpoints: Vec<&str> = cases.iter().map(|c| c.0).collect();
    endpoints.dedup();
    assert_eq!(endpoints.len(), 7, "every endpoint with a body is covered");

    for (path, method, valid, field, bad, code) in cases {
        let body = with_field(valid, field, bad.clone());
        let bearer = (path == "/api/me").then_some(token.as_str());
        let response = app.send(&app.client, method.clone(), path, Some(&body), bearer).await;
        let label = format!("{method} {path} {field}={bad:?}");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(
            field_errors(&problem),
            vec![(field.to_string(), code.to_string())],
            "{label}"
        );
    }

    // Nothing was saved by any of the refused profile changes.
    let me: Value = app.get_bearer("/api/me", &token).await.json().await.unwrap();
    assert_eq!(me["address"], Value::Null);
    assert_eq!(me["phone"], Value::Null);
    assert_eq!(me["pending_email"], Value::Null);
}

#[tokio::test]
async fn wrong_json_types_are_malformed_bodies() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, "awa@example.org").await;
    let token = app.bearer("awa@example.org", PASSWORD).await;
    for (path, method, body) in [
        (
            "/api/eligibility",
            Method::POST,
            json!({"document_type": 3, "postcode": "75011"}),
        ),
        ("/api/accounts/activate", Method::POST, json!({"kind": ["permit"]})),
        ("/api/accounts/verify-email", Method::POST, json!({"token": null})),
        ("/api/auth/login", Method::POST, json!({"email": true, "password": "x"})),
        ("/api/auth/password-reset", Method::POST, json!({"email": {}})),
        (
            "/api/auth/password-reset/confirm",
            Method::POST,
            json!({"token": 1, "password": 2}),
        ),
        ("/api/me", Method::PATCH, json!({"phone": 612345678})),
        ("/api/me", Method::PATCH, json!({"address": "1 rue de Rivoli"})),
    ] {
        let bearer = (path == "/api/me").then_some(token.as_str());
        let response = app.send(&app.client, method, path, Some(&body), bearer).await;
        assert_problem(response, StatusCode::BAD_REQUEST, "malformed_body").await;
    }
}
