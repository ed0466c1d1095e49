//! Combines matched cues into a verdict: negation scopes, intensifiers, contrast,
//! topic context for ambiguous cues ("broken" on arrival is a packing problem,
//! "slow" about chat replies is service) and the order facts.

use std::cell::RefCell;

use aho_corasick::Input;

use super::language::detect_language;
use super::lexicon::{topic, Boundary, CueCause, Role, LEXICON};
use super::normalize::{normalize_into, Normalized};
use super::{Classification, ClassifyInput, Evidence, OrderFacts, RootCause, Sentiment, Signal};

/// A lexicon match in the normalised text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub cue: usize,
}

/// A content cue after negation and intensity were applied.
#[derive(Debug, Clone, Copy)]
struct Contribution {
    hit: usize,
    clause: usize,
    negated: bool,
    multiplier: f32,
    polarity: f32,
    cause: Option<(RootCause, f32)>,
}

/// Reusable buffers, so that classifying does not allocate beyond its answer.
#[derive(Default)]
struct Scratch {
    normalized: Normalized,
    hits: Vec<Hit>,
    contributions: Vec<Contribution>,
    /// (hit index, clause) of every negator and contrast that took effect.
    markers: Vec<(usize, Signal)>,
    clause_topics: Vec<u16>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Words allowed between a negator and the cue it negates (spaced scripts).
const NEGATION_WORD_GAP: usize = 2;
/// Bytes allowed between a negator and its cue in Thai (3 bytes a character).
const NEGATION_THAI_GAP: usize = 12;
/// Bytes allowed between a negator and its cue in Chinese.
const NEGATION_CHINESE_GAP: usize = 6;
/// Cues after the last contrast marker weigh more, those before it less.
const AFTER_CONTRAST: f32 = 1.4;
const BEFORE_CONTRAST: f32 = 0.7;

struct Verdict {
    sentiment: Sentiment,
    sentiment_confidence: f32,
    root_cause: RootCause,
    cause_confidence: f32,
    language: &'static str,
    evidence: Vec<Evidence>,
}

pub(crate) fn classify(input: &ClassifyInput) -> Classification {
    let rating = input.rating.filter(|stars| (1..=5).contains(stars));
    let verdict = analyse(
        &input.text,
        rating,
        input.market.as_deref(),
        input.order.as_ref(),
        true,
    );
    let confidence =
        (0.5 * (verdict.sentiment_confidence + verdict.cause_confidence)).clamp(0.0, 1.0);
    Classification {
        sentiment: verdict.sentiment,
        root_cause: verdict.root_cause,
        seller_related: verdict.root_cause.is_seller_related(),
        language: verdict.language,
        confidence,
        evidence: verdict.evidence,
    }
}

pub(crate) fn sentiment_of(text: &str) -> (Sentiment, f32) {
    let verdict = analyse(text, None, None, None, false);
    (
        verdict.sentiment,
        verdict.sentiment_confidence.clamp(0.0, 1.0),
    )
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'\''
}

/// Suffixes a whole-word cue may carry: Malay/Indonesian clitics, English plurals
/// past tense and "-ing" (only on longer words, so "no" never matches "nos").
fn allowed_suffix(suffix: &[u8], key_length: usize) -> bool {
    matches!(suffix, b"nya" | b"ny" | b"lah" | b"kah" | b"pun" | b"'s")
        || (key_length >= 4 && matches!(suffix, b"s" | b"es" | b"ed" | b"d" | b"ing"))
}

fn boundary_ok(bytes: &[u8], start: usize, end: usize, boundary: Boundary) -> bool {
    if boundary == Boundary::Substring {
        return true;
    }
    let left_ok = start == 0 || !is_word_byte(bytes[start]) || !is_word_byte(bytes[start - 1]);
    if boundary == Boundary::Prefix || !left_ok {
        return left_ok;
    }
    if !is_word_byte(bytes[end - 1]) {
        return true;
    }
    let rest = &bytes[end..];
    let tail = rest.iter().take_while(|byte| is_word_byte(**byte)).count();
    tail == 0 || allowed_suffix(&rest[..tail], end - start)
}

/// Finds the non-overlapping cue matches, leftmost first and longest at each
/// start. A match that fails its word-boundary check (e.g. "bad" in "badan") is
/// dropped and the search resumes one byte later, so it hides nothing after it.
pub(crate) fn find_hits(text: &str, hits: &mut Vec<Hit>) {
    hits.clear();
    let lexicon = &*LEXICON;
    let Some(automaton) = &lexicon.automaton else {
        return;
    };
    let bytes = text.as_bytes();
    let mut position = 0;
    while position < text.len() {
        let Some(found) = automaton.find(Input::new(text).range(position..)) else {
            break;
        };
        let cue = found.pattern().as_usize();
        if boundary_ok(
            bytes,
            found.start(),
            found.end(),
            lexicon.cues[cue].boundary,
        ) {
            hits.push(Hit {
                start: found.start(),
                end: found.end(),
                cue,
            });
            position = found.end();
        } else {
            position = found.start() + 1;
        }
    }
}

fn is_clause_break(text: &[u8], index: usize) -> bool {
    match text[index] {
        b'.' | b'!' | b'?' | b';' | b',' | b'\n' | b':' => true,
        // Thai separates phrases with spaces: a space between Thai letters ends a clause.
        b' ' => {
            index > 0
                && index + 1 < text.len()
                && text[index - 1] >= 0x80
                && text[index + 1] >= 0x80
        }
        _ => false,
    }
}

fn words_between(text: &[u8]) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for &byte in text {
        let word = is_word_byte(byte) || byte >= 0x80;
        if word && !in_word {
            words += 1;
        }
        in_word = word;
    }
    words
}

