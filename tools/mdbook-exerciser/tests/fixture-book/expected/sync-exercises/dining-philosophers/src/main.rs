// Copyright 2024 Google LLC
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

fn main() {
    // Threads.
}
