//! URL history: every build records the URLs it published, and the next
//! build checks that none of them silently disappeared.
//!
//! The record is `.dossier-urls` inside the output folder, beside the
//! `.dossier-output` marker: one line per published page, section and alias
//! (`path<TAB>source<TAB>title`). A URL of the previous record that the new
//! site no longer publishes, and that no alias now leads from, is an
//! `E-URL-REMOVED` error, unless `retired:` in `site.yaml` lists it. The
//! error is reported at the page the URL most likely moved to (by the old
//! file name, path and title), so the fix (an alias there) is one line away.
//!
//! Left out of the record: tag pages (lists that come and go with the tags)
//! and draft pages (never published). A page that was published and is now
//! a draft is not an error (unpublishing it is a decision) and its URL is
//! carried over to the next record, so deleting it later is still noticed.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::load;
use crate::model::Site;
use crate::write::MARKER;

/// The record's file name in the output folder. A dotfile, like the
/// marker: hosts that serve dotfiles should be told not to (README).
pub const HISTORY_FILE: &str = ".dossier-urls";
const HEADER: &str = "# dossier URL history 1: the URLs this build published (path, source, title); the next build checks that none disappeared.";
/// A record larger than this is not read (a damaged or foreign file).
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Removed URLs for which the moved-to page is searched; later ones are
/// reported at site.yaml without a suggestion.
const SUGGESTIONS: usize = 200;

/// One published URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    /// The content file that published it (for an alias, the page declaring it).
    pub source: String,
    pub title: String,
}

/// What the site publishes now, in path order.
pub fn published(site: &Site) -> Vec<Entry> {
    let mut entries: BTreeMap<&str, Entry> = BTreeMap::new();
    let sections = site
        .sections
        .iter()
        .map(|s| (&s.path, &s.source, s.front.title.as_deref(), false));
    let pages = site
        .pages
        .iter()
        .map(|p| (&p.path, &p.source, p.front.title.as_deref(), p.front.draft));
    for (path, source, title, draft) in sections.chain(pages) {
        if !draft {
            entries.insert(path, entry(path, source, title.unwrap_or_default()));
        }
    }
    for alias in &site.aliases {
        let declared_by_draft = site
            .pages
            .iter()
            .any(|p| p.source == alias.source && p.front.draft);
        if !declared_by_draft {
            entries.insert(&alias.from, entry(&alias.from, &alias.source, &alias.title));
        }
    }
    entries.into_values().collect()
}

fn entry(path: &str, source: &str, title: &str) -> Entry {
    Entry {
        path: path.to_string(),
        source: source.to_string(),
        title: title.replace(['\t', '\n', '\r'], " "),
    }
}

/// The record's text.
pub fn render(entries: &[Entry]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for e in entries {
        // Escaped like HTML, so no output file holds a value's markup raw.
        let title = crate::html::escape(&e.title);
        out.push_str(&format!("{}\t{}\t{title}\n", e.path, e.source));
    }
    out
}

