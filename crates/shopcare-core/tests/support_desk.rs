//! Tickets (triage, priority, checklist), saved replies, and the voice-of-customer log on
//! generated data with an injected defect and fix date.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use shopcare_core::classify::SupportCategory;
use shopcare_core::support::{
    compare_fix, escalations, parse_support_category, render_saved_reply, ticket_priority,
    triage_conversation, validate_saved_reply, weekly_frequency, Checklist, ChecklistEntry,
    ChecklistError, ChecklistStep, EscalationRule, IssueReport, PriorityFacts, PriorityReason,
    ReportSource, SavedReplyError, SkuEvents, TicketPriority,
};
use shopcare_core::{ConversationId, Message, MessageId, SenderRole, ShopId, SkuId, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn buyer_messages(texts: &[&str]) -> Vec<Message> {
    texts
        .iter()
        .enumerate()
        .map(|(position, text)| Message {
            id: MessageId::new(format!("m{position}")),
            conversation_id: ConversationId::new("c1"),
            shop_id: ShopId::new("shop-1"),
            index: i64::try_from(position).unwrap(),
            sender_role: SenderRole::Buyer,
            kind: "TEXT".to_owned(),
            text: (*text).to_owned(),
            create_time: at("2026-03-02T00:00:00Z") + Duration::minutes(position as i64),
            is_visible: true,
        })
        .collect()
}

#[test]
fn triage_suggests_a_category_from_the_buyers_messages() {
    let suggestion = triage_conversation(&buyer_messages(&[
        "hi",
        "my tracking has not updated for a week, where is my parcel?",
    ]));
    assert_eq!(suggestion.category, Some(SupportCategory::Shipping));
    assert_eq!(suggestion.evidence_message.unwrap().as_str(), "m1");

    let suggestion = triage_conversation(&buyer_messages(&[
        "how do i pair it with my phone?",
        "thanks",
    ]));
    assert_eq!(suggestion.category, Some(SupportCategory::Usage));

    let suggestion = triage_conversation(&buyer_messages(&[
        "the lamp arrived broken, the glass is cracked",
    ]));
    assert_eq!(suggestion.category, Some(SupportCategory::ProductIssue));

    let suggestion = triage_conversation(&buyer_messages(&["hello", "thank you"]));
    assert_eq!(suggestion.category, None);
    assert!(suggestion.votes.is_empty());

    assert_eq!(
        parse_support_category("expectation_mismatch"),
        Some(SupportCategory::ExpectationMismatch)
    );
    assert_eq!(parse_support_category("refund"), None);
}

#[test]
fn priority_rises_for_negative_reviewers_and_cases_near_their_deadline() {
    let now = at("2026-03-02T00:00:00Z");
    let near = Duration::hours(12);
    let calm = PriorityFacts {
        lowest_review_stars: Some(4),
        case_due_at: Some(now + Duration::days(2)),
    };
    assert_eq!(ticket_priority(&calm, near, now).0, TicketPriority::Normal);
    let reviewer = PriorityFacts {
        lowest_review_stars: Some(2),
        case_due_at: None,
    };
    assert_eq!(
        ticket_priority(&reviewer, near, now),
        (TicketPriority::High, vec![PriorityReason::NegativeReview])
    );
    let both = PriorityFacts {
        lowest_review_stars: Some(1),
        case_due_at: Some(now + Duration::hours(3)),
    };
    assert_eq!(ticket_priority(&both, near, now).0, TicketPriority::Urgent);
    let overdue = PriorityFacts {
        lowest_review_stars: None,
        case_due_at: Some(now - Duration::hours(1)),
    };
    assert_eq!(
        ticket_priority(&overdue, near, now).1,
        vec![PriorityReason::CaseNearDeadline]
    );
}

fn entry(step: ChecklistStep, detail: Option<&str>) -> ChecklistEntry {
    ChecklistEntry {
        step,
        done_at: at("2026-03-02T00:00:00Z"),
        by: "ana".to_owned(),
        detail: detail.map(str::to_owned),
        skipped: false,
    }
}

#[test]
fn the_checklist_runs_in_order_and_proof_is_collected_once() {
    let mut checklist = Checklist::default();
    assert_eq!(
        checklist.record(entry(ChecklistStep::Diagnose, Some("defect"))),
        Err(ChecklistError::OutOfOrder {
            step: "diagnose",
            missing: "acknowledge"
        })
    );
    assert_eq!(
        checklist.record(entry(ChecklistStep::Acknowledge, None)),
        Err(ChecklistError::MissingDetail("acknowledge"))
    );
    checklist
        .record(entry(
            ChecklistStep::Acknowledge,
            Some("answer within 24 h"),
        ))
        .unwrap();
    checklist
        .record(entry(ChecklistStep::CollectProof, None))
        .unwrap();
    assert_eq!(
        checklist.record(entry(ChecklistStep::CollectProof, None)),
        Err(ChecklistError::AlreadyDone("collect_proof"))
    );
    let mut skipped = entry(ChecklistStep::Diagnose, Some("x"));
    skipped.skipped = true;
    assert_eq!(checklist.record(skipped), Err(ChecklistError::NotSkippable));
    for (step, detail) in [
        (ChecklistStep::Diagnose, Some("defect")),
        (ChecklistStep::Resolution, Some("replacement part")),
        (ChecklistStep::ConfirmInWriting, None),
        (ChecklistStep::RootCauseTag, Some("fragile_part")),
    ] {
        assert_eq!(checklist.next_step(), Some(step));
        checklist.record(entry(step, detail)).unwrap();
    }
    assert_eq!(checklist.next_step(), None);
    assert_eq!(checklist.root_cause_tag(), Some("fragile_part"));
    assert_eq!(
        ChecklistStep::parse("confirm_in_writing"),
        Some(ChecklistStep::ConfirmInWriting)
    );
}

#[test]
fn saved_replies_are_validated_when_saved_and_filled_before_sending() {
    let body = "Thanks for the photos of order {order_id}. We will send a new {item} ({variant}) \
                and reply here within {response_hours} hours.";
    let valid =
        validate_saved_reply(SupportCategory::ProductIssue, "EN", body, Some("US")).unwrap();
    assert_eq!(valid.language, "en");
    assert_eq!(
        valid.variables,
        vec!["order_id", "item", "variant", "response_hours"]
    );

    assert_eq!(
        validate_saved_reply(SupportCategory::Usage, "en", "Hi {buyer_first_name}!", None),
        Err(SavedReplyError::UnknownVariable(
            "buyer_first_name".to_owned()
        ))
    );
    assert_eq!(
        validate_saved_reply(SupportCategory::Usage, "en", "See {item for details", None),
        Err(SavedReplyError::UnbalancedBrace(4))
    );
    assert_eq!(
        validate_saved_reply(SupportCategory::Usage, "en", "Sorry } again", None),
        Err(SavedReplyError::UnbalancedBrace(6))
    );
    assert!(matches!(
        validate_saved_reply(SupportCategory::Usage, "fr", "Bonjour", None),
        Err(SavedReplyError::UnsupportedLanguage(_))
    ));
    let blocked = validate_saved_reply(
        SupportCategory::Shipping,
        "en",
        "Message us on WhatsApp at +1 415 555 0100 about {order_id}.",
        Some("US"),
    );
    assert!(
        matches!(blocked, Err(SavedReplyError::NotCompliant(ref findings)) if !findings.is_empty()),
        "{blocked:?}"
    );

    let mut values = BTreeMap::new();
    values.insert("order_id".to_owned(), "576123".to_owned());
    values.insert("item".to_owned(), "desk lamp".to_owned());
    values.insert("variant".to_owned(), "blue".to_owned());
    assert_eq!(
        render_saved_reply(body, &values),
        Err(SavedReplyError::MissingValue("response_hours".to_owned()))
    );
    values.insert("response_hours".to_owned(), "24".to_owned());
    let text = render_saved_reply(body, &values).unwrap();
    assert!(text.contains("order 576123"));
    assert!(text.contains("new desk lamp (blue)"));
    assert!(!text.contains('{'));
}

/// A small deterministic generator, so the data is the same on every run.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
}

