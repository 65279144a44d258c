//! The variants cache: `.dossier-cache/images/<key>.<ext>` at the site's
//! root, outside every output. A key is a hash of the source image's bytes
//! and every parameter of the variant (see `plan::key`), so an entry is
//! never stale; entries are written atomically (a temporary file renamed
//! into place), so none is ever half written. [`Cache::prune`] keeps it to
//! what the last build used.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".dossier-cache/images";

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn at(root: &Path) -> Cache {
        Cache {
            dir: root.join(CACHE_DIR),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn path(&self, key: &str, ext: &str) -> PathBuf {
        self.dir.join(format!("{key}.{ext}"))
    }

    /// Stores `bytes` under `key`, atomically.
    pub(crate) fn store(&self, key: &str, ext: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".tmp-");
        // Readable by all, like any file of the site (a temporary file is
        // private by default, and copies keep the mode).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut file = builder.tempfile_in(&self.dir)?;
        file.write_all(bytes)?;
        let path = self.path(key, ext);
        file.persist(&path).map_err(|e| e.error)?;
        Ok(path)
    }

    /// Removes the entries whose file names are not in `used`. Only names
    /// the cache writes (`<32 hex digits>.<jpg|png|webp>`) are touched.
    /// Returns how many were removed.
    pub fn prune(&self, used: &HashSet<String>) -> std::io::Result<usize> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if is_entry_name(name) && !used.contains(name) && entry.file_type()?.is_file() {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

fn is_entry_name(name: &str) -> bool {
    let Some((key, ext)) = name.split_once('.') else {
        return false;
    };
    key.len() == 32
        && key.bytes().all(|b| b.is_ascii_hexdigit())
        && matches!(ext, "jpg" | "png" | "webp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_removes_only_unused_entries_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let key = "0123456789abcdef0123456789abcdef";
        let old = "ffffffffffffffffffffffffffffffff";
        cache.store(key, "jpg", b"a").unwrap();
        cache.store(old, "webp", b"b").unwrap();
        std::fs::write(cache.dir().join("notes.txt"), "mine").unwrap();
        let used: HashSet<String> = [format!("{key}.jpg")].into();
        assert_eq!(cache.prune(&used).unwrap(), 1);
        assert!(cache.path(key, "jpg").exists());
        assert!(!cache.path(old, "webp").exists());
        assert!(cache.dir().join("notes.txt").exists());
    }
}
