//! The response-time engine: first response time and the 12-hour and 24-hour response
//! rates of buyer chats over 30 days, by the platform's rules (DOMAIN.md §6).
//!
//! How a conversation is read:
//! - An **inquiry** starts with a buyer message while no earlier buyer message is waiting,
//!   and is answered by the next message a person sends for the shop (`SHOP` or
//!   `CUSTOMER_SERVICE`, not marked as an auto-reply or broadcast). Robot messages and
//!   messages we marked as auto-replies never answer; system messages (order cards,
//!   notices) are ignored; hidden messages are ignored.
//! - First response time is the plain time from the buyer's first message of the inquiry
//!   to that answer. The weekend rule moves due times, not the clock.
//!
//! Exclusions (an excluded inquiry counts in no rate and no percentile; the first that
//! applies is reported):
//! 1. `blocked_buyer` — the conversation's buyer is on the shop's blocked list;
//! 2. `holiday_mode` — the inquiry arrived while the shop was in holiday mode;
//! 3. `seller_initiated` — the first inquiry of a conversation the seller opened (its
//!    first message came from the shop or was a broadcast): the buyer is answering us;
//! 4. `broadcast` — the buyer's message answers a broadcast (the message before it);
//! 5. `closed_by_auto_reply` — an auto-reply answered and the buyer wrote nothing after
//!    it: the auto-reply closed the chat.
//!
//! Due times: 12 h and 24 h after the inquiry. US weekend rule: for a US shop whose
//! chatbot was on when the message arrived, a message sent on Saturday or Sunday (shop
//! time zone) is due Monday 12:00 local, or at its ordinary due time if that is later.
//! Monday 12:00 is computed in the zone, so a DST change over the weekend moves it in UTC.
//!
//! Window: the inquiries that *arrived* in the `period_days` complete local days before
//! the as-of date. A rate's denominator holds the inquiries already decided at the end
//! of the window (answered, or past that rate's due time); the others are `pending`.
//! Percentiles use the nearest-rank method over answered inquiries.

use crate::{BuyerId, Conversation, ConversationId, Message, MessageId, SenderRole, Timestamp};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A span of time; `end: None` means still going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
}

impl Period {
    /// Whether `at` falls in `[start, end)`.
    pub fn contains(&self, at: Timestamp) -> bool {
        at >= self.start && self.end.is_none_or(|end| at < end)
    }
}

/// What the platform does not tell us about a shop's chats; kept by shopcare.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatFlags {
    pub holiday_mode: Vec<Period>,
    pub chatbot_on: Vec<Period>,
    pub blocked_buyers: HashSet<BuyerId>,
    /// Messages sent to many buyers at once.
    pub broadcast_messages: HashSet<MessageId>,
    /// Shop-side messages sent automatically (quick replies on a timer, away messages).
    pub auto_reply_messages: HashSet<MessageId>,
    /// The shopcare user who sent a message (from the reply outbox).
    pub message_agents: HashMap<MessageId, String>,
    /// The agent a conversation's ticket is assigned to: unanswered or unattributed
    /// inquiries count for them.
    pub assigned_agents: HashMap<ConversationId, String>,
}

/// The shop facts the rules depend on.
#[derive(Debug, Clone, PartialEq)]
pub struct ShopChatSettings {
    pub time_zone: Tz,
    /// Market code; `US` turns on the weekend rule.
    pub region: String,
}

/// The measured windows, configurable per market.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseRules {
    pub short_window: Duration,
    pub long_window: Duration,
    pub period_days: u32,
    /// Local hour on Monday when weekend messages fall due under the US rule.
    pub weekend_due_hour: u32,
}

impl Default for ResponseRules {
    fn default() -> Self {
        Self {
            short_window: Duration::hours(12),
            long_window: Duration::hours(24),
            period_days: 30,
            weekend_due_hour: 12,
        }
    }
}

/// A conversation with its messages (any order; the engine sorts them).
#[derive(Debug, Clone, PartialEq)]
pub struct ChatThread {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

/// Why an inquiry does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exclusion {
    BlockedBuyer,
    HolidayMode,
    SellerInitiated,
    Broadcast,
    ClosedByAutoReply,
}

