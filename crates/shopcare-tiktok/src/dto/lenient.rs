//! Lenient field deserializers for platform JSON: ids and times may arrive as strings
//! or numbers, and `null` means absent. Used with `#[serde(deserialize_with = ...)]`.

use serde::{Deserialize, Deserializer};

/// One JSON scalar. Deserialized with a direct visitor rather than `#[serde(untagged)]`,
/// which would buffer every field first: this sits on the hot path of every import.
enum Scalar {
    String(String),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Bool(bool),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl serde::de::Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a string, number or boolean")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Scalar, E> {
                Ok(Scalar::String(value.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Scalar, E> {
                Ok(Scalar::String(value))
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Scalar, E> {
                Ok(Scalar::Unsigned(value))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Scalar, E> {
                Ok(Scalar::Signed(value))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(value))
            }

            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(value))
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A string, or a number/bool rendered as a string (18-19 digit ids overflow some
/// encoders, which then send numbers; we keep the digits).
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(
        Option::<Scalar>::deserialize(deserializer)?.map(|scalar| match scalar {
            Scalar::String(value) => value,
            Scalar::Unsigned(value) => value.to_string(),
            Scalar::Signed(value) => value.to_string(),
            Scalar::Float(value) => value.to_string(),
            Scalar::Bool(value) => value.to_string(),
        }),
    )
}

/// An integer, or a string holding one; an empty string is absent.
pub fn opt_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    match Option::<Scalar>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Scalar::Signed(value)) => Ok(Some(value)),
        Some(Scalar::Unsigned(value)) => i64::try_from(value)
            .map(Some)
            .map_err(|_| D::Error::custom(format!("integer {value} is too large"))),
        Some(Scalar::Float(value)) if value.fract() == 0.0 && value.abs() < 9.0e15 => {
            Ok(Some(value as i64))
        }
        Some(Scalar::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Scalar::String(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("{text:?} is not an integer"))),
        Some(Scalar::Float(value)) => Err(D::Error::custom(format!("{value} is not an integer"))),
        Some(Scalar::Bool(value)) => Err(D::Error::custom(format!("{value} is not an integer"))),
    }
}

/// A boolean, or the strings `"true"`/`"false"`.
pub fn opt_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    use serde::de::Error;
    match Option::<Scalar>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Scalar::Bool(value)) => Ok(Some(value)),
        Some(Scalar::String(text)) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Scalar::String(text)) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(Scalar::Unsigned(value)) if value <= 1 => Ok(Some(value == 1)),
        Some(_) => Err(D::Error::custom("expected a boolean")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Probe {
        #[serde(deserialize_with = "opt_string")]
        id: Option<String>,
        #[serde(deserialize_with = "opt_i64")]
        time: Option<i64>,
        #[serde(deserialize_with = "opt_bool")]
        flag: Option<bool>,
    }

    #[test]
    fn ids_and_times_accept_strings_numbers_and_null() {
        let probe: Probe =
            serde_json::from_str(r#"{"id":576486316948490001,"time":"1700000000","flag":"true"}"#)
                .unwrap();
        assert_eq!(probe.id.as_deref(), Some("576486316948490001"));
        assert_eq!(probe.time, Some(1_700_000_000));
        assert_eq!(probe.flag, Some(true));
        let probe: Probe = serde_json::from_str(r#"{"id":null,"time":""}"#).unwrap();
        assert_eq!(probe.id, None);
        assert_eq!(probe.time, None);
        assert!(serde_json::from_str::<Probe>(r#"{"time":"soon"}"#).is_err());
    }
}
