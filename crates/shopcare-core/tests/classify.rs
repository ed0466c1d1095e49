//! Review classifier tests: the labelled corpus (targets of issue 3), a held-out
//! set written after tuning, focused cases per language (negation, code-mixing,
//! order facts), and properties that must hold for any input.

use proptest::prelude::*;
use shopcare_core::classify::{
    classify, evaluate, sentiment_of, triage, Classification, ClassifyInput, EvalReport, Expected,
    OrderFacts, RootCause, Sentiment, SupportCategory,
};

struct Case {
    id: String,
    input: ClassifyInput,
    expected: Expected,
}

fn load(fixture: &str) -> Vec<Case> {
    let path = format!(
        "{}/tests/fixtures/classify/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    let data = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    data.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("{fixture}:{}: {error}", number + 1));
            let text = |key: &str| value[key].as_str().map(str::to_owned);
            let order = value.get("order").map(|order| OrderFacts {
                shipped_late: order["shipped_late"].as_bool(),
                tracking_stalled: order["tracking_stalled"].as_bool(),
                delivered: order["delivered"].as_bool(),
            });
            let expected = &value["expected"];
            let label = |key: &str| expected[key].as_str().unwrap_or_default().to_owned();
            Case {
                id: text("id").unwrap_or_default(),
                input: ClassifyInput {
                    text: text("text").unwrap_or_default(),
                    rating: value["rating"].as_u64().map(|stars| stars as u8),
                    market: text("market"),
                    order,
                },
                expected: Expected {
                    sentiment: Sentiment::parse(&label("sentiment")).expect("sentiment label"),
                    root_cause: RootCause::parse(&label("root_cause")).expect("root cause label"),
                    seller_related: expected["seller_related"]
                        .as_bool()
                        .expect("seller_related"),
                    language: label("language"),
                },
            }
        })
        .collect()
}

/// Evaluates a fixture and lists the cases that went wrong, for the failure message.
fn run(fixture: &str) -> (EvalReport, String) {
    let cases = load(fixture);
    let pairs: Vec<(ClassifyInput, Expected)> = cases
        .iter()
        .map(|case| (case.input.clone(), case.expected.clone()))
        .collect();
    let report = evaluate(&pairs);
    let mut misses = String::new();
    for case in &cases {
        let verdict = classify(&case.input);
        let wrong = verdict.root_cause != case.expected.root_cause
            || verdict.sentiment != case.expected.sentiment
            || verdict.language != case.expected.language;
        if wrong {
            misses.push_str(&format!(
                "{} [{} {} {}] expected [{} {} {}] {:?}\n",
                case.id,
                verdict.sentiment,
                verdict.root_cause,
                verdict.language,
                case.expected.sentiment,
                case.expected.root_cause,
                case.expected.language,
                case.input.text
            ));
        }
    }
    (report, misses)
}

#[test]
fn corpus_meets_the_issue_targets() {
    let (report, misses) = run("corpus.jsonl");
    println!("{report}\n{misses}");
    assert!(
        report.cases >= 770,
        "corpus has only {} cases",
        report.cases
    );
    assert!(
        report.macro_f1 >= 0.85,
        "macro-F1 {:.3}\n{misses}",
        report.macro_f1
    );
    assert!(
        report.sentiment_accuracy >= 0.92,
        "sentiment {:.3}\n{misses}",
        report.sentiment_accuracy
    );
    assert!(
        report.seller_related_accuracy >= 0.9,
        "seller-related {:.3}",
        report.seller_related_accuracy
    );
    assert!(
        report.language_accuracy >= 0.95,
        "language {:.3}\n{misses}",
        report.language_accuracy
    );
}

fn check(text: &str, sentiment: Sentiment, cause: RootCause, language: &str) -> Classification {
    let verdict = classify(&ClassifyInput::text(text));
    assert_eq!(
        (verdict.sentiment, verdict.root_cause, verdict.language),
        (sentiment, cause, language),
        "{text:?}: {verdict:#?}"
    );
    verdict
}

#[test]
fn negation_cancels_a_complaint_in_every_language() {
    use RootCause::None as NoComplaint;
    use Sentiment::Positive;
    check(
        "Not broken at all, works great",
        Positive,
        NoComplaint,
        "en",
    );
    check(
        "Barangnya tidak rusak, bagus banget",
        Positive,
        NoComplaint,
        "id",
    );
    check("Barang gak rusak, mantap", Positive, NoComplaint, "id");
    check(
        "Tak rosak langsung, cantik sangat",
        Positive,
        NoComplaint,
        "ms",
    );
    check("Hàng không hỏng, rất đẹp", Positive, NoComplaint, "vi");
    check("ของไม่เสีย สวยมาก", Positive, NoComplaint, "th");
    check("没坏，很好用", Positive, NoComplaint, "zh");
    check("No está roto, me encanta", Positive, NoComplaint, "es");
}

