// Copyright 2023 Google LLC
// SPDX-License-Identifier: Apache-2.0

#![no_main]
#![no_std]

fn main() {
    # not hidden: a line that starts with `#`
    // TODO
}
