use crate::chapter_4::bank::{Bank, LockEvent, TransferError};
use crate::common::{Locks, Step, most_held_at_once};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use test_support::watchdog;

const SECTION: &str = "book: 4.9.2 Transfers without deadlock";
const LOCK_ORDER: &str = "two threads each hold one account's lock and wait for \
     the other's: a deadlock. Here both threads are made to take their first \
     lock before either takes its second, so a lock order that depends on the \
     direction of the transfer deadlocks every time. Take the two locks in one \
     global order, e.g. the lower account number first, whichever way the \
     money goes; take total's locks in that same order; and take no lock \
     but the accounts' (book: 4.7 Deadlocks).";

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

fn spawn_transfers(bank: &Arc<Bank>, from: usize, to: usize, times: usize) -> JoinHandle<()> {
    let bank = Arc::clone(bank);
    thread::spawn(move || {
        for _ in 0..times {
            bank.transfer(from, to, 1)
                .expect("there is enough money for this transfer");
        }
    })
}

fn join(handle: JoinHandle<()>) {
    if let Err(payload) = handle.join() {
        std::panic::resume_unwind(payload);
    }
}

#[test]
fn a_transfer_moves_money() {
    watchdog(LOCK_ORDER, || {
        let bank = Bank::new(&[100, 50, 0]);
        assert_eq!(bank.accounts(), 3, "one account per balance ({SECTION})");
        assert_eq!(bank.transfer(0, 1, 30), Ok(()), "{SECTION}");
        assert_eq!(bank.transfer(1, 2, 80), Ok(()), "{SECTION}");
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
    watchdog(LOCK_ORDER, || {
        let bank = Bank::new(&[10, 20]);
        assert_eq!(
            bank.transfer(0, 1, 11),
            Err(TransferError::InsufficientFunds),
            "account 0 holds only 10 ({SECTION})"
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

#[test]
fn a_transfer_to_the_same_account_is_refused() {
    watchdog(
        "transfer(1, 1, ..) never returned: it locked the same account twice on \
         one thread. A std Mutex does not let a thread in twice: the second lock \
         never returns. Refuse from == to before locking (book: 4.7 Deadlocks).",
        || {
            let bank = Bank::new(&[10, 20]);
            assert_eq!(
                bank.transfer(1, 1, 5),
                Err(TransferError::SameAccount),
                "{SECTION}"
            );
            assert_eq!(bank.balance(1), 20, "{SECTION}");
        },
    );
}

#[test]
fn a_transfer_holds_both_accounts_at_once() {
    watchdog(LOCK_ORDER, || {
        let locks = Arc::new(Locks::watching());
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

#[test]
fn opposing_transfers_do_not_deadlock() {
    watchdog(LOCK_ORDER, || {
        let locks = Arc::new(Locks::gated(2));
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

#[test]
fn a_ring_of_transfers_does_not_deadlock() {
    watchdog(LOCK_ORDER, || {
        let accounts = 4;
        let locks = Arc::new(Locks::gated(accounts));
        let bank = watched_bank(&[500; 4], &locks);
        // 0 -> 1 -> 2 -> 3 -> 0: a cycle of four threads.
        let ring: Vec<_> = (0..accounts)
            .map(|i| spawn_transfers(&bank, i, (i + 1) % accounts, 200))
            .collect();
        ring.into_iter().for_each(join);
        assert_eq!(bank.total(), 2_000, "{SECTION}");
    });
}

#[test]
fn total_takes_every_lock_at_once() {
    watchdog(LOCK_ORDER, || {
        let locks = Arc::new(Locks::watching());
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
    });
}

#[test]
fn total_and_transfers_take_locks_in_the_same_order() {
    watchdog(LOCK_ORDER, || {
        let locks = Arc::new(Locks::gated(2));
        let bank = watched_bank(&[100, 100, 100], &locks);
        let auditor = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || {
                for _ in 0..100 {
                    assert_eq!(bank.total(), 300, "money appeared or vanished ({SECTION})");
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
    watchdog(LOCK_ORDER, || {
        let accounts = 5;
        let bank = Arc::new(Bank::new(&[1_000; 5]));
        let tellers: Vec<_> = (0..4u64)
            .map(|seed| {
                let bank = Arc::clone(&bank);
                thread::spawn(move || {
                    let mut x = seed * 2 + 1;
                    for _ in 0..3_000 {
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
            thread::spawn(move || {
                for _ in 0..500 {
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
