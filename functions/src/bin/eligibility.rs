//! Lambda `eligibility`: the endpoint `sejour::api::eligibility` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::eligibility).await
}
