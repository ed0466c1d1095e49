//! Evidence checklists per dispute type, what is still missing, and an appeal draft that
//! assembles the attached evidence into text the operator reviews before sending.
//!
//! A checklist has required items (without them an appeal or a rejection is weak) and
//! recommended ones (they help). The lists are shopcare's own judgement of what a platform
//! reviewer needs to see for each kind of dispute.

use crate::{CaseId, Money, OrderId};

/// What the buyer's complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DisputeType {
    NonDelivery,
    NotAsDescribed,
    Damaged,
    Defective,
    BuyersRemorse,
    /// The buyer sent back an incomplete, used or different item.
    IncompleteOrUsedReturn,
}

impl DisputeType {
    pub const ALL: [DisputeType; 6] = [
        DisputeType::NonDelivery,
        DisputeType::NotAsDescribed,
        DisputeType::Damaged,
        DisputeType::Defective,
        DisputeType::BuyersRemorse,
        DisputeType::IncompleteOrUsedReturn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisputeType::NonDelivery => "non_delivery",
            DisputeType::NotAsDescribed => "not_as_described",
            DisputeType::Damaged => "damaged",
            DisputeType::Defective => "defective",
            DisputeType::BuyersRemorse => "buyers_remorse",
            DisputeType::IncompleteOrUsedReturn => "incomplete_or_used_return",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value.trim())
    }

    /// Human wording for drafts.
    pub fn describe(self) -> &'static str {
        match self {
            DisputeType::NonDelivery => "the buyer reports the parcel was not delivered",
            DisputeType::NotAsDescribed => "the buyer reports the item differs from the listing",
            DisputeType::Damaged => "the buyer reports the item arrived damaged",
            DisputeType::Defective => "the buyer reports the item does not work",
            DisputeType::BuyersRemorse => "the buyer no longer wants the item",
            DisputeType::IncompleteOrUsedReturn => {
                "the parcel returned by the buyer was incomplete, used or not the item sold"
            }
        }
    }
}

/// A kind of evidence the seller can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceKind {
    /// Photos of the item as sold (before packing).
    ItemPhotos,
    /// Photo or video of the open parcel with the item inside, taken at packing.
    PackoutPhoto,
    /// Recorded parcel weight at dispatch.
    DispatchWeight,
    /// Carrier scan history of the outbound parcel.
    TrackingScans,
    /// Carrier proof of delivery (signature, photo at the door, GPS scan).
    ProofOfDelivery,
    /// The listing (title, photos, specification) as the buyer saw it.
    ListingSnapshot,
    /// Serial or batch number of the unit sold, photographed.
    SerialOrBatch,
    /// Quality check or test record of the unit or batch before dispatch.
    QualityCheck,
    /// Chat history with the buyer about the problem.
    BuyerConversation,
    /// Continuous video of opening the returned parcel.
    ReturnUnboxingVideo,
    /// Photos of the item the buyer sent back.
    ReturnedItemPhotos,
    /// Carrier scan history of the return parcel.
    ReturnTrackingScans,
    /// Weight of the return parcel on arrival.
    ReturnWeight,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::ItemPhotos => "item_photos",
            EvidenceKind::PackoutPhoto => "packout_photo",
            EvidenceKind::DispatchWeight => "dispatch_weight",
            EvidenceKind::TrackingScans => "tracking_scans",
            EvidenceKind::ProofOfDelivery => "proof_of_delivery",
            EvidenceKind::ListingSnapshot => "listing_snapshot",
            EvidenceKind::SerialOrBatch => "serial_or_batch",
            EvidenceKind::QualityCheck => "quality_check",
            EvidenceKind::BuyerConversation => "buyer_conversation",
            EvidenceKind::ReturnUnboxingVideo => "return_unboxing_video",
            EvidenceKind::ReturnedItemPhotos => "returned_item_photos",
            EvidenceKind::ReturnTrackingScans => "return_tracking_scans",
            EvidenceKind::ReturnWeight => "return_weight",
        }
    }

    /// Human wording for drafts and checklists.
    pub fn describe(self) -> &'static str {
        match self {
            EvidenceKind::ItemPhotos => "photos of the item as it was sold",
            EvidenceKind::PackoutPhoto => "a packing photo showing the item inside the parcel",
            EvidenceKind::DispatchWeight => "the parcel weight recorded at dispatch",
            EvidenceKind::TrackingScans => "the carrier's scan history for the parcel",
            EvidenceKind::ProofOfDelivery => "the carrier's proof of delivery",
            EvidenceKind::ListingSnapshot => "the listing as the buyer saw it",
            EvidenceKind::SerialOrBatch => "the serial or batch number of the unit",
            EvidenceKind::QualityCheck => "the quality check record from before dispatch",
            EvidenceKind::BuyerConversation => "the chat with the buyer",
            EvidenceKind::ReturnUnboxingVideo => "an uncut video of opening the returned parcel",
            EvidenceKind::ReturnedItemPhotos => "photos of the item that came back",
            EvidenceKind::ReturnTrackingScans => "the carrier's scan history for the return",
            EvidenceKind::ReturnWeight => "the weight of the return parcel on arrival",
        }
    }
}

/// What a dispute type needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceChecklist {
    pub dispute: DisputeType,
    pub required: Vec<EvidenceKind>,
    pub recommended: Vec<EvidenceKind>,
}

