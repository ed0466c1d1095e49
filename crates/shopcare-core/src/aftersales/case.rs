//! The after-sales case state machine, mirroring the platform's return and cancellation
//! statuses (`reference/tiktok-shop-api.md` §5.3): which transitions are expected, whose
//! turn it is, which seller actions the Partner API accepts in each status, which deadline
//! stage applies, and the case event log (who did what, when, with which evidence).
//!
//! The platform owns the status; shopcare only mirrors it. An unknown status is kept and
//! shown as unknown, allows no seller action, and has no deadline stage, so nothing is sent
//! on a guess.

use super::evidence::EvidenceKind;
use super::rules::Stage;
use crate::{
    platform_enum, ActorRole, AfterSalesKind, ArbitrationStatus, CancelStatus, Money, ReturnStatus,
    Timestamp,
};

platform_enum! {
    /// `decision` of Approve Return.
    pub enum ApproveDecision {
        ApproveRefund = "APPROVE_REFUND",
        ApproveReturn = "APPROVE_RETURN",
        ApproveReceivedPackage = "APPROVE_RECEIVED_PACKAGE",
        ApproveReplacement = "APPROVE_REPLACEMENT",
        IssueReplacementRefund = "ISSUE_REPLACEMENT_REFUND",
        OfferPartialRefund = "OFFER_PARTIAL_REFUND",
    }
}

platform_enum! {
    /// `decision` of Reject Return.
    pub enum RejectDecision {
        RejectRefund = "REJECT_REFUND",
        RejectReturn = "REJECT_RETURN",
        RejectReceivedPackage = "REJECT_RECEIVED_PACKAGE",
        RejectReplacement = "REJECT_REPLACEMENT",
    }
}

/// A call the seller can make on a case through the Partner API.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SellerAction {
    Approve(ApproveDecision),
    /// Needs a platform reject reason; may carry a comment and evidence images.
    Reject(RejectDecision),
    ApproveCancellation,
    RejectCancellation,
}

impl SellerAction {
    /// The platform spelling (`APPROVE_REFUND`, ...; cancellations use shopcare's names
    /// because their endpoints take no decision field).
    pub fn as_str(&self) -> &str {
        match self {
            SellerAction::Approve(decision) => decision.as_str(),
            SellerAction::Reject(decision) => decision.as_str(),
            SellerAction::ApproveCancellation => "APPROVE_CANCELLATION",
            SellerAction::RejectCancellation => "REJECT_CANCELLATION",
        }
    }
}

/// Who has to move next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    Seller,
    Buyer,
    /// The platform is arbitrating or settling.
    Platform,
    /// The case is closed.
    Nobody,
    /// The status is unknown to this version of shopcare.
    Unknown,
}

/// The status of a case: a return/refund/replacement request or a cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    Return(ReturnStatus),
    Cancellation(CancelStatus),
}

impl CaseStatus {
    pub fn as_str(&self) -> &str {
        match self {
            CaseStatus::Return(status) => status.as_str(),
            CaseStatus::Cancellation(status) => status.as_str(),
        }
    }

    pub fn is_known(&self) -> bool {
        match self {
            CaseStatus::Return(status) => status.is_known(),
            CaseStatus::Cancellation(status) => status.is_known(),
        }
    }

    /// What the console shows: the platform spelling, flagged when unknown.
    pub fn label(&self) -> String {
        if self.is_known() {
            self.as_str().to_owned()
        } else {
            format!("unknown status {}", self.as_str())
        }
    }

    /// Finished: nothing more for anyone to do. Unknown statuses are not closed (they
    /// stay visible until someone looks).
    pub fn is_closed(&self) -> bool {
        match self {
            CaseStatus::Return(status) => status.is_closed(),
            CaseStatus::Cancellation(status) => matches!(
                status,
                CancelStatus::Success | CancelStatus::Cancelled | CancelStatus::Complete
            ),
        }
    }

    /// Waiting for the seller's first decision on the request.
    pub fn is_pending_seller_decision(&self) -> bool {
        matches!(
            self,
            CaseStatus::Return(ReturnStatus::RequestPending | ReturnStatus::ReplacementPending)
                | CaseStatus::Cancellation(CancelStatus::Pending)
        )
    }

