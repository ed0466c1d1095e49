//! The support desk's use-cases: conversations become tickets (triage, context, priority),
//! the checklist of the standard flow, saved replies validated at save time, replies sent
//! through a durable job after the compliance guard, the chat flags the platform does not
//! give us, the response-time report per shop and agent, and the voice-of-customer log.
//!
//! Every method that touches shop data takes the caller's shop filter (`None`: all shops)
//! and answers "not found" for anything outside it.

use crate::alerts::{enqueue_alert, AlertRequest};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use shopcare_core::compliance::Finding;
use shopcare_core::support::{
    check_chat_reply, parse_support_category, render_saved_reply, response_report, ticket_priority,
    triage_conversation, validate_saved_reply, ChatFlags, ChatThread, Checklist, ChecklistEntry,
    ChecklistError, ChecklistStep, FixOwner, Period, PriorityFacts, ResponseReport, ResponseRules,
    ResponseStats, SavedReplyError, ShopChatSettings,
};
use shopcare_core::support::{
    compare_fix, escalations, weekly_frequency, EscalationRule, FixComparison, IssueReport,
    ReportSource, SkuEvents, WindowRates,
};
use shopcare_core::{
    BuyerId, ConversationId, MessageId, ReturnStatus, Shop, ShopId, SkuId, Timestamp,
};
use shopcare_store::{
    ChatPeriodRecord, IssueReportRecord, MessageMarkRecord, NewJob, NewSupportReply,
    SavedReplyRecord, Store, StoreError, SupportReplyRecord, TicketFilter, TicketRecord,
    TicketStepRecord, VocEntryRecord,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Kind of the durable job that sends one chat reply.
pub const SUPPORT_REPLY_JOB: &str = "support_reply";
/// Attempts a reply gets before it is marked failed.
pub const SUPPORT_REPLY_MAX_ATTEMPTS: u32 = 8;
/// A case due within this long raises a ticket's priority.
pub const CASE_NEAR_DEADLINE: Duration = Duration::hours(24);
/// Conversations turned into tickets per refresh.
const TICKETS_PER_REFRESH: u32 = 500;
/// Length of each side of a fix's before/after comparison, in local days.
pub const VOC_WINDOW_DAYS: u32 = 14;
/// Weeks of issue reports the VoC log shows.
pub const VOC_WEEKS: i64 = 12;

/// What went wrong, in terms the HTTP layer maps to statuses.
#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error("not found: {0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    SavedReply(#[from] SavedReplyError),
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
    #[error("the reply was blocked by the compliance guard")]
    Blocked(Vec<Finding>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The desk, over one store.
#[derive(Clone)]
pub struct SupportDesk {
    store: Arc<dyn Store>,
}

/// A ticket with what the agent needs next to it.
#[derive(Debug, Clone, Serialize)]
pub struct TicketView {
    #[serde(flatten)]
    pub ticket: TicketRecord,
    pub next_step: Option<&'static str>,
    pub messages: Vec<MessageView>,
    pub context: shopcare_store::BuyerContext,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessageView {
    pub message_id: String,
    pub sender_role: String,
    pub text: String,
    pub create_time: Timestamp,
}

/// Changes an agent makes to a ticket.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TicketUpdate {
    pub category: Option<String>,
    pub assigned_agent: Option<String>,
    /// `open` or `solved`.
    pub state: Option<String>,
}

/// A checklist step from the API.
#[derive(Debug, Clone, Deserialize)]
pub struct StepInput {
    pub step: String,
    pub detail: Option<String>,
    #[serde(default)]
    pub skipped: bool,
}

/// A saved reply from the API.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedReplyInput {
    /// Given to edit an existing reply.
    pub reply_id: Option<String>,
    pub name: String,
    pub category: String,
    pub language: String,
    pub body: String,
}

/// A reply to send: plain text, or a saved reply with its variables.
#[derive(Debug, Clone, Deserialize)]
pub struct ReplyInput {
    pub text: Option<String>,
    pub saved_reply_id: Option<String>,
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Repeating a command with the same key sends once.
    pub command_key: Option<String>,
}

/// Flags from the API.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum FlagInput {
    HolidayMode {
        starts_at: Timestamp,
        ends_at: Option<Timestamp>,
    },
    Chatbot {
        starts_at: Timestamp,
        ends_at: Option<Timestamp>,
    },
    BlockedBuyer {
        buyer_id: String,
        #[serde(default = "yes")]
        blocked: bool,
    },
    Broadcast {
        message_ids: Vec<String>,
    },
    AutoReply {
        message_ids: Vec<String>,
    },
}

