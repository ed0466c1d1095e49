//! Who is asking, and which shops they may see. The console's session layer puts a
//! [`Viewer`] into each request's extensions; every handler that touches shop data
//! takes it and filters by it, so an operator never sees a shop not assigned to them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use shopcare_core::ShopId;
use std::collections::BTreeSet;

use crate::error::HttpError;

/// The shops a user may see and act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShopScope {
    /// Owners: every shop.
    All,
    /// Operators: the shops assigned to them.
    Only(BTreeSet<ShopId>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub username: String,
    pub scope: ShopScope,
}

impl Viewer {
    pub fn can_see(&self, shop_id: &ShopId) -> bool {
        match &self.scope {
            ShopScope::All => true,
            ShopScope::Only(shops) => shops.contains(shop_id),
        }
    }

    /// `None` for all shops, else the permitted ones: the filter to pass to the store.
    pub fn shop_filter(&self) -> Option<Vec<ShopId>> {
        match &self.scope {
            ShopScope::All => None,
            ShopScope::Only(shops) => Some(shops.iter().cloned().collect()),
        }
    }

    /// 404 (not 403) for a shop the viewer may not see, so its existence does not leak.
    pub fn require_shop(&self, shop_id: &ShopId) -> Result<(), HttpError> {
        if self.can_see(shop_id) {
            Ok(())
        } else {
            Err(HttpError::not_found("no such shop"))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Viewer>().cloned().ok_or_else(|| {
            HttpError::new(StatusCode::UNAUTHORIZED, "not_signed_in", "sign in first")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_see_only_their_shops() {
        let operator = Viewer {
            username: "ops".to_owned(),
            scope: ShopScope::Only([ShopId::new("1")].into_iter().collect()),
        };
        assert!(operator.can_see(&ShopId::new("1")));
        assert!(!operator.can_see(&ShopId::new("2")));
        assert!(operator.require_shop(&ShopId::new("2")).is_err());
        assert_eq!(operator.shop_filter(), Some(vec![ShopId::new("1")]));
        let owner = Viewer {
            username: "boss".to_owned(),
            scope: ShopScope::All,
        };
        assert!(owner.can_see(&ShopId::new("2")));
        assert_eq!(owner.shop_filter(), None);
    }
}
