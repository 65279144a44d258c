//! The editor's JSON endpoints, all under `/__dossier/edit/api/` (the two
//! reading ones are in `pages.rs`):
//!
//! - `GET pages`: every content file with its title, group (folder),
//!   draft flag and counts of errors and warnings (from reading it now, and
//!   from the preview's last findings), and the sections a page can be
//!   created in.
//! - `GET page?source=partners/japan.md`: its text, the hash of its bytes,
//!   the form's fields (from the section's schema, with its hints; `sources`
//!   and each cited field's `<field>_source` as register ids) with their
//!   values, and its site path for the preview.
//! - `GET sources`: the source register (id, title, publisher, date,
//!   grade) for the pickers of sources and citations.
//! - `POST check {source, original, changes, body}`: the text a save would
//!   write, its findings as `dossier check` would report them, and the
//!   page rendered from it (`preview`, HTML, or null when it cannot be
//!   rendered) (`findings.rs`, `preview.rs`); nothing is written.
//! - `POST save {source, hash, changes, body}`: writes that text
//!   atomically, if the file's bytes still hash to `hash`; otherwise 409
//!   with the text on disk and its hash, the text keeping mine would write
//!   over it (`mine`), and the lines that differ (`diff`, `conflict.rs`).
//! - `POST new {section, title}`: a page from the section's schema, as
//!   `dossier new` makes it (`scaffold.rs`).
//! - `POST rename {source, to, apply}`: the links a move would change
//!   (`apply: false`), or the move done (`rename.rs`).
//! - `POST image?name=map.png` with the image's bytes and type: stored in
//!   `static/images/` (`images.rs`); answers `{path: "/images/map.png"}`.
//!
//! `changes` is a list of `[key, value]`: a string, a boolean, a list of
//! strings, or `null` to remove the key; applied by `front_edits.rs`.

use std::io::Write;
use std::path::Path;

use hyper::body::Bytes;
use hyper::http::request::Parts;
use hyper::{Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value as Json, json};

use super::front_edits::{self, Value};
use super::paths::{self, Refused};
use super::{PREFIX, Seen};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::load::{self, front_matter};
use crate::serve::http::bytes;
use crate::serve::server::Body;

pub(super) type Answer = Result<Json, (StatusCode, String)>;

pub fn is_read(route: &str) -> bool {
    matches!(route, "api/pages" | "api/page" | "api/sources")
}

pub fn is_write(path: &str) -> bool {
    path.strip_prefix(PREFIX).is_some_and(|r| {
        matches!(
            r,
            "api/check" | "api/save" | "api/new" | "api/image" | "api/rename"
        )
    })
}

pub fn read(root: &Path, route: &str, query: Option<&str>, seen: &Seen) -> Response<Body> {
    let answer = match route {
        "api/pages" => super::pages::pages(root, seen),
        "api/sources" => super::pages::register(root),
        _ => match query_value(query, "source") {
            Some(source) => super::pages::page(root, &source, seen),
            None => Err((StatusCode::BAD_REQUEST, "give ?source=…".into())),
        },
    };
    respond(answer)
}

pub fn write(root: &Path, request: &Parts, body: &[u8]) -> Response<Body> {
    let answer = match request.uri.path().strip_prefix(PREFIX).unwrap_or("") {
        "api/check" => parse(body).and_then(|r| check(root, r)),
        "api/save" => parse(body).and_then(|r| save(root, r)),
        "api/image" => {
            let name = query_value(request.uri.query(), "name").unwrap_or_default();
            let content_type = (request.headers.get(hyper::header::CONTENT_TYPE))
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            super::images::add(root, &name, content_type, body)
        }
        "api/rename" => parse(body).and_then(|r: Rename| {
            let config = config(root)?;
            super::rename::rename(root, &config, &r.source, &r.to, r.apply)
        }),
        _ => parse(body).and_then(|r| new_page(root, r)),
    };
    respond(answer)
}

