//! Message templates of the post-purchase timeline: `{name}` placeholders checked once,
//! when a template is saved, so rendering a validated template can never fail.
//!
//! Syntax: `{variable}` inserts a value; `{{` and `}}` are literal braces. Which variables
//! a template may use depends on its trigger (there is no tracking link before a label
//! exists), and a few triggers require one (a shipping update without the tracking link
//! would be pointless).

use super::Trigger;
use crate::compliance::TextKind;
use std::fmt;

/// A value a template can insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variable {
    /// The product name of the line item the message is about.
    Item,
    /// The SKU (variant) name of that line item.
    Variant,
    /// The shop's processing time in days.
    ProcessingDays,
    /// Where the buyer can follow the parcel (a link, or the tracking number).
    TrackingLink,
    /// The buyer's first name: private chat only, never in public text.
    BuyerFirstName,
    /// The shop's display name.
    ShopName,
    /// The known common confusion of the SKU (size, fit, assembly, pairing...).
    HelpTopic,
}

impl Variable {
    pub const ALL: [Variable; 7] = [
        Variable::Item,
        Variable::Variant,
        Variable::ProcessingDays,
        Variable::TrackingLink,
        Variable::BuyerFirstName,
        Variable::ShopName,
        Variable::HelpTopic,
    ];

    /// The placeholder name, e.g. `item` for `{item}`.
    pub fn as_str(self) -> &'static str {
        match self {
            Variable::Item => "item",
            Variable::Variant => "variant",
            Variable::ProcessingDays => "processing_days",
            Variable::TrackingLink => "tracking_link",
            Variable::BuyerFirstName => "buyer_first_name",
            Variable::ShopName => "shop_name",
            Variable::HelpTopic => "help_topic",
        }
    }

    pub fn parse(name: &str) -> Option<Variable> {
        Variable::ALL
            .into_iter()
            .find(|variable| variable.as_str() == name)
    }
}

impl fmt::Display for Variable {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Why a template was refused at save time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("template is empty")]
    Empty,
    #[error("unknown variable {{{name}}} (known: item, variant, processing_days, tracking_link, buyer_first_name, shop_name, help_topic)")]
    UnknownVariable { name: String },
    #[error("variable {{{variable}}} has no value for the {trigger} message")]
    UnavailableVariable {
        variable: Variable,
        trigger: Trigger,
    },
    #[error("the {trigger} message must contain {{{variable}}}")]
    MissingVariable {
        variable: Variable,
        trigger: Trigger,
    },
    #[error("{{{variable}}} may not appear in public text ({kind})")]
    PrivateVariableInPublicText { variable: Variable, kind: TextKind },
    #[error("unbalanced brace at byte {offset}: write {{{{ or }}}} for a literal brace")]
    UnbalancedBrace { offset: usize },
}

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Variable(Variable),
}

/// A template that passed validation for one trigger; rendering it cannot fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    trigger: Trigger,
    source: String,
    segments: Vec<Segment>,
}

impl Template {
    /// A template that inserts nothing: `text` verbatim.
    pub(super) fn literal(trigger: Trigger, text: &str) -> Template {
        Template {
            trigger,
            source: text.to_owned(),
            segments: vec![Segment::Literal(text.to_owned())],
        }
    }

    /// The trigger the template was validated for.
    pub fn trigger(&self) -> Trigger {
        self.trigger
    }

    /// The text as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The variables the template uses, in order of first use.
    pub fn variables(&self) -> Vec<Variable> {
        let mut used = Vec::new();
        for segment in &self.segments {
            if let Segment::Variable(variable) = segment {
                if !used.contains(variable) {
                    used.push(*variable);
                }
            }
        }
        used
    }

    /// Fills the placeholders. Every variable a trigger allows has a value in
    /// [`TemplateValues`], so this never fails.
    pub fn render(&self, values: &TemplateValues) -> String {
        let mut text = String::with_capacity(self.source.len() + 32);
        for segment in &self.segments {
            match segment {
                Segment::Literal(literal) => text.push_str(literal),
                Segment::Variable(variable) => text.push_str(values.value(*variable)),
            }
        }
        text
    }
}

