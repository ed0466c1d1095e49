//! Retry policy: exponential backoff with jitter (reference §7: 1 s doubling to ~60 s,
//! 0–500 ms jitter, ~5 tries, honour `Retry-After`), and which failures may be retried
//! for which kind of request.

use crate::endpoint::RetrySafety;
use crate::error::ApiError;
use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further retry.
    pub base_delay: Duration,
    /// Cap on the backoff delay. A `Retry-After` longer than this is not waited out:
    /// the call fails with `RateLimited` so the caller can reschedule the work.
    pub max_delay: Duration,
    /// A uniform random 0..=max_jitter is added so shops do not retry in lockstep.
    pub max_jitter: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_jitter: Duration::from_millis(500),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The delay before retry number `retry` (0 = the first retry), before jitter:
    /// `min(base_delay * 2^retry, max_delay)`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(31));
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// A random jitter in `0..=max_jitter`.
    pub fn jitter(&self) -> Duration {
        use rand::Rng;
        let max = u64::try_from(self.max_jitter.as_micros()).unwrap_or(u64::MAX);
        if max == 0 {
            return Duration::ZERO;
        }
        Duration::from_micros(rand::thread_rng().gen_range(0..=max))
    }
}

/// Whether `error` may be retried for a request of this `safety`. A write that is not
/// idempotent is retried only when the platform certainly did not act on it: rate
/// limited (429 / 36009002) or the connection never opened.
pub fn may_retry(error: &ApiError, safety: RetrySafety, has_idempotency_key: bool) -> bool {
    if !error.is_retryable() {
        return false;
    }
    let safe = match safety {
        RetrySafety::Idempotent => true,
        RetrySafety::IdempotentWithKey => has_idempotency_key,
        RetrySafety::NotIdempotent => false,
    };
    safe || request_never_processed(error)
}

fn request_never_processed(error: &ApiError) -> bool {
    match error {
        ApiError::RateLimited { .. } => true,
        ApiError::HttpStatus { status, .. } => *status == 429,
        ApiError::Transport { source, .. } => source.is_connect(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{code_for, codes};

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_the_cap() {
        let policy = RetryPolicy::default();
        let delays: Vec<u64> = (0..8)
            .map(|retry| policy.backoff(retry).as_secs())
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn jitter_stays_within_its_bound() {
        let policy = RetryPolicy {
            max_jitter: Duration::from_millis(5),
            ..RetryPolicy::default()
        };
        for _ in 0..200 {
            assert!(policy.jitter() <= Duration::from_millis(5));
        }
        let none = RetryPolicy {
            max_jitter: Duration::ZERO,
            ..RetryPolicy::default()
        };
        assert_eq!(none.jitter(), Duration::ZERO);
    }

    #[test]
    fn non_idempotent_writes_retry_only_when_rate_limited() {
        let rate_limited = code_for(codes::RATE_LIMITED, "");
        let internal = code_for(codes::INTERNAL_ERROR, "");
        let unavailable = ApiError::HttpStatus {
            endpoint: "x".into(),
            status: 503,
            body: String::new(),
        };
        assert!(may_retry(&rate_limited, RetrySafety::NotIdempotent, false));
        assert!(!may_retry(&internal, RetrySafety::NotIdempotent, false));
        assert!(!may_retry(&unavailable, RetrySafety::NotIdempotent, false));
        assert!(!may_retry(
            &unavailable,
            RetrySafety::IdempotentWithKey,
            false
        ));
        assert!(may_retry(
            &unavailable,
            RetrySafety::IdempotentWithKey,
            true
        ));
        assert!(may_retry(&internal, RetrySafety::Idempotent, false));
        assert!(!may_retry(
            &code_for(codes::BAD_SIGN, ""),
            RetrySafety::Idempotent,
            false
        ));
    }
}
