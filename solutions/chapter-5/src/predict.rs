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
    // ANSWER: ("Rc<i32>", None, None),
    // ANSWER: ("Arc<i32>", None, None),
    // ANSWER: ("Arc<Cell<i32>>", None, None),
    // ANSWER: ("Arc<Mutex<Cell<i32>>>", None, None),
    // ANSWER: ("Arc<Mutex<Rc<i32>>>", None, None),
    ("Rc<i32>", Some(false), Some(false)),
    ("Arc<i32>", Some(true), Some(true)),
    ("Arc<Cell<i32>>", Some(false), Some(false)),
    ("Arc<Mutex<Cell<i32>>>", Some(true), Some(true)),
    ("Arc<Mutex<Rc<i32>>>", Some(false), Some(false)),
    // END ANSWER
    // Cells and references
    // ANSWER: ("Cell<i32>", None, None),
    // ANSWER: ("&RefCell<i32>", None, None),
    // ANSWER: ("&mut RefCell<i32>", None, None),
    // ANSWER: ("&Mutex<Cell<i32>>", None, None),
    ("Cell<i32>", Some(true), Some(false)),
    ("&RefCell<i32>", Some(false), Some(false)),
    ("&mut RefCell<i32>", Some(true), Some(false)),
    ("&Mutex<Cell<i32>>", Some(true), Some(true)),
    // END ANSWER
    // Locks and guards
    // ANSWER: ("Mutex<Cell<i32>>", None, None),
    // ANSWER: ("RwLock<Cell<i32>>", None, None),
    // ANSWER: ("MutexGuard<'_, i32>", None, None),
    // ANSWER: ("MutexGuard<'_, Cell<i32>>", None, None),
    ("Mutex<Cell<i32>>", Some(true), Some(true)),
    ("RwLock<Cell<i32>>", Some(true), Some(false)),
    ("MutexGuard<'_, i32>", Some(false), Some(true)),
    ("MutexGuard<'_, Cell<i32>>", Some(false), Some(false)),
    // END ANSWER
    // Channels and pointers
    // ANSWER: ("mpsc::Sender<i32>", None, None),
    // ANSWER: ("mpsc::Receiver<i32>", None, None),
    // ANSWER: ("*const u8", None, None),
    // ANSWER: ("Box<Cell<i32>>", None, None),
    ("mpsc::Sender<i32>", Some(true), Some(true)),
    ("mpsc::Receiver<i32>", Some(true), Some(false)),
    ("*const u8", Some(false), Some(false)),
    ("Box<Cell<i32>>", Some(true), Some(false)),
    // END ANSWER
];
