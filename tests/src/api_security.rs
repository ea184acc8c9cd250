//! Security over HTTP through the real router: the password reset flow
//! through the emailed link (F3), lockout and both ways out of it, sessions
//! on every endpoint, ownership, cross-origin writes, the cookie's flags.

use crate::support::{
    NEW_PASSWORD, OTHER_PERMIT, PASSWORD, PERMIT, TestApp, VISA, assert_problem, client_without_cookies, field_errors,
    spawn_app, spawn_app_with,
};
use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const AWA: &str = "awa.diallo@example.org";

async fn request_reset(app: &TestApp, email: &str) -> Value {
    let response = app.post("/api/auth/password-reset", &json!({ "email": email })).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    response.json().await.unwrap()
}

async fn confirm_reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/auth/password-reset/confirm",
        &json!({ "token": token, "password": password }),
    )
    .await
}

#[tokio::test]
async fn password_reset_through_the_emailed_link_ends_every_older_session() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    app.login(AWA, PASSWORD).await; // the cookie client
    let other_device = app.bearer(AWA, PASSWORD).await;
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);

    // The same answer whether or not an account uses the address.
    let known = request_reset(&app, AWA).await;
    let unknown = request_reset(&app, "nobody@example.org").await;
    assert_eq!(known, unknown);
    // The unknown address is told that no account uses it, and gets no link.
    let told = app.emails_to("nobody@example.org").await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "Réinitialisation de mot de passe demandée");
    assert!(
        app.try_token_from_email("nobody@example.org", "/reset-password")
            .await
            .is_none()
    );

    let token = app.token_from_email(AWA, "/reset-password").await;
    app.advance(Duration::minutes(5));
    assert_eq!(
        confirm_reset(&app, &token, NEW_PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );

    // Every session opened before the reset is over.
    assert_problem(app.get("/api/me").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_problem(
        app.get_bearer("/api/me", &other_device).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // The old password no longer works; the new one does.
    let old = app.login_with(&client_without_cookies(), AWA, PASSWORD).await;
    assert_problem(old, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.login(AWA, NEW_PASSWORD).await;
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);

    // The link works once.
    assert_problem(
        confirm_reset(&app, &token, "Another fine password 9").await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;

    let list: Value = app.get("/api/me/notifications").await.json().await.unwrap();
    assert_eq!(list["notifications"][0]["kind"], "password_changed");
    let mails = app.emails_to(AWA).await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject.contains("Réinitialisation de votre mot de passe"))
    );
    assert!(mails.iter().any(|m| m.subject.contains("mot de passe a changé")));
}

#[tokio::test]
async fn an_expired_reset_link_is_refused_and_spent() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    request_reset(&app, AWA).await;
    let token = app.token_from_email(AWA, "/reset-password").await;
    app.advance(Duration::minutes(61));
    assert_problem(
        confirm_reset(&app, &token, NEW_PASSWORD).await,
        StatusCode::BAD_REQUEST,
        "expired_token",
    )
    .await;
    assert_problem(
        confirm_reset(&app, &token, NEW_PASSWORD).await,
        StatusCode::BAD_REQUEST,
        "invalid_token",
    )
    .await;
    // The old password still works.
    app.login(AWA, PASSWORD).await;
}

