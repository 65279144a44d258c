//! The output folder, claimed by one build from start to swap.
//!
//! Beside the output `public`, a build keeps:
//!
//! - `.public.dossier-lock`: the output's lock, held for the whole build. A
//!   second build into the same output finds it held and refuses at once,
//!   naming the first build's PID (refusing, rather than waiting, keeps a
//!   forgotten watch loop from queueing builds behind a slow one, and says
//!   plainly what is going on);
//! - `.public.dossier-<pid>.lock`: this build's own lock, held as long as
//!   either of its folders exists;
//! - `.public.dossier-tmp-<pid>`: the staging folder;
//! - `.public.dossier-old-<pid>`: the previous output, only where the atomic
//!   exchange is not available and only for the moment of the swap.
//!
//! A build that is killed leaves its folders and its lock file, but not the
//! lock itself (the kernel drops it with the process). The next build removes
//! such a folder only when it can take the lock of the build that made it;
//! folders whose lock is held, or which have no lock file at all (made by an
//! older dossier, or by something else), are left alone with a warning.
//! Every lock file is removed again by its holder.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::leftovers::clear_leftovers;
use super::listing::Listing;
use super::lock::{Claim, LockFile};
use super::staging::Staging;
use super::swap;
use super::{MARKER, MARKER_TEXT, absolute, check_output};
use crate::diagnostics::Diagnostic;

/// How many unexpected files a message names before "and N more".
const NAMED: usize = 10;

/// An output folder this build has claimed.
#[derive(Debug)]
pub struct Output {
    /// Absolute.
    out: PathBuf,
    /// As the user wrote it, for messages.
    shown: PathBuf,
    parent: PathBuf,
    name: String,
    /// What the output held when the build started (under the lock).
    at_start: Listing,
    /// Folders above the output that this build created, deepest first;
    /// removed again if the build leaves them empty.
    created: Vec<PathBuf>,
    /// This build's lock, then the output's: released in that order.
    locks: Vec<LockFile>,
    /// Why the output could not be locked, when this process may not write
    /// beside it at all: the build still runs (to report content errors)
    /// but cannot stage or swap anything.
    unlocked: Option<String>,
}

