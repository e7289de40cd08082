//! The contract of `pipeline`, clause by clause, and the tests that check
//! each one:
//!
//! - "Items sent here go through every stage, in turn.": items_come_out_in_order_after_every_stage, every_number_of_stages_and_items
//! - "Dropping it ends the input.": every_thread_ends_when_the_input_ends, every_number_of_stages_and_items
//! - "Every item comes out here after the last stage, in the order it went in.": items_come_out_in_order_after_every_stage, every_number_of_stages_and_items
//! - "Iterating over it ends once the input has ended and every item is through.": every_thread_ends_when_the_input_ends, items_come_out_in_order_after_every_stage, every_number_of_stages_and_items
//! - "The stages' threads, one per stage, in the order of the stages.": each_stage_runs_on_a_thread_of_its_own, every_number_of_stages_and_items
//! - "Starts one thread per stage, connected by channels: the first stage receives from `input`, each stage sends its results to the next one, and the last one sends them to `output`.": each_stage_runs_on_a_thread_of_its_own, every_number_of_stages_and_items, items_come_out_in_order_after_every_stage
//! - "With no stages, what goes into `input` comes straight out of `output`.": no_stages_connects_input_to_output, every_number_of_stages_and_items
//! - "Each stage passes an item on as soon as it has made it.": each_item_moves_on_as_soon_as_its_stage_is_done
//! - "A stage's thread ends, without panicking, when its input ends, or when nobody receives its results any more.": every_thread_ends_when_the_input_ends, the_stages_stop_when_nobody_reads_the_output, a_stage_waits_while_its_input_is_open, every_number_of_stages_and_items
//!
//! Every stage the tests build reports, for every item, the thread it runs
//! on; so a test that hangs can say which stage's thread is still running,
//! which ones have ended, and whether the one it waits for runs the stage
//! it should.

use crate::chapter_3::pipeline::{Pipeline, Stage, pipeline};
use crate::common::{diagnose_with, run_with, state_of};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};
use test_support::{ThreadExits, watchdog_diagnosed};

const SECTION: &str = "book: 3.8.1 A pipeline of threads";

/// What the test saw of one stage.
#[derive(Default)]
struct StageSeen {
    /// How many items the stage has made.
    items: AtomicUsize,
    /// The thread it ran on (the first time), in Rust's and the kernel's
    /// words.
    thread: OnceLock<ThreadId>,
    tid: AtomicU64,
    /// Set if it ever ran on another thread than the first.
    moved: AtomicBool,
    exits: ThreadExits,
}

/// Where the test is.
const STARTING: usize = 0;
const FEEDING: usize = 1;
const INPUT_DROPPED: usize = 2;
const JOINING: usize = 3;
const OUTPUT_DROPPED: usize = 4;

/// What the test saw of a whole pipeline, shared with its diagnosis.
#[derive(Clone, Default)]
struct Seen {
    state: Arc<SeenState>,
}

#[derive(Default)]
struct SeenState {
    stages: Mutex<Vec<Arc<StageSeen>>>,
    phase: AtomicUsize,
    /// The index in `threads` of the handle being joined.
    joining: AtomicUsize,
    /// The thread of each handle in `threads`.
    handles: Mutex<Vec<ThreadId>>,
}

impl Seen {
    /// Wraps `stages`, in order, so that each reports what it does.
    fn watch(&self, stages: Vec<Stage<i64>>) -> Vec<Stage<i64>> {
        let mut seen = self.state.stages.lock().unwrap();
        seen.clear();
        stages
            .into_iter()
            .map(|mut stage| {
                let me = Arc::new(StageSeen::default());
                seen.push(Arc::clone(&me));
                Box::new(move |x| {
                    let id = thread::current().id();
                    if me.thread.get().is_none() {
                        me.tid.store(crate::common::own_tid(), SeqCst);
                        let _ = me.thread.set(id);
                        me.exits.watch();
                    } else if me.thread.get() != Some(&id) {
                        me.moved.store(true, SeqCst);
                    }
                    let out = stage(x);
                    me.items.fetch_add(1, SeqCst);
                    out
                }) as Stage<i64>
            })
            .collect()
    }

