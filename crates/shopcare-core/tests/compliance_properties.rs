//! Property tests: the guard never panics, and every finding's offsets are char
//! boundaries with `excerpt == text[start..end]`.

use proptest::prelude::*;
use shopcare_core::compliance::{check, TextKind};

/// Fragments that reach deep into the rules, mixed with arbitrary text.
const FRAGMENTS: [&str; 24] = [
    "Hi Sarah, ",
    "+62 812-3456-7890",
    "4111 1111 1111 1111",
    "Jl. Melati No. 12",
    "คุณสมชาย",
    "亲爱的王小姐",
    "chị Lan",
    "WA 0812",
    "wa.me/62812",
    "leave a 5-star review",
    "get 10% off",
    "หากคุณต้องการ อัปเดตรีวิวได้ไหม",
    "đánh giá 5 sao",
    "好评返现",
    "you liar",
    "ngủ",
    "No. 1 in the world",
    "100 % natural",
    "ǅ",
    "İ",
    "ﬃ",
    "\u{0301}",
    "５星",
    "Kak. ",
];

fn assert_well_formed(text: &str) {
    for market in [None, Some("US"), Some("ID"), Some("TH"), Some("zz")] {
        for kind in TextKind::ALL {
            let verdict = check(text, kind, market);
            assert_eq!(verdict.ok, verdict.findings.is_empty());
            for finding in &verdict.findings {
                assert!(finding.start < finding.end && finding.end <= text.len());
                assert!(text.is_char_boundary(finding.start) && text.is_char_boundary(finding.end));
                assert_eq!(finding.excerpt, &text[finding.start..finding.end]);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_handled(text in any::<String>()) {
        assert_well_formed(&text);
    }

    #[test]
    fn fragment_mixtures_are_handled(
        parts in prop::collection::vec(
            prop_oneof![
                prop::sample::select(FRAGMENTS.to_vec()).prop_map(str::to_owned),
                "[ -~]{0,12}",
                "\\PC{0,6}",
            ],
            0..12,
        )
    ) {
        assert_well_formed(&parts.concat());
    }
}

#[test]
fn empty_and_whitespace_texts_are_clean() {
    for text in ["", " ", "\n\n", "\u{200B}"] {
        assert!(check(text, TextKind::ReviewReply, None).ok);
    }
}