impl Output {
    /// Claims `out` for a build of the site at `root`: takes the output's
    /// lock, checks the location, removes what killed builds left and
    /// records what the output holds. The warnings name leftovers that were
    /// left alone.
    pub fn claim(root: &Path, out: &Path) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        check_output(root, out)?;
        let shown = out.to_path_buf();
        let abs = absolute(out);
        let fail = |what: &str, e: io::Error| {
            Diagnostic::error("E-OUTPUT", &shown, format!("{what}: {e}"))
                .hint("check that the parent folder exists and is writable")
        };
        let parent = abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let name = abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let created = create_parents(&parent).map_err(|e| fail("cannot create its folder", e))?;
        let lock_path = parent.join(format!(".{name}.dossier-lock"));
        let output_lock = match LockFile::claim(&lock_path) {
            Ok(Claim::Held(lock)) => lock,
            Err(e) if is_not_permitted(&e) => {
                let at_start = Listing::of(&abs).unwrap_or_default();
                let output = Output {
                    out: abs,
                    shown,
                    parent,
                    name,
                    at_start,
                    created,
                    locks: Vec::new(),
                    unlocked: Some(e.to_string()),
                };
                return Ok((output, Vec::new()));
            }
            Ok(Claim::Busy { pid }) => {
                remove_empty(&created);
                let who = pid.map_or("another dossier build".to_string(), |p| {
                    format!("another dossier build (PID {p})")
                });
                return Err(Diagnostic::error(
                    "E-OUTPUT-BUSY",
                    &shown,
                    format!("{who} is writing into {} right now", shown.display()),
                )
                .hint("wait for that build to finish, then build again (dossier refuses rather than waits, so two builds never mix their files)"));
            }
            Err(e) => {
                remove_empty(&created);
                return Err(fail("cannot lock the output folder", e));
            }
        };
        // Checked again under the lock: the first check may have raced with
        // another build's swap.
        check_output(root, out)?;
        let warnings = clear_leftovers(&parent, &name);
        let build_lock = match LockFile::claim(
            &parent.join(format!(".{name}.dossier-{}.lock", std::process::id())),
        ) {
            Ok(Claim::Held(lock)) => lock,
            Ok(Claim::Busy { .. }) => {
                return Err(fail(
                    "cannot lock the staging folder",
                    io::Error::other("its lock is held"),
                ));
            }
            Err(e) => return Err(fail("cannot lock the staging folder", e)),
        };
        let at_start = Listing::of(&abs).map_err(|e| fail("cannot list the output folder", e))?;
        let output = Output {
            out: abs,
            shown,
            parent,
            name,
            at_start,
            created,
            locks: vec![build_lock, output_lock],
            unlocked: None,
        };
        Ok((output, warnings))
    }

    /// An empty staging folder beside the output (same file system, so the
    /// swap is a rename).
    pub fn stage(&self, compress: bool) -> io::Result<Staging<'_>> {
        if let Some(why) = &self.unlocked {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("cannot lock the output folder: {why}"),
            ));
        }
        Staging::create(self.sibling("tmp"), compress)
    }

    /// Swaps the staging folder in as the output, unless something other
    /// than dossier wrote into the output while the build ran: then nothing
    /// is replaced, the new build is discarded, and the error names what
    /// appeared.
    pub fn commit(&self, mut staging: Staging<'_>) -> Result<(), Diagnostic> {
        let fail = |e: io::Error| {
            Diagnostic::error(
                "E-OUTPUT",
                &self.shown,
                format!("cannot replace the output folder: {e}"),
            )
            .hint("check that no other program holds files open in it")
        };
        staging
            .write(MARKER, MARKER_TEXT.as_bytes())
            .map_err(fail)?;
        let now = Listing::of(&self.out).map_err(fail)?;
        let unexpected = self.at_start.unexpected_in(&now);
        if !unexpected.is_empty() {
            return Err(self.changed_error(&unexpected));
        }
        let staged = staging.dir.clone();
        let swapped = swap::swap(&staged, &self.out, &self.sibling("old")).map_err(fail)?;
        staging.committed = true;
        let Some(previous) = swap::previous(&swapped, &staged).map(Path::to_path_buf) else {
            return Ok(());
        };
        // Something may have been saved in the moment between the check and
        // the swap: look at the previous site once more before removing it.
        let unexpected = match Listing::of(&previous) {
            Ok(listing) => self.at_start.unexpected_in(&listing),
            Err(e) => vec![format!("(the previous output could not be listed: {e})")],
        };
        if !unexpected.is_empty() {
            return match swap::undo(&swapped, &staged, &self.out) {
                Ok(()) => {
                    let _ = fs::remove_dir_all(&staged);
                    Err(self.changed_error(&unexpected))
                }
                Err(e) => Err(self
                    .changed_error(&unexpected)
                    .note(format!(
                        "the new site was already in place and could not be swapped back ({e}); the previous output, with those files, is at {}",
                        previous.display()
                    ))),
            };
        }
        let _ = fs::remove_dir_all(&previous);
        Ok(())
    }

    fn changed_error(&self, unexpected: &[String]) -> Diagnostic {
        let shown = |p: &String| self.shown.join(p).display().to_string();
        let mut named: Vec<String> = unexpected.iter().take(NAMED).map(shown).collect();
        if unexpected.len() > NAMED {
            named.push(format!("and {} more", unexpected.len() - NAMED));
        }
        Diagnostic::error(
            "E-OUTPUT-CHANGED",
            &self.shown,
            format!(
                "something other than dossier wrote into {} while this build ran: {}",
                self.shown.display(),
                named.join(", ")
            ),
        )
        .hint(format!(
            "nothing was replaced: {} still holds the previous site and those files, and the new build was discarded. dossier replaces that folder whole on every build, so move the files you want to keep out of it (files to publish belong in static/), then build again",
            self.shown.display()
        ))
    }

    /// `.<name>.dossier-<kind>-<pid>` beside the output.
    fn sibling(&self, kind: &str) -> PathBuf {
        self.parent.join(format!(
            ".{}.dossier-{kind}-{}",
            self.name,
            std::process::id()
        ))
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        for lock in self.locks.drain(..) {
            drop(lock);
        }
        // A failed first build into a new path leaves no empty folders.
        if fs::symlink_metadata(&self.out).is_err() {
            remove_empty(&self.created);
        }
    }
}

