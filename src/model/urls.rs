//! Slugs and site paths.
//!
//! A *site path* is the root-relative URL of a page, always of the form `/`
//! or `/a/b/` (pretty URLs: the page is written to `a/b/index.html`). Every
//! segment is a slug: lower-case ASCII letters, digits and `-`, never empty,
//! never `.` or `..`. That invariant is what guarantees no page is ever
//! written outside the output folder, whatever a file or slug is called.

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
    }

    #[test]
    fn paths_are_pretty_and_inside_the_output() {
        assert_eq!(dir_path(""), "/");
        assert_eq!(dir_path("partners/Asia Pacific"), "/partners/asia-pacific/");
        assert_eq!(dir_path("a/!!!/b"), "/a/b/");
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/a/b/"), "a/b/index.html");
    }
}
