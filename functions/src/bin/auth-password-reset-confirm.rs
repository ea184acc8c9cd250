//! Lambda `auth-password-reset-confirm`: the endpoint `sejour::api::password_reset_confirm` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::password_reset_confirm).await
}
