//! The dev server's HTTP side: serving the in-memory site safely, and the
//! live-reload channel.
//!
//! Only GET and HEAD are answered. A request path is percent-decoded and
//! must then be made of plain segments (no `.`/`..`, backslashes or NUL);
//! anything else is a 400, so nothing outside the built site can be named,
//! let alone served. Missing paths get the site's own 404 page.
//!
//! Live reload uses server-sent events on `/__dossier/events`: each open tab
//! holds one connection and is told `reload` after a good rebuild or
//! `errors` (with the findings as JSON) after a failed one; a small script,
//! injected into every HTML page served, reloads or shows an overlay.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::dev::Files;

pub const EVENTS_PATH: &str = "/__dossier/events";
pub const SCRIPT_PATH: &str = "/__dossier/live.js";
/// The current findings as JSON (what the overlay shows), for tools and tests.
pub const ERRORS_PATH: &str = "/__dossier/errors";

const LIVE_SCRIPT: &str = include_str!("live.js");
/// A comment line every so often, so a closed tab is noticed even when
/// nothing is being rebuilt.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// What the server shows: the last good site and the current findings.
pub struct State {
    pub files: Arc<Files>,
    /// JSON array of the findings of the last failed rebuild; `[]` when good.
    pub errors: String,
}

/// Open live-reload connections.
#[derive(Default)]
pub struct Clients {
    senders: Mutex<Vec<Sender<String>>>,
}

impl Clients {
    /// Sends an event to every open tab and forgets the closed ones.
    pub fn broadcast(&self, event: &str, data: &str) {
        let message = format!(
            "event: {event}\ndata: {}\n\n",
            data.replace('\n', "\ndata: ")
        );
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders.retain(|s| s.send(message.clone()).is_ok());
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.senders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }
}

/// Holds one live-reload connection open, writing each broadcast as it
/// comes (and a comment line now and then). tiny_http buffers response
/// bodies, so the event stream is written to the connection directly, after
/// a plain `200` head. When the tab goes away a write fails, the loop ends
/// and the receiver is dropped, so the next broadcast forgets the sender: a
/// closed tab costs nothing.
fn stream_events(request: Request, events: Receiver<String>) -> io::Result<()> {
    let mut writer = request.into_writer();
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    )?;
    writer.flush()?;
    loop {
        let message = match events.recv_timeout(HEARTBEAT) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": heartbeat\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        writer.write_all(message.as_bytes())?;
        writer.flush()?;
    }
}

pub fn handle(request: Request, state: &RwLock<State>, clients: &Clients) {
    let result = match request.method() {
        Method::Get | Method::Head => respond(request, state, clients),
        _ => {
            let response = Response::from_string("only GET and HEAD are served\n")
                .with_status_code(405)
                .with_header(header("Allow", "GET, HEAD"));
            request.respond(response)
        }
    };
    // A client that hung up mid-response is no concern of the server's.
    let _ = result;
}

fn respond(request: Request, state: &RwLock<State>, clients: &Clients) -> io::Result<()> {
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    match raw.as_str() {
        EVENTS_PATH => return stream_events(request, clients.subscribe()),
        SCRIPT_PATH => {
            return request.respond(bytes(
                LIVE_SCRIPT.as_bytes().to_vec(),
                "text/javascript; charset=utf-8",
                200,
            ));
        }
        ERRORS_PATH => {
            let errors = state.read().map(|s| s.errors.clone()).unwrap_or_default();
            return request.respond(bytes(errors.into_bytes(), "application/json", 200));
        }
        _ => {}
    }
    let Some(path) = safe_path(&raw) else {
        return request.respond(bytes(
            b"bad request: that path is not allowed\n".to_vec(),
            "text/plain; charset=utf-8",
            400,
        ));
    };
    let files = state
        .read()
        .map(|s| Arc::clone(&s.files))
        .unwrap_or_default();
    let (status, file, body) = match lookup(&files, &path) {
        Some((file, body)) => (200, file, body),
        None => match files.get("404.html") {
            Some(body) => (404, "404.html".to_string(), Arc::clone(body)),
            None => {
                return request.respond(bytes(
                    b"not found\n".to_vec(),
                    "text/plain; charset=utf-8",
                    404,
                ));
            }
        },
    };
    let kind = content_type(&file);
    let body = if kind.starts_with("text/html") {
        inject_live_script(&body)
    } else {
        body.to_vec()
    };
    request.respond(bytes(body, &kind, status))
}

/// The decoded path as plain segments, or `None` if it tries anything.
pub fn safe_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.starts_with("//") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return None;
    }
    let ends_with_slash = decoded.ends_with('/');
    let mut parts = Vec::new();
    for segment in decoded.split('/').skip(1) {
        match segment {
            "" => continue,
            "." | ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if ends_with_slash && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// `a/` and `a` find `a/index.html`; the root finds `index.html`.
fn lookup(files: &Files, path: &str) -> Option<(String, Arc<[u8]>)> {
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_string(), format!("{path}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| files.get(&c).map(|body| (c, Arc::clone(body))))
}

fn content_type(file: &str) -> String {
    let guess = mime_guess::from_path(file).first_or_octet_stream();
    match guess.type_() {
        mime_guess::mime::TEXT => format!("{guess}; charset=utf-8"),
        _ if guess.subtype() == "javascript"
            || guess.subtype() == "json"
            || guess.subtype() == "xml" =>
        {
            format!("{guess}; charset=utf-8")
        }
        _ => guess.to_string(),
    }
}

fn inject_live_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn bytes(body: Vec<u8>, content_type: &str, status: u16) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("a constant header is valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_are_allowed() {
        assert_eq!(safe_path("/").as_deref(), Some(""));
        assert_eq!(
            safe_path("/partners/japan/").as_deref(),
            Some("partners/japan/")
        );
        assert_eq!(safe_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(safe_path("/caf%C3%A9/").as_deref(), Some("café/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/%2f%2fetc",
            "/a/./b",
            "/%00",
            "relative",
            "/C:/x",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn lookup_finds_indexes() {
        let mut files = Files::new();
        files.insert("index.html".into(), Arc::from(&b"home"[..]));
        files.insert("a/index.html".into(), Arc::from(&b"a"[..]));
        assert_eq!(lookup(&files, "").unwrap().0, "index.html");
        assert_eq!(lookup(&files, "a/").unwrap().0, "a/index.html");
        assert_eq!(lookup(&files, "a").unwrap().0, "a/index.html");
        assert!(lookup(&files, "b/").is_none());
    }

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
    }
}
