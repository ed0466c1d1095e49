//! After-sales desk: deadlines for every default rule row (weekends, holidays, DST, month
//! and year ends), reconciliation with the platform deadline, the case state machine for
//! every status, evidence checklists, appeal drafts, suggestions, queue warnings and KPIs.

use chrono::{DateTime, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use shopcare_core::aftersales::calendar::CountError;
use shopcare_core::aftersales::case::{expected_cancel_targets, expected_return_targets};
use shopcare_core::aftersales::kpi::{
    count_auto_approved_by_neglect, fault_counts, handling_time, median_duration,
    refund_rate_by_sku, return_rate_by_sku, Fault, FaultTable,
};
use shopcare_core::aftersales::rules::RuleError;
use shopcare_core::aftersales::*;
use shopcare_core::{
    ActorRole, AfterSalesCase, AfterSalesKind, ArbitrationStatus, CancelStatus, CaseId, Money,
    OrderId, ReturnLineItem, ReturnStatus, ShopId, SkuId, Timestamp,
};
use std::collections::{BTreeMap, BTreeSet};

fn at(rfc3339: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|error| panic!("bad test time {rfc3339}: {error}"))
        .with_timezone(&Utc)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn zone(market: &str) -> Tz {
    shopcare_core::region_defaults(market).unwrap().0
}

/// Calendars used by the table: Thai Songkran 2026 and New Year, Vietnamese Tết 2026,
/// US Thanksgiving 2026 and New Year, and a Friday/Saturday weekend for a test market.
fn test_calendars() -> Calendars {
    let mut calendars = Calendars::default();
    calendars.insert(
        "TH",
        WorkCalendar::with_holidays([
            date("2026-04-13"),
            date("2026-04-14"),
            date("2026-04-15"),
            date("2027-01-01"),
        ]),
    );
    calendars.insert(
        "VN",
        WorkCalendar::with_holidays([
            date("2026-02-16"),
            date("2026-02-17"),
            date("2026-02-18"),
            date("2026-02-19"),
            date("2026-02-20"),
        ]),
    );
    calendars.insert(
        "us",
        WorkCalendar::with_holidays([date("2026-11-26"), date("2027-01-01")]),
    );
    calendars.insert(
        "MY",
        WorkCalendar::new(vec![Weekday::Fri, Weekday::Sat], BTreeSet::new()),
    );
    calendars
}

/// One deadline expectation.
struct Row {
    market: &'static str,
    kind: &'static str,
    stage: &'static str,
    opened: &'static str,
    refund: Option<(&'static str, &'static str)>,
    due: &'static str,
    rule: &'static str,
    day_kind: DayKind,
}

fn row(
    market: &'static str,
    kind: &'static str,
    stage: &'static str,
    opened: &'static str,
    due: &'static str,
    rule: &'static str,
    day_kind: DayKind,
) -> Row {
    Row {
        market,
        kind,
        stage,
        opened,
        refund: None,
        due,
        rule,
        day_kind,
    }
}

fn check(table: &RuleTable, calendars: &Calendars, row: &Row) -> Deadline {
    let refund = row
        .refund
        .map(|(amount, currency)| Money::parse(amount, currency).unwrap());
    let query = DeadlineQuery {
        market: row.market,
        kind: AfterSalesKind::parse(row.kind),
        stage: Stage::parse(row.stage).unwrap(),
        opened_at: at(row.opened),
        time_zone: zone(row.market),
        refund: refund.as_ref(),
    };
    let label = format!(
        "{} {} {} opened {}",
        row.market, row.kind, row.stage, row.opened
    );
    let deadline = compute_deadline(table, &query, calendars)
        .unwrap_or_else(|error| panic!("{label}: {error}"));
    assert_eq!(deadline.rule_id, row.rule, "{label}: rule");
    assert_eq!(deadline.day_kind, row.day_kind, "{label}: day kind");
    assert_eq!(
        deadline.due_at,
        at(row.due),
        "{label}: due {} expected {}",
        deadline.due_at.with_timezone(&query.time_zone).to_rfc3339(),
        row.due
    );
    assert!(!deadline.source.is_empty(), "{label}: source");
    deadline
}

/// One line per expectation: market, type, stage, opened at, expected due at, expected rule,
/// expected day kind. Times carry the shop's local offset so the intent is readable; they
/// are compared as instants. `#` starts a comment line saying what the case shows.
const DEFAULT_ROW_CASES: &str = "
# Refund only, 2 calendar days: lands on a Sunday and stays there.
ID REFUND            seller_response 2026-03-06T10:00:00+07:00 2026-03-08T10:00:00+07:00 any.refund.seller_response calendar_days
# ... across the US spring-forward night: same wall time, 47 elapsed hours.
US REFUND            seller_response 2026-03-07T09:00:00-08:00 2026-03-09T09:00:00-07:00 any.refund.seller_response calendar_days
# ... across the year end, onto a Thai holiday, without moving.
TH REFUND            seller_response 2026-12-30T18:00:00+07:00 2027-01-01T18:00:00+07:00 any.refund.seller_response calendar_days
# TH return & refund, 1 working day: Monday, then Friday over the weekend.
TH RETURN_AND_REFUND seller_response 2026-03-09T10:00:00+07:00 2026-03-10T10:00:00+07:00 th.return_and_refund.seller_response working_days
TH RETURN_AND_REFUND seller_response 2026-03-06T16:00:00+07:00 2026-03-09T16:00:00+07:00 th.return_and_refund.seller_response working_days
# Opened on a Saturday: the whole of Monday, i.e. until Tuesday 00:00.
TH RETURN_AND_REFUND seller_response 2026-03-07T15:00:00+07:00 2026-03-10T00:00:00+07:00 th.return_and_refund.seller_response working_days
# Friday before Songkran (Monday to Wednesday off): Thursday.
TH RETURN_AND_REFUND seller_response 2026-04-10T11:00:00+07:00 2026-04-16T11:00:00+07:00 th.return_and_refund.seller_response working_days
# Opened on a holiday: the whole of the next working day (Thursday).
TH RETURN_AND_REFUND seller_response 2026-04-13T09:00:00+07:00 2026-04-17T00:00:00+07:00 th.return_and_refund.seller_response working_days
# Month end.
TH RETURN_AND_REFUND seller_response 2026-02-27T09:30:00+07:00 2026-03-02T09:30:00+07:00 th.return_and_refund.seller_response working_days
# Year end with New Year's Day off.
TH RETURN_AND_REFUND seller_response 2026-12-31T20:00:00+07:00 2027-01-04T20:00:00+07:00 th.return_and_refund.seller_response working_days
# A UTC opening late in the Thai day counts by the Thai date (Friday, not Thursday).
TH RETURN_AND_REFUND seller_response 2026-03-05T18:30:00Z      2026-03-09T01:30:00+07:00 th.return_and_refund.seller_response working_days
TH EXCHANGE          seller_response 2026-03-06T10:00:00+07:00 2026-03-09T10:00:00+07:00 th.exchange.seller_response working_days
TH RESHIPMENT        seller_response 2026-03-07T10:00:00+07:00 2026-03-10T00:00:00+07:00 th.reshipment.seller_response working_days
# VN, 1 working day: month end, the Friday before Tet week, and a Tet holiday opening.
VN RETURN_AND_REFUND seller_response 2026-01-30T09:00:00+07:00 2026-02-02T09:00:00+07:00 vn.return_and_refund.seller_response working_days
VN RETURN_AND_REFUND seller_response 2026-02-13T14:00:00+07:00 2026-02-23T14:00:00+07:00 vn.return_and_refund.seller_response working_days
VN EXCHANGE          seller_response 2026-02-18T08:00:00+07:00 2026-02-24T00:00:00+07:00 vn.exchange.seller_response working_days
VN RESHIPMENT        seller_response 2026-03-11T23:59:00+07:00 2026-03-12T23:59:00+07:00 vn.reshipment.seller_response working_days
# ID older rule: 48 elapsed hours, ending on a Sunday, over a year end and a month end.
ID RETURN_AND_REFUND seller_response 2026-03-06T10:00:00+07:00 2026-03-08T10:00:00+07:00 id.return_and_refund.seller_response.48h hours
ID EXCHANGE          seller_response 2026-12-31T23:00:00+07:00 2027-01-02T23:00:00+07:00 id.exchange.seller_response.48h hours
ID RESHIPMENT        seller_response 2026-02-27T12:00:00+07:00 2026-03-01T12:00:00+07:00 id.reshipment.seller_response.48h hours
# US return & refund, 2 business days: across spring forward, fall back, Thanksgiving.
US RETURN_AND_REFUND seller_response 2026-03-06T10:00:00-08:00 2026-03-10T10:00:00-07:00 us.return_and_refund.seller_response business_days
US RETURN_AND_REFUND seller_response 2026-10-30T15:00:00-07:00 2026-11-03T15:00:00-08:00 us.return_and_refund.seller_response business_days
US RETURN_AND_REFUND seller_response 2026-11-25T12:00:00-08:00 2026-11-30T12:00:00-08:00 us.return_and_refund.seller_response business_days
# US replacement, 1 business day: Saturday opening → end of Monday (after DST starts); year end.
US REPLACEMENT       seller_response 2026-03-07T20:00:00-08:00 2026-03-10T00:00:00-07:00 us.replacement.seller_response business_days
US REPLACEMENT       seller_response 2026-12-31T10:00:00-08:00 2027-01-04T10:00:00-08:00 us.replacement.seller_response business_days
# Buyer ship-back, 5 calendar days: across fall back, and across a month end.
US RETURN_AND_REFUND buyer_ship_back 2026-10-28T12:00:00-07:00 2026-11-02T12:00:00-08:00 any.buyer_ship_back calendar_days
ID RETURN_AND_REFUND buyer_ship_back 2026-02-26T09:00:00+07:00 2026-03-03T09:00:00+07:00 any.buyer_ship_back calendar_days
# Seller confirms receipt, 8 days, across the year end.
TH RETURN_AND_REFUND seller_confirm_receipt 2026-12-28T10:00:00+07:00 2027-01-05T10:00:00+07:00 any.seller_confirm_receipt calendar_days
# Thai exchanges: inspect the returned parcel within 2 calendar days.
TH EXCHANGE          seller_confirm_receipt 2026-01-30T10:00:00+07:00 2026-02-01T10:00:00+07:00 th.exchange.seller_confirm_receipt calendar_days
# Buyer escalation, 48 elapsed hours: the wall clock shows 49 h across spring forward.
US RETURN_AND_REFUND buyer_escalation 2026-03-07T12:00:00-08:00 2026-03-09T13:00:00-07:00 any.buyer_escalation hours
# Reshipment ships within 2 working days; opened the Saturday before Songkran → end of Friday.
TH RESHIPMENT        reshipment_dispatch 2026-03-06T10:00:00+07:00 2026-03-10T10:00:00+07:00 any.reshipment.reshipment_dispatch working_days
TH RESHIPMENT        reshipment_dispatch 2026-04-11T10:00:00+07:00 2026-04-18T00:00:00+07:00 any.reshipment.reshipment_dispatch working_days
# The buyer answers a counter-offer within 1 calendar day.
TH EXCHANGE          buyer_offer_response 2026-01-31T10:00:00+07:00 2026-02-01T10:00:00+07:00 any.buyer_offer_response calendar_days
# Appeals, 7 calendar days, holidays or not.
TH REFUND            appeal 2026-04-10T10:00:00+07:00 2026-04-17T10:00:00+07:00 th.appeal calendar_days
VN RETURN_AND_REFUND appeal 2026-02-13T10:00:00+07:00 2026-02-20T10:00:00+07:00 vn.appeal calendar_days
ID REFUND            appeal 2026-12-29T10:00:00+07:00 2027-01-05T10:00:00+07:00 id.appeal calendar_days
# The any-market appeal row; 01:30 on 1 November exists twice in Los Angeles: the earlier one.
US RETURN_AND_REFUND appeal 2026-10-25T01:30:00-07:00 2026-11-01T01:30:00-07:00 any.appeal calendar_days
# 02:30 on 8 March does not exist in Los Angeles: it becomes 03:30 PDT.
US REFUND            appeal 2026-03-01T02:30:00-08:00 2026-03-08T03:30:00-07:00 any.appeal calendar_days
# Fallback rows: markets without a published response rule for the type (GB across BST start).
PH RETURN_AND_REFUND seller_response 2026-03-06T10:00:00+08:00 2026-03-09T10:00:00+08:00 any.return_and_refund.seller_response.fallback working_days
GB EXCHANGE          seller_response 2026-03-27T17:00:00+00:00 2026-03-30T17:00:00+01:00 any.exchange.seller_response.fallback working_days
SG RESHIPMENT        seller_response 2026-05-31T09:00:00+08:00 2026-06-02T00:00:00+08:00 any.reshipment.seller_response.fallback working_days
TH REPLACEMENT       seller_response 2026-03-06T10:00:00+07:00 2026-03-09T10:00:00+07:00 any.replacement.seller_response.fallback working_days
# A market configured with a Friday/Saturday weekend: Thursday → Sunday.
MY RETURN_AND_REFUND seller_response 2026-03-05T10:00:00+08:00 2026-03-08T10:00:00+08:00 any.return_and_refund.seller_response.fallback working_days
";

fn parse_row(line: &'static str) -> Row {
    let fields: Vec<&'static str> = line.split_whitespace().collect();
    let [market, kind, stage, opened, due, rule, day_kind] = fields[..] else {
        panic!("a test row needs 7 fields: {line}");
    };
    Row {
        market,
        kind,
        stage,
        opened,
        refund: None,
        due,
        rule,
        day_kind: DayKind::parse(day_kind).unwrap(),
    }
}

#[test]
fn every_default_row_gives_the_published_deadline() {
    let table = RuleTable::defaults();
    let calendars = test_calendars();
    let rows: Vec<Row> = DEFAULT_ROW_CASES
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(parse_row)
        .collect();
    assert_eq!(rows.len(), 43);
    for row in &rows {
        check(&table, &calendars, row);
    }
    // Every default row is exercised by at least one expectation (the over-100-USD row by
    // the next test).
    let mut covered: BTreeSet<&str> = rows.iter().map(|row| row.rule).collect();
    covered.insert("us.return_and_refund.seller_response.over_100_usd");
    for rule in table.rules() {
        assert!(
            covered.contains(rule.id.as_str()),
            "row {} has no test",
            rule.id
        );
    }
}

#[test]
fn us_refunds_over_100_usd_get_4_business_days_and_exactly_100_does_not() {
    let table = RuleTable::defaults();
    let calendars = test_calendars();
    let base = |amount: Option<(&'static str, &'static str)>, due, rule| Row {
        market: "US",
        kind: "RETURN_AND_REFUND",
        stage: "seller_response",
        opened: "2026-03-06T10:00:00-08:00",
        refund: amount,
        due,
        rule,
        day_kind: DayKind::BusinessDays,
    };
    let over = check(
        &table,
        &calendars,
        &base(
            Some(("100.01", "USD")),
            "2026-03-12T10:00:00-07:00",
            "us.return_and_refund.seller_response.over_100_usd",
        ),
    );
    assert_eq!(over.amount, 4);
    for refund in [
        Some(("100", "USD")),
        Some(("100.00", "usd")),
        Some(("5000", "MXN")),
        None,
    ] {
        check(
            &table,
            &calendars,
            &base(
                refund,
                "2026-03-10T10:00:00-07:00",
                "us.return_and_refund.seller_response",
            ),
        );
    }
    // Over 100 USD across Thanksgiving: Wed → Fri, Mon, Tue, Wed.
    check(
        &table,
        &calendars,
        &Row {
            opened: "2026-11-25T09:00:00-08:00",
            ..base(
                Some(("249.99", "USD")),
                "2026-12-02T09:00:00-08:00",
                "us.return_and_refund.seller_response.over_100_usd",
            )
        },
    );
}

#[test]
fn fallback_rows_say_they_are_fallbacks_and_published_rows_do_not() {
    let table = RuleTable::defaults();
    let calendars = test_calendars();
    let fallback = check(
        &table,
        &calendars,
        &row(
            "PH",
            "RETURN_AND_REFUND",
            "seller_response",
            "2026-03-09T10:00:00+08:00",
            "2026-03-10T10:00:00+08:00",
            "any.return_and_refund.seller_response.fallback",
            DayKind::WorkingDays,
        ),
    );
    assert!(fallback.fallback);
    assert!(fallback.source.starts_with("fallback"));
    let published = check(
        &table,
        &calendars,
        &row(
            "TH",
            "RETURN_AND_REFUND",
            "seller_response",
            "2026-03-09T10:00:00+07:00",
            "2026-03-10T10:00:00+07:00",
            "th.return_and_refund.seller_response",
            DayKind::WorkingDays,
        ),
    );
    assert!(!published.fallback);
    assert!(published.source.contains("4227429091264258"));
}

#[test]
fn a_newer_row_supersedes_the_older_indonesian_rule_from_its_local_date() {
    let newer = DeadlineRule::new(
        "id.return_and_refund.seller_response.2026",
        Some("id"),
        Some(AfterSalesKind::ReturnAndRefund),
        Stage::SellerResponse,
        1,
        DayKind::WorkingDays,
        "test: a newer published rule",
    )
    .effective_from(date("2026-06-01"));
    let table = RuleTable::defaults().with_rule(newer).unwrap();
    let calendars = test_calendars();
    check(
        &table,
        &calendars,
        &row(
            "ID",
            "RETURN_AND_REFUND",
            "seller_response",
            "2026-05-29T10:00:00+07:00",
            "2026-05-31T10:00:00+07:00",
            "id.return_and_refund.seller_response.48h",
            DayKind::Hours,
        ),
    );
    // 17:30 UTC on 31 May is already 1 June in Jakarta: the newer row applies.
    check(
        &table,
        &calendars,
        &row(
            "ID",
            "RETURN_AND_REFUND",
            "seller_response",
            "2026-05-31T17:30:00Z",
            "2026-06-02T00:30:00+07:00",
            "id.return_and_refund.seller_response.2026",
            DayKind::WorkingDays,
        ),
    );
    // Exchanges keep the older rule: the newer row is for returns only.
    check(
        &table,
        &calendars,
        &row(
            "ID",
            "EXCHANGE",
            "seller_response",
            "2026-06-02T10:00:00+07:00",
            "2026-06-04T10:00:00+07:00",
            "id.exchange.seller_response.48h",
            DayKind::Hours,
        ),
    );
}

#[test]
fn deadline_errors_are_clear() {
    let table = RuleTable::defaults();
    let calendars = test_calendars();
    let query = DeadlineQuery {
        market: "TH",
        kind: AfterSalesKind::parse("INSTANT_REFUND"),
        stage: Stage::SellerResponse,
        opened_at: at("2026-03-09T10:00:00Z"),
        time_zone: Tz::Asia__Bangkok,
        refund: None,
    };
    let error = compute_deadline(&table, &query, &calendars).unwrap_err();
    assert!(matches!(error, DeadlineError::NoRule { .. }));
    assert!(error.to_string().contains("INSTANT_REFUND"), "{error}");

    let mut no_working_days = Calendars::default();
    no_working_days.insert(
        "TH",
        WorkCalendar::new(
            vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ],
            BTreeSet::new(),
        ),
    );
    let query = DeadlineQuery {
        kind: AfterSalesKind::ReturnAndRefund,
        ..query
    };
    let error = compute_deadline(&table, &query, &no_working_days).unwrap_err();
    assert!(
        matches!(
            error,
            DeadlineError::Count {
                source: CountError::NoWorkingDay(_),
                ..
            }
        ),
        "{error:?}"
    );

    assert_eq!(
        Stage::parse("seller_reply"),
        Err(RuleError::UnknownStage("seller_reply".to_owned()))
    );
    assert!(DayKind::parse("fortnights").is_err());
    for stage in Stage::ALL {
        assert_eq!(Stage::parse(stage.as_str()), Ok(stage));
    }
    for kind in DayKind::ALL {
        assert_eq!(DayKind::parse(kind.as_str()), Ok(kind));
    }
}

