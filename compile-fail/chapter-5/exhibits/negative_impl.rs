// Saying "not Send" directly is a nightly-only feature in Rust 1.95.
struct Ticket {
    number: u32,
}

impl !Send for Ticket {}

fn main() {
    let ticket = Ticket { number: 1 };
    println!("{}", ticket.number);
}
