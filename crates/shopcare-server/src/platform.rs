//! Access to the Partner API on behalf of connected shops: the OAuth connect flow and
//! per-shop access tokens, refreshed ahead of expiry and saved (encrypted) by the store.

use crate::clock::Clock;
use shopcare_core::{Shop, ShopId};
use shopcare_store::{SellerCredentials, Store, StoreError};
use shopcare_tiktok::dto::shop_from_dto;
use shopcare_tiktok::{ApiError, TikTokClient, TokenSet};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("shop {0} is not connected: run `shopcare connect` for its seller")]
    NotConnected(ShopId),
    #[error("the platform sent an unusable {what}: {message}")]
    BadData { what: &'static str, message: String },
}

/// A shop and a valid access token for it.
#[derive(Clone)]
pub struct ShopAccess {
    pub shop: Shop,
    pub access_token: String,
}

#[derive(Clone)]
pub struct PlatformAccess {
    store: Arc<dyn Store>,
    client: TikTokClient,
    clock: Arc<dyn Clock>,
    refresh_margin: chrono::Duration,
}

impl PlatformAccess {
    pub fn new(store: Arc<dyn Store>, client: TikTokClient, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            client,
            clock,
            refresh_margin: shopcare_tiktok::token::DEFAULT_REFRESH_MARGIN,
        }
    }

    pub fn client(&self) -> &TikTokClient {
        &self.client
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Exchanges a seller's authorization code, stores the tokens and the shops the
    /// grant covers, and returns those shops.
    pub async fn connect(&self, auth_code: &str) -> Result<Vec<Shop>, PlatformError> {
        let tokens = self.client.exchange_auth_code(auth_code).await?;
        let shops = self
            .client
            .authorized_shops(&tokens.access_token)
            .await?
            .into_iter()
            .map(shop_from_dto)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| PlatformError::BadData {
                what: "shop",
                message: error.to_string(),
            })?;
        self.store.upsert_shops(&shops).await?;
        let shop_ids = shops.iter().map(|shop| shop.id.clone()).collect();
        self.store
            .save_seller_credentials(&credentials_from(&tokens, shop_ids))
            .await?;
        Ok(shops)
    }

    /// The shop and a fresh access token, refreshing (and saving) it when it is about
    /// to expire.
    pub async fn shop_access(&self, shop_id: &ShopId) -> Result<ShopAccess, PlatformError> {
        let shop = self
            .store
            .get_shop(shop_id)
            .await?
            .ok_or_else(|| PlatformError::NotConnected(shop_id.clone()))?;
        let credentials = self
            .store
            .credentials_for_shop(shop_id)
            .await?
            .ok_or_else(|| PlatformError::NotConnected(shop_id.clone()))?;
        let now = self.clock.now();
        if !shopcare_tiktok::token::needs_refresh(
            credentials.access_token_expires_at,
            now,
            self.refresh_margin,
        ) {
            return Ok(ShopAccess {
                shop,
                access_token: credentials.access_token,
            });
        }
        let tokens = self
            .client
            .refresh_access_token(&credentials.refresh_token)
            .await?;
        let refreshed = credentials_from(&tokens, credentials.shop_ids.clone());
        self.store.save_seller_credentials(&refreshed).await?;
        tracing::info!(shop = %shop_id, "refreshed the access token");
        Ok(ShopAccess {
            shop,
            access_token: refreshed.access_token,
        })
    }
}

fn credentials_from(tokens: &TokenSet, shop_ids: Vec<ShopId>) -> SellerCredentials {
    SellerCredentials {
        open_id: tokens.open_id.clone(),
        seller_name: tokens.seller_name.clone(),
        base_region: tokens.seller_base_region.clone(),
        access_token: tokens.access_token.clone(),
        access_token_expires_at: tokens.access_expires_at,
        refresh_token: tokens.refresh_token.clone(),
        // The platform does not always state it; treat an unknown lifetime as a year.
        refresh_token_expires_at: tokens
            .refresh_expires_at
            .unwrap_or(tokens.access_expires_at + chrono::Duration::days(365)),
        shop_ids,
    }
}