fn in_scope(text: &str, from: usize, to: usize, opener: &str) -> bool {
    let between = &text.as_bytes()[from..to];
    match opener.chars().next() {
        Some('\u{0E00}'..='\u{0E7F}') => between.len() <= NEGATION_THAI_GAP,
        Some(character) if !character.is_ascii() => between.len() <= NEGATION_CHINESE_GAP,
        _ => words_between(between) <= NEGATION_WORD_GAP,
    }
}

fn resolve_cause(
    cause: CueCause,
    clause_topics: u16,
    all_topics: u16,
    order: Option<&OrderFacts>,
) -> RootCause {
    let shipped_late = order.and_then(|facts| facts.shipped_late);
    match cause {
        // "Advertised as waterproof, leaks in the rain": the claim is what failed.
        CueCause::ProductQuality if all_topics & topic::CLAIM != 0 => RootCause::NotAsDescribed,
        // Rude or unreachable couriers are logistics, not the seller's service.
        CueCause::CustomerService if clause_topics & topic::COURIER != 0 => RootCause::Delivery,
        CueCause::ProductQuality => RootCause::ProductQuality,
        // "Box far too big, nothing to hold it": a size complaint about the packing.
        CueCause::NotAsDescribed if clause_topics & topic::PACKAGING != 0 => {
            RootCause::PackagingDamage
        }
        CueCause::NotAsDescribed => RootCause::NotAsDescribed,
        CueCause::WrongOrMissingItem => RootCause::WrongOrMissingItem,
        CueCause::PackagingDamage => RootCause::PackagingDamage,
        CueCause::Delivery => RootCause::Delivery,
        CueCause::CustomerService => RootCause::CustomerService,
        CueCause::PriceValue => RootCause::PriceValue,
        CueCause::Other => RootCause::Other,
        CueCause::LateDispatch => match shipped_late {
            Some(false) => RootCause::Delivery,
            _ => RootCause::LateDispatch,
        },
        CueCause::Damage => {
            if all_topics & topic::PACKAGING != 0 || clause_topics & topic::ARRIVAL != 0 {
                RootCause::PackagingDamage
            } else if all_topics & topic::CLAIM != 0 {
                RootCause::NotAsDescribed
            } else {
                RootCause::ProductQuality
            }
        }
        CueCause::Slow => {
            if clause_topics & topic::SERVICE != 0 && clause_topics & topic::DISPATCH == 0 {
                RootCause::CustomerService
            } else {
                match shipped_late {
                    Some(true) => RootCause::LateDispatch,
                    Some(false) => RootCause::Delivery,
                    // Any explicit dispatch complaint makes the slowness the seller's.
                    None if all_topics & topic::DISPATCH != 0 => RootCause::LateDispatch,
                    None => RootCause::Delivery,
                }
            }
        }
    }
}

