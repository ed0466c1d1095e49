//! Product reviews. They are not in the Partner API: they arrive from Seller Center
//! exports, typing/pasting and analytics endpoints, all feeding the same store.

use super::{OrderId, ProductId, ReviewId, ShopId, SkuId, Timestamp};

/// A star rating, 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rating(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rating {0} is outside 1–5")]
pub struct RatingError(pub i64);

impl Rating {
    pub fn new(stars: i64) -> Result<Self, RatingError> {
        if (1..=5).contains(&stars) {
            Ok(Self(stars as u8))
        } else {
            Err(RatingError(stars))
        }
    }

    pub fn stars(self) -> u8 {
        self.0
    }

    /// 1–2 stars: the platform's definition of a negative review.
    pub fn is_negative(self) -> bool {
        self.0 <= 2
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: ReviewId,
    pub shop_id: ShopId,
    pub order_id: Option<OrderId>,
    pub product_id: Option<ProductId>,
    pub sku_id: Option<SkuId>,
    pub rating: Rating,
    pub text: String,
    pub created_at: Timestamp,
    /// Where it came from (`csv`, `xlsx`, `manual`, `api`), for the audit trail.
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_bounded_and_negative_means_one_or_two_stars() {
        assert!(Rating::new(0).is_err());
        assert!(Rating::new(6).is_err());
        assert!(Rating::new(2).unwrap().is_negative());
        assert!(!Rating::new(3).unwrap().is_negative());
    }
}
