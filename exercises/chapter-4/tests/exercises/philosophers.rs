//! The contract of `dine`, sentence by sentence, with the tests that check
//! each sentence:
//!
//! - "Seats one philosopher at each seat of `table`, each on a thread of its own, all at the table at once.": every_philosopher_has_a_thread_of_their_own, no_deadlock_when_everyone_reaches_at_once, two_philosophers_two_forks, a_long_dinner_at_a_big_table
//! - "Philosopher `i` eats with forks `i` and `(i + 1) % seats`: `meals` times, it picks up both, calls `eat(i)` while holding them, and puts them down.": everyone_eats_every_meal_holding_both_forks, forks_are_put_down_after_every_meal, tables_of_every_size_and_few_meals
//! - "Returns when everyone has eaten; if a philosopher panicked, panics with its payload.": dine_returns_only_when_everyone_has_eaten, a_philosopher_who_panics_stops_the_dinner

use crate::chapter_4::philosophers::{ForkEvent, Table, dine};
use crate::common::{BlockedWatch, Locks, Step, lock_diagnosis, share, shared};
use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;
use test_support::watchdog_diagnosed;

const SECTION: &str = "book: 4.9.5 Dinner without deadlock";

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

/// How far the dinner under way has got, for the diagnosis of a hang.
#[derive(Default)]
struct Progress {
    seats: AtomicUsize,
    meals: AtomicUsize,
    eaten: AtomicUsize,
}

/// The watchdog's diagnosis of a hang: what the table's observer saw, and
/// the cause that it points to.
fn stuck() -> String {
    let d = lock_diagnosis("fork");
    let table = match shared::<Progress>() {
        Some(p) => {
            let (seats, meals) = (
                p.seats.load(Ordering::SeqCst),
                p.meals.load(Ordering::SeqCst),
            );
            format!(
                "At a table of {seats} seats, {meals} meals each ({} in all): {} eaten so far. ",
                seats * meals,
                p.eaten.load(Ordering::SeqCst)
            )
        }
        None => String::new(),
    };
    let seen = format!("{table}The table's observer saw: {}.\n", d.seen);
    let cause = if let Some((who, fork)) = &d.self_wait {
        format!(
            "{who} waits for fork {fork}, which it holds itself: a philosopher picked \
             up the same fork twice. Philosopher i's forks are i and (i + 1) % seats, \
             two different forks (book: 4.8 The dining philosophers)."
        )
    } else if let Some(circle) = &d.circle {
        format!(
            "That is a circle of waiting ({} -> back to the first): each philosopher \
             holds one fork and waits for (or keeps trying) the next one's, forever. The \
             test makes every philosopher pick up a first fork before anyone picks up a \
             second, so if everyone reaches for the same side first (or the one who \
             reaches the other way is a seat number written into the code, which is not \
             there at every table size), the circle closes on every run. Pick up the \
             lower-numbered of the two forks first: at any table size, that turns the \
             last seat around; or put the first fork down when the second is taken \
             (book: 4.8 The dining philosophers).",
            circle.join(" -> ")
        )
    } else if d.silent > 0 {
        format!(
            "{} of the {} philosophers reached for a fork; the other {} never \
             asked for one, and the test holds each philosopher after their first fork \
             until everyone has one. Two causes are possible. Either the others were \
             never started: dine joins each philosopher before seating the next (spawn \
             every philosopher first, then join them all). Or they are blocked on a lock \
             that is not a fork, such as a waiter or a lock round the table: take no \
             lock but the forks. If dine's loop joins the thread it has just spawned, it \
             is the first; if you added a lock of your own, the second \
             (book: 4.8 The dining philosophers).",
            d.reported, d.participants, d.silent
        )
    } else {
        "No circle of waiting is visible: a philosopher that never puts a fork \
         down, a loop that never ends, or dine waiting for something other than its \
         philosophers (book: 4.8 The dining philosophers)."
            .to_owned()
    };
    format!("{seen}{cause}")
}

/// What the test saw at the table.
#[derive(Default)]
struct Dinner {
    meals: HashMap<usize, usize>,
    threads: HashMap<usize, HashSet<ThreadId>>,
    /// For each philosopher, the length of the fork log at each meal.
    at: HashMap<usize, Vec<usize>>,
    problems: Vec<String>,
    log: Vec<(ThreadId, Step)>,
}