fn respond(answer: Answer) -> Response<Body> {
    let (status, value) = match answer {
        Ok(value) => (StatusCode::OK, value),
        Err((status, message)) if status == StatusCode::CONFLICT => {
            // A conflict's message is already the JSON the editor needs.
            let value = serde_json::from_str(&message).unwrap_or(json!({ "error": message }));
            (status, value)
        }
        Err((status, message)) => (status, json!({ "error": message })),
    };
    bytes(status, "application/json", Bytes::from(value.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, (StatusCode, String)> {
    serde_json::from_slice(body).map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            format!("the request is not what the editor sends: {e}"),
        )
    })
}

pub(super) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    let (_, value) = query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)?;
    let value = value.replace('+', " ");
    percent_encoding::percent_decode_str(&value)
        .decode_utf8()
        .ok()
        .map(|v| v.into_owned())
}

pub(super) fn config(root: &Path) -> Result<SiteConfig, (StatusCode, String)> {
    SiteConfig::load(root).map_err(|found| {
        let found: Diagnostics = found.into_iter().collect();
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("site.yaml has errors, fix them first: {}", found.summary()),
        )
    })
}

pub(super) fn refused(Refused(why): Refused) -> (StatusCode, String) {
    (StatusCode::FORBIDDEN, why)
}

pub(super) fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Reads a content file for the editor: (bytes, text with `\n` line ends).
pub(super) fn read_file(
    path: &Path,
    config: &SiteConfig,
) -> Result<(Vec<u8>, String), (StatusCode, String)> {
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| (StatusCode::NOT_FOUND, format!("cannot open the file: {e}")))?;
    if !meta.is_file() {
        return Err((StatusCode::FORBIDDEN, "not a regular file".into()));
    }
    if meta.len() > config.limits.max_file_bytes {
        return Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            "the file is larger than limits.max_file_kib".into(),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| (StatusCode::NOT_FOUND, format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "the file is not UTF-8 text; fix it in a text editor".into(),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = text.replace("\r\n", "\n");
    Ok((bytes, text))
}

/// A change from the form: `[key, value]`.
type Change = (String, Option<Json>);
/// The same, checked: what `front_edits::apply` takes.
type Edits = Vec<(String, Option<Value>)>;

fn changes(given: &[Change]) -> Result<Edits, (StatusCode, String)> {
    given
        .iter()
        .map(|(key, value)| {
            let plain = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !plain {
                return Err((StatusCode::BAD_REQUEST, format!("bad field name {key:?}")));
            }
            let value = match value {
                None | Some(Json::Null) => None,
                Some(Json::String(s)) => Some(Value::Text(s.clone())),
                Some(Json::Bool(b)) => Some(Value::Bool(*b)),
                Some(Json::Array(items)) => Some(Value::List(
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<_>>()
                        .ok_or((StatusCode::BAD_REQUEST, "list items must be text".into()))?,
                )),
                Some(_) => return Err((StatusCode::BAD_REQUEST, format!("bad value for {key}"))),
            };
            Ok((key.clone(), value))
        })
        .collect()
}

/// The file's new text: `original`'s front matter with `changes` applied
/// as line edits, then `body`. Also the line the body starts on.
fn compose(original: &str, changes: &[(String, Option<Value>)], body: &str) -> (String, usize) {
    let front = front_matter::split(original)
        .ok()
        .and_then(|s| s.front_matter);
    let yaml = match front {
        Some(yaml) => front_edits::apply(yaml, changes),
        None if changes.iter().all(|(_, v)| v.is_none()) => return (body.to_string(), 1),
        None => front_edits::apply("", changes),
    };
    let text = format!("---\n{yaml}---\n{body}");
    let first = 3 + yaml.lines().count();
    (text, first)
}

#[derive(Deserialize)]
struct Check {
    source: String,
    original: String,
    #[serde(default)]
    changes: Vec<Change>,
    body: String,
}

fn check(root: &Path, request: Check) -> Answer {
    let config = config(root)?;
    paths::content_file(root, &request.source).map_err(refused)?;
    let changes = changes(&request.changes)?;
    let (text, body_line) = compose(&request.original, &changes, &request.body);
    let draft = super::findings::of_text(root, &config, &request.source, &text);
    let found: Diagnostics = draft.findings.into_iter().collect();
    let findings: Json = serde_json::from_str(&found.to_json()).unwrap_or(json!([]));
    Ok(json!({
        "text": text,
        "body_line": body_line,
        "findings": findings,
        "preview": draft.preview,
    }))
}

#[derive(Deserialize)]
struct Save {
    source: String,
    hash: String,
    #[serde(default)]
    changes: Vec<Change>,
    body: String,
}

fn save(root: &Path, request: Save) -> Answer {
    let config = config(root)?;
    let path = paths::content_file(root, &request.source).map_err(refused)?;
    let changes = changes(&request.changes)?;
    let (bytes, disk) = read_file(&path, &config)?;
    // What keeping "mine" would write over it (the form's changes applied
    // to the front matter on disk, and my text), and how that differs.
    let conflict = |bytes: &[u8], disk: &str| {
        let (mine, _) = compose(disk, &changes, &request.body);
        let body = json!({
            "error": "the file changed on disk since you opened it",
            "disk": disk,
            "hash": hash(bytes),
            "mine": mine,
            "diff": super::conflict::lines(disk, &mine),
        });
        Err((StatusCode::CONFLICT, body.to_string()))
    };
    if hash(&bytes) != request.hash {
        return conflict(&bytes, &disk);
    }
    let (mut text, _) = compose(&disk, &changes, &request.body);
    // The file's own line ends and BOM, which the editor does not show.
    if bytes.windows(2).any(|w| w == b"\r\n") {
        text = text.replace('\n', "\r\n");
    }
    if bytes.starts_with("\u{feff}".as_bytes()) {
        text.insert(0, '\u{feff}');
    }
    if text.len() as u64 > config.limits.max_file_bytes {
        return Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            "the page would be larger than limits.max_file_kib".into(),
        ));
    }
    let folder = path.parent().unwrap_or(root);
    let failed = |e: std::io::Error| {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the page was not saved (your text is kept in the browser): {e}"),
        )
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".dossier-edit-")
        .tempfile_in(folder)
        .map_err(failed)?;
    temporary.write_all(text.as_bytes()).map_err(failed)?;
    temporary.as_file().sync_all().map_err(failed)?;
    if let Ok(meta) = std::fs::metadata(&path) {
        let _ = temporary.as_file().set_permissions(meta.permissions());
    }
    // Once more just before the rename: the window for a lost edit is
    // now this short.
    let (again, again_text) = read_file(&path, &config)?;
    if again != bytes {
        return conflict(&again, &again_text);
    }
    temporary.persist(&path).map_err(|e| failed(e.error))?;
    Ok(json!({ "hash": hash(text.as_bytes()), "text": text }))
}

