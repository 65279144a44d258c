//! The dev server's routes: the in-memory site, served safely, and the
//! live-reload endpoints under `/__dossier/`. The connection layer (limits,
//! timeouts, panic isolation) is `server.rs`.
//!
//! # What is answered
//!
//! Every request first passes [`Service::refusal`]: its `Host` must name
//! this server and an `Origin`, if sent, must be this server (`hosts.rs`,
//! against DNS rebinding and cross-site requests): 403 otherwise, and 400
//! without a `Host`. A declared body over [`MAX_BODY`] is a 413 before
//! anything is read. Only GET and HEAD are served (405 with `Allow`
//! otherwise), except under `/__dossier/edit/` with `--edit`: the editor
//! (`editor/`) checks its token and then has its POST bodies read, through
//! `http_body_util::Limited` at [`MAX_BODY`] (`server.rs`). Without
//! `--edit` those paths are 404 and no body is ever read.
//!
//! A site path is percent-decoded and must then be made of plain segments
//! (no `.`/`..`, backslashes, NUL or `:`): a 400 otherwise, so nothing
//! outside the built site can be named. `/a/` and `/a` find `a/index.html`,
//! but `/a` answers 301 to `/a/` (with the query) so relative links resolve
//! as on a static host. Missing paths get the site's own 404 page. Until the
//! first build succeeds, every site path gets a small page that shows the
//! errors (`pending.rs`) and turns into the site once it builds. HTML pages
//! get the live script injected before `</body>`.
//!
//! # The live-reload contract
//!
//! - `GET /__dossier/live.js`: the live script (`live.js`).
//! - `GET /__dossier/errors`: the current findings as a JSON array, every
//!   severity (`[]` when clean). Each finding has `severity` (`error` or
//!   `warning`), `code`, `file` (relative to the site root), `line`,
//!   `column` (absent or null without a position), `message`, `hint`, and
//!   may have `end_line`, `end_column`, `notes` and `pages` (files affected
//!   by a grouped finding).
//! - `GET /__dossier/guide/`: the editors' guide (CONTENT.md), each code's
//!   entry at `#CODE` (`guide.rs`).
//! - `GET /__dossier/events`: server-sent events, one connection per tab
//!   (at most 64), a comment line every 10 s; events, in order:
//!   - `hello`, first on every connection: `{"instance": "…", "editor":
//!     "vscode://file/{path}:{line}:{column}" | null, "root": "/abs/site"}`.
//!     `instance` is new for every server process: a tab that reconnects and
//!     sees another one reloads. `editor` is the URL template from
//!     `$DOSSIER_EDITOR` (`{path}` absolute, `{line}`, `{column}`).
//!   - `findings`, right after `hello` and after every rebuild, good or bad:
//!     the JSON array of `/__dossier/errors`. Errors mean the page shows the
//!     last good version; warnings do not block anything.
//!   - `reload` (data: timing JSON), after a good rebuild, after `findings`.
//!   - `errors` (the same array), after a failed rebuild, after `findings`:
//!     kept for tools that listened for it before `findings` existed.
//!   - `navigate` (data: a site path such as `/partners/japan/`): tabs go
//!     there, or reload if they are there. With `--navigate`, a good rebuild
//!     after saving one page sends it instead of `reload`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, Response, StatusCode};

use super::dev::Files;
use super::events::Clients;
use super::hosts::AllowedHosts;
use super::server::Body;
use super::{guide, pending};

pub const EVENTS_PATH: &str = "/__dossier/events";
pub const SCRIPT_PATH: &str = "/__dossier/live.js";
/// The current findings as JSON (what the overlay shows), for tools and tests.
pub const ERRORS_PATH: &str = "/__dossier/errors";
pub const GUIDE_PATH: &str = "/__dossier/guide/";
/// A request body larger than this is refused (413) before it is read.
pub use super::server::MAX_BODY;

const LIVE_SCRIPT: &str = include_str!("live.js");

/// What the server shows: the last good site and the current findings.
pub struct State {
    pub files: Arc<Files>,
    /// JSON array of the findings of the last rebuild, every severity.
    pub findings: String,
    /// Whether a build has succeeded yet; until then `pending.rs` answers.
    pub built: bool,
    /// Pages' `aliases`: old site path → the page's path, answered with a
    /// 301 as the redirect pages and host maps of a build do.
    pub redirects: Arc<HashMap<String, String>>,
    /// Each content file's site path, for the editor's preview.
    pub paths: Arc<std::collections::BTreeMap<String, String>>,
}

