//! LibraryH3lp shift helper.
//!
//! `core` is pure Rust (no browser, no clock, no I/O) and holds every rule of the
//! shift procedure; it is tested natively with `cargo test`. Everything else is the
//! thin wasm layer that reads the page, calls the core once per batch and shows the
//! result.

// A single-module build (`--features content`, `worker`, `popup` or `options`) leaves
// the others' code unused.
#![cfg_attr(
    not(all(
        feature = "content",
        feature = "worker",
        feature = "popup",
        feature = "options"
    )),
    allow(dead_code, unused_imports)
)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ext;
#[cfg(target_arch = "wasm32")]
pub mod features;
#[cfg(target_arch = "wasm32")]
pub mod page;

#[cfg(target_arch = "wasm32")]
mod background;
#[cfg(target_arch = "wasm32")]
mod content;
#[cfg(target_arch = "wasm32")]
mod entry;
#[cfg(all(target_arch = "wasm32", feature = "fault-injection"))]
mod fault;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
mod watchdog;
