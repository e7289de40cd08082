//! The contract of the service, clause by clause, and the tests that check
//! each one:
//!
//! - "Each request travels with the Sender for its own reply.": many_clients_at_once_each_get_their_own_answers, a_call_to_a_service_that_is_gone_is_an_error
//! - "Sends `request` to the service and waits for its answer.": answers_each_call, a_call_waits_however_long_the_answer_takes, a_call_to_a_service_that_is_gone_is_an_error
//! - "Starts a service thread that answers each request with `handler`, one request at a time, in the order they arrive.": answers_each_call, the_handler_keeps_its_state_between_requests, requests_are_handled_on_the_service_thread, many_clients_at_once_each_get_their_own_answers
//! - "The thread ends when every `Client` is dropped.": dropping_every_client_shuts_the_service_down, one_client_left_keeps_the_service_running, answers_each_call
//! - "Returns the first client and the thread's handle.": requests_are_handled_on_the_service_thread, dropping_every_client_shuts_the_service_down
//!
//! Every handler the tests give the service reports the thread it runs on,
//! and every call reports when it starts and returns; so a test that hangs
//! says what it saw: whether the handler ran, answered or panicked, and
//! whether the service thread is still alive.

use crate::chapter_3::service::{Client, ServiceGone, spawn_service};
use crate::common::{diagnose_with, run_with};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::{Duration, Instant};
use test_support::{
    ThreadExits, panics_on, record_panics, watchdog_diagnosed, watchdog_diagnosed_for,
};

const SECTION: &str = "book: 3.8.5 A service thread";

/// What the test is doing.
const SPAWNING: usize = 0;
const CALLING: usize = 1;
const JOINING: usize = 2;

/// What the test saw of one service, shared with its diagnosis.
#[derive(Clone, Default)]
struct Seen {
    state: Arc<SeenState>,
}

#[derive(Default)]
struct SeenState {
    phase: AtomicUsize,
    /// Calls of the handler that began, and that returned.
    handled: AtomicUsize,
    answered: AtomicUsize,
    /// Calls of `call` that began, and that returned.
    calls: AtomicUsize,
    returned: AtomicUsize,
    /// The threads the handler ran on (watched), and the service thread.
    handler_threads: Mutex<Vec<ThreadId>>,
    exits: ThreadExits,
    service: Mutex<Option<ThreadId>>,
    /// Whether every Client has been dropped.
    clients_dropped: AtomicBool,
}

impl Seen {
    /// `spawn_service(handler)`, watched.
    fn spawn<Req, Resp>(
        &self,
        mut handler: impl FnMut(Req) -> Resp + Send + 'static,
    ) -> (Client<Req, Resp>, JoinHandle<()>)
    where
        Req: Send + 'static,
        Resp: Send + 'static,
    {
        record_panics();
        let state = Arc::clone(&self.state);
        let watched = move |request: Req| {
            let me = thread::current().id();
            {
                let mut threads = state.handler_threads.lock().unwrap();
                if !threads.contains(&me) {
                    threads.push(me);
                    state.exits.watch();
                }
            }
            state.handled.fetch_add(1, SeqCst);
            let answer = handler(request);
            state.answered.fetch_add(1, SeqCst);
            answer
        };
        self.state.phase.store(SPAWNING, SeqCst);
        let (client, service) = spawn_service(watched);
        *self.state.service.lock().unwrap() = Some(service.thread().id());
        self.state.phase.store(CALLING, SeqCst);
        (client, service)
    }

    /// `client.call(request)`, watched.
    fn call<Req, Resp>(
        &self,
        client: &Client<Req, Resp>,
        request: Req,
    ) -> Result<Resp, ServiceGone> {
        self.state.calls.fetch_add(1, SeqCst);
        let answer = client.call(request);
        self.state.returned.fetch_add(1, SeqCst);
        answer
    }

    /// Joins the service thread, once every Client is gone.
    fn join(&self, service: JoinHandle<()>) -> thread::Result<()> {
        self.join_with_clients(service, false)
    }