/// Writing beside the output is not allowed at all (so neither is staging).
fn is_not_permitted(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Creates `dir` and its missing ancestors; returns those it created,
/// deepest first.
fn create_parents(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    fs::create_dir_all(dir)?;
    Ok(missing)
}

/// Removes folders that are empty (and only those), deepest first.
fn remove_empty(dirs: &[PathBuf]) {
    for dir in dirs {
        if fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn leftovers_of_gone_builds_go_live_and_unowned_ones_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir(&root).unwrap();
        let p = tmp.path();
        // A killed build: folder and lock file, nobody holds the lock.
        fs::create_dir_all(p.join(".public.dossier-tmp-11/a")).unwrap();
        fs::write(p.join(".public.dossier-11.lock"), "11\n").unwrap();
        // A live build: its lock is held (here by this test).
        fs::create_dir(p.join(".public.dossier-tmp-22")).unwrap();
        let live = File::create(p.join(".public.dossier-22.lock")).unwrap();
        live.lock().unwrap();
        // No lock file at all: not provably dossier's.
        fs::create_dir(p.join(".public.dossier-tmp-33")).unwrap();
        // Other outputs' and other programs' names.
        fs::create_dir(p.join(".other.dossier-tmp-44")).unwrap();
        fs::create_dir(p.join(".public.dossier-tmp-x")).unwrap();

        let (out, warnings) = Output::claim(&root, &p.join("public")).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].file.ends_with(".public.dossier-tmp-33"));
        let pid = std::process::id();
        assert_eq!(names(p), {
            let mut v = vec![
                ".other.dossier-tmp-44".to_string(),
                ".public.dossier-22.lock".into(),
                format!(".public.dossier-{pid}.lock"),
                ".public.dossier-lock".into(),
                ".public.dossier-tmp-22".into(),
                ".public.dossier-tmp-33".into(),
                ".public.dossier-tmp-x".into(),
                "site".into(),
            ];
            v.sort();
            v
        });
        drop(out);
        assert!(!p.join(".public.dossier-lock").exists());
        assert!(!p.join(format!(".public.dossier-{pid}.lock")).exists());
    }

    #[test]
    fn a_second_claim_is_refused_naming_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir(&root).unwrap();
        let out = tmp.path().join("public");
        let (first, _) = Output::claim(&root, &out).unwrap();
        let err = Output::claim(&root, &out).unwrap_err();
        assert_eq!(err.code, "E-OUTPUT-BUSY");
        assert!(
            err.message
                .contains(&format!("(PID {})", std::process::id())),
            "{}",
            err.message
        );
        drop(first);
        assert!(Output::claim(&root, &out).is_ok());
    }

    #[test]
    fn a_file_saved_into_the_output_stops_the_swap() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir(&root).unwrap();
        let out = tmp.path().join("public");
        let (claim, _) = Output::claim(&root, &out).unwrap();
        let s = claim.stage(false).unwrap();
        s.write("index.html", b"one").unwrap();
        claim.commit(s).unwrap();
        drop(claim);

        let (claim, _) = Output::claim(&root, &out).unwrap();
        let s = claim.stage(false).unwrap();
        s.write("index.html", b"two").unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = claim.commit(s).unwrap_err();
        assert_eq!(err.code, "E-OUTPUT-CHANGED");
        assert!(err.message.contains("notes.txt"), "{}", err.message);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");
        assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"mine");
        drop(claim);
        assert_eq!(names(tmp.path()), ["public", "site"], "nothing left beside");
    }

    #[test]
    fn a_failed_first_build_leaves_no_new_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir(&root).unwrap();
        let (claim, _) = Output::claim(&root, &tmp.path().join("a/b/public")).unwrap();
        assert!(tmp.path().join("a/b").is_dir());
        drop(claim);
        assert_eq!(names(tmp.path()), ["site"]);
    }
}
