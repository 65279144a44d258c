//! Where the editor may read and write: Markdown files inside the site's
//! `content/`, and nothing else.
//!
//! A source (`partners/japan.md`) must be plain segments: no empty, `.` or
//! `..` segment, no hidden name (the loader skips those), no backslash, NUL
//! or `:`, and end in `.md`. Then, on disk, no component from `content/`
//! down may be a symbolic link (the loader does not follow them either, so
//! a link could only be a way out), and the canonical parent folder must
//! still be inside the canonical `content/`.

use std::path::{Path, PathBuf};

use crate::load::CONTENT_DIR;

/// Longest source accepted, in bytes.
const MAX_SOURCE: usize = 512;

/// Why a source was refused, for the 400/403 answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

/// The absolute path of `source` below `root/content`, checked.
pub fn content_file(root: &Path, source: &str) -> Result<PathBuf, Refused> {
    check_source(source)?;
    let content = root.join(CONTENT_DIR);
    let canonical_content = content
        .canonicalize()
        .map_err(|e| Refused(format!("content/ cannot be opened: {e}")))?;
    let mut path = content.clone();
    for segment in source.split('/') {
        path.push(segment);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Refused(format!(
                    "content/{source} goes through a symbolic link; the editor does not follow links"
                )));
            }
            _ => {}
        }
    }
    let parent = path.parent().unwrap_or(&content);
    if let Ok(real) = parent.canonicalize()
        && !real.starts_with(&canonical_content)
    {
        return Err(Refused(format!("content/{source} is outside content/")));
    }
    Ok(path)
}

/// `root/<folder>` (a fixed path such as `static/images`), created if
/// missing, with no symbolic link on the way from the root.
pub fn static_folder(root: &Path, folder: &str) -> Result<PathBuf, Refused> {
    let mut path = root.to_path_buf();
    for segment in folder.split('/') {
        path.push(segment);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Refused(format!(
                    "{folder} goes through a symbolic link; the editor does not follow links"
                )));
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(Refused(format!("{} is not a folder", path.display())));
            }
            Ok(_) => {}
            Err(_) => std::fs::create_dir(&path)
                .map_err(|e| Refused(format!("cannot create {folder}: {e}")))?,
        }
    }
    Ok(path)
}

/// The textual rules, before the disk is looked at.
fn check_source(source: &str) -> Result<(), Refused> {
    let refuse = |why: &str| Err(Refused(format!("{source:?} is not a page path: {why}")));
    if source.is_empty() || source.len() > MAX_SOURCE {
        return refuse("it is empty or too long");
    }
    if source.contains(['\\', '\0', ':']) {
        return refuse("backslashes, NUL and `:` are not allowed");
    }
    if !source.ends_with(".md") {
        return refuse("only .md files can be edited");
    }
    for segment in source.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return refuse("it must be a path below content/ without `.`, `..` or `//`");
        }
        if crate::load::is_ignored(std::ffi::OsStr::new(segment)) {
            return refuse("hidden and backup names are not part of the site");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_markdown_paths_pass_the_text_rules() {
        assert!(check_source("partners/japan.md").is_ok());
        assert!(check_source("_index.md").is_ok());
        for bad in [
            "",
            "../site.yaml",
            "partners/../../x.md",
            "/etc/passwd.md",
            "a//b.md",
            "./a.md",
            "a\\b.md",
            "a\0.md",
            "C:/a.md",
            ".hidden.md",
            "a/.git/x.md",
            "a.md~",
            "partners/japan.html",
        ] {
            assert!(check_source(bad).is_err(), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_refused_inside_and_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/a")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("content/out")).unwrap();
        std::os::unix::fs::symlink(root.join("content/a"), root.join("content/b")).unwrap();
        std::fs::write(dir.path().join("outside/x.md"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside/x.md"), root.join("content/a/l.md"))
            .unwrap();
        assert!(content_file(&root, "out/x.md").is_err());
        assert!(content_file(&root, "b/new.md").is_err());
        assert!(content_file(&root, "a/l.md").is_err());
        let fine = content_file(&root, "a/new.md").unwrap();
        assert_eq!(fine, root.join("content/a/new.md"));
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("static/images")).unwrap();
        assert!(static_folder(&root, "static/images").is_err());
        assert!(static_folder(&root, "static/other").is_ok());
    }
}
