//! Small helpers shared by the DTO conversions: required fields, Unix times, money.

use crate::error::ConvertError;
use chrono::{TimeZone, Utc};
use shopcare_core::{Money, Timestamp};

/// A required, non-empty string.
pub(crate) fn required(field: &str, value: Option<String>) -> Result<String, ConvertError> {
    match value {
        Some(text) if !text.trim().is_empty() => Ok(text),
        _ => Err(ConvertError::missing(field)),
    }
}

/// An optional string; the platform often sends `""` for "not set".
pub(crate) fn optional(value: Option<String>) -> Option<String> {
    value.filter(|text| !text.trim().is_empty())
}

/// A required Unix-seconds time.
pub(crate) fn required_time(field: &str, seconds: Option<i64>) -> Result<Timestamp, ConvertError> {
    optional_time(field, seconds)?.ok_or_else(|| ConvertError::missing(field))
}

/// An optional Unix-seconds time; `0` means "not set" on the platform.
pub(crate) fn optional_time(
    field: &str,
    seconds: Option<i64>,
) -> Result<Option<Timestamp>, ConvertError> {
    match seconds {
        None | Some(0) => Ok(None),
        Some(seconds) => Utc
            .timestamp_opt(seconds, 0)
            .single()
            .map(Some)
            .ok_or_else(|| ConvertError::new(field, format!("{seconds} is not a Unix time"))),
    }
}

/// A Unix-milliseconds time (tracking's `update_time_millis`).
pub(crate) fn required_time_millis(
    field: &str,
    millis: Option<i64>,
) -> Result<Timestamp, ConvertError> {
    let millis = millis
        .filter(|value| *value != 0)
        .ok_or_else(|| ConvertError::missing(field))?;
    Utc.timestamp_millis_opt(millis)
        .single()
        .ok_or_else(|| ConvertError::new(field, format!("{millis} is not a Unix time in ms")))
}

/// Money from a decimal string and a currency; an absent or empty amount is `None`.
pub(crate) fn optional_money(
    field: &str,
    amount: Option<&str>,
    currency: Option<&str>,
) -> Result<Option<Money>, ConvertError> {
    let Some(amount) = amount.filter(|text| !text.trim().is_empty()) else {
        return Ok(None);
    };
    let currency = currency
        .filter(|text| !text.trim().is_empty())
        .ok_or_else(|| ConvertError::new(field, "has an amount but no currency"))?;
    Money::parse(amount, currency)
        .map(Some)
        .map_err(|error| ConvertError::new(field, error.to_string()))
}
