//! Lambda `documents-confirm`: the endpoint `sejour::api::documents_confirm` behind API Gateway (POST /api/applications/{id}/documents/{doc}/confirm (F11)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::documents_confirm).await
}