    /// The buyer got what they asked for (or the process moved on as if approved).
    pub fn is_approval_outcome(&self) -> bool {
        matches!(
            self,
            CaseStatus::Return(
                ReturnStatus::AwaitingBuyerShip
                    | ReturnStatus::RequestSuccess
                    | ReturnStatus::RequestComplete
                    | ReturnStatus::ReplacementRefundSuccess
                    | ReturnStatus::ReplacementComplete
            ) | CaseStatus::Cancellation(CancelStatus::Success | CancelStatus::Complete)
        )
    }

    pub fn turn(&self, arbitration: Option<&ArbitrationStatus>) -> Turn {
        if !self.is_known() {
            return Turn::Unknown;
        }
        if arbitration == Some(&ArbitrationStatus::InProgress) {
            return Turn::Platform;
        }
        match self {
            CaseStatus::Return(status) => match status {
                ReturnStatus::RequestPending
                | ReturnStatus::ReplacementPending
                | ReturnStatus::BuyerShippedItem => Turn::Seller,
                ReturnStatus::AwaitingBuyerShip
                | ReturnStatus::AwaitingBuyerResponse
                | ReturnStatus::RequestRejected
                | ReturnStatus::ReplacementRejected
                | ReturnStatus::RejectReceivePackage => Turn::Buyer,
                ReturnStatus::RequestSuccess
                | ReturnStatus::RequestCancelled
                | ReturnStatus::RequestComplete
                | ReturnStatus::ReplacementRefundSuccess
                | ReturnStatus::ReplacementCancelled
                | ReturnStatus::ReplacementComplete => Turn::Nobody,
                ReturnStatus::Other(_) => Turn::Unknown,
            },
            CaseStatus::Cancellation(status) => match status {
                CancelStatus::Pending => Turn::Seller,
                CancelStatus::Success | CancelStatus::Cancelled | CancelStatus::Complete => {
                    Turn::Nobody
                }
                CancelStatus::Other(_) => Turn::Unknown,
            },
        }
    }

    /// The Partner API calls the seller may make in this status, for a request of `kind`.
    pub fn allowed_actions(&self, kind: &AfterSalesKind) -> Vec<SellerAction> {
        use ApproveDecision as A;
        use RejectDecision as R;
        match self {
            CaseStatus::Return(ReturnStatus::RequestPending) => match kind {
                AfterSalesKind::Refund => vec![
                    SellerAction::Approve(A::ApproveRefund),
                    SellerAction::Approve(A::OfferPartialRefund),
                    SellerAction::Reject(R::RejectRefund),
                ],
                AfterSalesKind::ReturnAndRefund => vec![
                    SellerAction::Approve(A::ApproveReturn),
                    SellerAction::Approve(A::OfferPartialRefund),
                    SellerAction::Reject(R::RejectReturn),
                ],
                // A pending refund/return status on another kind is inconsistent data:
                // offer nothing rather than guess the decision family.
                _ => Vec::new(),
            },
            CaseStatus::Return(ReturnStatus::ReplacementPending) => match kind {
                AfterSalesKind::Replacement
                | AfterSalesKind::Exchange
                | AfterSalesKind::Reshipment => vec![
                    SellerAction::Approve(A::ApproveReplacement),
                    SellerAction::Approve(A::IssueReplacementRefund),
                    SellerAction::Reject(R::RejectReplacement),
                ],
                _ => Vec::new(),
            },
            CaseStatus::Return(ReturnStatus::BuyerShippedItem) => vec![
                SellerAction::Approve(A::ApproveReceivedPackage),
                SellerAction::Reject(R::RejectReceivedPackage),
            ],
            CaseStatus::Cancellation(CancelStatus::Pending) => vec![
                SellerAction::ApproveCancellation,
                SellerAction::RejectCancellation,
            ],
            _ => Vec::new(),
        }
    }