impl Exclusion {
    pub const ALL: [Exclusion; 5] = [
        Exclusion::BlockedBuyer,
        Exclusion::HolidayMode,
        Exclusion::SellerInitiated,
        Exclusion::Broadcast,
        Exclusion::ClosedByAutoReply,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Exclusion::BlockedBuyer => "blocked_buyer",
            Exclusion::HolidayMode => "holiday_mode",
            Exclusion::SellerInitiated => "seller_initiated",
            Exclusion::Broadcast => "broadcast",
            Exclusion::ClosedByAutoReply => "closed_by_auto_reply",
        }
    }
}

/// One buyer inquiry and how it was answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Inquiry {
    pub conversation_id: ConversationId,
    pub first_message_id: MessageId,
    pub asked_at: Timestamp,
    pub short_due_at: Timestamp,
    pub long_due_at: Timestamp,
    /// The US weekend rule moved the due times.
    pub weekend_rule: bool,
    pub responded_at: Option<Timestamp>,
    pub response_message_id: Option<MessageId>,
    /// Who it counts for: the sender of the answer when shopcare knows them, else the
    /// ticket's assignee.
    pub agent: Option<String>,
    pub exclusion: Option<Exclusion>,
}

impl Inquiry {
    pub fn first_response_time(&self) -> Option<Duration> {
        self.responded_at.map(|responded| responded - self.asked_at)
    }
}

/// How a message takes part in the measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Buyer,
    PersonReply,
    AutoReply,
    Broadcast,
    Ignored,
}

fn part_of(message: &Message, flags: &ChatFlags) -> Part {
    if !message.is_visible {
        return Part::Ignored;
    }
    if flags.broadcast_messages.contains(&message.id) {
        return Part::Broadcast;
    }
    match message.sender_role {
        SenderRole::Buyer => Part::Buyer,
        SenderRole::Robot => Part::AutoReply,
        SenderRole::Shop | SenderRole::CustomerService => {
            if flags.auto_reply_messages.contains(&message.id) {
                Part::AutoReply
            } else {
                Part::PersonReply
            }
        }
        SenderRole::System | SenderRole::Other(_) => Part::Ignored,
    }
}

/// An inquiry being read.
struct OpenInquiry<'a> {
    first: &'a Message,
    /// The first inquiry of a conversation the seller opened.
    seller_initiated: bool,
    answers_broadcast: bool,
    /// An auto-reply came and the buyer has not written since.
    auto_reply_last: bool,
}

/// The inquiries of one conversation, as known at `now` (later messages are ignored).
pub fn inquiries(
    thread: &ChatThread,
    settings: &ShopChatSettings,
    flags: &ChatFlags,
    rules: &ResponseRules,
    now: Timestamp,
) -> Vec<Inquiry> {
    let mut messages: Vec<&Message> = thread
        .messages
        .iter()
        .filter(|message| message.create_time <= now)
        .collect();
    messages.sort_by(|left, right| {
        (left.index, left.create_time, left.id.as_str()).cmp(&(
            right.index,
            right.create_time,
            right.id.as_str(),
        ))
    });
    let parts: Vec<(&Message, Part)> = messages
        .into_iter()
        .map(|message| (message, part_of(message, flags)))
        .filter(|(_, part)| *part != Part::Ignored)
        .collect();
    // Who opened the conversation: auto-replies are reactions, not openers.
    let seller_opened = parts
        .iter()
        .find(|(_, part)| *part != Part::AutoReply)
        .is_some_and(|(_, part)| matches!(part, Part::PersonReply | Part::Broadcast));

    let mut found = Vec::new();
    let mut open: Option<OpenInquiry<'_>> = None;
    let mut previous: Option<Part> = None;
    let mut first_inquiry = true;
    for (message, part) in parts {
        match part {
            Part::Buyer => match &mut open {
                Some(inquiry) => inquiry.auto_reply_last = false,
                None => {
                    open = Some(OpenInquiry {
                        first: message,
                        seller_initiated: first_inquiry && seller_opened,
                        answers_broadcast: previous == Some(Part::Broadcast),
                        auto_reply_last: false,
                    });
                    first_inquiry = false;
                }
            },
            Part::AutoReply => {
                if let Some(inquiry) = &mut open {
                    inquiry.auto_reply_last = true;
                }
            }
            Part::PersonReply => {
                if let Some(inquiry) = open.take() {
                    found.push(finish(
                        thread,
                        settings,
                        flags,
                        rules,
                        inquiry,
                        Some(message),
                    ));
                }
            }
            Part::Broadcast | Part::Ignored => {}
        }
        previous = Some(part);
    }
    if let Some(inquiry) = open {
        found.push(finish(thread, settings, flags, rules, inquiry, None));
    }
    found
}

