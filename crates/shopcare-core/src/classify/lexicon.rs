//! The cue lexicons: weighted words and phrases per language for polarity, each
//! root cause, negation, intensity, contrast and topics, read from the data files
//! in `lexicon/` (compiled into the binary) and matched with one leftmost-longest
//! Aho-Corasick automaton built once per process (about 0.1 s, on first use).
//!
//! Data format, one entry group per line (`#` starts a comment):
//!
//! ```text
//! @ id,ms                          # languages of the lines that follow
//! pos 2 | bagus ; mantap ; keren     # tag, weight, then terms separated by `;`
//! n:nad 1.5 p0.8 | sesuai            # optional polarity override `pN`
//! n:dl 1.5 p0 t:arr | sampai          # optional topic flags `t:arr`, `t:pkn`...
//! ```
//!
//! Terms in spaced scripts match at word boundaries (`rusak*` also matches
//! "rusaknya", `*x*` anywhere); Thai, Chinese and emoji terms match as substrings.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::normalize::normalize_key;

/// Complaint classes a cue can point at, including the two that are resolved
/// from context (`Damage`: packing or product; `Slow`: dispatch, courier or chat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueCause {
    ProductQuality,
    NotAsDescribed,
    WrongOrMissingItem,
    PackagingDamage,
    LateDispatch,
    Delivery,
    CustomerService,
    PriceValue,
    Other,
    Damage,
    Slow,
}

/// What a cue does besides carrying polarity and a cause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Role {
    /// Carries polarity and/or a cause.
    Content,
    /// Negates the next content cue in its scope.
    Negator,
    /// Multiplies the next content cue (written before it: "very", "sangat", "很").
    IntensifierBefore(f32),
    /// Multiplies the previous content cue (written after it: "banget", "มาก", "lắm").
    IntensifierAfter(f32),
    /// Multiplies the cue right before it if adjacent, else the next one
    /// (Malay "sangat": "bagus sangat" and "sangat bagus").
    IntensifierEither(f32),
    /// Marks a clause boundary where what follows weighs more ("but", "tapi", "但是").
    Contrast,
    /// Only votes for a language (function words).
    LanguageHint,
    /// A neutral phrase that hides the cues inside it ("tahan lama", "oh my god").
    Swallow,
}

/// Topic flags: context used to resolve `Damage` and `Slow` cues.
pub(crate) mod topic {
    pub const ARRIVAL: u16 = 1;
    pub const PACKAGING: u16 = 2;
    pub const DISPATCH: u16 = 4;
    pub const SERVICE: u16 = 8;
    pub const DURATION: u16 = 16;
    pub const USAGE: u16 = 32;
    pub const FAST: u16 = 64;
    pub const PRICE: u16 = 128;
    /// Carriers and couriers: complaints about their manners are logistics.
    pub const COURIER: u16 = 256;
    /// "Advertised as", "说是", "katanya": a failing claim is not-as-described.
    pub const CLAIM: u16 = 512;
    /// "I ordered", "pesan", "สั่ง", "买的": with an arrival in a complaint, a swap.
    pub const ORDERED: u16 = 1024;
    /// Set by product-fault cues: a duration next to one is usage time, not transit.
    pub const QUALITY: u16 = 2048;
}

/// Languages the lexicons cover, in bit order of `Cue::languages`.
pub(crate) const LANGUAGES: [&str; 7] = ["en", "id", "ms", "th", "vi", "es", "zh"];
const ENGLISH_BIT: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    /// Word boundary on both sides (spaced scripts), with common suffixes allowed.
    Word,
    /// Word boundary before only: a stem ("rusak*").
    Prefix,
    /// Anywhere (Thai, Chinese, emoji, `*x*`).
    Substring,
}

#[derive(Debug, Clone)]
pub(crate) struct Cue {
    pub languages: u8,
    pub role: Role,
    /// Signed contribution to sentiment when not negated.
    pub polarity: f32,
    /// Complaint this cue signals when not negated.
    pub cause: Option<(CueCause, f32)>,
    /// Complaint this cue signals when negated ("not arrived" → delivery).
    pub negated_cause: Option<(CueCause, f32)>,
    /// Neutral-marker weight ("so-so", "biasa aja", "一般").
    pub neutral: f32,
    pub topics: u16,
    pub boundary: Boundary,
}