/// The cause implied by negativity in a clause about service, price or packing.
fn topic_cause(
    polarity: f32,
    clause_topics: u16,
    all_topics: u16,
    order: Option<&OrderFacts>,
) -> Option<(RootCause, f32)> {
    if polarity >= 0.0 {
        return None;
    }
    let cause = if clause_topics & topic::COURIER != 0 {
        CueCause::Delivery
    } else if clause_topics & topic::SERVICE != 0 {
        CueCause::CustomerService
    } else if clause_topics & topic::PRICE != 0 {
        CueCause::PriceValue
    } else if clause_topics & topic::PACKAGING != 0 {
        CueCause::PackagingDamage
    } else if all_topics & topic::CLAIM != 0 {
        CueCause::NotAsDescribed
    } else {
        return None;
    };
    Some((
        resolve_cause(cause, clause_topics, all_topics, order),
        0.8 * -polarity,
    ))
}

/// The cause of a complaint that names no fault, from what the review talks about
/// (the courier, the chat, the listing, the price, the box, the wait, using it), at
/// low confidence. A complaint that gives no hint at all stays `other`: guessing the
/// product there cost more on the held-out sets than it won.
fn unexplained_complaint_cause(all_topics: u16, order: Option<&OrderFacts>) -> RootCause {
    let cause = if all_topics & topic::COURIER != 0 {
        CueCause::Delivery
    } else if all_topics & topic::SERVICE != 0 {
        CueCause::CustomerService
    } else if all_topics & topic::CLAIM != 0 {
        CueCause::NotAsDescribed
    } else if all_topics & topic::PRICE != 0 {
        CueCause::PriceValue
    } else if all_topics & topic::PACKAGING != 0 && all_topics & topic::ARRIVAL != 0 {
        CueCause::PackagingDamage
    } else if all_topics & topic::DURATION != 0 && all_topics & topic::USAGE == 0 {
        CueCause::Slow
    } else if all_topics & topic::USAGE != 0 {
        CueCause::ProductQuality
    } else {
        return RootCause::Other;
    };
    resolve_cause(cause, all_topics, all_topics, order)
}

/// Tie-break order when two causes score the same: the more specific first.
fn cause_priority(cause: RootCause) -> u8 {
    match cause {
        RootCause::WrongOrMissingItem => 9,
        RootCause::NotAsDescribed => 8,
        RootCause::PackagingDamage => 7,
        RootCause::ProductQuality => 6,
        RootCause::LateDispatch => 5,
        RootCause::CustomerService => 4,
        RootCause::Delivery => 3,
        RootCause::PriceValue => 2,
        RootCause::Other => 1,
        RootCause::None => 0,
    }
}

fn cause_index(cause: RootCause) -> usize {
    RootCause::ALL
        .iter()
        .position(|known| *known == cause)
        .unwrap_or(RootCause::ALL.len() - 1)
}

fn analyse(
    text: &str,
    rating: Option<u8>,
    market: Option<&str>,
    order: Option<&OrderFacts>,
    want_evidence: bool,
) -> Verdict {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => analyse_with(&mut scratch, text, rating, market, order, want_evidence),
        // Re-entrant use cannot happen today; fresh buffers keep it correct if it ever does.
        Err(_) => analyse_with(
            &mut Scratch::default(),
            text,
            rating,
            market,
            order,
            want_evidence,
        ),
    })
}

