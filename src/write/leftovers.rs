//! What builds that were killed left beside the output, and which of it is
//! provably theirs to remove.
//!
//! A build's folders (`.<out>.dossier-tmp-<pid>`, `.<out>.dossier-old-<pid>`)
//! belong to the lock file `.<out>.dossier-<pid>.lock`. If that lock can be
//! taken, the build is gone (the kernel released its lock when it died), and
//! its folders are removed, then the lock file. A held lock means a live
//! build; no lock file at all means nothing proves dossier made the folder
//! (an older dossier, or something else): both are left alone.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::lock::{Abandoned, LockFile};
use crate::diagnostics::Diagnostic;

/// A leftover's kind, from its name after `.<name>.dossier-`.
enum Leftover {
    /// `tmp-<pid>` or `old-<pid>`.
    Folder(u32),
    /// `<pid>.lock`.
    Lock(u32),
}

fn leftover(rest: &str) -> Option<Leftover> {
    let pid = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let Some(n) = rest
        .strip_prefix("tmp-")
        .or_else(|| rest.strip_prefix("old-"))
    {
        return pid(n).map(Leftover::Folder);
    }
    rest.strip_suffix(".lock").and_then(pid).map(Leftover::Lock)
}

/// Removes the folders and lock files of builds into this output whose
/// process is gone (their lock can be taken). Called with the output's lock
/// held, so no build that follows these rules is starting or finishing now.
pub fn clear_leftovers(parent: &Path, name: &str) -> Vec<Diagnostic> {
    let prefix = format!(".{name}.dossier-");
    let mut by_pid: BTreeMap<u32, Vec<PathBuf>> = BTreeMap::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        match leftover(rest) {
            Some(Leftover::Folder(pid)) => by_pid.entry(pid).or_default().push(entry.path()),
            Some(Leftover::Lock(pid)) => {
                by_pid.entry(pid).or_default();
            }
            None => {}
        }
    }
    let mut warnings = Vec::new();
    for (pid, folders) in by_pid {
        let lock_path = parent.join(format!("{prefix}{pid}.lock"));
        match LockFile::take_abandoned(&lock_path) {
            Ok(Abandoned::Taken(lock)) => {
                let mut kept = false;
                for folder in &folders {
                    if let Err(e) = fs::remove_dir_all(folder) {
                        kept = true;
                        warnings.push(
                            Diagnostic::warning(
                                "W-OUTPUT-LEFTOVER",
                                folder,
                                format!("cannot remove what an interrupted build left here: {e}"),
                            )
                            .hint("remove it yourself"),
                        );
                    }
                }
                if kept {
                    lock.release_keeping_file();
                }
            }
            Ok(Abandoned::Held) => {}
            Ok(Abandoned::Absent) => warnings.extend(folders.iter().map(|folder| {
                Diagnostic::warning(
                    "W-OUTPUT-LEFTOVER",
                    folder,
                    "this looks like a staging folder of an interrupted build, but no lock shows which build made it, so dossier leaves it alone",
                )
                .hint("if no dossier build is running, remove it yourself")
            })),
            Err(e) => warnings.push(Diagnostic::warning(
                "W-OUTPUT-LEFTOVER",
                &lock_path,
                format!("cannot check this lock file: {e}"),
            )),
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_are_parsed_strictly() {
        assert!(matches!(leftover("tmp-12"), Some(Leftover::Folder(12))));
        assert!(matches!(leftover("old-7"), Some(Leftover::Folder(7))));
        assert!(matches!(leftover("12.lock"), Some(Leftover::Lock(12))));
        for other in ["lock", "tmp-", "tmp-1x", "tmp--1", "x.lock", "tmp-1.lock"] {
            assert!(leftover(other).is_none(), "{other}");
        }
    }
}
