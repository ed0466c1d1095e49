//! Snapshot tests of the guard's findings for representative texts, one per
//! situation; review changes with `cargo insta review`.

use shopcare_core::compliance::{check, TextKind};

/// Renders a verdict as stable, readable text for the snapshot.
fn render(text: &str, kind: TextKind, market: Option<&str>) -> String {
    let verdict = check(text, kind, market);
    let mut out = format!(
        "text: {text}\nkind: {kind}, market: {market:?}, ok: {}\n",
        verdict.ok
    );
    for finding in verdict.findings {
        out.push_str(&format!(
            "- {} {}..{} «{}»\n    message: {}\n    suggestion: {}\n",
            finding.rule,
            finding.start,
            finding.end,
            finding.excerpt,
            finding.message,
            finding.suggestion
        ));
    }
    out
}

macro_rules! snapshot_case {
    ($name:ident, $kind:expr, $market:expr, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render($text, $kind, $market));
        }
    };
}

snapshot_case!(
    english_reply_with_name_and_phone,
    TextKind::ReviewReply,
    Some("US"),
    "Hi Sarah, we called you at (415) 555-0132 about the cracked lid."
);
snapshot_case!(
    indonesian_incentive_and_five_stars,
    TextKind::ReviewRequest,
    Some("ID"),
    "Kasih bintang 5 ya Kak, langsung dapat voucher diskon 20rb!"
);
snapshot_case!(
    thai_name_without_spaces,
    TextKind::ReviewReply,
    Some("TH"),
    "ขอบคุณคุณสมชายมากค่ะ ทางร้านจะส่งชิ้นใหม่ให้"
);
snapshot_case!(
    thai_allowed_update_question,
    TextKind::ChatMessage,
    Some("TH"),
    "หากคุณต้องการ คุณสามารถอัปเดตรีวิวได้ไหมคะ"
);
snapshot_case!(
    us_update_request_is_blocked,
    TextKind::ChatMessage,
    Some("US"),
    "We've sent the replacement. Would you like to update your review?"
);
snapshot_case!(
    vietnamese_without_diacritics_redirect,
    TextKind::ChatMessage,
    Some("VN"),
    "Ban ket ban Zalo 0909 123 456 de shop tu van nhanh hon nha."
);
snapshot_case!(
    spanish_threat_and_removal,
    TextKind::ChatMessage,
    Some("MX"),
    "Si no borras la reseña te vamos a demandar."
);
snapshot_case!(
    chinese_listing_overclaims,
    TextKind::Listing,
    Some("SG"),
    "全网销量第一，纯天然配方，根治脱发。"
);
snapshot_case!(
    malay_address_and_email,
    TextKind::ReviewReply,
    Some("MY"),
    "Bungkusan dihantar ke No. 8, Jalan Mawar 3 dan resit dihantar ke aina88@gmail.com."
);
snapshot_case!(
    english_steering_and_accusation,
    TextKind::ChatMessage,
    Some("US"),
    "Nice try, scammer. Please don't leave a bad review, message us first."
);
snapshot_case!(
    clean_support_reply_with_order_and_price,
    TextKind::ReviewReply,
    Some("US"),
    "Sorry about the late parcel. Order 577104859302219456 ($24.99) shipped on time with tracking SPXUS0123456789; the most common fix is to ask the carrier to re-scan."
);
snapshot_case!(
    clean_listing_with_material_percentages,
    TextKind::Listing,
    Some("US"),
    "Soft tee, 92 % cotton and 8 % elastane. Kill the power before ironing? Not needed — it's a sick deal at $12."
);
