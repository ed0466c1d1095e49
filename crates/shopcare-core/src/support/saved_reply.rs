//! Saved replies: the desk's own texts per category and language, with `{variable}`
//! placeholders. A reply is validated when it is saved — known variables only, balanced
//! braces, a supported language, and the compliance guard for chat messages in the
//! shop's market — so a broken template never reaches the composer. The filled-in text
//! is checked again before it is sent, because values can add problems of their own.
//!
//! There is deliberately no buyer-name variable: the guard flags buyer names in chats
//! too (DOMAIN.md §7), so a greeting stays neutral.

use crate::classify::SupportCategory;
use crate::compliance::{self, Finding, TextKind, Verdict};
use std::collections::BTreeMap;

/// The variables a saved reply may use.
pub const SAVED_REPLY_VARIABLES: &[&str] = &[
    "order_id",
    "item",
    "variant",
    "tracking_number",
    "carrier",
    "shop_name",
    "agent_name",
    "response_hours",
    "resolution_date",
];

/// Languages the desk writes in (the buyers' seven).
pub const SAVED_REPLY_LANGUAGES: &[&str] = &["en", "id", "ms", "th", "vi", "es", "zh"];

/// Why a saved reply cannot be saved or filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedReplyError {
    #[error("the reply text is empty")]
    Empty,
    #[error("unknown variable {{{0}}} (allowed: {allowed})", allowed = SAVED_REPLY_VARIABLES.join(", "))]
    UnknownVariable(String),
    #[error("unbalanced brace at byte {0}: write variables as {{name}}")]
    UnbalancedBrace(usize),
    #[error("unsupported language {0:?} (expected en, id, ms, th, vi, es or zh)")]
    UnsupportedLanguage(String),
    #[error("the reply breaks the compliance rules: {}", summary(.0))]
    NotCompliant(Vec<Finding>),
    #[error("no value for variable {{{0}}}")]
    MissingValue(String),
}

fn summary(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|finding| format!("{} ({:?})", finding.rule, finding.excerpt))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Variable(&'a str),
}

fn parse(body: &str) -> Result<Vec<Piece<'_>>, SavedReplyError> {
    let mut pieces = Vec::new();
    let mut rest = body;
    let mut offset = 0;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(SavedReplyError::UnbalancedBrace(offset + open));
        }
        let after = &rest[open + 1..];
        let close = after
            .find(['{', '}'])
            .filter(|position| after[*position..].starts_with('}'))
            .ok_or(SavedReplyError::UnbalancedBrace(offset + open))?;
        let name = &after[..close];
        if !SAVED_REPLY_VARIABLES.contains(&name) {
            return Err(SavedReplyError::UnknownVariable(name.to_owned()));
        }
        if open > 0 {
            pieces.push(Piece::Text(&rest[..open]));
        }
        pieces.push(Piece::Variable(name));
        let consumed = open + 1 + close + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

/// The variables a reply uses, in order of first use.
pub fn saved_reply_variables(body: &str) -> Result<Vec<String>, SavedReplyError> {
    let mut names: Vec<String> = Vec::new();
    for piece in parse(body)? {
        if let Piece::Variable(name) = piece {
            if !names.iter().any(|known| known == name) {
                names.push(name.to_owned());
            }
        }
    }
    Ok(names)
}

/// A reply that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSavedReply {
    pub category: SupportCategory,
    pub language: String,
    pub body: String,
    pub variables: Vec<String>,
}

/// Validates a reply for saving: supported language, known variables, and no
/// compliance findings with each variable standing in as a neutral word.
pub fn validate_saved_reply(
    category: SupportCategory,
    language: &str,
    body: &str,
    market: Option<&str>,
) -> Result<ValidSavedReply, SavedReplyError> {
    let language = language.trim().to_ascii_lowercase();
    if !SAVED_REPLY_LANGUAGES.contains(&language.as_str()) {
        return Err(SavedReplyError::UnsupportedLanguage(language));
    }
    if body.trim().is_empty() {
        return Err(SavedReplyError::Empty);
    }
    let variables = saved_reply_variables(body)?;
    // Stand-ins are the variable names as words ("order id"): plain text that no rule
    // reads as a phone number, a name or a claim, so findings come from the wording.
    let sample: String = parse(body)?
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.to_owned(),
            Piece::Variable(name) => name.replace('_', " "),
        })
        .collect();
    let verdict = compliance::check(&sample, TextKind::ChatMessage, market);
    if !verdict.ok {
        return Err(SavedReplyError::NotCompliant(verdict.findings));
    }
    Ok(ValidSavedReply {
        category,
        language,
        body: body.to_owned(),
        variables,
    })
}

/// Fills in a reply's variables; every variable used needs a non-empty value.
pub fn render_saved_reply(
    body: &str,
    values: &BTreeMap<String, String>,
) -> Result<String, SavedReplyError> {
    let mut text = String::with_capacity(body.len());
    for piece in parse(body)? {
        match piece {
            Piece::Text(part) => text.push_str(part),
            Piece::Variable(name) => {
                let value = values
                    .get(name)
                    .map(|value| value.trim())
                    .filter(|value| !value.is_empty())
                    .ok_or_else(|| SavedReplyError::MissingValue(name.to_owned()))?;
                text.push_str(value);
            }
        }
    }
    Ok(text)
}

/// The guard's verdict on a chat reply about to be sent: a blocked reply is not sent.
pub fn check_chat_reply(text: &str, market: Option<&str>) -> Verdict {
    compliance::check(text, TextKind::ChatMessage, market)
}