#[test]
fn negating_praise_makes_a_complaint() {
    let verdict = check(
        "Not good, it does not work",
        Sentiment::Negative,
        RootCause::ProductQuality,
        "en",
    );
    assert!(verdict.seller_related);
    check(
        "Barangnya tidak sesuai gambar",
        Sentiment::Negative,
        RootCause::NotAsDescribed,
        "id",
    );
    check(
        "Sản phẩm không giống hình",
        Sentiment::Negative,
        RootCause::NotAsDescribed,
        "vi",
    );
    check(
        "质量不好，不能用",
        Sentiment::Negative,
        RootCause::ProductQuality,
        "zh",
    );
    check(
        "El vendedor no responde nunca",
        Sentiment::Negative,
        RootCause::CustomerService,
        "es",
    );
    check(
        "ร้านไม่ตอบแชทเลย",
        Sentiment::Negative,
        RootCause::CustomerService,
        "th",
    );
}

#[test]
fn code_mixed_text_is_classified_and_labelled_with_its_local_language() {
    check(
        "Barangnya rusak, not working at all, kecewa",
        Sentiment::Negative,
        RootCause::ProductQuality,
        "id",
    );
    check(
        "Seller tak reply chat langsung, teruk",
        Sentiment::Negative,
        RootCause::CustomerService,
        "ms",
    );
    check(
        "สีไม่ตรงปก totally different",
        Sentiment::Negative,
        RootCause::NotAsDescribed,
        "th",
    );
    check(
        "包装太差 no bubble wrap，碎了",
        Sentiment::Negative,
        RootCause::PackagingDamage,
        "zh",
    );
}

#[test]
fn order_facts_decide_between_late_dispatch_and_delivery() {
    let texts = [
        "Took two weeks to arrive, way too slow",
        "Lama banget sampainya, hampir 2 minggu",
        "Lama sangat nak sampai, tunggu dua minggu",
        "Giao chậm quá, hai tuần mới nhận",
        "ส่งช้ามาก รอเกือบสองอาทิตย์",
        "Tardó muchísimo en llegar, casi dos semanas",
        "太慢了，两个星期才到",
    ];
    for text in texts {
        let with = |shipped_late: Option<bool>| {
            classify(&ClassifyInput {
                text: text.to_owned(),
                rating: Some(2),
                market: None,
                order: Some(OrderFacts {
                    shipped_late,
                    ..OrderFacts::default()
                }),
            })
        };
        let late = with(Some(true));
        assert_eq!(late.root_cause, RootCause::LateDispatch, "{text}");
        assert!(late.seller_related, "{text}");
        let on_time = with(Some(false));
        assert_eq!(on_time.root_cause, RootCause::Delivery, "{text}");
        assert!(!on_time.seller_related, "{text}");
        assert_eq!(
            with(None).root_cause,
            RootCause::Delivery,
            "{text}: no facts means logistics"
        );
    }
}

#[test]
fn explicit_slow_dispatch_is_the_seller_unless_the_facts_say_otherwise() {
    let text = "The seller took a week to ship it out";
    assert_eq!(
        classify(&ClassifyInput::text(text)).root_cause,
        RootCause::LateDispatch
    );
    let on_time = classify(&ClassifyInput {
        order: Some(OrderFacts {
            shipped_late: Some(false),
            ..OrderFacts::default()
        }),
        ..ClassifyInput::text(text)
    });
    assert_eq!(on_time.root_cause, RootCause::Delivery);
}

#[test]
fn rating_decides_sentiment_and_three_stars_lean_neutral() {
    let base = "Arrived broken, the box was crushed";
    let with_rating = |stars| ClassifyInput {
        rating: Some(stars),
        ..ClassifyInput::text(base)
    };
    assert_eq!(classify(&with_rating(1)).sentiment, Sentiment::Negative);
    assert_eq!(classify(&with_rating(5)).sentiment, Sentiment::Positive);
    assert_eq!(classify(&with_rating(3)).sentiment, Sentiment::Neutral);
    assert_eq!(
        classify(&with_rating(5)).root_cause,
        RootCause::PackagingDamage
    );
    let out_of_range = ClassifyInput {
        rating: Some(9),
        ..ClassifyInput::text(base)
    };
    assert_eq!(
        classify(&out_of_range).sentiment,
        Sentiment::Negative,
        "bad ratings are ignored"
    );
}

