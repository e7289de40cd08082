use crate::chapter_3::pipeline::{Pipeline, Stage, pipeline};
use std::collections::HashSet;
use std::sync::mpsc::{self, Sender};
use std::thread::{self, ThreadId};
use test_support::watchdog;

const SECTION: &str = "book: 3.8.1 A pipeline of threads";
const STUCK: &str = "the output never ended. Each stage's loop must end when its input \
                     closes, and its thread must then drop its Sender so that the next \
                     stage's loop ends too (book: 3.4 How a channel closes).";

fn add(n: i64) -> Stage<i64> {
    Box::new(move |x| x + n)
}

fn times(n: i64) -> Stage<i64> {
    Box::new(move |x| x * n)
}

/// A stage that reports the thread it runs on for every item.
fn reporting(stage: usize, report: &Sender<(usize, ThreadId)>) -> Stage<i64> {
    let report = report.clone();
    Box::new(move |x| {
        report.send((stage, thread::current().id())).unwrap();
        x
    })
}

/// Sends every item, ends the input, and collects the output.
fn run_all(p: Pipeline<i64>, items: impl IntoIterator<Item = i64>) -> Vec<i64> {
    for item in items {
        p.input.send(item).unwrap_or_else(|_| {
            panic!(
                "the pipeline's input was closed while items were still coming: the \
                 first stage must keep receiving until its input ends ({SECTION})"
            )
        });
    }
    drop(p.input);
    let out: Vec<i64> = p.output.iter().collect();
    join_stages(p.threads);
    out
}

fn join_stages(threads: Vec<thread::JoinHandle<()>>) {
    for (i, handle) in threads.into_iter().enumerate() {
        assert!(
            handle.join().is_ok(),
            "the thread of stage {i} panicked. When a stage's input ends, `recv` returns \
             Err: end the loop then instead of unwrapping it (book: 3.3 Receiving)"
        );
    }
}

#[test]
fn items_come_out_in_order_after_every_stage() {
    watchdog(STUCK, || {
        let p = pipeline(vec![add(1), times(2), add(-3)]);
        assert_eq!(p.threads.len(), 3, "one thread per stage ({SECTION})");
        let out = run_all(p, 0..1000);
        let expected: Vec<i64> = (0..1000).map(|x| (x + 1) * 2 - 3).collect();
        assert_eq!(
            out.len(),
            expected.len(),
            "every item must come out of the pipeline ({SECTION})"
        );
        assert!(
            out == expected,
            "the items must come out in order, each through every stage in turn \
             ({SECTION})"
        );
    });
}

#[test]
fn no_stages_connects_input_to_output() {
    watchdog(STUCK, || {
        let p = pipeline(Vec::new());
        assert!(p.threads.is_empty(), "no stages, no threads ({SECTION})");
        assert_eq!(
            run_all(p, [4, 5, 6]),
            [4, 5, 6],
            "with no stages, what goes in comes out unchanged ({SECTION})"
        );
    });
}

#[test]
fn each_stage_runs_on_a_thread_of_its_own() {
    watchdog(STUCK, || {
        let (report, reports) = mpsc::channel();
        let stages = (0..4).map(|i| reporting(i, &report)).collect();
        drop(report);
        let p = pipeline(stages);
        let threads: Vec<ThreadId> = p.threads.iter().map(|h| h.thread().id()).collect();
        assert_eq!(threads.len(), 4, "one thread per stage ({SECTION})");
        run_all(p, 0..20);

        let reports: Vec<(usize, ThreadId)> = reports.iter().collect();
        assert_eq!(reports.len(), 80, "every stage sees every item ({SECTION})");
        let caller = thread::current().id();
        for (stage, id) in reports {
            assert_ne!(
                id, caller,
                "stage {stage} ran on the calling thread: start a thread per stage \
                 ({SECTION})"
            );
            assert_eq!(
                id, threads[stage],
                "stage {stage} ran on another thread than `threads[{stage}]`: every \
                 stage needs a thread of its own, the one whose handle is at its \
                 position ({SECTION})"
            );
        }
        let distinct: HashSet<&ThreadId> = threads.iter().collect();
        assert_eq!(distinct.len(), 4, "four stages, four threads ({SECTION})");
    });
}

#[test]
fn each_item_moves_on_as_soon_as_its_stage_is_done() {
    watchdog(
        "an item did not come out before the next one went in. Here the test \
         sends one item and waits for it at the output before it sends the next, \
         so every stage must send each result on at once, not wait to collect \
         more input first (book: 3.7 Patterns).",
        || {
            let p = pipeline(vec![add(10), times(3), add(1)]);
            for x in 0..5 {
                p.input.send(x).unwrap();
                assert_eq!(
                    p.output.recv().ok(),
                    Some((x + 10) * 3 + 1),
                    "item {x} must come out through every stage ({SECTION})"
                );
            }
            drop(p.input);
            assert_eq!(p.output.iter().next(), None, "{SECTION}");
            join_stages(p.threads);
        },
    );
}

#[test]
fn a_stage_keeps_its_state_between_items() {
    watchdog(STUCK, || {
        let mut seen = 0;
        let numbering: Stage<i64> = Box::new(move |x| {
            seen += 1;
            x * 1000 + seen
        });
        let p = pipeline(vec![numbering, add(0)]);
        assert_eq!(
            run_all(p, [7, 8, 9]),
            [7001, 8002, 9003],
            "each stage is one closure, called for every item in turn on its thread \
             ({SECTION})"
        );
    });
}

#[test]
fn every_thread_ends_when_the_input_ends() {
    watchdog(STUCK, || {
        let p = pipeline(vec![add(1), add(1), add(1)]);
        p.input.send(1).unwrap();
        drop(p.input);
        let out: Vec<i64> = p.output.iter().collect();
        assert_eq!(out, [4], "{SECTION}");
        join_stages(p.threads);
    });
}

#[test]
fn the_stages_stop_when_nobody_reads_the_output() {
    watchdog(
        "a stage went on after nobody could receive its results. When the \
         receiving end is gone, `send` returns Err: the stage must end then, so \
         that the stage before it notices too, and finally the input closes \
         (book: 3.4 How a channel closes).",
        || {
            let p = pipeline(vec![add(1), add(2), add(3)]);
            drop(p.output);
            let mut threads = p.threads;
            // One item per stage, from the last stage back to the first:
            // each item ends one more stage, whose send fails.
            for x in 0..3 {
                p.input.send(x).unwrap_or_else(|_| {
                    panic!(
                        "the input closed before every stage had ended: the first \
                         stage must keep receiving until its send fails ({SECTION})"
                    )
                });
                let last = threads.pop().unwrap();
                assert!(
                    last.join().is_ok(),
                    "the thread of stage {} panicked when its send failed: nobody \
                     receives any more, so stop instead of unwrapping \
                     (book: 3.4 How a channel closes)",
                    threads.len()
                );
            }
            assert!(
                p.input.send(3).is_err(),
                "every stage has ended, so the input must be closed ({SECTION})"
            );
        },
    );
}
