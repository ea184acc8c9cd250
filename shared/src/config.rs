//! Settings that differ between deployments; read once at start.

use crate::domain::reasons::studies::DEFAULT_MINIMUM_MONTHLY_RESOURCES_EUR;

/// Settings of one deployment.
#[derive(Debug, Clone)]
pub struct Config {
    /// Origin of the applicant site, e.g. `https://sejour.example.gouv.fr`
    /// or `http://127.0.0.1:8080`: links in emails point there, and
    /// state-changing requests from any other origin are refused.
    pub public_url: String,
    /// Further origins allowed to send state-changing requests (the agent site).
    pub extra_origins: Vec<String>,
    /// Set the `Secure` flag on the session cookie.
    pub secure_cookies: bool,
    /// Sender address of the emails.
    pub mail_from: String,
    /// Largest supporting document accepted, in bytes (`SEJOUR_MAX_UPLOAD_BYTES`).
    pub max_upload_bytes: u64,
    /// Minimum monthly resources of a student, in euro cents
    /// (`SEJOUR_MIN_MONTHLY_RESOURCES_EUR`, in euros): below it the
    /// applicant is warned, never blocked (F10).
    pub min_monthly_resources_cents: u64,
}

/// 10 MiB: a scanned multi-page PDF fits, a video does not.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

impl Config {
    pub fn local(public_url: &str) -> Self {
        Config {
            public_url: public_url.trim_end_matches('/').to_string(),
            extra_origins: Vec::new(),
            secure_cookies: true,
            mail_from: "Séjour <ne-pas-repondre@sejour.localhost>".into(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            min_monthly_resources_cents: DEFAULT_MINIMUM_MONTHLY_RESOURCES_EUR * 100,
        }
    }

    /// From the environment of a Lambda function or of `SEJOUR_BACKEND=aws`.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).map_err(|_| anyhow::anyhow!("{name} is not set"));
        Ok(Config {
            public_url: var("SEJOUR_PUBLIC_URL")?.trim_end_matches('/').to_string(),
            extra_origins: std::env::var("SEJOUR_EXTRA_ORIGINS")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            secure_cookies: true,
            mail_from: var("SEJOUR_MAIL_FROM")?,
            max_upload_bytes: match std::env::var("SEJOUR_MAX_UPLOAD_BYTES") {
                Ok(value) => value
                    .trim()
                    .parse()
                    .map_err(|_| anyhow::anyhow!("SEJOUR_MAX_UPLOAD_BYTES is not a number of bytes"))?,
                Err(_) => DEFAULT_MAX_UPLOAD_BYTES,
            },
            min_monthly_resources_cents: match std::env::var("SEJOUR_MIN_MONTHLY_RESOURCES_EUR") {
                Ok(value) => euros_to_cents(&value)
                    .ok_or_else(|| anyhow::anyhow!("SEJOUR_MIN_MONTHLY_RESOURCES_EUR is not an amount in euros"))?,
                Err(_) => DEFAULT_MINIMUM_MONTHLY_RESOURCES_EUR * 100,
            },
        })
    }

    pub fn allows_origin(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        origin == self.public_url || self.extra_origins.iter().any(|o| o == origin)
    }
}

/// `615`, `615.5` or `615,50` euros in cents; `None` if it is not an amount.
fn euros_to_cents(value: &str) -> Option<u64> {
    let value = value.trim().replace(',', ".");
    let (euros, cents) = value.split_once('.').unwrap_or((&value, ""));
    if euros.is_empty() || cents.len() > 2 || !(euros.bytes().chain(cents.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = format!("{cents:0<2}").parse::<u64>().ok()?;
    euros.parse::<u64>().ok()?.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod euro_tests {
    use super::euros_to_cents;

    #[test]
    fn amounts_in_euros() {
        assert_eq!(euros_to_cents("615"), Some(61_500));
        assert_eq!(euros_to_cents(" 615,5 "), Some(61_550));
        assert_eq!(euros_to_cents("615.05"), Some(61_505));
        for bad in ["", "-1", "6 15", "615.505", "abc", ".5"] {
            assert_eq!(euros_to_cents(bad), None, "{bad}");
        }
    }
}