/// 60 days of orders for two SKUs; the defective SKU refunds at 20 % and draws 10 %
/// negative reviews until the fix day, then 2 % and 1 %; the other SKU stays at 3 % / 1 %.
/// Buyers of the defective SKU report the defect in chats before the fix.
fn generated(fix_day: NaiveDate) -> (SkuEvents, Vec<IssueReport>) {
    let mut generator = Generator(0x5eed_cafe);
    let mut events = SkuEvents::default();
    let mut reports = Vec::new();
    let start = at("2026-02-01T00:00:00Z");
    let fix_start = fix_day.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::hours(8);
    for day in 0..60 {
        for order in 0..40 {
            let placed = start + Duration::days(day) + Duration::minutes(order * 30);
            let defective = order % 2 == 0;
            let sku = SkuId::new(if defective { "sku-hinge" } else { "sku-other" });
            events.orders.push((sku.clone(), placed));
            let before_fix = placed < fix_start;
            let (refund, negative) = match (defective, before_fix) {
                (true, true) => (200, 100),
                (true, false) => (20, 10),
                (false, _) => (30, 10),
            };
            if generator.chance(refund) {
                events
                    .refunds
                    .push((sku.clone(), placed + Duration::hours(30)));
                if defective && before_fix && generator.chance(500) {
                    reports.push(IssueReport {
                        shop_id: ShopId::new("shop-1"),
                        reported_at: placed + Duration::hours(26),
                        category: SupportCategory::ProductIssue,
                        root_cause: "fragile_part".to_owned(),
                        sku_id: Some(sku.clone()),
                        source: ReportSource::Chat,
                        source_id: format!("conv-{day}-{order}"),
                    });
                }
            }
            if generator.chance(negative) {
                events
                    .negative_reviews
                    .push((sku.clone(), placed + Duration::days(5)));
            }
        }
    }
    (events, reports)
}

