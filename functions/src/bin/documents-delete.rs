//! Lambda `documents-delete`: the endpoint `sejour::api::documents_delete` behind API Gateway (DELETE /api/applications/{id}/documents/{doc} (F11)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::documents_delete).await
}
