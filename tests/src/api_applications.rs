//! Filing the application through the real router (local runtime): the
//! draft, the steps, the documents, the review and the submission, with
//! their conflicts and bad input. Ownership is in `api_applications_access.rs`.

use crate::support::filing::{self, Applicant, EPHOTO_EXPIRED, elf_bytes, pdf_bytes, png_bytes};
use crate::support::{OTHER_PERMIT, PASSWORD, PERMIT, Seed, TestApp, VISA, assert_problem, field_errors, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn applicant(t: &TestApp, seed: &Seed, email: &str) -> Applicant {
    t.activate_and_verify(seed, email).await;
    Applicant::login(&t.address, email, PASSWORD).await
}

fn id_of(view: &Value) -> String {
    view["id"].as_str().unwrap().to_string()
}

fn has_error(problem: &Value, field: &str, code: &str) -> bool {
    field_errors(problem).iter().any(|(f, c)| f == field && c == code)
}

/// The content of an application, without what a save moves (version, times).
fn content(view: &Value) -> Value {
    let mut v = view.clone();
    for key in ["version", "updated_at"] {
        v.as_object_mut().unwrap().remove(key);
    }
    v
}

#[tokio::test]
async fn the_draft_is_prefilled_and_one_is_open_at_a_time() {
    let t = spawn_app().await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    // The profile's address and phone are carried into the draft.
    let profile = json!({"address": {"line1": "3 quai Claude Bernard", "postcode": "69007", "city": "Lyon"}, "phone": "+33 7 11 22 33 44"});
    let response = awa.send(Method::PATCH, "/api/me", Some(&profile), &[]).await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = awa.send(Method::POST, "/api/applications", None, &[]).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(response.headers()["etag"], "\"1\"");
    let draft: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/api/applications/{}", draft["id"].as_str().unwrap()));
    let reference = draft["reference"].as_str().unwrap();
    assert!(
        reference.starts_with("SEJ-2026-") && reference.len() == 17,
        "{reference}"
    );
    assert!(
        reference[9..]
            .bytes()
            .all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b))
    );
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["procedure"], "renewal");
    assert_eq!(draft["civil_status"]["surname"], "Diallo");
    assert_eq!(draft["civil_status"]["birth_date"], "2003-04-05");
    assert_eq!(draft["foreigner_number"], "7501234567");
    assert_eq!(draft["email"], "awa@example.org");
    assert_eq!(draft["personal"]["address"]["postcode"], "69007");
    assert_eq!(draft["personal"]["phone"], "+33711223344");
    assert_eq!(draft["prefecture"]["code"], "69");
    assert_eq!(draft["prefecture"]["seat"], "Lyon");
    assert_eq!(draft["resources"]["monthly_minimum"], 61500);
    assert_eq!(draft["review"]["validated"], 0);
    // A renewal needs the transcripts; not housed free of charge, a proof of address.
    let required = draft["documents"]["required"].as_array().unwrap();
    assert!(required.contains(&json!("transcripts")));
    assert!(required.contains(&json!("proof_of_address")));
    assert!(!required.contains(&json!("host_certificate")));
    let missing = draft["missing"].as_array().unwrap();
    for (section, field) in [
        ("personal", "family_situation"),
        ("studies", "institution_type"),
        ("resources", "lines"),
        ("documents", "passport"),
        ("documents", "ephoto_code"),
    ] {
        assert!(
            missing.contains(&json!({"section": section, "field": field, "code": "required"})),
            "{section}.{field} in {missing:?}"
        );
    }
    assert!(
        !missing.iter().any(|m| m["field"] == "phone"),
        "the phone came from the profile"
    );

    // One open application: the answer says which.
    let response = awa.send(Method::POST, "/api/applications", None, &[]).await;
    let problem = assert_problem(response, StatusCode::CONFLICT, "open_application_exists").await;
    assert_eq!(problem["application_id"], draft["id"]);
    assert_eq!(problem["reference"], draft["reference"]);

    let list: Value = awa.get("/api/applications").await.json().await.unwrap();
    assert_eq!(list["applications"].as_array().unwrap().len(), 1);
    assert_eq!(list["applications"][0]["id"], draft["id"]);

    // A visa holder files a first application: no transcripts.
    let wei = applicant(&t, &VISA, "wei@example.org").await;
    let draft = wei.create().await;
    assert_eq!(draft["procedure"], "first_application");
    assert_eq!(draft["foreigner_number"], Value::Null);
    assert!(
        !draft["documents"]["required"]
            .as_array()
            .unwrap()
            .contains(&json!("transcripts"))
    );
    assert_eq!(draft["prefecture"], Value::Null);
}

