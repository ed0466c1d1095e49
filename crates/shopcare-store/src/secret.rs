//! Encryption of shop tokens at rest.
//!
//! Tokens are sealed with XChaCha20-Poly1305 under a 32-byte [`SecretKey`] and stored as
//! `v1:` followed by base64 of `nonce (24 bytes) || ciphertext+tag`. Each value gets a
//! fresh random nonce (192 bits, so random nonces are safe). The seller's `open_id` and
//! the field name are bound in as associated data, so a ciphertext copied into another
//! row or column fails to decrypt instead of quietly authorising the wrong seller.

use crate::{StoreError, StoreResult};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const VERSION_PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;

/// The key that encrypts seller tokens in the database (`SHOPCARE_SECRET_KEY`).
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretKeyError {
    #[error("secret key is not valid base64")]
    NotBase64,
    #[error("secret key must be 32 bytes, got {0}")]
    WrongLength(usize),
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Parses standard base64 (with or without padding) of exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, SecretKeyError> {
        let text = text.trim();
        let bytes = BASE64
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(text))
            .map_err(|_| SecretKeyError::NotBase64)?;
        let bytes: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| SecretKeyError::WrongLength(bytes.len()))?;
        Ok(Self(bytes))
    }

    /// A new random key from the operating system's generator.
    pub fn generate() -> Self {
        Self(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&self.0).into())
    }

    /// Seals `plaintext`; `context` (e.g. `"access_token:OPEN_ID"`) must be given again to open it.
    pub(crate) fn encrypt(&self, plaintext: &str, context: &str) -> StoreResult<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Database("token encryption failed".into()))?;
        let mut bytes = Vec::with_capacity(NONCE_LEN + sealed.len());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        Ok(format!("{VERSION_PREFIX}{}", BASE64.encode(bytes)))
    }

    pub(crate) fn decrypt(&self, stored: &str, context: &str) -> StoreResult<String> {
        let encoded = stored
            .strip_prefix(VERSION_PREFIX)
            .ok_or_else(|| StoreError::Corrupt("encrypted token has no v1: prefix".into()))?;
        let bytes = BASE64
            .decode(encoded)
            .map_err(|_| StoreError::Corrupt("encrypted token is not base64".into()))?;
        if bytes.len() < NONCE_LEN {
            return Err(StoreError::Corrupt("encrypted token is truncated".into()));
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plaintext = self
            .cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Decrypt)?;
        String::from_utf8(plaintext).map_err(|_| StoreError::Corrupt("token is not UTF-8".into()))
    }
}

impl std::fmt::Debug for SecretKey {
    // The key never reaches logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_each_value_gets_its_own_nonce() {
        let key = SecretKey::generate();
        let first = key.encrypt("token-123", "access_token:seller").unwrap();
        let second = key.encrypt("token-123", "access_token:seller").unwrap();
        assert!(first.starts_with("v1:"));
        assert_ne!(first, second);
        assert!(!first.contains("token-123"));
        assert_eq!(
            key.decrypt(&first, "access_token:seller").unwrap(),
            "token-123"
        );
    }

    #[test]
    fn wrong_key_or_wrong_context_fails_to_decrypt() {
        let key = SecretKey::generate();
        let sealed = key.encrypt("token-123", "access_token:seller").unwrap();
        assert!(matches!(
            SecretKey::generate().decrypt(&sealed, "access_token:seller"),
            Err(StoreError::Decrypt)
        ));
        assert!(matches!(
            key.decrypt(&sealed, "refresh_token:seller"),
            Err(StoreError::Decrypt)
        ));
    }

    #[test]
    fn base64_keys_parse_and_bad_ones_are_rejected() {
        let key = SecretKey::generate();
        let parsed = SecretKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(parsed.0, key.0);
        assert_eq!(
            SecretKey::from_base64("c2hvcnQ=").unwrap_err(),
            SecretKeyError::WrongLength(5)
        );
        assert_eq!(
            SecretKey::from_base64("not base64!").unwrap_err(),
            SecretKeyError::NotBase64
        );
    }
}
