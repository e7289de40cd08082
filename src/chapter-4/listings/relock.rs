use std::sync::Mutex;

// ANCHOR: relock
struct Account {
    balance: Mutex<u64>,
}

impl Account {
    fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }

    fn withdraw_all(&self) -> u64 {
        let mut balance = self.balance.lock().unwrap();
        // Calling self.balance() here would lock a second time on this
        // thread, and never return. `try_lock` shows the lock is taken:
        println!("taken already: {}", self.balance.try_lock().is_err());
        std::mem::take(&mut *balance)
    }
}
// ANCHOR_END: relock

fn main() {
    let account = Account {
        balance: Mutex::new(50),
    };
    println!("withdrew {}", account.withdraw_all());
    println!("balance {}", account.balance());
}
