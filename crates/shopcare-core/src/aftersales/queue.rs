//! Queue ordering by time left, and which deadline warnings are due.
//!
//! Warnings fire at lead times before the deadline (default 12 h and 2 h). The caller
//! records which lead times it already warned about, so a warning is sent once even when
//! the check runs many times or after a restart.

use crate::Timestamp;
use chrono::Duration;

/// Time until `due_at`; negative once the deadline has passed.
pub fn time_left(due_at: Timestamp, now: Timestamp) -> Duration {
    due_at - now
}

/// Sort key for the cross-shop queue: earliest deadline first (overdue cases first of
/// all, since their deadline is earliest), cases without a deadline last, ties by case id
/// so the order is stable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueSortKey {
    has_no_deadline: bool,
    due_at: Option<Timestamp>,
    case_id: String,
}

pub fn queue_sort_key(due_at: Option<Timestamp>, case_id: &str) -> QueueSortKey {
    QueueSortKey {
        has_no_deadline: due_at.is_none(),
        due_at,
        case_id: case_id.to_owned(),
    }
}

/// When to warn before a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningPolicy {
    lead_times: Vec<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarningPolicyError {
    #[error("warning lead times must not be negative")]
    NegativeLeadTime,
}

impl Default for WarningPolicy {
    /// 12 h and 2 h before the deadline.
    fn default() -> Self {
        Self {
            lead_times: vec![Duration::hours(12), Duration::hours(2)],
        }
    }
}

impl WarningPolicy {
    /// Lead times are kept longest first, without duplicates; zero means "at the deadline".
    pub fn new(mut lead_times: Vec<Duration>) -> Result<Self, WarningPolicyError> {
        if lead_times.iter().any(|lead| *lead < Duration::zero()) {
            return Err(WarningPolicyError::NegativeLeadTime);
        }
        lead_times.sort_by(|a, b| b.cmp(a));
        lead_times.dedup();
        Ok(Self { lead_times })
    }

    pub fn lead_times(&self) -> &[Duration] {
        &self.lead_times
    }

    /// Lead times crossed at `now` (the deadline is that close or closer, or past) that are
    /// not in `already_warned`, longest first. When several are crossed at once (a case
    /// seen late), the caller may send only the last, most urgent one and mark all sent.
    pub fn due_warnings(
        &self,
        due_at: Timestamp,
        now: Timestamp,
        already_warned: &[Duration],
    ) -> Vec<Duration> {
        let left = time_left(due_at, now);
        self.lead_times
            .iter()
            .copied()
            .filter(|lead| left <= *lead && !already_warned.contains(lead))
            .collect()
    }
}
