//! Failed logins slow down, then lock for a limited time (F3). A lock always
//! ends by itself; a password reset ends it at once.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Failures allowed before each new attempt must wait.
pub const FREE_FAILURES: u32 = 3;
/// Failures that lock the identifier.
pub const LOCK_AFTER: u32 = 10;
/// How long a lock lasts.
pub const LOCK_DURATION: Duration = Duration::minutes(15);

/// Failed attempts for one login identifier (the normalised email).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginAttempts {
    pub failures: u32,
    pub last_failure_at: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Why an attempt is refused before the password is even checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    /// Too soon after the last failure.
    Wait { retry_after: Duration },
    /// Locked until the given instant.
    Locked { until: DateTime<Utc> },
}

impl LoginAttempts {
    /// Whether an attempt may be made now.
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), Throttled> {
        if let Some(until) = self.locked_until {
            if now < until {
                return Err(Throttled::Locked { until });
            }
            return Ok(());
        }
        if let (Some(delay), Some(last)) = (self.delay(), self.last_failure_at) {
            let ready = last + delay;
            if now < ready {
                return Err(Throttled::Wait {
                    retry_after: ready - now,
                });
            }
        }
        Ok(())
    }

    /// The record after one more failure at `now`.
    pub fn after_failure(&self, now: DateTime<Utc>) -> LoginAttempts {
        // A lock that has run out starts a fresh count.
        let failures = match self.locked_until {
            Some(until) if now >= until => 1,
            _ => self.failures + 1,
        };
        let locked_until = (failures >= LOCK_AFTER).then(|| now + LOCK_DURATION);
        LoginAttempts {
            failures,
            last_failure_at: Some(now),
            locked_until,
        }
    }

    /// The wait required after the current number of failures: 1 s, 2 s, 4 s…
    fn delay(&self) -> Option<Duration> {
        (self.failures >= FREE_FAILURES).then(|| Duration::seconds(1 << (self.failures - FREE_FAILURES).min(10)))
    }

    /// How long the store should keep this record.
    pub fn keep_until(&self) -> DateTime<Utc> {
        let base = self.last_failure_at.unwrap_or_default();
        self.locked_until.unwrap_or(base).max(base) + Duration::hours(24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn delays_grow_then_lock_then_unlock_by_itself() {
        let mut a = LoginAttempts::default();
        let mut now = 0;
        for _ in 0..FREE_FAILURES {
            assert!(a.check(t(now)).is_ok());
            a = a.after_failure(t(now));
        }
        assert_eq!(
            a.check(t(now)),
            Err(Throttled::Wait {
                retry_after: Duration::seconds(1)
            })
        );
        while a.failures < LOCK_AFTER {
            now += 3600;
            assert!(a.check(t(now)).is_ok());
            a = a.after_failure(t(now));
        }
        let until = t(now) + LOCK_DURATION;
        assert_eq!(a.check(t(now + 60)), Err(Throttled::Locked { until }));
        assert!(a.check(t(now) + LOCK_DURATION).is_ok());
        assert_eq!(a.after_failure(t(now) + LOCK_DURATION).failures, 1);
    }
}