/// The values a message can insert; all are plain text, already chosen by the planner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateValues {
    pub item: String,
    pub variant: String,
    pub processing_days: String,
    pub tracking_link: String,
    pub buyer_first_name: String,
    pub shop_name: String,
    pub help_topic: String,
}

impl TemplateValues {
    pub fn value(&self, variable: Variable) -> &str {
        match variable {
            Variable::Item => &self.item,
            Variable::Variant => &self.variant,
            Variable::ProcessingDays => &self.processing_days,
            Variable::TrackingLink => &self.tracking_link,
            Variable::BuyerFirstName => &self.buyer_first_name,
            Variable::ShopName => &self.shop_name,
            Variable::HelpTopic => &self.help_topic,
        }
    }
}

/// Variables with a value for `trigger`.
pub fn allowed_variables(trigger: Trigger) -> &'static [Variable] {
    use Variable::*;
    match trigger {
        Trigger::OrderConfirmation => &[Item, Variant, ProcessingDays, BuyerFirstName, ShopName],
        Trigger::LabelCreated | Trigger::FirstCarrierScan | Trigger::TrackingStalled => {
            &[Item, Variant, TrackingLink, BuyerFirstName, ShopName]
        }
        Trigger::Delivered | Trigger::ReviewRequest | Trigger::Replenishment => {
            &[Item, Variant, BuyerFirstName, ShopName]
        }
        Trigger::HelpAfterDelivery => &[Item, Variant, BuyerFirstName, ShopName, HelpTopic],
    }
}

/// Variables a template for `trigger` must contain.
pub fn required_variables(trigger: Trigger) -> &'static [Variable] {
    match trigger {
        Trigger::LabelCreated | Trigger::FirstCarrierScan | Trigger::TrackingStalled => {
            &[Variable::TrackingLink]
        }
        Trigger::OrderConfirmation => &[Variable::ProcessingDays],
        _ => &[],
    }
}

/// Parses and checks a template for `trigger`: unknown variables, variables without a
/// value for this trigger, missing required ones, stray braces and private variables in
/// public text are all refused here, at save time.
pub fn validate_template(trigger: Trigger, text: &str) -> Result<Template, TemplateError> {
    if text.trim().is_empty() {
        return Err(TemplateError::Empty);
    }
    let segments = parse_segments(text)?;
    let template = Template {
        trigger,
        source: text.to_owned(),
        segments,
    };
    let used = template.variables();
    let kind = trigger.text_kind();
    for variable in &used {
        if *variable == Variable::BuyerFirstName && is_public(kind) {
            return Err(TemplateError::PrivateVariableInPublicText {
                variable: *variable,
                kind,
            });
        }
        if !allowed_variables(trigger).contains(variable) {
            return Err(TemplateError::UnavailableVariable {
                variable: *variable,
                trigger,
            });
        }
    }
    if let Some(missing) = required_variables(trigger)
        .iter()
        .find(|variable| !used.contains(variable))
    {
        return Err(TemplateError::MissingVariable {
            variable: *missing,
            trigger,
        });
    }
    Ok(template)
}

/// Public texts are seen by everyone, so they must not carry the buyer's name.
pub fn is_public(kind: TextKind) -> bool {
    matches!(kind, TextKind::ReviewReply | TextKind::Listing)
}

/// Checks that `text` uses only known variables, none of them private when `kind` is
/// public. For texts outside the timeline (saved replies, review replies).
pub fn check_placeholders(text: &str, kind: TextKind) -> Result<Vec<Variable>, TemplateError> {
    let segments = parse_segments(text)?;
    let mut used = Vec::new();
    for segment in segments {
        if let Segment::Variable(variable) = segment {
            if variable == Variable::BuyerFirstName && is_public(kind) {
                return Err(TemplateError::PrivateVariableInPublicText { variable, kind });
            }
            if !used.contains(&variable) {
                used.push(variable);
            }
        }
    }
    Ok(used)
}

