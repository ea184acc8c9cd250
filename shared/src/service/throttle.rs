//! Counting throttled attempts on the `Throttle` port: each attempt is
//! counted, by a compare-and-swap on the stored record, before it is carried
//! out, so that simultaneous attempts each see those before them.

use crate::domain::contact::Email;
use crate::domain::throttle::{Attempts, Policy, Throttled};

use super::{App, ServiceError, ServiceResult};

/// Rounds of compare-and-swap before an attempt is refused as "wait": each
/// round, one of the competing attempts is counted.
const MAX_ROUNDS: usize = 64;

/// The key of login attempts for an address.
pub fn login_key(email: &Email) -> String {
    format!("login:{}", email.as_str())
}

/// Count one attempt for `key`: the record after it, if the attempt may go
/// on; the refusal (`Throttled` or `Locked`) otherwise.
pub async fn admit(app: &App, key: &str, policy: &Policy) -> ServiceResult<Attempts> {
    match count(app, key, policy).await? {
        (attempts, Ok(())) => Ok(attempts),
        (_, Err(refusal)) => Err(refused(app, refusal)),
    }
}

/// Count one attempt for `key` and say whether it may go on.
pub async fn count(app: &App, key: &str, policy: &Policy) -> ServiceResult<(Attempts, Result<(), Throttled>)> {
    for _ in 0..MAX_ROUNDS {
        let current = app.ports.throttle.get(key).await?;
        let (next, verdict) = current.attempt(policy, app.ports.clock.now());
        if app.ports.throttle.replace(key, current.version, &next).await? {
            return Ok((next, verdict));
        }
        tokio::task::yield_now().await;
    }
    tracing::warn!("attempt not counted: too many at once");
    Ok((
        Attempts::default(),
        Err(Throttled::Wait {
            retry_after: chrono::Duration::seconds(1),
        }),
    ))
}

/// Forget the attempts of `key` (a login that succeeded, a password reset).
pub async fn clear(app: &App, key: &str) -> ServiceResult<()> {
    Ok(app.ports.throttle.clear(key).await?)
}

/// The error answering a refused attempt.
pub fn refused(app: &App, refusal: Throttled) -> ServiceError {
    match refusal {
        Throttled::Wait { retry_after } => ServiceError::Throttled {
            retry_after_seconds: ceil_seconds(retry_after),
        },
        Throttled::Locked { until } => ServiceError::Locked {
            until,
            retry_after_seconds: ceil_seconds(until - app.ports.clock.now()),
        },
    }
}

/// Whole seconds to wait, rounded up (a `Retry-After` of 0 would invite a retry too soon).
pub fn ceil_seconds(d: chrono::Duration) -> i64 {
    let ms = d.num_milliseconds().max(0);
    ((ms + 999) / 1000).max(1)
}
