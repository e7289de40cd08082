use std::collections::HashMap;
use std::sync::mpsc::{self, Sender};
use std::thread;

// ANCHOR: types
/// What a client can ask; each request carries the Sender for its answer.
enum Request {
    Add { word: String, reply: Sender<usize> },
    Count { word: String, reply: Sender<usize> },
}
// ANCHOR_END: types

fn main() {
    // ANCHOR: service
    let (requests_tx, requests_rx) = mpsc::channel::<Request>();

    // The service thread owns the map: no other thread can touch it.
    let service = thread::spawn(move || {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for request in requests_rx {
            match request {
                Request::Add { word, reply } => {
                    let n = counts.entry(word).or_default();
                    *n += 1;
                    let _ = reply.send(*n); // the client may have gone
                }
                Request::Count { word, reply } => {
                    let _ = reply.send(counts.get(&word).copied().unwrap_or(0));
                }
            }
        }
        counts.len() // ends once every requests_tx is gone
    });
    // ANCHOR_END: service

    // ANCHOR: client
    // A client: a fresh reply channel per request, then wait for the answer.
    let add = |word: &str| {
        let (reply, answer) = mpsc::channel();
        let word = word.to_owned();
        requests_tx.send(Request::Add { word, reply }).unwrap();
        answer.recv().unwrap()
    };
    for word in ["to", "be", "or", "not", "to", "be"] {
        println!("{word}: {}", add(word));
    }

    let (reply, answer) = mpsc::channel();
    let word = "to".to_owned();
    requests_tx.send(Request::Count { word, reply }).unwrap();
    println!("count of \"to\": {}", answer.recv().unwrap());

    drop(requests_tx); // shut the service down
    println!("{} distinct words", service.join().unwrap());
    // ANCHOR_END: client
}