    /// Which deadline stage runs in this status. After a rejection the buyer's escalation
    /// window runs, unless the platform already sided with the buyer, in which case the
    /// seller's appeal window does (likewise for a success the platform decided).
    /// Cancellations have no table rule; their deadline comes from the platform only.
    pub fn deadline_stage(&self, arbitration: Option<&ArbitrationStatus>) -> Option<Stage> {
        let platform_sided_with_buyer = arbitration == Some(&ArbitrationStatus::SupportBuyer);
        match self {
            CaseStatus::Return(status) => match status {
                ReturnStatus::RequestPending | ReturnStatus::ReplacementPending => {
                    Some(Stage::SellerResponse)
                }
                ReturnStatus::AwaitingBuyerShip => Some(Stage::BuyerShipBack),
                ReturnStatus::BuyerShippedItem => Some(Stage::SellerConfirmReceipt),
                ReturnStatus::AwaitingBuyerResponse => Some(Stage::BuyerOfferResponse),
                ReturnStatus::RequestRejected
                | ReturnStatus::ReplacementRejected
                | ReturnStatus::RejectReceivePackage => Some(if platform_sided_with_buyer {
                    Stage::Appeal
                } else {
                    Stage::BuyerEscalation
                }),
                ReturnStatus::RequestSuccess | ReturnStatus::ReplacementRefundSuccess => {
                    platform_sided_with_buyer.then_some(Stage::Appeal)
                }
                ReturnStatus::RequestCancelled
                | ReturnStatus::RequestComplete
                | ReturnStatus::ReplacementCancelled
                | ReturnStatus::ReplacementComplete
                | ReturnStatus::Other(_) => None,
            },
            CaseStatus::Cancellation(_) => None,
        }
    }
}

/// How a status change relates to the expected flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionCheck {
    Expected,
    /// Both statuses are known but the platform is not documented to move this way;
    /// kept (the platform is the authority) and flagged for a look.
    Unexpected,
    /// One side is a status shopcare does not know.
    Unknown,
    /// Same status again (a repeated webhook or sync).
    Unchanged,
}

/// Checks a status change against the documented flow.
pub fn check_transition(from: &CaseStatus, to: &CaseStatus) -> TransitionCheck {
    if from == to {
        return TransitionCheck::Unchanged;
    }
    if !from.is_known() || !to.is_known() {
        return TransitionCheck::Unknown;
    }
    let expected = match (from, to) {
        (CaseStatus::Return(from), CaseStatus::Return(to)) => {
            expected_return_targets(from).contains(to)
        }
        (CaseStatus::Cancellation(from), CaseStatus::Cancellation(to)) => {
            expected_cancel_targets(from).contains(to)
        }
        _ => false,
    };
    if expected {
        TransitionCheck::Expected
    } else {
        TransitionCheck::Unexpected
    }
}

/// The statuses a return-family status is expected to move to.
pub fn expected_return_targets(from: &ReturnStatus) -> Vec<ReturnStatus> {
    use ReturnStatus::*;
    match from {
        RequestPending => vec![
            RequestRejected,
            AwaitingBuyerShip,
            AwaitingBuyerResponse,
            RequestSuccess,
            RequestCancelled,
        ],
        AwaitingBuyerResponse => vec![
            RequestPending,
            AwaitingBuyerShip,
            RequestSuccess,
            RequestCancelled,
        ],
        // The buyer may re-request or escalate within 48 h; the platform may then side
        // with either party, or the request closes.
        RequestRejected => vec![
            RequestPending,
            RequestSuccess,
            RequestCancelled,
            RequestComplete,
        ],
        AwaitingBuyerShip => vec![BuyerShippedItem, RequestCancelled],
        BuyerShippedItem => vec![RequestSuccess, RejectReceivePackage, RequestComplete],
        RejectReceivePackage => vec![RequestSuccess, RequestCancelled, RequestComplete],
        RequestSuccess => vec![RequestComplete],
        ReplacementPending => vec![
            ReplacementRejected,
            ReplacementRefundSuccess,
            ReplacementCancelled,
            ReplacementComplete,
        ],
        ReplacementRejected => vec![
            ReplacementPending,
            ReplacementRefundSuccess,
            ReplacementCancelled,
            ReplacementComplete,
        ],
        ReplacementRefundSuccess => vec![ReplacementComplete],
        RequestCancelled | RequestComplete | ReplacementCancelled | ReplacementComplete
        | Other(_) => Vec::new(),
    }
}

