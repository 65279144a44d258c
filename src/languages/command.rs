//! `dossier translations`: each translation's state against its original,
//! and `--mark-current FILE` to record that a translation is up to date
//! (its `translated_from:` line set to the original's fingerprint).
//!
//! The file is rewritten atomically (a temporary file beside it, renamed
//! over it), only that one line changes (or is added before the closing
//! `---`), and a file that changed while being rewritten is left alone.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::{self, CONTENT_DIR};
use crate::model::{self, Site};

use super::DEFAULT;

/// One translation and how it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// `content/partners/japan.fr.md`.
    pub file: PathBuf,
    pub original: PathBuf,
    /// The original's fingerprint now.
    pub current: String,
    /// What the translation records, if anything.
    pub recorded: Option<String>,
}

impl Status {
    pub fn up_to_date(&self) -> bool {
        self.recorded.as_deref() == Some(self.current.as_str())
    }
}

fn site(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    let config = SiteConfig::load(root)?;
    if !config.languages.enabled() {
        return Err(vec![
            Diagnostic::error(
                "E-CONFIG",
                crate::config::CONFIG_FILE,
                "this site has one language: there are no translations",
            )
            .hint("declare the languages first: `languages: [en, fr, de]`"),
        ]);
    }
    let (content, _, mut found) = load::load(root, &config);
    let (site, more) = model::build(config, content, true);
    found.extend(more);
    found.retain(Diagnostic::is_error);
    if found.is_empty() {
        Ok(site)
    } else {
        Err(found)
    }
}

/// Every translation of the site (fallback copies are not files), sorted.
pub fn status(root: &Path) -> Result<Vec<Status>, Vec<Diagnostic>> {
    let site = site(root)?;
    Ok(statuses(&site))
}

fn statuses(site: &Site) -> Vec<Status> {
    let languages = &site.config.languages;
    let docs = site
        .pages
        .iter()
        .filter(|p| !p.fallback)
        .map(|p| (p.lang, &p.source, &p.front, &p.facts))
        .chain(
            site.sections
                .iter()
                .filter(|s| !s.fallback)
                .map(|s| (s.lang, &s.source, &s.front, &s.facts)),
        );
    let fingerprint_of = |source: &str| {
        site.pages
            .iter()
            .map(|p| (&p.source, p.lang, &p.facts))
            .chain(site.sections.iter().map(|s| (&s.source, s.lang, &s.facts)))
            .find(|(s, lang, _)| *lang == DEFAULT && s.as_str() == source)
            .map(|(_, _, f)| f.fingerprint.clone())
    };
    let mut out: Vec<Status> = docs
        .filter(|(lang, ..)| *lang != DEFAULT)
        .filter_map(|(_, source, front, _)| {
            let original = languages.classify(source).ok()?.1;
            Some(Status {
                file: load::content_path(source),
                current: fingerprint_of(&original)?,
                original: load::content_path(&original),
                recorded: front.translated_from.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// Sets `file`'s `translated_from:` to its original's fingerprint; returns it.
pub fn mark_current(root: &Path, file: &Path) -> Result<String, Vec<Diagnostic>> {
    let site = site(root)?;
    let content_root = root.join(CONTENT_DIR);
    // A relative FILE is read against the site folder first (`--root`), then
    // against the working folder, so `--root site content/x.fr.md` works
    // from anywhere.
    let absolute = if file.is_absolute() || !root.join(file).exists() {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    let absolute = crate::write::absolute(&absolute);
    let shown = load::content_path(
        &absolute
            .strip_prefix(crate::write::absolute(&content_root))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default(),
    );
    let status = statuses(&site).into_iter().find(|s| s.file == shown).ok_or_else(|| {
        vec![Diagnostic::error(
            "E-TRANSLATION",
            file,
            "this is not a translation of this site (a file such as content/partners/japan.fr.md beside its original)",
        )]
    })?;
    let text = std::fs::read_to_string(&absolute).map_err(|e| {
        vec![Diagnostic::error(
            "E-TRANSLATION",
            &shown,
            format!("cannot read: {e}"),
        )]
    })?;
    let updated = with_mark(&text, &status.current).ok_or_else(|| {
        vec![
            Diagnostic::error(
                "E-TRANSLATION",
                &shown,
                "this file has no front matter to record the translation in",
            )
            .hint("start it with front matter: ---\\ntitle: …\\n---"),
        ]
    })?;
    if updated != text {
        write_atomically(&absolute, &text, &updated)
            .map_err(|e| vec![Diagnostic::error("E-TRANSLATION", &shown, e)])?;
    }
    Ok(status.current)
}

/// `text` with its front matter's `translated_from` set to `mark`: the
/// existing line replaced, or one added before the closing delimiter.
/// `None` when there is no front matter.
fn with_mark(text: &str, mark: &str) -> Option<String> {
    let first = text.lines().next()?;
    let (fence, line) = match first.trim_end() {
        "---" => ("---", format!("translated_from: {mark}")),
        "+++" => ("+++", format!("translated_from = \"{mark}\"")),
        _ => return None,
    };
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    let mut in_front = true;
    let mut done = false;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        let bare = l.trim_end_matches(['\n', '\r']);
        let ending = &l[bare.len()..];
        if i > 0 && in_front {
            let key = bare.split([':', '=']).next().unwrap_or_default().trim_end();
            if key == "translated_from" && !bare.starts_with([' ', '\t']) {
                out.push_str(&line);
                out.push_str(if ending.is_empty() { "\n" } else { ending });
                done = true;
                continue;
            }
            if bare.trim_end() == fence {
                in_front = false;
                if !done {
                    out.push_str(&line);
                    out.push_str(if ending.is_empty() { "\n" } else { ending });
                    done = true;
                }
            }
        }
        out.push_str(l);
    }
    done.then_some(out)
}

fn write_atomically(path: &Path, expected: &str, text: &str) -> Result<(), String> {
    let dir = path.parent().ok_or("the file has no folder")?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| e.to_string())?;
    tmp.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    tmp.as_file().sync_all().map_err(|e| e.to_string())?;
    // Someone saved the file meanwhile: their text wins, nothing is written.
    if std::fs::read_to_string(path).map_err(|e| e.to_string())? != expected {
        return Err("the file changed while it was being updated; run the command again".into());
    }
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_changes_only_its_line() {
        let text = "---\ntitle: Japon\n# a comment\n---\nBody.\n";
        assert_eq!(
            with_mark(text, "abc").unwrap(),
            "---\ntitle: Japon\n# a comment\ntranslated_from: abc\n---\nBody.\n"
        );
        let marked = "---\ntitle: Japon\ntranslated_from: old\n---\nBody with translated_from: x\n";
        assert_eq!(
            with_mark(marked, "new").unwrap(),
            "---\ntitle: Japon\ntranslated_from: new\n---\nBody with translated_from: x\n"
        );
        assert_eq!(
            with_mark("+++\ntitle = \"J\"\n+++\nB\n", "h").unwrap(),
            "+++\ntitle = \"J\"\ntranslated_from = \"h\"\n+++\nB\n"
        );
        assert!(with_mark("No front matter\n", "h").is_none());
    }
}