fn finish(
    thread: &ChatThread,
    settings: &ShopChatSettings,
    flags: &ChatFlags,
    rules: &ResponseRules,
    inquiry: OpenInquiry<'_>,
    answer: Option<&Message>,
) -> Inquiry {
    let asked_at = inquiry.first.create_time;
    let blocked = thread
        .conversation
        .buyer
        .as_ref()
        .is_some_and(|buyer| flags.blocked_buyers.contains(buyer));
    let exclusion = if blocked {
        Some(Exclusion::BlockedBuyer)
    } else if flags
        .holiday_mode
        .iter()
        .any(|period| period.contains(asked_at))
    {
        Some(Exclusion::HolidayMode)
    } else if inquiry.seller_initiated {
        Some(Exclusion::SellerInitiated)
    } else if inquiry.answers_broadcast {
        Some(Exclusion::Broadcast)
    } else if inquiry.auto_reply_last {
        Some(Exclusion::ClosedByAutoReply)
    } else {
        None
    };
    let mut short_due_at = asked_at + rules.short_window;
    let mut long_due_at = asked_at + rules.long_window;
    let weekend_due = weekend_due_at(settings, flags, rules, asked_at);
    if let Some(monday) = weekend_due {
        short_due_at = short_due_at.max(monday);
        long_due_at = long_due_at.max(monday);
    }
    let agent = answer
        .and_then(|message| flags.message_agents.get(&message.id))
        .or_else(|| flags.assigned_agents.get(&thread.conversation.id))
        .cloned();
    Inquiry {
        conversation_id: thread.conversation.id.clone(),
        first_message_id: inquiry.first.id.clone(),
        asked_at,
        short_due_at,
        long_due_at,
        weekend_rule: weekend_due.is_some(),
        responded_at: answer.map(|message| message.create_time),
        response_message_id: answer.map(|message| message.id.clone()),
        agent,
        exclusion,
    }
}

/// Monday `weekend_due_hour`:00 local after a weekend message, when the US rule applies.
fn weekend_due_at(
    settings: &ShopChatSettings,
    flags: &ChatFlags,
    rules: &ResponseRules,
    asked_at: Timestamp,
) -> Option<Timestamp> {
    if !settings.region.trim().eq_ignore_ascii_case("US") {
        return None;
    }
    if !flags
        .chatbot_on
        .iter()
        .any(|period| period.contains(asked_at))
    {
        return None;
    }
    let local_date = asked_at.with_timezone(&settings.time_zone).date_naive();
    let days_to_monday = match local_date.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => return None,
    };
    let monday = local_date + Duration::days(days_to_monday);
    let noon = monday.and_hms_opt(rules.weekend_due_hour.min(23), 0, 0)?;
    Some(local_to_utc(settings.time_zone, noon))
}

/// A local wall-clock time as an instant: the earlier one when the clock goes back, the
/// first valid time after a gap when it jumps forward.
pub fn local_to_utc(time_zone: Tz, local: NaiveDateTime) -> Timestamp {
    let mut candidate = local;
    // A DST gap is at most a few hours; step forward until the wall time exists.
    for _ in 0..6 {
        if let Some(instant) = time_zone.from_local_datetime(&candidate).earliest() {
            return instant.with_timezone(&chrono::Utc);
        }
        candidate += Duration::hours(1);
    }
    chrono::Utc.from_utc_datetime(&local)
}