/// The checklist for one dispute type.
pub fn checklist(dispute: DisputeType) -> EvidenceChecklist {
    use EvidenceKind::*;
    let (required, recommended) = match dispute {
        DisputeType::NonDelivery => (
            vec![TrackingScans, ProofOfDelivery],
            vec![PackoutPhoto, DispatchWeight, BuyerConversation],
        ),
        DisputeType::NotAsDescribed => (
            vec![ListingSnapshot, ItemPhotos],
            vec![PackoutPhoto, SerialOrBatch, BuyerConversation],
        ),
        DisputeType::Damaged => (
            vec![PackoutPhoto, TrackingScans],
            vec![ItemPhotos, DispatchWeight, BuyerConversation],
        ),
        DisputeType::Defective => (
            vec![SerialOrBatch, QualityCheck],
            vec![ItemPhotos, BuyerConversation],
        ),
        DisputeType::BuyersRemorse => (vec![ListingSnapshot], vec![BuyerConversation]),
        DisputeType::IncompleteOrUsedReturn => (
            vec![
                PackoutPhoto,
                ReturnUnboxingVideo,
                ReturnedItemPhotos,
                SerialOrBatch,
            ],
            vec![ReturnTrackingScans, ReturnWeight, DispatchWeight],
        ),
    };
    EvidenceChecklist {
        dispute,
        required,
        recommended,
    }
}

/// One attached piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceItem {
    pub kind: EvidenceKind,
    /// Opaque reference: a platform `image_id`, a file key, a tracking number.
    pub reference: String,
    /// What the item shows, in the operator's words.
    pub note: Option<String>,
}

impl EvidenceItem {
    pub fn new(kind: EvidenceKind, reference: &str) -> Self {
        Self {
            kind,
            reference: reference.to_owned(),
            note: None,
        }
    }

    pub fn with_note(mut self, note: &str) -> Self {
        self.note = Some(note.to_owned());
        self
    }
}

/// What the checklist still lacks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MissingEvidence {
    pub required: Vec<EvidenceKind>,
    pub recommended: Vec<EvidenceKind>,
}

impl MissingEvidence {
    /// Every required item is attached.
    pub fn is_complete(&self) -> bool {
        self.required.is_empty()
    }
}

/// The checklist items of `dispute` not covered by `attached` (order kept from the list).
pub fn missing_evidence(dispute: DisputeType, attached: &[EvidenceItem]) -> MissingEvidence {
    let list = checklist(dispute);
    let is_attached = |kind: &EvidenceKind| attached.iter().any(|item| item.kind == *kind);
    MissingEvidence {
        required: list
            .required
            .into_iter()
            .filter(|kind| !is_attached(kind))
            .collect(),
        recommended: list
            .recommended
            .into_iter()
            .filter(|kind| !is_attached(kind))
            .collect(),
    }
}

/// Facts an appeal draft is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealInput<'a> {
    pub case_id: &'a CaseId,
    pub order_id: &'a OrderId,
    pub dispute: DisputeType,
    /// The decision being appealed, in the operator's words (e.g. "refund granted without return").
    pub decision: &'a str,
    pub refund: Option<&'a Money>,
    /// The seller's account of what happened, in the operator's words.
    pub seller_statement: &'a str,
    pub evidence: &'a [EvidenceItem],
}

/// A draft for the operator to review and submit; never sent automatically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealDraft {
    pub text: String,
    /// Required checklist items not attached: the draft says so, and the console should
    /// ask for them before submitting.
    pub missing_required: Vec<EvidenceKind>,
}

impl AppealDraft {
    pub fn is_ready(&self) -> bool {
        self.missing_required.is_empty()
    }
}

/// Assembles an appeal draft: the case, the decision contested, the seller's statement,
/// each attached item with what it shows, and what is still missing.
pub fn build_appeal_draft(input: &AppealInput<'_>) -> AppealDraft {
    let missing = missing_evidence(input.dispute, input.evidence);
    let mut text = format!(
        "Appeal for after-sales request {} (order {}).\n",
        input.case_id, input.order_id
    );
    text.push_str(&format!(
        "Dispute: {}. Decision contested: {}.",
        input.dispute.describe(),
        input.decision.trim()
    ));
    if let Some(refund) = input.refund {
        text.push_str(&format!(" Amount at stake: {refund}."));
    }
    text.push_str("\n\nWhat happened, from the seller's side:\n");
    text.push_str(input.seller_statement.trim());
    text.push('\n');
    if input.evidence.is_empty() {
        text.push_str("\nNo evidence is attached yet.\n");
    } else {
        text.push_str("\nEvidence attached:\n");
        for (number, item) in input.evidence.iter().enumerate() {
            text.push_str(&format!(
                "{}. {} (ref {})",
                number + 1,
                capitalize(item.kind.describe()),
                item.reference
            ));
            if let Some(note) = item
                .note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                text.push_str(&format!(": {note}"));
            }
            text.push('\n');
        }
    }
    if !missing.required.is_empty() {
        text.push_str("\nStill to attach before submitting: ");
        let names: Vec<&str> = missing
            .required
            .iter()
            .map(|kind| kind.describe())
            .collect();
        text.push_str(&names.join("; "));
        text.push_str(".\n");
    }
    text.push_str(
        "\nWe ask the review team to reconsider the decision in light of this evidence.\n",
    );
    AppealDraft {
        text,
        missing_required: missing.required,
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
