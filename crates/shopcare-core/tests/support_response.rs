//! The response-time engine against hand-computed expectations: every exclusion, the US
//! weekend rule across both DST changes, the 30-day window and per-agent figures.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use shopcare_core::support::{
    inquiries, response_report, response_window, summarize, ChatFlags, ChatThread, Exclusion,
    Period, ResponseRules, ShopChatSettings,
};
use shopcare_core::{
    BuyerId, Conversation, ConversationId, Message, MessageId, SenderRole, ShopId, Timestamp,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn us_shop() -> ShopChatSettings {
    ShopChatSettings {
        time_zone: Tz::America__Los_Angeles,
        region: "US".to_owned(),
    }
}

fn id_shop() -> ShopChatSettings {
    ShopChatSettings {
        time_zone: Tz::Asia__Jakarta,
        region: "ID".to_owned(),
    }
}

/// A conversation from `(message id, role, UTC time)` triples, indexed in order.
fn thread(id: &str, buyer: &str, messages: &[(&str, SenderRole, &str)]) -> ChatThread {
    let first = messages
        .first()
        .map_or(at("2026-01-01T00:00:00Z"), |m| at(m.2));
    ChatThread {
        conversation: Conversation {
            id: ConversationId::new(id),
            shop_id: ShopId::new("shop-1"),
            buyer: Some(BuyerId::new(buyer)),
            create_time: first,
            update_time: first,
        },
        messages: messages
            .iter()
            .enumerate()
            .map(|(position, (message_id, role, time))| Message {
                id: MessageId::new(*message_id),
                conversation_id: ConversationId::new(id),
                shop_id: ShopId::new("shop-1"),
                index: i64::try_from(position).unwrap(),
                sender_role: role.clone(),
                kind: "TEXT".to_owned(),
                text: "hello".to_owned(),
                create_time: at(time),
                is_visible: true,
            })
            .collect(),
    }
}

use SenderRole::{Buyer, CustomerService, Robot, Shop, System};

const LATER: &str = "2026-06-01T00:00:00Z";

#[test]
fn response_times_and_rates_follow_the_replies() {
    let chat = thread(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-02T10:00:00Z"),
            // A follow-up before any answer is the same inquiry.
            ("m2", Buyer, "2026-03-02T11:00:00Z"),
            ("m3", System, "2026-03-02T11:30:00Z"),
            ("m4", Shop, "2026-03-02T15:00:00Z"),
            ("m5", Buyer, "2026-03-03T00:00:00Z"),
            ("m6", CustomerService, "2026-03-03T14:00:00Z"),
            ("m7", Buyer, "2026-03-04T00:00:00Z"),
        ],
    );
    let found = inquiries(
        &chat,
        &id_shop(),
        &ChatFlags::default(),
        &ResponseRules::default(),
        at(LATER),
    );
    assert_eq!(found.len(), 3);
    assert_eq!(found[0].first_message_id.as_str(), "m1");
    assert_eq!(found[0].first_response_time(), Some(Duration::hours(5)));
    assert_eq!(found[1].first_response_time(), Some(Duration::hours(14)));
    assert_eq!(found[2].responded_at, None);
    assert!(found.iter().all(|inquiry| inquiry.exclusion.is_none()));

    let stats = summarize(&found, at(LATER));
    assert_eq!(stats.inquiries, 3);
    assert_eq!(stats.responded, 2);
    // Nearest rank over [5 h, 14 h]: p50 is rank 1, p90 is rank 2.
    assert_eq!(stats.first_response_p50, Some(Duration::hours(5)));
    assert_eq!(stats.first_response_p90, Some(Duration::hours(14)));
    assert_eq!((stats.within_short.met, stats.within_short.decided), (1, 3));
    assert_eq!((stats.within_long.met, stats.within_long.decided), (2, 3));
    assert_eq!(stats.within_short.rate(), Some(1.0 / 3.0));
}

#[test]
fn a_reply_exactly_at_the_due_time_is_on_time_and_one_second_later_is_not() {
    let on_time = thread(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-02T00:00:00Z"),
            ("m2", Shop, "2026-03-02T12:00:00Z"),
        ],
    );
    let late = thread(
        "c2",
        "b2",
        &[
            ("m3", Buyer, "2026-03-02T00:00:00Z"),
            ("m4", Shop, "2026-03-02T12:00:01Z"),
        ],
    );
    let rules = ResponseRules::default();
    let flags = ChatFlags::default();
    let mut all = inquiries(&on_time, &id_shop(), &flags, &rules, at(LATER));
    all.extend(inquiries(&late, &id_shop(), &flags, &rules, at(LATER)));
    let stats = summarize(&all, at(LATER));
    assert_eq!((stats.within_short.met, stats.within_short.decided), (1, 2));
    assert_eq!((stats.within_long.met, stats.within_long.decided), (2, 2));
}

