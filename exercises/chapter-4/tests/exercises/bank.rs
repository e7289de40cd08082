//! The contract of `Bank::transfer` and `Bank::total`, sentence by
//! sentence, with the tests that check each sentence:
//!
//! - "Moves `amount` from account `from` to account `to`, holding both accounts' locks at once, so no thread ever sees the money in neither account or in both.": a_transfer_moves_money, a_transfer_that_cannot_happen_changes_nothing, accounts_are_numbered_from_zero, a_transfer_to_the_same_account_is_refused, a_transfer_holds_both_accounts_at_once, the_balance_is_checked_under_the_locks_of_the_move
//! - "Never deadlocks, however many threads transfer money in whichever directions.": opposing_transfers_do_not_deadlock, a_ring_of_transfers_does_not_deadlock
//! - "The sum of all balances, as it was at one moment: every account's lock is held at once, taken in the same order as `transfer` takes them.": a_transfer_moves_money, total_takes_every_lock_at_once, total_and_transfers_take_locks_in_the_same_order

use crate::chapter_4::bank::{Bank, LockEvent, TransferError};
use crate::common::{Locks, Step, lock_diagnosis, most_held_at_once};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use test_support::watchdog_diagnosed;

const SECTION: &str = "book: 4.9.2 Transfers without deadlock";

/// A bank whose every lock event goes to `locks`.
fn watched_bank(balances: &[u64], locks: &Arc<Locks>) -> Arc<Bank> {
    let locks = Arc::clone(locks);
    Arc::new(Bank::with_observer(balances, move |event| {
        locks.report(match event {
            LockEvent::Waiting(id) => Step::Waiting(id),
            LockEvent::Holding(id) => Step::Holding(id),
            LockEvent::Missed(id) => Step::Missed(id),
            LockEvent::Released(id) => Step::Released(id),
        })
    }))
}

/// The watchdog's diagnosis of a hang: what the lock observer saw, and the
/// cause that it points to.
fn stuck() -> String {
    let d = lock_diagnosis("account");
    let seen = format!("The lock observer saw: {}.\n", d.seen);
    let cause = if let Some((who, lock)) = &d.self_wait {
        format!(
            "{who} waits for account {lock}, which it holds itself: it locked the same \
             account twice on one thread. A std Mutex never lets a thread in twice, so \
             the second lock never returns. Refuse from == to before locking, and never \
             lock an account you already hold, e.g. by calling self.balance() while you \
             hold its guard (book: 4.7 Deadlocks)."
        )
    } else if let Some(circle) = &d.circle {
        let auditors = circle.iter().filter(|t| t.contains("auditor")).count();
        let transfers = circle.len() - auditors;
        let one_way = circle
            .iter()
            .all(|t| t.contains("auditor") || t.contains("->"));
        let order = if auditors > 0 && transfers == 1 && one_way {
            "The circle runs through the auditor and one thread that transfers in one \
             direction only: total takes the locks in another order than transfer does. \
             Take total's locks in the same order as transfer's"
        } else if auditors == 0 {
            "Only transfers are in the circle: the order in which transfer takes its two \
             locks depends on the direction of the transfer. Take them in one global order \
             instead, e.g. the lower account number first, whichever way the money goes"
        } else {
            "Either transfer's lock order depends on the direction of the transfer, or \
             total takes the locks in another order than transfer (or both). Take the two \
             locks of a transfer in one global order, e.g. the lower account number first, \
             and total's in that same order"
        };
        format!(
            "That is a circle of waiting ({} -> back to the first): each holds a lock \
             the next one waits for, a deadlock. The test makes every thread take its \
             first lock before any takes its second, so a bad lock order deadlocks on \
             every run. {order} (book: 4.7 Deadlocks).",
            circle.join(" -> ")
        )
    } else if d.silent > 0 {
        format!(
            "{} of the test's {} threads never asked for an account's lock, while the \
             one(s) above wait for them (the test holds each thread after its first \
             account lock until every thread has one or waits for one). The silent \
             ones are blocked on something the observer cannot see: a lock of your \
             own, such as one round the whole bank. Take no lock but the accounts', \
             through Bank::lock or Bank::try_lock (book: 4.7 Deadlocks).",
            d.silent, d.participants
        )
    } else {
        "No circle of waiting is visible: a loop that never ends, or a thread that \
         waits for something other than an account's lock (book: 4.7 Deadlocks)."
            .to_owned()
    };
    format!("{seen}{cause}")
}

fn spawn_named(name: String, body: impl FnOnce() + Send + 'static) -> JoinHandle<()> {
    thread::Builder::new()
        .name(name)
        .spawn(body)
        .expect("a thread for the test")
}