fn yes() -> bool {
    true
}

/// A VoC entry from the API.
#[derive(Debug, Clone, Deserialize)]
pub struct VocEntryInput {
    pub entry_id: Option<String>,
    pub category: String,
    pub root_cause: String,
    #[serde(default)]
    pub sku_ids: Vec<String>,
    pub fix_owner: Option<String>,
    pub fix_shipped_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl SupportDesk {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Makes tickets of conversations that have none yet; returns how many.
    pub async fn refresh_tickets(
        &self,
        shops: Option<&[ShopId]>,
        now: Timestamp,
    ) -> Result<u32, SupportError> {
        let mut created = 0;
        for conversation_id in self
            .store
            .conversations_without_ticket(shops, TICKETS_PER_REFRESH)
            .await?
        {
            let Some(thread) = self.store.chat_thread(&conversation_id).await? else {
                continue;
            };
            let ticket = self.new_ticket(&thread, now).await?;
            if self.store.create_ticket(&ticket).await? {
                created += 1;
            }
        }
        Ok(created)
    }

    async fn new_ticket(
        &self,
        thread: &ChatThread,
        now: Timestamp,
    ) -> Result<TicketRecord, SupportError> {
        let suggestion = triage_conversation(&thread.messages);
        let buyer = thread.conversation.buyer.as_ref().map(BuyerId::as_str);
        let context = match buyer {
            Some(buyer) => {
                self.store
                    .buyer_context(&thread.conversation.shop_id, buyer)
                    .await?
            }
            None => Default::default(),
        };
        let (priority, reasons) = priority_of(&context, now);
        let created_at = thread
            .messages
            .iter()
            .map(|message| message.create_time)
            .min()
            .unwrap_or(thread.conversation.create_time);
        Ok(TicketRecord {
            conversation_id: thread.conversation.id.as_str().to_owned(),
            shop_id: thread.conversation.shop_id.clone(),
            buyer_id: buyer.map(str::to_owned),
            state: "open".to_owned(),
            category: suggestion.category.map(|found| found.as_str().to_owned()),
            suggested_category: suggestion.category.map(|found| found.as_str().to_owned()),
            priority: priority.as_str().to_owned(),
            priority_reasons: reasons,
            assigned_agent: None,
            order_id: context.latest_order_id.clone(),
            sku_id: context.sku_id.clone(),
            root_cause_tag: None,
            checklist: Vec::new(),
            created_at,
            updated_at: now,
        })
    }

    /// Tickets in `shops`, after turning new conversations into tickets.
    pub async fn tickets(
        &self,
        shops: Option<Vec<ShopId>>,
        state: Option<String>,
        now: Timestamp,
    ) -> Result<Vec<TicketRecord>, SupportError> {
        self.refresh_tickets(shops.as_deref(), now).await?;
        Ok(self
            .store
            .list_tickets(&TicketFilter { shops, state })
            .await?)
    }

    /// The ticket of a conversation visible to `shops`.
    async fn visible_ticket(
        &self,
        conversation_id: &str,
        shops: Option<&[ShopId]>,
        now: Timestamp,
    ) -> Result<TicketRecord, SupportError> {
        let visible = |shop: &ShopId| shops.is_none_or(|allowed| allowed.contains(shop));
        if let Some(ticket) = self.store.ticket(conversation_id).await? {
            return if visible(&ticket.shop_id) {
                Ok(ticket)
            } else {
                Err(SupportError::NotFound("ticket"))
            };
        }
        let thread = self
            .store
            .chat_thread(conversation_id)
            .await?
            .filter(|thread| visible(&thread.conversation.shop_id))
            .ok_or(SupportError::NotFound("ticket"))?;
        let ticket = self.new_ticket(&thread, now).await?;
        self.store.create_ticket(&ticket).await?;
        Ok(self.store.ticket(conversation_id).await?.unwrap_or(ticket))
    }

    /// One ticket with its messages and context; priority is brought up to date.
    pub async fn ticket_detail(
        &self,
        conversation_id: &str,
        shops: Option<&[ShopId]>,
        now: Timestamp,
    ) -> Result<TicketView, SupportError> {
        let mut ticket = self.visible_ticket(conversation_id, shops, now).await?;
        let thread = self
            .store
            .chat_thread(conversation_id)
            .await?
            .ok_or(SupportError::NotFound("conversation"))?;
        let context = match &ticket.buyer_id {
            Some(buyer) => self.store.buyer_context(&ticket.shop_id, buyer).await?,
            None => Default::default(),
        };
        let (priority, reasons) = priority_of(&context, now);
        if priority.as_str() != ticket.priority || reasons != ticket.priority_reasons {
            ticket.priority = priority.as_str().to_owned();
            ticket.priority_reasons = reasons;
            ticket.updated_at = now;
            self.store.save_ticket(&ticket).await?;
        }
        let checklist = checklist_of(&ticket)?;
        Ok(TicketView {
            next_step: checklist.next_step().map(ChecklistStep::as_str),
            messages: thread
                .messages
                .iter()
                .filter(|message| message.is_visible)
                .map(|message| MessageView {
                    message_id: message.id.as_str().to_owned(),
                    sender_role: message.sender_role.as_str().to_owned(),
                    text: message.text.clone(),
                    create_time: message.create_time,
                })
                .collect(),
            context,
            ticket,
        })
    }

    pub async fn update_ticket(
        &self,
        conversation_id: &str,
        shops: Option<&[ShopId]>,
        update: &TicketUpdate,
        now: Timestamp,
    ) -> Result<TicketRecord, SupportError> {
        let mut ticket = self.visible_ticket(conversation_id, shops, now).await?;
        if let Some(category) = &update.category {
            let category = parse_support_category(category).ok_or_else(|| {
                SupportError::Invalid(format!(
                    "unknown category {category:?} (expected shipping, product_issue, usage \
                     or expectation_mismatch)"
                ))
            })?;
            ticket.category = Some(category.as_str().to_owned());
        }
        if let Some(agent) = &update.assigned_agent {
            let agent = agent.trim();
            ticket.assigned_agent = (!agent.is_empty()).then(|| agent.to_owned());
        }
        if let Some(state) = &update.state {
            if state != "open" && state != "solved" {
                return Err(SupportError::Invalid(format!(
                    "unknown state {state:?} (expected open or solved)"
                )));
            }
            ticket.state = state.clone();
        }
        ticket.updated_at = now;
        self.store.save_ticket(&ticket).await?;
        Ok(ticket)
    }

    /// Records a checklist step. Tagging the root cause files an issue report for the
    /// VoC log; completing the flow solves the ticket.
    pub async fn record_step(
        &self,
        conversation_id: &str,
        shops: Option<&[ShopId]>,
        input: &StepInput,
        agent: &str,
        now: Timestamp,
    ) -> Result<TicketRecord, SupportError> {
        let mut ticket = self.visible_ticket(conversation_id, shops, now).await?;
        let step = ChecklistStep::parse(&input.step).ok_or_else(|| {
            SupportError::Invalid(format!("unknown checklist step {:?}", input.step))
        })?;
        let mut checklist = checklist_of(&ticket)?;
        checklist.record(ChecklistEntry {
            step,
            done_at: now,
            by: agent.to_owned(),
            detail: input
                .detail
                .as_deref()
                .map(str::trim)
                .filter(|detail| !detail.is_empty())
                .map(str::to_owned),
            skipped: input.skipped,
        })?;
        if step == ChecklistStep::RootCauseTag {
            let tag = checklist.root_cause_tag().map(str::to_owned);
            ticket.root_cause_tag = tag.clone();
            if let (Some(tag), Some(category)) = (tag, ticket.category.clone()) {
                self.store
                    .add_issue_reports(&[IssueReportRecord {
                        shop_id: ticket.shop_id.clone(),
                        reported_at: ticket.created_at,
                        category,
                        root_cause: tag,
                        sku_id: ticket.sku_id.clone(),
                        source: "chat".to_owned(),
                        source_id: ticket.conversation_id.clone(),
                    }])
                    .await?;
                self.alert_escalations(&ticket.shop_id, now).await?;
            }
        }
        if checklist.next_step().is_none() {
            ticket.state = "solved".to_owned();
        }
        ticket.checklist = checklist
            .entries
            .iter()
            .map(|entry| TicketStepRecord {
                step: entry.step.as_str().to_owned(),
                done_at: entry.done_at,
                by: entry.by.clone(),
                detail: entry.detail.clone(),
                skipped: entry.skipped,
            })
            .collect();
        ticket.updated_at = now;
        self.store.save_ticket(&ticket).await?;
        Ok(ticket)
    }

    async fn shop(&self, shop_id: &ShopId) -> Result<Shop, SupportError> {
        self.store
            .get_shop(shop_id)
            .await?
            .ok_or(SupportError::NotFound("shop"))
    }

    /// Validates (variables, language, compliance in the shop's market) and saves.
    pub async fn save_saved_reply(
        &self,
        shop_id: &ShopId,
        input: &SavedReplyInput,
        agent: &str,
        now: Timestamp,
    ) -> Result<SavedReplyRecord, SupportError> {
        let shop = self.shop(shop_id).await?;
        let category = parse_support_category(&input.category).ok_or_else(|| {
            SupportError::Invalid(format!("unknown category {:?}", input.category))
        })?;
        if input.name.trim().is_empty() {
            return Err(SupportError::Invalid(
                "a saved reply needs a name".to_owned(),
            ));
        }
        let valid =
            validate_saved_reply(category, &input.language, &input.body, Some(&shop.region))?;
        if let Some(reply_id) = &input.reply_id {
            let existing = self.store.saved_reply(reply_id).await?;
            if existing.is_some_and(|existing| existing.shop_id.as_ref() != Some(shop_id)) {
                return Err(SupportError::NotFound("saved reply"));
            }
        }
        let record = SavedReplyRecord {
            reply_id: input
                .reply_id
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            shop_id: Some(shop_id.clone()),
            name: input.name.trim().to_owned(),
            category: category.as_str().to_owned(),
            language: valid.language,
            body: valid.body,
            updated_by: agent.to_owned(),
            updated_at: now,
        };
        self.store.save_saved_reply(&record).await?;
        Ok(record)
    }

    pub async fn saved_replies(
        &self,
        shop_id: &ShopId,
    ) -> Result<Vec<SavedReplyRecord>, SupportError> {
        Ok(self.store.saved_replies(shop_id).await?)
    }

    /// Puts a reply in the outbox and enqueues its send job — unless the compliance
    /// guard blocks it, in which case nothing is stored or sent.
    pub async fn send_reply(
        &self,
        conversation_id: &str,
        shops: Option<&[ShopId]>,
        input: &ReplyInput,
        agent: &str,
        now: Timestamp,
    ) -> Result<(SupportReplyRecord, bool), SupportError> {
        let ticket = self.visible_ticket(conversation_id, shops, now).await?;
        let shop = self.shop(&ticket.shop_id).await?;
        let text = match (&input.text, &input.saved_reply_id) {
            (Some(text), None) => text.trim().to_owned(),
            (None, Some(reply_id)) => {
                let saved = self
                    .store
                    .saved_reply(reply_id)
                    .await?
                    .filter(|saved| saved.shop_id.as_ref().is_none_or(|id| *id == shop.id))
                    .ok_or(SupportError::NotFound("saved reply"))?;
                render_saved_reply(&saved.body, &input.values)?
            }
            _ => {
                return Err(SupportError::Invalid(
                    "give either text or saved_reply_id".to_owned(),
                ))
            }
        };
        if text.is_empty() {
            return Err(SupportError::Invalid("the reply is empty".to_owned()));
        }
        let verdict = check_chat_reply(&text, Some(&shop.region));
        if !verdict.ok {
            return Err(SupportError::Blocked(verdict.findings));
        }
        let reply_id = uuid::Uuid::new_v4().to_string();
        let command_key = match &input.command_key {
            Some(key) => format!("{conversation_id}:{agent}:{key}"),
            None => format!("{conversation_id}:{reply_id}"),
        };
        let (stored, new) = self
            .store
            .create_support_reply(&NewSupportReply {
                reply_id,
                command_key,
                conversation_id: conversation_id.to_owned(),
                shop_id: shop.id.clone(),
                text,
                agent: agent.to_owned(),
                created_at: now,
            })
            .await?;
        if new {
            self.store
                .enqueue_jobs(&[NewJob {
                    kind: SUPPORT_REPLY_JOB.to_owned(),
                    dedupe_key: format!("{SUPPORT_REPLY_JOB}:{}", stored.reply.reply_id),
                    payload: stored.reply.reply_id.clone(),
                    due_at: now,
                    max_attempts: SUPPORT_REPLY_MAX_ATTEMPTS,
                }])
                .await?;
        }
        Ok((stored, new))
    }

    /// Records a chat flag for a shop.
    pub async fn set_flag(
        &self,
        shop_id: &ShopId,
        flag: &FlagInput,
        now: Timestamp,
    ) -> Result<(), SupportError> {
        self.shop(shop_id).await?;
        let period = |kind: &str, starts_at: &Timestamp, ends_at: &Option<Timestamp>| {
            if ends_at.is_some_and(|end| end <= *starts_at) {
                return Err(SupportError::Invalid(
                    "ends_at must be after starts_at".to_owned(),
                ));
            }
            Ok(ChatPeriodRecord {
                shop_id: shop_id.clone(),
                kind: kind.to_owned(),
                starts_at: *starts_at,
                ends_at: *ends_at,
            })
        };
        let marks = |ids: &[String], mark: &str| -> Vec<MessageMarkRecord> {
            ids.iter()
                .map(|message_id| MessageMarkRecord {
                    message_id: message_id.clone(),
                    shop_id: shop_id.clone(),
                    mark: mark.to_owned(),
                })
                .collect()
        };
        match flag {
            FlagInput::HolidayMode { starts_at, ends_at } => {
                let record = period("holiday_mode", starts_at, ends_at)?;
                self.store.add_chat_period(&record).await?;
            }
            FlagInput::Chatbot { starts_at, ends_at } => {
                let record = period("chatbot", starts_at, ends_at)?;
                self.store.add_chat_period(&record).await?;
            }
            FlagInput::BlockedBuyer { buyer_id, blocked } => {
                self.store
                    .set_buyer_blocked(shop_id, buyer_id, *blocked, now)
                    .await?;
            }
            FlagInput::Broadcast { message_ids } => {
                self.store
                    .mark_messages(&marks(message_ids, "broadcast"))
                    .await?;
            }
            FlagInput::AutoReply { message_ids } => {
                self.store
                    .mark_messages(&marks(message_ids, "auto_reply"))
                    .await?;
            }
        }
        Ok(())
    }

    /// The shop's flags in the engine's terms.
    pub async fn chat_flags(&self, shop_id: &ShopId) -> Result<ChatFlags, SupportError> {
        let mut flags = ChatFlags::default();
        for period in self.store.chat_periods(shop_id).await? {
            let value = Period {
                start: period.starts_at,
                end: period.ends_at,
            };
            match period.kind.as_str() {
                "holiday_mode" => flags.holiday_mode.push(value),
                "chatbot" => flags.chatbot_on.push(value),
                _ => {}
            }
        }
        flags.blocked_buyers = self
            .store
            .blocked_buyers(shop_id)
            .await?
            .into_iter()
            .map(BuyerId::new)
            .collect();
        for mark in self.store.message_marks(shop_id).await? {
            let id = MessageId::new(mark.message_id);
            match mark.mark.as_str() {
                "broadcast" => {
                    flags.broadcast_messages.insert(id);
                }
                "auto_reply" => {
                    flags.auto_reply_messages.insert(id);
                }
                _ => {}
            }
        }
        flags.message_agents = self
            .store
            .reply_agents(shop_id)
            .await?
            .into_iter()
            .map(|(message_id, agent)| (MessageId::new(message_id), agent))
            .collect();
        flags.assigned_agents = self
            .store
            .list_tickets(&TicketFilter {
                shops: Some(vec![shop_id.clone()]),
                state: None,
            })
            .await?
            .into_iter()
            .filter_map(|ticket| {
                ticket
                    .assigned_agent
                    .map(|agent| (ConversationId::new(ticket.conversation_id), agent))
            })
            .collect();
        Ok(flags)
    }

    /// The response-time report of one shop over the window before `as_of`.
    pub async fn response_stats(
        &self,
        shop: &Shop,
        as_of: NaiveDate,
        rules: &ResponseRules,
    ) -> Result<ResponseReport, SupportError> {
        let (from, until) =
            shopcare_core::support::response_window(as_of, shop.time_zone, rules.period_days);
        let threads = self.store.chat_threads(&shop.id, from, until).await?;
        let flags = self.chat_flags(&shop.id).await?;
        let settings = ShopChatSettings {
            time_zone: shop.time_zone,
            region: shop.region.clone(),
        };
        Ok(response_report(&threads, &settings, &flags, rules, as_of))
    }

    /// The median first response time of each week ending on `week_ends` (local days,
    /// ascending; each week is the 7 days before its end), by the platform's rules. The
    /// chats of all the weeks are read once.
    pub async fn weekly_first_response(
        &self,
        shop: &Shop,
        week_ends: &[NaiveDate],
    ) -> Result<Vec<Option<Duration>>, SupportError> {
        let (Some(first), Some(last)) = (week_ends.first(), week_ends.last()) else {
            return Ok(Vec::new());
        };
        let span_days = (*last - *first).num_days() + 7;
        let (from, until) = shopcare_core::support::response_window(
            *last,
            shop.time_zone,
            u32::try_from(span_days).unwrap_or(u32::MAX),
        );
        let threads = self.store.chat_threads(&shop.id, from, until).await?;
        let flags = self.chat_flags(&shop.id).await?;
        let settings = ShopChatSettings {
            time_zone: shop.time_zone,
            region: shop.region.clone(),
        };
        let rules = ResponseRules {
            period_days: 7,
            ..ResponseRules::default()
        };
        Ok(week_ends
            .iter()
            .map(|end| {
                response_report(&threads, &settings, &flags, &rules, *end)
                    .shop
                    .first_response_p50
            })
            .collect())
    }

    /// Buyer inquiries of the last three days still unanswered past the 12-hour target
    /// (by the platform's rules: exclusions and the US weekend rule apply).
    pub async fn chats_past_target(
        &self,
        shop: &Shop,
        now: Timestamp,
    ) -> Result<u32, SupportError> {
        let threads = self
            .store
            .chat_threads(&shop.id, now - Duration::days(3), now)
            .await?;
        let flags = self.chat_flags(&shop.id).await?;
        let settings = ShopChatSettings {
            time_zone: shop.time_zone,
            region: shop.region.clone(),
        };
        let rules = ResponseRules::default();
        let overdue = threads
            .iter()
            .flat_map(|thread| {
                shopcare_core::support::inquiries(thread, &settings, &flags, &rules, now)
            })
            .filter(|inquiry| {
                inquiry.exclusion.is_none()
                    && inquiry.responded_at.is_none()
                    && inquiry.short_due_at <= now
            })
            .count();
        Ok(u32::try_from(overdue).unwrap_or(u32::MAX))
    }

    /// Saves a VoC entry for a shop.
    pub async fn save_voc_entry(
        &self,
        shop_id: &ShopId,
        input: &VocEntryInput,
        now: Timestamp,
    ) -> Result<VocEntryRecord, SupportError> {
        self.shop(shop_id).await?;
        let category = parse_support_category(&input.category).ok_or_else(|| {
            SupportError::Invalid(format!("unknown category {:?}", input.category))
        })?;
        let fix_owner = input
            .fix_owner
            .as_deref()
            .map(|owner| {
                FixOwner::parse(owner).ok_or_else(|| {
                    SupportError::Invalid(format!(
                        "unknown fix owner {owner:?} (expected ops, creative or supplier)"
                    ))
                })
            })
            .transpose()?;
        if input.root_cause.trim().is_empty() {
            return Err(SupportError::Invalid(
                "a VoC entry needs a root cause".to_owned(),
            ));
        }
        let entry = VocEntryRecord {
            entry_id: input
                .entry_id
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            shop_id: shop_id.clone(),
            category: category.as_str().to_owned(),
            root_cause: input.root_cause.trim().to_owned(),
            sku_ids: input.sku_ids.clone(),
            fix_owner: fix_owner.map(|owner| owner.as_str().to_owned()),
            fix_shipped_on: input.fix_shipped_on,
            note: input.note.clone(),
            updated_at: now,
        };
        self.store.save_voc_entry(&entry).await?;
        Ok(entry)
    }
}

impl SupportDesk {
    /// The shop's VoC log at `now`: reports per category and root cause per week (the
    /// last [`VOC_WEEKS`] weeks), escalated defects, and each entry with its fix's
    /// before/after comparison over [`VOC_WINDOW_DAYS`]-day windows.
    pub async fn voc_log(
        &self,
        shop_id: &ShopId,
        now: Timestamp,
    ) -> Result<serde_json::Value, SupportError> {
        let shop = self.shop(shop_id).await?;
        let shops = [shop.id.clone()];
        let reports = self
            .issue_reports(&shops, now - Duration::weeks(VOC_WEEKS))
            .await?;
        let weekly: Vec<serde_json::Value> = weekly_frequency(&reports, shop.time_zone)
            .into_iter()
            .map(|(key, weeks)| {
                let weeks: Vec<serde_json::Value> = weeks
                    .into_iter()
                    .map(|(monday, count)| serde_json::json!({"week_of": monday, "count": count}))
                    .collect();
                serde_json::json!({
                    "category": key.category,
                    "root_cause": key.root_cause,
                    "weeks": weeks,
                })
            })
            .collect();
        let escalated: Vec<serde_json::Value> = escalations(&reports, &EscalationRule::default())
            .into_iter()
            .map(|escalation| {
                serde_json::json!({
                    "sku_id": escalation.sku_id.as_str(),
                    "category": escalation.category,
                    "root_cause": escalation.root_cause,
                    "reports": escalation.reports,
                    "first_reported_at": escalation.first_reported_at,
                    "last_reported_at": escalation.last_reported_at,
                })
            })
            .collect();
        let mut entries = Vec::new();
        for entry in self.store.voc_entries(Some(&shops)).await? {
            let comparison = match entry.fix_shipped_on {
                Some(fix_day) if !entry.sku_ids.is_empty() => {
                    self.compare(&shop, &entry.sku_ids, fix_day, now).await?
                }
                _ => None,
            };
            let mut value = serde_json::to_value(&entry).map_err(|error| {
                SupportError::Store(StoreError::Corrupt(format!("VoC entry: {error}")))
            })?;
            value["comparison"] = comparison.map_or(serde_json::Value::Null, |found| {
                let side = |rates: &WindowRates| {
                    serde_json::json!({
                        "from": rates.from,
                        "until": rates.until,
                        "orders": rates.orders,
                        "refunds": rates.refunds,
                        "negative_reviews": rates.negative_reviews,
                        "refund_rate": rates.refund_rate(),
                        "negative_review_rate": rates.negative_review_rate(),
                    })
                };
                serde_json::json!({
                    "window_days": found.window_days,
                    "before": side(&found.before),
                    "after": side(&found.after),
                    "improved": found.improved(),
                })
            });
            entries.push(value);
        }
        Ok(serde_json::json!({
            "shop_id": shop.id.as_str(),
            "weekly": weekly,
            "escalations": escalated,
            "entries": entries,
        }))
    }

