//! Getting in and the account, over HTTP through the real router: both ways
//! in (F2b permit, F2c visa), email verification from the emailed link,
//! login and logout, the profile (F5) and notifications (F6).

use crate::support::{
    CONCOURS, EU_LONG_TERM, OTHER_PERMIT, PASSWORD, PERMIT, VISA, assert_problem, client_without_cookies, field_errors,
    spawn_app,
};
use reqwest::StatusCode;
use sejour::domain::account::Language;
use sejour::domain::prefecture::PrefectureCode;
use sejour::service::accounts;
use serde_json::{Value, json};

#[tokio::test]
async fn activation_by_permit_then_verified_email_then_login() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/accounts/activate",
            &PERMIT.activation("Awa.Diallo@Example.org", PASSWORD),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let activated: Value = response.json().await.unwrap();
    assert_eq!(activated["provisional"], false);
    assert_eq!(activated["email"], "awa.diallo@example.org");

    // Not verified yet: refused, and a fresh link is sent.
    let refused = app.login_with(&app.client, "awa.diallo@example.org", PASSWORD).await;
    assert_problem(refused, StatusCode::FORBIDDEN, "email_not_verified").await;
    let mails = app.emails_to("awa.diallo@example.org").await;
    assert_eq!(mails.len(), 2, "activation link, then a fresh one");
    assert!(
        mails[0].subject.contains("Confirmez votre adresse"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].body.contains("Bonjour Awa DIALLO"));

    // Either link works; follow the newest.
    let token = app.token_from_email("awa.diallo@example.org", "/verify-email").await;
    let verified = app.post("/api/accounts/verify-email", &json!({ "token": token })).await;
    assert_eq!(verified.status(), StatusCode::NO_CONTENT);

    let logged_in = app.login("awa.diallo@example.org", PASSWORD).await;
    assert!(logged_in["token"].as_str().unwrap().len() >= 43);
    assert!(logged_in["expires_at"].as_str().is_some());
    assert_eq!(logged_in["account"]["email"], "awa.diallo@example.org");

    let me: Value = app.get("/api/me").await.json().await.unwrap();
    assert_eq!(me["role"], "applicant");
    assert_eq!(me["prefecture"], Value::Null);
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["pending_email"], Value::Null);
    assert_eq!(me["provisional"], false);
    assert_eq!(me["foreigner_number"], "7501234567");
    assert_eq!(me["display_name"], "Awa DIALLO");
    assert_eq!(me["language"], "fr");
    assert_eq!(me["unread_notifications"], 1);
    assert_eq!(
        me["civil_status"],
        json!({"surname": "Diallo", "given_names": "Awa", "sex": "F", "birth_date": "2003-04-05",
               "birth_place": "Dakar", "birth_country": "SEN", "nationality": "SEN"})
    );
}

#[tokio::test]
async fn activation_by_visa_gives_a_provisional_account() {
    let app = spawn_app().await;
    let mut body = VISA.activation("wei.li@example.cn", PASSWORD);
    body["language"] = json!("en");
    let response = app.post("/api/accounts/activate", &body).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let activated: Value = response.json().await.unwrap();
    assert_eq!(activated["provisional"], true);

    let mail = app.emails_to("wei.li@example.cn").await.pop().unwrap();
    assert!(mail.subject.contains("Confirm your email address"), "{}", mail.subject);
    let token = app.token_from_email("wei.li@example.cn", "/verify-email").await;
    let verified = app.post("/api/accounts/verify-email", &json!({ "token": token })).await;
    assert_eq!(verified.status(), StatusCode::NO_CONTENT);

    app.login("wei.li@example.cn", PASSWORD).await;
    let me: Value = app.get("/api/me").await.json().await.unwrap();
    assert_eq!(me["provisional"], true);
    assert_eq!(me["foreigner_number"], Value::Null);
    assert_eq!(me["language"], "en");
    assert_eq!(me["civil_status"]["surname"], "Li");
}