/// The window `[from, until)`: the `days` complete local days before `as_of`.
pub fn response_window(as_of: NaiveDate, time_zone: Tz, days: u32) -> (Timestamp, Timestamp) {
    let until = local_to_utc(time_zone, as_of.and_time(chrono::NaiveTime::MIN));
    let first_day = as_of - Duration::days(i64::from(days));
    let from = local_to_utc(time_zone, first_day.and_time(chrono::NaiveTime::MIN));
    (from, until)
}

/// A rate as counts, so callers can add them up and show the fraction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateCount {
    /// Answered by the due time.
    pub met: u32,
    /// Answered, or past the due time without an answer.
    pub decided: u32,
    /// Not answered and not yet due at the end of the window.
    pub pending: u32,
}

impl RateCount {
    /// `met / decided`, or `None` when nothing is decided yet.
    pub fn rate(&self) -> Option<f64> {
        (self.decided > 0).then(|| f64::from(self.met) / f64::from(self.decided))
    }

    fn add(&mut self, responded_at: Option<Timestamp>, due_at: Timestamp, now: Timestamp) {
        match responded_at {
            Some(responded) => {
                self.decided += 1;
                if responded <= due_at {
                    self.met += 1;
                }
            }
            None if due_at <= now => self.decided += 1,
            None => self.pending += 1,
        }
    }
}

/// Response figures for a set of inquiries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseStats {
    /// Buyer-initiated inquiries that count.
    pub inquiries: u32,
    /// Excluded inquiries per reason.
    pub excluded: BTreeMap<Exclusion, u32>,
    pub responded: u32,
    pub first_response_p50: Option<Duration>,
    pub first_response_p90: Option<Duration>,
    pub within_short: RateCount,
    pub within_long: RateCount,
}

/// A shop's figures and each agent's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseReport {
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub shop: ResponseStats,
    /// Per shopcare user; inquiries nobody is known for are only in `shop`.
    pub agents: BTreeMap<String, ResponseStats>,
}

/// Summarises inquiries judged at `now`.
pub fn summarize<'a>(
    inquiries: impl IntoIterator<Item = &'a Inquiry>,
    now: Timestamp,
) -> ResponseStats {
    let mut stats = ResponseStats::default();
    let mut response_times = Vec::new();
    for inquiry in inquiries {
        if let Some(reason) = inquiry.exclusion {
            *stats.excluded.entry(reason).or_default() += 1;
            continue;
        }
        stats.inquiries += 1;
        if let Some(time) = inquiry.first_response_time() {
            stats.responded += 1;
            response_times.push(time);
        }
        stats
            .within_short
            .add(inquiry.responded_at, inquiry.short_due_at, now);
        stats
            .within_long
            .add(inquiry.responded_at, inquiry.long_due_at, now);
    }
    response_times.sort();
    stats.first_response_p50 = nearest_rank(&response_times, 50);
    stats.first_response_p90 = nearest_rank(&response_times, 90);
    stats
}

/// The nearest-rank percentile of sorted values.
fn nearest_rank(sorted: &[Duration], percent: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// The shop's report over the window before `as_of`: inquiries that arrived in the
/// window, judged at its end.
pub fn response_report(
    threads: &[ChatThread],
    settings: &ShopChatSettings,
    flags: &ChatFlags,
    rules: &ResponseRules,
    as_of: NaiveDate,
) -> ResponseReport {
    let (from, until) = response_window(as_of, settings.time_zone, rules.period_days);
    let in_window: Vec<Inquiry> = threads
        .iter()
        .flat_map(|thread| inquiries(thread, settings, flags, rules, until))
        .filter(|inquiry| inquiry.asked_at >= from && inquiry.asked_at < until)
        .collect();
    let mut by_agent: BTreeMap<String, Vec<&Inquiry>> = BTreeMap::new();
    for inquiry in &in_window {
        if let Some(agent) = &inquiry.agent {
            by_agent.entry(agent.clone()).or_default().push(inquiry);
        }
    }
    ResponseReport {
        from: Some(from),
        until: Some(until),
        shop: summarize(&in_window, until),
        agents: by_agent
            .into_iter()
            .map(|(agent, inquiries)| (agent, summarize(inquiries, until)))
            .collect(),
    }
}