#[test]
fn the_rule_table_rejects_duplicate_ids_ambiguous_rows_and_bad_markets() {
    let rule = |id: &str, market: Option<&str>| {
        DeadlineRule::new(
            id,
            market,
            Some(AfterSalesKind::Refund),
            Stage::SellerResponse,
            2,
            DayKind::CalendarDays,
            "test",
        )
    };
    assert_eq!(
        RuleTable::new(vec![rule("a", Some("TH")), rule("a", Some("VN"))]),
        Err(RuleError::DuplicateId("a".to_owned()))
    );
    assert_eq!(
        RuleTable::new(vec![rule("a", Some("TH")), rule("b", Some("th"))]),
        Err(RuleError::Ambiguous("a".to_owned(), "b".to_owned()))
    );
    assert!(matches!(
        RuleTable::new(vec![rule("a", Some("THA"))]),
        Err(RuleError::InvalidMarket { .. })
    ));
    assert_eq!(
        RuleTable::new(vec![rule(" ", None)]),
        Err(RuleError::EmptyId)
    );
    // Same key but a later effective date is not ambiguous: it supersedes.
    assert!(RuleTable::new(vec![
        rule("a", Some("TH")),
        rule("b", Some("TH")).effective_from(date("2027-01-01")),
    ])
    .is_ok());
    // UK is GB.
    assert_eq!(
        RuleTable::new(vec![rule("a", Some("uk"))]).unwrap().rules()[0]
            .market
            .as_deref(),
        Some("GB")
    );
}

