//! Lambda `verify`: the endpoint `sejour::api::verify` behind API Gateway (GET /api/verify/{code}, public check of an issued document (B1)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::verify).await
}