    /// `pipeline(stages)`, watched.
    fn start(&self, stages: Vec<Stage<i64>>) -> Pipeline<i64> {
        self.state.phase.store(STARTING, SeqCst);
        let p = pipeline(self.watch(stages));
        *self.state.handles.lock().unwrap() = p.threads.iter().map(|h| h.thread().id()).collect();
        self.state.phase.store(FEEDING, SeqCst);
        p
    }

    fn phase(&self, phase: usize) {
        self.state.phase.store(phase, SeqCst);
    }

    fn stage(&self, i: usize) -> Arc<StageSeen> {
        Arc::clone(&self.state.stages.lock().unwrap()[i])
    }

    /// The stage whose thread is `id`, if any.
    fn stage_on(stages: &[Arc<StageSeen>], id: ThreadId) -> Option<usize> {
        stages.iter().position(|s| s.thread.get() == Some(&id))
    }

    /// What a stuck test saw. Never blocks.
    fn diagnosis(&self) -> String {
        let s = &self.state;
        let phase = s.phase.load(SeqCst);
        if phase == STARTING {
            return "pipeline() itself never returned. It must start the stages' threads \
                    and return at once: the threads run on their own, and end only when \
                    the input ends, so pipeline must not join them (book: 3.7 Patterns)."
                .to_owned();
        }
        let (Ok(stages), Ok(handles)) = (s.stages.try_lock(), s.handles.try_lock()) else {
            return "the pipeline got stuck (book: 3.4 How a channel closes).".to_owned();
        };
        let mut report = String::from("What the test saw: ");
        for (i, stage) in stages.iter().enumerate() {
            let state = match (stage.thread.get(), stage.exits.try_running()) {
                (None, _) => "never ran".to_owned(),
                (Some(_), Some(0)) => "its thread has ended".to_owned(),
                (Some(_), _) => match state_of(stage.tid.load(SeqCst)) {
                    Some('S') => "its thread is alive, asleep".to_owned(),
                    Some('R') => "its thread is alive and running".to_owned(),
                    _ => "its thread is alive".to_owned(),
                },
            };
            let _ = write!(
                report,
                "stage {i} made {} items, {state}; ",
                stage.items.load(SeqCst)
            );
        }
        // Stages whose thread is seen alive, and stages that never got an
        // item, whose thread the test cannot see.
        let alive: Vec<usize> = (0..stages.len())
            .filter(|&i| stages[i].thread.get().is_some())
            .filter(|&i| stages[i].exits.try_running() != Some(0))
            .collect();
        let unseen: Vec<usize> = (0..stages.len())
            .filter(|&i| stages[i].thread.get().is_none())
            .collect();
        let cause = match phase {
            FEEDING => "the items did not come out. Each stage must send each result on \
                        to the next stage at once, and the last one to `output` \
                        (book: 3.7 Patterns)."
                .to_owned(),
            INPUT_DROPPED | JOINING if alive.is_empty() && !unseen.is_empty() => format!(
                "the input was dropped, yet the output has not ended. No item reached \
                 stage {} (so the test cannot see its thread): a stage's loop over its \
                 input must end when every Sender of that input is gone (for item in rx, \
                 or recv until Err), and then its thread must end and drop its own \
                 Sender, so that the next stage ends too. Does something else (a stage, \
                 pipeline) keep a clone of a Sender? (book: 3.4 How a channel closes)",
                unseen[0]
            ),
            INPUT_DROPPED | JOINING if alive.is_empty() && !stages.is_empty() => {
                "every stage's thread has ended, yet the output has not: a Sender of \
                 the output channel is still alive elsewhere. Only the last stage's \
                 thread may hold one (book: 3.4 How a channel closes)."
                    .to_owned()
            }
            INPUT_DROPPED | JOINING => match alive.first() {
                None => "the input was dropped, yet the output never ended: with no \
                         stages, `output` must be the input channel's own Receiver \
                         (book: 3.4 How a channel closes)."
                    .to_owned(),
                Some(&i) => format!(
                    "the input was dropped, yet stage {i}'s thread has not ended. A \
                     stage's loop over its input must end when every Sender of that \
                     input is gone (for item in rx, or recv until Err), and then its \
                     thread must end and drop its own Sender, so that the next stage \
                     ends too. {}(book: 3.4 How a channel closes)",
                    if i == 0 {
                        "Does something else (a stage, pipeline) keep a clone of the \
                         input's Sender? "
                    } else {
                        ""
                    }
                ),
            },
            OUTPUT_DROPPED => {
                let k = s.joining.load(SeqCst);
                let on = handles.get(k).and_then(|&id| Self::stage_on(&stages, id));
                let made = |i: usize| stages.get(i).map_or(0, |s| s.items.load(SeqCst));
                match on {
                    _ if made(k) == 0 => format!(
                        "the test sent an item for stage {k}, to find that nobody receives \
                         its results and end; but stage {k} never got it{}. Each stage must \
                         pass each item on as soon as it has made it (book: 3.7 Patterns).",
                        match (0..k).rev().find(|&i| made(i) > 0) {
                            Some(i) => format!(": stage {i} made it and did not pass it on"),
                            None => String::new(),
                        }
                    ),
                    Some(j) if j != k => format!(
                        "the test waits for threads[{k}] to end, the thread of stage {k}; \
                         but threads[{k}] is the thread that runs stage {j}. The handles \
                         must be in the order of the stages: push each stage's handle \
                         as you start it, from the first stage to the last ({SECTION})."
                    ),
                    _ => format!(
                        "nobody receives stage {k}'s results any more, and stage {k} has \
                         made an item since, yet its thread has not ended: when `send` \
                         returns Err, the stage must end its loop, and the stage before \
                         it then sees its own send fail (book: 3.4 How a channel closes)."
                    ),
                }
            }
            _ => String::new(),
        };
        report.push_str("so ");
        report.push_str(&cause);
        report
    }
}

