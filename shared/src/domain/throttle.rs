//! Limits on attempts that an attacker would repeat (F3): logins, password
//! reset emails, activations. Each attempt is counted *before* it is carried
//! out, so that simultaneous attempts each see the ones before them; after a
//! few free attempts each new one must wait longer, then the identifier is
//! locked for a limited time. A lock always ends by itself; for logins, a
//! password reset ends it at once.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How one kind of attempt is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts allowed before each new one must wait.
    pub free: u32,
    /// The first wait; each further attempt doubles it.
    pub first_delay: Duration,
    /// Attempts that lock the identifier.
    pub lock_after: u32,
    /// How long a lock lasts.
    pub lock_for: Duration,
}

/// Failed logins per normalised email: 3 free, then 1 s, 2 s, 4 s… and a
/// 15-minute lock at the 10th.
pub const LOGIN: Policy = Policy {
    free: 3,
    first_delay: Duration::seconds(1),
    lock_after: 10,
    lock_for: Duration::minutes(15),
};

/// Password reset emails per address typed and per account: 3 in a row,
/// then one a minute, two, four…, and none for an hour after the 6th.
pub const RESET_EMAIL: Policy = Policy {
    free: 3,
    first_delay: Duration::minutes(1),
    lock_after: 6,
    lock_for: Duration::hours(1),
};

/// Activations per email address and per state record: 5 tries (typing
/// mistakes happen), then growing waits, and an hour's lock at the 20th,
/// which makes guessing record numbers hopeless.
pub const ACTIVATION: Policy = Policy {
    free: 5,
    first_delay: Duration::seconds(2),
    lock_after: 20,
    lock_for: Duration::hours(1),
};

/// The attempts counted for one identifier. An admitted attempt counts as a
/// failure until it succeeds (the record is then cleared); refused attempts
/// are counted apart: they are never carried out, so they bring neither the
/// next wait nor the lock closer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    /// Every attempt since the record started, admitted or refused.
    #[serde(default)]
    pub attempts: u32,
    /// Admitted attempts not (yet) proven right.
    pub failures: u32,
    /// The last attempt that was let through.
    pub last_failure_at: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
    /// Stores replace a record only if it is still this version (0: none
    /// stored), so that no concurrent attempt goes uncounted.
    #[serde(default)]
    pub version: u64,
}

/// Why an attempt is refused before it is even carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    /// Too soon after the last attempt.
    Wait { retry_after: Duration },
    /// Locked until the given instant.
    Locked { until: DateTime<Utc> },
}

impl Attempts {
    /// Whether an attempt may be made now.
    pub fn check(&self, policy: &Policy, now: DateTime<Utc>) -> Result<(), Throttled> {
        if let Some(until) = self.locked_until {
            if now < until {
                return Err(Throttled::Locked { until });
            }
            return Ok(());
        }
        if let (Some(delay), Some(last)) = (self.delay(policy), self.last_failure_at) {
            let ready = last + delay;
            if now < ready {
                return Err(Throttled::Wait {
                    retry_after: ready - now,
                });
            }
        }
        Ok(())
    }

    /// Count one attempt at `now`: the record to store in place of this one,
    /// and whether the attempt may go on.
    pub fn attempt(&self, policy: &Policy, now: DateTime<Utc>) -> (Attempts, Result<(), Throttled>) {
        let verdict = self.check(policy, now);
        let lapsed = matches!(self.locked_until, Some(until) if now >= until);
        let mut next = if lapsed {
            // A lock that has run out starts a fresh count.
            Attempts::default()
        } else {
            self.clone()
        };
        next.version = self.version + 1;
        next.attempts = next.attempts.saturating_add(1);
        if verdict.is_ok() {
            next.failures = next.failures.saturating_add(1);
            next.last_failure_at = Some(now);
            if next.failures >= policy.lock_after {
                next.locked_until = Some(now + policy.lock_for);
            }
        }
        (next, verdict)
    }

    /// The wait required after the current number of failures.
    fn delay(&self, policy: &Policy) -> Option<Duration> {
        (self.failures >= policy.free).then(|| policy.first_delay * (1 << (self.failures - policy.free).min(10)))
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
        let p = LOGIN;
        let mut a = Attempts::default();
        let mut now = 0;
        for i in 0..p.free {
            let (next, verdict) = a.attempt(&p, t(now));
            assert_eq!(verdict, Ok(()));
            assert_eq!((next.failures, next.version), (i + 1, u64::from(i) + 1));
            a = next;
        }
        assert_eq!(
            a.check(&p, t(now)),
            Err(Throttled::Wait {
                retry_after: Duration::seconds(1)
            })
        );
        while a.failures < p.lock_after - 1 {
            now += 3600;
            let (next, verdict) = a.attempt(&p, t(now));
            assert_eq!(verdict, Ok(()));
            a = next;
        }
        now += 3600;
        let (locked, verdict) = a.attempt(&p, t(now));
        // The attempt that reaches the limit is still let through; the next are not.
        assert_eq!(verdict, Ok(()));
        let until = t(now) + p.lock_for;
        assert_eq!(locked.locked_until, Some(until));
        assert_eq!(locked.check(&p, t(now + 60)), Err(Throttled::Locked { until }));
        let (after, verdict) = locked.attempt(&p, until);
        assert_eq!(verdict, Ok(()));
        assert_eq!((after.failures, after.locked_until), (1, None));
        assert_eq!(after.version, locked.version + 1);
    }

    #[test]
    fn refused_attempts_are_counted_apart() {
        let p = LOGIN;
        let mut a = Attempts::default();
        let mut passed = 0;
        // Fifty attempts in the same instant: the free ones pass, every one is counted.
        for i in 0..50 {
            let (next, verdict) = a.attempt(&p, t(0));
            passed += u32::from(verdict.is_ok());
            assert_eq!(verdict.is_ok(), i < p.free, "attempt {i}");
            a = next;
        }
        assert_eq!(passed, p.free);
        assert_eq!((a.attempts, a.failures), (50, p.free));
        assert_eq!(a.last_failure_at, Some(t(0)));
        assert_eq!(a.locked_until, None);
        // The wait runs from the last admitted attempt, not from the refusals.
        assert_eq!(a.check(&p, t(1)), Ok(()));
    }
}
