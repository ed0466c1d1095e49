//! Every reply and review-request draft, in every language and for every root
//! cause, passes the compliance guard in every market.

use std::collections::BTreeSet;

use shopcare_core::compliance::{check, draft_review_reply, draft_review_request, TextKind};

const ROOT_CAUSES: [&str; 10] = [
    "product_quality",
    "not_as_described",
    "wrong_or_missing_item",
    "packaging_damage",
    "late_dispatch",
    "delivery",
    "customer_service",
    "price_value",
    "other",
    "none",
];
const LANGUAGES: [&str; 7] = ["en", "id", "ms", "th", "vi", "es", "zh"];
const MARKETS: [Option<&str>; 9] = [
    None,
    Some("US"),
    Some("ID"),
    Some("TH"),
    Some("MY"),
    Some("VN"),
    Some("MX"),
    Some("SG"),
    Some("PH"),
];
const ORDER_REFS: [Option<&str>; 3] = [None, Some("577104859302219456"), Some("TT-20241102-0042")];

#[test]
fn every_review_reply_draft_passes_the_guard() {
    for root_cause in ROOT_CAUSES {
        for language in LANGUAGES {
            for order_ref in ORDER_REFS {
                let draft = draft_review_reply(root_cause, language, order_ref);
                for market in MARKETS {
                    let verdict = check(&draft, TextKind::ReviewReply, market);
                    assert!(
                        verdict.ok,
                        "{root_cause}/{language}/{order_ref:?}/{market:?}: {draft}\n{:#?}",
                        verdict.findings
                    );
                }
                if let Some(reference) = order_ref {
                    assert!(draft.contains(reference), "{language}: {draft}");
                }
            }
        }
    }
}

#[test]
fn reply_drafts_vary_by_root_cause_and_language() {
    for language in LANGUAGES {
        let distinct: BTreeSet<String> = ROOT_CAUSES
            .iter()
            .map(|root_cause| draft_review_reply(root_cause, language, None))
            .collect();
        // late_dispatch/delivery share wording, as do other/none.
        assert_eq!(distinct.len(), 8, "{language}");
    }
    let per_language: BTreeSet<String> = LANGUAGES
        .iter()
        .map(|language| draft_review_reply("packaging_damage", language, None))
        .collect();
    assert_eq!(per_language.len(), LANGUAGES.len());
}

#[test]
fn unknown_language_falls_back_to_english_and_unsafe_refs_are_dropped() {
    assert_eq!(
        draft_review_reply("delivery", "fr", Some("123")),
        draft_review_reply("delivery", "en", Some("123"))
    );
    assert_eq!(
        draft_review_reply("delivery", "zh-CN", None),
        draft_review_reply("delivery", "zh", None)
    );
    let with_name = draft_review_reply("delivery", "en", Some("Sarah Lee 0812 3456 7890"));
    assert!(!with_name.contains("Sarah"));
    assert_eq!(with_name, draft_review_reply("delivery", "en", None));
}

#[test]
fn every_review_request_draft_passes_the_guard() {
    for product_type in ["consumable", "apparel", "device", "other", "furniture"] {
        for language in LANGUAGES {
            let draft = draft_review_request(product_type, language);
            for market in MARKETS {
                for kind in [TextKind::ReviewRequest, TextKind::ChatMessage] {
                    let verdict = check(&draft, kind, market);
                    assert!(
                        verdict.ok,
                        "{product_type}/{language}/{market:?}: {draft}\n{:#?}",
                        verdict.findings
                    );
                }
            }
        }
    }
}

#[test]
fn review_requests_ask_for_honesty_and_differ_by_product_type() {
    for language in LANGUAGES {
        let drafts: BTreeSet<String> = ["consumable", "apparel", "device", "other"]
            .iter()
            .map(|product_type| draft_review_request(product_type, language))
            .collect();
        assert_eq!(drafts.len(), 4, "{language}");
    }
    let honesty = [
        ("en", "honest"),
        ("id", "jujur"),
        ("ms", "jujur"),
        ("th", "ตามจริง"),
        ("vi", "thật lòng"),
        ("es", "sincera"),
        ("zh", "真实"),
    ];
    for (language, word) in honesty {
        for product_type in ["consumable", "apparel", "device", "other"] {
            assert!(
                draft_review_request(product_type, language).contains(word),
                "{language}/{product_type}"
            );
        }
    }
}
