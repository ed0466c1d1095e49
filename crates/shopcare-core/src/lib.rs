//! shopcare's domain core: the model every other crate speaks, and the engines
//! (classification, compliance, deadlines, metrics) that decide things from it.
//!
//! Invariant: this crate does no I/O — no files, no network, no clock. Callers pass
//! `now` in. That keeps every rule testable with plain values and reusable anywhere.

pub mod aftersales;
pub mod classify;
pub mod compliance;
pub mod metrics;
pub mod model;
pub mod support;
pub mod timeline;

pub use model::*;
