//! Lambda `applications-get`: the endpoint `sejour::api::application` behind API Gateway (GET /api/applications/{id}).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::application).await
}
