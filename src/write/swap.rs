//! Putting the staging folder in place of the output.
//!
//! On Linux the two folders are exchanged in one step (`renameat2` with
//! `RENAME_EXCHANGE`): at every moment the output path names a complete
//! site, the old one or the new one, so a web server serving it never
//! answers 404 for a page both have. Where the exchange is not offered
//! (another OS, or a file system that refuses it with `EINVAL`/`ENOSYS`),
//! the output is moved aside and the staging folder renamed into its place:
//! two renames, with a moment in between when the output does not exist.
//!
//! `rustix` rather than `libc`: it exposes `renameat2` as a safe function
//! taking paths, so this needs no `unsafe` and no hand-made C strings.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How the new site was put in place, and so where the previous one is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Swapped {
    /// There was no output: the staging folder was renamed to it.
    Fresh,
    /// Exchanged in one step: the previous site is now at the staging path.
    Exchanged,
    /// Two renames: the previous site is at this path.
    MovedAside(PathBuf),
}

/// Puts `staged` at `out`. `aside` is where the previous output goes when
/// the exchange is not available.
pub fn swap(staged: &Path, out: &Path, aside: &Path) -> io::Result<Swapped> {
    if fs::symlink_metadata(out).is_err() {
        fs::rename(staged, out)?;
        return Ok(Swapped::Fresh);
    }
    if exchange(staged, out)? {
        return Ok(Swapped::Exchanged);
    }
    two_renames(staged, out, aside)?;
    Ok(Swapped::MovedAside(aside.to_path_buf()))
}

/// Undoes [`swap`]: the previous site back at `out`, the new one back at
/// `staged`.
pub fn undo(swapped: &Swapped, staged: &Path, out: &Path) -> io::Result<()> {
    match swapped {
        Swapped::Fresh => fs::rename(out, staged),
        Swapped::Exchanged => {
            if exchange(staged, out)? {
                Ok(())
            } else {
                Err(io::Error::other("the exchange worked once and not again"))
            }
        }
        Swapped::MovedAside(aside) => {
            fs::rename(out, staged)?;
            fs::rename(aside, out)
        }
    }
}

/// Where the previous site is after `swapped`, if there was one.
pub fn previous<'a>(swapped: &'a Swapped, staged: &'a Path) -> Option<&'a Path> {
    match swapped {
        Swapped::Fresh => None,
        Swapped::Exchanged => Some(staged),
        Swapped::MovedAside(aside) => Some(aside),
    }
}

/// The fallback: `out` → `aside`, then `staged` → `out`; if the second
/// rename fails the first is undone.
pub fn two_renames(staged: &Path, out: &Path, aside: &Path) -> io::Result<()> {
    fs::rename(out, aside)?;
    if let Err(e) = fs::rename(staged, out) {
        let _ = fs::rename(aside, out);
        return Err(e);
    }
    Ok(())
}

/// Exchanges two existing paths atomically. `Ok(false)`: not supported here.
#[cfg(target_os = "linux")]
pub fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
pub fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), text).unwrap();
    }

    fn index(dir: &Path) -> String {
        fs::read_to_string(dir.join("index.html")).unwrap()
    }

    #[test]
    fn swaps_and_undoes_on_every_path() {
        let tmp = tempfile::tempdir().unwrap();
        let (staged, out, aside) = (
            tmp.path().join(".out.tmp"),
            tmp.path().join("out"),
            tmp.path().join(".out.old"),
        );
        site(&staged, "new");
        let s = swap(&staged, &out, &aside).unwrap();
        assert_eq!(s, Swapped::Fresh);
        assert_eq!(index(&out), "new");
        assert!(previous(&s, &staged).is_none());
        undo(&s, &staged, &out).unwrap();
        assert!(!out.exists());
        assert_eq!(index(&staged), "new");

        site(&out, "old");
        let s = swap(&staged, &out, &aside).unwrap();
        assert_eq!(index(&out), "new");
        let prev = previous(&s, &staged).unwrap().to_path_buf();
        assert_eq!(index(&prev), "old");
        if cfg!(target_os = "linux") {
            assert_eq!(s, Swapped::Exchanged, "ext4 and tmpfs offer the exchange");
        }
        undo(&s, &staged, &out).unwrap();
        assert_eq!(index(&out), "old");
        assert_eq!(index(&staged), "new");
    }

    #[test]
    fn the_fallback_moves_aside_and_restores_on_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let (staged, out, aside) = (
            tmp.path().join(".out.tmp"),
            tmp.path().join("out"),
            tmp.path().join(".out.old"),
        );
        site(&out, "old");
        // The staged folder is missing: the second rename fails, and the
        // first is undone.
        assert!(two_renames(&staged, &out, &aside).is_err());
        assert_eq!(index(&out), "old");
        assert!(!aside.exists());
        site(&staged, "new");
        two_renames(&staged, &out, &aside).unwrap();
        assert_eq!(index(&out), "new");
        assert_eq!(index(&aside), "old");
        let s = Swapped::MovedAside(aside.clone());
        undo(&s, &staged, &out).unwrap();
        assert_eq!(index(&out), "old");
        assert_eq!(index(&staged), "new");
    }
}
