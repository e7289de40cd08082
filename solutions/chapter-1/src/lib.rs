//! Chapter 1: Threads. Reference solutions.

pub mod panics;
pub mod parallel_sum;
pub mod spawn_all;