fn analyse_with(
    scratch: &mut Scratch,
    text: &str,
    rating: Option<u8>,
    market: Option<&str>,
    order: Option<&OrderFacts>,
    want_evidence: bool,
) -> Verdict {
    let lexicon = &*LEXICON;
    let Scratch {
        normalized,
        hits,
        contributions,
        markers,
        clause_topics,
    } = scratch;
    normalize_into(text, normalized);
    let folded = normalized.text.as_str();
    let bytes = folded.as_bytes();
    find_hits(folded, hits);
    contributions.clear();
    markers.clear();
    clause_topics.clear();

    // Pass 1: clauses, negation and intensity.
    let mut clause = 0usize;
    let mut scanned_until = 0usize;
    let mut pending_negator: Option<usize> = None;
    let mut pending_intensifier: Option<(usize, f32)> = None;
    let mut last_contrast: Option<usize> = None;
    let mut all_topics = 0u16;
    // Negators that negate no known cue ("without asking me", "no padding"):
    // an absence the buyer complains about, a mild negative.
    let mut dangling_negators = 0u32;
    for (index, hit) in hits.iter().enumerate() {
        let breaks = (scanned_until..hit.start)
            .filter(|&at| is_clause_break(bytes, at))
            .count();
        if breaks > 0 {
            clause += 1;
            dangling_negators += u32::from(pending_negator.take().is_some());
            pending_intensifier = None;
        }
        scanned_until = hit.end;
        if clause_topics.len() <= clause {
            clause_topics.resize(clause + 1, 0);
        }
        let cue = &lexicon.cues[hit.cue];
        match cue.role {
            Role::LanguageHint | Role::Swallow => continue,
            Role::Negator => {
                dangling_negators += u32::from(pending_negator.replace(index).is_some());
                continue;
            }
            Role::IntensifierBefore(multiplier) => {
                pending_intensifier = Some((index, multiplier));
                continue;
            }
            Role::IntensifierEither(multiplier) => {
                let adjacent = contributions.last_mut().filter(|previous| {
                    previous.clause == clause
                        && previous.multiplier == 1.0
                        && words_between(&bytes[hits[previous.hit].end..hit.start]) == 0
                });
                match adjacent {
                    Some(previous) => previous.multiplier *= multiplier,
                    None => pending_intensifier = Some((index, multiplier)),
                }
                continue;
            }
            Role::IntensifierAfter(multiplier) => {
                if let Some(previous) = contributions.last_mut() {
                    let previous_hit = hits[previous.hit];
                    if previous.clause == clause
                        && words_between(&bytes[previous_hit.end..hit.start]) <= 1
                    {
                        previous.multiplier *= multiplier;
                    }
                }
                continue;
            }
            Role::Contrast => {
                clause += 1;
                clause_topics.resize(clause + 1, 0);
                last_contrast = Some(index);
                dangling_negators += u32::from(pending_negator.take().is_some());
                pending_intensifier = None;
                continue;
            }
            Role::Content => {}
        }
        let negated = match pending_negator.take() {
            Some(negator) => {
                let opener = &folded[hits[negator].start..hits[negator].end];
                let applies = in_scope(folded, hits[negator].end, hit.start, opener);
                if applies && want_evidence {
                    markers.push((negator, Signal::Negation));
                }
                dangling_negators += u32::from(!applies);
                applies
            }
            None => false,
        };
        let mut multiplier = 1.0;
        if let Some((intensifier, value)) = pending_intensifier.take() {
            if words_between(&bytes[hits[intensifier].end..hit.start]) <= 1 {
                multiplier = value;
            }
        }
        if !negated {
            let explicit_dispatch = match cue.cause {
                Some((CueCause::LateDispatch, _)) => topic::DISPATCH,
                _ => 0,
            };
            clause_topics[clause] |= cue.topics | explicit_dispatch;
            all_topics |= cue.topics | explicit_dispatch;
        }
        contributions.push(Contribution {
            hit: index,
            clause,
            negated,
            multiplier,
            polarity: 0.0,
            cause: None,
        });
    }
    dangling_negators += u32::from(pending_negator.is_some());
    if let Some(contrast) = last_contrast {
        if want_evidence {
            markers.push((contrast, Signal::Contrast));
        }
    }
    let contrast_clause = last_contrast.map(|contrast| {
        contributions
            .iter()
            .find(|contribution| contribution.hit > contrast)
            .map_or(usize::MAX, |contribution| contribution.clause)
    });

    // Pass 2: polarity, causes (resolved in context) and neutral markers.
    let mut positive = 0.0f32;
    let mut negative = 0.0f32;
    let mut neutral = 0.0f32;
    let mut cause_scores = [0.0f32; RootCause::ALL.len()];
    let shipped_late = order.and_then(|facts| facts.shipped_late);
    let mut slow_without_explicit_cause = false;
    for contribution in contributions.iter_mut() {
        let cue = &lexicon.cues[hits[contribution.hit].cue];
        let topics_here = clause_topics[contribution.clause];
        let contrast_weight = match contrast_clause {
            Some(after) if contribution.clause >= after => AFTER_CONTRAST,
            Some(_) => BEFORE_CONTRAST,
            None => 1.0,
        };
        let multiplier = contribution.multiplier;
        let (polarity, cause) = if contribution.negated {
            let polarity = if cue.polarity > 0.0 {
                -0.9 * cue.polarity * multiplier
            } else if cue.cause.is_some() {
                0.2
            } else {
                // "Never disappointed", "ไม่เคยผิดหวัง": a negated complaint praises.
                0.5 * -cue.polarity
            };
            let cause = cue
                .negated_cause
                .map(|(cause, weight)| {
                    (
                        resolve_cause(cause, topics_here, all_topics, order),
                        weight * multiplier,
                    )
                })
                .or_else(|| {
                    topic_cause(-cue.polarity * multiplier, topics_here, all_topics, order)
                });
            // A negated expectation ("doesn't work", "không giống hình") is a
            // complaint as strong as its cause.
            let polarity = match cue.negated_cause {
                Some((_, weight)) => polarity.min(-0.8 * weight),
                None => polarity,
            };
            (polarity, cause)
        } else {
            neutral += cue.neutral;
            let cause = cue.cause.map(|(cause, weight)| {
                if cause == CueCause::Slow && shipped_late.is_none() {
                    slow_without_explicit_cause = true;
                }
                (
                    resolve_cause(cause, topics_here, all_topics, order),
                    weight * multiplier,
                )
            });
            let mut polarity = cue.polarity * multiplier;
            // Bare negativity about the service, the price or the packing names
            // that cause ("客服态度不太好", "kemasan kurang aman").
            let cause = cause.or_else(|| topic_cause(polarity, topics_here, all_topics, order));
            // A duration ("two weeks", "10 ngày") in a clause about arrival, with no
            // "fast" or "after using" in it, is a slowness complaint.
            let cause = match cause {
                None if cue.topics & topic::DURATION != 0
                    && topics_here & (topic::FAST | topic::USAGE | topic::QUALITY) == 0 =>
                {
                    polarity = -0.6;
                    Some((
                        resolve_cause(CueCause::Slow, topics_here, all_topics, order),
                        0.9,
                    ))
                }
                other => other,
            };
            (polarity, cause)
        };
        let polarity = polarity * contrast_weight;
        if polarity > 0.0 {
            positive += polarity;
        } else {
            negative -= polarity;
        }
        if let Some((root_cause, weight)) = cause {
            cause_scores[cause_index(root_cause)] += weight;
        }
        contribution.polarity = polarity;
        contribution.cause = cause;
    }

    // Sentiment. Unexplained negators and a "but" followed by no praise lean
    // negative: buyers describe shortfalls ("only the stand came, no case").
    negative += (0.5 * dangling_negators as f32).min(1.0);
    let praise_after_contrast = contributions.iter().any(|contribution| {
        contrast_clause.is_some_and(|after| contribution.clause >= after)
            && contribution.polarity > 0.0
    });
    if last_contrast.is_some() && !praise_after_contrast {
        negative += 0.5;
    }
    let raw_score = positive - negative;
    let score = raw_score - raw_score.clamp(-neutral, neutral);
    let mixed = positive >= 0.8 && negative >= 0.8;
    let text_sentiment = if score >= 0.8 && !(mixed && score < 1.2) {
        Sentiment::Positive
    } else if score <= -0.5 && !(mixed && score > -1.2) {
        Sentiment::Negative
    } else {
        Sentiment::Neutral
    };
    let (sentiment, sentiment_confidence) = match rating {
        Some(1) | Some(2) => (
            Sentiment::Negative,
            if rating == Some(1) { 0.95 } else { 0.85 },
        ),
        Some(4) | Some(5) => (
            Sentiment::Positive,
            if rating == Some(5) { 0.95 } else { 0.85 },
        ),
        // Three stars are neutral unless the text is overwhelmingly one-sided.
        Some(_) => {
            if score >= 5.0 && negative < 0.5 {
                (Sentiment::Positive, 0.6)
            } else if score <= -5.0 && positive < 0.5 {
                (Sentiment::Negative, 0.6)
            } else {
                (Sentiment::Neutral, 0.75)
            }
        }
        None => (
            text_sentiment,
            0.45 + 0.5 * (1.0 - (-score.abs() / 1.5).exp()),
        ),
    };

    // Root cause.
    let mut best = RootCause::None;
    let mut best_score = 0.0f32;
    let mut total = 0.0f32;
    for (index, &candidate_score) in cause_scores.iter().enumerate() {
        let candidate = RootCause::ALL[index];
        total += candidate_score;
        if candidate_score > best_score + 1e-3
            || ((candidate_score - best_score).abs() <= 1e-3
                && candidate_score > 0.0
                && cause_priority(candidate) > cause_priority(best))
        {
            best = candidate;
            best_score = candidate_score;
        }
    }
    let threshold = match sentiment {
        Sentiment::Positive => 1.2,
        Sentiment::Neutral => 1.0,
        Sentiment::Negative => 0.3,
    };
    // "Ordered the blue one … a toaster arrived": an order and an arrival in a
    // complaint with no other cause is most often a swapped or missing item.
    if sentiment == Sentiment::Negative
        && best_score < threshold
        && all_topics & topic::ORDERED != 0
        && all_topics & (topic::ARRIVAL | topic::DISPATCH) != 0
    {
        best = RootCause::WrongOrMissingItem;
        best_score = threshold;
        total += threshold;
    }
    let (root_cause, cause_confidence) = if best != RootCause::None && best_score >= threshold {
        let share = best_score / (total + 0.3);
        (best, (share * (1.0 - (-best_score).exp())).clamp(0.2, 0.98))
    } else if sentiment == Sentiment::Negative {
        (unexplained_complaint_cause(all_topics, order), 0.35)
    } else {
        (RootCause::None, if total > 0.0 { 0.6 } else { 0.85 })
    };

    let language = detect_language(text, hits, market);

    let mut evidence = Vec::new();
    if want_evidence {
        for contribution in contributions.iter() {
            let signal = match contribution.cause {
                Some((cause, _)) if cause == root_cause => Signal::Cause(cause),
                _ if contribution.polarity > 0.05 && sentiment == Sentiment::Positive => {
                    Signal::Positive
                }
                _ if contribution.polarity < -0.05 && sentiment == Sentiment::Negative => {
                    Signal::Negative
                }
                _ if lexicon.cues[hits[contribution.hit].cue].neutral > 0.0
                    && sentiment == Sentiment::Neutral =>
                {
                    Signal::Neutral
                }
                _ => continue,
            };
            push_evidence(
                &mut evidence,
                text,
                normalized,
                hits[contribution.hit],
                signal,
            );
            if contribution.multiplier > 1.0 {
                if let Some(intensifier) = hits[..contribution.hit]
                    .iter()
                    .rev()
                    .chain(hits[contribution.hit + 1..].iter())
                    .find(|hit| {
                        matches!(
                            lexicon.cues[hit.cue].role,
                            Role::IntensifierBefore(_)
                                | Role::IntensifierAfter(_)
                                | Role::IntensifierEither(_)
                        )
                    })
                {
                    push_evidence(
                        &mut evidence,
                        text,
                        normalized,
                        *intensifier,
                        Signal::Intensifier,
                    );
                }
            }
        }
        for &(hit, signal) in markers.iter() {
            push_evidence(&mut evidence, text, normalized, hits[hit], signal);
        }
        if matches!(root_cause, RootCause::LateDispatch | RootCause::Delivery)
            && shipped_late.is_some()
            && slow_without_explicit_cause
        {
            evidence.push(Evidence {
                phrase: if shipped_late == Some(true) {
                    "order shipped late".to_owned()
                } else {
                    "order shipped on time".to_owned()
                },
                start: 0,
                end: 0,
                signal: Signal::OrderFact,
            });
        }
        evidence.sort_by_key(|item| (item.start, item.end));
        evidence.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.signal == b.signal);
    }

    Verdict {
        sentiment,
        sentiment_confidence,
        root_cause,
        cause_confidence,
        language,
        evidence,
    }
}

fn push_evidence(
    evidence: &mut Vec<Evidence>,
    text: &str,
    normalized: &Normalized,
    hit: Hit,
    signal: Signal,
) {
    let (start, end) = normalized.original_range(hit.start, hit.end);
    if let Some(phrase) = text.get(start..end) {
        evidence.push(Evidence {
            phrase: phrase.to_owned(),
            start,
            end,
            signal,
        });
    }
}