fn spawn_transfers(bank: &Arc<Bank>, from: usize, to: usize, times: usize) -> JoinHandle<()> {
    let bank = Arc::clone(bank);
    spawn_named(format!("transfers {from} -> {to}"), move || {
        for _ in 0..times {
            bank.transfer(from, to, 1)
                .expect("there is enough money for this transfer");
        }
    })
}

fn join(handle: JoinHandle<()>) {
    if let Err(payload) = handle.join() {
        panic::resume_unwind(payload);
    }
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

#[test]
fn a_transfer_moves_money() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::watching();
        let bank = watched_bank(&[100, 50, 0], &locks);
        assert_eq!(bank.accounts(), 3, "one account per balance ({SECTION})");
        assert_eq!(bank.transfer(0, 1, 30), Ok(()), "{SECTION}");
        assert_eq!(
            bank.transfer(1, 2, 80),
            Ok(()),
            "account 1 holds exactly 80: a transfer of all of it must happen; only \
             *less* than the amount is InsufficientFunds ({SECTION})"
        );
        assert_eq!(
            bank.transfer(2, 0, 0),
            Ok(()),
            "a transfer of 0 moves nothing and succeeds ({SECTION})"
        );
        let balances: Vec<u64> = (0..3).map(|id| bank.balance(id)).collect();
        assert_eq!(
            balances,
            [70, 0, 80],
            "transfer(from, to, amount) takes amount from `from` and adds it to `to` ({SECTION})"
        );
        assert_eq!(
            bank.total(),
            150,
            "total is the sum of the balances ({SECTION})"
        );
    });
}

#[test]
fn a_transfer_that_cannot_happen_changes_nothing() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::watching();
        let bank = watched_bank(&[10, 20], &locks);
        assert_eq!(
            bank.transfer(0, 1, 11),
            Err(TransferError::InsufficientFunds),
            "account 0 holds only 10 ({SECTION})"
        );
        assert_eq!(
            bank.transfer(1, 0, 21),
            Err(TransferError::InsufficientFunds),
            "account 1 holds only 20: the funds of `from` are checked, whichever way \
             the money goes ({SECTION})"
        );
        assert_eq!(
            bank.transfer(0, 7, 1),
            Err(TransferError::NoSuchAccount(7)),
            "there is no account 7 ({SECTION})"
        );
        assert_eq!(
            bank.transfer(9, 0, 1),
            Err(TransferError::NoSuchAccount(9)),
            "there is no account 9 ({SECTION})"
        );
        assert_eq!(
            (bank.balance(0), bank.balance(1)),
            (10, 20),
            "a failed transfer must not move any money ({SECTION})"
        );
    });
}

/// Every pair of account numbers from 0 to one past the last, at banks of
/// 0 to 4 accounts: the numbers just past the end are where an off-by-one
/// check lets a transfer through to an index that does not exist.
#[test]
fn accounts_are_numbered_from_zero() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::watching();
        for n in 0..=4usize {
            for from in 0..=n + 1 {
                for to in 0..=n + 1 {
                    // A bank of its own for each case: a panic must not
                    // poison the next case's locks.
                    let bank = watched_bank(&vec![10; n], &locks);
                    let outcome =
                        panic::catch_unwind(AssertUnwindSafe(|| bank.transfer(from, to, 1)));
                    let missing: Vec<usize> =
                        [from, to].into_iter().filter(|&id| id >= n).collect();
                    let call = format!(
                        "transfer({from}, {to}, 1) at a bank of {n} account{}",
                        if n == 1 { "" } else { "s" }
                    );
                    let numbers = match n {
                        0 => "a bank of 0 accounts has no account at all".to_owned(),
                        1 => "the only account is number 0".to_owned(),
                        _ => format!("its accounts are numbered 0 to {}", n - 1),
                    };
                    let result = match outcome {
                        Ok(result) => result,
                        Err(payload) => panic!(
                            "{call} panicked ({}) instead of returning an error: {numbers}, \
                             so account {} does not exist. Check every account number \
                             against accounts() (`id >= self.accounts()`) before locking \
                             ({SECTION})",
                            message(&*payload),
                            missing.first().copied().unwrap_or(from)
                        ),
                    };
                    let fine = if missing.is_empty() {
                        if from == to {
                            result == Err(TransferError::SameAccount)
                        } else {
                            result == Ok(())
                        }
                    } else {
                        // Two errors may both be true (two missing accounts,
                        // or one missing on both sides): either will do.
                        missing
                            .iter()
                            .any(|&id| result == Err(TransferError::NoSuchAccount(id)))
                            || (from == to && result == Err(TransferError::SameAccount))
                    };
                    assert!(
                        fine,
                        "{call} returned {result:?}: {numbers}{} ({SECTION})",
                        match missing.first() {
                            Some(id) => format!(", so it must return Err(NoSuchAccount({id}))"),
                            None if from == to => ", and from == to must return \
                                Err(SameAccount)"
                                .to_owned(),
                            None => ", and there is enough money: it must return Ok(())".to_owned(),
                        }
                    );
                    let balances: Vec<u64> = (0..n).map(|id| bank.balance(id)).collect();
                    let mut expected = vec![10; n];
                    if result == Ok(()) {
                        expected[from] -= 1;
                        expected[to] += 1;
                    }
                    assert_eq!(
                        balances, expected,
                        "{call} moved the wrong money ({SECTION})"
                    );
                }
            }
        }
    });
}