#[test]
fn emoji_and_slang_carry_sentiment() {
    assert_eq!(sentiment_of("😡😡👎").0, Sentiment::Negative);
    assert_eq!(sentiment_of("😍👍").0, Sentiment::Positive);
    assert_eq!(sentiment_of("brg bgs bgt, mantul").0, Sentiment::Positive);
    assert_eq!(sentiment_of("ห่วยมาก").0, Sentiment::Negative);
    assert_eq!(
        sentiment_of("hang dep lam, rat hai long").0,
        Sentiment::Positive
    );
    assert_eq!(sentiment_of("垃圾，差评").0, Sentiment::Negative);
    assert_eq!(sentiment_of("bagusss bangettt").0, Sentiment::Positive);
}

#[test]
fn contrast_makes_the_later_clause_count_more() {
    let (sentiment, _) =
        sentiment_of("The design is nice but it broke after two days and I am disappointed");
    assert_eq!(sentiment, Sentiment::Negative);
    let (sentiment, _) = sentiment_of("Pengirimannya agak lama tapi barangnya bagus banget, puas");
    assert_eq!(sentiment, Sentiment::Positive);
}

#[test]
fn evidence_points_at_the_deciding_phrases() {
    let text = "Rất đẹp nhưng giao sai màu, thất vọng";
    let verdict = classify(&ClassifyInput::text(text));
    assert_eq!(verdict.root_cause, RootCause::WrongOrMissingItem);
    let cause = verdict
        .evidence
        .iter()
        .find(|evidence| evidence.signal.as_str() == "wrong_or_missing_item")
        .expect("cause evidence");
    assert_eq!(&text[cause.start..cause.end], "giao sai màu");
    assert_eq!(cause.phrase, "giao sai màu");
}

#[test]
fn labels_round_trip_through_their_strings() {
    for cause in RootCause::ALL {
        assert_eq!(RootCause::parse(cause.as_str()), Ok(cause));
    }
    for sentiment in Sentiment::ALL {
        assert_eq!(Sentiment::parse(sentiment.as_str()), Ok(sentiment));
    }
    assert!(RootCause::parse("shipping").is_err());
    assert!(!RootCause::Delivery.is_seller_related());
    assert!(!RootCause::None.is_seller_related());
    assert!(RootCause::Other.is_seller_related());
}

#[test]
fn support_triage_sorts_buyer_messages() {
    assert_eq!(
        triage("Tracking has not updated for 4 days, where is my parcel?"),
        Some(SupportCategory::Shipping)
    );
    assert_eq!(
        triage("The blender arrived with a cracked jar and a missing lid"),
        Some(SupportCategory::ProductIssue)
    );
    assert_eq!(
        triage("Warnanya beda sama foto"),
        Some(SupportCategory::ExpectationMismatch)
    );
    assert_eq!(triage("Terima kasih, barang sudah sampai dan bagus"), None);
    assert_eq!(
        triage("Cách kết nối tai nghe với điện thoại?"),
        Some(SupportCategory::Usage)
    );
    assert_eq!(triage("怎么连接蓝牙？"), Some(SupportCategory::Usage));
}

/// The first held-out set, written after tuning on the corpus: measured once
/// untouched (macro-F1 0.620, sentiment 0.946), then mined for general vocabulary
/// (no verbatim phrases), so it is a regression set now.
#[test]
fn first_held_out_round_stays_fixed() {
    let (report, misses) = run("holdout-round1.jsonl");
    assert!(
        report.macro_f1 >= 0.85,
        "macro-F1 {:.3}\n{misses}",
        report.macro_f1
    );
    assert!(
        report.sentiment_accuracy >= 0.92,
        "sentiment {:.3}\n{misses}",
        report.sentiment_accuracy
    );
}

/// The second held-out set: untouched it scored macro-F1 0.674, sentiment 0.961;
/// a regression set after the second round of general vocabulary.
#[test]
fn second_held_out_round_stays_fixed() {
    let (report, misses) = run("holdout-round2.jsonl");
    assert!(
        report.macro_f1 >= 0.85,
        "macro-F1 {:.3}\n{misses}",
        report.macro_f1
    );
    assert!(
        report.sentiment_accuracy >= 0.92,
        "sentiment {:.3}\n{misses}",
        report.sentiment_accuracy
    );
}

/// The third held-out set: untouched it scored macro-F1 0.628, sentiment 1.000;
/// a regression set after the third round of general vocabulary.
#[test]
fn third_held_out_round_stays_fixed() {
    let (report, misses) = run("holdout-round3.jsonl");
    assert!(
        report.macro_f1 >= 0.7,
        "macro-F1 {:.3}\n{misses}",
        report.macro_f1
    );
    assert!(
        report.sentiment_accuracy >= 0.92,
        "sentiment {:.3}\n{misses}",
        report.sentiment_accuracy
    );
}

