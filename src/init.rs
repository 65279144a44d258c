//! `dossier init DIR`: a new site, either from the design of the shipped
//! briefing (its templates, stylesheet, scripts, schemas and interface
//! strings, with placeholder pages whose `TODO` values fail the build until
//! they are filled) or, with `--bare`, the smallest site that builds.
//!
//! The files are built into the binary: [`FULL`] and [`BARE`] are the one
//! list of embedded files each (a unit test checks that [`FULL`] holds every
//! file of `templates/` and `static/`, so a new template cannot be
//! forgotten). The site is written into a temporary folder beside `DIR` and
//! renamed into place, so `DIR` is either absent, or complete; a `DIR` that
//! exists and is not empty is refused.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The shipped briefing's design, and placeholder pages (`assets/init/full/`).
pub const FULL: &[(&str, &[u8])] = &[
    ("i18n/de.yaml", include_bytes!("../i18n/de.yaml")),
    ("i18n/en.yaml", include_bytes!("../i18n/en.yaml")),
    ("i18n/fr.yaml", include_bytes!("../i18n/fr.yaml")),
    ("static/search.js", include_bytes!("../static/search.js")),
    ("static/style.css", include_bytes!("../static/style.css")),
    (
        "templates/404.html",
        include_bytes!("../templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../templates/base.html"),
    ),
    (
        "templates/briefing.html",
        include_bytes!("../templates/briefing.html"),
    ),
    (
        "templates/changes.html",
        include_bytes!("../templates/changes.html"),
    ),
    (
        "templates/components/content.html",
        include_bytes!("../templates/components/content.html"),
    ),
    (
        "templates/components/fact_sources.html",
        include_bytes!("../templates/components/fact_sources.html"),
    ),
    (
        "templates/components/labels.html",
        include_bytes!("../templates/components/labels.html"),
    ),
    (
        "templates/components/page_parts.html",
        include_bytes!("../templates/components/page_parts.html"),
    ),
    (
        "templates/components/partners_table.html",
        include_bytes!("../templates/components/partners_table.html"),
    ),
    (
        "templates/components/sources_list.html",
        include_bytes!("../templates/components/sources_list.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../templates/index.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../templates/page.html"),
    ),
    (
        "templates/partials/briefing_link.html",
        include_bytes!("../templates/partials/briefing_link.html"),
    ),
    (
        "templates/partials/map.html",
        include_bytes!("../templates/partials/map.html"),
    ),
    (
        "templates/partials/partners_overview.html",
        include_bytes!("../templates/partials/partners_overview.html"),
    ),
    (
        "templates/partner.html",
        include_bytes!("../templates/partner.html"),
    ),
    (
        "templates/report.html",
        include_bytes!("../templates/report.html"),
    ),
    (
        "templates/search.html",
        include_bytes!("../templates/search.html"),
    ),
    (
        "templates/section.html",
        include_bytes!("../templates/section.html"),
    ),
    (
        "templates/sources.html",
        include_bytes!("../templates/sources.html"),
    ),
    (
        "templates/taxonomy_list.html",
        include_bytes!("../templates/taxonomy_list.html"),
    ),
    (
        "templates/taxonomy_single.html",
        include_bytes!("../templates/taxonomy_single.html"),
    ),
    (
        "templates/timeline.html",
        include_bytes!("../templates/timeline.html"),
    ),
    (
        "content/_index.md",
        include_bytes!("../assets/init/full/content/_index.md"),
    ),
    (
        "content/about.md",
        include_bytes!("../assets/init/full/content/about.md"),
    ),
    (
        "content/partners/_index.md",
        include_bytes!("../assets/init/full/content/partners/_index.md"),
    ),
    (
        "content/report/_index.md",
        include_bytes!("../assets/init/full/content/report/_index.md"),
    ),
    (
        "content/search.md",
        include_bytes!("../assets/init/full/content/search.md"),
    ),
    ("site.yaml", include_bytes!("../assets/init/full/site.yaml")),
];

/// The minimal site (`assets/init/bare/`): generic templates any content
/// builds with (also what `dossier import` gives a converted site).
pub const BARE: &[(&str, &[u8])] = &[
    (
        "content/_index.md",
        include_bytes!("../assets/init/bare/content/_index.md"),
    ),
    (
        "content/about.md",
        include_bytes!("../assets/init/bare/content/about.md"),
    ),
    ("site.yaml", include_bytes!("../assets/init/bare/site.yaml")),
    (
        "static/style.css",
        include_bytes!("../assets/init/bare/static/style.css"),
    ),
    (
        "templates/404.html",
        include_bytes!("../assets/init/bare/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../assets/init/bare/templates/base.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../assets/init/bare/templates/index.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../assets/init/bare/templates/page.html"),
    ),
    (
        "templates/section.html",
        include_bytes!("../assets/init/bare/templates/section.html"),
    ),
    (
        "templates/taxonomy_list.html",
        include_bytes!("../assets/init/bare/templates/taxonomy_list.html"),
    ),
    (
        "templates/taxonomy_single.html",
        include_bytes!("../assets/init/bare/templates/taxonomy_single.html"),
    ),
];