#[test]
fn a_transfer_to_the_same_account_is_refused() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::watching();
        let bank = watched_bank(&[10, 20], &locks);
        assert_eq!(
            bank.transfer(1, 1, 5),
            Err(TransferError::SameAccount),
            "{SECTION}"
        );
        assert_eq!(bank.balance(1), 20, "{SECTION}");
    });
}

#[test]
fn a_transfer_holds_both_accounts_at_once() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::watching();
        let bank = watched_bank(&[100, 100, 100], &locks);
        let me = thread::current().id();
        for (from, to) in [(0, 2), (2, 0), (1, 0)] {
            let before = locks.log().len();
            bank.transfer(from, to, 10).expect("enough money");
            let steps = &locks.log()[before..];
            let mut both = vec![from, to];
            both.sort_unstable();
            assert_eq!(
                most_held_at_once(steps, me),
                both,
                "transfer({from}, {to}, ..) must hold the locks of both accounts, \
                 and only those, at the same time. Letting go of one before taking \
                 the other leaves the money in flight, in neither account, where \
                 total() can miss it ({SECTION})"
            );
        }
        assert_eq!(
            (bank.balance(0), bank.balance(1), bank.balance(2)),
            (110, 90, 100),
            "{SECTION}"
        );
    });
}

/// Two transfers from one account that holds enough for only one of them.
/// The observer holds a transfer that lets go of its locks and then asks
/// for a lock again until the other transfer has done the same (or has
/// finished): a transfer that checks the balance under one lock and moves
/// the money under another is held between the two, and the other transfer
/// checks the same balance in the gap. A transfer that checks and moves
/// under the same locks is never held.
#[test]
fn the_balance_is_checked_under_the_locks_of_the_move() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::gated_between(2);
        let bank = watched_bank(&[10, 0, 0], &locks);
        let transfers: Vec<_> = [1, 2]
            .into_iter()
            .map(|to| {
                let bank = Arc::clone(&bank);
                let locks = Arc::clone(&locks);
                thread::Builder::new()
                    .name(format!("transfer 0 -> {to}"))
                    .spawn(move || {
                        let outcome =
                            panic::catch_unwind(AssertUnwindSafe(|| bank.transfer(0, to, 10)));
                        locks.finished();
                        outcome.map_err(|payload| message(&*payload))
                    })
                    .expect("a thread for the test")
            })
            .collect();
        let outcomes: Vec<Result<Result<(), TransferError>, String>> = transfers
            .into_iter()
            .map(|t| t.join().expect("the test's thread catches panics"))
            .collect();
        let succeeded = outcomes.iter().filter(|o| **o == Ok(Ok(()))).count();
        let refused = outcomes
            .iter()
            .filter(|o| **o == Ok(Err(TransferError::InsufficientFunds)))
            .count();
        let seen: Vec<String> = outcomes
            .iter()
            .zip([1, 2])
            .map(|(o, to)| match o {
                Ok(result) => format!("transfer(0, {to}, 10) returned {result:?}"),
                Err(panic) => format!("transfer(0, {to}, 10) panicked: {panic}"),
            })
            .collect();
        assert!(
            succeeded > 0 || refused < 2,
            "two threads called transfer(0, 1, 10) and transfer(0, 2, 10) at once, and \
             account 0 holds exactly 10, enough for one of them: one transfer must \
             succeed. Both returned Err(InsufficientFunds): only *less* than the amount \
             is InsufficientFunds ({SECTION})"
        );
        assert!(
            succeeded == 1 && refused == 1,
            "two threads called transfer(0, 1, 10) and transfer(0, 2, 10) at once, and \
             account 0 holds 10: one transfer must succeed and the other return \
             Err(InsufficientFunds). Instead: {}. The test held each transfer that let \
             go of its locks and then asked for a lock again, until the other had done \
             the same: so both checked the balance before either moved the money. Check \
             the balance while you hold both locks, in the same critical section as the \
             move, not with self.balance() or another lock taken before \
             (book: 4.1 A mutex and its guard).",
            seen.join("; ")
        );
        let balances: Vec<u64> = (0..3).map(|id| bank.balance(id)).collect();
        assert_eq!(
            balances.iter().sum::<u64>(),
            10,
            "money appeared or vanished: {balances:?} ({SECTION})"
        );
    });
}

