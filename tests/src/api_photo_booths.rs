//! `GET /api/photo-booths` through the real router: public, nearest first,
//! bounded, and every bad parameter with its own code.

use crate::support::{assert_problem, field_errors, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn nearest_booths_first_without_logging_in() {
    let app = spawn_app().await;
    // Lyon Part-Dieu.
    let response = app.get("/api/photo-booths?lat=45.7606&lon=4.8593").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["synthetic_demo_data"], true);
    let booths = body["booths"].as_array().unwrap();
    assert_eq!(booths.len(), 5, "five by default");
    let distances: Vec<f64> = booths.iter().map(|b| b["distance_km"].as_f64().unwrap()).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    assert_eq!(booths[0]["city"], "Lyon");
    assert!(distances[0] < 3.0, "{distances:?}");
    let first = &booths[0];
    for field in ["name", "address", "postcode", "city"] {
        assert!(first[field].as_str().is_some_and(|v| !v.is_empty()), "{field}: {first}");
    }
    assert!(["booth", "photographer"].contains(&first["kind"].as_str().unwrap()));
    assert!(first["lat"].is_f64() && first["lon"].is_f64());

    // Overseas too, and up to 20.
    let body: Value = app
        .get("/api/photo-booths?lat=14.6&lon=-61.07&limit=20")
        .await
        .json()
        .await
        .unwrap();
    let booths = body["booths"].as_array().unwrap();
    assert_eq!(booths.len(), 20);
    assert_eq!(booths[0]["postcode"], "97200");

    let body: Value = app
        .get("/api/photo-booths?lat=48.85&lon=2.35&limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["booths"].as_array().unwrap().len(), 1);
    assert_eq!(body["booths"][0]["city"], "Paris");
}

#[tokio::test]
async fn bad_positions_and_limits_have_their_codes() {
    let app = spawn_app().await;
    let cases: [(&str, Vec<(&str, &str)>); 7] = [
        ("", vec![("lat", "required"), ("lon", "required")]),
        ("?lat=48.85", vec![("lon", "required")]),
        (
            "?lat=48,85&lon=abc",
            vec![("lat", "invalid_number"), ("lon", "invalid_number")],
        ),
        (
            "?lat=91&lon=-180.5",
            vec![("lat", "out_of_range"), ("lon", "out_of_range")],
        ),
        ("?lat=48.85&lon=2.35&limit=0", vec![("limit", "out_of_range")]),
        ("?lat=48.85&lon=2.35&limit=21", vec![("limit", "out_of_range")]),
        (
            "?lat=NaN&lon=2.35&limit=many",
            vec![("lat", "invalid_number"), ("limit", "invalid_number")],
        ),
    ];
    for (query, expected) in cases {
        let response = app.get(&format!("/api/photo-booths{query}")).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
        assert_eq!(field_errors(&problem), expected, "{query}");
    }
}

#[tokio::test]
async fn booths_near_a_postcode_or_its_departement() {
    let app = spawn_app().await;
    let body: Value = app
        .get("/api/photo-booths?postcode=69003&limit=3")
        .await
        .json()
        .await
        .unwrap();
    let booths = body["booths"].as_array().unwrap();
    assert_eq!(booths.len(), 3);
    assert_eq!(booths[0]["postcode"], "69003", "{body}");
    // A postcode without a place of its own: its département's.
    let body: Value = app.get("/api/photo-booths?postcode=69999").await.json().await.unwrap();
    assert!(
        body["booths"][0]["postcode"].as_str().unwrap().starts_with("69"),
        "{body}"
    );
    // A position wins over a postcode given too.
    let body: Value = app
        .get("/api/photo-booths?postcode=69003&lat=48.8566&lon=2.3522&limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["booths"][0]["city"], "Paris", "{body}");
    let problem = assert_problem(
        app.get("/api/photo-booths?postcode=6900").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        vec![("postcode".to_string(), "invalid_postcode".to_string())]
    );
}

#[tokio::test]
async fn only_get_is_served_and_the_path_is_documented() {
    let app = spawn_app().await;
    let response = app.post("/api/photo-booths", &serde_json::json!({})).await;
    assert_problem(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let openapi: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let path = &openapi["paths"]["/api/photo-booths"]["get"];
    let params: Vec<&str> = path["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, vec!["lat", "lon", "postcode", "limit"]);
    assert!(openapi["components"]["schemas"]["NearbyBooths"].is_object());
}