#[tokio::test]
async fn activation_refusals_do_not_tell_what_was_wrong() {
    let app = spawn_app().await;
    let wrong = |change: &dyn Fn(&mut Value)| {
        let mut body = PERMIT.activation("awa@example.org", PASSWORD);
        change(&mut body);
        body
    };
    let cases = [
        wrong(&|b| b["valid_from"] = json!("2025-10-02")),
        wrong(&|b| b["valid_until"] = json!("2026-09-29")),
        wrong(&|b| b["number"] = json!("PS7654321")),
        wrong(&|b| b["kind"] = json!("visa")),
    ];
    let mut answers = Vec::new();
    for body in cases {
        let response = app.post("/api/accounts/activate", &body).await;
        answers.push(assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "record_not_found").await);
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the same answer whatever is wrong"
    );

    for seed in [&EU_LONG_TERM, &CONCOURS] {
        let response = app
            .post(
                "/api/accounts/activate",
                &seed.activation("someone@example.org", PASSWORD),
            )
            .await;
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "not_covered").await;
    }

    app.activate(&PERMIT, "awa@example.org").await;
    let again = app
        .post(
            "/api/accounts/activate",
            &PERMIT.activation("awa2@example.org", PASSWORD),
        )
        .await;
    assert_problem(again, StatusCode::CONFLICT, "account_exists").await;
    // An address that has an account: the same answer as a new one, and
    // the owner (not the caller) is told, with a way back in.
    let created = app
        .post(
            "/api/accounts/activate",
            &VISA.activation("wei.li@example.org", PASSWORD),
        )
        .await;
    let (created_status, created_body) = (created.status(), created.json::<Value>().await.unwrap());
    // Past the wait that Awa's five attempts above (four wrong) brought.
    app.advance(chrono::Duration::seconds(2));
    let before = app.emails_to("awa@example.org").await.len();
    let taken = app
        .post(
            "/api/accounts/activate",
            &OTHER_PERMIT.activation("AWA@example.org", PASSWORD),
        )
        .await;
    assert_eq!(taken.status(), created_status);
    let taken_body: Value = taken.json().await.unwrap();
    assert_eq!(taken_body["provisional"], false);
    assert_eq!(
        taken_body.as_object().unwrap().keys().collect::<Vec<_>>(),
        created_body.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    let mails = app.emails_to("awa@example.org").await;
    assert_eq!(mails.len(), before + 1);
    let notice = mails.last().unwrap();
    assert_eq!(notice.subject, "Vous avez déjà un compte Séjour");
    assert!(
        notice
            .link_token(&format!("{}/reset-password?token=", app.address))
            .is_some(),
        "{notice:?}"
    );
    // The permit was not used up: it activates with another address.
    app.activate(&OTHER_PERMIT, "carlos@example.org").await;
}

#[tokio::test]
async fn verification_links_are_single_use_and_expire() {
    let app = spawn_app().await;
    app.activate(&PERMIT, "awa@example.org").await;
    let token = app.token_from_email("awa@example.org", "/verify-email").await;
    let first = app.post("/api/accounts/verify-email", &json!({ "token": token })).await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    let second = app.post("/api/accounts/verify-email", &json!({ "token": token })).await;
    assert_problem(second, StatusCode::BAD_REQUEST, "invalid_token").await;

    app.activate(&VISA, "wei@example.org").await;
    let token = app.token_from_email("wei@example.org", "/verify-email").await;
    app.advance(chrono::Duration::hours(49));
    let late = app.post("/api/accounts/verify-email", &json!({ "token": token })).await;
    assert_problem(late, StatusCode::BAD_REQUEST, "expired_token").await;
    let unknown = app
        .post("/api/accounts/verify-email", &json!({ "token": "bm90LWEtdG9rZW4" }))
        .await;
    assert_problem(unknown, StatusCode::BAD_REQUEST, "invalid_token").await;
}