#[test]
fn seller_initiated_chats_are_excluded_until_the_buyer_asks_afresh() {
    let chat = thread(
        "c1",
        "b1",
        &[
            ("m1", Shop, "2026-03-02T00:00:00Z"),
            ("m2", Buyer, "2026-03-02T01:00:00Z"),
            ("m3", Shop, "2026-03-03T09:00:00Z"),
            ("m4", Buyer, "2026-03-04T00:00:00Z"),
            ("m5", Shop, "2026-03-04T02:00:00Z"),
        ],
    );
    let found = inquiries(
        &chat,
        &id_shop(),
        &ChatFlags::default(),
        &ResponseRules::default(),
        at(LATER),
    );
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].exclusion, Some(Exclusion::SellerInitiated));
    assert_eq!(found[1].exclusion, None);
    let stats = summarize(&found, at(LATER));
    assert_eq!(stats.inquiries, 1);
    assert_eq!(stats.excluded.get(&Exclusion::SellerInitiated), Some(&1));
    // The excluded 32-hour wait is in no figure.
    assert_eq!(stats.first_response_p90, Some(Duration::hours(2)));
    assert_eq!(stats.within_long.met, 1);
}

#[test]
fn replies_to_broadcasts_are_excluded() {
    let chat = thread(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-01T00:00:00Z"),
            ("m2", Shop, "2026-03-01T01:00:00Z"),
            ("bc", Shop, "2026-03-05T00:00:00Z"),
            ("m3", Buyer, "2026-03-05T03:00:00Z"),
        ],
    );
    let mut flags = ChatFlags::default();
    let rules = ResponseRules::default();
    let before = inquiries(&chat, &id_shop(), &flags, &rules, at(LATER));
    // Unmarked, the shop message answered nothing new: m3 is an open inquiry.
    assert_eq!(before[1].exclusion, None);
    flags.broadcast_messages.insert(MessageId::new("bc"));
    let found = inquiries(&chat, &id_shop(), &flags, &rules, at(LATER));
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].exclusion, None);
    assert_eq!(found[1].exclusion, Some(Exclusion::Broadcast));

    // A conversation opened by a broadcast is seller-initiated.
    let opened = thread(
        "c2",
        "b2",
        &[
            ("bc2", Shop, "2026-03-05T00:00:00Z"),
            ("m4", Buyer, "2026-03-05T03:00:00Z"),
        ],
    );
    flags.broadcast_messages.insert(MessageId::new("bc2"));
    let found = inquiries(&opened, &id_shop(), &flags, &rules, at(LATER));
    assert_eq!(found[0].exclusion, Some(Exclusion::SellerInitiated));
}

#[test]
fn chats_closed_by_an_auto_reply_are_excluded_but_a_follow_up_keeps_them_open() {
    let closed = thread(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-02T00:00:00Z"),
            ("m2", Robot, "2026-03-02T00:00:05Z"),
        ],
    );
    let followed_up = thread(
        "c2",
        "b2",
        &[
            ("m3", Buyer, "2026-03-02T00:00:00Z"),
            // A shop-side message we know was automatic counts as an auto-reply too.
            ("m4", Shop, "2026-03-02T00:00:05Z"),
            ("m5", Buyer, "2026-03-02T00:10:00Z"),
            ("m6", Shop, "2026-03-02T20:00:00Z"),
        ],
    );
    let mut flags = ChatFlags::default();
    flags.auto_reply_messages.insert(MessageId::new("m4"));
    let rules = ResponseRules::default();
    let first = inquiries(&closed, &id_shop(), &flags, &rules, at(LATER));
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].exclusion, Some(Exclusion::ClosedByAutoReply));
    let second = inquiries(&followed_up, &id_shop(), &flags, &rules, at(LATER));
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].exclusion, None);
    // The auto-reply is not an answer: the clock runs from the first buyer message.
    assert_eq!(second[0].first_response_time(), Some(Duration::hours(20)));
    assert_eq!(
        second[0].response_message_id.as_ref().unwrap().as_str(),
        "m6"
    );
}

#[test]
fn holiday_mode_excludes_inquiries_that_arrive_during_it() {
    let chat = thread(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-02T00:00:00Z"),
            ("m2", Shop, "2026-03-04T00:00:00Z"),
            ("m3", Buyer, "2026-03-05T00:00:00Z"),
        ],
    );
    let mut flags = ChatFlags::default();
    flags.holiday_mode.push(Period {
        start: at("2026-03-01T00:00:00Z"),
        end: Some(at("2026-03-05T00:00:00Z")),
    });
    let found = inquiries(
        &chat,
        &id_shop(),
        &flags,
        &ResponseRules::default(),
        at(LATER),
    );
    assert_eq!(found[0].exclusion, Some(Exclusion::HolidayMode));
    // The period's end is exclusive: a message at that instant counts.
    assert_eq!(found[1].exclusion, None);
}

