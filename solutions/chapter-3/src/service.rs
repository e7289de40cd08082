//! A request/reply service (book: 3.8.5).

// ANSWER: use std::sync::mpsc::Sender;
// ANSWER: use std::thread::JoinHandle;
use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};
// END ANSWER

/// The answer to a call when the service thread is no longer there (it
/// panicked, or it has ended).
#[derive(Debug, PartialEq, Eq)]
pub struct ServiceGone;

/// A handle for calling the service. Clone it to call from several
/// threads. The service runs until every `Client` is dropped.
pub struct Client<Req, Resp> {
    /// Each request travels with the Sender for its own reply.
    requests: Sender<(Req, Sender<Resp>)>,
}

impl<Req, Resp> Clone for Client<Req, Resp> {
    fn clone(&self) -> Self {
        // ANSWER: todo!("Client::clone: clone the Sender (book: 3.5 Several producers)")
        Client {
            requests: self.requests.clone(),
        }
        // END ANSWER
    }
}

impl<Req, Resp> Client<Req, Resp> {
    /// Sends `request` to the service and waits for its answer.
    pub fn call(&self, request: Req) -> Result<Resp, ServiceGone> {
        // ANSWER: todo!("Client::call: send the request with a reply Sender, wait (book: 3.7 Patterns)")
        let (reply, answer) = mpsc::channel();
        self.requests
            .send((request, reply))
            .map_err(|_| ServiceGone)?;
        answer.recv().map_err(|_| ServiceGone)
        // END ANSWER
    }
}

/// Starts a service thread that answers each request with `handler`, one
/// request at a time, in the order they arrive. The thread ends when every
/// `Client` is dropped. Returns the first client and the thread's handle.
// ANSWER: pub fn spawn_service<Req, Resp, H>(handler: H) -> (Client<Req, Resp>, JoinHandle<()>)
pub fn spawn_service<Req, Resp, H>(mut handler: H) -> (Client<Req, Resp>, JoinHandle<()>)
// END ANSWER
where
    Req: Send + 'static,
    Resp: Send + 'static,
    H: FnMut(Req) -> Resp + Send + 'static,
{
    // ANSWER: todo!("spawn_service: a request channel and a service thread (book: 3.7 Patterns)")
    let (requests, incoming) = mpsc::channel::<(Req, Sender<Resp>)>();
    let service = thread::spawn(move || {
        for (request, reply) in incoming {
            // The caller may have given up; that is no reason to stop.
            let _ = reply.send(handler(request));
        }
    });
    (Client { requests }, service)
    // END ANSWER
}
