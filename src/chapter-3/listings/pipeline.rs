use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: pipeline
    let lines = ["3", "x", "12", "-4"];

    // Stage 1: parse. Sends only the lines that are numbers.
    let (numbers_tx, numbers_rx) = mpsc::channel();
    let parse = thread::spawn(move || {
        for line in lines {
            if let Ok(n) = line.parse::<i64>() {
                numbers_tx.send(n).unwrap();
            }
        }
    }); // numbers_tx is dropped here: stage 2's loop will end

    // Stage 2: square. Ends when stage 1 has closed its channel.
    let (squares_tx, squares_rx) = mpsc::channel();
    let square = thread::spawn(move || {
        for n in numbers_rx {
            squares_tx.send(n * n).unwrap();
        }
    }); // squares_tx is dropped here: stage 3's loop will end

    // Stage 3, on the main thread: print.
    for sq in squares_rx {
        println!("{sq}");
    }
    parse.join().unwrap();
    square.join().unwrap();
    // ANCHOR_END: pipeline
}
