//! The signing and webhook vectors of reference §8, and property tests of the
//! signature's invariants. A failing vector means real platform calls would be refused.

use proptest::prelude::*;
use shopcare_tiktok::request::{signed_query, RequestToSign};
use shopcare_tiktok::signing::{
    sign_request, string_to_sign, verify_request, verify_webhook, webhook_signature,
};

const SECRET: &str = "s3cr3t-app-secret";
const APP_KEY: &str = "6abc123def";
const CIPHER: &str = "ROW_TESTCIPHER123";
const JSON: Option<&str> = Some("application/json");

const B3: &str = r#"{"order_status":"AWAITING_SHIPMENT","update_time_ge":1699990000,"update_time_lt":1700000000}"#;
const B4: &str = "{\"decision\":\"REJECT_REFUND\",\"reject_reason\":\"seller_reject_apply_product_has_been_used\",\"comment\":\"Item shows wear \u{2014} see photos\"}";
const B6: &str =
    r#"{    "address":"https://partner.tiktokshop.com",    "event_type": "PACKAGE_UPDATE"}"#;

const W1_BODY: &str = r#"{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}"#;
const W1_SIGNATURE: &str = "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05";
const W2_BODY: &str = r#"{"type":12,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1700000300,"data":{"order_id":"576486316948490001","return_role":"BUYER","return_type":"RETURN_AND_REFUND","return_status":"RETURN_OR_REFUND_REQUEST_PENDING","return_id":"4035318504086604100","create_time":1700000290,"update_time":1700000300}}"#;
const W2_SIGNATURE: &str = "38f319c998458af352b983ed92bf35e8499abe3f82854ca1bf634df156f7b2dc";

#[test]
fn v1_official_vector() {
    let sign = sign_request(
        "e59af819cc",
        "/authorization/202309/shops",
        &[("app_key", "29a39d"), ("timestamp", "1623812664")],
        None,
        b"",
    );
    assert_eq!(
        sign,
        "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
    );
}

#[test]
fn v2_ignores_sign_and_access_token_and_joins_list_values() {
    let query = [
        ("shop_cipher", CIPHER),
        ("ids", "576486316948490001,576486316948490002"),
        ("access_token", "TTP_ignored"),
        ("sign", "deadbeef"),
        ("app_key", APP_KEY),
        ("timestamp", "1700000000"),
    ];
    let expected_string = "s3cr3t-app-secret/order/202309/ordersapp_key6abc123defids576486316948490001,576486316948490002shop_cipherROW_TESTCIPHER123timestamp1700000000s3cr3t-app-secret";
    assert_eq!(
        String::from_utf8(string_to_sign(
            SECRET,
            "/order/202309/orders",
            &query,
            None,
            b""
        ))
        .unwrap(),
        expected_string
    );
    assert_eq!(
        sign_request(SECRET, "/order/202309/orders", &query, None, b""),
        "02c467f6a947cda17c26cfe295e8cd0f2db149626cf573e96ac1a16db5277d4e"
    );
}

#[test]
fn v3_json_body_is_signed() {
    let query = [
        ("page_size", "50"),
        ("shop_cipher", CIPHER),
        ("sort_field", "create_time"),
        ("sort_order", "DESC"),
        ("app_key", APP_KEY),
        ("timestamp", "1700000000"),
    ];
    assert_eq!(
        sign_request(
            SECRET,
            "/order/202309/orders/search",
            &query,
            JSON,
            B3.as_bytes()
        ),
        "338b8b03cacb0442355d69e70aad561799619cd869cc45e1fb703f5c9c1a058e"
    );
}

#[test]
fn v4_utf8_body_and_idempotency_key() {
    assert_eq!(
        B4.len(),
        B4.chars().count() + 2,
        "the em dash is three bytes"
    );
    let query = [
        ("idempotency_key", "7f9c2b1e-5d4a-4c3b-9e8f-0a1b2c3d4e5f"),
        ("shop_cipher", CIPHER),
        ("app_key", APP_KEY),
        ("timestamp", "1700000123"),
    ];
    assert_eq!(
        sign_request(
            SECRET,
            "/return_refund/202309/returns/4035318504086604100/reject",
            &query,
            JSON,
            B4.as_bytes()
        ),
        "cc430423cee4f3fe66be3ab5b9607525d3d96ed0305d19530c4c52173f19755a"
    );
}

