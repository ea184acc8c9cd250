//! Lambda `documents-upload-url`: the endpoint `sejour::api::documents_upload_url` behind API Gateway (POST /api/applications/{id}/documents, a presigned upload (F11)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::documents_upload_url).await
}
