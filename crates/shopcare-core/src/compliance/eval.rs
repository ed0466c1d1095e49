//! Scoring the guard against a labelled corpus: per-rule precision and recall,
//! printed by `shopcare lint --eval FILE`. A case counts for a rule as a true
//! positive when the rule is expected and found, a false positive when found but
//! not expected, a false negative when expected but not found.

use std::collections::BTreeSet;
use std::fmt;

use super::{check, Rule, TextKind};

/// One labelled text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalCase {
    pub id: String,
    pub kind: TextKind,
    pub market: Option<String>,
    pub text: String,
    /// The rules that should fire; empty for a clean text.
    pub expected: Vec<Rule>,
}

/// Counts and scores for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleScore {
    pub rule: Rule,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl RuleScore {
    /// Share of this rule's findings that were expected (1.0 when it never fired).
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// Share of expected cases the rule found (1.0 when none were expected).
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        1.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// A case whose found rules differ from the expected ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalMismatch {
    pub id: String,
    pub expected: Vec<Rule>,
    pub found: Vec<Rule>,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct EvalReport {
    pub case_count: usize,
    pub clean_case_count: usize,
    /// Clean cases on which some rule fired.
    pub clean_false_alarms: usize,
    /// One score per rule, in [`Rule::ALL`] order.
    pub scores: Vec<RuleScore>,
    pub mismatches: Vec<EvalMismatch>,
}

impl EvalReport {
    pub fn score(&self, rule: Rule) -> RuleScore {
        self.scores
            .iter()
            .copied()
            .find(|score| score.rule == rule)
            .unwrap_or(RuleScore {
                rule,
                true_positives: 0,
                false_positives: 0,
                false_negatives: 0,
            })
    }
}

/// Runs [`check`] on every case and scores each rule.
pub fn evaluate(cases: &[EvalCase]) -> EvalReport {
    let mut scores: Vec<RuleScore> = Rule::ALL
        .iter()
        .map(|&rule| RuleScore {
            rule,
            true_positives: 0,
            false_positives: 0,
            false_negatives: 0,
        })
        .collect();
    let mut mismatches = Vec::new();
    let mut clean_case_count = 0;
    let mut clean_false_alarms = 0;
    for case in cases {
        let verdict = check(&case.text, case.kind, case.market.as_deref());
        let found: BTreeSet<Rule> = verdict
            .findings
            .iter()
            .map(|finding| finding.rule)
            .collect();
        let expected: BTreeSet<Rule> = case.expected.iter().copied().collect();
        if expected.is_empty() {
            clean_case_count += 1;
            if !found.is_empty() {
                clean_false_alarms += 1;
            }
        }
        for score in &mut scores {
            match (expected.contains(&score.rule), found.contains(&score.rule)) {
                (true, true) => score.true_positives += 1,
                (false, true) => score.false_positives += 1,
                (true, false) => score.false_negatives += 1,
                (false, false) => {}
            }
        }
        if found != expected {
            mismatches.push(EvalMismatch {
                id: case.id.clone(),
                expected: expected.into_iter().collect(),
                found: found.into_iter().collect(),
            });
        }
    }
    EvalReport {
        case_count: cases.len(),
        clean_case_count,
        clean_false_alarms,
        scores,
        mismatches,
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            formatter,
            "{} cases ({} clean, {} clean with a false alarm)",
            self.case_count, self.clean_case_count, self.clean_false_alarms
        )?;
        writeln!(
            formatter,
            "{:<22} {:>5} {:>5} {:>5} {:>9} {:>7}",
            "rule", "tp", "fp", "fn", "precision", "recall"
        )?;
        for score in &self.scores {
            writeln!(
                formatter,
                "{:<22} {:>5} {:>5} {:>5} {:>9.3} {:>7.3}",
                score.rule.as_str(),
                score.true_positives,
                score.false_positives,
                score.false_negatives,
                score.precision(),
                score.recall()
            )?;
        }
        if !self.mismatches.is_empty() {
            writeln!(formatter, "mismatches:")?;
            for mismatch in &self.mismatches {
                let names = |rules: &[Rule]| {
                    rules
                        .iter()
                        .map(|rule| rule.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                };
                writeln!(
                    formatter,
                    "  {}: expected [{}] found [{}]",
                    mismatch.id,
                    names(&mismatch.expected),
                    names(&mismatch.found)
                )?;
            }
        }
        Ok(())
    }
}