    /// Joins the service thread, with or without a Client left.
    fn join_with_clients(&self, service: JoinHandle<()>, clients: bool) -> thread::Result<()> {
        self.state.clients_dropped.store(!clients, SeqCst);
        self.state.phase.store(JOINING, SeqCst);
        service.join()
    }

    /// What a stuck test saw. Never blocks.
    fn diagnosis(&self) -> String {
        let s = &self.state;
        let (Ok(threads), Ok(service)) = (s.handler_threads.try_lock(), s.service.try_lock())
        else {
            return format!("the test got stuck ({SECTION}).");
        };
        let service = *service;
        let handled = s.handled.load(SeqCst);
        let answered = s.answered.load(SeqCst);
        let ran_elsewhere = threads.iter().any(|t| Some(*t) != service);
        let panicked_on: Vec<ThreadId> = threads
            .iter()
            .copied()
            .filter(|&t| !panics_on(t).is_empty())
            .collect();
        let alive = s.exits.try_running().map(|n| n > 0);
        match s.phase.load(SeqCst) {
            SPAWNING => "spawn_service did not return. It must start the service thread and \
                         return the first Client and the thread's handle at once: the \
                         service thread runs on its own, until every Client is dropped \
                         (book: 3.7 Patterns)."
                .to_owned(),
            CALLING => {
                let calls = s.calls.load(SeqCst) - s.returned.load(SeqCst);
                if !panicked_on.is_empty() && alive == Some(false) {
                    "the handler panicked, and the service thread has ended, yet call still \
                     waits for its answer. Its reply Receiver sees that no answer will come \
                     only once every Sender of that reply channel is gone: the one that came \
                     with the request was dropped with the service thread, so another one is \
                     still alive (a reply channel shared by the Clients?). Make a fresh \
                     reply channel in each call, and let only the request carry its Sender \
                     (book: 3.7 Patterns)."
                        .to_owned()
                } else if handled == 0 {
                    format!(
                        "{calls} call(s) wait, and the handler has not been called: the \
                         request never reached the service thread. call must send the \
                         request, with a Sender for the reply, through the Client's Sender, \
                         and the service thread must receive it and call the handler \
                         (book: 3.7 Patterns)."
                    )
                } else if answered >= handled && calls > 0 {
                    format!(
                        "the handler has answered {answered} request(s), yet a call still \
                         waits: the service thread must send each answer through the reply \
                         Sender that came with its request, and call must wait on that \
                         reply's Receiver (book: 3.7 Patterns)."
                    )
                } else {
                    format!(
                        "a call never got its answer (the handler began {handled} request(s) \
                         and answered {answered}). A call sends the request together with a \
                         Sender for the reply, then waits on that reply's Receiver \
                         (book: 3.7 Patterns)."
                    )
                }
            }
            JOINING if !panicked_on.is_empty() && ran_elsewhere => {
                "the handler ran, and panicked, on another thread than the service thread, \
                 and the service thread is still alive. The service thread itself must call \
                 the handler, one request at a time; a panic in the handler then ends the \
                 service thread, and its join returns the panic (book: 3.7 Patterns)."
                    .to_owned()
            }
            JOINING if !panicked_on.is_empty() && alive == Some(true) => {
                "the handler panicked on the service thread, and the thread is still alive: \
                 it caught the panic (catch_unwind?) and went on serving. A panic in the \
                 handler must end the service thread: that is how its callers learn that \
                 the service is gone (Err(ServiceGone)), and how its join returns the \
                 panic (book: 1.5 When a thread panics)."
                    .to_owned()
            }
            JOINING if !s.clients_dropped.load(SeqCst) => "the service thread has not ended, \
                 although its handler panicked: a panic in the handler must end the service \
                 thread (book: 1.5 When a thread panics)."
                .to_owned(),
            JOINING => "every Client was dropped, yet the service thread has not ended. Its \
                        loop over the requests ends only when every Sender of requests is \
                        gone: the service thread must not keep one itself (nor put one in \
                        the handler or a reply), and nothing else may either \
                        (book: 3.4 How a channel closes)."
                .to_owned(),
            _ => String::new(),
        }
    }
}

