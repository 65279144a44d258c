//! `dossier serve`: build in memory, serve on 127.0.0.1, watch the site's
//! folders, rebuild what an edit affects and reload open tabs.
//!
//! Three threads of work: the HTTP server (hyper on a two-thread tokio
//! runtime, `server.rs`, routes in `http.rs`), the file watcher (debounced by
//! `notify-debouncer-full`), and this module's loop, which turns each batch
//! of file events into a [`dev::Changes`], rebuilds, publishes the findings
//! and either swaps in the new site and says `reload`, or keeps the old site
//! and says `errors`. Nothing is written to disk.

mod affected;
pub mod dev;
mod drafts;
mod editor;
mod events;
mod files;
mod guide;
mod hosts;
mod http;
mod pending;
mod preview_lints;
mod server;
mod template_deps;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{
    EventKind, RecursiveMode, event::AccessKind, event::AccessMode,
};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics};
use dev::{Changes, DevSite};
use events::Clients;
use http::State;

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub drafts: bool,
    pub open: bool,
    /// Send open tabs to the page just saved (Hugo's `--navigateToChanged`).
    pub navigate: bool,
    /// `--edit`: serve the editor, with its write endpoints, behind a token.
    pub edit: bool,
}

/// Waiting time after a file event before rebuilding, so an editor's save
/// (often several writes) is one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// Runs until interrupted. Returns only on a setup failure (bad root, port
/// in use), as a usage error.
pub fn run(options: &ServeOptions) -> Result<(), Diagnostic> {
    let root = &options.root;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::error("E-ROOT", root, "no site.yaml here")
            .hint("run dossier serve in the site's folder, or pass --root"));
    }
    let editor = editor_template(root)?;
    let address = format!("{}:{}", options.bind, options.port);
    let listener = TcpListener::bind((options.bind.as_str(), options.port)).map_err(|e| {
        Diagnostic::error("E-SERVE", root, format!("cannot listen on {address}: {e}"))
            .hint("the port is probably in use: pass another with --port, e.g. --port 1112")
    })?;
    let local: SocketAddr = listener.local_addr().map_err(|e| {
        Diagnostic::error("E-SERVE", root, format!("the server has no address: {e}"))
    })?;
    let url = format!("http://{local}/");

    let mut site = DevSite::new(root, options.drafts, Some(url.clone()));
    let started = Instant::now();
    let first = site.rebuild(&Changes::everything());
    let state = Arc::new(RwLock::new(State {
        files: site.files(),
        findings: "[]".into(),
        built: first.is_ok(),
        redirects: Arc::new(site.redirects()),
        paths: Arc::new(site.site_paths()),
    }));
    let clients = Arc::new(Clients::default());
    report(&first, started, &state, &clients, root, None);

    let service = http::Service {
        state: Arc::clone(&state),
        clients: Arc::clone(&clients),
        hosts: hosts::AllowedHosts::new(&options.bind, local),
        hello: hello(editor.as_deref(), root),
        editor: match options.edit {
            true => Some(editor::Editor::new(root, local.port())?),
            false => None,
        },
    };
    let edit_link = service.editor.as_ref().map(|e| e.link(&url));
    server::spawn(listener, service)
        .map_err(|e| Diagnostic::error("E-SERVE", root, format!("cannot start the server: {e}")))?;
    eprintln!("serving {} at {url} (Ctrl+C to stop)", root.display());
    if let Some(link) = &edit_link {
        eprintln!("editor (keep this link private: it holds the editing token): {link}");
    }
    if options.open {
        let _ = opener::open(edit_link.as_deref().unwrap_or(&url));
    }

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| Diagnostic::error("E-SERVE", root, format!("cannot watch files: {e}")))?;
    // `data/` holds the source register, read with site.yaml.
    for watched in ["content", "templates", "static", "data", "i18n"] {
        let dir = root.join(watched);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| Diagnostic::error("E-SERVE", &dir, format!("cannot watch: {e}")))?;
        }
    }
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Diagnostic::error("E-SERVE", root, format!("cannot watch: {e}")))?;

    let root_abs = crate::write::absolute(root);
    while let Ok(batch) = rx.recv() {
        let mut changes = Changes::default();
        let mut paths: Vec<PathBuf> = match batch {
            Ok(events) => changed_paths(events),
            Err(_) => {
                changes.config = true;
                Vec::new()
            }
        };
        // Gather whatever else arrived meanwhile into the same rebuild.
        while let Ok(more) = rx.try_recv() {
            if let Ok(events) = more {
                paths.extend(changed_paths(events));
            }
        }
        paths.retain(|path| !is_scratch(&root_abs, path, |source| site.had_asset(source)));
        for path in &paths {
            classify(&root_abs, path, &mut changes);
        }
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let result = site.rebuild(&changes);
        let paths = Arc::new(match &result {
            Ok(_) => site.site_paths(),
            Err(_) => Default::default(),
        });
        if result.is_ok()
            && let Ok(mut s) = state.write()
        {
            s.files = site.files();
            s.built = true;
            s.redirects = Arc::new(site.redirects());
            s.paths = Arc::clone(&paths);
        }
        // With `--navigate`, a save of one page sends the tabs there.
        let follow = match (
            &changes.content.iter().collect::<Vec<_>>()[..],
            options.navigate,
        ) {
            ([source], true) => paths.get(source.as_str()).cloned(),
            _ => None,
        };
        report(&result, started, &state, &clients, root, follow);
    }
    Ok(())
}

