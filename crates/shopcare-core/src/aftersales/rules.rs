//! The deadline rule table: (market, request type, stage, effective-from date, condition)
//! → duration and day kind, each row with a stable id and the page it comes from.
//!
//! The platform publishes these rules per market and changes them over time, so they are
//! data, not code: [`RuleTable::defaults`] ships the published figures
//! (`reference/platform-and-peers.md` §5.2) and callers may add or replace rows from config.
//!
//! Choosing a row for a request ([`RuleTable::select`]): among rows of the stage whose market
//! is the request's (or `*`), whose kind is the request's (or any), whose `effective_from` is
//! on or before the local opening date and whose condition holds, the most specific wins —
//! a market row beats a `*` row, then a kind row beats an any-kind row, then a conditioned
//! row beats an unconditioned one, then the latest `effective_from` wins (so a newer row
//! supersedes an older one without deleting it), then the higher refund threshold (a
//! "refund over 200" row beats a "refund over 100" row for a 250 refund).
//!
//! Rows published for one market (e.g. Indonesia's ship-back window) are also shipped as
//! `*` rows, because they are the only published figure; rows marked `fallback` exist
//! only so that a market without its own rule still gets a justified deadline, and the
//! deadline says so.
//!
//! The published pages give no start dates, so default rows are effective from
//! [`DEFAULT_EFFECTIVE_FROM`]; a newer rule is added as a new row with its own date.

use crate::{AfterSalesKind, Currency, Money};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::calendar::normalize_market;

/// The effective-from date of every default row: before TikTok Shop's after-sales rules
/// were first published, so every default applies to any request shopcare can see.
pub const DEFAULT_EFFECTIVE_FROM: NaiveDate =
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("2020-01-01 is a valid date");

/// How a rule's duration is counted (see [`super::calendar`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayKind {
    CalendarDays,
    WorkingDays,
    BusinessDays,
    Hours,
}

impl DayKind {
    pub const ALL: [DayKind; 4] = [
        DayKind::CalendarDays,
        DayKind::WorkingDays,
        DayKind::BusinessDays,
        DayKind::Hours,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::CalendarDays => "calendar_days",
            DayKind::WorkingDays => "working_days",
            DayKind::BusinessDays => "business_days",
            DayKind::Hours => "hours",
        }
    }

    pub fn parse(value: &str) -> Result<Self, RuleError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value.trim())
            .ok_or_else(|| RuleError::UnknownDayKind(value.to_owned()))
    }
}

