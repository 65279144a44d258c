//! Lock files held with the operating system's own advisory lock (`flock` on
//! Linux, through `std::fs::File::try_lock`).
//!
//! Why an OS lock and not a PID file alone: the kernel releases the lock when
//! its process ends, however it ends (kill -9 included), and a PID can be
//! reused by an unrelated process. So "the lock can be taken" proves that the
//! build that made the file is gone, with no guessing.
//!
//! A lock file is removed by its holder *while it still holds the lock*, so no
//! lock file is left behind after a build. Someone who opened the file just
//! before it was removed may then lock an orphaned inode; [`LockFile::claim`]
//! notices (the path no longer names the inode it locked) and starts again.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A held lock on a file; dropping it removes the file, then unlocks it.
#[derive(Debug)]
pub struct LockFile {
    file: File,
    path: PathBuf,
    remove_on_drop: bool,
}

/// The result of trying to take a lock without waiting.
#[derive(Debug)]
pub enum Claim {
    Held(LockFile),
    /// Another live process holds it; the PID it recorded, if readable.
    Busy {
        pid: Option<u32>,
    },
}

/// An existing lock file that may have been abandoned.
#[derive(Debug)]
pub enum Abandoned {
    /// Nobody held it: its owner is gone. Now held by us.
    Taken(LockFile),
    /// Its owner is alive.
    Held,
    /// There is no such lock file.
    Absent,
}

impl LockFile {
    /// Creates `path` if needed and takes its lock without waiting. When
    /// held, the file records this process's PID (for the other build's
    /// message).
    pub fn claim(path: &Path) -> io::Result<Claim> {
        loop {
            let file = open(path, true)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Ok(Claim::Busy {
                        pid: read_pid(&file),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if names_file(path, &file)? {
                let mut lock = LockFile {
                    file,
                    path: path.to_path_buf(),
                    remove_on_drop: true,
                };
                lock.record_pid()?;
                return Ok(Claim::Held(lock));
            }
            // The previous holder removed the file between our open and our
            // lock: what we hold is no longer at `path`. Try again.
        }
    }

    /// Takes the lock of an existing lock file if its owner is gone.
    pub fn take_abandoned(path: &Path) -> io::Result<Abandoned> {
        let file = match open(path, false) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Abandoned::Absent),
            Err(e) => return Err(e),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(Abandoned::Held),
            Err(TryLockError::Error(e)) => return Err(e),
        }
        if !names_file(path, &file)? {
            // Removed (or replaced) by a process that held it: not ours to judge.
            return Ok(Abandoned::Held);
        }
        Ok(Abandoned::Taken(LockFile {
            file,
            path: path.to_path_buf(),
            remove_on_drop: true,
        }))
    }

    /// Unlocks without removing the file (it still guards something that
    /// could not be removed).
    pub fn release_keeping_file(mut self) {
        self.remove_on_drop = false;
    }

    fn record_pid(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        writeln!(self.file, "{}", std::process::id())?;
        self.file.flush()
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        if self.remove_on_drop {
            let _ = fs::remove_file(&self.path);
        }
        // Closing the file (after this) releases the lock.
    }
}

/// Opens a lock file for reading and writing, never through a symbolic link
/// (a planted link must not make dossier truncate another file).
fn open(path: &Path, create: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(create);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

/// True if `path` still names the very file `file` is open on.
#[cfg(unix)]
fn names_file(path: &Path, file: &File) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let held = file.metadata()?;
    match fs::symlink_metadata(path) {
        Ok(now) if now.file_type().is_symlink() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is a symbolic link, not a lock file", path.display()),
        )),
        Ok(now) => Ok(now.dev() == held.dev() && now.ino() == held.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn names_file(path: &Path, _file: &File) -> io::Result<bool> {
    Ok(path.exists())
}

fn read_pid(mut file: &File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_busy_and_names_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".out.dossier-lock");
        let Claim::Held(first) = LockFile::claim(&path).unwrap() else {
            panic!("a fresh lock is free");
        };
        // A second open file description conflicts with the first, as a
        // second process would.
        match LockFile::claim(&path).unwrap() {
            Claim::Busy { pid } => assert_eq!(pid, Some(std::process::id())),
            Claim::Held(_) => panic!("the lock is already held"),
        }
        assert!(matches!(
            LockFile::take_abandoned(&path).unwrap(),
            Abandoned::Held
        ));
        drop(first);
        assert!(!path.exists(), "the holder removes its lock file");
        assert!(matches!(
            LockFile::take_abandoned(&path).unwrap(),
            Abandoned::Absent
        ));
        assert!(matches!(LockFile::claim(&path).unwrap(), Claim::Held(_)));
    }

    #[test]
    fn an_unheld_lock_file_is_abandoned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".out.dossier-1.lock");
        fs::write(&path, "1\n").unwrap();
        let Abandoned::Taken(lock) = LockFile::take_abandoned(&path).unwrap() else {
            panic!("nobody holds it");
        };
        lock.release_keeping_file();
        assert!(path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_never_a_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious.txt");
        fs::write(&target, "keep me").unwrap();
        let path = dir.path().join(".out.dossier-lock");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        assert!(LockFile::claim(&path).is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
    }
}