/// Runs `dine` on a watched table and checks every meal as it happens:
/// philosopher `i` must hold forks `i` and `i + 1` while eating.
fn watched_dinner(seats: usize, meals: usize, locks: Arc<Locks>) -> Dinner {
    let progress = share(Progress::default());
    progress.seats.store(seats, Ordering::SeqCst);
    progress.meals.store(meals, Ordering::SeqCst);
    let table = watched_table(seats, &locks);
    let seen = Arc::new(Mutex::new(Dinner::default()));
    let record = Arc::clone(&seen);
    let observer = Arc::clone(&locks);
    let eat = move |i: usize| {
        let me = thread::current().id();
        let forks = [i, (i + 1) % seats];
        let mut dinner = record.lock().unwrap();
        *dinner.meals.entry(i).or_insert(0) += 1;
        dinner.threads.entry(i).or_default().insert(me);
        let now = observer.log_len();
        dinner.at.entry(i).or_default().push(now);
        for fork in forks {
            if observer.holder(fork) != Some(me) {
                dinner.problems.push(format!(
                    "philosopher {i} ate without holding fork {fork}: eat(i) must be \
                     called while both forks {forks:?} are held, picked up with \
                     Table::pick_up or Table::try_pick_up and kept in a named variable \
                     until eat returns (`let _ = ...` puts the fork down at once) ({SECTION})"
                ));
            }
        }
        progress.eaten.fetch_add(1, Ordering::SeqCst);
    };
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| dine(table, meals, eat))) {
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        panic!(
            "at a table of {seats} seats, {meals} meals each, dine panicked ({text}), though \
             no philosopher's eat did: dine must work at tables of any size from 2 seats \
             up, with the forks of table.seats(), not of a number written into the code \
             ({SECTION})"
        );
    }
    let mut dinner = Arc::try_unwrap(seen)
        .ok()
        .expect("dine must not keep `eat` after it returns: join every philosopher")
        .into_inner()
        .unwrap();
    dinner.log = locks.log();
    dinner
}

fn check_meals(dinner: &Dinner, seats: usize, meals: usize) {
    if let Some(problem) = dinner.problems.first() {
        panic!("{problem}");
    }
    for i in 0..seats {
        let eaten = dinner.meals.get(&i).copied().unwrap_or(0);
        assert_eq!(
            eaten, meals,
            "at a table of {seats} seats, philosopher {i} ate {eaten} times instead of \
             {meals}: dine must return only when everyone has eaten every meal ({SECTION})"
        );
    }
}

/// Between two meals, a philosopher puts both forks down and picks them up
/// again.
fn check_forks_put_down(dinner: &Dinner, seats: usize) {
    for i in 0..seats {
        let Some(at) = dinner.at.get(&i) else {
            continue;
        };
        let Some(&thread) = dinner.threads.get(&i).and_then(|t| t.iter().next()) else {
            continue;
        };
        for (k, pair) in at.windows(2).enumerate() {
            let between = &dinner.log[pair[0]..pair[1]];
            for fork in [i, (i + 1) % seats] {
                let put_down = between.contains(&(thread, Step::Released(fork)));
                let picked_up = between.contains(&(thread, Step::Holding(fork)));
                assert!(
                    put_down && picked_up,
                    "philosopher {i} ate meal {} and meal {} without putting fork {fork} \
                     down and picking it up again in between. Each meal picks up both \
                     forks, eats, and puts them down, so the neighbours get a turn: pick \
                     the forks up inside the loop over the meals, in variables that are \
                     dropped at the end of each meal ({SECTION})",
                    k + 1,
                    k + 2
                );
            }
        }
    }
}

#[test]
fn everyone_eats_every_meal_holding_both_forks() {
    watchdog_diagnosed(stuck, || {
        let (seats, meals) = (5, 50);
        let dinner = watched_dinner(seats, meals, Locks::watching());
        check_meals(&dinner, seats, meals);
    });
}

#[test]
fn forks_are_put_down_after_every_meal() {
    watchdog_diagnosed(stuck, || {
        let (seats, meals) = (3, 4);
        let dinner = watched_dinner(seats, meals, Locks::watching());
        check_meals(&dinner, seats, meals);
        check_forks_put_down(&dinner, seats);
    });
}

