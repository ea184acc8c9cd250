//! Lambda `notifications-list`: the endpoint `sejour::api::notifications` behind API Gateway.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::notifications).await
}