pub(crate) struct Lexicon {
    /// `None` only if the data could not be compiled (reported in `errors`).
    pub automaton: Option<AhoCorasick>,
    pub cues: Vec<Cue>,
    /// Lines of the data files that could not be read (a test keeps this empty).
    #[cfg_attr(not(test), allow(dead_code))]
    pub errors: Vec<String>,
}

const DATA_FILES: [(&str, &str); 9] = [
    ("shared.lex", include_str!("lexicon/shared.lex")),
    ("en.lex", include_str!("lexicon/en.lex")),
    ("id_ms.lex", include_str!("lexicon/id_ms.lex")),
    ("th.lex", include_str!("lexicon/th.lex")),
    ("vi.lex", include_str!("lexicon/vi.lex")),
    ("es.lex", include_str!("lexicon/es.lex")),
    ("zh.lex", include_str!("lexicon/zh.lex")),
    ("topics.lex", include_str!("lexicon/topics.lex")),
    ("families.lex", include_str!("lexicon/families.lex")),
];

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(build);

fn language_mask(list: &str) -> Option<u8> {
    let mut mask = 0u8;
    for code in list
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
    {
        let index = LANGUAGES.iter().position(|known| *known == code)?;
        mask |= 1 << index;
    }
    Some(mask)
}

fn parse_cause(tag: &str) -> Option<CueCause> {
    Some(match tag {
        "q" => CueCause::ProductQuality,
        "nad" => CueCause::NotAsDescribed,
        "wm" => CueCause::WrongOrMissingItem,
        "pk" => CueCause::PackagingDamage,
        "ld" => CueCause::LateDispatch,
        "dl" => CueCause::Delivery,
        "cs" => CueCause::CustomerService,
        "pv" => CueCause::PriceValue,
        "oth" => CueCause::Other,
        "dmg" => CueCause::Damage,
        "slow" => CueCause::Slow,
        _ => return None,
    })
}

fn parse_topic(tag: &str) -> Option<u16> {
    Some(match tag {
        "arr" => topic::ARRIVAL,
        "pkn" => topic::PACKAGING,
        "dsp" => topic::DISPATCH,
        "svc" => topic::SERVICE,
        "dur" => topic::DURATION,
        "use" => topic::USAGE,
        "fast" => topic::FAST,
        "price" => topic::PRICE,
        "cou" => topic::COURIER,
        "claim" => topic::CLAIM,
        "ord" => topic::ORDERED,
        _ => return None,
    })
}

/// Reads one `tag weight [pN] | terms` line into a cue template.
fn parse_cue(head: &str, languages: u8) -> Result<Cue, String> {
    let mut parts = head.split_whitespace();
    let tag = parts.next().ok_or("missing tag")?;
    let weight: f32 = parts
        .next()
        .ok_or("missing weight")?
        .parse()
        .map_err(|_| "bad weight")?;
    let mut polarity_override = None;
    let mut extra_topics = 0u16;
    for extra in parts {
        if let Some(flag) = extra.strip_prefix("t:") {
            extra_topics |= parse_topic(flag).ok_or("unknown topic")?;
        } else {
            let value = extra.strip_prefix('p').ok_or("unknown option")?;
            polarity_override = Some(value.parse::<f32>().map_err(|_| "bad polarity")?);
        }
    }
    let mut cue = Cue {
        languages,
        role: Role::Content,
        polarity: 0.0,
        cause: None,
        negated_cause: None,
        neutral: 0.0,
        topics: 0,
        boundary: Boundary::Word,
    };
    match tag {
        "pos" => cue.polarity = weight,
        "neg" => cue.polarity = -weight,
        "neu" => cue.neutral = weight,
        "not" => cue.role = Role::Negator,
        "int" => cue.role = Role::IntensifierBefore(weight),
        "intp" => cue.role = Role::IntensifierAfter(weight),
        "but" => cue.role = Role::Contrast,
        "hint" => cue.role = Role::LanguageHint,
        "skip" => cue.role = Role::Swallow,
        "topic" | "only" => {}
        "int2" => cue.role = Role::IntensifierEither(weight),
        _ => {
            if let Some(negated) = tag.strip_prefix("n:") {
                let cause = parse_cause(negated).ok_or("unknown negated cause")?;
                cue.negated_cause = Some((cause, weight));
                cue.polarity = 0.4 * weight;
            } else if let Some(cause) = parse_cause(tag) {
                cue.cause = Some((cause, weight));
                cue.polarity = -0.8 * weight;
                if cause == CueCause::PackagingDamage {
                    cue.topics |= topic::PACKAGING;
                }
                if matches!(cause, CueCause::ProductQuality | CueCause::Damage) {
                    cue.topics |= topic::QUALITY;
                }
            } else if let Some(flag) = parse_topic(tag) {
                cue.topics = flag;
                if flag == topic::FAST {
                    cue.polarity = weight;
                }
            } else {
                return Err(format!("unknown tag {tag}"));
            }
        }
    }
    cue.topics |= extra_topics;
    if let Some(polarity) = polarity_override {
        cue.polarity = polarity;
    }
    Ok(cue)
}