/// The paths of events that change something. Reading a file raises
/// events too (open, close after reading): those are dossier's own reads and
/// must not trigger another rebuild.
fn changed_paths(events: Vec<DebouncedEvent>) -> Vec<PathBuf> {
    events
        .into_iter()
        .filter(|e| match e.event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => false,
            _ => true,
        })
        .flat_map(|e| e.event.paths)
        .collect()
}

/// Whether `path` is an editor's scratch file in `content/`, which the
/// loader never reads, so it cannot change the site: a hidden or backup name
/// (`.x.md.swp`, `x.md~`), or a file that is gone again and was not part of
/// the site (vim creates and deletes `4913` beside every file it saves).
/// Without this, each save would also trigger a full rebuild.
fn is_scratch(root: &Path, path: &Path, had_asset: impl Fn(&str) -> bool) -> bool {
    let path = crate::write::absolute(path);
    let Ok(relative) = path.strip_prefix(root.join(crate::load::CONTENT_DIR)) else {
        return false;
    };
    if relative
        .components()
        .any(|c| crate::load::is_ignored(c.as_os_str()))
    {
        return true;
    }
    let source = relative.to_string_lossy().replace('\\', "/");
    !source.is_empty() && !source.ends_with(".md") && !path.exists() && !had_asset(&source)
}

/// Sorts a changed path into content, templates, static or configuration.
fn classify(root: &Path, path: &Path, changes: &mut Changes) {
    let path = crate::write::absolute(path);
    let Ok(relative) = path.strip_prefix(root) else {
        return;
    };
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next().unwrap_or_default();
    let rest: Vec<String> = parts.collect();
    let rest = rest.join("/");
    match first.as_str() {
        "content" => {
            if rest.ends_with(".md") {
                changes.content.insert(rest);
            } else {
                // Folders and bundle files: rebuilding everything is simplest and right.
                changes.statics = true;
            }
        }
        "templates" => {
            changes.templates.insert(rest);
        }
        "static" => changes.statics = true,
        // The source register is part of the settings every page is read with.
        "data" => changes.config = true,
        // Interface strings are read with the templates and checked
        // against site.yaml's languages.
        "i18n" => changes.config = true,
        CONFIG_FILE => changes.config = true,
        _ => {}
    }
}

/// Prints the outcome and tells the tabs: `findings` after every rebuild,
/// then `reload` after a good one or `errors` after a failed one.
fn report(
    result: &Result<dev::Rebuilt, Diagnostics>,
    started: Instant,
    state: &RwLock<State>,
    clients: &Clients,
    root: &Path,
    follow: Option<String>,
) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let findings = match result {
        Ok(rebuilt) => {
            rebuilt.warnings.print(root);
            eprintln!(
                "rebuilt in {ms:.0} ms: {} of {} files rendered",
                rebuilt.rendered, rebuilt.total
            );
            rebuilt.warnings.to_json()
        }
        Err(diagnostics) => {
            diagnostics.print(root);
            eprintln!(
                "error: {}; still serving the last good version",
                diagnostics.summary()
            );
            diagnostics.to_json()
        }
    };
    // One line of JSON, so each event is a single `data:` field.
    let findings = serde_json::from_str::<serde_json::Value>(&findings)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "[]".into());
    if let Ok(mut s) = state.write() {
        s.findings = findings.clone();
    }
    clients.broadcast("findings", &findings);
    match (result, follow) {
        (Ok(_), Some(path)) => clients.broadcast("navigate", &path),
        (Ok(_), None) => clients.broadcast("reload", &format!("{{\"ms\":{ms:.1}}}")),
        (Err(_), _) => clients.broadcast("errors", &findings),
    }
}