impl std::fmt::Display for DayKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose clock is running, and for what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// The seller must accept or reject the request (else the platform approves it).
    SellerResponse,
    /// The buyer must ship the item back after approval (else the request closes).
    BuyerShipBack,
    /// The seller must confirm receipt of the returned parcel (else it is automatic).
    SellerConfirmReceipt,
    /// The seller may appeal a decision.
    Appeal,
    /// The seller must ship a reshipment.
    ReshipmentDispatch,
    /// After a seller rejection, the buyer may escalate (else the request closes).
    BuyerEscalation,
    /// The buyer must answer a seller's counter-offer (e.g. a partial refund).
    BuyerOfferResponse,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::SellerResponse,
        Stage::BuyerShipBack,
        Stage::SellerConfirmReceipt,
        Stage::Appeal,
        Stage::ReshipmentDispatch,
        Stage::BuyerEscalation,
        Stage::BuyerOfferResponse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::SellerResponse => "seller_response",
            Stage::BuyerShipBack => "buyer_ship_back",
            Stage::SellerConfirmReceipt => "seller_confirm_receipt",
            Stage::Appeal => "appeal",
            Stage::ReshipmentDispatch => "reshipment_dispatch",
            Stage::BuyerEscalation => "buyer_escalation",
            Stage::BuyerOfferResponse => "buyer_offer_response",
        }
    }

    /// Parses a stage name as the CLI and config spell it; unknown names are an error
    /// because a stage is shopcare's own vocabulary, not platform data.
    pub fn parse(value: &str) -> Result<Self, RuleError> {
        Self::ALL
            .into_iter()
            .find(|stage| stage.as_str() == value.trim())
            .ok_or_else(|| RuleError::UnknownStage(value.to_owned()))
    }

    /// The seller has to act before this deadline (it belongs in the seller's queue).
    pub fn is_seller_clock(self) -> bool {
        matches!(
            self,
            Stage::SellerResponse
                | Stage::SellerConfirmReceipt
                | Stage::Appeal
                | Stage::ReshipmentDispatch
        )
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An extra condition a row needs to apply.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RuleCondition {
    Always,
    /// The request's refund is strictly greater than this amount, in this currency. A
    /// refund in another currency, or an unknown refund, does not meet the condition: the
    /// unconditioned row then applies, which for the shipped defaults is the shorter
    /// (safer) deadline.
    RefundOver(Money),
}

impl RuleCondition {
    pub fn holds(&self, refund: Option<&Money>) -> bool {
        match self {
            RuleCondition::Always => true,
            RuleCondition::RefundOver(threshold) => refund.is_some_and(|refund| {
                refund.currency() == threshold.currency() && refund.amount() > threshold.amount()
            }),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRule {
    /// Stable identifier shown with every deadline (e.g. `us.return_and_refund.seller_response.over_100_usd`).
    pub id: String,
    /// Upper-case market code, or `None` for any market (`*`).
    pub market: Option<String>,
    /// The request type, or `None` for any type.
    pub kind: Option<AfterSalesKind>,
    pub stage: Stage,
    /// The first local date (in the shop's zone) on which the row applies.
    pub effective_from: NaiveDate,
    pub condition: RuleCondition,
    pub amount: u32,
    pub day_kind: DayKind,
    /// Where the figure comes from (knowledge_id of the Seller University page, or why a
    /// fallback was chosen).
    pub source: String,
    /// A stand-in for a market with no published rule of its own.
    pub fallback: bool,
}

impl DeadlineRule {
    /// A row effective from [`DEFAULT_EFFECTIVE_FROM`] with no condition.
    pub fn new(
        id: &str,
        market: Option<&str>,
        kind: Option<AfterSalesKind>,
        stage: Stage,
        amount: u32,
        day_kind: DayKind,
        source: &str,
    ) -> Self {
        Self {
            id: id.to_owned(),
            market: market.map(normalize_market),
            kind,
            stage,
            effective_from: DEFAULT_EFFECTIVE_FROM,
            condition: RuleCondition::Always,
            amount,
            day_kind,
            source: source.to_owned(),
            fallback: false,
        }
    }

    pub fn effective_from(mut self, date: NaiveDate) -> Self {
        self.effective_from = date;
        self
    }

    pub fn when(mut self, condition: RuleCondition) -> Self {
        self.condition = condition;
        self
    }

    pub fn as_fallback(mut self) -> Self {
        self.fallback = true;
        self
    }

    fn applies(
        &self,
        market: &str,
        kind: &AfterSalesKind,
        stage: Stage,
        on: NaiveDate,
        refund: Option<&Money>,
    ) -> bool {
        self.stage == stage
            && self.market.as_deref().is_none_or(|own| own == market)
            && self.kind.as_ref().is_none_or(|own| own == kind)
            && self.effective_from <= on
            && self.condition.holds(refund)
    }

    /// Orders applicable rows: higher is more specific (see the module doc).
    fn specificity(&self) -> (bool, bool, bool, NaiveDate, Option<Decimal>) {
        let refund_threshold = match &self.condition {
            RuleCondition::Always => None,
            RuleCondition::RefundOver(threshold) => Some(threshold.amount()),
        };
        (
            self.market.is_some(),
            self.kind.is_some(),
            self.condition != RuleCondition::Always,
            self.effective_from,
            refund_threshold,
        )
    }

    /// Two rows with the same key would make selection ambiguous.
    fn key(
        &self,
    ) -> (
        Option<&str>,
        Option<&AfterSalesKind>,
        Stage,
        NaiveDate,
        &RuleCondition,
    ) {
        (
            self.market.as_deref(),
            self.kind.as_ref(),
            self.stage,
            self.effective_from,
            &self.condition,
        )
    }
}

/// Problems with rule rows or names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("unknown stage {0:?} (expected one of seller_response, buyer_ship_back, seller_confirm_receipt, appeal, reshipment_dispatch, buyer_escalation, buyer_offer_response)")]
    UnknownStage(String),
    #[error(
        "unknown day kind {0:?} (expected calendar_days, working_days, business_days or hours)"
    )]
    UnknownDayKind(String),
    #[error("rule id {0:?} appears twice")]
    DuplicateId(String),
    #[error(
        "rules {0:?} and {1:?} have the same market, type, stage, effective date and condition"
    )]
    Ambiguous(String, String),
    #[error("rule {id:?}: market {market:?} is not a two-letter code")]
    InvalidMarket { id: String, market: String },
    #[error("rule id must not be empty")]
    EmptyId,
}

/// A validated set of rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTable {
    rules: Vec<DeadlineRule>,
}

