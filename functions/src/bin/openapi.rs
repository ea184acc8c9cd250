//! Lambda `openapi`: the endpoint `sejour::api::openapi` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::openapi).await
}
