//! Password hashing: argon2id with the crate's defaults (OWASP-recommended
//! parameters) and a fresh random salt per hash. Hashing is slow on purpose,
//! so it runs on the blocking thread pool.

use std::sync::OnceLock;

use anyhow::{Context, anyhow};
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use rand::RngCore;

use crate::domain::password::NewPassword;

/// The PHC string (`$argon2id$v=19$...`) of a new password.
pub async fn hash(password: NewPassword) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_now(password.expose()))
        .await
        .context("password hashing task")?
}

/// Whether `password` matches `phc`. Without a stored hash (unknown account)
/// the password is checked against a dummy hash all the same, so that the
/// answer takes as long whether or not the account exists.
pub async fn verify(password: &str, phc: Option<&str>) -> anyhow::Result<bool> {
    let password = password.to_string();
    let phc = phc.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let (phc, known) = match &phc {
            Some(phc) => (phc.as_str(), true),
            None => (dummy_hash()?, false),
        };
        let parsed = PasswordHash::new(phc).map_err(|e| anyhow!("stored password hash: {e}"))?;
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(known && matches)
    })
    .await
    .context("password verification task")?
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow!("salt: {e}"))?;
    let phc = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow!("password hashing: {e}"))?;
    Ok(phc.to_string())
}

/// A hash of a random password, made once per process, with the same
/// parameters as real hashes.
fn dummy_hash() -> anyhow::Result<&'static str> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(phc) = DUMMY.get() {
        return Ok(phc);
    }
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let phc = hash_now(&secret)?;
    Ok(DUMMY.get_or_init(|| phc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() {
        let a = hash(NewPassword::parse("correct horse battery", None).unwrap())
            .await
            .unwrap();
        let b = hash(NewPassword::parse("correct horse battery", None).unwrap())
            .await
            .unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify("correct horse battery", Some(&a)).await.unwrap());
        assert!(!verify("correct horse batterz", Some(&a)).await.unwrap());
        assert!(!verify("correct horse battery", None).await.unwrap());
    }
}