#[test]
fn answers_each_call() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (client, service) = seen.spawn(|n: u64| n * n);
            for n in [0, 3, 12] {
                assert_eq!(seen.call(&client, n), Ok(n * n), "{SECTION}");
            }
            drop(client);
            assert!(
                seen.join(service).is_ok(),
                "the service thread panicked ({SECTION})"
            );
        }),
    );
}

#[test]
fn the_handler_keeps_its_state_between_requests() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let mut total = 0;
            let (client, service) = seen.spawn(move |n: i32| {
                total += n;
                total
            });
            let answers: Vec<_> = [5, 10, -3]
                .into_iter()
                .map(|n| seen.call(&client, n))
                .collect();
            assert_eq!(
                answers,
                [Ok(5), Ok(15), Ok(12)],
                "one handler, called for each request in turn ({SECTION})"
            );
            drop(client);
            seen.join(service).unwrap();
        }),
    );
}

#[test]
fn requests_are_handled_on_the_service_thread() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (client, service) = seen.spawn(|()| thread::current().id());
            let service_id = service.thread().id();
            let caller = thread::current().id();
            for _ in 0..3 {
                let ran_on = seen.call(&client, ()).unwrap();
                assert_ne!(
                    ran_on, caller,
                    "the handler ran on the calling thread: it must run on the service \
                     thread, which owns it ({SECTION})"
                );
                assert_eq!(
                    ran_on, service_id,
                    "the handler must run on the thread whose handle spawn_service \
                     returns ({SECTION})"
                );
            }
            drop(client);
            seen.join(service).unwrap();
        }),
    );
}

#[test]
fn many_clients_at_once_each_get_their_own_answers() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (client, service) = seen.spawn(|(who, n): (usize, u32)| (who, n + 1));
            let all_ready = Arc::new(Barrier::new(8));
            let callers: Vec<_> = (0..8)
                .map(|who| {
                    let client: Client<(usize, u32), (usize, u32)> = client.clone();
                    let all_ready = Arc::clone(&all_ready);
                    let seen = seen.clone();
                    thread::spawn(move || {
                        all_ready.wait();
                        for n in 0..100 {
                            let answer = seen.call(&client, (who, n));
                            assert!(
                                answer.is_ok(),
                                "caller {who}, calling through a clone of the Client, got \
                                 {answer:?}, although the service is running: a clone of a \
                                 Client sends to the same service (clone the Sender) \
                                 ({SECTION})"
                            );
                            assert_eq!(
                                answer,
                                Ok((who, n + 1)),
                                "caller {who} got another caller's answer: each request \
                                 must carry a reply Sender of its own ({SECTION})"
                            );
                        }
                    })
                })
                .collect();
            for caller in callers {
                if let Err(payload) = caller.join() {
                    panic::resume_unwind(payload);
                }
            }
            drop(client);
            seen.join(service).unwrap();
        }),
    );
}

/// How long the handler below takes: longer than any "the service must be
/// gone by now" that an answer might wait for before it gives up.
const SLOW: Duration = Duration::from_millis(1500);

#[test]
fn a_call_waits_however_long_the_answer_takes() {
    watchdog_diagnosed_for(
        test_support::timeout() + SLOW,
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            // The handler answers once the test lets it: after the call
            // has waited a second and a half, or as soon as the call has
            // returned without the answer.
            let (go_tx, go_rx) = mpsc::channel::<()>();
            let let_go = Arc::new(AtomicBool::new(false));
            let (client, service) = seen.spawn(move |n: u32| {
                let _ = go_rx.recv();
                n + 1
            });
            let (returned_tx, returned_rx) = mpsc::channel::<()>();
            let opener = {
                let let_go = Arc::clone(&let_go);
                thread::spawn(move || {
                    let _ = returned_rx.recv_timeout(SLOW);
                    let_go.store(true, SeqCst);
                    let _ = go_tx.send(());
                })
            };
            let started = Instant::now();
            let answer = seen.call(&client, 41);
            let waited = started.elapsed();
            let answered_in_time = let_go.load(SeqCst);
            drop(returned_tx);
            opener.join().unwrap();
            assert!(
                answered_in_time,
                "call returned {answer:?} after {waited:.1?}, while the service was still \
                 working on the request (its handler takes a while). call must wait for the \
                 answer however long it takes (recv, not recv_timeout or a limited number of \
                 try_recv): only a service thread that is gone is a reason to give up, and \
                 then the reply's Receiver says so by itself ({SECTION})"
            );
            assert_eq!(answer, Ok(42), "{SECTION}");
            drop(client);
            seen.join(service).unwrap();
        }),
    );
}