fn add(n: i64) -> Stage<i64> {
    Box::new(move |x| x + n)
}

fn times(n: i64) -> Stage<i64> {
    Box::new(move |x| x * n)
}

/// Sends every item, ends the input, and collects the output.
fn run_all(seen: &Seen, p: Pipeline<i64>, items: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let no_stages = seen.state.stages.lock().unwrap().is_empty();
    for item in items {
        p.input.send(item).unwrap_or_else(|_| {
            if no_stages {
                panic!(
                    "with no stages, the pipeline's input was closed: its Receiver was \
                     dropped. With no stages, `output` must be the input channel's own \
                     Receiver, so that what goes in comes straight out ({SECTION})"
                )
            }
            panic!(
                "the pipeline's input was closed while items were still coming: the \
                 first stage must keep receiving until its input ends ({SECTION})"
            )
        });
    }
    seen.phase(INPUT_DROPPED);
    drop(p.input);
    let out: Vec<i64> = p.output.iter().collect();
    join_stages(seen, p.threads);
    out
}

fn join_stages(seen: &Seen, threads: Vec<thread::JoinHandle<()>>) {
    seen.phase(JOINING);
    for (i, handle) in threads.into_iter().enumerate() {
        seen.state.joining.store(i, SeqCst);
        assert!(
            handle.join().is_ok(),
            "the thread of stage {i} panicked. When a stage's input ends, `recv` returns \
             Err: end the loop then instead of unwrapping it (book: 3.3 Receiving)"
        );
    }
}

/// Checks that stage `i` ran on `threads[i]`, and on no other thread.
fn check_threads(seen: &Seen, threads: &[ThreadId]) {
    let stages = seen.state.stages.lock().unwrap().clone();
    assert_eq!(
        threads.len(),
        stages.len(),
        "{} stages need {} threads, one per stage, and `threads` holds {} handles \
         ({SECTION})",
        stages.len(),
        stages.len(),
        threads.len()
    );
    let caller = thread::current().id();
    for (i, stage) in stages.iter().enumerate() {
        let Some(&ran_on) = stage.thread.get() else {
            continue;
        };
        assert_ne!(
            ran_on, caller,
            "stage {i} ran on the calling thread: start a thread per stage ({SECTION})"
        );
        assert!(
            !stage.moved.load(SeqCst),
            "stage {i} ran on more than one thread: each stage runs on one thread of its \
             own, for every item ({SECTION})"
        );
        if ran_on != threads[i] {
            let other = threads.iter().position(|&t| t == ran_on);
            panic!(
                "stage {i} ran on another thread than `threads[{i}]`{}: every stage \
                 needs a thread of its own, and `threads` holds their handles in the \
                 order of the stages ({SECTION})",
                match other {
                    Some(j) => format!(" (it ran on `threads[{j}]`)"),
                    None => " (on a thread whose handle is not in `threads`)".to_owned(),
                }
            );
        }
    }
    let distinct: HashSet<&ThreadId> = threads.iter().collect();
    assert_eq!(
        distinct.len(),
        threads.len(),
        "one thread per stage: two handles in `threads` are the same thread ({SECTION})"
    );
}

