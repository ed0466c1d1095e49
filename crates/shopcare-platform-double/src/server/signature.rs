//! The double's own implementation of the platform's request signature (reference §3)
//! and webhook signature (§6).
//!
//! Deliberately independent of `shopcare-tiktok`: a double that borrowed the client's
//! signer would accept whatever mistake that signer makes. The tests cross-check both
//! against each other and against the official vectors.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// `hex(hmac_sha256(secret, secret + path + sorted(k + v) + body + secret))` with `sign`
/// and `access_token` left out and the body left out for `multipart/form-data`.
pub fn request_signature(
    app_secret: &str,
    path: &str,
    query: &[(String, String)],
    content_type: Option<&str>,
    body: &[u8],
) -> String {
    let mut pairs: Vec<&(String, String)> = query
        .iter()
        .filter(|(key, _)| key != "sign" && key != "access_token")
        .collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut mac = new_mac(app_secret);
    mac.update(app_secret.as_bytes());
    mac.update(path.as_bytes());
    for (key, value) in pairs {
        mac.update(key.as_bytes());
        mac.update(value.as_bytes());
    }
    let multipart = content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("multipart/form-data"))
    });
    if !multipart {
        mac.update(body);
    }
    mac.update(app_secret.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The webhook `Authorization` header: lower-case hex HMAC-SHA256(app_secret, app_key + body).
pub fn webhook_signature(app_key: &str, app_secret: &str, body: &[u8]) -> String {
    let mut mac = new_mac(app_secret);
    mac.update(app_key.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of two signatures.
pub fn signatures_match(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn new_mac(app_secret: &str) -> HmacSha256 {
    HmacSha256::new_from_slice(app_secret.as_bytes()).expect("HMAC accepts keys of any length")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn official_vector_v1() {
        let query = pairs(&[("app_key", "29a39d"), ("timestamp", "1623812664")]);
        assert_eq!(
            request_signature(
                "e59af819cc",
                "/authorization/202309/shops",
                &query,
                None,
                b""
            ),
            "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
        );
    }

    #[test]
    fn vector_v2_ignores_sign_and_access_token() {
        let query = pairs(&[
            ("app_key", "6abc123def"),
            ("timestamp", "1700000000"),
            ("shop_cipher", "ROW_TESTCIPHER123"),
            ("ids", "576486316948490001,576486316948490002"),
            ("access_token", "TTP_ignored"),
            ("sign", "deadbeef"),
        ]);
        assert_eq!(
            request_signature(
                "s3cr3t-app-secret",
                "/order/202309/orders",
                &query,
                None,
                b""
            ),
            "02c467f6a947cda17c26cfe295e8cd0f2db149626cf573e96ac1a16db5277d4e"
        );
    }

    #[test]
    fn vector_v5_leaves_multipart_bodies_out() {
        let query = pairs(&[
            ("app_key", "6abc123def"),
            ("timestamp", "1700000200"),
            ("shop_cipher", "ROW_TESTCIPHER123"),
        ]);
        assert_eq!(
            request_signature(
                "s3cr3t-app-secret",
                "/customer_service/202309/images/upload",
                &query,
                Some("multipart/form-data; boundary=----b0undary"),
                b"anything at all",
            ),
            "c492dc1ffa3e8da9341f8c641ff2da5b716b62635140d05a88ab840188dd1b43"
        );
    }

    #[test]
    fn webhook_vector_w1() {
        let body = br#"{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}"#;
        assert_eq!(
            webhook_signature("abcdef", "123", body),
            "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05"
        );
    }

    #[test]
    fn signatures_match_only_when_equal() {
        assert!(signatures_match("abc", "abc"));
        assert!(!signatures_match("abc", "abd"));
        assert!(!signatures_match("abc", "ab"));
    }
}