#[tokio::test]
async fn steps_are_saved_on_the_version_read_and_may_be_incomplete() {
    let t = spawn_app().await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);

    // Without the version read: 428; unreadable: 400; stale: 409.
    let path = format!("/api/applications/{id}/steps/personal");
    let response = awa.send(Method::PUT, &path, Some(&filing::personal()), &[]).await;
    assert_problem(response, StatusCode::PRECONDITION_REQUIRED, "version_required").await;
    let response = awa
        .send(
            Method::PUT,
            &path,
            Some(&filing::personal()),
            &[("if-match", "soon".into())],
        )
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_if_match").await;
    // Optional where it is optional, but read all the same: unreadable is 400.
    let response = awa
        .send(
            Method::POST,
            &format!("/api/applications/{id}/review/personal"),
            None,
            &[("if-match", "W/\"x\"".into())],
        )
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST, "invalid_if_match").await;
    let response = awa.save_step(&id, "personal", 7, &filing::personal()).await;
    assert_problem(response, StatusCode::CONFLICT, "version_conflict").await;
    let response = awa.save_step(&id, "hobbies", 1, &json!({})).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = awa
        .send(Method::PUT, &path, None, &[("if-match", "\"1\"".into())])
        .await;
    assert_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;

    let response = awa.save_step(&id, "personal", 1, &filing::personal()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["version"], 2);
    assert_eq!(view["personal"]["phone"], "+33612345678");
    assert_eq!(view["personal"]["family_situation"], "single");
    // The département, hence the préfecture, comes from the postcode.
    assert_eq!(view["prefecture"]["code"], "69");
    assert_eq!(view["prefecture"]["departement"], "Rhône");
    assert!(
        !view["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["section"] == "personal")
    );

    // An incomplete step is kept, and the answer says what is missing.
    let partial = json!({"cycle": "master", "academic_year": "2026/2027"});
    let view = awa.save_step_ok(&id, "studies", &partial).await;
    assert_eq!(view["studies"]["cycle"], "master");
    assert_eq!(view["studies"]["academic_year"], "2026-2027");
    let missing_studies: Vec<&str> = view["missing"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["section"] == "studies")
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing_studies,
        ["institution_type", "level", "discipline", "institution_name"]
    );
    // Resumed from another device: the same draft.
    let other_device = Applicant::login(&t.address, "awa@example.org", PASSWORD).await;
    assert_eq!(
        content(&other_device.application(&id).await),
        content(&awa.application(&id).await)
    );

    // Below the minimum: a warning, not a refusal.
    let low = json!({"lines": [{"kind": "salary", "monthly_amount": 40000}], "housed_free_of_charge": true});
    let view = awa.save_step_ok(&id, "resources", &low).await;
    assert_eq!(view["resources"]["monthly_total"], 40000);
    assert_eq!(
        view["warnings"],
        json!([{"code": "below_minimum_resources", "total": 40000, "minimum": 61500}])
    );
    // Housed free of charge: the host's documents instead of a proof of address.
    let required = view["documents"]["required"].as_array().unwrap();
    assert!(required.contains(&json!("host_certificate")) && required.contains(&json!("host_id")));
    assert!(!required.contains(&json!("proof_of_address")));
    let view = awa.save_step_ok(&id, "resources", &filing::resources()).await;
    assert_eq!(view["warnings"], json!([]));
    assert_eq!(view["resources"]["monthly_total"], 70000);
}