#[test]
fn v5_multipart_body_is_excluded() {
    let query = [
        ("shop_cipher", CIPHER),
        ("app_key", APP_KEY),
        ("timestamp", "1700000200"),
    ];
    let expected = "c492dc1ffa3e8da9341f8c641ff2da5b716b62635140d05a88ab840188dd1b43";
    for body in [&b""[..], b"------b0undary\r\nanything\r\n------b0undary--"] {
        assert_eq!(
            sign_request(
                SECRET,
                "/customer_service/202309/images/upload",
                &query,
                Some("multipart/form-data; boundary=----b0undary"),
                body
            ),
            expected
        );
    }
}

#[test]
fn v6_put_with_odd_whitespace_body_signs_the_bytes_as_sent() {
    let query = [
        ("shop_cipher", "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK"),
        ("app_key", "68xu9ks5p4i8"),
        ("timestamp", "1696909648"),
    ];
    assert_eq!(
        sign_request(
            "e59af819cc",
            "/event/202309/webhooks",
            &query,
            JSON,
            B6.as_bytes()
        ),
        "495c39774c04ee06162f20a6bef8edae5b17676229588fe76630bb5166da37d2"
    );
}

#[test]
fn end_to_end_request_line_for_authorized_shops() {
    let query = signed_query(
        APP_KEY,
        SECRET,
        &RequestToSign {
            path: "/authorization/202309/shops",
            params: &[],
            shop_cipher: None,
            timestamp: 1_700_000_000,
            content_type: None,
            body: b"",
        },
    );
    assert_eq!(
        format!("GET /authorization/202309/shops?{query}"),
        "GET /authorization/202309/shops?app_key=6abc123def&timestamp=1700000000&sign=4c4181f05a9ab74550f1535ddc2ca6bf493bd1e58c4f0bb80862d64e9cfff42b"
    );
}

#[test]
fn end_to_end_request_line_for_order_search() {
    let body = br#"{"order_status":"AWAITING_SHIPMENT","update_time_ge":1699990000}"#;
    let params = [("page_size".to_owned(), "50".to_owned())];
    let query = signed_query(
        APP_KEY,
        SECRET,
        &RequestToSign {
            path: "/order/202309/orders/search",
            params: &params,
            shop_cipher: Some(CIPHER),
            timestamp: 1_700_000_000,
            content_type: JSON,
            body,
        },
    );
    assert_eq!(
        format!("POST /order/202309/orders/search?{query}"),
        "POST /order/202309/orders/search?page_size=50&shop_cipher=ROW_TESTCIPHER123&app_key=6abc123def&timestamp=1700000000&sign=aa7c79f2fc59afe64e2260005c68680680734b63138f093ff61f4ebebfc8ca34"
    );
}

#[test]
fn query_values_are_percent_encoded_after_signing_the_decoded_value() {
    let token = "ab/c+d=e f";
    let params = [("page_token".to_owned(), token.to_owned())];
    let query = signed_query(
        APP_KEY,
        SECRET,
        &RequestToSign {
            path: "/x/202309/y",
            params: &params,
            shop_cipher: None,
            timestamp: 1,
            content_type: None,
            body: b"",
        },
    );
    assert!(
        query.starts_with("page_token=ab%2Fc%2Bd%3De%20f&"),
        "{query}"
    );
    let sign = query.rsplit("sign=").next().unwrap();
    let decoded = [
        ("page_token", token),
        ("app_key", APP_KEY),
        ("timestamp", "1"),
    ];
    assert!(verify_request(
        SECRET,
        "/x/202309/y",
        &decoded,
        None,
        b"",
        sign
    ));
}

#[test]
fn w1_official_webhook_vector() {
    assert_eq!(
        webhook_signature("abcdef", "123", W1_BODY.as_bytes()),
        W1_SIGNATURE
    );
    assert!(verify_webhook(
        "abcdef",
        "123",
        W1_BODY.as_bytes(),
        W1_SIGNATURE
    ));
    let spaced = format!("{W1_BODY} ");
    assert!(!verify_webhook(
        "abcdef",
        "123",
        spaced.as_bytes(),
        W1_SIGNATURE
    ));
    assert!(!verify_webhook(
        "abcdef",
        "123",
        W1_BODY.as_bytes(),
        &W1_SIGNATURE.to_uppercase()
    ));
}

