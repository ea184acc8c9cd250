//! Password hashing: argon2id with the crate's defaults (OWASP-recommended
//! parameters) and a fresh random salt per hash.
//!
//! Each hash is slow on purpose and takes 19 MiB, so password work runs on
//! a few threads of its own, one per core: the number of hashes at once, and
//! so the memory they take, is bounded whatever the number of requests, and
//! each thread keeps one working memory for every hash it makes. A
//! short queue waits in front of them; past it, requests are refused as busy
//! (503 with `Retry-After`) rather than piling up.

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, anyhow};
use argon2::password_hash::{Output, ParamsString, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
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
        Ok::<_, anyhow::Error>(verify_now(&password, phc)? && known)
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

thread_local! {
    /// The argon2 working memory of this password thread (19 MiB with the
    /// default parameters), allocated once and reused by every hash: left
    /// to the allocator, each hash's freed memory was kept, not reused
    /// (a login storm grew the process to about 400 MiB).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 into `out`, with this thread's working memory.
fn argon2_into(argon2: &Argon2<'_>, blocks: usize, password: &[u8], salt: &[u8], out: &mut [u8]) -> anyhow::Result<()> {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon2
            .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
            .map_err(|e| anyhow!("password hashing: {e}"))
    })
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let params = Params::default();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon2, params.block_count(), password.as_bytes(), &salt, &mut out)?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow!("salt: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow!("hash parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow!("hash output: {e}"))?),
    };
    Ok(phc.to_string())
}

/// Hash `password` with the algorithm, parameters and salt of `phc` and
/// compare (in constant time) with its hash.
fn verify_now(password: &str, phc: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| anyhow!("stored password hash: {e}"))?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| anyhow!("stored password hash: {e}"))?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| anyhow!("stored password hash: {e}"))?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(|e| anyhow!("stored password hash: {e}"))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        anyhow::bail!("stored password hash without salt or hash");
    };
    let mut salt_bytes = [0u8; 64];
    let salt = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow!("stored password hash: {e}"))?;
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    argon2_into(&argon2, params.block_count(), password.as_bytes(), salt, &mut out)?;
    // `Output` compares in constant time.
    Ok(Output::new(&out).map_err(|e| anyhow!("hash output: {e}"))? == expected)
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

    /// Hashes stored before (by the crate's own hasher) still verify, and
    /// new hashes are standard PHC strings any argon2 implementation reads.
    #[test]
    fn hashes_are_those_of_the_standard_hasher() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        let standard = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(verify_now("correct horse battery", &standard).unwrap());
        assert!(!verify_now("correct horse batterz", &standard).unwrap());
        let ours = hash_now("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
    }
}