#[tokio::test]
async fn profile_update_of_address_phone_and_language() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, "awa@example.org").await;
    app.login("awa@example.org", PASSWORD).await;

    let update = json!({
        "address": {"line1": " 12 rue des Écoles ", "line2": "", "postcode": "75005", "city": "Paris"},
        "phone": "06 12 34 56 78",
        "language": "en"
    });
    let response = app.patch("/api/me", &update).await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(
        updated["address"],
        json!({"line1": "12 rue des Écoles", "line2": null, "postcode": "75005", "city": "Paris"})
    );
    assert_eq!(updated["phone"], "+33612345678");
    assert_eq!(updated["language"], "en");

    let me: Value = app.get("/api/me").await.json().await.unwrap();
    assert_eq!(me["address"], updated["address"]);
    assert_eq!(me["phone"], "+33612345678");

    // Only what is present changes; null removes.
    let response = app.patch("/api/me", &json!({"phone": null})).await;
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["phone"], Value::Null);
    assert_eq!(updated["address"], me["address"]);
    assert_eq!(updated["language"], "en");
}

#[tokio::test]
async fn invalid_profile_updates_report_every_field_and_save_nothing() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, "awa@example.org").await;
    app.login("awa@example.org", PASSWORD).await;
    let before: Value = app.get("/api/me").await.json().await.unwrap();

    let response = app
        .patch(
            "/api/me",
            &json!({
                "address": {"line1": "", "postcode": "7500", "city": "Paris"},
                "phone": "01 23 45 67 89",
                "email": "not-an-email",
                "language": "de",
                "surname": "Someone Else",
                "nationality": "FRA",
                "nickname": "x"
            }),
        )
        .await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let mut errors = field_errors(&problem);
    errors.sort();
    let expected: Vec<(String, String)> = [
        ("address.line1", "required"),
        ("address.postcode", "invalid_postcode"),
        ("email", "invalid_email"),
        ("language", "invalid_language"),
        ("nationality", "read_only"),
        ("nickname", "unknown_field"),
        ("phone", "not_mobile"),
        ("surname", "read_only"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    assert_eq!(errors, expected);

    // One bad field among good ones: nothing is saved.
    let response = app
        .patch("/api/me", &json!({"phone": "06 12 34 56 78", "language": "xx"}))
        .await;
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let after: Value = app.get("/api/me").await.json().await.unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_new_email_is_used_only_once_verified_through_the_new_address() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, "awa@example.org").await;
    app.activate_and_verify(&VISA, "wei@example.org").await;
    app.login("awa@example.org", PASSWORD).await;

    // Another account's address: refused.
    let taken = app.patch("/api/me", &json!({"email": "WEI@example.org"})).await;
    assert_problem(taken, StatusCode::CONFLICT, "email_taken").await;

    let response = app.patch("/api/me", &json!({"email": "awa.new@example.org"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let pending: Value = response.json().await.unwrap();
    assert_eq!(pending["email"], "awa@example.org");
    assert_eq!(pending["pending_email"], "awa.new@example.org");

    // Until verified, the old address keeps working and the new one does not.
    app.login("awa@example.org", PASSWORD).await;
    let new_refused = app
        .login_with(&client_without_cookies(), "awa.new@example.org", PASSWORD)
        .await;
    assert_problem(new_refused, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert!(
        app.try_token_from_email("awa@example.org", "/verify-email")
            .await
            .is_none(),
        "nothing to the old address"
    );

    let token = app.token_from_email("awa.new@example.org", "/verify-email").await;
    let verified = app.post("/api/accounts/verify-email", &json!({ "token": token })).await;
    assert_eq!(verified.status(), StatusCode::NO_CONTENT);

    let me: Value = app.get("/api/me").await.json().await.unwrap();
    assert_eq!(me["email"], "awa.new@example.org");
    assert_eq!(me["pending_email"], Value::Null);
    assert_eq!(me["email_verified"], true);
    let old_refused = app
        .login_with(&client_without_cookies(), "awa@example.org", PASSWORD)
        .await;
    assert_problem(old_refused, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.login("awa.new@example.org", PASSWORD).await;

    let list: Value = app.get("/api/me/notifications").await.json().await.unwrap();
    assert_eq!(list["notifications"][0]["kind"], "email_changed");
    assert_eq!(list["notifications"][1]["kind"], "account_activated");
    // The change is announced at the new address.
    let announced = app.emails_to("awa.new@example.org").await;
    assert!(
        announced
            .iter()
            .any(|m| m.subject.contains("adresse électronique a changé"))
    );
}

#[tokio::test]
async fn notifications_list_newest_first_and_mark_read() {
    let app = spawn_app().await;
    app.activate_and_verify(&PERMIT, "awa@example.org").await;
    app.login("awa@example.org", PASSWORD).await;

    let list: Value = app.get("/api/me/notifications").await.json().await.unwrap();
    assert_eq!(list["unread"], 1);
    let first = &list["notifications"][0];
    assert_eq!(first["kind"], "account_activated");
    assert_eq!(first["title"], "votre compte est créé");
    assert_eq!(first["read_at"], Value::Null);

    let english: Value = app
        .client
        .get(app.url("/api/me/notifications"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(english["notifications"][0]["title"], "your account is ready");

    let id = first["id"].as_str().unwrap();
    let read = app.post(&format!("/api/me/notifications/{id}/read"), &json!({})).await;
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    let list: Value = app.get("/api/me/notifications").await.json().await.unwrap();
    assert_eq!(list["unread"], 0);
    assert_eq!(list["notifications"][0]["read_at"], "2026-06-15T09:00:00Z");
    let me: Value = app.get("/api/me").await.json().await.unwrap();
    assert_eq!(me["unread_notifications"], 0);

    let unknown = app
        .post(
            &format!("/api/me/notifications/{}/read", uuid::Uuid::now_v7()),
            &json!({}),
        )
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let garbage = app.post("/api/me/notifications/not-a-uuid/read", &json!({})).await;
    assert_problem(garbage, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn logout_ends_the_session_and_expires_the_cookie() {
    let app = spawn_app().await;
    app.activate_and_verify(&OTHER_PERMIT, "carlos@example.es").await;
    app.login("carlos@example.es", PASSWORD).await;
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);

    let response = app.post("/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("sejour_session=;") && cookie.contains("Max-Age=0"),
        "{cookie}"
    );
    assert_problem(app.get("/api/me").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    // A Bearer session ends the same way.
    let token = app.bearer("carlos@example.es", PASSWORD).await;
    let logout = app
        .send(
            &client_without_cookies(),
            reqwest::Method::POST,
            "/api/auth/logout",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get_bearer("/api/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn agents_and_demo_applicants_log_in_the_same_way() {
    let app = spawn_app().await;
    let service = &app.runtime.app;
    let paris = PrefectureCode::parse("75").unwrap();
    accounts::create_agent(service, paris, "agent.paris@interieur.gouv.fr", PASSWORD, "Agent Paris")
        .await
        .unwrap();
    let record = sejour::domain::state_record::RecordKey {
        kind: sejour::domain::state_record::RecordKind::Visa,
        number: sejour::domain::state_record::DocumentNumber::parse(VISA.number).unwrap(),
    };
    accounts::seed_applicant(service, &record, "demo@example.org", PASSWORD, Language::En)
        .await
        .unwrap();

    let agent = app.bearer("agent.paris@interieur.gouv.fr", PASSWORD).await;
    let me: Value = app.get_bearer("/api/me", &agent).await.json().await.unwrap();
    assert_eq!(me["role"], "agent");
    assert_eq!(me["prefecture"], "75");
    assert_eq!(me["civil_status"], Value::Null);
    assert_eq!(me["display_name"], "Agent Paris");

    let demo = app.bearer("demo@example.org", PASSWORD).await;
    let me: Value = app.get_bearer("/api/me", &demo).await.json().await.unwrap();
    assert_eq!(me["role"], "applicant");
    assert_eq!(me["provisional"], true);
    assert_eq!(me["language"], "en");
}
