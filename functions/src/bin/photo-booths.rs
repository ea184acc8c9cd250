//! Lambda `photo-booths`: the endpoint `sejour::api::photo_booths` behind API Gateway (GET /api/photo-booths, the nearest approved photo booths).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::photo_booths).await
}
