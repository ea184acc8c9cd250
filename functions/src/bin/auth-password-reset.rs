//! Lambda `auth-password-reset`: the endpoint `sejour::api::password_reset` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::password_reset).await
}
