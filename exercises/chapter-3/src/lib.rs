//! Chapter 3: Message passing. One module per exercise; the tests are in `tests/`.

pub mod bounded;
pub mod drain;
pub mod fan_in;
pub mod pipeline;
pub mod service;
