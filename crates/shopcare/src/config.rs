//! Settings, layered: built-in defaults → TOML file (`--config` / `SHOPCARE_CONFIG`)
//! → environment (`SHOPCARE_*`) → command-line flags. Secrets live in [`Secret`], which
//! never prints its value.

use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A value that must not reach logs or terminals.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

pub const DEFAULT_DB: &str = "sqlite://shopcare.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_API_URL: &str = "https://open-api.tiktokglobalshop.com";
pub const DEFAULT_AUTH_URL: &str = "https://auth.tiktok-shops.com";
pub const DEFAULT_SECRET_KEY_FILE: &str = "shopcare.key";

/// The documented defaults, printed by `shopcare default-config`.
pub const DEFAULT_CONFIG_TOML: &str = r#"# shopcare configuration. Every key is optional; environment variables override it
# (shown beside each key), and command-line flags override both.

# Store: sqlite://PATH (embedded, default) or postgres://USER@HOST:PORT/DB.   SHOPCARE_DB
db = "sqlite://shopcare.db"

# Address `shopcare serve` listens on.                                         SHOPCARE_LISTEN
listen = "127.0.0.1:8080"

# File holding the 32-byte key (base64) that encrypts shop tokens at rest. It is
# created on first use. SHOPCARE_SECRET_KEY (the key itself) takes precedence.  SHOPCARE_SECRET_KEY_FILE
secret_key_file = "shopcare.key"

[tiktok]
# Partner Center app credentials.              SHOPCARE_TIKTOK_APP_KEY / SHOPCARE_TIKTOK_APP_SECRET
app_key = ""
app_secret = ""
# API and token hosts (point them at `shopcare platform-double` for testing).
api_url = "https://open-api.tiktokglobalshop.com"    # SHOPCARE_TIKTOK_API_URL
auth_url = "https://auth.tiktok-shops.com"           # SHOPCARE_TIKTOK_AUTH_URL

[reputation]
# Seller-related Negative Review Rate targets in percent, per market code. Markets not
# listed use DOMAIN.md's defaults (1 %; Thailand 0.5 %). `--target M=P` overrides.
snrr_targets = { TH = "0.5" }
# A product is flagged for a supplier check or delisting when at least this many of its
# 1–2★ reviews in 30 days are about the product itself ...
quality_flag_min_reviews = 3
# ... and they are at least this share (percent) of its 1–2★ reviews.
quality_flag_min_share_percent = 50
"#;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FileConfig {
    db: Option<String>,
    listen: Option<String>,
    secret_key_file: Option<PathBuf>,
    tiktok: TikTokSection,
    reputation: ReputationSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ReputationSection {
    snrr_targets: std::collections::BTreeMap<String, String>,
    quality_flag_min_reviews: Option<u64>,
    quality_flag_min_share_percent: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TikTokSection {
    app_key: Option<String>,
    app_secret: Option<Secret>,
    api_url: Option<String>,
    auth_url: Option<String>,
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub db: String,
    pub listen: String,
    pub secret_key: Option<Secret>,
    pub secret_key_file: PathBuf,
    pub app_key: Option<String>,
    pub app_secret: Option<Secret>,
    pub api_url: String,
    pub auth_url: String,
    /// SNRR targets as `MARKET=PERCENT` entries, from the config file.
    pub snrr_targets: Vec<String>,
    pub quality_flag: shopcare_core::metrics::QualityFlagRule,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

impl Settings {
    /// Loads defaults, then the config file (if any), then the environment.
    pub fn load(config_path: Option<&Path>) -> anyhow::Result<Self> {
        let path = config_path
            .map(Path::to_path_buf)
            .or_else(|| env("SHOPCARE_CONFIG").map(PathBuf::from));
        let file = match &path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read config file {}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .with_context(|| format!("invalid config file {}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let default_flag = shopcare_core::metrics::QualityFlagRule::default();
        let quality_flag = shopcare_core::metrics::QualityFlagRule {
            min_reviews: file
                .reputation
                .quality_flag_min_reviews
                .unwrap_or(default_flag.min_reviews),
            min_share_percent: file
                .reputation
                .quality_flag_min_share_percent
                .unwrap_or(default_flag.min_share_percent),
        };
        if quality_flag.min_share_percent > 100 {
            anyhow::bail!("reputation.quality_flag_min_share_percent must be at most 100");
        }
        Ok(Self {
            snrr_targets: file
                .reputation
                .snrr_targets
                .iter()
                .map(|(market, percent)| format!("{market}={percent}"))
                .collect(),
            quality_flag,
            db: env("SHOPCARE_DB")
                .or(file.db)
                .unwrap_or_else(|| DEFAULT_DB.to_owned()),
            listen: env("SHOPCARE_LISTEN")
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.to_owned()),
            secret_key: env("SHOPCARE_SECRET_KEY").map(Secret::new),
            secret_key_file: env("SHOPCARE_SECRET_KEY_FILE")
                .map(PathBuf::from)
                .or(file.secret_key_file)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_SECRET_KEY_FILE)),
            app_key: env("SHOPCARE_TIKTOK_APP_KEY").or(file.tiktok.app_key),
            app_secret: env("SHOPCARE_TIKTOK_APP_SECRET")
                .map(Secret::new)
                .or(file.tiktok.app_secret),
            api_url: env("SHOPCARE_TIKTOK_API_URL")
                .or(file.tiktok.api_url)
                .unwrap_or_else(|| DEFAULT_API_URL.to_owned()),
            auth_url: env("SHOPCARE_TIKTOK_AUTH_URL")
                .or(file.tiktok.auth_url)
                .unwrap_or_else(|| DEFAULT_AUTH_URL.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_defaults_parse() {
        let parsed: FileConfig = toml::from_str(DEFAULT_CONFIG_TOML).unwrap();
        assert_eq!(parsed.db.as_deref(), Some(DEFAULT_DB));
        assert_eq!(parsed.tiktok.api_url.as_deref(), Some(DEFAULT_API_URL));
        assert_eq!(
            parsed.reputation.snrr_targets.get("TH").map(String::as_str),
            Some("0.5")
        );
        assert_eq!(parsed.reputation.quality_flag_min_reviews, Some(3));
    }

    #[test]
    fn secrets_do_not_print() {
        let secret = Secret::new("s3cr3t");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
    }
}