fn parse_segments(text: &str) -> Result<Vec<Segment>, TemplateError> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut characters = text.char_indices().peekable();
    while let Some((offset, character)) = characters.next() {
        match character {
            '{' if characters.peek().map(|(_, next)| *next) == Some('{') => {
                characters.next();
                literal.push('{');
            }
            '}' if characters.peek().map(|(_, next)| *next) == Some('}') => {
                characters.next();
                literal.push('}');
            }
            '}' => return Err(TemplateError::UnbalancedBrace { offset }),
            '{' => {
                let start = offset + 1;
                let end = text[start..]
                    .find(['}', '{'])
                    .map(|relative| start + relative)
                    .filter(|end| text.as_bytes()[*end] == b'}')
                    .ok_or(TemplateError::UnbalancedBrace { offset })?;
                let name = text[start..end].trim();
                let variable =
                    Variable::parse(name).ok_or_else(|| TemplateError::UnknownVariable {
                        name: name.to_owned(),
                    })?;
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(Segment::Variable(variable));
                while characters.peek().is_some_and(|(next, _)| *next <= end) {
                    characters.next();
                }
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> TemplateValues {
        TemplateValues {
            item: "Desk lamp".into(),
            variant: "White".into(),
            processing_days: "2".into(),
            tracking_link: "TRK123".into(),
            buyer_first_name: "Ana".into(),
            shop_name: "Lumen".into(),
            help_topic: "assembly".into(),
        }
    }

    #[test]
    fn renders_variables_and_literal_braces() {
        let template = validate_template(
            Trigger::OrderConfirmation,
            "Hi {buyer_first_name}, {item} ({variant}) ships in {processing_days} days {{ok}}",
        )
        .expect("valid");
        assert_eq!(
            template.render(&values()),
            "Hi Ana, Desk lamp (White) ships in 2 days {ok}"
        );
    }

    #[test]
    fn unknown_unavailable_and_missing_variables_are_refused() {
        assert_eq!(
            validate_template(Trigger::Delivered, "Hello {nickname}"),
            Err(TemplateError::UnknownVariable {
                name: "nickname".into()
            })
        );
        assert_eq!(
            validate_template(Trigger::Delivered, "Track {tracking_link}"),
            Err(TemplateError::UnavailableVariable {
                variable: Variable::TrackingLink,
                trigger: Trigger::Delivered
            })
        );
        assert_eq!(
            validate_template(Trigger::LabelCreated, "Your label is ready."),
            Err(TemplateError::MissingVariable {
                variable: Variable::TrackingLink,
                trigger: Trigger::LabelCreated
            })
        );
        assert_eq!(
            validate_template(Trigger::Delivered, "   "),
            Err(TemplateError::Empty)
        );
    }

    #[test]
    fn stray_braces_are_refused_with_their_offset() {
        assert_eq!(
            validate_template(Trigger::Delivered, "oops {item"),
            Err(TemplateError::UnbalancedBrace { offset: 5 })
        );
        assert_eq!(
            validate_template(Trigger::Delivered, "a } b"),
            Err(TemplateError::UnbalancedBrace { offset: 2 })
        );
        assert_eq!(
            validate_template(Trigger::Delivered, "{ {item}"),
            Err(TemplateError::UnbalancedBrace { offset: 0 })
        );
    }

    #[test]
    fn the_buyer_name_is_refused_in_public_text_only() {
        assert_eq!(
            check_placeholders("Thanks {buyer_first_name}!", TextKind::ReviewReply),
            Err(TemplateError::PrivateVariableInPublicText {
                variable: Variable::BuyerFirstName,
                kind: TextKind::ReviewReply
            })
        );
        assert_eq!(
            check_placeholders("Thanks {buyer_first_name}!", TextKind::ChatMessage),
            Ok(vec![Variable::BuyerFirstName])
        );
    }

    #[test]
    fn non_ascii_text_around_placeholders_survives() {
        let template =
            validate_template(Trigger::Delivered, "สวัสดี {item} ✓ 已送达").expect("valid");
        assert_eq!(template.render(&values()), "สวัสดี Desk lamp ✓ 已送达");
    }
}
