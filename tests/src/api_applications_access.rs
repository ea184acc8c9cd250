//! No applicant can read or change another applicant's application or
//! documents, through any applicant endpoint (filing, receipt, decision,
//! extension, timeline, withdrawal, messages, complements) (404, exactly as for an application
//! that does not exist); agents are refused the applicant endpoints (403);
//! without a session, 401. And nothing changes.

use crate::support::filing::{self, Applicant};
use crate::support::{OTHER_PERMIT, PASSWORD, PERMIT, assert_problem, spawn_app};
use reqwest::{Method, StatusCode};
use sejour::domain::prefecture::PrefectureCode;
use serde_json::{Value, json};

/// One request: method, path, JSON body, headers.
type Call = (Method, String, Option<Value>, Vec<(&'static str, String)>);

/// Every applicant endpoint on application `id` and document `doc`.
fn endpoints(id: &str, doc: &str, version: u64) -> Vec<Call> {
    let if_match = vec![("if-match", format!("\"{version}\""))];
    vec![
        (Method::GET, format!("/api/applications/{id}"), None, vec![]),
        (
            Method::PUT,
            format!("/api/applications/{id}/steps/studies"),
            Some(filing::studies()),
            if_match.clone(),
        ),
        (
            Method::PUT,
            format!("/api/applications/{id}/steps/documents"),
            Some(filing::documents_step()),
            if_match,
        ),
        (
            Method::POST,
            format!("/api/applications/{id}/documents"),
            Some(json!({"kind": "passport", "file_name": "p.pdf", "content_type": "application/pdf", "size": 100})),
            vec![],
        ),
        (
            Method::POST,
            format!("/api/applications/{id}/documents/{doc}/confirm"),
            None,
            vec![],
        ),
        (
            Method::GET,
            format!("/api/applications/{id}/documents/{doc}"),
            None,
            vec![],
        ),
        (
            Method::DELETE,
            format!("/api/applications/{id}/documents/{doc}"),
            None,
            vec![],
        ),
        (
            Method::POST,
            format!("/api/applications/{id}/review/personal"),
            None,
            vec![],
        ),
        (
            Method::POST,
            format!("/api/applications/{id}/submit"),
            Some(json!({})),
            vec![("idempotency-key", "intruder-1".to_string())],
        ),
        (Method::GET, format!("/api/applications/{id}/receipt"), None, vec![]),
        (
            Method::GET,
            format!("/api/applications/{id}/receipt?language=en"),
            None,
            vec![],
        ),
        (Method::GET, format!("/api/applications/{id}/decision"), None, vec![]),
        (Method::GET, format!("/api/applications/{id}/extension"), None, vec![]),
        (Method::GET, format!("/api/applications/{id}/timeline"), None, vec![]),
        (Method::POST, format!("/api/applications/{id}/withdraw"), None, vec![]),
        (
            Method::POST,
            format!("/api/applications/{id}/messages"),
            Some(json!({"text": "Bonjour"})),
            vec![],
        ),
        (
            Method::PUT,
            format!("/api/applications/{id}/complement/items/0"),
            Some(json!({"keep": {"justification": "Lisible."}})),
            vec![],
        ),
        (
            Method::POST,
            format!("/api/applications/{id}/complement/send"),
            Some(json!({})),
            vec![],
        ),
    ]
}

/// What Awa sees of her application, and what storage holds of it.
async fn state(awa: &Applicant, t: &crate::support::TestApp, id: &str) -> (Value, Vec<Option<u64>>) {
    let view = awa.application(id).await;
    let app_id = sejour::domain::application::ApplicationId(id.parse().unwrap());
    let ports = &t.runtime.app.ports;
    let mut sizes = Vec::new();
    for d in ports.applications.documents(app_id).await.unwrap() {
        sizes.push(ports.storage.inspect(&d.storage_key).await.unwrap().map(|o| o.size));
    }
    (view, sizes)
}

#[tokio::test]
async fn no_applicant_reaches_another_ones_application_through_any_endpoint() {
    let t = spawn_app().await;
    t.activate_and_verify(&PERMIT, "awa@example.org").await;
    t.activate_and_verify(&OTHER_PERMIT, "carlos@example.org").await;
    sejour::service::accounts::create_agent(
        &t.runtime.app,
        PrefectureCode::parse("69").unwrap(),
        "agent.lyon@example.org",
        PASSWORD,
        "Agent Lyon",
    )
    .await
    .unwrap();
    let awa = Applicant::login(&t.address, "awa@example.org", PASSWORD).await;
    let carlos = Applicant::login(&t.address, "carlos@example.org", PASSWORD).await;
    let agent = Applicant::login(&t.address, "agent.lyon@example.org", PASSWORD).await;
    let anonymous = Applicant::new(&t.address, "not-a-session");

    let id = awa.create().await["id"].as_str().unwrap().to_string();
    awa.fill_in(&id).await;
    awa.validate_all(&id).await;
    let view = awa.application(&id).await;
    let doc = view["documents"]["files"][0]["id"].as_str().unwrap().to_string();
    let version = view["version"].as_u64().unwrap();
    let his = carlos.create().await["id"].as_str().unwrap().to_string();
    let before = state(&awa, &t, &id).await;

    // Another applicant: "not found", the same answer as for no application at all.
    let nowhere = uuid::Uuid::now_v7().to_string();
    for ((method, path, body, headers), (_, ghost_path, _, _)) in endpoints(&id, &doc, version)
        .into_iter()
        .zip(endpoints(&nowhere, &doc, version))
    {
        let response = carlos.send(method.clone(), &path, body.as_ref(), &headers).await;
        let problem = assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
        let response = carlos.send(method.clone(), &ghost_path, body.as_ref(), &headers).await;
        let ghost = assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(problem, ghost, "{method} {path}: existence leaks");
    }
    // Awa's document through his own application.
    for (method, path) in [
        (Method::GET, format!("/api/applications/{his}/documents/{doc}")),
        (Method::DELETE, format!("/api/applications/{his}/documents/{doc}")),
        (Method::POST, format!("/api/applications/{his}/documents/{doc}/confirm")),
    ] {
        let response = carlos.send(method.clone(), &path, None, &[]).await;
        assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let list: Value = carlos.get("/api/applications").await.json().await.unwrap();
    let ids: Vec<&str> = list["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![his.as_str()]);

    // An agent: refused the applicant endpoints.
    let mut agent_endpoints = endpoints(&id, &doc, version);
    agent_endpoints.push((Method::GET, "/api/applications".into(), None, vec![]));
    agent_endpoints.push((Method::POST, "/api/applications".into(), None, vec![]));
    for (method, path, body, headers) in &agent_endpoints {
        let response = agent.send(method.clone(), path, body.as_ref(), headers).await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        let response = anonymous.send(method.clone(), path, body.as_ref(), headers).await;
        assert_problem(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }

    // An agent is refused before anything else of the request is read: a
    // missing or unreadable If-Match, a body that is not JSON.
    for headers in [vec![], vec![("if-match", "soon".to_string())]] {
        let path = format!("/api/applications/{id}/steps/personal");
        let response = agent
            .send(Method::PUT, &path, Some(&json!("not an object")), &headers)
            .await;
        assert_problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    }

    // Nothing changed.
    assert_eq!(state(&awa, &t, &id).await, before);

    // Submitted: the receipt is Awa's alone.
    let response = awa.submit(&id, "awa-key", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let path = format!("/api/applications/{id}/receipt");
    assert_eq!(awa.get(&path).await.status(), StatusCode::OK);
    assert_problem(carlos.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(agent.get(&path).await, StatusCode::FORBIDDEN, "forbidden").await;
    // Replaying Awa's key as Carlos gives him nothing of hers.
    let response = carlos.submit(&id, "awa-key", None).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = carlos
        .send(
            Method::POST,
            &format!("/api/applications/{his}/documents/{doc}/confirm"),
            None,
            &[],
        )
        .await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let after = awa.application(&id).await;
    assert_eq!(after["status"], "submitted");
    // Carlos's own draft is untouched by all this.
    let his_view = carlos.application(&his).await;
    assert_eq!(his_view["version"], 1);
    assert_eq!(his_view["documents"]["files"], json!([]));
}
