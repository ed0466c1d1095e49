//! Scoring the classifier against a labelled corpus: per-label precision, recall
//! and F1 for the root cause, macro-F1, and accuracies for sentiment,
//! seller-relatedness and language. The corpus file format lives with its reader
//! (the CLI); the arithmetic lives here.

use std::fmt;

use super::{classify, ClassifyInput, RootCause, Sentiment};

/// The labels a corpus case expects.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub sentiment: Sentiment,
    pub root_cause: RootCause,
    pub seller_related: bool,
    pub language: String,
}

/// Precision, recall and F1 of one root-cause label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelMetrics {
    pub label: RootCause,
    /// Cases that carry this label in the corpus.
    pub support: usize,
    pub predicted: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// The result of `evaluate`.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalReport {
    pub cases: usize,
    pub per_label: Vec<LabelMetrics>,
    /// Mean F1 over the labels present in the corpus or predicted.
    pub macro_f1: f64,
    pub root_cause_accuracy: f64,
    pub sentiment_accuracy: f64,
    pub seller_related_accuracy: f64,
    pub language_accuracy: f64,
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Classifies every case and compares with its expected labels.
pub fn evaluate(cases: &[(ClassifyInput, Expected)]) -> EvalReport {
    let label_count = RootCause::ALL.len();
    let mut true_positive = vec![0usize; label_count];
    let mut predicted = vec![0usize; label_count];
    let mut support = vec![0usize; label_count];
    let (mut cause_hits, mut sentiment_hits, mut seller_hits, mut language_hits) = (0, 0, 0, 0);
    for (input, expected) in cases {
        let verdict = classify(input);
        let index_of = |cause: RootCause| {
            RootCause::ALL
                .iter()
                .position(|known| *known == cause)
                .unwrap_or(label_count - 1)
        };
        let expected_index = index_of(expected.root_cause);
        let predicted_index = index_of(verdict.root_cause);
        support[expected_index] += 1;
        predicted[predicted_index] += 1;
        if expected_index == predicted_index {
            true_positive[expected_index] += 1;
            cause_hits += 1;
        }
        sentiment_hits += usize::from(verdict.sentiment == expected.sentiment);
        seller_hits += usize::from(verdict.seller_related == expected.seller_related);
        language_hits += usize::from(verdict.language == expected.language);
    }
    let mut per_label = Vec::new();
    for (index, label) in RootCause::ALL.into_iter().enumerate() {
        if support[index] == 0 && predicted[index] == 0 {
            continue;
        }
        let precision = ratio(true_positive[index], predicted[index]);
        let recall = ratio(true_positive[index], support[index]);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        per_label.push(LabelMetrics {
            label,
            support: support[index],
            predicted: predicted[index],
            precision,
            recall,
            f1,
        });
    }
    let macro_f1 = if per_label.is_empty() {
        0.0
    } else {
        per_label.iter().map(|metrics| metrics.f1).sum::<f64>() / per_label.len() as f64
    };
    EvalReport {
        cases: cases.len(),
        per_label,
        macro_f1,
        root_cause_accuracy: ratio(cause_hits, cases.len()),
        sentiment_accuracy: ratio(sentiment_hits, cases.len()),
        seller_related_accuracy: ratio(seller_hits, cases.len()),
        language_accuracy: ratio(language_hits, cases.len()),
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(formatter, "cases: {}", self.cases)?;
        writeln!(
            formatter,
            "{:<24} {:>9} {:>9} {:>9} {:>8} {:>10}",
            "root_cause", "precision", "recall", "f1", "support", "predicted"
        )?;
        for metrics in &self.per_label {
            writeln!(
                formatter,
                "{:<24} {:>9.3} {:>9.3} {:>9.3} {:>8} {:>10}",
                metrics.label.as_str(),
                metrics.precision,
                metrics.recall,
                metrics.f1,
                metrics.support,
                metrics.predicted
            )?;
        }
        writeln!(formatter, "root-cause macro-F1:      {:.3}", self.macro_f1)?;
        writeln!(
            formatter,
            "root-cause accuracy:      {:.3}",
            self.root_cause_accuracy
        )?;
        writeln!(
            formatter,
            "sentiment accuracy:       {:.3}",
            self.sentiment_accuracy
        )?;
        writeln!(
            formatter,
            "seller-related accuracy:  {:.3}",
            self.seller_related_accuracy
        )?;
        write!(
            formatter,
            "language accuracy:        {:.3}",
            self.language_accuracy
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_follow_their_definitions() {
        let case = |text: &str, cause: RootCause, sentiment: Sentiment| {
            (
                ClassifyInput::text(text),
                Expected {
                    sentiment,
                    root_cause: cause,
                    seller_related: cause.is_seller_related(),
                    language: "en".to_owned(),
                },
            )
        };
        let cases = vec![
            case(
                "Great quality, love it!",
                RootCause::None,
                Sentiment::Positive,
            ),
            case(
                "Broken on arrival, cracked screen",
                RootCause::PackagingDamage,
                Sentiment::Negative,
            ),
            // Deliberately mislabelled: counts as a miss for both labels involved.
            case(
                "Love it, perfect",
                RootCause::PriceValue,
                Sentiment::Positive,
            ),
        ];
        let report = evaluate(&cases);
        assert_eq!(report.cases, 3);
        let none = report
            .per_label
            .iter()
            .find(|m| m.label == RootCause::None)
            .unwrap();
        assert_eq!((none.support, none.predicted), (1, 2));
        assert!((none.precision - 0.5).abs() < 1e-9 && (none.recall - 1.0).abs() < 1e-9);
        let price = report
            .per_label
            .iter()
            .find(|m| m.label == RootCause::PriceValue)
            .unwrap();
        assert_eq!(price.f1, 0.0);
        assert!((report.sentiment_accuracy - 1.0).abs() < 1e-9);
        assert!(report.to_string().contains("macro-F1"));
    }
}
