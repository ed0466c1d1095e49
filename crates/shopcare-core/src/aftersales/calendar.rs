//! Work calendars and day counting in a shop's time zone.
//!
//! Three ways of counting, matching how the platform words its deadlines:
//!
//! - **Hours**: an elapsed duration (48 h is 48 real hours, whatever the wall clock does).
//!   Never moves.
//! - **Calendar days**: the same local wall-clock time N days later, so a deadline keeps its
//!   hour across a daylight-saving change (the elapsed time is then 23 or 25 h for that day).
//!   Never moves, even when it lands on a weekend or holiday.
//! - **Working / business days** (the two differ only in wording between markets; both use
//!   the market's [`WorkCalendar`]):
//!   - opened on a working day: the same local time on the Nth working day after the
//!     opening date (opened Friday 10:00, 1 working day, Sat/Sun weekend → Monday 10:00);
//!   - opened on a non-working day: the clock starts at 00:00 of the next working day and
//!     runs N whole working days, so the deadline is the **end** of the Nth working day,
//!     written as 00:00 local of the following calendar day (opened Saturday 15:00,
//!     1 working day → Tuesday 00:00, i.e. the end of Monday). An opening on a day off
//!     therefore never eats into the seller's first working day.
//!
//!   In both cases the deadline lies on (or closes) a working day, which is the
//!   "a deadline on a non-working day moves to the same time on the next working day" rule.
//!
//! Local times that do not exist (the spring-forward gap) resolve with the offset in force
//! before the gap, i.e. they move forward by the gap (02:30 on a 02:00→03:00 night becomes
//! 03:30). Local times that exist twice (fall back) resolve to the earlier instant, so a
//! deadline is never shown later than it could be.

use crate::Timestamp;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Weekday};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

/// How far ahead a calendar is searched for a working day before the search gives up
/// (a calendar whose every day is off would otherwise loop forever).
const WORKING_DAY_SEARCH_LIMIT_DAYS: u32 = 400;

/// Which days a market works: its weekend days and its public holidays (supplied by the
/// caller's configuration; shopcare ships no holiday list because the dates change yearly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    pub weekend: Vec<Weekday>,
    pub holidays: BTreeSet<NaiveDate>,
}

impl Default for WorkCalendar {
    /// Saturday and Sunday off, no holidays.
    fn default() -> Self {
        Self {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: BTreeSet::new(),
        }
    }
}

impl WorkCalendar {
    pub fn new(weekend: Vec<Weekday>, holidays: BTreeSet<NaiveDate>) -> Self {
        Self { weekend, holidays }
    }

    /// A Saturday/Sunday weekend with these public holidays.
    pub fn with_holidays(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
            ..Self::default()
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.weekend.contains(&date.weekday()) && !self.holidays.contains(&date)
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut candidate = date;
        for _ in 0..WORKING_DAY_SEARCH_LIMIT_DAYS {
            candidate = candidate.succ_opt()?;
            if self.is_working_day(candidate) {
                return Some(candidate);
            }
        }
        None
    }

    /// `date` itself if it is a working day, else the next one.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        if self.is_working_day(date) {
            Some(date)
        } else {
            self.next_working_day_after(date)
        }
    }
}

/// Work calendars per market, with the calendar used for markets not listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendars {
    /// Keyed by upper-case market code (`US`, `TH`, ...).
    pub by_market: BTreeMap<String, WorkCalendar>,
    pub fallback: WorkCalendar,
}

impl Calendars {
    /// Sets one market's calendar (the code is normalised like rule-table markets).
    pub fn insert(&mut self, market: &str, calendar: WorkCalendar) {
        self.by_market.insert(normalize_market(market), calendar);
    }

    pub fn for_market(&self, market: &str) -> &WorkCalendar {
        self.by_market
            .get(&normalize_market(market))
            .unwrap_or(&self.fallback)
    }
}

/// Upper-case market code; `UK` is the platform's other spelling of `GB`.
pub fn normalize_market(market: &str) -> String {
    let upper = market.trim().to_ascii_uppercase();
    if upper == "UK" {
        "GB".to_owned()
    } else {
        upper
    }
}

/// Why a count could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error(
        "the work calendar has no working day within {WORKING_DAY_SEARCH_LIMIT_DAYS} days of {0}"
    )]
    NoWorkingDay(NaiveDate),
    #[error("the date is outside the supported range")]
    OutOfRange,
}

/// Turns a local wall-clock time into an instant (gap → moved forward, overlap → earlier).
pub fn resolve_local(time_zone: Tz, local: NaiveDateTime) -> Result<Timestamp, CountError> {
    if let Some(instant) = time_zone.from_local_datetime(&local).earliest() {
        return Ok(instant.to_utc());
    }
    // In a gap: use the offset in force a day earlier, i.e. before the clocks jumped.
    let before_gap = local
        .checked_sub_signed(Duration::days(1))
        .ok_or(CountError::OutOfRange)?;
    let offset_seconds = time_zone
        .offset_from_utc_datetime(&before_gap)
        .fix()
        .local_minus_utc();
    let utc = local
        .checked_sub_signed(Duration::seconds(i64::from(offset_seconds)))
        .ok_or(CountError::OutOfRange)?;
    Ok(utc.and_utc())
}

/// `start` plus `hours` elapsed hours.
pub fn add_hours(start: Timestamp, hours: u32) -> Result<Timestamp, CountError> {
    start
        .checked_add_signed(Duration::hours(i64::from(hours)))
        .ok_or(CountError::OutOfRange)
}

/// The same local wall-clock time `days` days after `start`, in `time_zone`.
pub fn add_calendar_days(
    start: Timestamp,
    days: u32,
    time_zone: Tz,
) -> Result<Timestamp, CountError> {
    let local = start.with_timezone(&time_zone).naive_local();
    let later = local
        .checked_add_signed(Duration::days(i64::from(days)))
        .ok_or(CountError::OutOfRange)?;
    resolve_local(time_zone, later)
}

/// `days` working days after `start` by `calendar`, in `time_zone` (rules in the module doc).
pub fn add_working_days(
    start: Timestamp,
    days: u32,
    time_zone: Tz,
    calendar: &WorkCalendar,
) -> Result<Timestamp, CountError> {
    let local = start.with_timezone(&time_zone).naive_local();
    let opening_date = local.date();
    let no_working_day = || CountError::NoWorkingDay(opening_date);
    if calendar.is_working_day(opening_date) {
        let mut date = opening_date;
        for _ in 0..days {
            date = calendar
                .next_working_day_after(date)
                .ok_or_else(no_working_day)?;
        }
        return resolve_local(time_zone, date.and_time(local.time()));
    }
    let first_working_day = calendar
        .working_day_on_or_after(opening_date)
        .ok_or_else(no_working_day)?;
    if days == 0 {
        return resolve_local(time_zone, first_working_day.and_time(NaiveTime::MIN));
    }
    let mut last_working_day = first_working_day;
    for _ in 1..days {
        last_working_day = calendar
            .next_working_day_after(last_working_day)
            .ok_or_else(no_working_day)?;
    }
    let end_of_day = last_working_day.succ_opt().ok_or(CountError::OutOfRange)?;
    resolve_local(time_zone, end_of_day.and_time(NaiveTime::MIN))
}
