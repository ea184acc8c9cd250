//! Lambda `accounts-verify-email`: the endpoint `sejour::api::verify_email` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::verify_email).await
}
