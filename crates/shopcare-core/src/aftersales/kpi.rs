//! After-sales KPI arithmetic: refund and return rate by SKU, seller-fault vs buyer-fault
//! share, median handling time, and cases auto-approved by neglect.
//!
//! Rates are exact decimals rounded to 6 places and normalised (never floats); a rate over zero
//! delivered units is `None`, not zero or infinity.

use super::case::{auto_approved_by_neglect, CaseAction, CaseEvent};
use crate::{AfterSalesCase, AfterSalesKind, SkuId, Timestamp};
use chrono::Duration;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Decimal places kept in rates and shares.
const RATE_DECIMAL_PLACES: u32 = 6;

/// Cases, units and the resulting rate for one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuRate {
    /// Units (return line items) of this SKU in counted cases.
    pub case_units: u64,
    pub delivered_units: u64,
    /// `case_units / delivered_units`, `None` when nothing was delivered.
    pub rate: Option<Decimal>,
}

fn ratio(part: u64, whole: u64) -> Option<Decimal> {
    (whole > 0).then(|| {
        (Decimal::from(part) / Decimal::from(whole))
            .round_dp(RATE_DECIMAL_PLACES)
            .normalize()
    })
}

/// The kinds that give money back: refund only, and return and refund.
pub fn is_refund_kind(kind: &AfterSalesKind) -> bool {
    matches!(
        kind,
        AfterSalesKind::Refund | AfterSalesKind::ReturnAndRefund
    )
}

/// The kinds where the item comes back: return and refund, and exchange.
pub fn is_return_kind(kind: &AfterSalesKind) -> bool {
    matches!(
        kind,
        AfterSalesKind::ReturnAndRefund | AfterSalesKind::Exchange
    )
}

/// Per SKU: units in cases whose kind `counts`, over delivered units. Each return line
/// item is one unit (the platform repeats line items instead of giving a quantity).
/// Every SKU with deliveries or cases appears.
pub fn rate_by_sku(
    cases: &[AfterSalesCase],
    delivered_units: &BTreeMap<SkuId, u64>,
    counts: impl Fn(&AfterSalesKind) -> bool,
) -> BTreeMap<SkuId, SkuRate> {
    let mut case_units: BTreeMap<SkuId, u64> = BTreeMap::new();
    for case in cases.iter().filter(|case| counts(&case.kind)) {
        for line in &case.line_items {
            *case_units.entry(line.sku_id.clone()).or_default() += 1;
        }
    }
    let skus: std::collections::BTreeSet<&SkuId> =
        delivered_units.keys().chain(case_units.keys()).collect();
    skus.into_iter()
        .map(|sku| {
            let units = case_units.get(sku).copied().unwrap_or(0);
            let delivered = delivered_units.get(sku).copied().unwrap_or(0);
            (
                sku.clone(),
                SkuRate {
                    case_units: units,
                    delivered_units: delivered,
                    rate: ratio(units, delivered),
                },
            )
        })
        .collect()
}

/// Refund rate by SKU ([`is_refund_kind`]).
pub fn refund_rate_by_sku(
    cases: &[AfterSalesCase],
    delivered_units: &BTreeMap<SkuId, u64>,
) -> BTreeMap<SkuId, SkuRate> {
    rate_by_sku(cases, delivered_units, is_refund_kind)
}

/// Return rate by SKU ([`is_return_kind`]).
pub fn return_rate_by_sku(
    cases: &[AfterSalesCase],
    delivered_units: &BTreeMap<SkuId, u64>,
) -> BTreeMap<SkuId, SkuRate> {
    rate_by_sku(cases, delivered_units, is_return_kind)
}

/// Whose fault a return reason points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    Seller,
    Buyer,
    Logistics,
    Unknown,
}

/// Reason fragments → fault; the first fragment found in the reason wins, so buyer and
/// logistics phrases come before broader seller words ("not received" before "received
/// wrong"). Reasons are matched lower-cased with `_` read as a space, so both platform
/// reason names and their display texts match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultTable {
    pub entries: Vec<(String, Fault)>,
}

