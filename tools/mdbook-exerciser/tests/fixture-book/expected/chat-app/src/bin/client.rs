// Copyright 2024 Google LLC
fn main() {
    // Connect.
}
