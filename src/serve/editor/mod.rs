//! `dossier serve --edit`: a local editor for staff, on the preview's own
//! server, under `/__dossier/edit/`.
//!
//! Safety, in the order a request meets it (`http.rs` has already checked
//! `Host` and any `Origin` against DNS rebinding and other sites):
//! 1. The token (`token.rs`): every editor request needs it, in the
//!    cookie the printed link sets or in `X-Dossier-Token`: 401 without,
//!    403 when wrong. No CORS header is ever sent.
//! 2. Writes (every POST) must also show they come from the editor's page:
//!    an `Origin` (a browser sends it on every POST; `http.rs` has checked
//!    it is this server) or the `X-Dossier-Request` header (which a page
//!    on another site cannot add without a CORS preflight that is never
//!    granted), `Content-Type: application/json`, and no
//!    `Sec-Fetch-Site: cross-site`. Only then is the body read, at most
//!    1 MiB (`server.rs`).
//! 3. Paths (`paths.rs`): only `.md` files inside `content/`, no traversal,
//!    no symbolic link anywhere on the way; images only into
//!    `static/images/`, never over a file (`images.rs`).
//! 4. Saves (`api.rs`) are atomic (a temporary file in the same folder,
//!    renamed over the page) and refuse to overwrite a file that changed
//!    since it was opened (409 with the text on disk and a line diff,
//!    `conflict.rs`). Front matter the
//!    form did not change keeps its formatting (`front_edits.rs`).
//!
//! The pages are served from the binary (`ui/`): HTML, a stylesheet and a
//! small script of our own, no framework, under a strict
//! `Content-Security-Policy`.

mod api;
mod conflict;
mod findings;
mod front_edits;
mod images;
mod pages;
mod paths;
mod preview;
mod rename;
mod token;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, Response, StatusCode};

use super::http::{bytes, redirect, text};
use super::server::Body;
use crate::diagnostics::Diagnostic;
use token::{Shown, Token};

/// Every editor path starts with this.
pub const PREFIX: &str = "/__dossier/edit/";
/// The header a script adds to show a write comes from the editor's page.
const REQUEST_HEADER: &str = "x-dossier-request";

const PAGE: &str = include_str!("ui/editor.html");
const SCRIPT: &str = include_str!("ui/editor.js");
const STYLE: &str = include_str!("ui/editor.css");

/// What the server knows that the editor shows: the preview's current
/// findings (JSON) and each content file's site path.
#[derive(Default)]
pub struct Seen {
    pub findings: String,
    pub paths: Arc<BTreeMap<String, String>>,
}

pub struct Editor {
    root: PathBuf,
    token: Token,
}

impl Editor {
    pub fn new(root: &Path, port: u16) -> Result<Editor, Diagnostic> {
        let token = Token::new(port).map_err(|e| {
            Diagnostic::error(
                "E-SERVE",
                root,
                format!("cannot make the editor's token: {e}"),
            )
        })?;
        Ok(Editor {
            root: crate::write::absolute(root),
            token,
        })
    }

    /// The link printed in the terminal.
    pub fn link(&self, url: &str) -> String {
        format!(
            "{}{}?token={}",
            url.trim_end_matches('/'),
            PREFIX,
            self.token.secret()
        )
    }

    /// Whether `path` is the editor's.
    pub fn owns(&self, path: &str) -> bool {
        path.starts_with(PREFIX) || path == PREFIX.trim_end_matches('/')
    }

    /// Whether to read this request's body: a write that passed every check.
    pub fn wants_body(&self, request: &Parts) -> bool {
        request.method == Method::POST
            && api::is_write(request.uri.path())
            && self.token.shown(request) == Shown::Right
            && write_refusal(request).is_none()
    }

    pub fn handle(&self, request: &Parts, body: Option<&[u8]>, seen: &Seen) -> Response<Body> {
        let path = request.uri.path();
        if path == PREFIX.trim_end_matches('/') {
            return redirect(PREFIX);
        }
        if path == PREFIX
            && let Some(given) = Token::in_query(request.uri.query())
        {
            return self.sign_in(&given);
        }
        match self.token.shown(request) {
            Shown::Right => {}
            Shown::Missing => {
                return text(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized: open the editor with the link `dossier serve --edit` printed (it holds a token)\n".into(),
                );
            }
            Shown::Wrong => {
                return text(
                    StatusCode::FORBIDDEN,
                    "forbidden: that is not this server's editing token; open the link `dossier serve --edit` printed\n".into(),
                );
            }
        }
        let get = request.method == Method::GET || request.method == Method::HEAD;
        match (path.strip_prefix(PREFIX).unwrap_or(""), get) {
            ("", true) => guarded(bytes(
                StatusCode::OK,
                "text/html; charset=utf-8",
                Bytes::from_static(PAGE.as_bytes()),
            )),
            ("editor.js", true) => guarded(bytes(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                Bytes::from_static(SCRIPT.as_bytes()),
            )),
            ("editor.css", true) => guarded(bytes(
                StatusCode::OK,
                "text/css; charset=utf-8",
                Bytes::from_static(STYLE.as_bytes()),
            )),
            (route, true) if api::is_read(route) => {
                api::read(&self.root, route, request.uri.query(), seen)
            }
            (_, false) if request.method == Method::POST && api::is_write(path) => {
                if let Some(refusal) = write_refusal(request) {
                    return refusal;
                }
                match body {
                    Some(body) => api::write(&self.root, request, body),
                    // `wants_body` said yes, so this cannot happen; refuse anyway.
                    None => text(StatusCode::BAD_REQUEST, "bad request: no body\n".into()),
                }
            }
            (route, _) if api::is_read(route) || api::is_write(path) => {
                text(StatusCode::METHOD_NOT_ALLOWED, "wrong method\n".into())
            }
            _ => text(StatusCode::NOT_FOUND, "not found\n".into()),
        }
    }

    /// `?token=…`: the right token becomes a cookie and leaves the address.
    fn sign_in(&self, given: &str) -> Response<Body> {
        if !self.token.matches(given) {
            return text(
                StatusCode::FORBIDDEN,
                "forbidden: that is not this server's editing token; open the link `dossier serve --edit` printed\n".into(),
            );
        }
        let mut response = redirect(PREFIX);
        *response.status_mut() = StatusCode::SEE_OTHER;
        if let Ok(value) = HeaderValue::from_str(&self.token.set_cookie(PREFIX)) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        response
    }
}

/// Why a POST does not look like the editor's own page sent it.
fn write_refusal(request: &Parts) -> Option<Response<Body>> {
    let headers = &request.headers;
    let from_page = headers.contains_key(header::ORIGIN) || headers.contains_key(REQUEST_HEADER);
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| !matches!(v.to_str(), Ok("same-origin" | "none")));
    if !from_page || cross_site {
        return Some(text(
            StatusCode::FORBIDDEN,
            "forbidden: writes must come from the editor's own page (Origin or X-Dossier-Request)\n"
                .into(),
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let expected = match request.uri.path().ends_with("/api/image") {
        true => images::accepts(content_type),
        false => content_type.trim_start().starts_with("application/json"),
    };
    if !expected {
        return Some(text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported media type: send application/json (images: PNG, JPEG, GIF or WebP)\n"
                .into(),
        ));
    }
    None
}

/// The editor's own pages: never framed by another page, scripts and
/// styles only from this server.
fn guarded(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}
