//! Lambda `applications-receipt`: the endpoint `sejour::api::applications_receipt` behind API Gateway (GET /api/applications/{id}/receipt, the PDF (F13)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::applications_receipt).await
}
