//! Predict the traits (book: 5.8.1).
//!
//! For each type below, say whether it is `Send` and whether it is `Sync`:
//! replace every `None` with `Some(true)` or `Some(false)`. Work each one out
//! from the rules before you run the tests. The tests ask the compiler, and
//! for every wrong answer they show the rule that decides it.

/// `(type, is it Send?, is it Sync?)`. `None` means "not answered yet".
/// The tests find your answers by the type, so leave the names as they are.
pub const PREDICTIONS: &[(&str, Option<bool>, Option<bool>)] = &[
    // Reference counting
    ("Rc<i32>", None, None),
    ("Arc<i32>", None, None),
    ("Arc<Cell<i32>>", None, None),
    ("Arc<Mutex<Cell<i32>>>", None, None),
    ("Arc<Mutex<Rc<i32>>>", None, None),
    // Cells and references
    ("Cell<i32>", None, None),
    ("&RefCell<i32>", None, None),
    ("&mut RefCell<i32>", None, None),
    ("&Mutex<Cell<i32>>", None, None),
    // Locks and guards
    ("Mutex<Cell<i32>>", None, None),
    ("RwLock<Cell<i32>>", None, None),
    ("MutexGuard<'_, i32>", None, None),
    ("MutexGuard<'_, Cell<i32>>", None, None),
    // Channels and pointers
    ("mpsc::Sender<i32>", None, None),
    ("mpsc::Receiver<i32>", None, None),
    ("*const u8", None, None),
    ("Box<Cell<i32>>", None, None),
];
