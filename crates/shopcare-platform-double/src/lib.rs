//! A local, faithful stand-in for the TikTok Shop Partner API (reference §5–§7, §10).
//!
//! - [`world`]: a deterministic world of shops, products, orders, packages, returns,
//!   cancellations, chats and reviews, generated from a seed in compact structs;
//! - [`files`]: the same world written as `shops.json`, `orders.jsonl`, `reviews.csv`, ...;
//! - [`server`]: the signed HTTP API, token host, webhook sender, fault knobs and
//!   `/_double/` control routes for tests;
//! - [`phrases`]: the multilingual texts (product titles, reviews, chat messages).
//!
//! Invariant: this crate renders platform-shaped JSON itself and never uses
//! `shopcare-tiktok`'s DTOs, so it can catch mistakes in them. It only borrows the
//! signing functions, which are checked against the official vectors.

pub mod files;
pub mod phrases;
pub mod server;
pub mod world;

pub use files::write_files;
pub use server::{serve, DoubleConfig, DoubleHandle, Faults, PlatformDouble, WebhookConfig};

pub use world::{World, WorldConfig};
