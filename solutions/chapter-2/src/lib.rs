//! Chapter 2: Ownership across threads. One module per exercise; the tests are in `tests/`.

pub mod background;
pub mod count_matches;
pub mod rows;
