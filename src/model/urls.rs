//! Slugs and site paths.
//!
//! A *site path* is the root-relative URL of a page, always of the form `/`
//! or `/a/b/` (pretty URLs: the page is written to `a/b/index.html`). Every
//! segment is a slug: lower-case ASCII letters, digits and `-`, never empty,
//! never `.` or `..`. That invariant is what guarantees no page is ever
//! written outside the output folder, whatever a file or slug is called.

/// The longest name most file systems take for one file or folder (ext4,
/// XFS, APFS, NTFS: 255 bytes). Transliteration can make a slug longer than
/// the name it came from (`東京` becomes `dong-jing`).
pub const MAX_SEGMENT_BYTES: usize = 255;
/// The longest site path dossier writes. Linux refuses paths over 4,096
/// bytes; this leaves room for the output folder's own path.
pub const MAX_PATH_BYTES: usize = 1024;

/// Why `path` (a site path) is too long to be written, if it is.
pub fn path_too_long(path: &str) -> Option<String> {
    if let Some(segment) = path.split('/').find(|s| s.len() > MAX_SEGMENT_BYTES) {
        let shown: String = segment.chars().take(40).collect();
        return Some(format!(
            "its URL has a part `{shown}…` of {} bytes, and file systems allow at most {MAX_SEGMENT_BYTES} bytes per name",
            segment.len()
        ));
    }
    (path.len() > MAX_PATH_BYTES).then(|| {
        format!(
            "its URL is {} bytes long, and dossier writes paths of at most {MAX_PATH_BYTES} bytes",
            path.len()
        )
    })
}

/// Turns an editor's `slug:` value or a file name into a slug, or explains
/// why it cannot be one.
pub fn slug_from(value: &str) -> Result<String, String> {
    if value.contains('/') || value.contains('\\') {
        return Err(format!(
            "`{value}` contains a slash; a slug is one path segment"
        ));
    }
    if value.contains("..") {
        return Err(format!(
            "`{value}` contains `..`; a slug cannot point elsewhere"
        ));
    }
    let slug = slug::slugify(value);
    if slug.is_empty() {
        return Err(format!(
            "nothing is left of `{value}` once reduced to letters, digits and dashes"
        ));
    }
    if slug.len() > MAX_SEGMENT_BYTES {
        return Err(format!(
            "its URL part would be {} bytes long, and file systems allow at most {MAX_SEGMENT_BYTES} bytes per name",
            slug.len()
        ));
    }
    Ok(slug)
}

/// The site path of a content folder (`partners/Asia` → `/partners/asia/`).
/// Folder names that reduce to nothing are skipped rather than producing `//`.
pub fn dir_path(dir: &str) -> String {
    let mut path = String::from("/");
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        let slug = slug::slugify(part);
        if !slug.is_empty() {
            path.push_str(&slug);
            path.push('/');
        }
    }
    path
}

/// `/a/b/` + `c` → `/a/b/c/`.
pub fn child_path(parent: &str, slug: &str) -> String {
    format!("{parent}{slug}/")
}

/// The output file of a site path: `/` → `index.html`, `/a/b/` → `a/b/index.html`.
pub fn output_file(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_segments() {
        assert_eq!(slug_from("Republic of Korea").unwrap(), "republic-of-korea");
        assert_eq!(slug_from("Michał").unwrap(), "michal");
        assert!(slug_from("a/b").is_err());
        assert!(slug_from("..").is_err());
        assert!(slug_from("x..y").is_err());
        assert!(slug_from("!!!").is_err());
        assert!(slug_from("").is_err());
        assert_eq!(slug_from(&"a".repeat(255)).unwrap().len(), 255);
        assert!(slug_from(&"a".repeat(256)).is_err());
        // 85 CJK characters fit in 255 bytes; their transliteration does not.
        assert!(slug_from(&"東".repeat(85)).is_err());
    }

    #[test]
    fn paths_are_pretty_and_inside_the_output() {
        assert_eq!(dir_path(""), "/");
        assert_eq!(dir_path("partners/Asia Pacific"), "/partners/asia-pacific/");
        assert_eq!(dir_path("a/!!!/b"), "/a/b/");
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/a/b/"), "a/b/index.html");
        assert!(path_too_long("/a/b/").is_none());
        assert!(path_too_long(&format!("/{}/", "a".repeat(256))).is_some());
        assert!(path_too_long(&"/abc".repeat(300)).is_some());
    }
}