#[tokio::test]
async fn the_minimum_resources_are_configuration() {
    let t = crate::support::spawn_app_with(|c| c.min_monthly_resources_cents = 80_000).await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);
    let view = awa.save_step_ok(&id, "resources", &filing::resources()).await;
    assert_eq!(view["resources"]["monthly_minimum"], 80000);
    assert_eq!(view["warnings"][0]["code"], "below_minimum_resources");
}

#[tokio::test]
async fn two_saves_of_the_same_version_one_wins() {
    let t = spawn_app().await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);
    let phone = awa.clone();
    let laptop = awa.clone();
    let mut from_phone = filing::studies();
    from_phone["institution_name"] = json!("Université de Lyon (téléphone)");
    let mut from_laptop = filing::studies();
    from_laptop["institution_name"] = json!("Université de Lyon (ordinateur)");
    let (a, b) = tokio::join!(
        phone.save_step(&id, "studies", 1, &from_phone),
        laptop.save_step(&id, "studies", 1, &from_laptop)
    );
    let (winner, loser, winning_body) = match (a.status(), b.status()) {
        (StatusCode::OK, StatusCode::CONFLICT) => (a, b, from_phone),
        (StatusCode::CONFLICT, StatusCode::OK) => (b, a, from_laptop),
        other => panic!("expected one 200 and one 409, got {other:?}"),
    };
    assert_problem(loser, StatusCode::CONFLICT, "version_conflict").await;
    let won: Value = winner.json().await.unwrap();
    let stored = awa.application(&id).await;
    assert_eq!(stored["version"], 2);
    assert_eq!(stored["studies"]["institution_name"], winning_body["institution_name"]);
    assert_eq!(content(&stored), content(&won));
}