/// The fourth held-out set (66 reviews, seven languages, code-mixed, order facts):
/// untouched it scored macro-F1 0.655 (0.684 after the families lexicon, which was
/// tuned on `holdout.jsonl`); 0.800 after the topic fallback for unexplained
/// complaints. A regression set from here on.
#[test]
fn fourth_held_out_round_stays_fixed() {
    let (report, misses) = run("holdout-round4.jsonl");
    assert!(
        report.macro_f1 >= 0.75,
        "macro-F1 {:.3}\n{misses}",
        report.macro_f1
    );
    assert!(
        report.sentiment_accuracy >= 0.92,
        "sentiment {:.3}\n{misses}",
        report.sentiment_accuracy
    );
}

/// The fifth held-out set (40 reviews, seven languages), written after the families
/// lexicon and the topic fallback and measured once without any tuning: macro-F1 0.785,
/// accuracy 0.850, sentiment 1.000. The honest generalisation figure of that round.
#[test]
fn fifth_held_out_round_generalises_untuned() {
    let (report, misses) = run("holdout-round5.jsonl");
    assert!(
        report.macro_f1 >= 0.75,
        "macro-F1 {:.3}\n{misses}",
        report.macro_f1
    );
    assert!(
        report.sentiment_accuracy >= 0.92,
        "sentiment {:.3}\n{misses}",
        report.sentiment_accuracy
    );
}

/// Reviews in deliberately indirect wording ("the motor started smoking", "only the
/// stand showed up"): untouched they scored macro-F1 0.282, most landing in `other`;
/// the families lexicon (`lexicon/families.lex`, meaning groups in every language) was
/// written against them, so this is now a regression set.
#[test]
fn held_out_reviews_written_after_tuning_generalise() {
    let (report, misses) = run("holdout.jsonl");
    println!("{report}\n{misses}");
    assert!(
        report.cases >= 50,
        "holdout has only {} cases",
        report.cases
    );
    assert!(
        report.sentiment_accuracy >= 0.9,
        "holdout sentiment {:.3}\n{misses}",
        report.sentiment_accuracy
    );
    assert!(
        report.language_accuracy >= 0.9,
        "holdout language {:.3}\n{misses}",
        report.language_accuracy
    );
    assert!(
        report.macro_f1 >= 0.85,
        "holdout macro-F1 {:.3}\n{misses}",
        report.macro_f1
    );
}

/// Sentiment from the text alone (ratings removed), as for chats and comments and
/// for review sets compared with text-only tools such as VADER.
#[test]
fn sentiment_from_text_alone_holds_on_every_fixture() {
    let mut failures = Vec::new();
    for (fixture, floor) in [
        // Labels of rated reviews follow the stars, so text alone scores lower;
        // the indirect held-out sets (rounds 3 and 4) are the hardest.
        ("corpus.jsonl", 0.85),
        ("holdout-round1.jsonl", 0.85),
        ("holdout-round2.jsonl", 0.9),
        ("holdout-round3.jsonl", 0.6),
        ("holdout.jsonl", 0.5),
    ] {
        let cases = load(fixture);
        let correct = cases
            .iter()
            .filter(|case| sentiment_of(&case.input.text).0 == case.expected.sentiment)
            .count();
        let accuracy = correct as f64 / cases.len() as f64;
        println!("{fixture}: text-only sentiment accuracy {accuracy:.3}");
        if accuracy < floor {
            failures.push(format!("{fixture}: {accuracy:.3} < {floor}"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

proptest! {
    #[test]
    fn never_panics_and_evidence_is_on_char_boundaries(text in "\\PC{0,200}", rating in proptest::option::of(0u8..8)) {
        let input = ClassifyInput { text: text.clone(), rating, ..ClassifyInput::default() };
        let verdict = classify(&input);
        prop_assert!((0.0..=1.0).contains(&verdict.confidence));
        for evidence in &verdict.evidence {
            prop_assert!(evidence.start <= evidence.end && evidence.end <= text.len());
            prop_assert!(text.is_char_boundary(evidence.start) && text.is_char_boundary(evidence.end));
            if evidence.end > evidence.start {
                prop_assert_eq!(&text[evidence.start..evidence.end], evidence.phrase.as_str());
            }
        }
    }

    #[test]
    fn mixed_scripts_and_elongations_never_panic(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("rusakkkk "), Just("ไม่ดีมากกก"), Just("không hỏnggg "), Just("没坏"),
                Just("😡"), Just("é\u{301}"), Just("Ｏｋ"), Just("  "), Just("!!"), Just("'s "),
            ],
            0..30,
        )
    ) {
        let text: String = parts.concat();
        let verdict = classify(&ClassifyInput::text(text.clone()));
        for evidence in &verdict.evidence {
            prop_assert!(text.is_char_boundary(evidence.start) && text.is_char_boundary(evidence.end));
        }
    }
}
