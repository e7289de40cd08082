// Copyright 2024 Google LLC
use tokio::sync::Mutex;

#[tokio::main]
async fn main() {
    // Tasks.
}
