//! The domain model: shops, orders, packages, after-sales cases, cancellations,
//! chats, reviews and products, as shopcare understands them (not as any wire
//! format spells them; connectors convert at the edge).

mod after_sales;
mod chat;
mod ids;
mod money;
mod order;
mod platform_enum;
mod product;
mod review;
mod shop;

pub use after_sales::*;
pub use chat::*;
pub use ids::*;
pub use money::*;
pub use order::*;
pub use product::*;
pub use review::*;
pub use shop::*;

/// A UTC instant. Calendars (days, weeks, deadlines) are computed in the shop's time zone.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