fn computed(due: &str) -> Deadline {
    Deadline {
        due_at: at(due),
        rule_id: "th.return_and_refund.seller_response".to_owned(),
        amount: 1,
        day_kind: DayKind::WorkingDays,
        source: "test".to_owned(),
        fallback: false,
    }
}

#[test]
fn the_platform_deadline_wins_and_a_difference_is_reported() {
    let table_due = computed("2026-03-10T03:00:00Z");

    let agreeing = reconcile(Some(at("2026-03-10T03:02:00Z")), Some(table_due.clone()));
    assert_eq!(agreeing.due_at, Some(at("2026-03-10T03:02:00Z")));
    assert_eq!(agreeing.origin, DeadlineOrigin::Platform);
    assert_eq!(agreeing.discrepancy, None, "within the 5-minute tolerance");

    let later = reconcile(Some(at("2026-03-11T03:00:00Z")), Some(table_due.clone()));
    assert_eq!(later.due_at, Some(at("2026-03-11T03:00:00Z")));
    let discrepancy = later.discrepancy.expect("a day apart is reported");
    assert_eq!(discrepancy.difference, Duration::days(1));
    assert_eq!(discrepancy.rule_id, "th.return_and_refund.seller_response");
    assert!(
        discrepancy.describe().contains("1440 min later"),
        "{}",
        discrepancy.describe()
    );

    let earlier = reconcile(Some(at("2026-03-10T01:00:00Z")), Some(table_due.clone()));
    let discrepancy = earlier.discrepancy.unwrap();
    assert_eq!(discrepancy.difference, Duration::hours(-2));
    assert!(discrepancy.describe().contains("120 min earlier"));

    let tight = reconcile_with_tolerance(
        Some(at("2026-03-10T03:02:00Z")),
        Some(table_due.clone()),
        Duration::seconds(30),
    );
    assert!(tight.discrepancy.is_some());

    let table_only = reconcile(None, Some(table_due.clone()));
    assert_eq!(table_only.due_at, Some(table_due.due_at));
    assert_eq!(table_only.origin, DeadlineOrigin::Table);
    assert_eq!(table_only.computed, Some(table_due));

    let platform_only = reconcile(Some(at("2026-03-10T03:00:00Z")), None);
    assert_eq!(platform_only.origin, DeadlineOrigin::Platform);
    assert_eq!(platform_only.discrepancy, None);

    let neither = reconcile(None, None);
    assert_eq!(neither.due_at, None);
    assert_eq!(neither.origin.as_str(), "none");
}

