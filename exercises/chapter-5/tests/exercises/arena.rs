use crate::chapter_5::arena::Arena;
use crate::common::{NotSend, compiles, is_send, is_sync, on_another_thread};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, ThreadId};
use std::time::Duration;
use test_support::{watchdog, watchdog_for};

const SECTION: &str = "book: 5.8.3 An arena that moves";
const STUCK: &str = "these tests wait only for one thread that uses the arena; does the \
                     arena block somewhere? (book: 5.8.3 An arena that moves)";

fn not_send<T>(NotSend(ty): NotSend) -> T {
    panic!(
        "\n{ty} is not Send, so the test cannot move it to another thread. An Arena owns \
         its values as a Vec does; promise that with an `unsafe impl` of Send, for the \
         value types where that is sound, and say why in a // SAFETY: comment \
         (book: 5.6 Promising with unsafe impl). If you have promised it, your bound asks \
         more of T than `T: Send`.\n"
    )
}

/// A value type that is `Send`, and nothing else: not `Sync`, `Clone`,
/// `Copy`, `Default` or `Unpin`.
#[allow(dead_code)]
struct OnlySend(Cell<u8>, std::marker::PhantomPinned);

/// A program that moves an arena of borrowed values to a scoped thread. It
/// compiles exactly when `Arena<&'a str>` is `Send` for a borrow `'a` that
/// is not `'static`.
const BORROWED_VALUES_MOVE: &str = r#"
use chapter_5::arena::Arena;
use std::thread;

fn main() {
    let text = String::from("borrowed words");
    let (first, second) = text.split_at(8);
    let arena: Arena<&str> = Arena::with_capacity(2);
    arena.alloc(first).unwrap();
    let arena = thread::scope(|s| {
        s.spawn(move || {
            arena.alloc(second.trim()).unwrap();
            arena
        })
        .join()
        .unwrap()
    });
    assert_eq!(arena.into_vec(), ["borrowed", "words"]);
}
"#;

#[test]
fn moves_to_another_thread_and_keeps_its_values() {
    watchdog(STUCK, || {
        let arena = Arena::with_capacity(4);
        assert!(
            arena.is_empty() && arena.capacity() == 4,
            "a new arena is empty, with room for 4 ({SECTION})"
        );
        arena.alloc(String::from("one")).expect("room for 4");
        assert!(
            !arena.is_empty(),
            "an arena with a value is not empty ({SECTION})"
        );
        arena
            .alloc(String::from("two"))
            .expect("room for 4")
            .push('!');
        let here = thread::current().id();

        let (arena, there) = on_another_thread!(arena, |arena: Arena<String>| {
            let slot = arena.alloc(String::from("three")).expect("room for 4");
            slot.push_str(" (there)");
            (arena, thread::current().id())
        })
        .unwrap_or_else(not_send);

        assert_ne!(
            here, there,
            "the arena must have moved to another thread ({SECTION})"
        );
        assert_eq!(arena.len(), 3, "{SECTION}");
        assert_eq!(
            arena.into_vec(),
            ["one", "two!", "three (there)"],
            "the values must travel with the arena ({SECTION})"
        );
    });
}

/// Records the thread that drops it.
struct Noisy(Arc<Mutex<Vec<ThreadId>>>);

impl Drop for Noisy {
    fn drop(&mut self) {
        self.0.lock().unwrap().push(thread::current().id());
    }
}

#[test]
fn values_are_dropped_once_where_the_arena_is_dropped() {
    watchdog(STUCK, || {
        let drops = Arc::new(Mutex::new(Vec::new()));
        let arena = Arena::with_capacity(8);
        for _ in 0..5 {
            assert!(arena.alloc(Noisy(Arc::clone(&drops))).is_ok(), "room for 8");
        }
        let dropper = on_another_thread!(arena, |arena: Arena<Noisy>| {
            drop(arena);
            thread::current().id()
        })
        .unwrap_or_else(not_send);

        let drops = drops.lock().unwrap();
        assert_eq!(
            drops.len(),
            5,
            "every value in the arena must be dropped exactly once ({SECTION})"
        );
        assert!(
            drops.iter().all(|id| *id == dropper),
            "the values must be dropped on the thread that dropped the arena ({SECTION})"
        );
    });
}