impl RuleTable {
    /// Validates ids (non-empty, unique), market codes and that no two rows share a key.
    pub fn new(rules: Vec<DeadlineRule>) -> Result<Self, RuleError> {
        for (index, rule) in rules.iter().enumerate() {
            if rule.id.trim().is_empty() {
                return Err(RuleError::EmptyId);
            }
            if let Some(market) = &rule.market {
                if market.len() != 2 || !market.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(RuleError::InvalidMarket {
                        id: rule.id.clone(),
                        market: market.clone(),
                    });
                }
            }
            for earlier in &rules[..index] {
                if earlier.id == rule.id {
                    return Err(RuleError::DuplicateId(rule.id.clone()));
                }
                if earlier.key() == rule.key() {
                    return Err(RuleError::Ambiguous(earlier.id.clone(), rule.id.clone()));
                }
            }
        }
        Ok(Self { rules })
    }

    /// This table plus one row (e.g. a newer rule that supersedes an older one).
    pub fn with_rule(self, rule: DeadlineRule) -> Result<Self, RuleError> {
        let mut rules = self.rules;
        rules.push(rule);
        Self::new(rules)
    }

    pub fn rules(&self) -> &[DeadlineRule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&DeadlineRule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// The row that governs a request (see the module doc for the order of preference).
    pub fn select(
        &self,
        market: &str,
        kind: &AfterSalesKind,
        stage: Stage,
        on: NaiveDate,
        refund: Option<&Money>,
    ) -> Option<&DeadlineRule> {
        let market = normalize_market(market);
        self.rules
            .iter()
            .filter(|rule| rule.applies(&market, kind, stage, on, refund))
            .max_by_key(|rule| rule.specificity())
    }

    /// The published defaults of `reference/platform-and-peers.md` §5.2 and DOMAIN.md §4.
    pub fn defaults() -> Self {
        Self::new(default_rules()).expect("the default rules are consistent")
    }
}

impl Default for RuleTable {
    fn default() -> Self {
        Self::defaults()
    }
}

const SOURCE_ID_REFUND_ONLY: &str = "seller-id knowledge_id=8701225512601345 [official]";
const SOURCE_ID_RETURNS: &str = "seller-id knowledge_id=7753815881746178 [official, older rule]";
const SOURCE_TH_RETURN: &str = "seller-th knowledge_id=4227429091264258 [official]";
const SOURCE_TH_EXCHANGE: &str = "seller-th knowledge_id=265562412451601 [official]";
const SOURCE_TH_RESHIPMENT: &str = "seller-th knowledge_id=233873175840528 [official]";
const SOURCE_VN_RETURN: &str = "seller-vn knowledge_id=2901402355762946 [official]";
const SOURCE_US_RETURN: &str = "seller-us knowledge_id=8854995425085230 [official]";
const SOURCE_US_REPLACEMENT: &str =
    "polici.net/changes/customer-order-cancellation-return-and-refund-policy [3p policy diff]";
const SOURCE_TH_APPEAL: &str = "seller-th knowledge_id=7386791368197889 [official]";
const SOURCE_VN_APPEAL: &str = "seller-vn knowledge_id=5104634859620098 [official]";
const SOURCE_FALLBACK_RESPONSE: &str = "fallback: no published rule for this market; uses the 1 working day published for TH (seller-th knowledge_id=4227429091264258) and VN (seller-vn knowledge_id=2901402355762946)";

