//! Lambda `notifications-read`: the endpoint `sejour::api::notification_read` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::notification_read).await
}