#[tokio::test]
async fn a_weak_new_password_does_not_spend_the_link() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    request_reset(&app, AWA).await;
    let token = app.token_from_email(AWA, "/reset-password").await;
    for (password, code) in [
        ("short", "too_short"),
        ("aaaaaaaaaaaaaa", "too_common"),
        ("awa.diallo loves Paris", "too_common"),
    ] {
        let problem = assert_problem(
            confirm_reset(&app, &token, password).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_errors(&problem), vec![("password".to_string(), code.to_string())]);
    }
    assert_eq!(
        confirm_reset(&app, &token, NEW_PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
}

/// Fail to log in until locked, waiting out each delay; returns the lock answer.
async fn fail_until_locked(app: &TestApp, email: &str) -> reqwest::Response {
    let client = client_without_cookies();
    // Three free failures, then each attempt must wait.
    for _ in 0..3 {
        let response = app.login_with(&client, email, "wrong password 123").await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    let too_soon = app.login_with(&client, email, PASSWORD).await;
    assert_eq!(too_soon.headers()["retry-after"], "1");
    assert_problem(too_soon, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;

    let mut failures = 3;
    let mut waits = Vec::new();
    loop {
        let response = app.login_with(&client, email, "wrong password 123").await;
        match response.status() {
            StatusCode::UNAUTHORIZED => failures += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let wait: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
                waits.push(wait);
                app.advance(Duration::seconds(wait));
            }
            StatusCode::LOCKED => {
                assert_eq!(failures, 9, "the tenth failure locks");
                // Growing delays: 1 s, 2 s, 4 s, …
                assert!(waits.windows(2).all(|w| w[1] > w[0]), "{waits:?}");
                return response;
            }
            other => panic!("unexpected {other}"),
        }
        // Each failure is followed by an immediate retry, refused until the delay is over.
    }
}

#[tokio::test]
async fn lockout_ends_by_waiting() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    let locked = fail_until_locked(&app, AWA).await;
    assert_eq!(locked.headers()["retry-after"], "900");
    let problem = assert_problem(locked, StatusCode::LOCKED, "account_locked").await;
    let until: DateTime<Utc> = problem["locked_until"].as_str().unwrap().parse().unwrap();
    assert_eq!(until, app.runtime.app.ports.clock.now() + Duration::minutes(15));
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("15 minute") && detail.contains("Mot de passe oublié"),
        "{detail}"
    );

    // Even the right password waits for the end of the lock.
    app.advance(Duration::minutes(10));
    let still = app.login_with(&client_without_cookies(), AWA, PASSWORD).await;
    assert_eq!(still.headers()["retry-after"], "300");
    assert_problem(still, StatusCode::LOCKED, "account_locked").await;

    app.advance(Duration::minutes(5));
    app.login(AWA, PASSWORD).await;
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn lockout_ends_with_a_password_reset() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    fail_until_locked(&app, AWA).await;

    request_reset(&app, AWA).await;
    let token = app.token_from_email(AWA, "/reset-password").await;
    assert_eq!(
        confirm_reset(&app, &token, NEW_PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    // At once, without waiting for the lock to end.
    app.login(AWA, NEW_PASSWORD).await;
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_emails_are_throttled_like_known_ones() {
    let app = spawn_app().await;
    let locked = fail_until_locked(&app, "nobody@example.org").await;
    assert_problem(locked, StatusCode::LOCKED, "account_locked").await;
}

/// Twenty reset requests in a row: three emails, then each must wait (429
/// with `Retry-After`), the same for a known and an unknown address.
#[tokio::test]
async fn password_reset_emails_are_limited_per_address() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    for address in [AWA, "nobody@example.org"] {
        let before = app.emails_to(address).await.len();
        let mut answers = Vec::new();
        for _ in 0..20 {
            let response = app.post("/api/auth/password-reset", &json!({ "email": address })).await;
            let retry_after = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            answers.push((response.status(), retry_after));
        }
        let accepted = answers.iter().filter(|(s, _)| *s == StatusCode::ACCEPTED).count();
        assert_eq!(accepted, 3, "{address}: {answers:?}");
        assert!(
            answers[3..]
                .iter()
                .all(|(s, r)| *s == StatusCode::TOO_MANY_REQUESTS && r.as_deref() == Some("60")),
            "{answers:?}"
        );
        assert_eq!(app.emails_to(address).await.len(), before + 3);
        // A minute later, one more.
        app.advance(Duration::seconds(60));
        let response = app.post("/api/auth/password-reset", &json!({ "email": address })).await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
}

/// Activations are limited per address and per record typed: guessing a
/// record's number or dates soon has to wait, then is locked for an hour.
#[tokio::test]
async fn activations_are_limited_per_address_and_per_record() {
    let app = spawn_app().await;
    let mut wrong = PERMIT.activation("guesser@example.org", PASSWORD);
    wrong["valid_from"] = json!("2020-01-01");
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.post("/api/accounts/activate", &wrong).await.status());
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5], "{statuses:?}");
    assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 3], "{statuses:?}");
    // Another address for the same record waits as well…
    let mut other = wrong.clone();
    other["email"] = json!("other@example.org");
    assert_problem(
        app.post("/api/accounts/activate", &other).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // …and so does the same address with another record.
    let visa = VISA.activation("guesser@example.org", PASSWORD);
    assert_problem(
        app.post("/api/accounts/activate", &visa).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // Once the wait is over, the right dates go through.
    app.advance(Duration::hours(1));
    app.activate(&PERMIT, "guesser@example.org").await;
}

#[tokio::test]
async fn every_private_endpoint_needs_a_valid_session() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    let some_id = uuid::Uuid::now_v7();
    let read_path = format!("/api/me/notifications/{some_id}/read");
    let endpoints: Vec<(Method, &str, Option<Value>)> = vec![
        (Method::GET, "/api/me", None),
        (Method::PATCH, "/api/me", Some(json!({"phone": "0612345678"}))),
        (Method::GET, "/api/me/notifications", None),
        (Method::POST, read_path.as_str(), Some(json!({}))),
        (Method::POST, "/api/auth/logout", Some(json!({}))),
    ];
    let anonymous = client_without_cookies();
    let idle = app.bearer(AWA, PASSWORD).await;
    let active = app.bearer(AWA, PASSWORD).await;
    // Idle for 30 minutes: over. Active every 20 minutes: over after 12 hours.
    for _ in 0..35 {
        app.advance(Duration::minutes(20));
        assert_eq!(app.get_bearer("/api/me", &active).await.status(), StatusCode::OK);
    }
    app.advance(Duration::minutes(21));

    for (method, path, body) in &endpoints {
        let label = format!("{method} {path}");
        let none = app.send(&anonymous, method.clone(), path, body.as_ref(), None).await;
        assert_problem(none, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let garbage = app
            .send(&anonymous, method.clone(), path, body.as_ref(), Some("garbage"))
            .await;
        assert_problem(garbage, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let cookie = anonymous
            .request(method.clone(), app.url(path))
            .header("cookie", "sejour_session=forged-session-token")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_problem(cookie, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        for (name, token) in [("idle", &idle), ("too old", &active)] {
            let expired = app
                .send(&anonymous, method.clone(), path, body.as_ref(), Some(token))
                .await;
            assert_eq!(
                expired.status(),
                StatusCode::UNAUTHORIZED,
                "{label} with an {name} session"
            );
            assert_eq!(expired.headers()["www-authenticate"], "Bearer realm=\"sejour\"");
        }
    }
}

#[tokio::test]
async fn nobody_touches_another_accounts_notifications() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    app.activate_and_verify(&VISA, "wei@example.org").await;
    let awa = app.bearer(AWA, PASSWORD).await;
    let wei = app.bearer("wei@example.org", PASSWORD).await;

    let awas: Value = app
        .get_bearer("/api/me/notifications", &awa)
        .await
        .json()
        .await
        .unwrap();
    let weis: Value = app
        .get_bearer("/api/me/notifications", &wei)
        .await
        .json()
        .await
        .unwrap();
    let awa_id = awas["notifications"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(weis["notifications"].as_array().unwrap().len(), 1);
    assert_ne!(weis["notifications"][0]["id"], awa_id.as_str());

    let path = format!("/api/me/notifications/{awa_id}/read");
    let response = app
        .send(&client_without_cookies(), Method::POST, &path, None, Some(&wei))
        .await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let after: Value = app
        .get_bearer("/api/me/notifications", &awa)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, awas, "nothing changed");
    assert_eq!(after["unread"], 1);
}

#[tokio::test]
async fn cross_origin_writes_are_refused() {
    let app = spawn_app().await;
    app.activate_and_verify(&OTHER_PERMIT, "carlos@example.es").await;
    app.login("carlos@example.es", PASSWORD).await;
    let login = json!({"email": "carlos@example.es", "password": PASSWORD});

    let from_elsewhere = app
        .client
        .post(app.url("/api/auth/login"))
        .header("origin", "https://evil.example")
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_problem(from_elsewhere, StatusCode::FORBIDDEN, "cross_origin").await;
    let cross_site = app
        .client
        .patch(app.url("/api/me"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"phone": "0612345678"}))
        .send()
        .await
        .unwrap();
    assert_problem(cross_site, StatusCode::FORBIDDEN, "cross_origin").await;
    let me: Value = app.get("/api/me").await.json().await.unwrap();
    assert_eq!(me["phone"], Value::Null, "nothing changed");

    // From the service's own site, and from API clients without an Origin: accepted.
    let same_origin = app
        .client
        .post(app.url("/api/auth/login"))
        .header("origin", &app.address)
        .header("sec-fetch-site", "same-origin")
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::OK);
    // Reads are not refused (CORS keeps other sites from reading them).
    let read = app
        .client
        .get(app.url("/api/health"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_session_cookie_is_httponly_strict_and_secure() {
    let app = spawn_app_with(|config| config.secure_cookies = true).await;
    app.activate_and_verify(&PERMIT, AWA).await;
    let response = app.login_with(&client_without_cookies(), AWA, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert_eq!(
        cookie,
        format!("sejour_session={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200; Secure")
    );
    // Over plain http the browser would not send it back: API clients use the Bearer token.
    assert_eq!(app.get_bearer("/api/me", token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_secure_cookies_the_cookie_alone_keeps_the_session() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, AWA).await;
    let response = app.login_with(&app.client, AWA, PASSWORD).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.ends_with("; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200"),
        "{cookie}"
    );
    // No Authorization header: the cookie store sends the cookie.
    let me = app.get("/api/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.headers()["cache-control"], "no-store");
}
