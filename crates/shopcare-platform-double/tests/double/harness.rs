//! Test harness: a double on 127.0.0.1:0 and a raw HTTP client that signs requests
//! with `shopcare-tiktok`'s signer (so the double's own signer is cross-checked).

use chrono::NaiveDate;
use reqwest::Method;
use serde_json::Value;
use shopcare_platform_double::server::ShopInfo;
use shopcare_platform_double::{DoubleConfig, DoubleHandle, PlatformDouble, WorldConfig};

pub const APP_KEY: &str = "test-app-key";
pub const APP_SECRET: &str = "test-app-secret";
pub const AUTH_CODE: &str = "test-auth-code";

pub fn world_config(orders: u64) -> WorldConfig {
    WorldConfig {
        shops: 3,
        orders,
        days: 30,
        seed: 11,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date"),
    }
}

pub fn config(orders: u64) -> DoubleConfig {
    DoubleConfig {
        app_key: APP_KEY.to_string(),
        app_secret: APP_SECRET.to_string(),
        seller_auth_code: AUTH_CODE.to_string(),
        world: world_config(orders),
        ..DoubleConfig::default()
    }
}

pub struct TestApp {
    pub double: DoubleHandle,
    pub http: reqwest::Client,
    pub token: String,
    pub shops: Vec<ShopInfo>,
}

/// A double with `orders` orders, already authorized.
pub async fn spawn(config: DoubleConfig) -> TestApp {
    let double = PlatformDouble::start(config).await.expect("double starts");
    let http = reqwest::Client::new();
    let answer: Value = http
        .get(format!(
            "{}/api/v2/token/get?app_key={APP_KEY}&app_secret={APP_SECRET}&auth_code={AUTH_CODE}&grant_type=authorized_code",
            double.base_url()
        ))
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token json");
    assert_eq!(answer["code"], 0, "{answer}");
    let token = answer["data"]["access_token"]
        .as_str()
        .expect("access token")
        .to_string();
    let shops = double.shops();
    TestApp {
        double,
        http,
        token,
        shops,
    }
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A request under construction: params are signed unless told otherwise.
pub struct Call {
    pub method: Method,
    pub path: String,
    pub params: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub token: Option<String>,
    pub sign: SignMode,
    /// Bytes sent instead of the signed body (to tamper after signing).
    pub sent_body: Option<Vec<u8>>,
}

pub enum SignMode {
    Correct,
    Missing,
    Wrong,
}

impl Call {
    pub fn new(method: Method, path: &str) -> Call {
        Call {
            method,
            path: path.to_string(),
            params: vec![
                ("app_key".to_string(), APP_KEY.to_string()),
                ("timestamp".to_string(), now().to_string()),
            ],
            body: None,
            token: None,
            sign: SignMode::Correct,
            sent_body: None,
        }
    }

    pub fn param(mut self, key: &str, value: &str) -> Call {
        self.params.retain(|(existing, _)| existing != key);
        self.params.push((key.to_string(), value.to_string()));
        self
    }

    pub fn json(mut self, body: Value) -> Call {
        self.body = Some(serde_json::to_vec(&body).expect("json"));
        self
    }

    pub fn token(mut self, token: &str) -> Call {
        self.token = Some(token.to_string());
        self
    }

    pub fn send_body_instead(mut self, body: &[u8]) -> Call {
        self.sent_body = Some(body.to_vec());
        self
    }

    pub fn sign(mut self, mode: SignMode) -> Call {
        self.sign = mode;
        self
    }

    pub async fn send(self, app: &TestApp) -> (u16, Value) {
        let pairs: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        let body = self.body.clone().unwrap_or_default();
        let content_type = self.body.as_ref().map(|_| "application/json");
        let sign = shopcare_tiktok::signing::sign_request(
            APP_SECRET,
            &self.path,
            &pairs,
            content_type,
            &body,
        );
        let mut url =
            url::Url::parse(&format!("{}{}", app.double.base_url(), self.path)).expect("url");
        {
            let mut query = url.query_pairs_mut();
            for (key, value) in &self.params {
                query.append_pair(key, value);
            }
            match self.sign {
                SignMode::Correct => {
                    query.append_pair("sign", &sign);
                }
                SignMode::Wrong => {
                    query.append_pair("sign", &"0".repeat(64));
                }
                SignMode::Missing => {}
            }
        }
        let mut request = app.http.request(self.method, url);
        if let Some(token) = &self.token {
            request = request.header("x-tts-access-token", token);
        }
        if let Some(body) = self.sent_body.or(self.body) {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }
}

impl TestApp {
    /// A correctly signed, authorized call on shop `shop`.
    pub fn call(&self, method: Method, path: &str, shop: usize) -> Call {
        Call::new(method, path)
            .param("shop_cipher", &self.shops[shop].cipher)
            .token(&self.token)
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        self.http
            .post(format!("{}{path}", self.double.base_url()))
            .json(&body)
            .send()
            .await
            .expect("control request")
            .json()
            .await
            .expect("control json")
    }
}

/// Walks every page of an order search; returns the ids in the order served.
pub async fn all_order_ids(
    app: &TestApp,
    shop: usize,
    sort_field: &str,
    sort_order: &str,
    body: Value,
) -> Vec<String> {
    let mut ids = Vec::new();
    let mut token = String::new();
    loop {
        let mut call = app
            .call(Method::POST, "/order/202309/orders/search", shop)
            .param("page_size", "100")
            .param("sort_field", sort_field)
            .param("sort_order", sort_order)
            .json(body.clone());
        if !token.is_empty() {
            call = call.param("page_token", &token);
        }
        let (status, answer) = call.send(app).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["code"], 0, "{answer}");
        for order in answer["data"]["orders"].as_array().expect("orders") {
            ids.push(order["id"].as_str().expect("id").to_string());
        }
        token = answer["data"]["next_page_token"]
            .as_str()
            .expect("next_page_token is always a string")
            .to_string();
        if token.is_empty() {
            return ids;
        }
    }
}
