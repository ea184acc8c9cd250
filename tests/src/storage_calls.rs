//! How many DynamoDB requests the use cases make, counted on the wire of
//! the AWS adapters (moto): one read of what the case needs and one
//! conditional transaction per step save and per transition, so that a
//! regression shows here. Authentication (the session and its account) is
//! counted apart: it is the same for every request.

use sejour::domain::application::ApplicationId;
use sejour::service::accounts::{self, Authenticated};
use sejour::service::applications::{self, StepInput, StudiesStepInput};
use sejour::service::{review, submission};
use serde_json::json;

use crate::contract::harness::Harness;
use crate::journey::sign_up;
use crate::support::{PASSWORD, PERMIT, Seed};

const CALLS: Seed = Seed {
    number: "PS3000001",
    valid_from: "2025-12-01",
    valid_until: "2026-12-01",
    ..PERMIT
};

async fn session(h: &Harness, token: &str) -> Authenticated {
    accounts::authenticate(&h.app, token).await.unwrap()
}

#[tokio::test]
async fn a_step_save_and_a_transition_make_two_dynamodb_requests() {
    let h = Harness::aws().await;
    let (awa, api, _) = sign_up(&h, &CALLS).await;
    let id = awa.create().await["id"].as_str().unwrap().to_string();
    awa.fill_in(&id).await;
    let version = awa.version(&id).await;
    let id = ApplicationId(uuid::Uuid::parse_str(&id).unwrap());

    // Authentication: the session, then its account.
    h.dynamodb.take();
    let auth = session(&h, &awa.token).await;
    assert_eq!(h.dynamodb.take(), ["GetItem", "GetItem"]);

    // A step save: the case in one Query, the conditional transaction.
    let studies: StudiesStepInput = serde_json::from_value(json!({
        "institution_type": "university", "cycle": "master", "level": "m2",
        "discipline": "law", "institution_name": "Université Lyon 3", "academic_year": "2026-2027"
    }))
    .unwrap();
    applications::save_step(&h.app, &auth, id, version, &StepInput::Studies(studies))
        .await
        .unwrap();
    assert_eq!(h.dynamodb.take(), ["Query", "TransactWriteItems"]);

    // Submission: the case, the state record (the eligibility rules decide
    // again on the day), the transaction.
    for section in ["personal", "studies", "resources", "documents"] {
        awa.validate(&id.0.to_string(), section).await;
    }
    h.dynamodb.take();
    let input = submission::SubmitRequest::default();
    submission::submit(&h.app, &auth, id, "calls", None, &input)
        .await
        .unwrap();
    let calls = h.dynamodb.take();
    assert_eq!(
        calls[..1],
        ["GetItem"],
        "the replay check of the idempotency key: {calls:?}"
    );
    assert_eq!(calls[1..], ["Query", "GetItem", "TransactWriteItems"], "{calls:?}");
    let reference = awa.application(&id.0.to_string()).await["reference"]
        .as_str()
        .unwrap()
        .to_string();

    // A transition by an agent: the case, the transaction; then the answer's
    // reads (the applicant's account and the state record, for the case view).
    sejour::service::accounts::create_agent(
        &h.app,
        sejour::domain::prefecture::PrefectureCode::parse("69").unwrap(),
        "agent.calls@example.org",
        PASSWORD,
        "Agent",
    )
    .await
    .unwrap();
    let agent = crate::support::filing::Applicant::login(&api, "agent.calls@example.org", PASSWORD).await;
    let agent = session(&h, &agent.token).await;
    h.dynamodb.take();
    review::start_review(&h.app, &agent, id, None).await.unwrap();
    assert_eq!(h.dynamodb.take(), ["Query", "TransactWriteItems", "GetItem", "GetItem"]);

    // A page of the queue: one Query on the queue index, one of the counts.
    let mut request = review::QueueRequest {
        status: sejour::domain::application::lifecycle::Status::UnderReview,
        search: None,
        after: None,
        limit: 25,
    };
    let page = review::queue(&h.app, &agent, &request).await.unwrap();
    assert_eq!(page.applications.len(), 1);
    assert_eq!(page.counts[1].count, 1, "{:?}", page.counts);
    assert_eq!(h.dynamodb.take(), ["Query", "Query"]);
    // A search by surname, or by reference: the same.
    for search in ["dia", reference.as_str()] {
        request.search = Some(search.to_string());
        let page = review::queue(&h.app, &agent, &request).await.unwrap();
        assert_eq!(page.applications.len(), 1, "{search}");
        assert_eq!(h.dynamodb.take(), ["Query", "Query"]);
    }
}
