//! The compliance guard: every text shopcare sends or publishes (review replies,
//! review requests, chat messages, listing copy) goes through [`check`] first, and a
//! text with findings is not sent.
//!
//! Each rule lives in its own file under `rules/` and reports [`Finding`]s with byte
//! offsets into the caller's text, a message saying what is wrong and a concrete
//! suggestion. Rules match a folded copy of the text (lower case, Latin diacritics
//! removed; see `text.rs`) so buyers' seven languages (en, id, ms, th, vi, es, zh)
//! are covered with or without diacritics, and Thai/Chinese without spaces.
//!
//! Scope decisions:
//! - Every rule applies to every kind of text. `overclaim` is written for listing
//!   copy, but a claim such as "cures acne" or "No. 1 in the world" is no truer in a
//!   chat or a review reply, and its patterns are narrow enough not to fire on
//!   ordinary support wording. Bare superlatives ("the most effective", "best …
//!   ever", "paling ampuh") are checked only in listings and review requests, so
//!   "the most common fix is …" in a reply stays clean.
//! - Buyer names are flagged in every kind, chat included: the guard cannot tell
//!   whose name it is, and a neutral greeting costs nothing.
//! - A phone number or e-mail address offered as a contact channel ("WhatsApp us at
//!   …") is an `off_platform_redirect`; one quoted without that context is
//!   `personal_data`.
//! - Market rule packs: see [`RulePack`]. Only review-edit requests differ by market:
//!   the guard cannot see whether the issue is resolved, so in ID/TH it accepts one
//!   optional update/edit question per text that names no rating and has no reward,
//!   remedy or condition in its sentence or the next one.
//! - Gazetteers (`data/*.txt`) are the team's own lists of given names and surnames
//!   of Indonesian, Malay, Thai, Vietnamese, Chinese, Hispanic, Filipino and
//!   English-speaking buyers, plus words that follow greetings but are not names.
//!
//! Invariant: no I/O. Word lists and gazetteers are compiled in with
//! `include_str!` and every automaton is built once, on first use.

mod contacts;
mod drafts;
mod eval;
mod lexicon;
mod rules;
mod text;

use std::fmt;

pub use drafts::{draft_review_reply, draft_review_request};
pub use eval::{evaluate, EvalCase, EvalMismatch, EvalReport, RuleScore};

/// What sort of outgoing text is being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextKind {
    /// A public reply under a buyer's review.
    ReviewReply,
    /// A message asking a buyer for a review.
    ReviewRequest,
    /// A private chat message to a buyer.
    ChatMessage,
    /// Product listing copy (title, description, bullet points).
    Listing,
}

impl TextKind {
    pub const ALL: [TextKind; 4] = [
        TextKind::ReviewReply,
        TextKind::ReviewRequest,
        TextKind::ChatMessage,
        TextKind::Listing,
    ];

    /// The stable wire name, e.g. `review_reply`.
    pub fn as_str(self) -> &'static str {
        match self {
            TextKind::ReviewReply => "review_reply",
            TextKind::ReviewRequest => "review_request",
            TextKind::ChatMessage => "chat_message",
            TextKind::Listing => "listing",
        }
    }

    /// Parses a wire name; unknown names are an error that carries the input.
    pub fn parse(name: &str) -> Result<TextKind, ComplianceError> {
        TextKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name.trim())
            .ok_or_else(|| ComplianceError::UnknownTextKind(name.to_owned()))
    }
}

impl fmt::Display for TextKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A compliance rule, with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    PersonalData,
    AbusiveLanguage,
    ReviewIncentive,
    ReviewManipulation,
    OffPlatformRedirect,
    Overclaim,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::PersonalData,
        Rule::AbusiveLanguage,
        Rule::ReviewIncentive,
        Rule::ReviewManipulation,
        Rule::OffPlatformRedirect,
        Rule::Overclaim,
    ];

    /// The stable rule code, e.g. `personal_data`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::PersonalData => "personal_data",
            Rule::AbusiveLanguage => "abusive_language",
            Rule::ReviewIncentive => "review_incentive",
            Rule::ReviewManipulation => "review_manipulation",
            Rule::OffPlatformRedirect => "off_platform_redirect",
            Rule::Overclaim => "overclaim",
        }
    }

    /// Parses a rule code; unknown codes are an error that carries the input.
    pub fn parse(code: &str) -> Result<Rule, ComplianceError> {
        Rule::ALL
            .into_iter()
            .find(|rule| rule.as_str() == code.trim())
            .ok_or_else(|| ComplianceError::UnknownRule(code.to_owned()))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Bad names handed to the compliance API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplianceError {
    #[error(
        "unknown text kind {0:?} (expected review_reply, review_request, chat_message or listing)"
    )]
    UnknownTextKind(String),
    #[error("unknown compliance rule {0:?}")]
    UnknownRule(String),
}

/// One problem found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// UTF-8 byte offset of the first byte of the problem (a char boundary).
    pub start: usize,
    /// UTF-8 byte offset just past the problem (a char boundary).
    pub end: usize,
    /// `text[start..end]`.
    pub excerpt: String,
    /// What is wrong, for the operator.
    pub message: String,
    /// A concrete way to fix it.
    pub suggestion: String,
}

/// The guard's answer for one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// True when there are no findings: the text may be sent.
    pub ok: bool,
    pub findings: Vec<Finding>,
}

/// Which review-edit policy applies.
///
/// `Strict` (the default, and the US policy) forbids any request to change, update
/// or remove a review. `OneUpdateQuestion` (Indonesia, Thailand) allows a single,
/// optional question whether the buyer would like to update their review after an
/// issue was resolved — never naming a rating, never tied to a reward or to the
/// resolution, never asking for removal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulePack {
    Strict,
    OneUpdateQuestion,
}

impl RulePack {
    /// The pack for a market code (ISO 3166 alpha-2, case-insensitive).
    /// Unknown or missing markets get the strict pack.
    pub fn for_market(market: Option<&str>) -> RulePack {
        match market.map(|code| code.trim().to_ascii_uppercase()) {
            Some(code) if code == "ID" || code == "TH" => RulePack::OneUpdateQuestion,
            _ => RulePack::Strict,
        }
    }
}

/// Checks one outgoing text. Never panics; offsets are on char boundaries.
pub fn check(text: &str, kind: TextKind, market: Option<&str>) -> Verdict {
    let context = rules::Context::new(text, kind, RulePack::for_market(market), market);
    let findings = rules::run_all(&context);
    Verdict {
        ok: findings.is_empty(),
        findings,
    }
}
