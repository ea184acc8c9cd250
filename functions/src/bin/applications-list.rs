//! Lambda `applications-list`: the endpoint `sejour::api::applications_list` behind API Gateway (GET /api/applications).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::applications_list).await
}
