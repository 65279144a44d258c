//! Telling whether a source file changed while, or after, it was read.
//!
//! An editor saving a file while the build reads it can hand the build half a
//! file. Nothing in the bytes says so; the file's metadata does: its size,
//! modification time and (on Unix) inode and status-change time, taken before
//! and after the read, differ if anything wrote to or replaced the file in
//! between. The status-change time cannot be set back by a program, so even a
//! writer that restores the modification time is seen.

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::diagnostics::Diagnostic;

/// A file's identity and state, as far as "did it change" needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
    #[cfg(unix)]
    changed: (i64, i64),
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// The file's stamp now; `None` if it cannot be read any more.
    pub fn now(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|m| Stamp::of(&m))
    }

    pub fn size(&self) -> u64 {
        self.len
    }
}

/// The message for a file that kept changing while it was read.
pub fn changing(file: impl Into<PathBuf>, when: &str) -> Diagnostic {
    Diagnostic::error(
        "E-CONTENT-CHANGED",
        file,
        format!("this file changed {when}, so what was read may be incomplete"),
    )
    .hint("wait for the editor or program writing it to finish (or save it again), then build again; the previous site was left in place")
}

/// The stamps of every file a build read, to check again just before the
/// new site replaces the old one.
#[derive(Debug, Default, Clone)]
pub struct ReadStamps {
    /// (path shown in messages, absolute path, stamp when read)
    files: Vec<(PathBuf, PathBuf, Stamp)>,
}

impl ReadStamps {
    pub fn push(&mut self, shown: PathBuf, absolute: PathBuf, stamp: Stamp) {
        self.files.push((shown, absolute, stamp));
    }

    /// An error for each file that changed (or vanished) since it was read.
    pub fn changed(&self) -> Vec<Diagnostic> {
        self.files
            .iter()
            .filter(|(_, absolute, stamp)| Stamp::now(absolute) != Some(*stamp))
            .map(|(shown, _, _)| changing(shown, "after the build read it, while the build ran"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let mut stamps = ReadStamps::default();
        stamps.push(
            "content/a.md".into(),
            path.clone(),
            Stamp::now(&path).unwrap(),
        );
        assert!(stamps.changed().is_empty());
        std::fs::write(&path, "two!").unwrap();
        let found = stamps.changed();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "E-CONTENT-CHANGED");
        assert_eq!(found[0].file, Path::new("content/a.md"));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            stamps.changed().len(),
            1,
            "a vanished file counts as changed"
        );
    }
}