/// The statuses a cancellation status is expected to move to.
pub fn expected_cancel_targets(from: &CancelStatus) -> Vec<CancelStatus> {
    match from {
        CancelStatus::Pending => vec![
            CancelStatus::Success,
            CancelStatus::Cancelled,
            CancelStatus::Complete,
        ],
        CancelStatus::Success => vec![CancelStatus::Complete],
        CancelStatus::Cancelled | CancelStatus::Complete | CancelStatus::Other(_) => Vec::new(),
    }
}

/// A reference to one piece of evidence (an uploaded image id, a tracking number, a note id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRef {
    pub kind: EvidenceKind,
    /// Opaque reference: a platform `image_id`, a file key, a tracking number.
    pub reference: String,
}

/// What happened in one case event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseAction {
    /// The request was created.
    Opened,
    /// The platform reported a new status.
    StatusChanged {
        from: Option<CaseStatus>,
        to: CaseStatus,
    },
    Approved(ApproveDecision),
    /// `reason` is the platform reject reason `name`.
    Rejected {
        decision: RejectDecision,
        reason: String,
    },
    PartialRefundOffered(Money),
    CancellationApproved,
    CancellationRejected {
        reason: String,
    },
    /// The seller sent missing parts outside the platform decisions (a new parcel).
    MissingPartsSent {
        tracking_number: Option<String>,
    },
    EvidenceAttached,
    AppealSubmitted,
    Note,
}

impl CaseAction {
    /// The seller answered the request (any decision counts, including a counter-offer).
    pub fn is_seller_decision(&self) -> bool {
        matches!(
            self,
            CaseAction::Approved(_)
                | CaseAction::Rejected { .. }
                | CaseAction::PartialRefundOffered(_)
                | CaseAction::CancellationApproved
                | CaseAction::CancellationRejected { .. }
        )
    }
}

/// One entry of a case's event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: Timestamp,
    pub actor: ActorRole,
    pub action: CaseAction,
    pub evidence: Vec<EvidenceRef>,
    pub comment: Option<String>,
}

impl CaseEvent {
    pub fn new(at: Timestamp, actor: ActorRole, action: CaseAction) -> Self {
        Self {
            at,
            actor,
            action,
            evidence: Vec::new(),
            comment: None,
        }
    }

    pub fn with_evidence(mut self, evidence: Vec<EvidenceRef>) -> Self {
        self.evidence = evidence;
        self
    }

    pub fn with_comment(mut self, comment: &str) -> Self {
        self.comment = Some(comment.to_owned());
        self
    }
}

/// Evidence that a case was approved by the platform because the seller did not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeglectFinding {
    pub pending_since: Timestamp,
    pub seller_due_at: Timestamp,
    pub approved_at: Timestamp,
    pub approved_status: CaseStatus,
}

/// Detects **auto-approval by neglect**: the case left a pending-seller-decision status for
/// an approval outcome at or after `seller_due_at`, and no seller decision was logged while
/// it was pending. A seller decision logged after the deadline does not save the case (the
/// platform had already timed out); one before it does, whatever the platform did next.
pub fn auto_approved_by_neglect(
    events: &[CaseEvent],
    seller_due_at: Timestamp,
) -> Option<NeglectFinding> {
    let mut ordered: Vec<&CaseEvent> = events.iter().collect();
    ordered.sort_by_key(|event| event.at);
    let mut pending_since: Option<Timestamp> = None;
    let mut seller_answered = false;
    for event in ordered {
        match &event.action {
            CaseAction::Opened => {
                pending_since.get_or_insert(event.at);
            }
            CaseAction::StatusChanged { to, .. } if to.is_pending_seller_decision() => {
                pending_since = Some(event.at);
                seller_answered = false;
            }
            CaseAction::StatusChanged { to, .. } => {
                if let Some(since) = pending_since.take() {
                    if to.is_approval_outcome() && !seller_answered && event.at >= seller_due_at {
                        return Some(NeglectFinding {
                            pending_since: since,
                            seller_due_at,
                            approved_at: event.at,
                            approved_status: to.clone(),
                        });
                    }
                }
                seller_answered = false;
            }
            action
                if action.is_seller_decision()
                    && event.actor == ActorRole::Seller
                    && pending_since.is_some()
                    && event.at < seller_due_at =>
            {
                seller_answered = true;
            }
            _ => {}
        }
    }
    None
}