#[tokio::test]
async fn every_invalid_value_has_its_code_and_nothing_is_lost() {
    let t = spawn_app().await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);
    awa.fill_in(&id).await;
    awa.validate_all(&id).await;
    let before = awa.application(&id).await;

    let with = |base: Value, pointer: &str, value: Value| {
        let mut body = base;
        *body.pointer_mut(pointer).unwrap() = value;
        body
    };
    let mut married = filing::personal();
    married["family_situation"] = json!("married");
    married["spouse_in_france"] = json!(true);
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "personal",
            with(filing::personal(), "/usage_name", json!("R2-D2")),
            "usage_name",
            "invalid_characters",
        ),
        (
            "personal",
            with(
                filing::personal(),
                "/address/line1",
                json!("12\u{200b} rue de la République"),
            ),
            "address.line1",
            "invisible_characters",
        ),
        (
            "personal",
            with(filing::personal(), "/family_situation", json!("complicated")),
            "family_situation",
            "not_in_list",
        ),
        (
            "personal",
            {
                let mut b = married.clone();
                b["spouse_nationality"] = json!("Italy");
                b
            },
            "spouse_nationality",
            "invalid_country",
        ),
        (
            "personal",
            {
                let mut b = filing::personal();
                b["spouse_nationality"] = json!("ITA");
                b
            },
            "spouse_nationality",
            "not_applicable",
        ),
        (
            "personal",
            with(filing::personal(), "/children_in_france", json!(21)),
            "children_in_france",
            "out_of_range",
        ),
        (
            "personal",
            with(filing::personal(), "/address/postcode", json!("6900")),
            "address.postcode",
            "invalid_postcode",
        ),
        (
            "personal",
            with(filing::personal(), "/address/postcode", json!("00100")),
            "address.postcode",
            "no_prefecture",
        ),
        (
            "personal",
            with(filing::personal(), "/address/line1", json!("x".repeat(201))),
            "address.line1",
            "too_long",
        ),
        (
            "personal",
            with(filing::personal(), "/address/city", json!("Lyon\u{7}")),
            "address.city",
            "invalid_characters",
        ),
        (
            "personal",
            with(filing::personal(), "/phone", json!("04 78 00 00 00")),
            "phone",
            "not_mobile",
        ),
        (
            "personal",
            with(filing::personal(), "/phone", json!("12")),
            "phone",
            "invalid_phone",
        ),
        (
            "personal",
            {
                let mut b = filing::personal();
                b["surname"] = json!("Smith");
                b
            },
            "surname",
            "read_only",
        ),
        (
            "personal",
            {
                let mut b = filing::personal();
                b["shoe_size"] = json!(42);
                b
            },
            "shoe_size",
            "unknown_field",
        ),
        (
            "studies",
            with(filing::studies(), "/institution_type", json!("castle")),
            "institution_type",
            "not_in_list",
        ),
        (
            "studies",
            with(filing::studies(), "/cycle", json!("bachelor")),
            "cycle",
            "not_in_list",
        ),
        (
            "studies",
            with(filing::studies(), "/level", json!("m9")),
            "level",
            "not_in_list",
        ),
        (
            "studies",
            with(filing::studies(), "/discipline", json!("astrology")),
            "discipline",
            "not_in_list",
        ),
        (
            "studies",
            with(filing::studies(), "/institution_name", json!("x".repeat(201))),
            "institution_name",
            "too_long",
        ),
        (
            "studies",
            with(filing::studies(), "/academic_year", json!("2026-2028")),
            "academic_year",
            "invalid_academic_year",
        ),
        (
            "resources",
            with(filing::resources(), "/lines/0/kind", json!("lottery")),
            "lines[0].kind",
            "not_in_list",
        ),
        (
            "resources",
            with(filing::resources(), "/lines/0/monthly_amount", json!(0)),
            "lines[0].monthly_amount",
            "must_be_positive",
        ),
        (
            "resources",
            with(filing::resources(), "/lines/1/monthly_amount", json!(-500)),
            "lines[1].monthly_amount",
            "must_be_positive",
        ),
        (
            "resources",
            with(filing::resources(), "/lines/0/monthly_amount", json!(100_000_001)),
            "lines[0].monthly_amount",
            "too_large",
        ),
        (
            "resources",
            with(
                filing::resources(),
                "/lines",
                json!(vec![json!({"kind": "savings", "monthly_amount": 100}); 21]),
            ),
            "lines",
            "too_many",
        ),
        (
            "resources",
            with(filing::resources(), "/explanation", json!("x".repeat(2001))),
            "explanation",
            "too_long",
        ),
        (
            "documents",
            json!({"ephoto_code": "AB12CD"}),
            "ephoto_code",
            "invalid_length",
        ),
        (
            "documents",
            json!({"ephoto_code": "AB12CD34EF56GH78IJ90K!"}),
            "ephoto_code",
            "invalid_characters",
        ),
        (
            "documents",
            json!({"ephoto_code": "AB12CD34EF56GH78IJ90KL"}),
            "ephoto_code",
            "ephoto_unknown",
        ),
        (
            "documents",
            json!({"ephoto_code": EPHOTO_EXPIRED}),
            "ephoto_code",
            "ephoto_expired",
        ),
    ];
    let version = before["version"].as_u64().unwrap();
    for (step, body, field, code) in cases {
        let response = awa.save_step(&id, step, version, &body).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(has_error(&problem, field, code), "{step} {field} {code}: {problem}");
    }
    // A wrong JSON type is a malformed body.
    let response = awa
        .save_step(&id, "personal", version, &json!({"spouse_in_france": "yes"}))
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST, "malformed_body").await;

    // The documents: a kind not required, an unknown kind, a type, a size, a name.
    let max = t.runtime.app.config.max_upload_bytes as i64;
    for (kind, name, content_type, size, field, code) in [
        (
            "host_certificate",
            "a.pdf",
            "application/pdf",
            10,
            "kind",
            "not_required",
        ),
        ("diploma", "a.pdf", "application/pdf", 10, "kind", "not_in_list"),
        (
            "passport",
            "a.exe",
            "application/x-msdownload",
            10,
            "content_type",
            "unsupported_type",
        ),
        ("passport", "a.pdf", "application/pdf", 0, "size", "must_be_positive"),
        ("passport", "a.pdf", "application/pdf", max + 1, "size", "too_large"),
        ("passport", "", "application/pdf", 10, "file_name", "required"),
        // A right-to-left override would show "passeportexe.pdf".
        (
            "passport",
            "passeport\u{202e}fdp.exe",
            "application/pdf",
            10,
            "file_name",
            "invisible_characters",
        ),
        (
            "passport",
            "\u{feff}passeport.pdf",
            "application/pdf",
            10,
            "file_name",
            "invisible_characters",
        ),
    ] {
        let response = awa.request_upload(&id, kind, name, content_type, size).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(has_error(&problem, field, code), "{field} {code}: {problem}");
    }
    // A comment too long at submission.
    let response = awa.submit(&id, "comment-too-long", Some(&"x".repeat(2001))).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(has_error(&problem, "comment", "too_long"));
    let response = awa.submit(&id, "comment-zero-width", Some("Merci\u{200b} !")).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(has_error(&problem, "comment", "invisible_characters"));

    // Nothing already saved was lost, nor the 4/4.
    let after = awa.application(&id).await;
    assert_eq!(after, before);
}

