//! Chapter 4: Shared state. Reference solutions.

pub mod bank;
pub mod cache;
pub mod philosophers;
pub mod poison;
pub mod stats;