// ---- State machine ----

fn return_status(status: ReturnStatus) -> CaseStatus {
    CaseStatus::Return(status)
}

#[test]
fn every_return_status_has_its_turn_stage_and_allowed_actions() {
    use ApproveDecision as A;
    use RejectDecision as R;
    use ReturnStatus::*;
    type Expectation = (ReturnStatus, Turn, Option<Stage>, Vec<SellerAction>);
    let cases: Vec<Expectation> = vec![
        (
            RequestPending,
            Turn::Seller,
            Some(Stage::SellerResponse),
            vec![
                SellerAction::Approve(A::ApproveReturn),
                SellerAction::Approve(A::OfferPartialRefund),
                SellerAction::Reject(R::RejectReturn),
            ],
        ),
        (
            RequestRejected,
            Turn::Buyer,
            Some(Stage::BuyerEscalation),
            vec![],
        ),
        (
            AwaitingBuyerShip,
            Turn::Buyer,
            Some(Stage::BuyerShipBack),
            vec![],
        ),
        (
            BuyerShippedItem,
            Turn::Seller,
            Some(Stage::SellerConfirmReceipt),
            vec![
                SellerAction::Approve(A::ApproveReceivedPackage),
                SellerAction::Reject(R::RejectReceivedPackage),
            ],
        ),
        (
            RejectReceivePackage,
            Turn::Buyer,
            Some(Stage::BuyerEscalation),
            vec![],
        ),
        (RequestSuccess, Turn::Nobody, None, vec![]),
        (RequestCancelled, Turn::Nobody, None, vec![]),
        (RequestComplete, Turn::Nobody, None, vec![]),
        (
            ReplacementPending,
            Turn::Seller,
            Some(Stage::SellerResponse),
            vec![],
        ),
        (
            ReplacementRejected,
            Turn::Buyer,
            Some(Stage::BuyerEscalation),
            vec![],
        ),
        (ReplacementRefundSuccess, Turn::Nobody, None, vec![]),
        (ReplacementCancelled, Turn::Nobody, None, vec![]),
        (ReplacementComplete, Turn::Nobody, None, vec![]),
        (
            AwaitingBuyerResponse,
            Turn::Buyer,
            Some(Stage::BuyerOfferResponse),
            vec![],
        ),
    ];
    assert_eq!(
        cases.len(),
        ReturnStatus::KNOWN.len(),
        "every known status is listed"
    );
    for (status, turn, stage, actions) in cases {
        let case_status = return_status(status.clone());
        assert!(case_status.is_known());
        assert_eq!(case_status.turn(None), turn, "{status}");
        assert_eq!(case_status.deadline_stage(None), stage, "{status}");
        assert_eq!(
            case_status.allowed_actions(&AfterSalesKind::ReturnAndRefund),
            actions,
            "{status}"
        );
        assert_eq!(case_status.is_closed(), turn == Turn::Nobody, "{status}");
        assert_eq!(case_status.label(), status.as_str());
    }
}

#[test]
fn pending_actions_follow_the_request_kind() {
    use ApproveDecision as A;
    use RejectDecision as R;
    let pending = return_status(ReturnStatus::RequestPending);
    assert_eq!(
        pending.allowed_actions(&AfterSalesKind::Refund),
        vec![
            SellerAction::Approve(A::ApproveRefund),
            SellerAction::Approve(A::OfferPartialRefund),
            SellerAction::Reject(R::RejectRefund),
        ]
    );
    assert!(pending
        .allowed_actions(&AfterSalesKind::Replacement)
        .is_empty());
    let replacement = return_status(ReturnStatus::ReplacementPending);
    for kind in [
        AfterSalesKind::Replacement,
        AfterSalesKind::Exchange,
        AfterSalesKind::Reshipment,
    ] {
        assert_eq!(
            replacement.allowed_actions(&kind),
            vec![
                SellerAction::Approve(A::ApproveReplacement),
                SellerAction::Approve(A::IssueReplacementRefund),
                SellerAction::Reject(R::RejectReplacement),
            ],
            "{kind}"
        );
    }
    assert!(replacement
        .allowed_actions(&AfterSalesKind::Refund)
        .is_empty());
    assert_eq!(
        SellerAction::Approve(A::OfferPartialRefund).as_str(),
        "OFFER_PARTIAL_REFUND"
    );
    assert_eq!(
        SellerAction::Reject(R::RejectReceivedPackage).as_str(),
        "REJECT_RECEIVED_PACKAGE"
    );
    assert_eq!(ApproveDecision::KNOWN.len(), 6);
    assert_eq!(RejectDecision::KNOWN.len(), 4);
}

#[test]
fn arbitration_changes_whose_turn_it_is_and_opens_the_appeal_window() {
    let rejected = return_status(ReturnStatus::RequestRejected);
    assert_eq!(
        rejected.turn(Some(&ArbitrationStatus::InProgress)),
        Turn::Platform
    );
    assert_eq!(
        rejected.deadline_stage(Some(&ArbitrationStatus::SupportBuyer)),
        Some(Stage::Appeal)
    );
    assert_eq!(
        rejected.deadline_stage(Some(&ArbitrationStatus::SupportSeller)),
        Some(Stage::BuyerEscalation)
    );
    let success = return_status(ReturnStatus::RequestSuccess);
    assert_eq!(
        success.deadline_stage(Some(&ArbitrationStatus::SupportBuyer)),
        Some(Stage::Appeal)
    );
    assert_eq!(success.deadline_stage(None), None);
}

#[test]
fn every_cancellation_status_and_unknown_statuses() {
    let pending = CaseStatus::Cancellation(CancelStatus::Pending);
    assert_eq!(pending.turn(None), Turn::Seller);
    assert_eq!(
        pending.allowed_actions(&AfterSalesKind::Refund),
        vec![
            SellerAction::ApproveCancellation,
            SellerAction::RejectCancellation
        ]
    );
    assert!(pending.is_pending_seller_decision());
    for status in [
        CancelStatus::Success,
        CancelStatus::Cancelled,
        CancelStatus::Complete,
    ] {
        let case_status = CaseStatus::Cancellation(status.clone());
        assert_eq!(case_status.turn(None), Turn::Nobody, "{status}");
        assert!(case_status.is_closed());
        assert!(case_status
            .allowed_actions(&AfterSalesKind::Refund)
            .is_empty());
        assert_eq!(case_status.deadline_stage(None), None);
    }
    assert_eq!(
        CancelStatus::parse("CANCELLATION_REQUEST_CANCEL"),
        CancelStatus::Cancelled
    );

    for unknown in [
        CaseStatus::Return(ReturnStatus::parse("RETURN_OR_REFUND_REQUEST_ON_HOLD")),
        CaseStatus::Cancellation(CancelStatus::parse("CANCELLATION_REQUEST_FROZEN")),
    ] {
        assert!(!unknown.is_known());
        assert_eq!(unknown.turn(None), Turn::Unknown);
        assert!(!unknown.is_closed(), "unknown stays visible");
        assert!(unknown
            .allowed_actions(&AfterSalesKind::ReturnAndRefund)
            .is_empty());
        assert_eq!(unknown.deadline_stage(None), None);
        assert!(unknown.label().starts_with("unknown status "));
        assert!(unknown.label().ends_with(unknown.as_str()));
    }
}