#[test]
fn the_fix_is_judged_by_same_length_windows_either_side_of_its_date() {
    let fix_day = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    let (events, reports) = generated(fix_day);
    let affected: BTreeSet<SkuId> = [SkuId::new("sku-hinge")].into_iter().collect();
    let now = at("2026-04-10T00:00:00Z");
    let comparison = compare_fix(
        fix_day,
        14,
        &affected,
        &events,
        Tz::America__Los_Angeles,
        now,
    )
    .unwrap();
    assert_eq!(comparison.window_days, 14);
    // Feb 17 00:00 PST → Mar 3 00:00 PST → Mar 17 00:00 PDT (DST began Mar 8).
    assert_eq!(comparison.before.from, at("2026-02-17T08:00:00Z"));
    assert_eq!(comparison.after.from, at("2026-03-03T08:00:00Z"));
    assert_eq!(comparison.after.until, at("2026-03-17T07:00:00Z"));
    // 20 orders a day of the affected SKU, on each side.
    assert!(
        (270..=290).contains(&comparison.before.orders),
        "{comparison:?}"
    );
    assert!(
        (270..=290).contains(&comparison.after.orders),
        "{comparison:?}"
    );
    let before = comparison.before.refund_rate().unwrap();
    let after = comparison.after.refund_rate().unwrap();
    assert!(before > 0.12 && after < 0.06, "{before} → {after}");
    assert!(
        comparison.before.negative_review_rate().unwrap()
            > comparison.after.negative_review_rate().unwrap()
    );
    assert_eq!(comparison.improved(), Some(true));

    // The unaffected SKU saw no change worth the name, and is not counted above.
    let other: BTreeSet<SkuId> = [SkuId::new("sku-other")].into_iter().collect();
    let control = compare_fix(fix_day, 14, &other, &events, Tz::America__Los_Angeles, now).unwrap();
    assert!(control.before.refund_rate().unwrap() < 0.08);

    // Five days after the fix, both windows shrink to five days.
    let early = compare_fix(
        fix_day,
        14,
        &affected,
        &events,
        Tz::America__Los_Angeles,
        at("2026-03-08T12:00:00Z"),
    )
    .unwrap();
    assert_eq!(early.window_days, 5);
    assert_eq!(
        compare_fix(
            fix_day,
            14,
            &affected,
            &events,
            Tz::America__Los_Angeles,
            at("2026-03-03T12:00:00Z")
        ),
        None
    );

    // The injected defect shows in the weekly log and is escalated.
    let weekly = weekly_frequency(&reports, Tz::America__Los_Angeles);
    assert_eq!(weekly.len(), 1);
    let (key, weeks) = weekly.iter().next().unwrap();
    assert_eq!(
        (key.category, key.root_cause.as_str()),
        ("product_issue", "fragile_part")
    );
    assert!(weeks
        .keys()
        .all(|monday| monday.format("%a").to_string() == "Mon"));
    assert_eq!(weeks.values().sum::<u32>() as usize, reports.len());
    let found = escalations(&reports, &EscalationRule::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].sku_id.as_str(), "sku-hinge");
    assert!(found[0].reports >= 3);
}

#[test]
fn escalation_counts_distinct_threads_within_the_span_and_ignores_reviews() {
    let report = |source_id: &str, day: i64, source: ReportSource| IssueReport {
        shop_id: ShopId::new("shop-1"),
        reported_at: at("2026-03-01T00:00:00Z") + Duration::days(day),
        category: SupportCategory::ProductIssue,
        root_cause: "packout_error".to_owned(),
        sku_id: Some(SkuId::new("sku-1")),
        source,
        source_id: source_id.to_owned(),
    };
    let rule = EscalationRule::default();
    // Same chat twice, a review, and a comment 8 days later: never three in 7 days.
    let sparse = vec![
        report("c1", 0, ReportSource::Chat),
        report("c1", 1, ReportSource::Chat),
        report("r1", 1, ReportSource::Review),
        report("c2", 2, ReportSource::Chat),
        report("k1", 10, ReportSource::Comment),
    ];
    assert!(escalations(&sparse, &rule).is_empty());
    let mut dense = sparse.clone();
    dense.push(report("k2", 5, ReportSource::Comment));
    let found = escalations(&dense, &rule);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].reports, 3);
    assert_eq!(found[0].first_reported_at, at("2026-03-01T00:00:00Z"));
    assert_eq!(found[0].last_reported_at, at("2026-03-06T00:00:00Z"));
}
