//! Password hashing: argon2id with the crate's defaults (OWASP-recommended
//! parameters) and a fresh random salt per hash.
//!
//! Each hash is slow on purpose and takes 19 MiB, so password work runs on
//! a few threads of its own, one per core: the number of hashes at once, and
//! so the memory they take, is bounded whatever the number of requests, and
//! each thread reuses its allocator's memory from one hash to the next. A
//! short queue waits in front of them; past it, requests are refused as busy
//! (503 with `Retry-After`) rather than piling up.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, anyhow};
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use rand::RngCore;

use crate::domain::password::NewPassword;

use super::{ServiceError, ServiceResult};

/// Requests that may wait for a password thread, per thread (a hash takes
/// a few tens of milliseconds in a release build).
const QUEUE_PER_THREAD: usize = 32;

/// The PHC string (`$argon2id$v=19$...`) of a new password.
pub async fn hash(password: NewPassword) -> ServiceResult<String> {
    run(move || hash_now(password.expose())).await?.map_err(Into::into)
}

/// Whether `password` matches `phc`. Without a stored hash (unknown account)
/// the password is checked against a dummy hash all the same, so that the
/// answer takes as long whether or not the account exists.
pub async fn verify(password: &str, phc: Option<&str>) -> ServiceResult<bool> {
    let password = password.to_string();
    let phc = phc.map(str::to_string);
    let matches = run(move || {
        let (phc, known) = match &phc {
            Some(phc) => (phc.as_str(), true),
            None => (dummy_hash()?, false),
        };
        let parsed = PasswordHash::new(phc).map_err(|e| anyhow!("stored password hash: {e}"))?;
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        anyhow::Ok(known && matches)
    })
    .await??;
    Ok(matches)
}

type Job = Box<dyn FnOnce() + Send>;

/// The password threads, started on first use.
fn jobs() -> &'static SyncSender<Job> {
    static JOBS: OnceLock<SyncSender<Job>> = OnceLock::new();
    JOBS.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (sender, receiver) = sync_channel::<Job>(threads * QUEUE_PER_THREAD);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..threads {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || work(&receiver))
                .expect("starting a password thread");
        }
        sender
    })
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(job) = job else { return };
        // A panicking job drops its answer channel (the caller sees an
        // error); the thread goes on serving the others.
        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
    }
}

/// Run `f` on a password thread, or refuse at once if too many wait.
async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = answer.send(f());
    });
    match jobs().try_send(job) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            tracing::warn!("password work refused: queue full");
            return Err(ServiceError::Busy { retry_after_seconds: 1 });
        }
        Err(TrySendError::Disconnected(_)) => return Err(anyhow!("password threads stopped").into()),
    }
    Ok(answered.await.context("password task failed")?)
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