#[test]
fn every_status_transition_is_classified() {
    let statuses: Vec<CaseStatus> = ReturnStatus::KNOWN
        .iter()
        .cloned()
        .map(CaseStatus::Return)
        .collect();
    let mut expected_count = 0;
    for from in &statuses {
        for to in &statuses {
            let check = check_transition(from, to);
            if from == to {
                assert_eq!(check, TransitionCheck::Unchanged);
            } else if check == TransitionCheck::Expected {
                expected_count += 1;
            } else {
                assert_eq!(
                    check,
                    TransitionCheck::Unexpected,
                    "{} → {}",
                    from.as_str(),
                    to.as_str()
                );
            }
        }
    }
    let listed: usize = ReturnStatus::KNOWN
        .iter()
        .map(|status| expected_return_targets(status).len())
        .sum();
    assert_eq!(expected_count, listed);

    use ReturnStatus::*;
    let expect = |from: ReturnStatus, to: ReturnStatus, result| {
        assert_eq!(
            check_transition(
                &CaseStatus::Return(from.clone()),
                &CaseStatus::Return(to.clone())
            ),
            result,
            "{from} → {to}"
        );
    };
    expect(RequestPending, AwaitingBuyerShip, TransitionCheck::Expected);
    expect(RequestPending, RequestSuccess, TransitionCheck::Expected);
    expect(
        AwaitingBuyerShip,
        BuyerShippedItem,
        TransitionCheck::Expected,
    );
    expect(
        BuyerShippedItem,
        RejectReceivePackage,
        TransitionCheck::Expected,
    );
    expect(RequestRejected, RequestPending, TransitionCheck::Expected);
    expect(
        ReplacementPending,
        ReplacementRefundSuccess,
        TransitionCheck::Expected,
    );
    expect(RequestComplete, RequestPending, TransitionCheck::Unexpected);
    expect(
        AwaitingBuyerShip,
        RequestPending,
        TransitionCheck::Unexpected,
    );
    expect(
        RequestPending,
        ReplacementComplete,
        TransitionCheck::Unexpected,
    );
    expect(
        RequestPending,
        ReturnStatus::parse("NEW_STATUS"),
        TransitionCheck::Unknown,
    );
    expect(
        ReturnStatus::parse("NEW_STATUS"),
        RequestSuccess,
        TransitionCheck::Unknown,
    );
    for closed in [
        RequestCancelled,
        RequestComplete,
        ReplacementCancelled,
        ReplacementComplete,
    ] {
        assert!(
            expected_return_targets(&closed).is_empty(),
            "{closed} is terminal"
        );
    }

    let cancel = |from: CancelStatus, to: CancelStatus| {
        check_transition(
            &CaseStatus::Cancellation(from),
            &CaseStatus::Cancellation(to),
        )
    };
    assert_eq!(
        cancel(CancelStatus::Pending, CancelStatus::Success),
        TransitionCheck::Expected
    );
    assert_eq!(
        cancel(CancelStatus::Success, CancelStatus::Complete),
        TransitionCheck::Expected
    );
    assert_eq!(
        cancel(CancelStatus::Complete, CancelStatus::Pending),
        TransitionCheck::Unexpected
    );
    assert!(expected_cancel_targets(&CancelStatus::Cancelled).is_empty());
    assert_eq!(
        check_transition(
            &CaseStatus::Cancellation(CancelStatus::Pending),
            &CaseStatus::Return(RequestPending)
        ),
        TransitionCheck::Unexpected
    );
}

fn status_change(
    at_time: &str,
    actor: ActorRole,
    from: ReturnStatus,
    to: ReturnStatus,
) -> CaseEvent {
    CaseEvent::new(
        at(at_time),
        actor,
        CaseAction::StatusChanged {
            from: Some(CaseStatus::Return(from)),
            to: CaseStatus::Return(to),
        },
    )
}

fn opened(at_time: &str) -> CaseEvent {
    CaseEvent::new(at(at_time), ActorRole::Buyer, CaseAction::Opened)
}

#[test]
fn auto_approval_after_the_deadline_without_a_seller_answer_is_neglect() {
    use ReturnStatus::*;
    let due = at("2026-03-10T03:00:00Z");
    let neglected = vec![
        opened("2026-03-09T03:00:00Z"),
        status_change(
            "2026-03-10T03:00:05Z",
            ActorRole::System,
            RequestPending,
            AwaitingBuyerShip,
        ),
    ];
    let finding = auto_approved_by_neglect(&neglected, due).expect("neglect");
    assert_eq!(finding.pending_since, at("2026-03-09T03:00:00Z"));
    assert_eq!(
        finding.approved_status,
        CaseStatus::Return(AwaitingBuyerShip)
    );

    // The seller approved in time; the platform's status change came later.
    let answered = vec![
        opened("2026-03-09T03:00:00Z"),
        CaseEvent::new(
            at("2026-03-09T20:00:00Z"),
            ActorRole::Seller,
            CaseAction::Approved(ApproveDecision::ApproveReturn),
        ),
        status_change(
            "2026-03-10T04:00:00Z",
            ActorRole::System,
            RequestPending,
            AwaitingBuyerShip,
        ),
    ];
    assert_eq!(auto_approved_by_neglect(&answered, due), None);

    // Approved before the deadline: not neglect even without a logged seller event.
    let early = vec![
        opened("2026-03-09T03:00:00Z"),
        status_change(
            "2026-03-09T05:00:00Z",
            ActorRole::Seller,
            RequestPending,
            RequestSuccess,
        ),
    ];
    assert_eq!(auto_approved_by_neglect(&early, due), None);

    // Rejected (not an approval) after the deadline: not an auto-approval.
    let rejected = vec![
        opened("2026-03-09T03:00:00Z"),
        status_change(
            "2026-03-10T05:00:00Z",
            ActorRole::System,
            RequestPending,
            RequestRejected,
        ),
    ];
    assert_eq!(auto_approved_by_neglect(&rejected, due), None);

    // A seller decision after the deadline does not count, and events arrive unordered.
    let late_answer = vec![
        status_change(
            "2026-03-10T06:00:00Z",
            ActorRole::System,
            RequestPending,
            RequestSuccess,
        ),
        CaseEvent::new(
            at("2026-03-10T04:00:00Z"),
            ActorRole::Seller,
            CaseAction::Rejected {
                decision: RejectDecision::RejectRefund,
                reason: "seller_reject_apply_product_intact".to_owned(),
            },
        ),
        opened("2026-03-09T03:00:00Z"),
    ];
    assert!(auto_approved_by_neglect(&late_answer, due).is_some());

    // A decision by someone other than the seller is not the seller answering.
    let operator = vec![
        opened("2026-03-09T03:00:00Z"),
        CaseEvent::new(
            at("2026-03-09T04:00:00Z"),
            ActorRole::Operator,
            CaseAction::Approved(ApproveDecision::ApproveRefund),
        ),
        status_change(
            "2026-03-10T03:30:00Z",
            ActorRole::Operator,
            RequestPending,
            RequestSuccess,
        ),
    ];
    assert!(auto_approved_by_neglect(&operator, due).is_some());

    assert_eq!(
        count_auto_approved_by_neglect(&[
            (neglected.as_slice(), due),
            (answered.as_slice(), due),
            (late_answer.as_slice(), due),
        ]),
        2
    );
}

#[test]
fn case_events_carry_evidence_and_comments() {
    let event = CaseEvent::new(
        at("2026-03-09T05:00:00Z"),
        ActorRole::Seller,
        CaseAction::Rejected {
            decision: RejectDecision::RejectReceivedPackage,
            reason: "seller_reject_apply_used_item".to_owned(),
        },
    )
    .with_evidence(vec![EvidenceRef {
        kind: EvidenceKind::ReturnUnboxingVideo,
        reference: "img-123".to_owned(),
    }])
    .with_comment("Returned item shows wear");
    assert!(event.action.is_seller_decision());
    assert_eq!(event.evidence.len(), 1);
    assert_eq!(event.comment.as_deref(), Some("Returned item shows wear"));
    assert!(!CaseAction::Note.is_seller_decision());
    assert!(!CaseAction::MissingPartsSent {
        tracking_number: None
    }
    .is_seller_decision());
}

