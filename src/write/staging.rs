//! The staging folder: where the new site is written before it replaces the
//! output. It is made by [`Output::stage`](super::Output::stage) and swapped
//! in by [`Output::commit`](super::Output::commit); dropped without that, it
//! removes itself.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::marker::PhantomData;
use std::path::{Component, Path, PathBuf};

use super::Output;
use super::compress::{brotli, gzip, is_text};
use crate::load::stamp::Stamp;

/// A folder being filled with the new site. It borrows the claimed
/// [`Output`], so it cannot outlive the locks that keep it safe.
pub struct Staging<'a> {
    pub(super) dir: PathBuf,
    /// Also write `.gz` and `.br` siblings of text files.
    compress: bool,
    /// Set once the folder is no longer ours to remove (it was swapped).
    pub(super) committed: bool,
    _output: PhantomData<&'a Output>,
}

impl Staging<'_> {
    /// Creates the empty folder `dir` (its name was checked free by the
    /// caller, which holds the locks).
    pub(super) fn create(dir: PathBuf, compress: bool) -> io::Result<Self> {
        fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            compress,
            committed: false,
            _output: PhantomData,
        })
    }

    /// Writes one file; `relative` uses `/` and never leaves the folder
    /// (the model guarantees it; this checks it again).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.resolve(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        create_new(&path, relative, bytes)?;
        if self.compress && is_text(relative) {
            let name = file_name(&path);
            create_new(
                &path.with_file_name(format!("{name}.gz")),
                relative,
                &gzip(bytes)?,
            )?;
            create_new(
                &path.with_file_name(format!("{name}.br")),
                relative,
                &brotli(bytes)?,
            )?;
        }
        Ok(())
    }

    /// Copies a file into the staging folder. A file that changes while it
    /// is copied (an image still being saved) is copied once more; if it
    /// changes again, this fails rather than publish a torn copy.
    pub fn copy(&self, from: &Path, relative: &str) -> io::Result<()> {
        for attempt in 0..2 {
            let before = Stamp::of(&fs::metadata(from)?);
            let copied = self.copy_once(from, relative)?;
            let after = Stamp::of(&fs::metadata(from)?);
            if before == after && copied == after.size() {
                return Ok(());
            }
            self.remove(relative);
            if attempt == 0 {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
        }
        Err(io::Error::other(
            "it changed while it was being copied; wait for the program writing it to finish, then build again",
        ))
    }

    /// One copy; the number of bytes read from `from`.
    fn copy_once(&self, from: &Path, relative: &str) -> io::Result<u64> {
        if self.compress && is_text(relative) {
            let bytes = fs::read(from)?;
            self.write(relative, &bytes)?;
            return Ok(bytes.len() as u64);
        }
        let path = self.resolve(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        if path.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("two sources produce the same output file {relative}"),
            ));
        }
        fs::copy(from, &path)
    }

    /// Puts a file that never changes once written (an image variant in the
    /// cache, see `crate::images`) into the staging folder as a hard link:
    /// no bytes are copied. Where a link cannot be made (the cache on
    /// another file system), it is copied. Never over an existing file.
    pub fn link_or_copy(&self, from: &Path, relative: &str) -> io::Result<()> {
        let path = self.resolve(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        match fs::hard_link(from, &path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("two sources produce the same output file {relative}"),
            )),
            Err(_) => self.copy(from, relative),
        }
    }

    /// Removes a copied file and its compressed siblings (to copy it again).
    fn remove(&self, relative: &str) {
        if let Ok(path) = self.resolve(relative) {
            let name = file_name(&path);
            let _ = fs::remove_file(&path);
            let _ = fs::remove_file(path.with_file_name(format!("{name}.gz")));
            let _ = fs::remove_file(path.with_file_name(format!("{name}.br")));
        }
    }

    fn resolve(&self, relative: &str) -> io::Result<PathBuf> {
        let rel = Path::new(relative);
        let safe = rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe || relative.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {relative}"),
            ));
        }
        Ok(self.dir.join(rel))
    }

    /// The folder, for tests and messages.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Staging<'_> {
    /// A build that did not commit leaves nothing behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn create_new(path: &Path, relative: &str, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    e.kind(),
                    format!("two sources produce the same output file {relative}"),
                )
            } else {
                e
            }
        })?;
    file.write_all(bytes)
}
