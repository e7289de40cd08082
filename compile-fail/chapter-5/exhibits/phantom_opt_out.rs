// A zero-sized PhantomData<*const ()> field opts a type out of Send and Sync.
use std::marker::PhantomData;
use std::thread;

/// A ticket that is only valid on the thread that issued it.
struct Ticket {
    number: u32,
    _not_send: PhantomData<*const ()>,
}

impl Ticket {
    fn number(&self) -> u32 {
        self.number
    }
}

fn main() {
    let ticket = Ticket {
        number: 1,
        _not_send: PhantomData,
    };
    thread::spawn(move || println!("ticket {}", ticket.number()))
        .join()
        .unwrap();
}
