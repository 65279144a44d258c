//! `dossier serve`: build in memory, serve on 127.0.0.1, watch the site's
//! folders, rebuild what an edit affects and reload open tabs.
//!
//! Three threads of work: the HTTP server (one short-lived thread per
//! request, plus one per open live-reload connection), the file watcher
//! (debounced by `notify-debouncer-full`), and this module's loop, which
//! turns each batch of file events into a [`dev::Changes`], rebuilds, and
//! either swaps in the new site and says `reload`, or keeps the old site and
//! says `errors`. Nothing is written to disk.

pub mod dev;
mod drafts;
mod files;
mod http;
mod preview_lints;
mod template_deps;

use std::net::SocketAddr;
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
use http::{Clients, State};

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub drafts: bool,
    pub open: bool,
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
    let address = format!("{}:{}", options.bind, options.port);
    let server = tiny_http::Server::http(&address).map_err(|e| {
        Diagnostic::error("E-SERVE", root, format!("cannot listen on {address}: {e}"))
            .hint("the port is probably in use: pass another with --port, e.g. --port 1112")
    })?;
    let local: SocketAddr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Diagnostic::error("E-SERVE", root, "the server has no IP address"))?;
    let url = format!("http://{local}/");

    let mut site = DevSite::new(root, options.drafts, Some(url.clone()));
    let started = Instant::now();
    let first = site.rebuild(&Changes::everything());
    let state = Arc::new(RwLock::new(State {
        files: site.files(),
        errors: "[]".into(),
    }));
    let clients = Arc::new(Clients::default());
    report(&first, started, &state, &clients, root);

    let server = Arc::new(server);
    {
        let (server, state, clients) = (
            Arc::clone(&server),
            Arc::clone(&state),
            Arc::clone(&clients),
        );
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let (state, clients) = (Arc::clone(&state), Arc::clone(&clients));
                std::thread::spawn(move || http::handle(request, &state, &clients));
            }
        });
    }
    eprintln!("serving {} at {url} (Ctrl+C to stop)", root.display());
    if options.open {
        let _ = opener::open(&url);
    }

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| Diagnostic::error("E-SERVE", root, format!("cannot watch files: {e}")))?;
    for watched in ["content", "templates", "static"] {
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
        if result.is_ok()
            && let Ok(mut s) = state.write()
        {
            s.files = site.files();
        }
        report(&result, started, &state, &clients, root);
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
        CONFIG_FILE => changes.config = true,
        _ => {}
    }
}

fn report(
    result: &Result<dev::Rebuilt, Diagnostics>,
    started: Instant,
    state: &RwLock<State>,
    clients: &Clients,
    root: &Path,
) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(rebuilt) => {
            rebuilt.warnings.print(root);
            eprintln!(
                "rebuilt in {ms:.0} ms: {} of {} files rendered",
                rebuilt.rendered, rebuilt.total
            );
            if let Ok(mut s) = state.write() {
                s.errors = "[]".into();
            }
            clients.broadcast("reload", &format!("{{\"ms\":{ms:.1}}}"));
        }
        Err(diagnostics) => {
            diagnostics.print(root);
            eprintln!(
                "error: {}; still serving the last good version",
                diagnostics.summary()
            );
            let json = diagnostics.to_json();
            if let Ok(mut s) = state.write() {
                s.errors = json.clone();
            }
            clients.broadcast("errors", &json.replace('\n', ""));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
