//! Lambda `applications-create`: the endpoint `sejour::api::applications_create` behind API Gateway (POST /api/applications, the prefilled draft (F7)).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_http(sejour::api::applications_create).await
}