/// The record in the output folder `out`: `Ok(None)` when there is none (a
/// first build, or a folder dossier did not make), a warning when it cannot
/// be read as one.
pub fn read(out: &Path) -> Result<Option<Vec<Entry>>, Diagnostic> {
    let file = out.join(HISTORY_FILE);
    if !out.join(MARKER).is_file() || !file.is_file() {
        return Ok(None);
    }
    let unreadable = |why: String| {
        Diagnostic::warning(
            "W-URL-HISTORY",
            &file,
            format!("the URL history cannot be read: {why}"),
        )
        .hint(
            "it is rewritten by the next successful build; removed URLs are not checked this time",
        )
    };
    let size = std::fs::metadata(&file)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > MAX_BYTES {
        return Err(unreadable(format!(
            "it is {size} bytes, larger than any history dossier writes"
        )));
    }
    let bytes = std::fs::read(&file).map_err(|e| unreadable(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable("it is not UTF-8 text".into()))?;
    let mut lines = text.lines();
    if !lines
        .next()
        .is_some_and(|l| l.starts_with("# dossier URL history 1"))
    {
        return Err(unreadable("it does not start with dossier's header".into()));
    }
    let mut entries = Vec::new();
    for (i, line) in lines.enumerate() {
        let mut parts = line.splitn(3, '\t');
        let (Some(path), Some(source), title) = (parts.next(), parts.next(), parts.next()) else {
            return Err(unreadable(format!(
                "line {} is not `path<TAB>source<TAB>title`",
                i + 2
            )));
        };
        if !path.starts_with('/') {
            return Err(unreadable(format!(
                "line {} does not start with a site path",
                i + 2
            )));
        }
        entries.push(entry(path, source, &unescape(title.unwrap_or_default())));
    }
    Ok(Some(entries))
}

/// The inverse of `html::escape` for the record's titles.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Compares the previous record with the site: the errors for URLs gone
/// without an alias or a retirement, and the entries to carry into the new
/// record (URLs of pages that are now drafts).
pub fn compare(previous: &[Entry], site: &Site) -> (Vec<Diagnostic>, Vec<Entry>) {
    let now: HashSet<&str> = published_paths(site);
    let old: HashSet<&str> = previous.iter().map(|e| e.path.as_str()).collect();
    let retired: HashSet<&str> = site
        .config
        .retired
        .iter()
        .map(|r| r.path.as_str())
        .collect();
    let drafts: HashSet<&str> = site
        .drafts
        .iter()
        .map(String::as_str)
        .chain(
            site.pages
                .iter()
                .filter(|p| p.front.draft)
                .map(|p| p.source.as_str()),
        )
        .collect();
    let mut errors = Vec::new();
    let mut carried = Vec::new();
    let mut searches = 0;
    for gone in previous.iter().filter(|e| !now.contains(e.path.as_str())) {
        if retired.contains(gone.path.as_str()) {
            continue;
        }
        if drafts.contains(gone.source.as_str()) {
            carried.push(gone.clone());
            continue;
        }
        let moved_to = (searches < SUGGESTIONS).then(|| {
            searches += 1;
            likely_new_home(gone, site, &old)
        });
        errors.push(removed_error(gone, moved_to.flatten(), site));
    }
    (errors, carried)
}

fn published_paths(site: &Site) -> HashSet<&str> {
    site.sections
        .iter()
        .map(|s| s.path.as_str())
        .chain(site.pages.iter().map(|p| p.path.as_str()))
        .chain(site.aliases.iter().map(|a| a.from.as_str()))
        .collect()
}

/// A page that took over `gone`'s URL's place: a page or section whose
/// path is new (not in the old record), most similar to it. The same source
/// file (whose `slug:` changed) wins outright; otherwise the score mixes the
/// likeness of the last path part and of the title, the words they share
/// (`south-korea` and "Republic of Korea" share "korea") and whether the
/// page is in the same folder.
fn likely_new_home<'s>(
    gone: &Entry,
    site: &'s Site,
    old: &HashSet<&str>,
) -> Option<(&'s str, &'s str, Option<usize>)> {
    let candidates = site
        .pages
        .iter()
        .map(|p| {
            (
                &p.path,
                &p.source,
                p.front.title.as_deref().unwrap_or(""),
                &p.front,
            )
        })
        .chain(site.sections.iter().map(|s| {
            (
                &s.path,
                &s.source,
                s.front.title.as_deref().unwrap_or(""),
                &s.front,
            )
        }));
    let mut best: Option<(f64, &str, &str, Option<usize>)> = None;
    for (path, source, title, front) in candidates {
        if old.contains(path.as_str()) {
            continue;
        }
        let score = if *source == gone.source {
            2.0
        } else {
            likeness((&gone.path, &gone.title), (path, title))
        };
        if score >= LIKELY && best.is_none_or(|(b, ..)| score > b) {
            let line = front
                .key_lines
                .iter()
                .find(|(k, _)| k == "aliases")
                .map(|(_, l)| *l);
            best = Some((score, source.as_str(), title, line));
        }
    }
    best.map(|(_, source, title, line)| (source, title, line))
}

/// The score from which a page is named as the likely new home.
const LIKELY: f64 = 0.5;

