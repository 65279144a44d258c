//! The live-reload channel: server-sent events to every open tab.
//!
//! Each tab holds one `/__dossier/events` connection. [`Clients`] keeps a
//! small bounded queue per tab; [`EventStream`] is the response body that
//! drains it, with a comment line every [`HEARTBEAT`] so that a closed tab is
//! noticed (the write fails, hyper drops the body, the queue's receiver goes
//! and the next broadcast forgets the tab) even when nothing is rebuilt.
//! A tab that stops reading fills its queue and is dropped as well: its
//! browser reconnects and is sent the current state, so nothing is lost.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::{Body, Frame};
use hyper::body::Bytes;
use tokio::sync::mpsc;
use tokio::time::{Instant, Interval};

/// How often an idle event stream gets a comment line.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// Events queued for one tab before it counts as stuck and is dropped.
const QUEUE: usize = 16;
/// Open event streams at most; one more is refused with a 503. A tab needs
/// one, so this is far beyond what an editor opens.
pub const MAX_CLIENTS: usize = 64;

/// One server-sent event, formatted for the wire: every line of `data` gets
/// its own `data:` field, so any text is carried intact.
pub fn message(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Open live-reload connections.
#[derive(Default)]
pub struct Clients {
    senders: Mutex<Vec<mpsc::Sender<Bytes>>>,
}

impl Clients {
    /// Sends an event to every open tab and forgets the closed and stuck
    /// ones. Callable from any thread; never blocks.
    ///
    /// Events the live script understands: `findings`, `reload`, `errors`
    /// and `navigate` (see the contract at the top of `http.rs`).
    pub fn broadcast(&self, event: &str, data: &str) {
        let bytes = Bytes::from(message(event, data));
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders.retain(|s| s.try_send(bytes.clone()).is_ok());
    }

    /// A new stream that starts with `greeting` (the `hello` and current
    /// `findings` events), or `None` when [`MAX_CLIENTS`] are open.
    pub fn subscribe(&self, greeting: String) -> Option<EventStream> {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders.retain(|s| !s.is_closed());
        if senders.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        senders.push(tx);
        Some(EventStream {
            greeting: Some(Bytes::from(greeting)),
            events: rx,
            heartbeat: None,
        })
    }

    /// Open streams, for tests.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.senders.lock().unwrap().len()
    }
}

/// The body of an event-stream response: the greeting, then each
/// broadcast, with heartbeats in between; it never ends by itself.
pub struct EventStream {
    greeting: Option<Bytes>,
    events: mpsc::Receiver<Bytes>,
    /// Created on first poll, inside the runtime.
    heartbeat: Option<Interval>,
}

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if let Some(greeting) = self.greeting.take() {
            return Poll::Ready(Some(Ok(Frame::data(greeting))));
        }
        match self.events.poll_recv(cx) {
            Poll::Ready(Some(bytes)) => return Poll::Ready(Some(Ok(Frame::data(bytes)))),
            // Dropped by a broadcast (the queue was full): end the response,
            // the browser reconnects.
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        let heartbeat = self
            .heartbeat
            .get_or_insert_with(|| tokio::time::interval_at(Instant::now() + HEARTBEAT, HEARTBEAT));
        match heartbeat.poll_tick(cx) {
            Poll::Ready(_) => Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                b": heartbeat\n\n",
            ))))),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_line_is_its_own_field() {
        assert_eq!(message("reload", "x"), "event: reload\ndata: x\n\n");
        assert_eq!(
            message("findings", "[\n1\r\n]"),
            "event: findings\ndata: [\ndata: 1\ndata: ]\n\n"
        );
    }

    #[test]
    fn closed_and_stuck_tabs_are_forgotten_and_the_number_is_bounded() {
        let clients = Clients::default();
        let open = clients.subscribe("hi".into()).unwrap();
        let closed = clients.subscribe("hi".into()).unwrap();
        drop(closed);
        clients.broadcast("reload", "");
        assert_eq!(clients.len(), 1, "the closed tab is forgotten");
        // The open one never reads: after QUEUE events it counts as stuck.
        for _ in 0..QUEUE + 1 {
            clients.broadcast("reload", "");
        }
        assert_eq!(clients.len(), 0, "the stuck tab is dropped");
        drop(open);
        let streams: Vec<_> = (0..MAX_CLIENTS)
            .map(|_| clients.subscribe(String::new()).unwrap())
            .collect();
        assert!(clients.subscribe(String::new()).is_none(), "bounded");
        drop(streams);
        assert!(clients.subscribe(String::new()).is_some(), "freed again");
    }
}
