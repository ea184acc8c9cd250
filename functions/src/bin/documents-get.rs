//! Lambda `documents-get`: the endpoint `sejour::api::documents_get` behind API Gateway (GET /api/applications/{id}/documents/{doc}, a presigned download (F11)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::documents_get).await
}