#[test]
fn every_philosopher_has_a_thread_of_their_own() {
    watchdog_diagnosed(stuck, || {
        let seats = 4;
        let caller = thread::current().id();
        let dinner = watched_dinner(seats, 3, Locks::watching());
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

/// Tables of every size from 2 to 8 seats, with everyone made to reach for a
/// first fork before anyone reaches for a second.
#[test]
fn no_deadlock_when_everyone_reaches_at_once() {
    watchdog_diagnosed(stuck, || {
        for seats in 2..=8 {
            let meals = 10;
            let dinner = watched_dinner(seats, meals, Locks::gated(seats));
            check_meals(&dinner, seats, meals);
        }
    });
}

#[test]
fn two_philosophers_two_forks() {
    watchdog_diagnosed(stuck, || {
        let (seats, meals) = (2, 20);
        let dinner = watched_dinner(seats, meals, Locks::gated(seats));
        check_meals(&dinner, seats, meals);
    });
}

#[test]
fn a_long_dinner_at_a_big_table() {
    watchdog_diagnosed(stuck, || {
        let (seats, meals) = (9, 200);
        let dinner = watched_dinner(seats, meals, Locks::gated(seats));
        check_meals(&dinner, seats, meals);
    });
}

/// No meal, one meal, two meals, at small tables: every philosopher eats
/// exactly that many times, and puts the forks down in between.
#[test]
fn tables_of_every_size_and_few_meals() {
    watchdog_diagnosed(stuck, || {
        for seats in 2..=4 {
            for meals in 0..=2 {
                let dinner = watched_dinner(seats, meals, Locks::watching());
                check_meals(&dinner, seats, meals);
                check_forks_put_down(&dinner, seats);
            }
        }
    });
}

#[test]
fn a_philosopher_who_panics_stops_the_dinner() {
    watchdog_diagnosed(stuck, || {
        let (seats, meals) = (5, 3);
        let table = watched_table(seats, &Locks::watching());
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            dine(table, meals, |i| {
                if i == 2 {
                    panic!("philosopher 2 choked");
                }
            })
        }));
        let Err(payload) = outcome else {
            panic!(
                "dine returned normally although philosopher 2 panicked while eating: \
                 join every philosopher, and when a join returns Err, pass its payload \
                 on with std::panic::resume_unwind; `let _ = handle.join()` throws the \
                 panic away (book: 1.5 When a thread panics)"
            );
        };
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned());
        // Philosopher 2 panicked holding forks 2 and 3, which poisons them,
        // so the neighbours who pick them up panic too (Table::pick_up says
        // so): any of these payloads is a philosopher's own.
        let own = text.as_deref().is_some_and(|t| {
            t == "philosopher 2 choked" || t.starts_with("a philosopher panicked holding a fork")
        });
        assert!(
            own,
            "dine panicked with {text:?}, not with the payload of a philosopher's panic \
             (\"philosopher 2 choked\", or a neighbour's \"a philosopher panicked holding \
             a fork\"): pass the Err of join on unchanged with \
             std::panic::resume_unwind, not with unwrap or a panic of your own \
             (book: 1.5 When a thread panics)"
        );
    });
}

/// Each philosopher here eats only once the caller is blocked (in a join,
/// say) or dine has returned: so if dine returns while a philosopher is
/// still at the table, the philosopher sees it, on every run.
#[test]
fn dine_returns_only_when_everyone_has_eaten() {
    watchdog_diagnosed(stuck, || {
        let (seats, meals) = (3, 2);
        let caller = BlockedWatch::current();
        let returned = Arc::new(AtomicBool::new(false));
        let early = Arc::new(AtomicUsize::new(0));
        let table = watched_table(seats, &Locks::watching());
        let decided = Arc::new(AtomicUsize::new(0));
        let (r, e, d) = (
            Arc::clone(&returned),
            Arc::clone(&early),
            Arc::clone(&decided),
        );
        dine(table, meals, move |_| {
            caller.wait_until_blocked_unless(Duration::from_secs(1), || r.load(Ordering::SeqCst));
            if r.load(Ordering::SeqCst) {
                e.fetch_add(1, Ordering::SeqCst);
            }
            d.fetch_add(1, Ordering::SeqCst);
        });
        returned.store(true, Ordering::SeqCst);
        // Philosophers still eating now see `returned`; wait for their verdict.
        let since = std::time::Instant::now();
        while decided.load(Ordering::SeqCst) < seats * meals
            && since.elapsed() < Duration::from_secs(1)
        {
            thread::yield_now();
        }
        assert_eq!(
            early.load(Ordering::SeqCst),
            0,
            "dine returned while philosophers were still eating: it must return only \
             when everyone has eaten. Keep every JoinHandle and join them all before \
             returning (book: 1.4 Waiting for a thread)"
        );
    });
}