#[test]
fn items_come_out_in_order_after_every_stage() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let p = seen.start(vec![add(1), times(2), add(-3)]);
            let threads: Vec<ThreadId> = p.threads.iter().map(|h| h.thread().id()).collect();
            assert_eq!(threads.len(), 3, "one thread per stage ({SECTION})");
            let out = run_all(&seen, p, 0..1000);
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
            check_threads(&seen, &threads);
        }),
    );
}

#[test]
fn no_stages_connects_input_to_output() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let p = seen.start(Vec::new());
            assert!(
                p.threads.is_empty(),
                "no stages, no threads: with no stages, `output` is the Receiver of the \
                 input channel itself ({SECTION})"
            );
            assert_eq!(
                run_all(&seen, p, [4, 5, 6]),
                [4, 5, 6],
                "with no stages, what goes in comes out unchanged ({SECTION})"
            );
        }),
    );
}

#[test]
fn each_stage_runs_on_a_thread_of_its_own() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let stages = (0..4).map(add).collect();
            let p = seen.start(stages);
            let threads: Vec<ThreadId> = p.threads.iter().map(|h| h.thread().id()).collect();
            assert_eq!(threads.len(), 4, "one thread per stage ({SECTION})");
            run_all(&seen, p, 0..20);
            for i in 0..4 {
                assert_eq!(
                    seen.stage(i).items.load(SeqCst),
                    20,
                    "every stage sees every item ({SECTION})"
                );
            }
            check_threads(&seen, &threads);
        }),
    );
}

#[test]
fn every_number_of_stages_and_items() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            // Stage i turns x into 3x + i + 1: each stage leaves its mark,
            // and the order of the stages shows in the result.
            let apply = |x: i64, n: usize| (0..n as i64).fold(x, |x, i| 3 * x + i + 1);
            for n in 0..=6 {
                for count in [0, 1, 2, 3, 5, 100] {
                    let stages = (0..n as i64)
                        .map(|i| Box::new(move |x: i64| 3 * x + i + 1) as Stage<i64>)
                        .collect();
                    let p = seen.start(stages);
                    let threads: Vec<ThreadId> =
                        p.threads.iter().map(|h| h.thread().id()).collect();
                    assert_eq!(
                        threads.len(),
                        n,
                        "with {n} stages, `threads` must hold {n} handles, one per stage \
                         ({SECTION})"
                    );
                    let out = run_all(&seen, p, 0..count);
                    let expected: Vec<i64> = (0..count).map(|x| apply(x, n)).collect();
                    assert!(
                        out == expected,
                        "with {n} stages and {count} items, the output was {} items{}: \
                         every item must go through every stage, in order, and come out \
                         in the order it went in ({SECTION})",
                        out.len(),
                        if out.len() == expected.len() {
                            ", not each changed by every stage in turn"
                        } else {
                            ""
                        }
                    );
                    check_threads(&seen, &threads);
                }
            }
        }),
    );
}

#[test]
fn each_item_moves_on_as_soon_as_its_stage_is_done() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |seen: &Seen| {
            format!(
                "an item did not come out before the next one went in. Here the test \
                 sends one item and waits for it at the output before it sends the next, \
                 so every stage must send each result on at once, not wait to collect \
                 more input first (book: 3.7 Patterns). {}",
                seen.diagnosis()
            )
        }),
        run_with(|seen: Seen| {
            let p = seen.start(vec![add(10), times(3), add(1)]);
            for x in 0..5 {
                p.input.send(x).unwrap();
                assert_eq!(
                    p.output.recv().ok(),
                    Some((x + 10) * 3 + 1),
                    "item {x} must come out through every stage ({SECTION})"
                );
            }
            seen.phase(INPUT_DROPPED);
            drop(p.input);
            assert_eq!(p.output.iter().next(), None, "{SECTION}");
            join_stages(&seen, p.threads);
        }),
    );
}