#[test]
fn send_exactly_when_sound_and_never_sync() {
    watchdog(STUCK, || {
        let mut problems = Vec::new();
        if !is_send!(Arena<i32>) {
            problems.push(
                "Arena<i32> must be Send: it owns its i32s, as a Vec<i32> does. Promise Send \
                 with an `unsafe impl` (book: 5.6 Promising with unsafe impl).",
            );
        }
        if is_send!(Arena<Rc<i32>>) || is_send!(Arena<MutexGuard<'static, i32>>) {
            problems.push(
                "Arena<Rc<i32>> must not be Send: a clone of an Rc in the arena may stay on \
                 this thread, and both would change one plain count. Your `unsafe impl Send` \
                 must hold only for the value types that may move: put a bound on T.",
            );
        }
        if !is_send!(Arena<Cell<i32>>) {
            problems.push(
                "Arena<Cell<i32>> must be Send, as Vec<Cell<i32>> is: moving the arena moves \
                 its Cells, and a Cell may move. Sending needs T: Send, not T: Sync.",
            );
        } else if !is_send!(Arena<OnlySend>) {
            problems.push(
                "Arena<T> must be Send for every T that is Send, even one that is not Clone, \
                 Copy, Default or Unpin: moving the arena moves its values, and needs nothing \
                 more of them. Your bound asks for more than T: Send.",
            );
        }
        if is_sync!(Arena<i32>) || is_sync!(Arena<AtomicUsize>) {
            problems.push(
                "Arena must not be Sync: alloc takes &self and updates len with no \
                 synchronisation, so two threads sharing &Arena could take the same slot \
                 and both hold a &mut to it. Remove the `unsafe impl Sync`.",
            );
        }
        assert!(
            problems.is_empty(),
            "\n{}\n({SECTION})\n",
            problems.join("\n")
        );
    });
}

/// `compile-fail/chapter-5/tasks/arena/`: sending an `Arena<Rc<i32>>`, or
/// sharing an arena between threads, must not compile. These guard against
/// promising too much, so they already hold on the starter; the test first
/// asks for the promise the exercise is about. Then, the other way round, a
/// program that moves an arena of borrowed values (`Arena<&str>`) to a
/// scoped thread must compile: only the compiler can check a promise for
/// every lifetime. Checking them runs `cargo check`, which may take a few
/// seconds the first time.
#[test]
fn compile_fail_tasks() {
    watchdog_for(
        Duration::from_secs(120),
        "cargo check of the compile-fail tasks did not finish (book: 5.8.3 An arena that moves)",
        || {
            assert!(
                is_send!(Arena<i32>),
                "\nArena<i32> must be Send before its compile-fail tasks are worth checking: \
                 promise Send with an `unsafe impl` (book: 5.6 Promising with unsafe impl).\n"
            );
            if let Err(errors) = compiles("arena", "borrowed_values_move", BORROWED_VALUES_MOVE) {
                panic!(
                    "\nArena<&str> must be Send too: an arena of borrowed values may move to a \
                     scoped thread, as a Vec<&str> may. Sending an arena moves its values, so it \
                     needs `T: Send` and nothing more; a `'static` bound (which `thread::spawn` \
                     asks of its closure, not Send of a type) keeps every arena that borrows \
                     from moving. The compiler, on a program that moves an Arena<&str> to a \
                     scoped thread:\n\n{errors}\n({SECTION})\n"
                );
            }
            test_support::compile_fail_tasks("chapter-5", "arena");
        },
    );
}