/// How alike two (site path, title) pairs are, from 0 to about 1.1.
fn likeness((old_path, old_title): (&str, &str), (new_path, new_title): (&str, &str)) -> f64 {
    let last = |p: &str| {
        crate::model::urls::decode(p.trim_end_matches('/').rsplit('/').next().unwrap_or(""))
            .to_lowercase()
    };
    let parent = |p: &str| {
        p.trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(d, _)| d)
            .to_string()
    };
    let words = |path: &str, title: &str| -> HashSet<String> {
        format!("{} {}", last(path), title.to_lowercase())
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 2)
            .map(str::to_string)
            .collect()
    };
    let by_path = strsim::jaro_winkler(&last(old_path), &last(new_path));
    let by_title = strsim::jaro_winkler(&old_title.to_lowercase(), &new_title.to_lowercase());
    let (a, b) = (words(old_path, old_title), words(new_path, new_title));
    let shared = a.intersection(&b).count() as f64 / a.len().min(b.len()).max(1) as f64;
    let same_folder = if parent(old_path) == parent(new_path) {
        0.1
    } else {
        0.0
    };
    by_path.max(by_title) * 0.5 + shared * 0.5 + same_folder
}

fn removed_error(
    gone: &Entry,
    moved_to: Option<(&str, &str, Option<usize>)>,
    site: &Site,
) -> Diagnostic {
    let was = if gone.title.is_empty() {
        format!("{} (from content/{})", gone.path, gone.source)
    } else {
        format!(
            "{} (\"{}\", from content/{})",
            gone.path, gone.title, gone.source
        )
    };
    let retire = format!(
        "if it was taken down on purpose, list it in site.yaml: `retired: [\"{}\"]`",
        gone.path
    );
    let _ = site;
    match moved_to {
        Some((source, title, line)) => Diagnostic::error(
            "E-URL-REMOVED",
            load::content_path(source),
            format!("the URL {was} was published by the previous build and is gone; did it move to this page (\"{title}\")?"),
        )
        .at_line(line.unwrap_or(1))
        .hint(format!(
            "so that links to the old address keep working, add it to this page's front matter: `aliases: [\"{}\"]`; {retire}",
            gone.path
        )),
        None => Diagnostic::error(
            "E-URL-REMOVED",
            CONFIG_FILE,
            format!("the URL {was} was published by the previous build and is gone, and no alias leads from it"),
        )
        .at_line(1)
        .hint(format!(
            "add `aliases: [\"{}\"]` to the front matter of the page that replaces it; {retire}",
            gone.path
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let entries = vec![
            entry("/a/", "a.md", "A\ttab"),
            entry("/caf%C3%A9/", "café.md", "<b>\"x\" & 'y'</b>"),
        ];
        std::fs::write(dir.path().join(HISTORY_FILE), render(&entries)).unwrap();
        assert_eq!(
            read(dir.path()).unwrap(),
            None,
            "no marker: not dossier's folder"
        );
        std::fs::write(dir.path().join(MARKER), "").unwrap();
        let back = read(dir.path()).unwrap().unwrap();
        assert_eq!(back[0].title, "A tab");
        assert_eq!(back[1], entries[1]);
        std::fs::write(dir.path().join(HISTORY_FILE), "junk\n").unwrap();
        assert_eq!(read(dir.path()).unwrap_err().code, "W-URL-HISTORY");
    }

    #[test]
    fn a_renamed_page_is_recognised_and_an_unrelated_one_is_not() {
        let korea = likeness(
            ("/partners/south-korea/", "South Korea"),
            ("/partners/republic-of-korea/", "Republic of Korea"),
        );
        assert!(korea >= LIKELY, "{korea}");
        let typo = likeness(("/partners/japn/", "Japn"), ("/partners/japan/", "Japan"));
        assert!(typo >= LIKELY, "{typo}");
        let unrelated = likeness(("/about/", "About"), ("/partners/mexico/", "Mexico"));
        assert!(unrelated < LIKELY, "{unrelated}");
        let unrelated = likeness(
            ("/partners/japan/", "Japan"),
            ("/partners/canada/", "Canada"),
        );
        assert!(unrelated < LIKELY, "{unrelated}");
    }
}