#[tokio::test]
async fn documents_are_judged_by_their_content() {
    let t = spawn_app().await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);
    awa.save_step_ok(&id, "resources", &filing::resources()).await;
    let storage = t.runtime.app.ports.storage.clone();
    let applications = t.runtime.app.ports.applications.clone();
    let app_id = sejour::domain::application::ApplicationId(id.parse().unwrap());
    let key_of = async |doc: &str| {
        applications
            .documents(app_id)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.id.0.to_string() == doc)
            .map(|d| d.storage_key)
    };

    // A renamed executable: the name and the declared type say PDF, the bytes do not.
    let doc = awa
        .attach(&id, "passport", "passeport.pdf", "application/pdf", elf_bytes())
        .await;
    assert_eq!(doc["status"], "rejected");
    assert_eq!(doc["rejection_reason"], "unsupported_content");
    let key = key_of(doc["id"].as_str().unwrap()).await.unwrap();
    assert!(key.starts_with(&format!("applications/{id}/")));
    assert_eq!(storage.inspect(&key).await.unwrap(), None, "rejected files are deleted");
    // A PNG declared as a PDF.
    let doc = awa
        .attach(&id, "passport", "passeport.pdf", "application/pdf", png_bytes())
        .await;
    assert_eq!(doc["rejection_reason"], "type_mismatch");

    // Confirming before uploading changes nothing.
    let response = awa
        .request_upload(&id, "passport", "passeport.pdf", "application/pdf", 100)
        .await;
    let ticket: Value = response.json().await.unwrap();
    let doc = ticket["document"]["id"].as_str().unwrap().to_string();
    assert_eq!(ticket["document"]["status"], "awaiting_upload");
    let version = awa.version(&id).await;
    assert_problem(
        awa.confirm(&id, &doc).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_uploaded",
    )
    .await;
    assert_eq!(awa.version(&id).await, version);

    // The signed URL: exactly the declared length and type, until it expires, untouched.
    let upload = &ticket["upload"];
    let url = upload["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/storage/", t.address)), "{url}");
    let too_long = filing::put_signed(upload, pdf_bytes(&"x".repeat(100))).await;
    assert!(too_long.status().is_client_error(), "{}", too_long.status());
    let tampered = url.replace("length=100", "length=101");
    let response = filing::send_signed(upload, &tampered, vec![b'%'; 101]).await;
    assert_problem(response, StatusCode::FORBIDDEN, "invalid_signature").await;
    let signature = url.rsplit("signature=").next().unwrap();
    let flipped = format!(
        "{}{}",
        &url[..url.len() - signature.len()],
        signature.chars().rev().collect::<String>()
    );
    let response = filing::send_signed(upload, &flipped, vec![b'%'; 100]).await;
    assert_problem(response, StatusCode::FORBIDDEN, "invalid_signature").await;
    let mut wrong_type = upload.clone();
    wrong_type["headers"] = json!([["content-type", "image/png"]]);
    let response = filing::put_signed(&wrong_type, vec![b'%'; 100]).await;
    assert!(response.status().is_client_error());
    t.advance(chrono::Duration::minutes(11));
    let response = filing::put_signed(upload, vec![b'%'; 100]).await;
    assert_problem(response, StatusCode::FORBIDDEN, "expired_url").await;
    assert_problem(
        awa.confirm(&id, &doc).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_uploaded",
    )
    .await;

    // Storage without checks (as moto's S3): confirm still measures.
    let key = key_of(&doc).await.unwrap();
    storage
        .put(
            &key,
            pdf_bytes("short"),
            sejour::domain::application::documents::FileType::Pdf,
        )
        .await
        .unwrap();
    let response = awa.confirm(&id, &doc).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["document"]["rejection_reason"], "size_mismatch");

    // The storage event's check (S3 notification on AWS) records the same verdict.
    let response = awa
        .request_upload(&id, "transcripts", "releve.pdf", "application/pdf", 40)
        .await;
    let ticket: Value = response.json().await.unwrap();
    let doc = ticket["document"]["id"].as_str().unwrap().to_string();
    let key = key_of(&doc).await.unwrap();
    let nothing_yet = sejour::service::documents::check_upload(&t.runtime.app, &key)
        .await
        .unwrap();
    assert!(nothing_yet.is_none(), "nothing uploaded yet: nothing recorded");
    storage
        .put(
            &key,
            pdf_bytes("t")[..40].to_vec(),
            sejour::domain::application::documents::FileType::Pdf,
        )
        .await
        .unwrap();
    let checked = sejour::service::documents::check_upload(&t.runtime.app, &key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(serde_json::to_value(&checked).unwrap()["status"], "accepted");
    assert!(
        sejour::service::documents::check_upload(&t.runtime.app, &key)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        sejour::service::documents::check_upload(&t.runtime.app, "receipts/x/y")
            .await
            .unwrap()
            .is_none()
    );

    // Accepted, viewed, replaced (the old file goes), deleted.
    let first = awa
        .attach(&id, "passport", "passeport-1.pdf", "application/pdf", pdf_bytes("one"))
        .await;
    assert_eq!(first["status"], "accepted");
    let first_key = key_of(first["id"].as_str().unwrap()).await.unwrap();
    let response = awa
        .get(&format!(
            "/api/applications/{id}/documents/{}",
            first["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let link: Value = response.json().await.unwrap();
    assert_eq!(link["method"], "GET");
    let file = reqwest::get(link["url"].as_str().unwrap()).await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf_bytes("one"));

    let second = awa
        .attach(&id, "passport", "passeport-2.pdf", "application/pdf", pdf_bytes("two"))
        .await;
    let view = awa.application(&id).await;
    let passports: Vec<&Value> = view["documents"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "passport")
        .collect();
    assert_eq!(passports.len(), 1);
    assert_eq!(passports[0]["id"], second["id"]);
    assert_eq!(
        storage.inspect(&first_key).await.unwrap(),
        None,
        "the replaced file is deleted"
    );
    // The replaced document's link is gone with it.
    let response = awa
        .get(&format!(
            "/api/applications/{id}/documents/{}",
            first["id"].as_str().unwrap()
        ))
        .await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;

    let second_id = second["id"].as_str().unwrap();
    let second_key = key_of(second_id).await.unwrap();
    let response = awa
        .send(
            Method::DELETE,
            &format!("/api/applications/{id}/documents/{second_id}"),
            None,
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.headers().contains_key("etag"));
    assert_eq!(storage.inspect(&second_key).await.unwrap(), None);
    let view = awa.application(&id).await;
    assert!(
        !view["documents"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "passport")
    );
    assert!(
        view["missing"]
            .as_array()
            .unwrap()
            .contains(&json!({"section": "documents", "field": "passport", "code": "required"}))
    );
}

#[tokio::test]
async fn the_review_validates_complete_sections_and_changes_withdraw_them() {
    let t = spawn_app().await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);
    let response = awa.validate(&id, "studies").await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "section_incomplete").await;
    assert!(has_error(&problem, "studies.institution_type", "required"), "{problem}");
    assert_problem(awa.validate(&id, "appendix").await, StatusCode::NOT_FOUND, "not_found").await;

    awa.fill_in(&id).await;
    let view = awa.validate_all(&id).await;
    assert!(
        view["review"]["sections"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["validated"] == true && s["complete"] == true)
    );
    // Validating again changes nothing.
    let version = view["version"].clone();
    let again: Value = awa.validate(&id, "studies").await.json().await.unwrap();
    assert_eq!(again["version"], version);

    // "Change" withdraws that section only.
    let view = awa.save_step_ok(&id, "studies", &filing::studies()).await;
    assert_eq!(view["review"]["validated"], 3);
    let studies = view["review"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["section"] == "studies")
        .unwrap()
        .clone();
    assert_eq!(studies["validated"], false);
    // So does any change of a document.
    awa.validate(&id, "studies").await;
    awa.attach(&id, "passport", "p.pdf", "application/pdf", pdf_bytes("again"))
        .await;
    let view = awa.application(&id).await;
    assert_eq!(view["review"]["validated"], 3);
    assert!(
        view["review"]["sections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["section"] == "documents" && s["validated"] == false)
    );
}

#[tokio::test]
async fn submission_gives_a_receipt_once() {
    let t = spawn_app().await;
    let awa = applicant(&t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);
    awa.fill_in(&id).await;

    // Not before 4/4; and never without an idempotency key.
    let response = awa.submit(&id, "first-try", None).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "not_ready").await;
    assert!(has_error(&problem, "review.personal", "not_validated"), "{problem}");
    awa.validate_all(&id).await;
    let response = awa
        .send(
            Method::POST,
            &format!("/api/applications/{id}/submit"),
            Some(&json!({})),
            &[],
        )
        .await;
    assert_problem(response, StatusCode::BAD_REQUEST, "idempotency_key_required").await;
    assert_problem(
        awa.get(&format!("/api/applications/{id}/receipt")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let response = awa.submit(&id, "key-1", Some("Merci de votre attention.")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["idempotent-replayed"], "false");
    let first = response.text().await.unwrap();
    let submitted: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(submitted["application"]["status"], "submitted");
    assert_eq!(
        submitted["application"]["review"]["comment"],
        "Merci de votre attention."
    );
    assert!(submitted["application"]["submitted_at"].is_string());
    let code = submitted["receipt"]["verification_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 14);

    // A retry with the same key: the same answer. Another key: already submitted.
    let response = awa.submit(&id, "key-1", Some("Merci de votre attention.")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    assert_eq!(response.text().await.unwrap(), first);
    assert_problem(
        awa.submit(&id, "key-2", None).await,
        StatusCode::CONFLICT,
        "already_submitted",
    )
    .await;
    // Submitted: nothing changes any more.
    let version = awa.version(&id).await;
    let response = awa.save_step(&id, "studies", version, &filing::studies()).await;
    assert_problem(response, StatusCode::CONFLICT, "not_editable").await;
    let response = awa
        .request_upload(&id, "passport", "p.pdf", "application/pdf", 100)
        .await;
    assert_problem(response, StatusCode::CONFLICT, "not_editable").await;
    // A new application waits until this one is decided.
    assert_problem(
        awa.send(Method::POST, "/api/applications", None, &[]).await,
        StatusCode::CONFLICT,
        "open_application_exists",
    )
    .await;

    // The receipt, the history, the notification and the email.
    let response = awa.get(&format!("/api/applications/{id}/receipt")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(".pdf"),
        "{disposition}"
    );
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"));
    let app_id = sejour::domain::application::ApplicationId(id.parse().unwrap());
    let events = t.runtime.app.ports.applications.events(app_id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(serde_json::to_value(&events[0]).unwrap()["action"], "submit");
    let notes: Value = awa.get("/api/me/notifications").await.json().await.unwrap();
    assert_eq!(notes["notifications"][0]["kind"], "application_submitted");
    let mails: Vec<_> = t
        .emails_to("awa@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("demande est déposée"))
        .collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body.contains("Connectez-vous"));
    assert!(!mails[0].body.contains("SEJ-"), "no case data in the email");

    // The public check.
    let check = reqwest::get(t.url(&format!("/api/verify/{}", code.to_lowercase())))
        .await
        .unwrap();
    assert_eq!(check.status(), StatusCode::OK);
    let check: Value = check.json().await.unwrap();
    assert_eq!(check["authentic"], true);
    assert_eq!(check["kind"], "submission_receipt");
    assert_eq!(check["holder_name"], "Awa DIALLO");
    assert_eq!(check["reference"], submitted["application"]["reference"]);
    let modified = format!("{}{}", &code[..13], if code.ends_with('0') { '1' } else { '0' });
    assert_problem(
        reqwest::get(t.url(&format!("/api/verify/{modified}"))).await.unwrap(),
        StatusCode::NOT_FOUND,
        "unknown_code",
    )
    .await;
    assert_problem(
        reqwest::get(t.url("/api/verify/NOT-A-CODE")).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid_code",
    )
    .await;
}

/// Fill, validate and return (application id, applicant) ready to submit.
async fn ready(t: &TestApp) -> (String, Applicant) {
    let awa = applicant(t, &PERMIT, "awa@example.org").await;
    let id = id_of(&awa.create().await);
    awa.fill_in(&id).await;
    awa.validate_all(&id).await;
    (id, awa)
}

async fn count_submission_traces(t: &TestApp, id: &str) -> (usize, usize, usize, usize) {
    let app_id = sejour::domain::application::ApplicationId(id.parse().unwrap());
    let ports = &t.runtime.app.ports;
    let issued = ports.applications.issued_for(app_id).await.unwrap().len();
    let events = ports.applications.events(app_id).await.unwrap().len();
    let mails = t
        .emails_to("awa@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("demande est déposée"))
        .count();
    // One receipt, in French and in English.
    let receipts_dir = t.data_dir.path().join("documents/receipts").join(id);
    let files = std::fs::read_dir(receipts_dir).map(|d| d.count()).unwrap_or(0);
    (issued, events, mails, files)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_submits_make_one_submission() {
    let t = spawn_app().await;
    let (id, awa) = ready(&t).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (awa, id) = (awa.clone(), id.clone());
            tokio::spawn(async move {
                let response = awa.submit(&id, &format!("device-{i}"), None).await;
                let status = response.status();
                (status, response.text().await.unwrap())
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::OK => ok += 1,
            StatusCode::CONFLICT => {
                let body: Value = serde_json::from_str(&body).unwrap();
                assert!(
                    body["code"] == "already_submitted" || body["code"] == "version_conflict",
                    "{body}"
                );
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(count_submission_traces(&t, &id).await, (1, 1, 1, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_retries_with_one_key_get_the_same_answer() {
    let t = spawn_app().await;
    let (id, awa) = ready(&t).await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (awa, id) = (awa.clone(), id.clone());
            tokio::spawn(async move {
                let response = awa.submit(&id, "the-one-key", None).await;
                (response.status(), response.text().await.unwrap())
            })
        })
        .collect();
    let mut bodies = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        bodies.push(body);
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]));
    assert_eq!(count_submission_traces(&t, &id).await, (1, 1, 1, 2));
}

#[tokio::test]
async fn a_key_is_its_callers_and_for_one_application() {
    let t = spawn_app().await;
    let (id, awa) = ready(&t).await;
    let response = awa.submit(&id, "shared-key", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Another applicant using the same key text is not answered with Awa's receipt.
    let carlos = applicant(&t, &OTHER_PERMIT, "carlos@example.org").await;
    let his = id_of(&carlos.create().await);
    let response = carlos.submit(&his, "shared-key", None).await;
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "not_ready").await;
    let response = carlos.submit(&id, "shared-key", None).await;
    assert_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    // The same caller's key for another application of theirs.
    let bogus = uuid::Uuid::now_v7();
    let response = awa.submit(&bogus.to_string(), "shared-key", None).await;
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").await;
}
