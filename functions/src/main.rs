//! The one Lambda binary. Each function of the template sets
//! `SEJOUR_FUNCTION` to its name (`auth-login`, `mail-sender`…), and the
//! binary runs that function: an HTTP endpoint of `sejour::api::ENDPOINTS`,
//! or one of the event-driven functions of `sejour::deployment`.

use sejour::deployment::{self, Trigger};

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    let name = std::env::var("SEJOUR_FUNCTION").map_err(|_| "SEJOUR_FUNCTION is not set")?;
    let function = deployment::function(&name).ok_or_else(|| format!("no function is named {name:?}"))?;
    match function.trigger {
        Trigger::Http => sejour_functions::run_http(&name).await,
        Trigger::MailQueue => sejour_functions::run_mail_sender().await,
        Trigger::Uploads => sejour_functions::run_upload_check().await,
        Trigger::Daily => sejour_functions::run_deadlines().await,
    }
}
