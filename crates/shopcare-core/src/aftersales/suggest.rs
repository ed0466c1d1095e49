//! A suggested next action per case, with the reason, from the case's facts.
//!
//! Suggestions are data for the operator: nothing here sends anything. The rules are
//! checked in a fixed order, the first that fits wins, and each one says why.

use super::evidence::{missing_evidence, DisputeType, EvidenceItem, EvidenceKind};
use crate::{AfterSalesKind, Currency, Money};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What shopcare suggests the seller do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestedAction {
    /// Send the missing part instead of refunding the whole order.
    SendMissingPart,
    /// Reject the returned parcel on receipt (`REJECT_RECEIVED_PACKAGE`) with evidence.
    RejectUponReceiptWithEvidence,
    /// Offer an exchange for the right variant.
    OfferExchange,
    /// Approve, then claim the loss from the carrier with the packing evidence.
    ApproveAndFileCarrierClaim,
    /// Refund and let the buyer keep the item (`APPROVE_RETURN` with `buyer_keep_item`).
    RefundWithoutReturn,
    /// Approve the request as asked.
    ApproveRequest,
    /// Approve the return and inspect the item when it arrives.
    ApproveReturn,
    /// Offer a replacement unit.
    OfferReplacement,
    /// Reject the request with the evidence that contradicts it.
    RejectWithEvidence,
    /// No rule fits: a person decides.
    ReviewManually,
}

impl SuggestedAction {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestedAction::SendMissingPart => "send_missing_part",
            SuggestedAction::RejectUponReceiptWithEvidence => "reject_upon_receipt_with_evidence",
            SuggestedAction::OfferExchange => "offer_exchange",
            SuggestedAction::ApproveAndFileCarrierClaim => "approve_and_file_carrier_claim",
            SuggestedAction::RefundWithoutReturn => "refund_without_return",
            SuggestedAction::ApproveRequest => "approve_request",
            SuggestedAction::ApproveReturn => "approve_return",
            SuggestedAction::OfferReplacement => "offer_replacement",
            SuggestedAction::RejectWithEvidence => "reject_with_evidence",
            SuggestedAction::ReviewManually => "review_manually",
        }
    }
}

/// A suggestion and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub action: SuggestedAction,
    pub reason: String,
    /// Required evidence to gather before acting on the suggestion.
    pub missing_evidence: Vec<EvidenceKind>,
}

/// Refunds at or below these amounts cost less than a return (shipping, handling, time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowValueThresholds {
    pub by_currency: BTreeMap<Currency, Decimal>,
}

impl Default for LowValueThresholds {
    /// Roughly the cost of a return label in each market; a starting point to tune.
    fn default() -> Self {
        let by_currency = [
            ("USD", 10_i64),
            ("GBP", 8),
            ("EUR", 10),
            ("MXN", 200),
            ("IDR", 150_000),
            ("MYR", 45),
            ("THB", 350),
            ("VND", 250_000),
            ("PHP", 550),
            ("SGD", 13),
        ]
        .into_iter()
        .map(|(code, amount)| {
            (
                Currency::parse(code).expect("default currency codes are valid"),
                Decimal::from(amount),
            )
        })
        .collect();
        Self { by_currency }
    }
}

impl LowValueThresholds {
    /// At or below the threshold for its currency; a currency without a threshold is never
    /// low value (no guess across currencies).
    pub fn is_low_value(&self, refund: &Money) -> bool {
        self.by_currency
            .get(refund.currency())
            .is_some_and(|threshold| refund.amount() <= *threshold)
    }
}

/// What is known about a case, as the operator or the sync recorded it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseFacts {
    pub kind: Option<AfterSalesKind>,
    pub dispute: Option<DisputeType>,
    pub refund: Option<Money>,
    /// The buyer received the item without one of its parts.
    pub missing_part: bool,
    /// The seller shipped a different variant (size, colour) than ordered.
    pub wrong_variant_sent: bool,
    /// The item that came back is used, incomplete or not the one sold.
    pub returned_item_used_or_incomplete: bool,
    /// The damage happened in transit (crushed parcel, carrier note).
    pub damaged_in_transit: bool,
    /// Carrier tracking shows the parcel delivered.
    pub delivered_per_tracking: bool,
    pub evidence: Vec<EvidenceItem>,
}

impl CaseFacts {
    fn has(&self, kind: EvidenceKind) -> bool {
        self.evidence.iter().any(|item| item.kind == kind)
    }
}

/// What to do with a buyer's cancellation request. Before the parcel leaves, approving
/// costs nothing, while refusing a buyer who wants out tends to come back as a refund
/// request and a bad review. Once it has shipped, the order cannot be stopped: reject
/// with the "already shipped" reason and the tracking number, and handle it as a return.
pub fn suggest_cancellation(order_shipped: bool) -> Suggestion {
    if order_shipped {
        Suggestion {
            action: SuggestedAction::RejectWithEvidence,
            reason: "the order has already shipped: reject with the tracking number and \
                     offer a return once it arrives"
                .to_owned(),
            missing_evidence: Vec::new(),
        }
    } else {
        Suggestion {
            action: SuggestedAction::ApproveRequest,
            reason: "the order has not shipped yet: approving costs nothing, refusing \
                     invites a refund request and a low rating"
                .to_owned(),
            missing_evidence: Vec::new(),
        }
    }
}