    /// The shops' issue reports since `since`, skipping rows whose category or source
    /// this version does not know.
    async fn issue_reports(
        &self,
        shops: &[ShopId],
        since: Timestamp,
    ) -> Result<Vec<IssueReport>, SupportError> {
        Ok(self
            .store
            .issue_reports(Some(shops), since)
            .await?
            .into_iter()
            .filter_map(|report| {
                Some(IssueReport {
                    category: parse_support_category(&report.category)?,
                    source: ReportSource::parse(&report.source)?,
                    shop_id: report.shop_id,
                    reported_at: report.reported_at,
                    root_cause: report.root_cause,
                    sku_id: report.sku_id.map(SkuId::new),
                    source_id: report.source_id,
                })
            })
            .collect())
    }

    /// Alerts the shop's team about every defect that several buyers reported within the
    /// escalation span; each defect alerts at most once per ISO week. Returns how many
    /// alerts were new.
    pub async fn alert_escalations(
        &self,
        shop_id: &ShopId,
        now: Timestamp,
    ) -> Result<u32, SupportError> {
        let rule = EscalationRule::default();
        let reports = self
            .issue_reports(std::slice::from_ref(shop_id), now - rule.within)
            .await?;
        let week = now.iso_week();
        let mut raised = 0;
        for escalation in escalations(&reports, &rule) {
            let alert = AlertRequest {
                shop_id: escalation.shop_id.clone(),
                kind: "defect_escalation".to_owned(),
                title: format!(
                    "{} buyers report the same {} problem on SKU {}",
                    escalation.reports,
                    escalation.root_cause,
                    escalation.sku_id.as_str()
                ),
                text: format!(
                    "{} chats or comments since {} report {} ({}) on SKU {}: check the batch, \
                     the listing and the packing before more orders go out.",
                    escalation.reports,
                    escalation.first_reported_at.format("%Y-%m-%d %H:%M UTC"),
                    escalation.root_cause,
                    escalation.category,
                    escalation.sku_id.as_str()
                ),
                subject_id: format!(
                    "{}:{}:{}",
                    escalation.sku_id.as_str(),
                    escalation.category,
                    escalation.root_cause
                ),
            };
            let suffix = format!("{}-W{:02}", week.year(), week.week());
            if enqueue_alert(&self.store, &alert, &suffix, now).await? {
                raised += 1;
            }
        }
        Ok(raised)
    }

