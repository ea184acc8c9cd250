//! Lambda `review-validate`: the endpoint `sejour::api::review_validate` behind API Gateway (POST /api/applications/{id}/review/{section} (F12)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::review_validate).await
}
