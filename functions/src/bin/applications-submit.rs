//! Lambda `applications-submit`: the endpoint `sejour::api::applications_submit` behind API Gateway (POST /api/applications/{id}/submit (F13)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::applications_submit).await
}