fn default_rules() -> Vec<DeadlineRule> {
    use AfterSalesKind::{Exchange, Refund, Replacement, Reshipment, ReturnAndRefund};
    use DayKind::{BusinessDays, CalendarDays, Hours, WorkingDays};
    use Stage::*;
    let mut rules = vec![
        // Refund only: 2 calendar days everywhere, no extension.
        DeadlineRule::new(
            "any.refund.seller_response",
            None,
            Some(Refund),
            SellerResponse,
            2,
            CalendarDays,
            SOURCE_ID_REFUND_ONLY,
        ),
        // Thailand and Vietnam: 1 working day for return & refund, exchange, reshipment.
        DeadlineRule::new(
            "th.return_and_refund.seller_response",
            Some("TH"),
            Some(ReturnAndRefund),
            SellerResponse,
            1,
            WorkingDays,
            SOURCE_TH_RETURN,
        ),
        DeadlineRule::new(
            "th.exchange.seller_response",
            Some("TH"),
            Some(Exchange),
            SellerResponse,
            1,
            WorkingDays,
            SOURCE_TH_EXCHANGE,
        ),
        DeadlineRule::new(
            "th.reshipment.seller_response",
            Some("TH"),
            Some(Reshipment),
            SellerResponse,
            1,
            WorkingDays,
            SOURCE_TH_RESHIPMENT,
        ),
        // Indonesia's older rule, in elapsed hours; a newer ID row supersedes it by date.
        DeadlineRule::new(
            "id.return_and_refund.seller_response.48h",
            Some("ID"),
            Some(ReturnAndRefund),
            SellerResponse,
            48,
            Hours,
            SOURCE_ID_RETURNS,
        ),
        DeadlineRule::new(
            "id.exchange.seller_response.48h",
            Some("ID"),
            Some(Exchange),
            SellerResponse,
            48,
            Hours,
            SOURCE_ID_RETURNS,
        ),
        DeadlineRule::new(
            "id.reshipment.seller_response.48h",
            Some("ID"),
            Some(Reshipment),
            SellerResponse,
            48,
            Hours,
            SOURCE_ID_RETURNS,
        ),
        // United States.
        DeadlineRule::new(
            "us.return_and_refund.seller_response",
            Some("US"),
            Some(ReturnAndRefund),
            SellerResponse,
            2,
            BusinessDays,
            SOURCE_US_RETURN,
        ),
        DeadlineRule::new(
            "us.return_and_refund.seller_response.over_100_usd",
            Some("US"),
            Some(ReturnAndRefund),
            SellerResponse,
            4,
            BusinessDays,
            SOURCE_US_RETURN,
        )
        .when(RuleCondition::RefundOver(Money::new(
            Decimal::ONE_HUNDRED,
            Currency::parse("USD").expect("USD is a currency code"),
        ))),
        DeadlineRule::new(
            "us.replacement.seller_response",
            Some("US"),
            Some(Replacement),
            SellerResponse,
            1,
            BusinessDays,
            SOURCE_US_REPLACEMENT,
        ),
        // The buyer's and the later seller stages (published for ID, used everywhere).
        DeadlineRule::new(
            "any.buyer_ship_back",
            None,
            None,
            BuyerShipBack,
            5,
            CalendarDays,
            SOURCE_ID_RETURNS,
        ),
        DeadlineRule::new(
            "any.seller_confirm_receipt",
            None,
            None,
            SellerConfirmReceipt,
            8,
            CalendarDays,
            SOURCE_ID_RETURNS,
        ),
        // Thai exchanges: the returned parcel must be inspected within 2 calendar days.
        DeadlineRule::new(
            "th.exchange.seller_confirm_receipt",
            Some("TH"),
            Some(Exchange),
            SellerConfirmReceipt,
            2,
            CalendarDays,
            SOURCE_TH_EXCHANGE,
        ),
        DeadlineRule::new(
            "any.buyer_escalation",
            None,
            None,
            BuyerEscalation,
            48,
            Hours,
            SOURCE_ID_RETURNS,
        ),
        DeadlineRule::new(
            "any.reshipment.reshipment_dispatch",
            None,
            Some(Reshipment),
            ReshipmentDispatch,
            2,
            WorkingDays,
            SOURCE_TH_RESHIPMENT,
        ),
        DeadlineRule::new(
            "any.buyer_offer_response",
            None,
            None,
            BuyerOfferResponse,
            1,
            CalendarDays,
            SOURCE_TH_EXCHANGE,
        ),
        // Appeals: 7 calendar days after the appeal becomes available.
        DeadlineRule::new(
            "th.appeal",
            Some("TH"),
            None,
            Appeal,
            7,
            CalendarDays,
            SOURCE_TH_APPEAL,
        ),
        DeadlineRule::new(
            "vn.appeal",
            Some("VN"),
            None,
            Appeal,
            7,
            CalendarDays,
            SOURCE_VN_APPEAL,
        ),
        DeadlineRule::new(
            "id.appeal",
            Some("ID"),
            None,
            Appeal,
            7,
            CalendarDays,
            SOURCE_ID_REFUND_ONLY,
        ),
        DeadlineRule::new(
            "any.appeal",
            None,
            None,
            Appeal,
            7,
            CalendarDays,
            SOURCE_TH_APPEAL,
        ),
    ];
    for (market_kind, kind) in [
        ("vn.return_and_refund", ReturnAndRefund),
        ("vn.exchange", Exchange),
        ("vn.reshipment", Reshipment),
    ] {
        rules.push(DeadlineRule::new(
            &format!("{market_kind}.seller_response"),
            Some("VN"),
            Some(kind),
            SellerResponse,
            1,
            WorkingDays,
            SOURCE_VN_RETURN,
        ));
    }
    // Markets with no published response rule for these types: the SEA working-day rule.
    for (kind_name, kind) in [
        ("return_and_refund", ReturnAndRefund),
        ("exchange", Exchange),
        ("reshipment", Reshipment),
        ("replacement", Replacement),
    ] {
        rules.push(
            DeadlineRule::new(
                &format!("any.{kind_name}.seller_response.fallback"),
                None,
                Some(kind),
                SellerResponse,
                1,
                WorkingDays,
                SOURCE_FALLBACK_RESPONSE,
            )
            .as_fallback(),
        );
    }
    rules
}
