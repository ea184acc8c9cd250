//! Lambda `me`: the endpoint `sejour::api::me` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::me).await
}
