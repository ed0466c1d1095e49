//! The rule engine: a shared [`Context`] (the folded text, its sentences, the kind
//! and the market's rule pack) and one module per rule, each adding raw hits.
//! Overlapping hits of one rule are merged into a single finding.

mod abusive_language;
mod off_platform_redirect;
mod overclaim;
mod personal_data;
mod review_incentive;
mod review_manipulation;

use std::ops::Range;

use regex::Regex;

use super::contacts::{self, Contact};
use super::text::FoldedText;
use super::{Finding, Rule, RulePack, TextKind};

/// Everything a rule may look at.
pub struct Context<'a> {
    pub text: FoldedText<'a>,
    pub kind: TextKind,
    pub pack: RulePack,
    /// Upper-case market code, when the caller gave one.
    pub market: Option<String>,
    /// Sentence ranges in the folded text.
    pub sentences: Vec<Range<usize>>,
    /// Phone numbers and e-mail addresses, found once for the two rules using them.
    contacts: std::cell::OnceCell<Vec<Contact>>,
}

impl<'a> Context<'a> {
    pub fn new(original: &'a str, kind: TextKind, pack: RulePack, market: Option<&str>) -> Self {
        let text = FoldedText::new(original);
        let sentences = split_sentences(&text.folded);
        Context {
            text,
            kind,
            pack,
            market: market.map(|code| code.trim().to_ascii_uppercase()),
            sentences,
            contacts: std::cell::OnceCell::new(),
        }
    }

    /// Phone numbers and e-mail addresses in the text (computed on first use).
    pub fn contacts(&self) -> &[Contact] {
        self.contacts.get_or_init(|| contacts::find(self))
    }

    pub fn folded(&self) -> &str {
        &self.text.folded
    }

    pub fn original(&self) -> &'a str {
        self.text.original
    }

    /// The folded sentences with their starting offsets.
    pub fn sentence_texts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.sentences
            .iter()
            .map(move |range| (range.start, &self.text.folded[range.clone()]))
    }
}

/// A raw hit before merging: which rule, where (in the folded or original text).
pub struct Hit {
    pub rule: Rule,
    /// Byte range in the original text.
    pub range: Range<usize>,
    pub message: &'static str,
    pub suggestion: &'static str,
}

/// Collects hits for one rule.
pub struct Hits<'c, 'a> {
    context: &'c Context<'a>,
    rule: Rule,
    out: Vec<Hit>,
}

impl<'c, 'a> Hits<'c, 'a> {
    /// A hit given as a range of the folded text.
    pub fn folded(&mut self, range: Range<usize>, message: &'static str, suggestion: &'static str) {
        let range = self.context.text.original_range(range);
        self.original(range, message, suggestion);
    }

    /// A hit given as a range of the original text (must be on char boundaries).
    pub fn original(
        &mut self,
        range: Range<usize>,
        message: &'static str,
        suggestion: &'static str,
    ) {
        if range.start < range.end {
            self.out.push(Hit {
                rule: self.rule,
                range,
                message,
                suggestion,
            });
        }
    }
}

type RuleFn = fn(&Context<'_>, &mut Hits<'_, '_>);

const RULES: [(Rule, RuleFn); 6] = [
    (Rule::PersonalData, personal_data::check),
    (Rule::AbusiveLanguage, abusive_language::check),
    (Rule::ReviewIncentive, review_incentive::check),
    (Rule::ReviewManipulation, review_manipulation::check),
    (Rule::OffPlatformRedirect, off_platform_redirect::check),
    (Rule::Overclaim, overclaim::check),
];

/// Runs every rule and turns merged hits into findings, ordered by position.
pub fn run_all(context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (rule, rule_fn) in RULES {
        let mut hits = Hits {
            context,
            rule,
            out: Vec::new(),
        };
        rule_fn(context, &mut hits);
        let mut raw = hits.out;
        raw.sort_by_key(|hit| (hit.range.start, std::cmp::Reverse(hit.range.end)));
        let mut merged: Vec<Hit> = Vec::new();
        for hit in raw {
            match merged.last_mut() {
                Some(last) if hit.range.start < last.range.end => {
                    last.range.end = last.range.end.max(hit.range.end);
                }
                _ => merged.push(hit),
            }
        }
        let original = context.original();
        findings.extend(merged.into_iter().map(|hit| Finding {
            rule: hit.rule,
            start: hit.range.start,
            end: hit.range.end,
            excerpt: original[hit.range.clone()].to_owned(),
            message: hit.message.to_owned(),
            suggestion: hit.suggestion.to_owned(),
        }));
    }
    findings.sort_by_key(|finding| (finding.start, finding.end, finding.rule));
    findings
}

/// Compiles a built-in pattern. `\b` means an ASCII word boundary here: folded
/// Latin text is ASCII, and Thai/Chinese letters then count as boundaries, which is
/// what we want next to them (and keeps the fast DFA engines usable).
///
/// Likewise `\w` means an ASCII word character and `\S+\s+` an ASCII word
/// followed by space: Latin text is ASCII once folded, and Unicode classes would
/// make the automata match Thai and Chinese runs and blow up their state count.
pub fn pattern(source: &str) -> Regex {
    let ascii_boundaries = source
        .replace(r"\S+\s+", r"[0-9a-z'.%-]+\s+")
        .replace(r"\w", r"[0-9a-z_]")
        .replace(r"\b", r"(?-u:\b)");
    // Built-in patterns are constants covered by tests; a typo is a programming
    // error caught by the first test run, not an input error.
    Regex::new(&ascii_boundaries).expect("built-in compliance pattern compiles")
}

/// Splits folded text into sentences at ! ? 。！？ new lines, semicolons and at
/// full stops followed by a space or the end (so "1.5", "wa.me" and "no.12" stay).
fn split_sentences(folded: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let bytes = folded.as_bytes();
    for (index, character) in folded.char_indices() {
        let end = index + character.len_utf8();
        let boundary = match character {
            '!' | '?' | '\n' | ';' | '。' | '！' | '？' => true,
            '.' => bytes.get(end).is_none_or(|next| next.is_ascii_whitespace()),
            _ => false,
        };
        if boundary {
            if end > start {
                sentences.push(start..end);
            }
            start = end;
        }
    }
    if start < folded.len() {
        sentences.push(start..folded.len());
    }
    sentences
}

/// True when any of `cue`'s matches ends within `window` bytes before `at`.
pub fn preceded_by(haystack: &str, at: usize, window: usize, cue: &Regex) -> bool {
    let mut from = at.saturating_sub(window);
    while from > 0 && !haystack.is_char_boundary(from) {
        from -= 1;
    }
    cue.is_match(&haystack[from..at])
}

/// The slice of `haystack` from `at` to at most `window` bytes later (char-safe).
pub fn following(haystack: &str, at: usize, window: usize) -> &str {
    let mut to = (at + window).min(haystack.len());
    while to < haystack.len() && !haystack.is_char_boundary(to) {
        to += 1;
    }
    &haystack[at..to]
}
