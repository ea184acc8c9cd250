//! Lambda `accounts-activate`: the endpoint `sejour::api::activate` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::activate).await
}
