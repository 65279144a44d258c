//! The dev server's connection layer: hyper (HTTP/1.1 only) on a small
//! tokio runtime, with the limits that keep one client from hurting the
//! server or the others.
//!
//! - The request line and headers together are at most [`MAX_HEAD`] bytes
//!   (hyper answers 431 beyond, and its read buffer never grows past
//!   [`MAX_BUFFER`]), so memory per connection is bounded whatever is sent.
//! - A client has [`HEADER_TIMEOUT`] to send a request's head (also the
//!   longest an idle keep-alive connection is kept): a slow-loris client
//!   holds a connection for that long at most.
//! - At most [`MAX_CONNECTIONS`] are served at once; more wait in the
//!   kernel's accept queue instead of costing memory.
//! - A body is read only when the handler asks for it after seeing the head
//!   ([`Handler::wants_body`]: the editor's write endpoints, once the
//!   request passed every check), and then through `http_body_util::Limited`
//!   at [`MAX_BODY`] whatever `Content-Length` said (413 beyond); its work
//!   runs on tokio's blocking pool. Other bodies are dropped unread, and
//!   hyper closes a connection whose body was left unread, so a declared
//!   `Content-Length` allocates nothing.
//! - Each connection is its own task, and the handler runs inside
//!   `catch_unwind`: a panic is answered with a 500 and logged, and the
//!   server carries on.

use std::convert::Infallible;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use http_body_util::Full;
use http_body_util::Limited;
use http_body_util::combinators::UnsyncBoxBody;
use hyper::body::{Bytes, Incoming};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Every response body the server sends.
pub type Body = UnsyncBoxBody<Bytes, Infallible>;

/// Request line plus headers, in bytes.
pub const MAX_HEAD: usize = 32 * 1024;
/// A connection's read buffer at most (hyper's minimum is 8 KiB).
const MAX_BUFFER: usize = 64 * 1024;
/// Time to send a request's head, and to send the next one on a kept-alive
/// connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 256;
/// A request body larger than this is refused (413), declared or not.
pub const MAX_BODY: u64 = 1024 * 1024;

/// What answers requests.
pub trait Handler: Send + Sync + 'static {
    /// Whether this request's body should be read and given to
    /// [`Handler::handle`]; asked before anything of it is read.
    fn wants_body(&self, head: &Parts) -> bool;
    /// The response; `body` is `Some` only when [`Handler::wants_body`] was
    /// true and the whole body (at most [`MAX_BODY`]) arrived.
    fn handle(&self, head: &Parts, body: Option<&[u8]>) -> Response<Body>;
}

/// Serves `listener` on a thread of its own until the process ends.
pub fn spawn<H: Handler>(listener: std::net::TcpListener, handler: H) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("dossier-http")
        .enable_io()
        .enable_time()
        .build()?;
    let handler = Arc::new(handler);
    std::thread::Builder::new()
        .name("dossier-http".into())
        .spawn(move || runtime.block_on(accept_loop(listener, handler)))?;
    Ok(())
}

async fn accept_loop<H: Handler>(listener: std::net::TcpListener, handler: Arc<H>) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: the dev server cannot accept connections: {e}");
            return;
        }
    };
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_BUFFER);
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let handler = Arc::clone(&handler);
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            service_fn(move |request: Request<Incoming>| {
                let handler = Arc::clone(&handler);
                async move { Ok::<_, Infallible>(respond(handler, request).await) }
            }),
        );
        tokio::spawn(async move {
            // A client that hangs up or times out is no concern of the server's.
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// The handler's response, or a 500 if it panicked. The body is dropped
/// unread unless the handler wants it (see the module comment).
async fn respond<H: Handler>(handler: Arc<H>, request: Request<Incoming>) -> Response<Body> {
    let (parts, body) = request.into_parts();
    if !handler.wants_body(&parts) {
        drop(body);
        return answer_or_500(|| handler.handle(&parts, None), parts.uri.path());
    }
    let bytes = match Limited::new(body, MAX_BODY as usize).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return plain(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("payload too large: request bodies are limited to {MAX_BODY} bytes\n"),
            );
        }
        Err(_) => {
            return plain(
                StatusCode::BAD_REQUEST,
                "bad request: the body did not arrive whole\n".into(),
            );
        }
    };
    // Writes and checks read files and parse: not on the I/O threads.
    let path = parts.uri.path().to_string();
    let work = tokio::task::spawn_blocking(move || {
        answer_or_500(|| handler.handle(&parts, Some(&bytes)), &path)
    });
    work.await.unwrap_or_else(|_| {
        plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error: dossier failed on this request\n".into(),
        )
    })
}

fn plain(status: StatusCode, message: String) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from(message)).boxed_unsync());
    *response.status_mut() = status;
    response
}

fn answer_or_500(answer: impl FnOnce() -> Response<Body>, path: &str) -> Response<Body> {
    catch_unwind(AssertUnwindSafe(answer)).unwrap_or_else(|_| {
        eprintln!("error: the dev server failed on a request for {path:?} (a bug in dossier); it keeps serving");
        let mut response = Response::new(
            Full::new(Bytes::from_static(b"internal error: dossier failed on this request\n"))
                .boxed_unsync(),
        );
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_is_a_500() {
        let response = answer_or_500(|| panic!("a bug"), "/x");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let fine = answer_or_500(
            || Response::new(Full::new(Bytes::new()).boxed_unsync()),
            "/",
        );
        assert_eq!(fine.status(), StatusCode::OK);
    }
}