#[derive(Deserialize)]
struct Rename {
    source: String,
    to: String,
    /// `false`: only say what would change.
    #[serde(default)]
    apply: bool,
}

#[derive(Deserialize)]
struct New {
    section: String,
    title: String,
}

fn new_page(root: &Path, request: New) -> Answer {
    let (listing, _) = load::scan(root);
    // Only a section folder the walk found (never a path from the request).
    let section = listing
        .markdown
        .iter()
        .filter(|(s, _)| load::file_name(s) == "_index.md")
        .map(|(s, _)| load::parent_dir(s))
        .find(|dir| *dir == request.section)
        .ok_or((
            StatusCode::BAD_REQUEST,
            format!("there is no section {:?}", request.section),
        ))?;
    let made = crate::scaffold::new_page(root, section, &request.title).map_err(|d| {
        (
            StatusCode::CONFLICT,
            json!({ "error": d.message }).to_string(),
        )
    })?;
    let source = made
        .strip_prefix(load::CONTENT_DIR)
        .unwrap_or(&made)
        .to_string_lossy()
        .replace('\\', "/");
    Ok(json!({ "source": source }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_edits_the_front_matter_and_replaces_the_body() {
        let original = "---\ntitle: A # keep\nx: 1\n---\nold body\n";
        let changes = vec![("title".to_string(), Some(Value::Text("B".into())))];
        let (text, line) = compose(original, &changes, "new\n");
        assert_eq!(text, "---\ntitle: B # keep\nx: 1\n---\nnew\n");
        assert_eq!(line, 5);
        assert_eq!(compose("just text\n", &[], "x\n"), ("x\n".into(), 1));
        let (text, line) = compose("just text\n", &changes, "x\n");
        assert_eq!((text.as_str(), line), ("---\ntitle: B\n---\nx\n", 4));
    }
}