// ---- Evidence, appeal drafts, suggestions ----

#[test]
fn each_dispute_type_lists_what_is_still_missing() {
    let expected_required = [
        (
            DisputeType::NonDelivery,
            vec![EvidenceKind::TrackingScans, EvidenceKind::ProofOfDelivery],
        ),
        (
            DisputeType::NotAsDescribed,
            vec![EvidenceKind::ListingSnapshot, EvidenceKind::ItemPhotos],
        ),
        (
            DisputeType::Damaged,
            vec![EvidenceKind::PackoutPhoto, EvidenceKind::TrackingScans],
        ),
        (
            DisputeType::Defective,
            vec![EvidenceKind::SerialOrBatch, EvidenceKind::QualityCheck],
        ),
        (
            DisputeType::BuyersRemorse,
            vec![EvidenceKind::ListingSnapshot],
        ),
        (
            DisputeType::IncompleteOrUsedReturn,
            vec![
                EvidenceKind::PackoutPhoto,
                EvidenceKind::ReturnUnboxingVideo,
                EvidenceKind::ReturnedItemPhotos,
                EvidenceKind::SerialOrBatch,
            ],
        ),
    ];
    for (dispute, required) in expected_required {
        assert_eq!(DisputeType::parse(dispute.as_str()), Some(dispute));
        let nothing = missing_evidence(dispute, &[]);
        assert_eq!(nothing.required, required, "{}", dispute.as_str());
        assert!(!nothing.is_complete());
        assert!(!nothing.recommended.is_empty());
        let all: Vec<EvidenceItem> = required
            .iter()
            .map(|kind| EvidenceItem::new(*kind, "ref"))
            .collect();
        let complete = missing_evidence(dispute, &all);
        assert!(complete.is_complete(), "{}", dispute.as_str());
        assert_eq!(complete.recommended, checklist(dispute).recommended);
    }
    let partial = missing_evidence(
        DisputeType::IncompleteOrUsedReturn,
        &[
            EvidenceItem::new(EvidenceKind::PackoutPhoto, "img-1"),
            EvidenceItem::new(EvidenceKind::ReturnWeight, "0.4 kg"),
        ],
    );
    assert_eq!(
        partial.required,
        vec![
            EvidenceKind::ReturnUnboxingVideo,
            EvidenceKind::ReturnedItemPhotos,
            EvidenceKind::SerialOrBatch
        ]
    );
    assert_eq!(
        partial.recommended,
        vec![
            EvidenceKind::ReturnTrackingScans,
            EvidenceKind::DispatchWeight
        ]
    );
    assert_eq!(DisputeType::parse("lost"), None);
}

#[test]
fn the_appeal_draft_assembles_evidence_and_flags_what_is_missing() {
    let case_id = CaseId::new("5770001");
    let order_id = OrderId::new("5780002");
    let refund = Money::parse("39.90", "USD").unwrap();
    let evidence = vec![
        EvidenceItem::new(EvidenceKind::PackoutPhoto, "img-pack-1")
            .with_note("charger and cable in the box before sealing"),
        EvidenceItem::new(EvidenceKind::ReturnUnboxingVideo, "vid-9"),
    ];
    let input = AppealInput {
        case_id: &case_id,
        order_id: &order_id,
        dispute: DisputeType::IncompleteOrUsedReturn,
        decision: "refund granted after the return was received",
        refund: Some(&refund),
        seller_statement: "The returned box held the headset without its charger.",
        evidence: &evidence,
    };
    let draft = build_appeal_draft(&input);
    assert!(draft.text.contains("5770001") && draft.text.contains("5780002"));
    assert!(draft.text.contains("39.9 USD"));
    assert!(draft.text.contains("without its charger"));
    assert!(draft.text.contains(
        "1. A packing photo showing the item inside the parcel (ref img-pack-1): charger and cable"
    ));
    assert!(draft
        .text
        .contains("2. An uncut video of opening the returned parcel (ref vid-9)\n"));
    assert!(draft.text.contains("Still to attach before submitting: photos of the item that came back; the serial or batch number of the unit."));
    assert_eq!(
        draft.missing_required,
        vec![
            EvidenceKind::ReturnedItemPhotos,
            EvidenceKind::SerialOrBatch
        ]
    );
    assert!(!draft.is_ready());

    let mut full = evidence.clone();
    full.push(EvidenceItem::new(
        EvidenceKind::ReturnedItemPhotos,
        "img-r1",
    ));
    full.push(EvidenceItem::new(EvidenceKind::SerialOrBatch, "SN-778"));
    let ready = build_appeal_draft(&AppealInput {
        evidence: &full,
        ..input.clone()
    });
    assert!(ready.is_ready());
    assert!(!ready.text.contains("Still to attach"));

    let empty = build_appeal_draft(&AppealInput {
        evidence: &[],
        refund: None,
        ..input
    });
    assert!(empty.text.contains("No evidence is attached yet."));
    assert!(!empty.text.contains("Amount at stake"));
}

fn facts() -> CaseFacts {
    CaseFacts {
        kind: Some(AfterSalesKind::ReturnAndRefund),
        ..CaseFacts::default()
    }
}

fn usd(amount: &str) -> Option<Money> {
    Some(Money::parse(amount, "USD").unwrap())
}

