//! Review classifier (issue 3): sentiment, root cause of a complaint, whether the
//! seller is accountable for it (Seller-related NRR, DOMAIN.md §3), language,
//! confidence and the evidence phrases — for reviews, chats and comments in
//! English, Indonesian, Malay, Thai, Vietnamese, Spanish, simplified Chinese and
//! mixes of them.
//!
//! How it decides: the text is normalised in one pass (`normalize`), matched
//! against weighted cue lexicons for every language with one Aho-Corasick
//! automaton (`lexicon`), and the cues are combined with negation scopes,
//! intensifiers, contrast ("but" makes the later clause weigh more) and order
//! facts (`engine`). Pure functions, no I/O, no downloaded models.
//!
//! Decisions worth knowing:
//! - `root_cause` names the complaint even in a 4–5★ review that has one; `none`
//!   means no complaint at all, `other` a complaint without a recognised cause.
//! - `seller_related` is true for every cause except `delivery` (logistics, excluded
//!   from SNRR) and `none` (nothing to be accountable for).
//! - A "slow / took two weeks" complaint is `late_dispatch` when the order facts say
//!   it shipped late, `delivery` otherwise; explicit "slow to ship out" text is
//!   `late_dispatch` unless the facts say it shipped on time.
//! - With a rating, 1–2★ is negative and 4–5★ positive; 3★ is neutral unless the
//!   text is clearly one-sided.

mod engine;
mod evaluate;
mod language;
mod lexicon;
mod normalize;
mod triage;

pub use evaluate::{evaluate, EvalReport, Expected, LabelMetrics};
pub use triage::{triage, SupportCategory};

/// Review sentiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sentiment {
    Negative,
    Neutral,
    Positive,
}

/// A label string that is not one of the classifier's labels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} label {value:?}")]
pub struct UnknownLabel {
    pub kind: &'static str,
    pub value: String,
}

impl Sentiment {
    pub const ALL: [Sentiment; 3] = [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive];

    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }

    pub fn parse(value: &str) -> Result<Self, UnknownLabel> {
        Self::ALL
            .into_iter()
            .find(|sentiment| sentiment.as_str() == value)
            .ok_or_else(|| UnknownLabel {
                kind: "sentiment",
                value: value.to_owned(),
            })
    }
}

/// Root cause of a review's complaint, following the platform's grouping (DOMAIN.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RootCause {
    ProductQuality,
    NotAsDescribed,
    WrongOrMissingItem,
    PackagingDamage,
    LateDispatch,
    /// Logistics after a timely hand-over: excluded from the seller-related rate.
    Delivery,
    CustomerService,
    PriceValue,
    /// A complaint that fits none of the above.
    Other,
    /// No complaint.
    None,
}

impl RootCause {
    pub const ALL: [RootCause; 10] = [
        RootCause::ProductQuality,
        RootCause::NotAsDescribed,
        RootCause::WrongOrMissingItem,
        RootCause::PackagingDamage,
        RootCause::LateDispatch,
        RootCause::Delivery,
        RootCause::CustomerService,
        RootCause::PriceValue,
        RootCause::Other,
        RootCause::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RootCause::ProductQuality => "product_quality",
            RootCause::NotAsDescribed => "not_as_described",
            RootCause::WrongOrMissingItem => "wrong_or_missing_item",
            RootCause::PackagingDamage => "packaging_damage",
            RootCause::LateDispatch => "late_dispatch",
            RootCause::Delivery => "delivery",
            RootCause::CustomerService => "customer_service",
            RootCause::PriceValue => "price_value",
            RootCause::Other => "other",
            RootCause::None => "none",
        }
    }

    pub fn parse(value: &str) -> Result<Self, UnknownLabel> {
        Self::ALL
            .into_iter()
            .find(|cause| cause.as_str() == value)
            .ok_or_else(|| UnknownLabel {
                kind: "root cause",
                value: value.to_owned(),
            })
    }

    /// Whether a negative review with this cause counts toward the seller-related
    /// rate: everything but logistics, and nothing when there is no complaint.
    pub fn is_seller_related(self) -> bool {
        !matches!(self, RootCause::Delivery | RootCause::None)
    }
}

impl std::fmt::Display for Sentiment {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl std::fmt::Display for RootCause {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Facts about the review's order that decide between seller and logistics blame.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFacts {
    /// Handed to the carrier after the promised ship-by time.
    pub shipped_late: Option<bool>,
    /// Tracking stopped moving for longer than the alert threshold.
    pub tracking_stalled: Option<bool>,
    pub delivered: Option<bool>,
}

/// One thing to classify.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassifyInput {
    pub text: String,
    /// Stars 1–5; other values are ignored.
    pub rating: Option<u8>,
    /// Market code (`ID`, `MY`, `TH`, `VN`, `MX`, `US`...): a hint for the language.
    pub market: Option<String>,
    pub order: Option<OrderFacts>,
}

impl ClassifyInput {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// What a piece of evidence showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Positive,
    Negative,
    Neutral,
    Cause(RootCause),
    Negation,
    Intensifier,
    Contrast,
    /// An order fact (shipped late / on time) that decided the cause.
    OrderFact,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Positive => "positive",
            Signal::Negative => "negative",
            Signal::Neutral => "neutral",
            Signal::Cause(cause) => cause.as_str(),
            Signal::Negation => "negation",
            Signal::Intensifier => "intensifier",
            Signal::Contrast => "contrast",
            Signal::OrderFact => "order_fact",
        }
    }
}

/// A phrase of the input that decided something. `start..end` are byte offsets into
/// the input text (always on char boundaries); order facts have an empty range.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub phrase: String,
    pub start: usize,
    pub end: usize,
    pub signal: Signal,
}

/// The classifier's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub sentiment: Sentiment,
    pub root_cause: RootCause,
    pub seller_related: bool,
    /// ISO 639-1: `en`, `id`, `ms`, `th`, `vi`, `es` or `zh`.
    pub language: &'static str,
    /// 0–1.
    pub confidence: f32,
    pub evidence: Vec<Evidence>,
}

/// Classifies one review.
pub fn classify(input: &ClassifyInput) -> Classification {
    engine::classify(input)
}

/// Sentiment of any buyer text (review, chat message, comment) and a 0–1 confidence.
pub fn sentiment_of(text: &str) -> (Sentiment, f32) {
    engine::sentiment_of(text)
}
