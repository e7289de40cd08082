use crate::chapter_4::philosophers::{ForkEvent, Table, dine};
use crate::common::{Locks, Step};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use test_support::watchdog;

const SECTION: &str = "book: 4.9.5 Dinner without deadlock";
const CIRCLE: &str = "the philosophers are stuck. Here every philosopher is made \
     to pick up a first fork before anyone picks up a second, so if everyone \
     reaches for the left fork first, each one holds a fork and waits for a \
     neighbour's forever. Pick up the two forks in one global order (the \
     lower-numbered fork first), or put the first fork down when the second is \
     taken. Also: seat every philosopher before joining any, and take no lock \
     but the forks (book: 4.8 The dining philosophers).";

/// A table whose every fork event goes to `locks`.
fn watched_table(seats: usize, locks: &Arc<Locks>) -> Arc<Table> {
    let locks = Arc::clone(locks);
    Arc::new(Table::with_observer(seats, move |event| {
        locks.report(match event {
            ForkEvent::Waiting(id) => Step::Waiting(id),
            ForkEvent::Holding(id) => Step::Holding(id),
            ForkEvent::Missed(id) => Step::Missed(id),
            ForkEvent::Released(id) => Step::Released(id),
        })
    }))
}

/// What the test saw at the table.
#[derive(Default)]
struct Dinner {
    meals: HashMap<usize, usize>,
    threads: HashMap<usize, HashSet<ThreadId>>,
    problems: Vec<String>,
}

/// Runs `dine` on a watched table and checks every meal as it happens:
/// philosopher `i` must hold forks `i` and `i + 1` while eating.
fn watched_dinner(seats: usize, meals: usize, locks: Arc<Locks>) -> Dinner {
    let table = watched_table(seats, &locks);
    let seen = Arc::new(Mutex::new(Dinner::default()));
    let record = Arc::clone(&seen);
    dine(table, meals, move |i| {
        let me = thread::current().id();
        let forks = [i, (i + 1) % seats];
        let mut dinner = record.lock().unwrap();
        *dinner.meals.entry(i).or_insert(0) += 1;
        dinner.threads.entry(i).or_default().insert(me);
        for fork in forks {
            if locks.holder(fork) != Some(me) {
                dinner.problems.push(format!(
                    "philosopher {i} ate without holding fork {fork}: eat(i) must be \
                     called while both forks {forks:?} are held, picked up with \
                     Table::pick_up or Table::try_pick_up ({SECTION})"
                ));
            }
        }
    });
    Arc::try_unwrap(seen)
        .ok()
        .expect("dine must not keep `eat` after it returns: join every philosopher")
        .into_inner()
        .unwrap()
}

fn check_meals(dinner: &Dinner, seats: usize, meals: usize) {
    if let Some(problem) = dinner.problems.first() {
        panic!("{problem}");
    }
    for i in 0..seats {
        let eaten = dinner.meals.get(&i).copied().unwrap_or(0);
        assert_eq!(
            eaten, meals,
            "philosopher {i} ate {eaten} times instead of {meals}: dine must return \
             only when everyone has eaten every meal ({SECTION})"
        );
    }
}

#[test]
fn everyone_eats_every_meal_holding_both_forks() {
    watchdog(CIRCLE, || {
        let (seats, meals) = (5, 50);
        let dinner = watched_dinner(seats, meals, Arc::new(Locks::watching()));
        check_meals(&dinner, seats, meals);
    });
}

#[test]
fn every_philosopher_has_a_thread_of_their_own() {
    watchdog(CIRCLE, || {
        let seats = 4;
        let caller = thread::current().id();
        let dinner = watched_dinner(seats, 3, Arc::new(Locks::watching()));
        let mut all = HashSet::new();
        for i in 0..seats {
            let threads = dinner.threads.get(&i).cloned().unwrap_or_default();
            assert_eq!(
                threads.len(),
                1,
                "philosopher {i} must eat every meal on one thread, their own ({SECTION})"
            );
            all.extend(threads);
        }
        assert!(
            !all.contains(&caller),
            "the philosophers must not eat on the thread that called dine ({SECTION})"
        );
        assert_eq!(
            all.len(),
            seats,
            "every philosopher needs a thread of their own ({SECTION})"
        );
    });
}

#[test]
fn no_deadlock_when_everyone_reaches_at_once() {
    watchdog(CIRCLE, || {
        let (seats, meals) = (5, 20);
        let dinner = watched_dinner(seats, meals, Arc::new(Locks::gated(seats)));
        check_meals(&dinner, seats, meals);
    });
}

#[test]
fn two_philosophers_two_forks() {
    watchdog(CIRCLE, || {
        let (seats, meals) = (2, 20);
        let dinner = watched_dinner(seats, meals, Arc::new(Locks::gated(seats)));
        check_meals(&dinner, seats, meals);
    });
}

#[test]
fn a_long_dinner_at_a_big_table() {
    watchdog(CIRCLE, || {
        let (seats, meals) = (9, 200);
        let dinner = watched_dinner(seats, meals, Arc::new(Locks::gated(seats)));
        check_meals(&dinner, seats, meals);
    });
}
