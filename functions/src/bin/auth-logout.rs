//! Lambda `auth-logout`: the endpoint `sejour::api::logout` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::logout).await
}
