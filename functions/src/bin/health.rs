//! Lambda `health`: the endpoint `sejour::api::health` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::health).await
}