    async fn compare(
        &self,
        shop: &Shop,
        sku_ids: &[String],
        fix_day: NaiveDate,
        now: Timestamp,
    ) -> Result<Option<FixComparison>, SupportError> {
        let midnight = |day: NaiveDate| {
            shopcare_core::support::local_to_utc(
                shop.time_zone,
                day.and_time(chrono::NaiveTime::MIN),
            )
        };
        let window = Duration::days(i64::from(VOC_WINDOW_DAYS));
        let activity = self
            .store
            .sku_activity(
                &shop.id,
                sku_ids,
                midnight(fix_day - window),
                midnight(fix_day + window),
            )
            .await?;
        let dated = |list: Vec<(String, Timestamp)>| -> Vec<(SkuId, Timestamp)> {
            list.into_iter()
                .map(|(sku, at)| (SkuId::new(sku), at))
                .collect()
        };
        let events = SkuEvents {
            orders: dated(activity.order_lines),
            refunds: dated(activity.requests),
            negative_reviews: dated(activity.negative_reviews),
        };
        let skus: BTreeSet<SkuId> = sku_ids.iter().map(|sku| SkuId::new(sku.as_str())).collect();
        Ok(compare_fix(
            fix_day,
            VOC_WINDOW_DAYS,
            &skus,
            &events,
            shop.time_zone,
            now,
        ))
    }
}

/// Priority from the buyer's reviews and open cases.
fn priority_of(
    context: &shopcare_store::BuyerContext,
    now: Timestamp,
) -> (shopcare_core::support::TicketPriority, Vec<String>) {
    let case_due_at = context
        .cases
        .iter()
        .filter(|(_, status, _)| !ReturnStatus::parse(status).is_closed())
        .filter_map(|(_, _, due_at)| *due_at)
        .min();
    let facts = PriorityFacts {
        lowest_review_stars: context.lowest_review_stars,
        case_due_at,
    };
    let (priority, reasons) = ticket_priority(&facts, CASE_NEAR_DEADLINE, now);
    (
        priority,
        reasons
            .into_iter()
            .map(|reason| reason.as_str().to_owned())
            .collect(),
    )
}

/// The stored checklist in core terms.
fn checklist_of(ticket: &TicketRecord) -> Result<Checklist, SupportError> {
    let entries = ticket
        .checklist
        .iter()
        .map(|stored| {
            let step = ChecklistStep::parse(&stored.step).ok_or_else(|| {
                SupportError::Store(StoreError::Corrupt(format!(
                    "unknown checklist step {:?}",
                    stored.step
                )))
            })?;
            Ok(ChecklistEntry {
                step,
                done_at: stored.done_at,
                by: stored.by.clone(),
                detail: stored.detail.clone(),
                skipped: stored.skipped,
            })
        })
        .collect::<Result<Vec<_>, SupportError>>()?;
    Ok(Checklist { entries })
}

/// Response figures as JSON: durations in seconds, rates as fractions with their counts.
pub fn stats_json(stats: &ResponseStats) -> serde_json::Value {
    let rate = |count: &shopcare_core::support::RateCount| {
        serde_json::json!({
            "rate": count.rate(),
            "met": count.met,
            "decided": count.decided,
            "pending": count.pending,
        })
    };
    let excluded: serde_json::Map<String, serde_json::Value> = stats
        .excluded
        .iter()
        .map(|(reason, count)| (reason.as_str().to_owned(), serde_json::json!(count)))
        .collect();
    serde_json::json!({
        "inquiries": stats.inquiries,
        "responded": stats.responded,
        "excluded": excluded,
        "first_response_seconds": {
            "p50": stats.first_response_p50.map(|time| time.num_seconds()),
            "p90": stats.first_response_p90.map(|time| time.num_seconds()),
        },
        "response_rate_12h": rate(&stats.within_short),
        "response_rate_24h": rate(&stats.within_long),
    })
}

/// A shop's report as JSON, per shop and per agent.
pub fn report_json(shop: &Shop, report: &ResponseReport) -> serde_json::Value {
    let mut value = stats_json(&report.shop);
    let agents: Vec<serde_json::Value> = report
        .agents
        .iter()
        .map(|(agent, stats)| {
            let mut entry = stats_json(stats);
            entry["agent"] = serde_json::json!(agent);
            entry
        })
        .collect();
    value["shop_id"] = serde_json::json!(shop.id.as_str());
    value["region"] = serde_json::json!(shop.region);
    value["time_zone"] = serde_json::json!(shop.time_zone.name());
    value["window"] = serde_json::json!({"from": report.from, "until": report.until});
    value["agents"] = serde_json::json!(agents);
    value
}