#[test]
fn suggestions_follow_the_facts_with_a_reason() {
    let thresholds = LowValueThresholds::default();
    let suggest = |facts: CaseFacts| suggest_action(&facts, &thresholds);

    let missing_part = suggest(CaseFacts {
        missing_part: true,
        refund: usd("5"),
        ..facts()
    });
    assert_eq!(missing_part.action, SuggestedAction::SendMissingPart);
    assert!(missing_part.reason.contains("part"));

    let used_without_evidence = suggest(CaseFacts {
        returned_item_used_or_incomplete: true,
        evidence: vec![EvidenceItem::new(EvidenceKind::PackoutPhoto, "img")],
        ..facts()
    });
    assert_eq!(
        used_without_evidence.action,
        SuggestedAction::RejectUponReceiptWithEvidence
    );
    assert_eq!(used_without_evidence.missing_evidence.len(), 3);
    assert!(used_without_evidence.reason.contains("first gather"));
    let used_with_evidence = suggest(CaseFacts {
        dispute: Some(DisputeType::IncompleteOrUsedReturn),
        evidence: checklist(DisputeType::IncompleteOrUsedReturn)
            .required
            .into_iter()
            .map(|kind| EvidenceItem::new(kind, "ref"))
            .collect(),
        ..facts()
    });
    assert!(used_with_evidence.missing_evidence.is_empty());
    assert!(used_with_evidence.reason.contains("is attached"));

    let wrong_variant = suggest(CaseFacts {
        wrong_variant_sent: true,
        ..facts()
    });
    assert_eq!(wrong_variant.action, SuggestedAction::OfferExchange);

    let damaged_with_packout = suggest(CaseFacts {
        damaged_in_transit: true,
        evidence: vec![EvidenceItem::new(EvidenceKind::PackoutPhoto, "img")],
        ..facts()
    });
    assert_eq!(
        damaged_with_packout.action,
        SuggestedAction::ApproveAndFileCarrierClaim
    );
    let damaged_without = suggest(CaseFacts {
        dispute: Some(DisputeType::Damaged),
        ..facts()
    });
    assert_eq!(damaged_without.action, SuggestedAction::ApproveRequest);
    assert_eq!(
        damaged_without.missing_evidence,
        vec![EvidenceKind::PackoutPhoto]
    );

    let cheap = suggest(CaseFacts {
        refund: usd("9.99"),
        dispute: Some(DisputeType::BuyersRemorse),
        ..facts()
    });
    assert_eq!(cheap.action, SuggestedAction::RefundWithoutReturn);
    assert!(cheap.reason.contains("9.99 USD"), "{}", cheap.reason);
    let at_threshold = suggest(CaseFacts {
        refund: usd("10"),
        ..facts()
    });
    assert_eq!(at_threshold.action, SuggestedAction::RefundWithoutReturn);
    let above_threshold = suggest(CaseFacts {
        refund: usd("10.01"),
        dispute: Some(DisputeType::BuyersRemorse),
        ..facts()
    });
    assert_eq!(above_threshold.action, SuggestedAction::ApproveReturn);
    // A currency without a threshold is never low value.
    let unknown_currency = suggest(CaseFacts {
        refund: Some(Money::parse("1", "CHF").unwrap()),
        ..facts()
    });
    assert_eq!(unknown_currency.action, SuggestedAction::ReviewManually);
    // Thresholds are configurable per currency.
    let mut strict = LowValueThresholds::default();
    strict.by_currency.insert(
        shopcare_core::Currency::parse("USD").unwrap(),
        rust_decimal::Decimal::ONE,
    );
    assert_eq!(
        suggest_action(
            &CaseFacts {
                refund: usd("9.99"),
                ..facts()
            },
            &strict
        )
        .action,
        SuggestedAction::ReviewManually
    );

    let delivered = suggest(CaseFacts {
        dispute: Some(DisputeType::NonDelivery),
        delivered_per_tracking: true,
        evidence: vec![
            EvidenceItem::new(EvidenceKind::TrackingScans, "TRK1"),
            EvidenceItem::new(EvidenceKind::ProofOfDelivery, "pod.jpg"),
        ],
        ..facts()
    });
    assert_eq!(delivered.action, SuggestedAction::RejectWithEvidence);
    assert!(delivered.missing_evidence.is_empty());
    let delivered_no_pod = suggest(CaseFacts {
        dispute: Some(DisputeType::NonDelivery),
        delivered_per_tracking: true,
        ..facts()
    });
    assert_eq!(delivered_no_pod.action, SuggestedAction::RejectWithEvidence);
    assert_eq!(delivered_no_pod.missing_evidence.len(), 2);
    let not_delivered = suggest(CaseFacts {
        dispute: Some(DisputeType::NonDelivery),
        ..facts()
    });
    assert_eq!(not_delivered.action, SuggestedAction::ApproveRequest);

    let defective = suggest(CaseFacts {
        dispute: Some(DisputeType::Defective),
        ..facts()
    });
    assert_eq!(defective.action, SuggestedAction::OfferReplacement);

    let small_refund_only = suggest(CaseFacts {
        kind: Some(AfterSalesKind::Refund),
        refund: Some(Money::parse("120000", "IDR").unwrap()),
        ..facts()
    });
    assert_eq!(small_refund_only.action, SuggestedAction::ApproveRequest);
    assert!(small_refund_only.reason.contains("IDR"));

    let nothing = suggest(facts());
    assert_eq!(nothing.action, SuggestedAction::ReviewManually);
    assert_eq!(nothing.action.as_str(), "review_manually");
}

// ---- Queue and warnings ----

#[test]
fn the_queue_sorts_by_time_left_with_undated_cases_last() {
    let now = at("2026-03-09T12:00:00Z");
    assert_eq!(
        time_left(at("2026-03-09T14:30:00Z"), now),
        Duration::minutes(150)
    );
    assert_eq!(
        time_left(at("2026-03-09T11:00:00Z"), now),
        Duration::hours(-1)
    );

    let mut cases = [
        ("c-none", None),
        ("c-later", Some(at("2026-03-10T12:00:00Z"))),
        ("c-overdue", Some(at("2026-03-09T11:00:00Z"))),
        ("b-soon", Some(at("2026-03-09T13:00:00Z"))),
        ("a-soon", Some(at("2026-03-09T13:00:00Z"))),
        ("a-none", None),
    ];
    cases.sort_by_key(|(id, due)| queue_sort_key(*due, id));
    let order: Vec<&str> = cases.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        order,
        vec![
            "c-overdue",
            "a-soon",
            "b-soon",
            "c-later",
            "a-none",
            "c-none"
        ]
    );
}

#[test]
fn warnings_fire_once_per_lead_time_crossed() {
    let policy = WarningPolicy::default();
    let due = at("2026-03-10T00:00:00Z");
    assert!(policy
        .due_warnings(due, at("2026-03-09T11:59:59Z"), &[])
        .is_empty());
    assert_eq!(
        policy.due_warnings(due, at("2026-03-09T12:00:00Z"), &[]),
        vec![Duration::hours(12)]
    );
    assert!(policy
        .due_warnings(due, at("2026-03-09T15:00:00Z"), &[Duration::hours(12)])
        .is_empty());
    assert_eq!(
        policy.due_warnings(due, at("2026-03-09T23:00:00Z"), &[Duration::hours(12)]),
        vec![Duration::hours(2)]
    );
    // Seen late: both crossed, longest first.
    assert_eq!(
        policy.due_warnings(due, at("2026-03-09T23:30:00Z"), &[]),
        vec![Duration::hours(12), Duration::hours(2)]
    );
    // Overdue still reports lead times never warned about.
    assert_eq!(
        policy.due_warnings(due, at("2026-03-10T01:00:00Z"), &[Duration::hours(12)]),
        vec![Duration::hours(2)]
    );

    let custom = WarningPolicy::new(vec![
        Duration::hours(1),
        Duration::hours(24),
        Duration::hours(1),
        Duration::zero(),
    ])
    .unwrap();
    assert_eq!(
        custom.lead_times(),
        &[Duration::hours(24), Duration::hours(1), Duration::zero()]
    );
    assert_eq!(
        custom.due_warnings(
            due,
            at("2026-03-10T00:00:00Z"),
            &[Duration::hours(24), Duration::hours(1)]
        ),
        vec![Duration::zero()]
    );
    assert!(WarningPolicy::new(vec![Duration::hours(-1)]).is_err());
}

// ---- KPIs ----

fn kpi_case(id: &str, kind: AfterSalesKind, skus: &[&str], reason: Option<&str>) -> AfterSalesCase {
    AfterSalesCase {
        id: CaseId::new(id),
        shop_id: ShopId::new("shop-1"),
        order_id: OrderId::new(format!("order-{id}")),
        kind,
        status: ReturnStatus::RequestComplete,
        arbitration_status: None,
        role: Some(ActorRole::Buyer),
        reason: reason.map(str::to_owned),
        reason_text: None,
        refund_total: None,
        next_actions: Vec::new(),
        line_items: skus
            .iter()
            .enumerate()
            .map(|(index, sku)| ReturnLineItem {
                id: format!("{id}-{index}"),
                order_line_item_id: format!("{id}-line-{index}"),
                sku_id: SkuId::new(*sku),
                product_name: "item".to_owned(),
                refund_amount: None,
            })
            .collect(),
        return_tracking_number: None,
        create_time: at("2026-03-01T00:00:00Z"),
        update_time: at("2026-03-02T00:00:00Z"),
    }
}

#[test]
fn refund_and_return_rates_by_sku_are_exact() {
    let cases = vec![
        kpi_case("1", AfterSalesKind::Refund, &["sku-a"], None),
        kpi_case(
            "2",
            AfterSalesKind::ReturnAndRefund,
            &["sku-a", "sku-a"],
            None,
        ),
        kpi_case("3", AfterSalesKind::Exchange, &["sku-b"], None),
        kpi_case("4", AfterSalesKind::Replacement, &["sku-b"], None),
        kpi_case("5", AfterSalesKind::Refund, &["sku-c"], None),
    ];
    let delivered: BTreeMap<SkuId, u64> = [("sku-a", 30_u64), ("sku-b", 3), ("sku-d", 10)]
        .into_iter()
        .map(|(sku, units)| (SkuId::new(sku), units))
        .collect();
    let refunds = refund_rate_by_sku(&cases, &delivered);
    let a = &refunds[&SkuId::new("sku-a")];
    assert_eq!((a.case_units, a.delivered_units), (3, 30));
    assert_eq!(a.rate.unwrap().to_string(), "0.1");
    assert_eq!(refunds[&SkuId::new("sku-b")].case_units, 0);
    assert_eq!(refunds[&SkuId::new("sku-b")].rate.unwrap().to_string(), "0");
    assert_eq!(refunds[&SkuId::new("sku-c")].rate, None, "no deliveries");
    assert_eq!(refunds[&SkuId::new("sku-d")].case_units, 0);

    let returns = return_rate_by_sku(&cases, &delivered);
    assert_eq!(returns[&SkuId::new("sku-a")].case_units, 2);
    assert_eq!(
        returns[&SkuId::new("sku-b")].rate.unwrap().to_string(),
        "0.333333"
    );
}