#[test]
fn blocked_buyers_are_excluded() {
    let chat = thread("c1", "troll", &[("m1", Buyer, "2026-03-02T00:00:00Z")]);
    let mut flags = ChatFlags::default();
    let rules = ResponseRules::default();
    assert_eq!(
        inquiries(&chat, &id_shop(), &flags, &rules, at(LATER))[0].exclusion,
        None
    );
    flags.blocked_buyers.insert(BuyerId::new("troll"));
    let found = inquiries(&chat, &id_shop(), &flags, &rules, at(LATER));
    assert_eq!(found[0].exclusion, Some(Exclusion::BlockedBuyer));
    let stats = summarize(&found, at(LATER));
    assert_eq!(stats.inquiries, 0);
    assert_eq!(stats.within_short.rate(), None);
}

fn chatbot_always() -> ChatFlags {
    let mut flags = ChatFlags::default();
    flags.chatbot_on.push(Period {
        start: at("2026-01-01T00:00:00Z"),
        end: None,
    });
    flags
}

#[test]
fn us_weekend_messages_are_due_monday_noon_local_across_spring_forward() {
    // Saturday 2026-03-07 10:00 PST. Clocks go forward on Sunday the 8th, so Monday
    // 12:00 local is 12:00 PDT = 19:00 UTC (20:00 UTC had the offset stayed at −8).
    let chat = thread(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-07T18:00:00Z"),
            ("m2", Shop, "2026-03-09T18:59:00Z"),
            ("m3", Buyer, "2026-03-07T19:00:00Z"),
        ],
    );
    let rules = ResponseRules::default();
    let found = inquiries(&chat, &us_shop(), &chatbot_always(), &rules, at(LATER));
    assert!(found[0].weekend_rule);
    assert_eq!(found[0].short_due_at, at("2026-03-09T19:00:00Z"));
    assert_eq!(found[0].long_due_at, at("2026-03-09T19:00:00Z"));
    let stats = summarize(&found[..1], at(LATER));
    assert_eq!(stats.within_short.met, 1);

    let late = thread(
        "c2",
        "b2",
        &[
            ("m4", Buyer, "2026-03-07T18:00:00Z"),
            ("m5", Shop, "2026-03-09T19:30:00Z"),
        ],
    );
    let found = inquiries(&late, &us_shop(), &chatbot_always(), &rules, at(LATER));
    let stats = summarize(&found, at(LATER));
    assert_eq!((stats.within_short.met, stats.within_short.decided), (0, 1));
    assert_eq!((stats.within_long.met, stats.within_long.decided), (0, 1));

    // Without the chatbot the ordinary 12 h and 24 h apply.
    let found = inquiries(&late, &us_shop(), &ChatFlags::default(), &rules, at(LATER));
    assert!(!found[0].weekend_rule);
    assert_eq!(found[0].short_due_at, at("2026-03-08T06:00:00Z"));
    assert_eq!(found[0].long_due_at, at("2026-03-08T18:00:00Z"));
    // Outside the US the rule does not apply either.
    let found = inquiries(&late, &id_shop(), &chatbot_always(), &rules, at(LATER));
    assert!(!found[0].weekend_rule);
}

#[test]
fn a_late_sunday_message_keeps_its_later_ordinary_due_time_after_fall_back() {
    // Sunday 2026-11-01 23:00 PST (clocks went back that morning) = Monday 07:00 UTC.
    // Monday 12:00 PST = 20:00 UTC: later than the 12 h due time (19:00 UTC), earlier
    // than the 24 h one (Tuesday 07:00 UTC), which stays.
    let chat = thread("c1", "b1", &[("m1", Buyer, "2026-11-02T07:00:00Z")]);
    let found = inquiries(
        &chat,
        &us_shop(),
        &chatbot_always(),
        &ResponseRules::default(),
        at("2027-01-01T00:00:00Z"),
    );
    assert!(found[0].weekend_rule);
    assert_eq!(found[0].short_due_at, at("2026-11-02T20:00:00Z"));
    assert_eq!(found[0].long_due_at, at("2026-11-03T07:00:00Z"));
}

#[test]
fn friday_evening_local_is_not_the_weekend_even_when_it_is_saturday_in_utc() {
    // Friday 2026-03-06 20:00 PST = Saturday 04:00 UTC.
    let chat = thread("c1", "b1", &[("m1", Buyer, "2026-03-07T04:00:00Z")]);
    let found = inquiries(
        &chat,
        &us_shop(),
        &chatbot_always(),
        &ResponseRules::default(),
        at(LATER),
    );
    assert!(!found[0].weekend_rule);
    assert_eq!(found[0].short_due_at, at("2026-03-07T16:00:00Z"));
}

