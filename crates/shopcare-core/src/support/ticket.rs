//! Tickets: a conversation being worked on. Triage suggests one of the four categories
//! of DOMAIN.md §6 from the buyer's messages (with the classifier's machinery,
//! `classify::triage`), priority goes up for buyers who already left a 1–2★ review and
//! for after-sales cases near their deadline, and the standard flow is a checklist.

use crate::classify::{triage, SupportCategory};
use crate::{Message, MessageId, SenderRole, Timestamp};
use chrono::Duration;

/// Parses a category's wire name (`shipping`, `product_issue`, `usage`,
/// `expectation_mismatch`).
pub fn parse_support_category(name: &str) -> Option<SupportCategory> {
    [
        SupportCategory::Shipping,
        SupportCategory::ProductIssue,
        SupportCategory::Usage,
        SupportCategory::ExpectationMismatch,
    ]
    .into_iter()
    .find(|category| category.as_str() == name.trim())
}

/// The triage suggestion for a conversation, with the message that decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageSuggestion {
    pub category: Option<SupportCategory>,
    /// The buyer message whose text named the winning category first.
    pub evidence_message: Option<MessageId>,
    /// Buyer messages per category, in the order the categories first appeared.
    pub votes: Vec<(SupportCategory, u32)>,
}

/// Suggests a category from the buyer's text messages: each message votes for the
/// category it names; the most votes win, and a tie goes to the category the buyer
/// raised first (the opening complaint is usually the real one). When no single
/// message names a problem, the buyer's messages are read together once.
pub fn triage_conversation(messages: &[Message]) -> TriageSuggestion {
    let mut buyer_messages: Vec<&Message> = messages
        .iter()
        .filter(|message| {
            message.sender_role == SenderRole::Buyer
                && message.is_visible
                && !message.text.trim().is_empty()
        })
        .collect();
    buyer_messages.sort_by_key(|message| (message.index, message.create_time));
    let mut votes: Vec<(SupportCategory, u32, &MessageId)> = Vec::new();
    for message in &buyer_messages {
        let Some(category) = triage(&message.text) else {
            continue;
        };
        match votes.iter_mut().find(|(seen, _, _)| *seen == category) {
            Some(entry) => entry.1 += 1,
            None => votes.push((category, 1, &message.id)),
        }
    }
    if votes.is_empty() {
        let joined: Vec<&str> = buyer_messages
            .iter()
            .map(|message| message.text.as_str())
            .collect();
        let category = triage(&joined.join(". "));
        return TriageSuggestion {
            category,
            evidence_message: category
                .and_then(|_| buyer_messages.first().map(|message| message.id.clone())),
            votes: category.map(|found| vec![(found, 1)]).unwrap_or_default(),
        };
    }
    // Stable: among equal counts the earliest category keeps first place.
    let winner = votes
        .iter()
        .enumerate()
        .max_by_key(|(position, (_, count, _))| (*count, std::cmp::Reverse(*position)))
        .map(|(_, entry)| (entry.0, entry.2.clone()));
    TriageSuggestion {
        category: winner.as_ref().map(|(category, _)| *category),
        evidence_message: winner.map(|(_, message)| message),
        votes: votes
            .into_iter()
            .map(|(category, count, _)| (category, count))
            .collect(),
    }
}

/// How urgent a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TicketPriority {
    Normal,
    High,
    Urgent,
}

impl TicketPriority {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketPriority::Normal => "normal",
            TicketPriority::High => "high",
            TicketPriority::Urgent => "urgent",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            TicketPriority::Normal,
            TicketPriority::High,
            TicketPriority::Urgent,
        ]
        .into_iter()
        .find(|priority| priority.as_str() == name.trim())
    }

    fn raised(self) -> Self {
        match self {
            TicketPriority::Normal => TicketPriority::High,
            TicketPriority::High | TicketPriority::Urgent => TicketPriority::Urgent,
        }
    }
}

/// Why a ticket's priority went up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorityReason {
    /// The buyer already left a 1–2★ review.
    NegativeReview,
    /// An after-sales case of the order is due within the warning lead (or overdue).
    CaseNearDeadline,
}

impl PriorityReason {
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityReason::NegativeReview => "negative_review",
            PriorityReason::CaseNearDeadline => "case_near_deadline",
        }
    }
}

/// The facts priority is decided from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityFacts {
    /// Lowest star rating among the buyer's reviews for this shop, if any.
    pub lowest_review_stars: Option<u8>,
    /// The earliest seller deadline among the order's open after-sales cases.
    pub case_due_at: Option<Timestamp>,
}

