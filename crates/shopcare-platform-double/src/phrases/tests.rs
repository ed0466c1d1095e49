//! Tests of the phrase generators: determinism, coverage, variety and seller-reply safety.

use super::lexicon::{Lexicon, Phrases};
use super::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

const LANGUAGES: [&str; 7] = ["en", "id", "ms", "th", "vi", "es", "zh"];

fn sample_everything(seed: u64) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut texts = Vec::new();
    for language in LANGUAGES {
        for category in Category::ALL {
            texts.push(product_title(&mut rng, category, language));
            for complaint in Complaint::ALL {
                for rating in 1..=5 {
                    texts.push(review_text(&mut rng, language, rating, complaint, category));
                }
            }
        }
        for topic in ChatTopic::ALL {
            texts.push(buyer_message(&mut rng, language, topic));
            texts.push(seller_reply(&mut rng, language, topic));
        }
    }
    texts
}

#[test]
fn same_seed_gives_same_texts_and_other_seed_differs() {
    let first = sample_everything(7);
    assert_eq!(first, sample_everything(7));
    assert_ne!(first, sample_everything(8));
}

#[test]
fn every_language_complaint_category_and_rating_gives_text() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for language in LANGUAGES {
        for category in Category::ALL {
            for complaint in Complaint::ALL {
                for rating in 0..=6 {
                    for _ in 0..6 {
                        let text = review_text(&mut rng, language, rating, complaint, category);
                        assert!(
                            !text.trim().is_empty(),
                            "empty review for {language} {complaint:?} {category:?} {rating}★"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn complaint_reviews_are_varied() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let distinct: HashSet<String> = (0..500)
        .map(|_| review_text(&mut rng, "id", 1, Complaint::Damaged, Category::Electronics))
        .collect();
    assert!(
        distinct.len() >= 150,
        "only {} distinct texts",
        distinct.len()
    );

    for language in LANGUAGES {
        for complaint in Complaint::ALL {
            let distinct: HashSet<String> = (0..200)
                .map(|_| review_text(&mut rng, language, 2, complaint, Category::Apparel))
                .collect();
            assert!(
                distinct.len() >= 60,
                "{language} {complaint:?}: only {} distinct texts",
                distinct.len()
            );
        }
    }
}

#[test]
fn english_complaints_stay_within_their_category() {
    // Words that belong to one category only must not leak into another category's reviews.
    let foreign_words = |category: Category| -> &'static [&'static str] {
        match category {
            Category::Apparel => &[
                "charg", "screen", "screw", "serum", "expired", "tastes", "earbud",
            ],
            Category::Skincare => &[
                "fabric", "stitch", "charg", "screen", "screw", "tastes", "earbud",
            ],
            Category::Electronics => &["fabric", "stitch", "serum", "tastes", "screw", "expired"],
            Category::Home => &["fabric", "stitch", "charg", "serum", "tastes", "earbud"],
            Category::Food => &[
                "fabric", "stitch", "charg", "screen", "screw", "serum", "earbud",
            ],
        }
    };
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    for category in Category::ALL {
        for complaint in Complaint::ALL {
            for rating in 1..=5 {
                for _ in 0..60 {
                    let text =
                        review_text(&mut rng, "en", rating, complaint, category).to_lowercase();
                    for word in foreign_words(category) {
                        assert!(
                            !text.contains(word),
                            "{category:?} review mentions {word:?}: {text}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn chat_messages_are_varied() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for language in LANGUAGES {
        for topic in ChatTopic::ALL {
            let buyer: HashSet<String> = (0..200)
                .map(|_| buyer_message(&mut rng, language, topic))
                .collect();
            let seller: HashSet<String> = (0..200)
                .map(|_| seller_reply(&mut rng, language, topic))
                .collect();
            assert!(
                buyer.len() >= 20,
                "{language} {topic:?} buyer: {}",
                buyer.len()
            );
            assert!(
                seller.len() >= 20,
                "{language} {topic:?} seller: {}",
                seller.len()
            );
        }
    }
}

fn longest_digit_run(text: &str) -> usize {
    text.split(|character: char| !character.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

#[test]
fn seller_replies_stay_on_platform_and_offer_no_review_rewards() {
    let forbidden = [
        "wa.me",
        "whatsapp",
        "http",
        "www.",
        "line id",
        "telegram",
        "@gmail",
        "instagram",
        "facebook",
        "5 star",
        "5-star",
        "five star",
        "bintang 5",
        "5 sao",
        "5 bintang",
        "5 ดาว",
        "五星",
        "5 estrellas",
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    for language in LANGUAGES {
        for topic in ChatTopic::ALL {
            for _ in 0..120 {
                let reply = seller_reply(&mut rng, language, topic);
                let lowered = reply.to_lowercase();
                assert!(longest_digit_run(&reply) < 8, "digit run in {reply}");
                for word in forbidden {
                    assert!(!lowered.contains(word), "{word:?} in {reply}");
                }
            }
        }
    }
}

#[test]
fn unknown_language_falls_back_to_english_and_tags_use_primary_subtag() {
    let draw = |language: &str| {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        (0..30)
            .map(|_| {
                review_text(
                    &mut rng,
                    language,
                    1,
                    Complaint::PoorQuality,
                    Category::Food,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(draw("xx"), draw("en"));
    assert_eq!(draw(""), draw("en"));
    assert_eq!(draw("es-MX"), draw("es"));
    assert_ne!(draw("es"), draw("en"));
}

#[test]
fn region_languages_follow_the_markets() {
    let check = |region: &str, expected: &[&str]| {
        assert_eq!(languages_for_region(region), expected, "region {region}");
    };
    check("US", &["en", "es"]);
    check("gb", &["en"]);
    check("ID", &["id", "en"]);
    check("MY", &["ms", "en", "zh"]);
    check("TH", &["th", "en"]);
    check("VN", &["vi"]);
    check("PH", &["en"]);
    check("SG", &["en", "zh"]);
    check("MX", &["es"]);
    check("FR", &["en"]);
    check("", &["en"]);
}

#[test]
fn titles_and_variants_exist_for_every_category() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    for category in Category::ALL {
        assert!(!variant_names(category).is_empty());
        for language in LANGUAGES {
            let title = product_title(&mut rng, category, language);
            assert!(title.chars().count() >= 8, "short title {title:?}");
        }
    }
}

#[test]
fn helpers_shorten_words_strip_marks_and_make_typos() {
    assert_eq!(
        replace_words(
            "barang bagus, barangnya oke",
            "barang",
            "brg",
            Script::Latin
        )
        .as_deref(),
        Some("brg bagus, barangnya oke")
    );
    assert_eq!(replace_words("sayang", "yang", "yg", Script::Latin), None);
    assert_eq!(
        replace_words("ส่งเร็วมาก", "มาก", "มากกก", Script::Thai).as_deref(),
        Some("ส่งเร็วมากกก")
    );
    let plain: String = "Sản phẩm đẹp, giao hàng nhanh. Está muy bien, niño"
        .chars()
        .map(plain_letter)
        .collect();
    assert_eq!(plain, "San pham dep, giao hang nhanh. Esta muy bien, niño");
    let plain: String = "Chất lượng tuyệt vời, ĐƯỢC, Ổn áp, mỗi tội hơi mắc, ỳ"
        .chars()
        .map(plain_letter)
        .collect();
    assert_eq!(
        plain,
        "Chat luong tuyet voi, DUOC, On ap, moi toi hoi mac, y"
    );

    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let original = "good quality";
    let typo = with_typo(&mut rng, original);
    assert_ne!(typo, original);
    assert!(typo.len().abs_diff(original.len()) <= 1);
    assert_eq!(with_typo(&mut rng, "ส่งเร็ว 12"), "ส่งเร็ว 12");
}

fn all_lexicons() -> [(&'static str, &'static Lexicon); 7] {
    LANGUAGES.map(|language| (language, lexicon_for(language)))
}

fn review_tables(lexicon: &'static Lexicon) -> Vec<Phrases> {
    let reviews = &lexicon.reviews;
    let mut tables = vec![
        reviews.short_praise,
        reviews.praise_openers,
        reviews.praise_service,
        reviews.praise_closers,
        reviews.lukewarm_short,
        reviews.lukewarm_cores,
        reviews.lukewarm_closers,
        reviews.negative_openers,
        reviews.negative_general,
        reviews.negative_closers,
    ];
    for category in Category::ALL {
        tables.push(reviews.praise_product.get(category));
        tables.extend(reviews.product_complaints.get(category).all());
    }
    tables.extend(reviews.complaint_cores.all());
    tables.extend(reviews.complaint_details.all());
    tables.extend(reviews.mild_complaints.all());
    tables
}

#[test]
fn every_table_is_filled_and_review_clauses_have_no_trailing_punctuation() {
    for (language, lexicon) in all_lexicons() {
        for table in review_tables(lexicon) {
            assert!(!table.is_empty(), "{language}: empty review table");
            for clause in table {
                assert!(
                    !clause.trim().is_empty()
                        && !clause.ends_with(['.', ',', '!', '?', ' ', '。', '，', '！']),
                    "{language}: bad clause {clause:?}"
                );
            }
        }
        assert!(
            !lexicon.reviews.contrasts.is_empty(),
            "{language}: no contrasts"
        );
        let chat = &lexicon.chat;
        for table in [
            chat.buyer_greetings,
            chat.buyer_closers,
            chat.seller_greetings,
            chat.seller_closers,
        ] {
            assert!(!table.is_empty(), "{language}: empty chat table");
        }
        for topic in ChatTopic::ALL {
            assert!(
                !chat.buyer.get(topic).is_empty(),
                "{language}: no buyer {topic:?}"
            );
            assert!(
                !chat.seller.get(topic).is_empty(),
                "{language}: no seller {topic:?}"
            );
        }
        for category in Category::ALL {
            assert!(
                !lexicon.titles.heads.get(category).is_empty(),
                "{language}: no title heads"
            );
            assert!(
                !lexicon.titles.tails.get(category).is_empty(),
                "{language}: no title tails"
            );
        }
    }
}

#[test]
fn product_complaints_have_enough_building_blocks() {
    // Openers, cores (generic and per category), details and closers together: the variety
    // the brief asks for, counted per language, complaint and category.
    for (language, lexicon) in all_lexicons() {
        let reviews = &lexicon.reviews;
        for complaint in Complaint::ALL.into_iter().filter(|c| *c != Complaint::None) {
            for category in Category::ALL {
                let blocks = reviews.negative_openers.len()
                    + reviews.complaint_cores.get(complaint).len()
                    + reviews
                        .product_complaints
                        .get(category)
                        .get(complaint)
                        .len()
                    + reviews.complaint_details.get(complaint).len()
                    + reviews.negative_closers.len();
                assert!(
                    blocks >= 40,
                    "{language} {complaint:?} {category:?}: {blocks} blocks"
                );
            }
        }
    }
}