impl Default for FaultTable {
    fn default() -> Self {
        let buyer = [
            "no longer need",
            "changed my mind",
            "change of mind",
            "changed mind",
            "ordered by mistake",
            "by mistake",
            "better price",
            "don't want",
            "do not want",
            "no reason",
            "remorse",
        ];
        let logistics = [
            "not received",
            "never arrived",
            "did not arrive",
            "package lost",
            "parcel lost",
            "lost in transit",
            "late delivery",
            "arrived late",
            "delivered late",
        ];
        let seller = [
            "wrong",
            "damaged",
            "broken",
            "defective",
            "not working",
            "does not work",
            "doesn't work",
            "missing",
            "incomplete",
            "not as described",
            "quality",
            "counterfeit",
            "fake",
            "expired",
        ];
        let entries = buyer
            .iter()
            .map(|needle| (needle.to_string(), Fault::Buyer))
            .chain(
                logistics
                    .iter()
                    .map(|needle| (needle.to_string(), Fault::Logistics)),
            )
            .chain(
                seller
                    .iter()
                    .map(|needle| (needle.to_string(), Fault::Seller)),
            )
            .collect();
        Self { entries }
    }
}

impl FaultTable {
    pub fn classify(&self, reason: &str) -> Fault {
        let text = reason.to_lowercase().replace('_', " ");
        self.entries
            .iter()
            .find(|(needle, _)| text.contains(needle.as_str()))
            .map_or(Fault::Unknown, |(_, fault)| *fault)
    }

    /// A case's fault from its reason name, else its reason text.
    pub fn classify_case(&self, case: &AfterSalesCase) -> Fault {
        [case.reason.as_deref(), case.reason_text.as_deref()]
            .into_iter()
            .flatten()
            .map(|reason| self.classify(reason))
            .find(|fault| *fault != Fault::Unknown)
            .unwrap_or(Fault::Unknown)
    }
}

/// Cases counted by fault.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FaultCounts {
    pub seller: u64,
    pub buyer: u64,
    pub logistics: u64,
    pub unknown: u64,
}

impl FaultCounts {
    pub fn total(&self) -> u64 {
        self.seller + self.buyer + self.logistics + self.unknown
    }

    /// Seller-fault cases over all cases.
    pub fn seller_share(&self) -> Option<Decimal> {
        ratio(self.seller, self.total())
    }

    /// Buyer-fault cases over all cases.
    pub fn buyer_share(&self) -> Option<Decimal> {
        ratio(self.buyer, self.total())
    }
}

pub fn fault_counts(cases: &[AfterSalesCase], table: &FaultTable) -> FaultCounts {
    let mut counts = FaultCounts::default();
    for case in cases {
        match table.classify_case(case) {
            Fault::Seller => counts.seller += 1,
            Fault::Buyer => counts.buyer += 1,
            Fault::Logistics => counts.logistics += 1,
            Fault::Unknown => counts.unknown += 1,
        }
    }
    counts
}

/// From the case opening (the `Opened` event, else the earliest event) to the first seller
/// decision; `None` while the seller has not decided.
pub fn handling_time(events: &[CaseEvent]) -> Option<Duration> {
    let opened = events
        .iter()
        .filter(|event| event.action == CaseAction::Opened)
        .map(|event| event.at)
        .min()
        .or_else(|| events.iter().map(|event| event.at).min())?;
    let decided = events
        .iter()
        .filter(|event| {
            event.actor == crate::ActorRole::Seller && event.action.is_seller_decision()
        })
        .map(|event| event.at)
        .min()?;
    Some(decided - opened)
}

/// The median; for an even count, the mean of the two middle values (to the millisecond).
pub fn median_duration(durations: &[Duration]) -> Option<Duration> {
    let mut sorted = durations.to_vec();
    sorted.sort();
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        len if len % 2 == 1 => Some(sorted[middle]),
        _ => {
            let sum_ms = sorted[middle - 1].num_milliseconds() + sorted[middle].num_milliseconds();
            Some(Duration::milliseconds(sum_ms / 2))
        }
    }
}

/// How many cases were auto-approved because nobody answered (target: 0). Each entry is a
/// case's event log and its seller deadline.
pub fn count_auto_approved_by_neglect(cases: &[(&[CaseEvent], Timestamp)]) -> usize {
    cases
        .iter()
        .filter(|(events, due_at)| auto_approved_by_neglect(events, *due_at).is_some())
        .count()
}
