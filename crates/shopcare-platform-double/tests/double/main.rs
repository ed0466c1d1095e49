//! Integration tests of the platform double: gateway checks, pagination, writes,
//! webhooks, faults, world realism and files. One test binary, one harness.

mod checks;
mod files;
mod harness;
mod pagination;
mod python_client;
mod webhooks;
mod world;
mod writes;