fn is_unspaced_script(character: char) -> bool {
    !character.is_ascii() && !matches!(character, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

fn build() -> Lexicon {
    let mut keys: Vec<String> = Vec::new();
    let mut cues: Vec<Cue> = Vec::new();
    let mut index_by_key: HashMap<String, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut restrictions: Vec<(String, u8, Boundary)> = Vec::new();
    for (file, data) in DATA_FILES {
        let mut languages = 0u8;
        for (line_number, raw_line) in data.lines().enumerate() {
            let line = raw_line.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let location = format!("{file}:{}", line_number + 1);
            if let Some(list) = line.strip_prefix('@') {
                match language_mask(list) {
                    Some(mask) => languages = mask,
                    None => errors.push(format!("{location}: unknown language in {list}")),
                }
                continue;
            }
            let Some((head, terms)) = line.split_once('|') else {
                errors.push(format!("{location}: missing '|'"));
                continue;
            };
            let restrict_languages = head.split_whitespace().next() == Some("only");
            let template = match parse_cue(head, languages) {
                Ok(cue) => cue,
                Err(error) => {
                    errors.push(format!("{location}: {error}"));
                    continue;
                }
            };
            for term in terms.split(';').map(str::trim).filter(|t| !t.is_empty()) {
                let (stem, boundary) = match (term.strip_prefix('*'), term.strip_suffix('*')) {
                    (Some(rest), _) => (rest.trim_end_matches('*'), Boundary::Substring),
                    (None, Some(stem)) => (stem, Boundary::Prefix),
                    (None, None) => (term, Boundary::Word),
                };
                let key = normalize_key(stem);
                if key.is_empty() {
                    continue;
                }
                let boundary = if key.chars().any(is_unspaced_script) {
                    Boundary::Substring
                } else {
                    boundary
                };
                if restrict_languages {
                    // `only` lines say which language a shared word really belongs
                    // to; applied once every file is read, so later files can't undo it.
                    restrictions.push((key, languages, boundary));
                    continue;
                }
                let mut cue = template.clone();
                cue.boundary = boundary;
                if boundary != Boundary::Substring {
                    for variant in abbreviated_variants(&key) {
                        add_key(
                            &mut keys,
                            &mut cues,
                            &mut index_by_key,
                            variant,
                            cue.clone(),
                        );
                    }
                }
                add_key(
                    &mut keys,
                    &mut cues,
                    &mut index_by_key,
                    key.clone(),
                    cue.clone(),
                );
                // Elongated words lose their double letters ("goood" → "god"): add
                // the squeezed spelling too, unless it is already a word of its own.
                if boundary != Boundary::Substring {
                    let squeezed = squeeze_double_letters(&key);
                    if squeezed != key && !index_by_key.contains_key(&squeezed) {
                        add_key(&mut keys, &mut cues, &mut index_by_key, squeezed, cue);
                    }
                }
            }
        }
    }
    add_long_durations(&mut keys, &mut cues, &mut index_by_key);
    for (key, languages, boundary) in restrictions {
        match index_by_key.get(&key) {
            Some(&index) => cues[index].languages = languages,
            None => {
                let hint = Cue {
                    languages,
                    role: Role::LanguageHint,
                    polarity: 0.0,
                    cause: None,
                    negated_cause: None,
                    neutral: 0.0,
                    topics: 0,
                    boundary,
                };
                add_key(&mut keys, &mut cues, &mut index_by_key, key, hint);
            }
        }
    }
    refine_malay_family_phrases(&keys, &mut cues, &index_by_key);
    let automaton = match AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&keys)
    {
        Ok(automaton) => Some(automaton),
        Err(error) => {
            // Classification then sees no cues instead of panicking; the lexicon test fails.
            errors.push(format!("automaton: {error}"));
            None
        }
    };
    Lexicon {
        automaton,
        cues,
        errors,
    }
}

fn add_key(
    keys: &mut Vec<String>,
    cues: &mut Vec<Cue>,
    index_by_key: &mut HashMap<String, usize>,
    key: String,
    cue: Cue,
) {
    match index_by_key.get(&key) {
        // The first meaning wins; later entries add their languages, topics and
        // what the word means when negated ("works" is positive, "not works" a fault).
        Some(&index)
            if cues[index].role == Role::LanguageHint && cue.role != Role::LanguageHint =>
        {
            // A function word that also carries meaning elsewhere takes that meaning.
            let languages = cues[index].languages | cue.languages;
            cues[index] = cue;
            cues[index].languages = languages;
        }
        Some(&index) if outranks(&cue, &cues[index]) => {
            // A cause beats bare polarity, and "damaged" (packing or product,
            // decided in context) beats a plain product fault.
            let languages = cues[index].languages | cue.languages;
            cues[index] = cue;
            cues[index].languages = languages;
        }
        Some(&index) => {
            let existing = &mut cues[index];
            // English loanwords ("recommended", "fake", "slow") stay English: other
            // languages borrowing them must not dilute English votes.
            if existing.languages & ENGLISH_BIT == 0 {
                existing.languages |= cue.languages;
            }
            existing.topics |= cue.topics;
            if existing.negated_cause.is_none() && existing.role == Role::Content {
                existing.negated_cause = cue.negated_cause;
            }
        }
        None => {
            index_by_key.insert(key.clone(), keys.len());
            keys.push(key);
            cues.push(cue);
        }
    }
}

/// "9 days", "12 hari", "10 ngày", "8 วัน", "9天", "15 días": a week or more of
/// waiting, whatever the number.
fn add_long_durations(
    keys: &mut Vec<String>,
    cues: &mut Vec<Cue>,
    index_by_key: &mut HashMap<String, usize>,
) {
    const UNITS: [(&str, u8); 8] = [
        ("days", 0),
        ("hari", 1),
        ("hari", 2),
        ("วัน", 3),
        ("ngay", 4),
        ("dias", 5),
        ("天", 6),
        ("日", 6),
    ];
    for days in 7..=45 {
        for (unit, language) in UNITS {
            let cue = Cue {
                languages: 1 << language,
                role: Role::Content,
                polarity: 0.0,
                cause: None,
                negated_cause: None,
                neutral: 0.0,
                topics: topic::DURATION,
                boundary: Boundary::Word,
            };
            for key in [format!("{days} {unit}"), format!("{days}{unit}")] {
                let boundary = if key.chars().any(is_unspaced_script) {
                    Boundary::Substring
                } else {
                    Boundary::Word
                };
                let cue = Cue {
                    boundary,
                    ..cue.clone()
                };
                add_key(keys, cues, index_by_key, key, cue);
            }
        }
    }
}

/// Chat spellings of common words: every lexicon phrase also matches with one of
/// its words abbreviated ("tidak sesuai" → "gak sesuai", "x sesuai"; "không" →
/// "ko"), and English contractions without their apostrophe ("doesnt").
const ABBREVIATIONS: &[(&str, &[&str])] = &[
    (
        "tidak",
        &[
            "tdk", "gak", "ga", "gk", "nggak", "ngga", "enggak", "tak", "x",
        ],
    ),
    ("tak", &["x", "tk"]),
    ("yang", &["yg"]),
    ("barang", &["brg"]),
    ("banget", &["bgt", "bngt"]),
    ("sangat", &["sgt"]),
    ("dengan", &["dgn"]),
    ("sudah", &["sdh", "udah", "udh", "dah"]),
    ("belum", &["blm", "belom"]),
    ("bagus", &["bgs"]),
    ("untuk", &["utk"]),
    ("tapi", &["tp"]),
    ("macam", &["mcm"]),
    ("saya", &["sy"]),
    ("lagi", &["lg"]),
    ("juga", &["jg"]),
    ("seperti", &["spt", "kayak", "kaya"]),
    ("pakai", &["pake"]),
    ("sampai", &["sampe", "nyampe"]),
    ("cepat", &["cepet", "cpt"]),
    ("kecil", &["kecik"]),
    ("dapat", &["dapet", "dpt"]),
    ("bisa", &["bs"]),
    ("karena", &["krn"]),
    ("jangan", &["jgn"]),
    ("khong", &["ko", "k", "kh", "hok"]),
    ("duoc", &["dc"]),
    ("que", &["q"]),
    ("porque", &["xq", "pq"]),
    ("please", &["pls", "plz"]),
    ("you", &["u"]),
    ("your", &["ur"]),
    ("because", &["bc", "cuz"]),
];

/// The one-word-abbreviated and apostrophe-free spellings of a normalised key.
fn abbreviated_variants(key: &str) -> Vec<String> {
    let mut variants = Vec::new();
    if key.contains('\'') {
        variants.push(key.replace('\'', ""));
    }
    let words: Vec<&str> = key.split(' ').collect();
    for (position, word) in words.iter().enumerate() {
        let Some((_, short_forms)) = ABBREVIATIONS.iter().find(|(full, _)| full == word) else {
            continue;
        };
        for short in short_forms.iter() {
            let mut variant = words.clone();
            variant[position] = short;
            variants.push(variant.join(" "));
        }
    }
    variants
}

/// Indonesian and Malay share most words; a shared phrase containing a word of
/// only one of them ("boleh tahan", "lambat pos") belongs to that one.
fn refine_malay_family_phrases(
    keys: &[String],
    cues: &mut [Cue],
    index_by_key: &HashMap<String, usize>,
) {
    let indonesian = 1u8 << 1;
    let malay = 1u8 << 2;
    let family = indonesian | malay;
    for (index, key) in keys.iter().enumerate() {
        if cues[index].languages != family || !key.contains(' ') {
            continue;
        }
        let mut seen = 0u8;
        for word in key.split(' ') {
            if let Some(&word_index) = index_by_key.get(word) {
                let languages = cues[word_index].languages;
                if languages == indonesian || languages == malay {
                    seen |= languages;
                }
            }
        }
        if seen == indonesian || seen == malay {
            cues[index].languages = seen;
        }
    }
}

fn outranks(new: &Cue, existing: &Cue) -> bool {
    if new.role != Role::Content || existing.role != Role::Content {
        return false;
    }
    match (new.cause, existing.cause) {
        (Some(_), None) => existing.negated_cause.is_none() && existing.neutral == 0.0,
        (Some((CueCause::Damage, _)), Some((CueCause::ProductQuality, _))) => true,
        _ => false,
    }
}

fn squeeze_double_letters(key: &str) -> String {
    let mut squeezed = String::with_capacity(key.len());
    let mut previous = None;
    for character in key.chars() {
        if Some(character) == previous && character.is_ascii_alphabetic() {
            continue;
        }
        squeezed.push(character);
        previous = Some(character);
    }
    squeezed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lexicon_line_parses() {
        assert!(LEXICON.errors.is_empty(), "{:#?}", LEXICON.errors);
        assert!(
            LEXICON.cues.len() > 1500,
            "only {} cues",
            LEXICON.cues.len()
        );
    }

    #[test]
    fn every_language_has_cues_of_each_kind() {
        for (bit, language) in LANGUAGES.iter().enumerate() {
            let mine = LEXICON
                .cues
                .iter()
                .filter(|cue| cue.languages & (1 << bit) != 0);
            let (mut positive, mut negative, mut negators, mut causes) = (0, 0, 0, 0);
            for cue in mine {
                positive += usize::from(cue.polarity > 0.0);
                negative += usize::from(cue.polarity < 0.0);
                negators += usize::from(cue.role == Role::Negator);
                causes += usize::from(cue.cause.is_some());
            }
            assert!(positive >= 20, "{language}: {positive} positive cues");
            assert!(negative >= 40, "{language}: {negative} negative cues");
            assert!(negators >= 1, "{language}: no negator");
            assert!(causes >= 40, "{language}: {causes} cause cues");
        }
    }
}