/// The suggested next action for a case (first matching rule wins, in this order):
/// missing part → send it; used/incomplete return → reject on receipt with evidence;
/// wrong variant → exchange; damaged in transit → approve (+ carrier claim if there is a
/// packout photo); low-value return → refund without return; non-delivery → reject with
/// proof of delivery, or approve without it; defective → replacement; buyer's remorse →
/// approve the return; low-value refund-only → approve; else manual review.
pub fn suggest_action(facts: &CaseFacts, thresholds: &LowValueThresholds) -> Suggestion {
    let suggestion = |action, reason: String| Suggestion {
        action,
        reason,
        missing_evidence: Vec::new(),
    };
    let low_value = facts
        .refund
        .as_ref()
        .filter(|refund| thresholds.is_low_value(refund));

    if facts.missing_part {
        return suggestion(
            SuggestedAction::SendMissingPart,
            "A part is missing from an item the buyer otherwise has: sending that part resolves \
             the complaint for less than a refund of the whole item."
                .to_owned(),
        );
    }
    if facts.returned_item_used_or_incomplete
        || facts.dispute == Some(DisputeType::IncompleteOrUsedReturn)
    {
        let missing = missing_evidence(DisputeType::IncompleteOrUsedReturn, &facts.evidence);
        let reason = if missing.required.is_empty() {
            "The returned item is used or incomplete and the evidence needed to show it is \
             attached: reject the returned package on receipt and include it."
                .to_owned()
        } else {
            let names: Vec<&str> = missing
                .required
                .iter()
                .map(|kind| kind.describe())
                .collect();
            format!(
                "The returned item is used or incomplete: reject the returned package on receipt, \
                 but first gather {}, or the rejection will not hold.",
                names.join("; ")
            )
        };
        return Suggestion {
            action: SuggestedAction::RejectUponReceiptWithEvidence,
            reason,
            missing_evidence: missing.required,
        };
    }
    if facts.wrong_variant_sent {
        return suggestion(
            SuggestedAction::OfferExchange,
            "The wrong variant was sent: an exchange for the one ordered keeps the sale."
                .to_owned(),
        );
    }
    if facts.damaged_in_transit || facts.dispute == Some(DisputeType::Damaged) {
        return if facts.has(EvidenceKind::PackoutPhoto) {
            suggestion(
                SuggestedAction::ApproveAndFileCarrierClaim,
                "The item was damaged in transit and a packing photo shows it left intact: \
                 approve the buyer's request and claim the loss from the carrier."
                    .to_owned(),
            )
        } else {
            Suggestion {
                action: SuggestedAction::ApproveRequest,
                reason: "The item arrived damaged and there is no packing photo to show it left \
                         intact: approve; a carrier claim is unlikely to succeed without it."
                    .to_owned(),
                missing_evidence: vec![EvidenceKind::PackoutPhoto],
            }
        };
    }
    if let (Some(refund), Some(AfterSalesKind::ReturnAndRefund)) = (low_value, &facts.kind) {
        return suggestion(
            SuggestedAction::RefundWithoutReturn,
            format!(
                "The refund ({refund}) is at or below the low-value threshold for {}: a return \
                 would cost more than the item, so refund and let the buyer keep it.",
                refund.currency()
            ),
        );
    }
    if facts.dispute == Some(DisputeType::NonDelivery) {
        let missing = missing_evidence(DisputeType::NonDelivery, &facts.evidence);
        return if facts.delivered_per_tracking && missing.required.is_empty() {
            suggestion(
                SuggestedAction::RejectWithEvidence,
                "Tracking shows the parcel delivered and the proof of delivery is attached: \
                 reject with that evidence."
                    .to_owned(),
            )
        } else if facts.delivered_per_tracking {
            Suggestion {
                action: SuggestedAction::RejectWithEvidence,
                reason: "Tracking shows the parcel delivered: gather the carrier's evidence \
                         before rejecting."
                    .to_owned(),
                missing_evidence: missing.required,
            }
        } else {
            suggestion(
                SuggestedAction::ApproveRequest,
                "Tracking does not show the parcel delivered: approve the request and chase \
                 the carrier."
                    .to_owned(),
            )
        };
    }
    if facts.dispute == Some(DisputeType::Defective) {
        return suggestion(
            SuggestedAction::OfferReplacement,
            "The item is reported defective: a working replacement resolves the complaint \
             and keeps the sale."
                .to_owned(),
        );
    }
    if facts.dispute == Some(DisputeType::BuyersRemorse) {
        return suggestion(
            SuggestedAction::ApproveReturn,
            "The buyer changed their mind: approve the return and inspect the item on \
             receipt before the refund."
                .to_owned(),
        );
    }
    if let (Some(refund), Some(AfterSalesKind::Refund)) = (low_value, &facts.kind) {
        return suggestion(
            SuggestedAction::ApproveRequest,
            format!(
                "The refund ({refund}) is at or below the low-value threshold for {}: \
                 disputing it costs more than it saves.",
                refund.currency()
            ),
        );
    }
    suggestion(
        SuggestedAction::ReviewManually,
        "No rule matches these facts: read the request and decide.".to_owned(),
    )
}