#[test]
fn w2_webhook_vector() {
    assert_eq!(
        webhook_signature(APP_KEY, SECRET, W2_BODY.as_bytes()),
        W2_SIGNATURE
    );
    assert!(verify_webhook(
        APP_KEY,
        SECRET,
        W2_BODY.as_bytes(),
        W2_SIGNATURE
    ));
    let spaced = format!("{W2_BODY} ");
    assert!(!verify_webhook(
        APP_KEY,
        SECRET,
        spaced.as_bytes(),
        W2_SIGNATURE
    ));
    assert!(!verify_webhook(
        APP_KEY,
        SECRET,
        W2_BODY.as_bytes(),
        &W2_SIGNATURE.to_uppercase()
    ));
    assert!(!verify_webhook(
        APP_KEY,
        SECRET,
        W2_BODY.as_bytes(),
        "not hex"
    ));
    assert!(!verify_webhook(APP_KEY, SECRET, W2_BODY.as_bytes(), ""));
}

fn params_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    // Distinct keys: with repeated keys the order of equal keys is meaningful.
    prop::collection::btree_map("[a-z_]{1,12}", "[ -~]{0,20}", 0..8)
        .prop_map(|map| map.into_iter().collect())
}

fn borrowed(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

proptest! {
    #[test]
    fn param_order_does_not_change_the_sign(
        params in params_strategy(),
        seed in any::<u64>(),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let original = borrowed(&params);
        let mut shuffled = original.clone();
        // A deterministic shuffle from the seed (rotation plus reversal).
        if !shuffled.is_empty() {
            let len = shuffled.len();
            shuffled.rotate_left((seed as usize) % len);
            if seed % 2 == 0 {
                shuffled.reverse();
            }
        }
        prop_assert_eq!(
            sign_request(SECRET, "/p/202309/q", &original, JSON, &body),
            sign_request(SECRET, "/p/202309/q", &shuffled, JSON, &body)
        );
    }

    #[test]
    fn sign_and_access_token_params_are_ignored(
        params in params_strategy(),
        sign_value in "[ -~]{0,20}",
        token_value in "[ -~]{0,20}",
    ) {
        let plain: Vec<(&str, &str)> = borrowed(&params)
            .into_iter()
            .filter(|(k, _)| *k != "sign" && *k != "access_token")
            .collect();
        let mut with_extras = plain.clone();
        with_extras.push(("sign", &sign_value));
        with_extras.insert(0, ("access_token", &token_value));
        prop_assert_eq!(
            sign_request(SECRET, "/p/202309/q", &plain, None, b""),
            sign_request(SECRET, "/p/202309/q", &with_extras, None, b"")
        );
    }

    #[test]
    fn multipart_body_is_excluded(
        params in params_strategy(),
        body in prop::collection::vec(any::<u8>(), 0..128),
        boundary in "[a-zA-Z0-9-]{1,20}",
    ) {
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let query = borrowed(&params);
        prop_assert_eq!(
            sign_request(SECRET, "/p/202309/upload", &query, Some(&content_type), &body),
            sign_request(SECRET, "/p/202309/upload", &query, Some(&content_type), b"")
        );
    }

    #[test]
    fn any_change_to_path_param_or_body_changes_the_sign(
        params in params_strategy().prop_filter("needs a param", |p| !p.is_empty()),
        body in prop::collection::vec(any::<u8>(), 0..64),
        extra in "[a-z0-9]{1,8}",
        pick in any::<usize>(),
    ) {
        let query = borrowed(&params);
        let original = sign_request(SECRET, "/p/202309/q", &query, JSON, &body);

        let other_path = format!("/p/202309/q{extra}");
        prop_assert_ne!(&original, &sign_request(SECRET, &other_path, &query, JSON, &body));

        let index = pick % params.len();
        let changed_value = format!("{}{}", params[index].1, extra);
        let mut changed = query.clone();
        changed[index].1 = &changed_value;
        prop_assert_ne!(&original, &sign_request(SECRET, "/p/202309/q", &changed, JSON, &body));

        let mut longer_body = body.clone();
        longer_body.extend_from_slice(extra.as_bytes());
        prop_assert_ne!(&original, &sign_request(SECRET, "/p/202309/q", &query, JSON, &longer_body));
    }

    #[test]
    fn verify_accepts_what_sign_produced(
        params in params_strategy(),
        body in prop::collection::vec(any::<u8>(), 0..64),
        secret in "[ -~]{1,32}",
    ) {
        let query = borrowed(&params);
        let sign = sign_request(&secret, "/p/202309/q", &query, JSON, &body);
        prop_assert!(verify_request(&secret, "/p/202309/q", &query, JSON, &body, &sign));
        let webhook = webhook_signature("key", &secret, &body);
        prop_assert!(verify_webhook("key", &secret, &body, &webhook));
    }
}