/// Which site to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Full,
    Bare,
}

/// Creates the site in `dir`. Returns the files written, relative to `dir`.
pub fn init(dir: &Path, kind: Kind) -> Result<Vec<String>, Diagnostic> {
    let files: Vec<(String, Vec<u8>)> = match kind {
        Kind::Full => FULL
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect(),
        Kind::Bare => BARE
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect(),
    };
    let written = write_new_site(dir, &files, |staged| {
        if kind == Kind::Full {
            // An example page of each schema, as `dossier new` makes them.
            for (section, title) in [("partners", "Example partner"), ("report", "Example theme")] {
                crate::scaffold::new_page(staged, section, title)?;
            }
        }
        Ok(())
    })?;
    Ok(written)
}

/// Writes `files` as a new folder `dir`: into a temporary sibling first,
/// then `finish` may add to it, then one rename puts it in place. Refuses a
/// `dir` that exists and is not an empty folder; removes the temporary
/// folder on any failure.
pub fn write_new_site(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    finish: impl FnOnce(&Path) -> Result<(), Diagnostic>,
) -> Result<Vec<String>, Diagnostic> {
    refuse_non_empty(dir)?;
    let fail = |what: &str, e: io::Error| {
        Diagnostic::error("E-INIT", dir, format!("{what}: {e}"))
            .hint("check that the parent folder exists and is writable")
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Diagnostic::error("E-INIT", dir, "give the new site's folder a name"))?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| fail("cannot create its parent folder", e))?;
    let staged = parent.join(format!(".{name}.dossier-init-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staged);
    let guard = Cleanup(&staged);
    let mut written = Vec::new();
    for (relative, bytes) in files {
        let path = staged.join(relative);
        if !Path::new(relative)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(fail(
                "refusing a file path",
                io::Error::other(relative.clone()),
            ));
        }
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| fail("cannot create a folder", e))?;
        }
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| io::Write::write_all(&mut f, bytes))
            .map_err(|e| fail(&format!("cannot write {relative}"), e))?;
        written.push(relative.clone());
    }
    finish(&staged)?;
    // Checked again just before the rename: nothing appeared meanwhile.
    refuse_non_empty(dir)?;
    if dir.is_dir() {
        fs::remove_dir(dir).map_err(|e| fail("cannot replace the empty folder", e))?;
    }
    fs::rename(&staged, dir).map_err(|e| fail("cannot move the new site into place", e))?;
    std::mem::forget(guard);
    written.sort();
    Ok(written)
}

/// Removes the staging folder unless the site was put in place.
struct Cleanup<'a>(&'a Path);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(self.0);
    }
}

fn refuse_non_empty(dir: &Path) -> Result<(), Diagnostic> {
    match fs::symlink_metadata(dir) {
        Err(_) => Ok(()),
        Ok(m) if m.is_dir() => {
            let empty = fs::read_dir(dir)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if empty {
                Ok(())
            } else {
                Err(Diagnostic::error(
                    "E-INIT",
                    dir,
                    format!(
                        "{} is not empty; dossier never writes a new site over other files",
                        dir.display()
                    ),
                )
                .hint("choose a new folder name, or an empty folder"))
            }
        }
        Ok(_) => Err(Diagnostic::error(
            "E-INIT",
            dir,
            format!("{} exists and is not a folder", dir.display()),
        )
        .hint("choose a new folder name")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file below `templates/` and `static/` is in [`FULL`].
    #[test]
    fn the_full_site_embeds_every_template_and_static_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["templates", "static"] {
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let entry = entry.unwrap();
                if entry.file_type().is_file() {
                    let rel = entry
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    assert!(
                        FULL.iter().any(|(p, _)| *p == rel),
                        "{rel} is not in init::FULL"
                    );
                }
            }
        }
    }

    #[test]
    fn a_non_empty_folder_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("site");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("mine.txt"), "mine").unwrap();
        let e = init(&dir, Kind::Bare).unwrap_err();
        assert_eq!(e.code, "E-INIT");
        assert_eq!(fs::read_to_string(dir.join("mine.txt")).unwrap(), "mine");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging left"
        );
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(init(&empty, Kind::Bare).is_ok());
        assert!(empty.join("site.yaml").is_file());
    }
}
