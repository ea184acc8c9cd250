//! Lambda `auth-login`: the endpoint `sejour::api::login` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::login).await
}
