//! shopcare's use-cases and HTTP server: syncing shops from the Partner API, receiving
//! webhooks, importing files, running durable jobs, and serving the JSON API.
//!
//! Depends inward on `shopcare-core` (rules), `shopcare-store` (persistence) and
//! `shopcare-tiktok` (the platform); never the reverse.

pub mod access;
pub mod alert_delivery;
pub mod alert_digest;
pub mod alerts;
pub mod app;
pub mod case_jobs;
pub mod cases;
pub mod cases_api;
pub mod clock;
pub mod console;
pub mod error;
pub mod import;
pub mod jobs;
pub mod metrics;
pub mod page_writer;
pub mod platform;
pub mod review_inbox;
pub mod reviews;
pub mod service;
pub mod support;
pub mod support_api;
pub mod support_jobs;
pub mod sync;
pub mod sync_job;
pub mod text_api;
pub mod timeline;
pub mod timeline_jobs;
pub mod webhook;
pub mod webhook_processor;
