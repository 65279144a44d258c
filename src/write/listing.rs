//! What the output folder held when the build started, so that the swap can
//! tell whether anything else wrote into it while the build ran.
//!
//! Why a listing taken at the start and not a manifest of what dossier wrote
//! last time: the question at the swap is "did something appear or change
//! *during this build*", and the start of the build (taken while holding the
//! output lock) is exactly the moment to compare with. It needs no extra file
//! in the output, and it does not depend on the previous build having been
//! made by this version of dossier.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::time::SystemTime;

use walkdir::WalkDir;

/// Every entry below a folder, by relative path with `/` separators.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Listing {
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Dir,
    File {
        len: u64,
        modified: Option<SystemTime>,
    },
    /// A symbolic link or anything else that is not a file or a folder.
    Other,
}

impl Listing {
    /// What `dir` holds; a missing `dir` holds nothing. Symbolic links are
    /// listed, never followed.
    pub fn of(dir: &Path) -> io::Result<Listing> {
        let mut entries = BTreeMap::new();
        if std::fs::symlink_metadata(dir).is_err() {
            return Ok(Listing { entries });
        }
        for entry in WalkDir::new(dir).follow_links(false).min_depth(1) {
            let entry = entry.map_err(io::Error::from)?;
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let kind = entry.file_type();
            let value = if kind.is_dir() {
                Entry::Dir
            } else if kind.is_file() {
                let meta = entry.metadata().map_err(io::Error::from)?;
                Entry::File {
                    len: meta.len(),
                    modified: meta.modified().ok(),
                }
            } else {
                Entry::Other
            };
            entries.insert(rel, value);
        }
        Ok(Listing { entries })
    }

    /// The entries of `now` that `self` did not have, or had as something
    /// else (a file of another size or modification time, a folder that is
    /// now a file…), sorted. Inside a new folder only the folder is named.
    /// Entries that went missing are not reported: losing them loses nothing.
    pub fn unexpected_in(&self, now: &Listing) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut new_dirs: Vec<&str> = Vec::new();
        for (path, entry) in &now.entries {
            let inside_new = new_dirs.iter().any(|d| {
                path.len() > d.len() && path.starts_with(d) && path.as_bytes()[d.len()] == b'/'
            });
            if inside_new || self.entries.get(path) == Some(entry) {
                continue;
            }
            if *entry == Entry::Dir {
                if self.entries.contains_key(path) {
                    found.push(path.clone()); // was a file, now a folder
                } else {
                    new_dirs.push(path);
                    found.push(format!("{path}/"));
                }
            } else {
                found.push(path.clone());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn names_what_appeared_or_changed_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/index.html"), "one").unwrap();
        fs::write(out.join("gone.html"), "x").unwrap();
        fs::write(out.join("same.html"), "same").unwrap();
        let start = Listing::of(&out).unwrap();
        assert!(start.unexpected_in(&Listing::of(&out).unwrap()).is_empty());

        fs::remove_file(out.join("gone.html")).unwrap();
        fs::write(out.join("a/index.html"), "longer").unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        fs::create_dir_all(out.join("drafts/deep")).unwrap();
        fs::write(out.join("drafts/deep/x.md"), "x").unwrap();
        assert_eq!(
            start.unexpected_in(&Listing::of(&out).unwrap()),
            ["a/index.html", "drafts/", "notes.txt"]
        );
    }

    #[test]
    fn a_missing_folder_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let none = Listing::of(&dir.path().join("nope")).unwrap();
        assert_eq!(none, Listing::default());
        fs::write(dir.path().join("f"), "").unwrap();
        assert_eq!(none.unexpected_in(&Listing::of(dir.path()).unwrap()), ["f"]);
    }
}