/// Everything a request can be answered from.
pub struct Service {
    pub state: Arc<RwLock<State>>,
    pub clients: Arc<Clients>,
    pub hosts: AllowedHosts,
    /// The `hello` event's data (see the contract above).
    pub hello: String,
    /// `--edit`: the editor and its write endpoints.
    pub editor: Option<super::editor::Editor>,
}

impl super::server::Handler for Service {
    fn wants_body(&self, request: &Parts) -> bool {
        self.refusal(request).is_none()
            && self.editor.as_ref().is_some_and(|e| e.wants_body(request))
    }

    fn handle(&self, request: &Parts, body: Option<&[u8]>) -> Response<Body> {
        if let Some(refusal) = self.refusal(request) {
            return refusal;
        }
        if let Some(editor) = &self.editor
            && editor.owns(request.uri.path())
        {
            let seen = self.read(|s| super::editor::Seen {
                findings: s.findings.clone(),
                paths: Arc::clone(&s.paths),
            });
            return editor.handle(request, body, &seen);
        }
        self.route(request)
    }
}

impl Service {
    /// Host, Origin and body size: what must be refused whatever the path.
    fn refusal(&self, request: &Parts) -> Option<Response<Body>> {
        let host = request
            .headers
            .get(header::HOST)
            .map(|h| h.to_str().unwrap_or(""));
        let Some(host) = host else {
            return Some(text(
                StatusCode::BAD_REQUEST,
                "bad request: no Host header (HTTP/1.1 requires one)\n".into(),
            ));
        };
        if !self.hosts.host_ok(host) {
            return Some(text(
                StatusCode::FORBIDDEN,
                format!(
                    "forbidden: this preview answers only to the hosts {}; the request named {:?}.\n\
                     Open the address dossier serve printed (this protects the preview from other sites).\n",
                    self.hosts.describe(),
                    host
                ),
            ));
        }
        if let Some(origin) = request.headers.get(header::ORIGIN)
            && !self.hosts.origin_ok(origin.to_str().unwrap_or(""))
        {
            return Some(text(
                StatusCode::FORBIDDEN,
                format!(
                    "forbidden: requests from other sites are refused; the preview's own pages are served from {}\n",
                    self.hosts.describe()
                ),
            ));
        }
        let declared = request
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().parse::<u64>().unwrap_or(u64::MAX));
        if declared.is_some_and(|length| length > MAX_BODY) {
            return Some(text(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("payload too large: request bodies are limited to {MAX_BODY} bytes\n"),
            ));
        }
        None
    }

    fn route(&self, request: &Parts) -> Response<Body> {
        if request.method != Method::GET && request.method != Method::HEAD {
            let mut response = text(
                StatusCode::METHOD_NOT_ALLOWED,
                "only GET and HEAD are served\n".into(),
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let raw = request.uri.path();
        match raw {
            EVENTS_PATH => self.events(),
            SCRIPT_PATH => bytes(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                Bytes::from_static(LIVE_SCRIPT.as_bytes()),
            ),
            ERRORS_PATH => bytes(
                StatusCode::OK,
                "application/json",
                Bytes::from(self.read(|s| s.findings.clone())),
            ),
            GUIDE_PATH => bytes(
                StatusCode::OK,
                "text/html; charset=utf-8",
                Bytes::from_static(guide::page().as_bytes()),
            ),
            "/__dossier/guide" => redirect(GUIDE_PATH),
            // The screenshot CONTENT.md shows, where the guide's page finds it.
            "/__dossier/guide/docs/editor.png" => bytes(
                StatusCode::OK,
                "image/png",
                Bytes::from_static(include_bytes!("../../docs/editor.png")),
            ),
            _ if raw.starts_with("/__dossier/") => {
                text(StatusCode::NOT_FOUND, "not found\n".into())
            }
            _ => self.site(raw, request.uri.query()),
        }
    }

    fn read<T: Default>(&self, f: impl FnOnce(&State) -> T) -> T {
        self.state.read().map(|s| f(&s)).unwrap_or_default()
    }

    fn events(&self) -> Response<Body> {
        let findings = self.read(|s| s.findings.clone());
        let greeting = format!(
            "retry: 500\n\n{}{}",
            super::events::message("hello", &self.hello),
            super::events::message("findings", &findings)
        );
        let Some(stream) = self.clients.subscribe(greeting) else {
            return text(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many live-reload connections are open; close some tabs\n".into(),
            );
        };
        let mut response = Response::new(stream.boxed_unsync());
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    fn site(&self, raw: &str, query: Option<&str>) -> Response<Body> {
        let Some(path) = safe_path(raw) else {
            return text(
                StatusCode::BAD_REQUEST,
                "bad request: that path is not allowed\n".into(),
            );
        };
        let (built, files, findings, redirects) = self
            .state
            .read()
            .map(|s| {
                (
                    s.built,
                    Arc::clone(&s.files),
                    s.findings.clone(),
                    Arc::clone(&s.redirects),
                )
            })
            .unwrap_or_default();
        if !built {
            return html(
                StatusCode::SERVICE_UNAVAILABLE,
                pending::page(&findings, SCRIPT_PATH).into_bytes(),
            );
        }
        let (status, file, body) = match lookup(&files, &path) {
            Some(Found::File(file, body)) => (StatusCode::OK, file, body),
            Some(Found::Folder) => {
                let mut location = format!("{raw}/");
                if let Some(query) = query {
                    location.push('?');
                    location.push_str(query);
                }
                return redirect(&location);
            }
            None if alias_target(&redirects, raw).is_some() => {
                return redirect(alias_target(&redirects, raw).unwrap_or("/"));
            }
            None => match files.get("404.html") {
                Some(body) => (StatusCode::NOT_FOUND, "404.html".into(), Arc::clone(body)),
                None => return text(StatusCode::NOT_FOUND, "not found\n".into()),
            },
        };
        let kind = content_type(&file);
        if kind.starts_with("text/html") {
            html(status, inject_live_script(&body))
        } else {
            bytes(status, &kind, Bytes::from(body.to_vec()))
        }
    }
}

/// Where an alias sends `raw` (the request path as sent), with or without
/// its final slash.
fn alias_target<'a>(redirects: &'a HashMap<String, String>, raw: &str) -> Option<&'a str> {
    redirects
        .get(raw)
        .or_else(|| redirects.get(&format!("{raw}/")))
        .map(String::as_str)
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

enum Found {
    File(String, Arc<[u8]>),
    /// `a` names the folder `a/` (it has an `index.html`): redirect.
    Folder,
}

/// `a/` finds `a/index.html` and the root `index.html`; `a` finds the file
/// `a`, or else the folder `a/`.
fn lookup(files: &Files, path: &str) -> Option<Found> {
    let file = |name: String| {
        files
            .get(&name)
            .map(|body| Found::File(name, Arc::clone(body)))
    };
    if path.is_empty() || path.ends_with('/') {
        return file(format!("{path}index.html"));
    }
    file(path.to_string()).or_else(|| {
        files
            .get(&format!("{path}/index.html"))
            .map(|_| Found::Folder)
    })
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

fn inject_live_script(page: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let at = memchr::memmem::rfind(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

pub(super) fn bytes(status: StatusCode, content_type: &str, body: Bytes) -> Response<Body> {
    let mut response = Response::new(Full::new(body).boxed_unsync());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

pub(super) fn text(status: StatusCode, message: String) -> Response<Body> {
    bytes(status, "text/plain; charset=utf-8", Bytes::from(message))
}

pub(super) fn html(status: StatusCode, page: Vec<u8>) -> Response<Body> {
    bytes(status, "text/html; charset=utf-8", Bytes::from(page))
}

pub(super) fn redirect(location: &str) -> Response<Body> {
    let mut response = text(
        StatusCode::MOVED_PERMANENTLY,
        format!("moved to {location}\n"),
    );
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
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

    fn name(found: Option<Found>) -> Option<String> {
        found.map(|f| match f {
            Found::File(name, _) => name,
            Found::Folder => "(folder)".into(),
        })
    }

    #[test]
    fn lookup_finds_indexes_and_names_folders() {
        let mut files = Files::new();
        files.insert("index.html".into(), Arc::from(&b"home"[..]));
        files.insert("a/index.html".into(), Arc::from(&b"a"[..]));
        files.insert("style.css".into(), Arc::from(&b"css"[..]));
        assert_eq!(name(lookup(&files, "")).unwrap(), "index.html");
        assert_eq!(name(lookup(&files, "a/")).unwrap(), "a/index.html");
        assert_eq!(name(lookup(&files, "a")).unwrap(), "(folder)");
        assert_eq!(name(lookup(&files, "style.css")).unwrap(), "style.css");
        assert!(lookup(&files, "b/").is_none());
        assert!(lookup(&files, "style.css/").is_none());
    }

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.png"), "image/png");
    }

    #[test]
    fn the_live_script_goes_before_the_last_body_end() {
        let page = inject_live_script(b"<p>\xff</body></body>");
        assert_eq!(
            page,
            b"<p>\xff</body><script src=\"/__dossier/live.js\"></script></body>"
        );
        assert!(inject_live_script(b"<p>").ends_with(b"</script>"));
    }
}
