use std::thread;

fn main() {
    // ANCHOR: builder
    let handle = thread::Builder::new()
        .name("indexer".to_owned())
        .stack_size(4 * 1024 * 1024)
        .spawn(|| {
            let me = thread::current();
            format!("hello from {:?}", me.name())
        })
        .expect("the operating system refused to start a thread");

    assert_eq!(handle.thread().name(), Some("indexer"));
    println!("{}", handle.join().unwrap());

    let unnamed = thread::spawn(|| thread::current().name().map(str::to_owned));
    println!("an unnamed thread: {:?}", unnamed.join().unwrap());
    println!("main is called {:?}", thread::current().name());
    // ANCHOR_END: builder

    // ANCHOR: ids
    let ids: Vec<thread::ThreadId> = (0..3)
        .map(|_| thread::spawn(|| thread::current().id()).join().unwrap())
        .collect();
    // The threads have all ended, yet no id was handed out twice.
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    assert!(!ids.contains(&thread::current().id()));
    // ANCHOR_END: ids
}