#[test]
fn fault_shares_come_from_reasons() {
    let table = FaultTable::default();
    assert_eq!(
        table.classify("ecom_order_delivered_refund_and_return_reason_wrong_item"),
        Fault::Seller
    );
    assert_eq!(table.classify("Item damaged"), Fault::Seller);
    assert_eq!(table.classify("No longer needed"), Fault::Buyer);
    assert_eq!(table.classify("package_not_received"), Fault::Logistics);
    assert_eq!(table.classify("something else"), Fault::Unknown);

    let mut by_text = kpi_case("6", AfterSalesKind::Refund, &[], Some("reason_code_42"));
    by_text.reason_text = Some("Ordered by mistake".to_owned());
    let cases = vec![
        kpi_case("1", AfterSalesKind::Refund, &[], Some("wrong_item")),
        kpi_case("2", AfterSalesKind::Refund, &[], Some("missing_parts")),
        kpi_case("3", AfterSalesKind::Refund, &[], Some("defective")),
        kpi_case("4", AfterSalesKind::Refund, &[], Some("changed_mind")),
        kpi_case("5", AfterSalesKind::Refund, &[], None),
        by_text,
        kpi_case("7", AfterSalesKind::Refund, &[], Some("parcel lost")),
        kpi_case("8", AfterSalesKind::Refund, &[], Some("not_as_described")),
    ];
    let counts = fault_counts(&cases, &table);
    assert_eq!(
        (
            counts.seller,
            counts.buyer,
            counts.logistics,
            counts.unknown
        ),
        (4, 2, 1, 1)
    );
    assert_eq!(counts.seller_share().unwrap().to_string(), "0.5");
    assert_eq!(counts.buyer_share().unwrap().to_string(), "0.25");
    assert_eq!(fault_counts(&[], &table).seller_share(), None);
}

#[test]
fn handling_times_and_their_median() {
    let events = vec![
        opened("2026-03-09T00:00:00Z"),
        CaseEvent::new(
            at("2026-03-09T01:00:00Z"),
            ActorRole::Seller,
            CaseAction::Note,
        ),
        CaseEvent::new(
            at("2026-03-09T05:30:00Z"),
            ActorRole::Seller,
            CaseAction::Approved(ApproveDecision::ApproveRefund),
        ),
    ];
    assert_eq!(handling_time(&events), Some(Duration::minutes(330)));
    assert_eq!(handling_time(&events[..2]), None, "no decision yet");
    assert_eq!(handling_time(&[]), None);

    assert_eq!(median_duration(&[]), None);
    assert_eq!(
        median_duration(&[Duration::hours(5), Duration::hours(1), Duration::hours(3)]),
        Some(Duration::hours(3))
    );
    assert_eq!(
        median_duration(&[
            Duration::hours(4),
            Duration::hours(1),
            Duration::hours(2),
            Duration::hours(9)
        ]),
        Some(Duration::minutes(180))
    );
}

#[test]
fn a_case_deadline_uses_its_status_stage_and_the_platform_figure_for_seller_stages() {
    use shopcare_core::SellerNextAction;
    let table = RuleTable::defaults();
    let calendars = test_calendars();
    let mut case = kpi_case("9", AfterSalesKind::ReturnAndRefund, &["sku-a"], None);
    case.status = ReturnStatus::RequestPending;
    case.next_actions = vec![
        SellerNextAction {
            action: "SELLER_RESPOND_RETURN".to_owned(),
            deadline: Some(at("2026-03-11T03:00:00Z")),
        },
        SellerNextAction {
            action: "SELLER_RESPOND_REFUND".to_owned(),
            deadline: Some(at("2026-03-10T03:00:00Z")),
        },
        SellerNextAction {
            action: "SELLER_NOTE".to_owned(),
            deadline: None,
        },
    ];
    assert_eq!(
        platform_deadline(&case.next_actions),
        Some(at("2026-03-10T03:00:00Z"))
    );
    let opened = at("2026-03-09T10:00:00+07:00");
    let pending = case_deadline(&table, &calendars, &case, "TH", Tz::Asia__Bangkok, opened);
    assert_eq!(pending.stage, Some(Stage::SellerResponse));
    assert_eq!(pending.effective.origin, DeadlineOrigin::Platform);
    assert_eq!(pending.effective.due_at, Some(at("2026-03-10T03:00:00Z")));
    assert_eq!(
        pending.effective.discrepancy, None,
        "1 working day = same instant"
    );
    assert_eq!(pending.table_error, None);

    // Awaiting the buyer's parcel: the seller-action deadline does not apply.
    case.status = ReturnStatus::AwaitingBuyerShip;
    let shipping = case_deadline(&table, &calendars, &case, "TH", Tz::Asia__Bangkok, opened);
    assert_eq!(shipping.stage, Some(Stage::BuyerShipBack));
    assert_eq!(shipping.effective.origin, DeadlineOrigin::Table);
    assert_eq!(
        shipping.effective.due_at,
        Some(at("2026-03-14T10:00:00+07:00"))
    );

    // No table rule for a new kind, but the platform's deadline still stands.
    case.status = ReturnStatus::RequestPending;
    case.kind = AfterSalesKind::parse("PRICE_PROTECTION");
    let unknown_kind = case_deadline(&table, &calendars, &case, "TH", Tz::Asia__Bangkok, opened);
    assert_eq!(unknown_kind.effective.origin, DeadlineOrigin::Platform);
    assert!(matches!(
        unknown_kind.table_error,
        Some(DeadlineError::NoRule { .. })
    ));

    case.status = ReturnStatus::RequestComplete;
    let closed = case_deadline(&table, &calendars, &case, "TH", Tz::Asia__Bangkok, opened);
    assert_eq!(closed.stage, None);
    assert_eq!(closed.effective.due_at, None);
}

#[test]
fn the_higher_refund_threshold_wins_and_absurd_years_are_refused() {
    let usd = |amount: i64| {
        Money::new(
            rust_decimal::Decimal::from(amount),
            shopcare_core::Currency::parse("USD").unwrap(),
        )
    };
    let over_200 = DeadlineRule::new(
        "us.return_and_refund.seller_response.over_200_usd",
        Some("US"),
        Some(AfterSalesKind::ReturnAndRefund),
        Stage::SellerResponse,
        5,
        DayKind::BusinessDays,
        "test",
    )
    .when(RuleCondition::RefundOver(usd(200)));
    let table = RuleTable::defaults().with_rule(over_200).unwrap();
    let select = |refund: i64| {
        table
            .select(
                "US",
                &AfterSalesKind::ReturnAndRefund,
                Stage::SellerResponse,
                date("2026-03-09"),
                Some(&usd(refund)),
            )
            .unwrap()
            .id
            .clone()
    };
    assert_eq!(
        select(250),
        "us.return_and_refund.seller_response.over_200_usd"
    );
    assert_eq!(
        select(150),
        "us.return_and_refund.seller_response.over_100_usd"
    );
    assert_eq!(select(50), "us.return_and_refund.seller_response");

    let query = DeadlineQuery {
        market: "US",
        kind: AfterSalesKind::Refund,
        stage: Stage::SellerResponse,
        opened_at: DateTime::<Utc>::MAX_UTC,
        time_zone: Tz::Asia__Tokyo,
        refund: None,
    };
    assert!(matches!(
        compute_deadline(&table, &query, &Calendars::default()),
        Err(DeadlineError::OpenedAtOutOfRange(_))
    ));
}
