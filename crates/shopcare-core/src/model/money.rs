//! Money: an exact decimal amount with its ISO 4217 currency. Never a float.

use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

/// A three-letter upper-case currency code such as `USD` or `IDR`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amount {0:?} is not a decimal number")]
    InvalidAmount(String),
    #[error("currency {0:?} is not a three-letter ISO 4217 code")]
    InvalidCurrency(String),
}

impl Currency {
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let code = code.trim();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(code.to_ascii_uppercase()))
        } else {
            Err(MoneyError::InvalidCurrency(code.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Money {
    /// Parses a platform amount string (`"12.50"`) in the given currency.
    pub fn parse(amount: &str, currency: &str) -> Result<Self, MoneyError> {
        let amount = Decimal::from_str(amount.trim())
            .map_err(|_| MoneyError::InvalidAmount(amount.to_owned()))?;
        Ok(Self {
            amount,
            currency: Currency::parse(currency)?,
        })
    }

    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    pub fn amount(&self) -> Decimal {
        self.amount
    }

    pub fn currency(&self) -> &Currency {
        &self.currency
    }

    /// The amount as the platform writes it: a plain decimal string.
    pub fn amount_string(&self) -> String {
        self.amount.normalize().to_string()
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.amount_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_decimals_and_normalises_currency() {
        let money = Money::parse("100.10", "usd").unwrap();
        assert_eq!(money.amount_string(), "100.1");
        assert_eq!(money.currency().as_str(), "USD");
        assert_eq!(money.to_string(), "100.1 USD");
    }

    #[test]
    fn rejects_floats_in_disguise_and_bad_codes() {
        assert!(matches!(
            Money::parse("1e3x", "USD"),
            Err(MoneyError::InvalidAmount(_))
        ));
        assert!(matches!(
            Money::parse("1", "US"),
            Err(MoneyError::InvalidCurrency(_))
        ));
    }
}
