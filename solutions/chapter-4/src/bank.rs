//! Transfers without deadlock (book: 4.9.2).

use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard};

/// What a bank tells its observer about its locks. Tests use it to watch
/// the order in which a thread takes locks, and to make a deadlock certain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockEvent {
    /// This thread is about to wait for the account's lock.
    Waiting(usize),
    /// This thread now holds the account's lock.
    Holding(usize),
    /// This thread tried the account's lock, and it was taken.
    Missed(usize),
    /// This thread is about to let go of the account's lock.
    Released(usize),
}

/// Why a transfer did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// There is no account with this number.
    NoSuchAccount(usize),
    /// `from` and `to` are the same account.
    SameAccount,
    /// The account to take the money from has less than the amount.
    InsufficientFunds,
}

type Observer = Box<dyn Fn(LockEvent) + Send + Sync>;

/// Accounts numbered from 0, each with a lock of its own.
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
    observer: Observer,
}

/// The balance of one account, locked. Reads and writes like a `u64`
/// (through `Deref` and `DerefMut`); dropping it unlocks the account.
pub struct Account<'a> {
    id: usize,
    observer: &'a Observer,
    balance: MutexGuard<'a, u64>,
}

impl Deref for Account<'_> {
    type Target = u64;
    fn deref(&self) -> &u64 {
        &self.balance
    }
}

impl DerefMut for Account<'_> {
    fn deref_mut(&mut self) -> &mut u64 {
        &mut self.balance
    }
}

impl Drop for Account<'_> {
    fn drop(&mut self) {
        // Runs before the fields are dropped: the lock is still held here.
        (self.observer)(LockEvent::Released(self.id));
    }
}

impl Bank {
    /// A bank with one account per balance.
    pub fn new(balances: &[u64]) -> Bank {
        Bank::with_observer(balances, |_| {})
    }

    /// A bank that reports every lock taken and let go to `observer`.
    pub fn with_observer(
        balances: &[u64],
        observer: impl Fn(LockEvent) + Send + Sync + 'static,
    ) -> Bank {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
            observer: Box::new(observer),
        }
    }

    /// How many accounts there are.
    pub fn accounts(&self) -> usize {
        self.accounts.len()
    }

    /// Locks account `id`, waiting as long as it takes. Take every account
    /// lock through this method or [`Bank::try_lock`].
    fn lock(&self, id: usize) -> Account<'_> {
        (self.observer)(LockEvent::Waiting(id));
        let balance = self.accounts[id]
            .lock()
            .expect("a thread panicked while it held an account's lock");
        (self.observer)(LockEvent::Holding(id));
        Account {
            id,
            observer: &self.observer,
            balance,
        }
    }

    // ANSWER
    #[allow(dead_code)] // The reference solution orders its locks instead.
    // END ANSWER
    /// Locks account `id` if nobody holds it right now.
    fn try_lock(&self, id: usize) -> Option<Account<'_>> {
        match self.accounts[id].try_lock() {
            Ok(balance) => {
                (self.observer)(LockEvent::Holding(id));
                Some(Account {
                    id,
                    observer: &self.observer,
                    balance,
                })
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                (self.observer)(LockEvent::Missed(id));
                None
            }
            Err(std::sync::TryLockError::Poisoned(_)) => {
                panic!("a thread panicked while it held an account's lock")
            }
        }
    }

    /// The balance of account `id`.
    pub fn balance(&self, id: usize) -> u64 {
        *self.lock(id)
    }

    /// Moves `amount` from account `from` to account `to`, holding both
    /// accounts' locks at once, so no thread ever sees the money in neither
    /// account or in both. Never deadlocks, however many threads transfer
    /// money in whichever directions.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        // ANSWER: todo!("Bank::transfer: lock both accounts in one global order (book: 4.7 Deadlocks)")
        for id in [from, to] {
            if id >= self.accounts.len() {
                return Err(TransferError::NoSuchAccount(id));
            }
        }
        if from == to {
            // Locking the same account twice on one thread never returns.
            return Err(TransferError::SameAccount);
        }
        // One global order for every thread: the lower account number first,
        // whichever way the money goes.
        let mut low = self.lock(from.min(to));
        let mut high = self.lock(from.max(to));
        let (source, target) = if from < to {
            (&mut low, &mut high)
        } else {
            (&mut high, &mut low)
        };
        if **source < amount {
            return Err(TransferError::InsufficientFunds);
        }
        **source -= amount;
        **target += amount;
        Ok(())
        // END ANSWER
    }

    /// The sum of all balances, as it was at one moment: every account's
    /// lock is held at once, taken in the same order as `transfer` takes them.
    pub fn total(&self) -> u64 {
        // ANSWER: todo!("Bank::total: hold every account at once (book: 4.7 Deadlocks)")
        let accounts: Vec<Account<'_>> = (0..self.accounts.len()).map(|id| self.lock(id)).collect();
        accounts.iter().map(|account| **account).sum()
        // END ANSWER
    }
}
