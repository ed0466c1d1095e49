//! shopcare's use-cases and HTTP server: syncing shops from the Partner API, receiving
//! webhooks, importing files, running durable jobs, and serving the JSON API.
//!
//! Depends inward on `shopcare-core` (rules), `shopcare-store` (persistence) and
//! `shopcare-tiktok` (the platform); never the reverse.

pub mod app;
pub mod clock;
pub mod error;
pub mod import;
pub mod jobs;
pub mod platform;
pub mod service;
pub mod sync;
pub mod sync_job;
pub mod text_api;
pub mod webhook;
pub mod webhook_processor;
