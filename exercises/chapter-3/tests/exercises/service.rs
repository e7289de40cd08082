use crate::chapter_3::service::{Client, ServiceGone, spawn_service};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Barrier};
use std::thread;
use test_support::watchdog;

const SECTION: &str = "book: 3.8.5 A service thread";
const STUCK: &str = "a call never got its answer, or the service thread never ended. A \
                     call sends the request together with a Sender for the reply, then \
                     waits on that reply's Receiver; the service thread's loop ends only \
                     when every Client (every Sender of requests) is gone, so the service \
                     must not keep one itself (book: 3.7 Patterns).";

#[test]
fn answers_each_call() {
    watchdog(STUCK, || {
        let (client, service) = spawn_service(|n: u64| n * n);
        for n in [0, 3, 12] {
            assert_eq!(client.call(n), Ok(n * n), "{SECTION}");
        }
        drop(client);
        assert!(
            service.join().is_ok(),
            "the service thread panicked ({SECTION})"
        );
    });
}

#[test]
fn the_handler_keeps_its_state_between_requests() {
    watchdog(STUCK, || {
        let mut total = 0;
        let (client, service) = spawn_service(move |n: i32| {
            total += n;
            total
        });
        let answers: Vec<_> = [5, 10, -3].into_iter().map(|n| client.call(n)).collect();
        assert_eq!(
            answers,
            [Ok(5), Ok(15), Ok(12)],
            "one handler, called for each request in turn ({SECTION})"
        );
        drop(client);
        service.join().unwrap();
    });
}

#[test]
fn requests_are_handled_on_the_service_thread() {
    watchdog(STUCK, || {
        let (client, service) = spawn_service(|()| thread::current().id());
        let service_id = service.thread().id();
        let caller = thread::current().id();
        for _ in 0..3 {
            let ran_on = client.call(()).unwrap();
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
        service.join().unwrap();
    });
}

#[test]
fn many_clients_at_once_each_get_their_own_answers() {
    watchdog(STUCK, || {
        let (client, service) = spawn_service(|(who, n): (usize, u32)| (who, n + 1));
        let all_ready = Arc::new(Barrier::new(8));
        let callers: Vec<_> = (0..8)
            .map(|who| {
                let client: Client<(usize, u32), (usize, u32)> = client.clone();
                let all_ready = Arc::clone(&all_ready);
                thread::spawn(move || {
                    all_ready.wait();
                    for n in 0..100 {
                        assert_eq!(
                            client.call((who, n)),
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
        service.join().unwrap();
    });
}

#[test]
fn dropping_every_client_shuts_the_service_down() {
    watchdog(
        "the service thread did not end after every Client was dropped. Its loop \
         over the requests ends only when every Sender of requests is gone: the \
         service thread must not keep one itself, and nothing else may either \
         (book: 3.4 How a channel closes).",
        || {
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
            let (client, service) = spawn_service(move |n: u8| {
                let _keep = &guard;
                n
            });
            let other = client.clone();
            let elsewhere = thread::spawn(move || other.call(7));
            assert_eq!(elsewhere.join().unwrap(), Ok(7), "{SECTION}");
            drop(client);
            assert!(
                service.join().is_ok(),
                "the service thread panicked ({SECTION})"
            );
            assert!(
                handler_dropped.load(SeqCst),
                "the service thread ended, so its handler must be gone ({SECTION})"
            );
        },
    );
}

#[test]
fn one_client_left_keeps_the_service_running() {
    watchdog(STUCK, || {
        let (client, service) = spawn_service(|s: String| s.len());
        let second = client.clone();
        drop(client);
        assert_eq!(
            second.call("still here".to_owned()),
            Ok(10),
            "one Client is still alive, so the service must still answer ({SECTION})"
        );
        drop(second);
        service.join().unwrap();
    });
}

#[test]
fn a_call_to_a_service_that_is_gone_is_an_error() {
    watchdog(STUCK, || {
        let (client, service) = spawn_service(|n: i32| {
            if n < 0 {
                panic!("negative request");
            }
            n
        });
        assert_eq!(client.call(1), Ok(1), "{SECTION}");
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| client.call(-1)));
        let answer = outcome.unwrap_or_else(|_| {
            panic!(
                "call panicked when the service thread died before answering: the reply \
                 Sender was dropped, so recv returned Err; return Err(ServiceGone) \
                 instead of unwrapping it (book: 3.4 How a channel closes)"
            )
        });
        assert_eq!(answer, Err(ServiceGone), "{SECTION}");

        let payload = service
            .join()
            .expect_err("the handler panicked, so the service thread must have panicked");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"negative request"));

        // The service thread is gone, and with it the receiving end.
        let later = panic::catch_unwind(AssertUnwindSafe(|| client.call(2)));
        assert_eq!(
            later.ok(),
            Some(Err(ServiceGone)),
            "the service has ended, so sending the request fails: return \
             Err(ServiceGone) instead of unwrapping (book: 3.4 How a channel closes)"
        );
    });
}