#[test]
fn opposing_transfers_do_not_deadlock() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::gated(2);
        let bank = watched_bank(&[1_000, 1_000], &locks);
        let there = spawn_transfers(&bank, 0, 1, 300);
        let back = spawn_transfers(&bank, 1, 0, 300);
        join(there);
        join(back);
        assert_eq!(
            (bank.balance(0), bank.balance(1)),
            (1_000, 1_000),
            "300 transfers each way leave both balances as they were ({SECTION})"
        );
    });
}

/// Rings of 3, 4 and 5 accounts, one thread per account moving money to the
/// next: 0 -> 1 -> ... -> 0.
#[test]
fn a_ring_of_transfers_does_not_deadlock() {
    watchdog_diagnosed(stuck, || {
        for accounts in 3..=5 {
            let locks = Locks::gated(accounts);
            let bank = watched_bank(&vec![500; accounts], &locks);
            let ring: Vec<_> = (0..accounts)
                .map(|i| spawn_transfers(&bank, i, (i + 1) % accounts, 100))
                .collect();
            ring.into_iter().for_each(join);
            assert_eq!(
                bank.total(),
                500 * accounts as u64,
                "a ring of {accounts} ({SECTION})"
            );
        }
    });
}

#[test]
fn total_takes_every_lock_at_once() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::watching();
        let bank = watched_bank(&[1, 2, 3, 4, 5], &locks);
        assert_eq!(bank.total(), 15, "{SECTION}");
        let held = most_held_at_once(&locks.log(), thread::current().id());
        assert_eq!(
            held,
            [0, 1, 2, 3, 4],
            "total must hold every account's lock at the same time, so that it \
             sums the balances of one moment. Summing one account at a time lets \
             a transfer move money from an account not yet counted to one \
             already counted, and the money vanishes from the sum ({SECTION})"
        );
        let empty = watched_bank(&[], &locks);
        assert_eq!(
            empty.total(),
            0,
            "a bank of no accounts holds 0 ({SECTION})"
        );
    });
}

#[test]
fn total_and_transfers_take_locks_in_the_same_order() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::gated(2);
        let bank = watched_bank(&[100, 100, 100], &locks);
        let auditor = {
            let bank = Arc::clone(&bank);
            spawn_named("auditor".to_owned(), move || {
                for _ in 0..100 {
                    assert_eq!(
                        bank.total(),
                        300,
                        "total saw money appear or vanish while transfers ran. Either total \
                         sums one account at a time (it must hold every account's lock at \
                         once, so that it sums the balances of one moment), or a transfer \
                         lets go of one account before the other is changed ({SECTION})"
                    );
                }
            })
        };
        let payer = spawn_transfers(&bank, 2, 0, 100);
        join(auditor);
        join(payer);
        assert_eq!((bank.balance(0), bank.balance(2)), (200, 0), "{SECTION}");
    });
}

#[test]
fn money_is_conserved_under_load() {
    watchdog_diagnosed(stuck, || {
        let locks = Locks::watching();
        let accounts = 5;
        let bank = watched_bank(&[1_000; 5], &locks);
        let tellers: Vec<_> = (0..4u64)
            .map(|seed| {
                let bank = Arc::clone(&bank);
                spawn_named(format!("teller {seed}"), move || {
                    let mut x = seed * 2 + 1;
                    for _ in 0..2_000 {
                        // xorshift: a cheap, repeatable stream of numbers
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        let from = (x % accounts) as usize;
                        let to = ((x >> 8) % accounts) as usize;
                        let amount = (x >> 16) % 300;
                        match bank.transfer(from, to, amount) {
                            Ok(())
                            | Err(TransferError::SameAccount)
                            | Err(TransferError::InsufficientFunds) => {}
                            Err(e) => panic!("unexpected {e:?} ({SECTION})"),
                        }
                    }
                })
            })
            .collect();
        let auditor = {
            let bank = Arc::clone(&bank);
            spawn_named("auditor".to_owned(), move || {
                for _ in 0..300 {
                    assert_eq!(
                        bank.total(),
                        5_000,
                        "total saw money appear or vanish while transfers ran ({SECTION})"
                    );
                }
            })
        };
        tellers.into_iter().for_each(join);
        join(auditor);
        assert_eq!(bank.total(), 5_000, "money is conserved ({SECTION})");
    });
}