#[test]
fn the_window_is_thirty_local_days_and_undecided_inquiries_are_pending() {
    let as_of = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let (from, until) = response_window(as_of, Tz::America__Los_Angeles, 30);
    // 2026-03-01 00:00 PST and 2026-03-31 00:00 PDT.
    assert_eq!(from, at("2026-03-01T08:00:00Z"));
    assert_eq!(until, at("2026-03-31T07:00:00Z"));

    let threads = vec![
        thread("before", "b1", &[("m1", Buyer, "2026-03-01T07:59:59Z")]),
        thread(
            "first",
            "b2",
            &[
                ("m2", Buyer, "2026-03-01T08:00:00Z"),
                ("m3", Shop, "2026-03-01T09:00:00Z"),
            ],
        ),
        // Due at 08:00 UTC on the 31st: not decided when the window ends at 07:00.
        thread("pending", "b3", &[("m4", Buyer, "2026-03-30T20:00:00Z")]),
        // Answered after the window ended: unknown at the as-of time, so pending too.
        thread(
            "answered-later",
            "b4",
            &[
                ("m5", Buyer, "2026-03-30T21:00:00Z"),
                ("m6", Shop, "2026-03-31T08:00:00Z"),
            ],
        ),
        thread("after", "b5", &[("m7", Buyer, "2026-03-31T07:00:00Z")]),
    ];
    let report = response_report(
        &threads,
        &us_shop(),
        &ChatFlags::default(),
        &ResponseRules::default(),
        as_of,
    );
    assert_eq!(report.shop.inquiries, 3);
    assert_eq!(report.shop.responded, 1);
    assert_eq!(report.shop.within_short.decided, 1);
    assert_eq!(report.shop.within_short.pending, 2);
    assert_eq!(report.shop.within_long.pending, 2);
    assert_eq!(report.shop.within_short.rate(), Some(1.0));
}

#[test]
fn agents_get_the_inquiries_they_answered_and_the_unanswered_ones_assigned_to_them() {
    let threads = vec![
        thread(
            "c1",
            "b1",
            &[
                ("m1", Buyer, "2026-03-02T00:00:00Z"),
                ("m2", Shop, "2026-03-02T01:00:00Z"),
            ],
        ),
        thread(
            "c2",
            "b2",
            &[
                ("m3", Buyer, "2026-03-02T00:00:00Z"),
                ("m4", Shop, "2026-03-02T13:00:00Z"),
            ],
        ),
        thread("c3", "b3", &[("m5", Buyer, "2026-03-02T00:00:00Z")]),
        // Answered in Seller Center by someone shopcare does not know.
        thread(
            "c4",
            "b4",
            &[
                ("m6", Buyer, "2026-03-02T00:00:00Z"),
                ("m7", Shop, "2026-03-02T02:00:00Z"),
            ],
        ),
    ];
    let mut flags = ChatFlags::default();
    flags
        .message_agents
        .insert(MessageId::new("m2"), "ana".to_owned());
    flags
        .message_agents
        .insert(MessageId::new("m4"), "budi".to_owned());
    flags
        .assigned_agents
        .insert(ConversationId::new("c3"), "ana".to_owned());
    let report = response_report(
        &threads,
        &id_shop(),
        &flags,
        &ResponseRules::default(),
        NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
    );
    assert_eq!(report.shop.inquiries, 4);
    let ana = &report.agents["ana"];
    assert_eq!(ana.inquiries, 2);
    assert_eq!((ana.within_short.met, ana.within_short.decided), (1, 2));
    let budi = &report.agents["budi"];
    assert_eq!(budi.first_response_p50, Some(Duration::hours(13)));
    assert_eq!((budi.within_short.met, budi.within_long.met), (0, 1));
    assert_eq!(report.agents.len(), 2);
}

#[test]
fn hidden_messages_and_messages_after_now_are_ignored() {
    let mut chat = thread(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-02T00:00:00Z"),
            ("m2", Shop, "2026-03-02T01:00:00Z"),
            ("m3", Shop, "2026-03-02T05:00:00Z"),
        ],
    );
    chat.messages[1].is_visible = false;
    let found = inquiries(
        &chat,
        &id_shop(),
        &ChatFlags::default(),
        &ResponseRules::default(),
        at("2026-03-02T04:00:00Z"),
    );
    assert_eq!(found[0].responded_at, None);
    let found = inquiries(
        &chat,
        &id_shop(),
        &ChatFlags::default(),
        &ResponseRules::default(),
        at(LATER),
    );
    assert_eq!(found[0].first_response_time(), Some(Duration::hours(5)));
}