/// How long the test lets a stage's thread spin before it stops waiting
/// for it to go to sleep: only a right answer that polls its input gets
/// here, and it passes.
const SPIN_ALLOWANCE: Duration = Duration::from_millis(300);

#[test]
fn a_stage_waits_while_its_input_is_open() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let p = seen.start(vec![add(1), add(2), add(3)]);
            for x in 0..5 {
                p.input.send(x).unwrap_or_else(|_| {
                    panic!(
                        "the pipeline's input closed after {x} items: stage 0's thread \
                         ended while its input was still open (the test still held the \
                         input's Sender). \"Nothing waiting yet\" is not the end of the \
                         input: wait for the next item with recv (or `for item in rx`), \
                         which returns Err only once every Sender is gone \
                         (book: 3.3 Receiving)"
                    )
                });
                let got = p.output.recv().ok();
                if got.is_none() {
                    panic!(
                        "the pipeline's output closed after {x} items while the test still \
                         held the input's Sender: a stage's thread ended while its input was \
                         still open. \"Nothing waiting yet\" is not the end of the input. \
                         Wait for the next item with recv (or `for item in rx`), which \
                         returns Err only once every Sender is gone (book: 3.3 Receiving)"
                    );
                }
                assert_eq!(got, Some(x + 6), "{SECTION}");
                // Nothing more is coming for now: every stage must wait for
                // its next item (asleep in recv), not end. The test sends
                // the next item only once each stage's thread is seen asleep
                // or ended, so a stage that takes "nothing waiting" for the
                // end of its input always ends here.
                let started = Instant::now();
                loop {
                    let mut all_settled = true;
                    for i in 0..3 {
                        let stage = seen.stage(i);
                        if stage.exits.running() == 0 {
                            panic!(
                                "stage {i}'s thread ended after item {x}: it ended while \
                                 its input was still open (the test still held the \
                                 input's Sender). \"Nothing waiting yet\" is not the end \
                                 of the input. Wait for the next item with recv (or `for item \
                                 in rx`), which returns Err only once every Sender is \
                                 gone (book: 3.3 Receiving)"
                            );
                        }
                        let tid = stage.tid.load(SeqCst);
                        match state_of(tid) {
                            Some('S') => {}
                            None if tid == 0 => {}
                            _ => all_settled = false,
                        }
                    }
                    if all_settled || started.elapsed() > SPIN_ALLOWANCE {
                        break;
                    }
                    thread::yield_now();
                }
            }
            seen.phase(INPUT_DROPPED);
            drop(p.input);
            assert_eq!(p.output.iter().next(), None, "{SECTION}");
            join_stages(&seen, p.threads);
        }),
    );
}

#[test]
fn a_stage_keeps_its_state_between_items() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let mut count = 0;
            let numbering: Stage<i64> = Box::new(move |x| {
                count += 1;
                x * 1000 + count
            });
            let p = seen.start(vec![numbering, add(0)]);
            assert_eq!(
                run_all(&seen, p, [7, 8, 9]),
                [7001, 8002, 9003],
                "each stage is one closure, called for every item in turn on its thread \
                 ({SECTION})"
            );
        }),
    );
}

#[test]
fn every_thread_ends_when_the_input_ends() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let p = seen.start(vec![add(1), add(1), add(1)]);
            p.input.send(1).unwrap();
            seen.phase(INPUT_DROPPED);
            drop(p.input);
            let out: Vec<i64> = p.output.iter().collect();
            assert_eq!(out, [4], "{SECTION}");
            join_stages(&seen, p.threads);
            // Joined, so ended; and ended as the threads that ran the stages.
            for i in 0..3 {
                assert_eq!(
                    seen.stage(i).exits.running(),
                    0,
                    "the handles in `threads` were joined, but the thread that ran stage \
                     {i} is still running: `threads` must hold the handles of the stages' \
                     own threads ({SECTION})"
                );
            }
        }),
    );
}

#[test]
fn the_stages_stop_when_nobody_reads_the_output() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let p = seen.start(vec![add(1), add(2), add(3)]);
            seen.phase(OUTPUT_DROPPED);
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
                seen.state.joining.store(threads.len(), SeqCst);
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
        }),
    );
}