/// The environment variable holding the editor's URL template.
const EDITOR_VARIABLE: &str = "DOSSIER_EDITOR";

/// `$DOSSIER_EDITOR`, checked: a URL template such as
/// `vscode://file/{path}:{line}:{column}` that the overlay turns each
/// finding's place into. It is each editor's own setting, not the site's,
/// hence the environment rather than `site.yaml`.
fn editor_template(root: &Path) -> Result<Option<String>, Diagnostic> {
    let Ok(template) = std::env::var(EDITOR_VARIABLE) else {
        return Ok(None);
    };
    let template = template.trim().to_string();
    if template.is_empty() {
        return Ok(None);
    }
    check_editor_template(&template).map_err(|problem| {
        Diagnostic::error(
            "E-SERVE",
            root,
            format!("${EDITOR_VARIABLE} is not a usable editor link: {problem}"),
        )
        .hint("set it to a URL template such as vscode://file/{path}:{line}:{column}, or unset it")
    })?;
    Ok(Some(template))
}

fn check_editor_template(template: &str) -> Result<(), String> {
    if !template.contains("{path}") {
        return Err("it has no {path} placeholder".into());
    }
    let scheme = template.split_once(':').map(|(s, _)| s).unwrap_or("");
    let plain = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !plain {
        return Err("it does not start with a scheme such as vscode:".into());
    }
    if ["javascript", "data", "vbscript"].contains(&scheme.to_ascii_lowercase().as_str()) {
        return Err(format!("{scheme}: links are not allowed"));
    }
    Ok(())
}

/// The `hello` event's JSON: this process's instance id and, when an editor
/// is configured, its template and the site's absolute root.
fn hello(editor: Option<&str>, root: &Path) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let instance = format!("{:x}-{nanos:x}", std::process::id());
    let root = editor.map(|_| {
        crate::write::absolute(root)
            .to_string_lossy()
            .replace('\\', "/")
    });
    serde_json::json!({ "instance": instance, "editor": editor, "root": root }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_templates_need_a_path_and_a_plain_scheme() {
        assert!(check_editor_template("vscode://file/{path}:{line}:{column}").is_ok());
        assert!(check_editor_template("zed://file{path}").is_ok());
        assert!(check_editor_template("vscode://file/").is_err());
        assert!(check_editor_template("{path}").is_err());
        assert!(check_editor_template("javascript:alert({path})").is_err());
        assert!(check_editor_template("JavaScript:alert({path})").is_err());
    }

    #[test]
    fn hello_names_the_instance_and_the_editor_only_when_set() {
        let plain: serde_json::Value = serde_json::from_str(&hello(None, Path::new("."))).unwrap();
        assert!(plain["instance"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(plain["editor"].is_null() && plain["root"].is_null());
        let with: serde_json::Value =
            serde_json::from_str(&hello(Some("vscode://file/{path}"), Path::new("."))).unwrap();
        assert_eq!(with["editor"], "vscode://file/{path}");
        assert!(with["root"].as_str().is_some_and(|r| r.starts_with('/')));
    }

    #[test]
    fn editor_scratch_files_are_not_changes() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        let content = root.join("content/partners");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("map.png"), "png").unwrap();
        let known = |source: &str| source == "partners/map.png" || source == "partners/old.png";
        let scratch = |name: &str| is_scratch(root, &content.join(name), known);
        // Hidden, backup and vanished unknown files are scratch.
        assert!(scratch(".japan.md.swp"));
        assert!(scratch("japan.md~"));
        assert!(scratch("4913"));
        // Pages, existing files and removed bundle files are real changes.
        assert!(!scratch("japan.md"));
        assert!(!scratch("map.png"));
        assert!(!scratch("old.png"));
        assert!(!is_scratch(root, &root.join("templates/4913"), known));
    }
}
