//! OAuth token sets and the refresh-ahead rule.

use crate::dto::TokenDto;
use crate::error::ConvertError;
use chrono::{TimeZone, Utc};
use shopcare_core::Timestamp;

/// Refresh this long before the access token expires (tokens last 7 days).
pub const DEFAULT_REFRESH_MARGIN: chrono::Duration = chrono::Duration::days(1);

/// The tokens of one authorizing seller (`open_id`). Rotation on refresh is
/// undocumented, so store whatever a refresh returns.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: String,
    pub access_expires_at: Timestamp,
    pub refresh_token: String,
    /// Absent or unparsable lifetimes become `None` (the platform does not document it).
    pub refresh_expires_at: Option<Timestamp>,
    pub open_id: String,
    pub seller_name: String,
    pub seller_base_region: String,
    /// 0 = seller, 1 = creator.
    pub user_type: i64,
    pub granted_scopes: Vec<String>,
}

// Tokens are secrets: keep them out of logs.
impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"<redacted>")
            .field("access_expires_at", &self.access_expires_at)
            .field("refresh_token", &"<redacted>")
            .field("refresh_expires_at", &self.refresh_expires_at)
            .field("open_id", &self.open_id)
            .field("seller_name", &self.seller_name)
            .field("seller_base_region", &self.seller_base_region)
            .field("user_type", &self.user_type)
            .field("granted_scopes", &self.granted_scopes)
            .finish()
    }
}

impl TokenSet {
    /// Whether the access token should be refreshed at `now` (see [`needs_refresh`]).
    pub fn needs_refresh(&self, now: Timestamp, margin: chrono::Duration) -> bool {
        needs_refresh(self.access_expires_at, now, margin)
    }
}

/// True once `now` is within `margin` of the access token's expiry (or past it).
pub fn needs_refresh(
    access_expires_at: Timestamp,
    now: Timestamp,
    margin: chrono::Duration,
) -> bool {
    now + margin >= access_expires_at
}

/// Builds a token set from token-endpoint data. Required: `access_token`,
/// `access_token_expire_in` (absolute Unix seconds), `refresh_token`.
pub fn token_set_from_dto(dto: TokenDto) -> Result<TokenSet, ConvertError> {
    let nonempty = |field: &str, value: Option<String>| {
        value
            .filter(|text| !text.is_empty())
            .ok_or_else(|| ConvertError::missing(field))
    };
    let access_seconds = dto
        .access_token_expire_in
        .ok_or_else(|| ConvertError::missing("access_token_expire_in"))?;
    let access_expires_at = Utc
        .timestamp_opt(access_seconds, 0)
        .single()
        .ok_or_else(|| {
            ConvertError::new(
                "access_token_expire_in",
                format!("{access_seconds} is not a Unix time"),
            )
        })?;
    Ok(TokenSet {
        access_token: nonempty("access_token", dto.access_token)?,
        access_expires_at,
        refresh_token: nonempty("refresh_token", dto.refresh_token)?,
        refresh_expires_at: dto
            .refresh_token_expire_in
            .filter(|seconds| *seconds > 0)
            .and_then(|seconds| Utc.timestamp_opt(seconds, 0).single()),
        open_id: dto.open_id.unwrap_or_default(),
        seller_name: dto.seller_name.unwrap_or_default(),
        seller_base_region: dto.seller_base_region.unwrap_or_default(),
        user_type: dto.user_type.unwrap_or(0),
        granted_scopes: dto.granted_scopes.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Utc.timestamp_opt(seconds, 0).unwrap()
    }

    #[test]
    fn refreshes_within_the_margin_and_not_before() {
        let expiry = at(1_700_000_000 + 7 * 86_400);
        let day = chrono::Duration::days(1);
        assert!(!needs_refresh(expiry, at(1_700_000_000), day));
        assert!(!needs_refresh(
            expiry,
            expiry - day - chrono::Duration::seconds(1),
            day
        ));
        assert!(needs_refresh(expiry, expiry - day, day));
        assert!(needs_refresh(expiry, expiry + day, day));
    }

    #[test]
    fn expiry_fields_are_absolute_timestamps() {
        let dto: TokenDto = serde_json::from_str(
            r#"{"access_token":"TTP_a","access_token_expire_in":1700604800,
                "refresh_token":"TTP_r","refresh_token_expire_in":1731536000,
                "open_id":"o1","seller_name":"S","seller_base_region":"ID","user_type":0,
                "granted_scopes":["seller.order.info"]}"#,
        )
        .unwrap();
        let tokens = token_set_from_dto(dto).unwrap();
        assert_eq!(tokens.access_expires_at, at(1_700_604_800));
        assert_eq!(tokens.refresh_expires_at, Some(at(1_731_536_000)));
        assert!(!format!("{tokens:?}").contains("TTP_"));
    }

    #[test]
    fn a_token_without_expiry_names_the_field() {
        let dto: TokenDto =
            serde_json::from_str(r#"{"access_token":"a","refresh_token":"r"}"#).unwrap();
        assert_eq!(
            token_set_from_dto(dto).unwrap_err().field,
            "access_token_expire_in"
        );
    }
}
