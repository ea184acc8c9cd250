//! Lambda `applications-step-save`: the endpoint `sejour::api::application_step` behind API Gateway (PUT /api/applications/{id}/steps/{step} (F8–F11)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::application_step).await
}
