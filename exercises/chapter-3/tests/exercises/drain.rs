use crate::chapter_3::drain::{Drained, drain, poll_until_closed};
use std::sync::mpsc::{self, Sender};
use std::thread;
use test_support::watchdog;

const SECTION: &str = "book: 3.8.4 Draining without blocking";
const NEVER_WAIT: &str = "drain or poll_until_closed waited for a message. They must never \
                          block: `try_recv` returns at once, with Err(TryRecvError::Empty) \
                          when nothing is there yet (book: 3.3 Receiving).";

#[test]
fn an_empty_open_channel_is_open_and_does_not_wait() {
    watchdog(NEVER_WAIT, || {
        let (_tx, rx) = mpsc::channel::<u8>();
        assert_eq!(
            drain(&rx),
            Drained::Open(vec![]),
            "nothing waiting, and a Sender is still alive: Open and empty ({SECTION})"
        );
    });
}

#[test]
fn takes_every_waiting_item_and_leaves_the_channel_open() {
    watchdog(NEVER_WAIT, || {
        let (tx, rx) = mpsc::channel();
        for n in 1..=3 {
            tx.send(n).unwrap();
        }
        assert_eq!(drain(&rx), Drained::Open(vec![1, 2, 3]), "{SECTION}");
        tx.send(4).unwrap();
        assert_eq!(
            drain(&rx),
            Drained::Open(vec![4]),
            "a drain takes only what is waiting; the channel stays usable ({SECTION})"
        );
    });
}

#[test]
fn says_closed_once_every_sender_is_gone() {
    watchdog(NEVER_WAIT, || {
        let (tx, rx) = mpsc::channel();
        tx.send("a").unwrap();
        tx.send("b").unwrap();
        drop(tx);
        assert_eq!(
            drain(&rx),
            Drained::Closed(vec!["a", "b"]),
            "messages sent before the last Sender was dropped still arrive, and then \
             try_recv says Err(TryRecvError::Disconnected): nothing more will come. \
             Tell it apart from Empty (book: 3.3 Receiving)"
        );
        assert_eq!(drain(&rx), Drained::Closed(vec![]), "{SECTION}");
    });
}

#[test]
fn one_sender_gone_is_not_closed() {
    watchdog(NEVER_WAIT, || {
        let (tx, rx) = mpsc::channel();
        let tx2 = tx.clone();
        tx.send(1).unwrap();
        drop(tx);
        assert_eq!(
            drain(&rx),
            Drained::Open(vec![1]),
            "a clone of the Sender is still alive, so the channel is open \
             (book: 3.4 How a channel closes)"
        );
        tx2.send(2).unwrap();
        drop(tx2);
        assert_eq!(drain(&rx), Drained::Closed(vec![2]), "{SECTION}");
    });
}

#[test]
fn drains_what_other_threads_sent() {
    watchdog(NEVER_WAIT, || {
        let (tx, rx) = mpsc::channel();
        let producers: Vec<_> = (0..4)
            .map(|p| {
                let tx = tx.clone();
                thread::spawn(move || {
                    for i in 0..25 {
                        tx.send(p * 100 + i).unwrap();
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.join().unwrap();
        }
        let Drained::Open(mut items) = drain(&rx) else {
            panic!("main's own Sender is still alive: the channel is open ({SECTION})")
        };
        items.sort();
        let expected: Vec<i32> = (0..4)
            .flat_map(|p| (0..25).map(move |i| p * 100 + i))
            .collect();
        assert_eq!(items, expected, "all 100 items were waiting ({SECTION})");
        drop(tx);
        assert_eq!(drain(&rx), Drained::Closed(vec![]), "{SECTION}");
    });
}

/// A channel, and an `idle` callback that owns its only Sender: each call
/// sends the next batch, and the call after the last batch drops the
/// Sender. The callback fails the test if it is called once the channel is
/// closed.
fn feeding(batches: Vec<Vec<u32>>) -> (mpsc::Receiver<u32>, impl FnMut()) {
    let (tx, rx) = mpsc::channel();
    let mut tx: Option<Sender<u32>> = Some(tx);
    let mut batches = batches.into_iter();
    let idle = move || {
        let Some(sender) = &tx else {
            panic!(
                "idle was called after every Sender was gone. \
                 Err(TryRecvError::Disconnected) means that nothing more will ever \
                 come: return then (book: 3.3 Receiving)"
            );
        };
        match batches.next() {
            Some(batch) => {
                for n in batch {
                    sender.send(n).unwrap();
                }
            }
            None => tx = None, // the channel closes
        }
    };
    (rx, idle)
}

const POLL_STUCK: &str = "poll_until_closed never returned. Here the messages are sent by \
                          idle itself, so when nothing is waiting, poll_until_closed must \
                          call idle instead of waiting in recv or spinning on try_recv \
                          (book: 3.3 Receiving).";

#[test]
fn poll_collects_everything_until_the_channel_closes() {
    watchdog(POLL_STUCK, || {
        let (rx, idle) = feeding(vec![vec![1, 2], vec![], vec![3], vec![4, 5, 6]]);
        assert_eq!(
            poll_until_closed(&rx, idle),
            [1, 2, 3, 4, 5, 6],
            "every item, in order. TryRecvError::Empty means \"nothing yet\", not \
             \"done\" ({SECTION})"
        );
    });
}

#[test]
fn poll_calls_idle_only_while_nothing_is_waiting() {
    watchdog(POLL_STUCK, || {
        let (tx, rx) = mpsc::channel();
        for n in 0..10 {
            tx.send(n).unwrap();
        }
        drop(tx);
        let mut idle_calls = 0;
        let items = poll_until_closed(&rx, || idle_calls += 1);
        assert_eq!(items, (0..10).collect::<Vec<_>>(), "{SECTION}");
        assert_eq!(
            idle_calls, 0,
            "items were waiting and then the channel was closed: there was never a \
             moment to call idle ({SECTION})"
        );
    });
}

#[test]
fn poll_returns_as_soon_as_the_channel_closes() {
    watchdog(POLL_STUCK, || {
        let (rx, idle) = feeding(vec![]);
        assert_eq!(poll_until_closed(&rx, idle), Vec::<u32>::new(), "{SECTION}");
    });
}
