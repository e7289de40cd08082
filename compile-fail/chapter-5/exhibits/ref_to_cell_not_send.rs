// `&T` is Send exactly when `T` is Sync: here the compiler explains why a
// reference to a Cell cannot be sent.
use std::cell::Cell;

fn assert_send<T: Send>() {}

fn main() {
    assert_send::<Cell<i32>>(); // fine: a Cell may move to another thread
    assert_send::<&Cell<i32>>(); // a reference to one may not
}
