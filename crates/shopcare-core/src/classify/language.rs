//! Language identification for short, code-mixed buyer text. Thai and Chinese are
//! recognised by script and Vietnamese by its own diacritics; the Latin-script
//! languages (and Vietnamese typed without diacritics) by votes of the lexicon words
//! found in the text — better than general-purpose detectors at telling Indonesian
//! from Malay. Code-mixed text is labelled with its non-English language.

use super::engine::Hit;
use super::lexicon::{LANGUAGES, LEXICON};

const ENGLISH: usize = 0;
const INDONESIAN: usize = 1;
const MALAY: usize = 2;

fn market_language(market: &str) -> Option<usize> {
    let code = match market.trim().to_ascii_uppercase().as_str() {
        "ID" => "id",
        "MY" => "ms",
        "TH" => "th",
        "VN" => "vi",
        "MX" | "ES" | "CO" | "CL" | "PE" | "AR" => "es",
        "CN" | "TW" | "HK" => "zh",
        "US" | "GB" | "UK" | "PH" | "SG" | "AU" | "CA" => "en",
        _ => return None,
    };
    LANGUAGES.iter().position(|language| *language == code)
}

fn is_vietnamese_letter(character: char) -> bool {
    matches!(
        character,
        'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư' | 'đ' | 'Ă' | 'Â' | 'Ê' | 'Ô' | 'Ơ' | 'Ư' | 'Đ'
    ) || ('\u{1EA0}'..='\u{1EF9}').contains(&character)
}

pub(crate) fn detect_language(text: &str, hits: &[Hit], market: Option<&str>) -> &'static str {
    let (mut thai, mut han, mut vietnamese, mut spanish) = (0usize, 0usize, 0usize, 0usize);
    for character in text.chars() {
        match character {
            '\u{0E00}'..='\u{0E7F}' => thai += 1,
            '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => han += 1,
            'ñ' | 'Ñ' | '¿' | '¡' => spanish += 1,
            _ if is_vietnamese_letter(character) => vietnamese += 1,
            _ => {}
        }
    }
    if thai >= 2 || han >= 2 {
        return if thai >= han { "th" } else { "zh" };
    }
    if vietnamese >= 2 {
        return "vi";
    }
    let mut votes = [0.0f32; LANGUAGES.len()];
    for hit in hits {
        let languages = LEXICON.cues[hit.cue].languages;
        let count = languages.count_ones();
        if count == 0 {
            continue;
        }
        for (bit, vote) in votes.iter_mut().enumerate() {
            if languages & (1 << bit) != 0 {
                *vote += 1.0 / count as f32;
            }
        }
    }
    votes[5] += spanish as f32 * 2.0;
    votes[4] += vietnamese as f32;
    let hinted = market.and_then(market_language);
    if let Some(index) = hinted {
        votes[index] += 0.6;
    }
    // Indonesian and Malay share most words: decide the pair against the others
    // first, then between the two by their own words (and the market on a tie).
    let malay_family = votes[INDONESIAN] + votes[MALAY];
    let mut best = ENGLISH;
    let mut best_votes = votes[ENGLISH];
    for (index, &vote) in votes.iter().enumerate().skip(3) {
        if vote > best_votes {
            best = index;
            best_votes = vote;
        }
    }
    let family_wins = malay_family > best_votes
        || (best == ENGLISH && malay_family >= 1.5 && malay_family >= 0.4 * votes[ENGLISH]);
    if family_wins {
        return pick_in_family(&votes, hinted);
    }
    if best == ENGLISH {
        // Code-mixed: a clear second language is the one to report.
        let runner_up = (3..LANGUAGES.len()).max_by(|a, b| votes[*a].total_cmp(&votes[*b]));
        if let Some(other) = runner_up {
            if votes[other] >= 1.5 && votes[other] >= 0.4 * votes[ENGLISH] {
                return LANGUAGES[other];
            }
        }
        if votes[ENGLISH] == 0.0 {
            return hinted.map_or("en", |index| LANGUAGES[index]);
        }
    }
    LANGUAGES[best]
}

fn pick_in_family(votes: &[f32], hinted: Option<usize>) -> &'static str {
    let difference = votes[INDONESIAN] - votes[MALAY];
    if difference.abs() < 0.25 {
        if hinted == Some(MALAY) {
            return "ms";
        }
        return "id";
    }
    if difference > 0.0 {
        "id"
    } else {
        "ms"
    }
}
