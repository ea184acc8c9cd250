//! Lambda `upload-check`: inspects each document uploaded to the bucket (S3 ObjectCreated events).

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_upload_check().await
}
