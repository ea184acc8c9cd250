//! Settings that differ between deployments; read once at start.

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
        })
    }

    pub fn allows_origin(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        origin == self.public_url || self.extra_origins.iter().any(|o| o == origin)
    }
}