#[test]
fn dropping_every_client_shuts_the_service_down() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            // Set when the handler is dropped, which happens when the service
            // thread ends.
            struct Guard(Arc<AtomicBool>);
            impl Drop for Guard {
                fn drop(&mut self) {
                    self.0.store(true, SeqCst);
                }
            }
            let handler_dropped = Arc::new(AtomicBool::new(false));
            let guard = Guard(Arc::clone(&handler_dropped));
            let (client, service) = seen.spawn(move |n: u8| {
                let _keep = &guard;
                n
            });
            let service_id = service.thread().id();
            let other = client.clone();
            let elsewhere = {
                let seen = seen.clone();
                thread::spawn(move || seen.call(&other, 7))
            };
            assert_eq!(
                elsewhere.join().unwrap(),
                Ok(7),
                "a call through a clone of the Client, from another thread, must be \
                 answered by the same service ({SECTION})"
            );
            drop(client);
            assert!(
                seen.join(service).is_ok(),
                "the service thread panicked ({SECTION})"
            );
            assert!(
                handler_dropped.load(SeqCst),
                "the service thread ended, so its handler must be gone ({SECTION})"
            );
            assert_eq!(
                seen.state.handler_threads.lock().unwrap().as_slice(),
                [service_id],
                "the handler must run on the service thread, whose handle spawn_service \
                 returns ({SECTION})"
            );
        }),
    );
}

#[test]
fn one_client_left_keeps_the_service_running() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (client, service) = seen.spawn(|s: String| s.len());
            let second = client.clone();
            drop(client);
            assert_eq!(
                seen.call(&second, "still here".to_owned()),
                Ok(10),
                "one Client is still alive, so the service must still answer: a clone \
                 of a Client sends to the same service ({SECTION})"
            );
            let third = second.clone();
            drop(second);
            assert_eq!(
                seen.call(&third, "clone of a clone".to_owned()),
                Ok(16),
                "{SECTION}"
            );
            drop(third);
            seen.join(service).unwrap();
        }),
    );
}

#[test]
fn a_call_to_a_service_that_is_gone_is_an_error() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (client, service) = seen.spawn(|n: i32| {
                if n < 0 {
                    panic!("negative request");
                }
                n
            });
            assert_eq!(seen.call(&client, 1), Ok(1), "{SECTION}");
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| seen.call(&client, -1)));
            let answer = outcome.unwrap_or_else(|_| {
                panic!(
                    "call panicked when the service thread died before answering: the reply \
                     Sender was dropped, so recv returned Err; return Err(ServiceGone) \
                     instead of unwrapping it (book: 3.4 How a channel closes)"
                )
            });
            assert_eq!(answer, Err(ServiceGone), "{SECTION}");

            let payload = seen
                .join_with_clients(service, true)
                .expect_err("the handler panicked, so the service thread must have panicked");
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"negative request"));

            // The service thread is gone, and with it the receiving end.
            let later = panic::catch_unwind(AssertUnwindSafe(|| seen.call(&client, 2)));
            assert_eq!(
                later.ok(),
                Some(Err(ServiceGone)),
                "the service has ended, so sending the request fails: return \
                 Err(ServiceGone) instead of unwrapping (book: 3.4 How a channel closes)"
            );
        }),
    );
}