/// Each fact raises the priority one step: normal → high → urgent.
pub fn ticket_priority(
    facts: &PriorityFacts,
    near_deadline: Duration,
    now: Timestamp,
) -> (TicketPriority, Vec<PriorityReason>) {
    let mut priority = TicketPriority::Normal;
    let mut reasons = Vec::new();
    if facts
        .lowest_review_stars
        .is_some_and(|stars| (1..=2).contains(&stars))
    {
        priority = priority.raised();
        reasons.push(PriorityReason::NegativeReview);
    }
    if facts
        .case_due_at
        .is_some_and(|due_at| due_at - now <= near_deadline)
    {
        priority = priority.raised();
        reasons.push(PriorityReason::CaseNearDeadline);
    }
    (priority, reasons)
}

/// The standard flow of DOMAIN.md §6, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChecklistStep {
    /// Acknowledge, saying when the buyer can expect an answer.
    Acknowledge,
    /// Ask once for the order number and 1–2 photos or a short video.
    CollectProof,
    /// Shipping, usage or defect.
    Diagnose,
    /// The best allowed resolution offered.
    Resolution,
    /// The outcome confirmed to the buyer in writing.
    ConfirmInWriting,
    /// The root cause tagged (packout error, unclear instructions, ...).
    RootCauseTag,
}

impl ChecklistStep {
    pub const ALL: [ChecklistStep; 6] = [
        ChecklistStep::Acknowledge,
        ChecklistStep::CollectProof,
        ChecklistStep::Diagnose,
        ChecklistStep::Resolution,
        ChecklistStep::ConfirmInWriting,
        ChecklistStep::RootCauseTag,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistStep::Acknowledge => "acknowledge",
            ChecklistStep::CollectProof => "collect_proof",
            ChecklistStep::Diagnose => "diagnose",
            ChecklistStep::Resolution => "resolution",
            ChecklistStep::ConfirmInWriting => "confirm_in_writing",
            ChecklistStep::RootCauseTag => "root_cause_tag",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|step| step.as_str() == name.trim())
    }

    /// Steps whose `detail` must say something: the time frame promised, the diagnosis,
    /// the resolution, the root-cause tag.
    fn needs_detail(self) -> bool {
        !matches!(
            self,
            ChecklistStep::CollectProof | ChecklistStep::ConfirmInWriting
        )
    }
}

/// One completed (or skipped) step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistEntry {
    pub step: ChecklistStep,
    pub done_at: Timestamp,
    /// The shopcare user.
    pub by: String,
    pub detail: Option<String>,
    /// Proof was not needed (e.g. a tracking question): the step is passed, not done.
    pub skipped: bool,
}

/// A step that cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecklistError {
    #[error("step {0} is already done (proof is collected once)")]
    AlreadyDone(&'static str),
    #[error("step {step} comes after {missing}, which is not done yet")]
    OutOfOrder {
        step: &'static str,
        missing: &'static str,
    },
    #[error("step {0} needs a detail (time frame, diagnosis, resolution or root-cause tag)")]
    MissingDetail(&'static str),
    #[error("only collect_proof may be skipped")]
    NotSkippable,
}

/// The ticket's checklist: steps are recorded in order, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checklist {
    pub entries: Vec<ChecklistEntry>,
}

impl Checklist {
    pub fn is_done(&self, step: ChecklistStep) -> bool {
        self.entries.iter().any(|entry| entry.step == step)
    }

    /// The first step not yet done, or `None` when the flow is complete.
    pub fn next_step(&self) -> Option<ChecklistStep> {
        ChecklistStep::ALL
            .into_iter()
            .find(|step| !self.is_done(*step))
    }

    /// The root-cause tag, once tagged.
    pub fn root_cause_tag(&self) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.step == ChecklistStep::RootCauseTag)
            .and_then(|entry| entry.detail.as_deref())
    }

    /// Records `entry` if every earlier step is done and it is not done yet.
    pub fn record(&mut self, entry: ChecklistEntry) -> Result<(), ChecklistError> {
        let step = entry.step;
        if entry.skipped && step != ChecklistStep::CollectProof {
            return Err(ChecklistError::NotSkippable);
        }
        if self.is_done(step) {
            return Err(ChecklistError::AlreadyDone(step.as_str()));
        }
        if let Some(missing) = ChecklistStep::ALL
            .into_iter()
            .take_while(|earlier| *earlier != step)
            .find(|earlier| !self.is_done(*earlier))
        {
            return Err(ChecklistError::OutOfOrder {
                step: step.as_str(),
                missing: missing.as_str(),
            });
        }
        let has_detail = entry
            .detail
            .as_deref()
            .is_some_and(|detail| !detail.trim().is_empty());
        if step.needs_detail() && !has_detail {
            return Err(ChecklistError::MissingDetail(step.as_str()));
        }
        self.entries.push(entry);
        Ok(())
    }
}
