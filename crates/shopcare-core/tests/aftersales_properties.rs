//! Properties of deadline counting over arbitrary openings, zones and holiday sets:
//! never a panic, never before the opening, and always the documented shape.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use shopcare_core::aftersales::calendar::{add_calendar_days, add_hours, add_working_days};
use shopcare_core::aftersales::{
    compute_deadline, Calendars, DeadlineQuery, RuleTable, Stage, WorkCalendar,
};
use shopcare_core::AfterSalesKind;

const ZONES: [Tz; 6] = [
    Tz::America__Los_Angeles,
    Tz::Europe__London,
    Tz::Asia__Bangkok,
    Tz::Asia__Jakarta,
    Tz::America__Mexico_City,
    Tz::Australia__Lord_Howe,
];

fn opening() -> impl Strategy<Value = DateTime<Utc>> {
    // 2020-01-01 .. 2031-01-01, to the second.
    (1_577_836_800_i64..1_924_992_000_i64)
        .prop_map(|seconds| DateTime::from_timestamp(seconds, 0).expect("in range"))
}

fn holidays() -> impl Strategy<Value = Vec<NaiveDate>> {
    proptest::collection::vec(0_i64..4000, 0..40).prop_map(|offsets| {
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        offsets
            .into_iter()
            .map(|offset| start + Duration::days(offset))
            .collect()
    })
}

proptest! {
    #[test]
    fn working_day_deadlines_land_on_or_close_a_working_day(
        opened in opening(),
        zone_index in 0..ZONES.len(),
        days in 0_u32..6,
        holiday_dates in holidays(),
    ) {
        let zone = ZONES[zone_index];
        let calendar = WorkCalendar::with_holidays(holiday_dates);
        let due = add_working_days(opened, days, zone, &calendar).unwrap();
        prop_assert!(due >= opened || days == 0);
        let local = due.with_timezone(&zone);
        let opened_local = opened.with_timezone(&zone);
        if calendar.is_working_day(opened_local.date_naive()) {
            // Same wall time (unless it fell in a DST gap) on a working day.
            prop_assert!(calendar.is_working_day(local.date_naive()));
            if local.time() != opened_local.time() {
                prop_assert!(zone.offset_from_local_datetime(
                    &local.date_naive().and_time(opened_local.time())
                ).single().is_none());
            }
            prop_assert!(due > opened || days == 0);
        } else if days > 0 {
            // The end of a working day: 00:00 local (or just after a midnight DST gap)
            // of the day after a working day.
            let previous = local.date_naive().pred_opt().unwrap();
            prop_assert!(calendar.is_working_day(previous), "{local}");
            prop_assert!(local.hour() <= 1, "{local}");
            prop_assert!(due > opened);
        }
    }

    #[test]
    fn calendar_days_keep_the_wall_time_and_hours_keep_the_duration(
        opened in opening(),
        zone_index in 0..ZONES.len(),
        days in 0_u32..30,
    ) {
        let zone = ZONES[zone_index];
        let due = add_calendar_days(opened, days, zone).unwrap();
        let local = due.with_timezone(&zone);
        let opened_local = opened.with_timezone(&zone);
        let expected_date = opened_local.date_naive() + Duration::days(i64::from(days));
        let wall_time_exists = zone
            .offset_from_local_datetime(&expected_date.and_time(opened_local.time()))
            .earliest()
            .is_some();
        if wall_time_exists {
            prop_assert_eq!(local.date_naive(), expected_date);
            prop_assert_eq!(local.time(), opened_local.time());
        }
        // Whatever DST does, a day is between 22 and 26 real hours here.
        let elapsed = due - opened;
        prop_assert!(elapsed >= Duration::hours(22 * i64::from(days)) - Duration::hours(1));
        prop_assert!(elapsed <= Duration::hours(26 * i64::from(days)) + Duration::hours(1));
        prop_assert_eq!(add_hours(opened, days).unwrap() - opened, Duration::hours(i64::from(days)));
    }

    #[test]
    fn every_default_lookup_answers_without_panicking(
        opened in opening(),
        market_index in 0..8_usize,
        kind_index in 0..5_usize,
        stage_index in 0..Stage::ALL.len(),
        cents in proptest::option::of(0_i64..100_000),
    ) {
        let market = ["US", "TH", "VN", "ID", "MY", "GB", "uk", "ZZ"][market_index];
        let kind = AfterSalesKind::KNOWN[kind_index].clone();
        let stage = Stage::ALL[stage_index];
        let refund = cents.map(|cents| {
            shopcare_core::Money::new(rust_decimal::Decimal::new(cents, 2), shopcare_core::Currency::parse("USD").unwrap())
        });
        let query = DeadlineQuery {
            market,
            kind,
            stage,
            opened_at: opened,
            time_zone: Tz::America__Los_Angeles,
            refund: refund.as_ref(),
        };
        match compute_deadline(&RuleTable::defaults(), &query, &Calendars::default()) {
            Ok(deadline) => {
                prop_assert!(deadline.due_at > opened);
                prop_assert!(deadline.due_at - opened <= Duration::days(12));
            }
            // Only the kind-specific stages may lack a rule for some kinds.
            Err(error) => prop_assert!(
                stage == Stage::ReshipmentDispatch,
                "{error}"
            ),
        }
    }
}

#[test]
fn a_midnight_gap_zone_still_gives_an_end_of_day() {
    // Lord Howe moves by 30 minutes at 02:00; check a plain weekday in it counts normally.
    let opened = DateTime::parse_from_rfc3339("2026-03-06T10:00:00+11:00")
        .unwrap()
        .with_timezone(&Utc);
    let due = add_working_days(
        opened,
        1,
        Tz::Australia__Lord_Howe,
        &WorkCalendar::default(),
    )
    .unwrap();
    let local = due.with_timezone(&Tz::Australia__Lord_Howe);
    assert_eq!(
        local.date_naive(),
        NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
    );
    assert_eq!(local.time(), NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    assert_eq!(local.weekday(), chrono::Weekday::Mon);
}
