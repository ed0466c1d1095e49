//! Support-desk triage of buyer text into the four categories of DOMAIN.md §6,
//! built on the review classifier: "how do I…" questions are usage, everything
//! else follows the complaint's root cause.

use super::normalize::normalize_key;
use super::{classify, ClassifyInput, RootCause};

/// Triage category of a buyer's support message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SupportCategory {
    /// Tracking not updating, delivered-not-received, slow or lost parcels.
    Shipping,
    /// Damaged, defective, missing parts, wrong variant.
    ProductIssue,
    /// Setup, pairing, sizing or fit questions: the buyer needs guidance.
    Usage,
    /// Colour/size perception, performance assumptions, "not like the photo".
    ExpectationMismatch,
}

impl SupportCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            SupportCategory::Shipping => "shipping",
            SupportCategory::ProductIssue => "product_issue",
            SupportCategory::Usage => "usage",
            SupportCategory::ExpectationMismatch => "expectation_mismatch",
        }
    }
}

/// Phrases (already in folded form) of buyers asking how to use or set something up.
const USAGE_QUESTIONS: &[&str] = &[
    "how do i",
    "how to use",
    "how to set",
    "how to connect",
    "how to pair",
    "how to install",
    "how does it",
    "which size should",
    "what size should",
    "setup",
    "set up",
    "instructions",
    "cara pakai",
    "cara pake",
    "cara guna",
    "cara menggunakan",
    "cara pasang",
    "cara setting",
    "gimana cara",
    "bagaimana cara",
    "macam mana nak",
    "camne nak",
    "ukuran berapa",
    "วิธีใช้",
    "ใช้ยังไง",
    "ใช้อย่างไร",
    "ต่อยังไง",
    "ตั้งค่า",
    "cach dung",
    "cach su dung",
    "cach ket noi",
    "huong dan",
    "lam sao de",
    "size nao",
    "como se usa",
    "como usar",
    "como lo uso",
    "como se conecta",
    "como instalar",
    "que talla",
    "怎么用",
    "如何使用",
    "怎么连接",
    "怎么安装",
    "怎么设置",
    "选什么码",
    "穿什么码",
];

/// The support category of a buyer's message, or `None` when it names no problem.
pub fn triage(text: &str) -> Option<SupportCategory> {
    let folded = normalize_key(text);
    if USAGE_QUESTIONS.iter().any(|phrase| folded.contains(phrase)) {
        return Some(SupportCategory::Usage);
    }
    match classify(&ClassifyInput::text(text)).root_cause {
        RootCause::LateDispatch | RootCause::Delivery => Some(SupportCategory::Shipping),
        RootCause::ProductQuality | RootCause::WrongOrMissingItem | RootCause::PackagingDamage => {
            Some(SupportCategory::ProductIssue)
        }
        RootCause::NotAsDescribed | RootCause::PriceValue => {
            Some(SupportCategory::ExpectationMismatch)
        }
        RootCause::CustomerService | RootCause::Other | RootCause::None => None,
    }
}
