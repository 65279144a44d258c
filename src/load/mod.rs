//! Stage 1, load: read `content/` into [`Document`]s and [`Asset`]s.
//!
//! The walk is sorted and never follows symlinks (so a symlink loop cannot
//! hang it). Each Markdown file is read, checked (size, UTF-8, not binary),
//! split into front matter and body, and both halves parsed, in parallel.
//! A file with errors still yields what could be read, so later stages can
//! report their own findings about it too; the build fails at the end.

mod dated;
pub mod front_matter;
pub mod markdown;
pub mod stamp;
pub mod toml_front;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Location};
pub use dated::{Change, Event};
pub use front_matter::{DocKind, FieldValue, FrontMatter, SortBy, Source};
pub use markdown::{
    Block, BlockKind, CitationUse, Facts, Image, InternalLink, Rendered, TocEntry, WebLink,
};
use stamp::{ReadStamps, Stamp};

pub const CONTENT_DIR: &str = "content";

/// One Markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path below `content/` with `/` separators: `partners/japan.md`.
    pub source: String,
    pub kind: DocKind,
    pub front: FrontMatter,
    pub body: Rendered,
    /// The title could not be found; already reported.
    pub untitled: bool,
    /// The language the file is in (`japan.fr.md`); 0, the default, for
    /// every file of a one-language site.
    pub lang: crate::languages::LangId,
}

impl Document {
    /// The folder the file is in, below `content/` (`""` for the top).
    pub fn dir(&self) -> &str {
        parent_dir(&self.source)
    }

    /// `folder/index.md`: a page whose folder holds its images and files.
    pub fn is_bundle(&self) -> bool {
        self.kind == DocKind::Page
            && crate::languages::base_file_name(&self.source, self.lang) == "index.md"
    }

    /// The file this one translates (itself for the default language):
    /// `partners/japan.fr.md` → `partners/japan.md`.
    pub fn original_source(&self) -> String {
        if self.lang == crate::languages::DEFAULT {
            return self.source.clone();
        }
        match crate::languages::code_suffix(&self.source) {
            Some((stem, _)) => format!("{stem}.md"),
            None => self.source.clone(),
        }
    }

    /// The file's path as the editor sees it, for diagnostics.
    pub fn display_path(&self) -> PathBuf {
        content_path(&self.source)
    }
}

/// A non-Markdown file below `content/`, copied into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: String,
    pub absolute: PathBuf,
}

#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by `source`.
    pub documents: Vec<Document>,
    pub assets: Vec<Asset>,
    /// Files known to have just been renamed, old source → new source (the
    /// dev server sees renames happen; a build does not), so a link to the
    /// old name can suggest the new one.
    pub moved: std::collections::BTreeMap<String, String>,
}

/// Findings about content files that mean the same whatever `site.yaml`
/// says. Unknown keys, schema types, slugs and links depend on its
/// settings; these do not.
const SETTINGS_INDEPENDENT: &[&str] = &[
    "E-CONTENT-MISSING",
    "E-CONTENT-READ",
    "E-CONTENT-NAME",
    "E-CONTENT-AMBIGUOUS",
    "E-CONTENT-CHANGED",
    "E-FILE-BINARY",
    "E-FILE-ENCODING",
    "E-FRONT-MATTER-UNTERMINATED",
    "E-FRONT-MATTER-YAML",
    "E-TITLE-MISSING",
];

/// What can still be said about `content/` when `site.yaml` cannot be used:
/// the files are read with default settings and only the findings that do
/// not depend on the settings are kept, so a broken `site.yaml` does not
/// hide the content's own mistakes (and invents none).
pub fn check_without_settings(root: &Path) -> Vec<Diagnostic> {
    let (_, _, found) = load(root, &SiteConfig::fallback());
    found
        .into_iter()
        .filter(|d| SETTINGS_INDEPENDENT.contains(&d.code))
        .collect()
}

/// `content/<source>`, the path shown in diagnostics.
pub fn content_path(source: &str) -> PathBuf {
    Path::new(CONTENT_DIR).join(source)
}

pub fn parent_dir(source: &str) -> &str {
    source.rfind('/').map_or("", |i| &source[..i])
}

pub fn file_name(source: &str) -> &str {
    source.rfind('/').map_or(source, |i| &source[i + 1..])
}

/// Reads every file below `root/content`, with the stamps of the files read
/// (for [`ReadStamps::changed`] just before the output is replaced).
pub fn load(root: &Path, config: &SiteConfig) -> (Content, ReadStamps, Vec<Diagnostic>) {
    let (listing, mut diagnostics) = scan(root);
    let mut results = read_stamped(&listing, config, |_| true);
    // A file saved while the others were read is read once more, so a build
    // started just before an editor's save still gets the whole file.
    let moved: BTreeSet<String> = (results.iter())
        .filter(|r| {
            r.3.is_some_and(|(path, stamp)| Stamp::now(path) != Some(stamp))
        })
        .map(|r| r.0.clone())
        .collect();
    if !moved.is_empty() {
        let mut again = read_stamped(&listing, config, |s| moved.contains(s)).into_iter();
        for r in results.iter_mut().filter(|r| moved.contains(&r.0)) {
            *r = again.next().expect("one result per file read again");
        }
    }
    let mut documents = Vec::with_capacity(results.len());
    let mut stamps = ReadStamps::default();
    for (source, doc, found, stamp) in results {
        documents.extend(doc);
        diagnostics.extend(found);
        if let Some((path, stamp)) = stamp {
            stamps.push(content_path(&source), path.to_path_buf(), stamp);
        }
    }
    let assets = listing.assets;
    (
        Content {
            documents,
            assets,
            moved: Default::default(),
        },
        stamps,
        diagnostics,
    )
}

/// What `content/` holds, before any file is read.
#[derive(Debug, Default, Clone)]
pub struct Listing {
    /// Markdown files: (source, absolute path), sorted by source.
    pub markdown: Vec<(String, PathBuf)>,
    pub assets: Vec<Asset>,
    /// Folders with an `_index.md`.
    section_dirs: BTreeSet<String>,
}

/// Walks `root/content` and reports problems of the tree itself (a folder
/// that is both a section and a bundle, unreadable entries, symlinks).
pub fn scan(root: &Path) -> (Listing, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let content_root = root.join(CONTENT_DIR);
    if !content_root.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                "E-CONTENT-MISSING",
                CONTENT_DIR,
                "there is no content/ folder",
            )
            .hint("create content/ with an _index.md for the home page"),
        );
        return (Listing::default(), diagnostics);
    }
    let (markdown, assets) = walk(&content_root, &mut diagnostics);
    let section_dirs: BTreeSet<String> = markdown
        .iter()
        .filter(|(s, _)| file_name(s) == "_index.md")
        .map(|(s, _)| parent_dir(s).to_string())
        .collect();
    for (source, _) in markdown.iter().filter(|(s, _)| file_name(s) == "index.md") {
        if section_dirs.contains(parent_dir(source)) {
            diagnostics.push(
                Diagnostic::error(
                    "E-CONTENT-AMBIGUOUS",
                    content_path(source),
                    "a folder cannot hold both _index.md (a section) and index.md (a page with its files)",
                )
                .hint("rename one of them: keep _index.md for a section, index.md for a single page"),
            );
        }
    }
    let listing = Listing {
        markdown,
        assets,
        section_dirs,
    };
    (listing, diagnostics)
}

/// Reads and parses, in parallel, the Markdown files of `listing` for which
/// `wanted(source)` is true: (source, document if readable, findings).
pub fn read_sources(
    listing: &Listing,
    config: &SiteConfig,
    wanted: impl Fn(&str) -> bool + Sync,
) -> Vec<(String, Option<Document>, Vec<Diagnostic>)> {
    let results = read_stamped(listing, config, wanted).into_iter();
    results.map(|(s, doc, found, _)| (s, doc, found)).collect()
}

/// A file read: (source, document, findings, (absolute path, stamp) if read).
type Read<'a> = (
    String,
    Option<Document>,
    Vec<Diagnostic>,
    Option<(&'a Path, Stamp)>,
);

fn read_stamped<'a>(
    listing: &'a Listing,
    config: &SiteConfig,
    wanted: impl Fn(&str) -> bool + Sync,
) -> Vec<Read<'a>> {
    let section_dirs: BTreeSet<&str> = listing.section_dirs.iter().map(String::as_str).collect();
    listing
        .markdown
        .par_iter()
        .filter(|(source, _)| wanted(source))
        .map(|(source, absolute)| {
            let section = section_of(source, &section_dirs, config);
            let (mut found, mut stamp) = (Vec::new(), None);
            let doc = read_document(source, absolute, config, section, &mut found, &mut stamp);
            let stamp = stamp.map(|s| (absolute.as_path(), s));
            (source.clone(), doc, found, stamp)
        })
        .collect()
}

/// The section folder a file belongs to: the nearest folder at or above the
/// file's own (for `_index.md`, above it) that has an `_index.md`.
fn section_of<'a>(source: &str, section_dirs: &BTreeSet<&'a str>, config: &SiteConfig) -> &'a str {
    let mut dir = parent_dir(source);
    if base_name(source, config) == "_index.md" {
        if dir.is_empty() {
            return "";
        }
        dir = parent_dir(dir);
    }
    loop {
        if let Some(found) = section_dirs.get(dir) {
            return found;
        }
        if dir.is_empty() {
            return "";
        }
        dir = parent_dir(dir);
    }
}

type Found = Vec<(String, PathBuf)>;

/// Lists Markdown files and other files, sorted, skipping hidden names and
/// editor backups, never following symlinks.
fn walk(content_root: &Path, diagnostics: &mut Vec<Diagnostic>) -> (Found, Vec<Asset>) {
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let walker = WalkDir::new(content_root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(content_root.parent()?).ok())
                    .map_or_else(|| PathBuf::from(CONTENT_DIR), Path::to_path_buf);
                diagnostics.push(
                    Diagnostic::error("E-CONTENT-READ", path, format!("cannot read: {e}"))
                        .hint("check the file's permissions"),
                );
                continue;
            }
        };
        let Ok(relative) = entry.path().strip_prefix(content_root) else {
            continue;
        };
        let Some(source) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            diagnostics.push(
                Diagnostic::error(
                    "E-CONTENT-NAME",
                    Path::new(CONTENT_DIR).join(relative),
                    "file name is not valid UTF-8",
                )
                .hint("rename the file using ordinary letters"),
            );
            continue;
        };
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            diagnostics.push(
                Diagnostic::warning(
                    "W-SYMLINK",
                    content_path(&source),
                    "symbolic links are not followed; this entry is skipped",
                )
                .hint("copy the file into content/ instead of linking to it"),
            );
        } else if file_type.is_file() {
            if source.ends_with(".md") {
                markdown.push((source, entry.into_path()));
            } else {
                assets.push(Asset {
                    source,
                    absolute: entry.into_path(),
                });
            }
        }
    }
    (markdown, assets)
}

/// Hidden files (`.git`, `.DS_Store`, editor swap files), backups (`x~`)
/// and Emacs auto-saves (`#x#`). A page named `#.md` or `c#.md` is a page.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
}

fn read_document(
    source: &str,
    absolute: &Path,
    config: &SiteConfig,
    section: &str,
    diagnostics: &mut Vec<Diagnostic>,
    stamp: &mut Option<Stamp>,
) -> Option<Document> {
    let display = content_path(source);
    let text = match read_text(absolute, config.limits.max_file_bytes) {
        Ok((text, read)) => {
            *stamp = Some(read);
            text
        }
        Err(d) => {
            diagnostics.push(Diagnostic { file: display, ..d });
            return None;
        }
    };
    parse_document(source, &text, config, section, diagnostics)
}

/// Parses `text` as the file `source` of `listing` would be parsed, without
/// reading the disk: the dev server's editor checks unsaved text this way,
/// with the same code as a build. The text is checked and normalised as a
/// file's bytes are (size, NUL bytes, BOM, CRLF).
pub fn parse_text(
    listing: &Listing,
    source: &str,
    text: &str,
    config: &SiteConfig,
) -> (Option<Document>, Vec<Diagnostic>) {
    let display = content_path(source);
    let mut diagnostics = Vec::new();
    let checked = if text.len() as u64 > config.limits.max_file_bytes {
        Err(fail(
            "E-FILE-TOO-LARGE",
            format!(
                "this text is {} KiB; the limit is {} KiB",
                text.len() / 1024,
                config.limits.max_file_bytes / 1024
            ),
        ))
    } else {
        decode_text(text.as_bytes().to_vec())
    };
    let text = match checked {
        Ok(text) => text,
        Err(d) => {
            diagnostics.push(Diagnostic { file: display, ..d });
            return (None, diagnostics);
        }
    };
    let section_dirs: BTreeSet<&str> = listing.section_dirs.iter().map(String::as_str).collect();
    let section = section_of(source, &section_dirs, config);
    let doc = parse_document(source, &text, config, section, &mut diagnostics);
    (doc, diagnostics)
}

/// Splits normalised text into front matter and body and parses both.
fn parse_document(
    source: &str,
    text: &str,
    config: &SiteConfig,
    section: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let display = content_path(source);
    let split = match front_matter::split(text) {
        Ok(s) => s,
        Err(d) => {
            diagnostics.push(Diagnostic { file: display, ..d });
            return None;
        }
    };
    let lang = match config.languages.classify(source) {
        Ok((lang, _)) => lang,
        Err(why) => {
            diagnostics.push(
                Diagnostic::error(
                    "E-LANG-UNKNOWN",
                    &display,
                    format!("this file's name says it is a translation, but {why}"),
                )
                .at_line(1)
                .hint("rename the file with a declared language code, or add the language to `languages:` in site.yaml"),
            );
            return None;
        }
    };
    let kind = if crate::languages::base_file_name(source, lang) == "_index.md" {
        DocKind::Section
    } else {
        DocKind::Page
    };
    // `None` when the YAML itself is broken (already reported): then a
    // missing title is a consequence, not a second mistake to report.
    let front = match split.front_matter {
        Some(yaml) => {
            let schema = (kind == DocKind::Page)
                .then(|| config.schema_for(section))
                .flatten();
            // A translation inherits its original's facts (the model fills
            // them in), so nothing is required of it and it cites nothing
            // of its own.
            let relaxed = schema
                .filter(|_| lang != crate::languages::DEFAULT)
                .map(crate::languages::inherit::translation_schema);
            let schema = relaxed.as_ref().or(schema);
            front_matter::parse(yaml, split.format, kind, schema, &display, diagnostics)
        }
        None => Some(FrontMatter::default()),
    };
    let yaml_ok = front.is_some();
    let has_front_matter = split.front_matter.is_some();
    let dir = parent_dir(source);
    let code = config.languages.code(lang, &config.language);
    let words = config.citation_words(code);
    let mut body = markdown::render(
        split.body,
        split.body_first_line,
        dir,
        markdown::MarkdownOptions {
            smart_punctuation: config.markdown.smart_punctuation,
            drop_leading_h1: !has_front_matter,
            citation_word: &words.source,
        },
    );
    diagnostics.extend(crate::components::problems(
        &body.facts.components,
        &display,
    ));
    let mut front = front.unwrap_or_else(|| FrontMatter {
        unreadable: true,
        ..FrontMatter::default()
    });
    let required: Vec<&str> = match config.schema_for(section) {
        Some(schema)
            if !has_front_matter && kind == DocKind::Page && lang == crate::languages::DEFAULT =>
        {
            schema
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name.as_str())
                .collect()
        }
        _ => Vec::new(),
    };
    if !required.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                "E-SCHEMA-MISSING",
                &display,
                "this page has no front matter, but its section requires fields",
            )
            .at_line(1)
            .hint(format!(
                "start the file with front matter giving: {}",
                required.join(", ")
            )),
        );
    }
    if front.title.is_none() {
        front.title = body.leading_h1.clone().filter(|t| !t.is_empty());
    }
    cite(&mut front, &mut body, config, code, &display, diagnostics);
    if config.languages.enabled() {
        let schema = (kind == DocKind::Page)
            .then(|| config.schema_for(section))
            .flatten();
        body.facts.fingerprint = crate::languages::drift::fingerprint(split.body, &front, schema);
        body.facts.figures =
            crate::languages::drift::figures(split.body, code, split.body_first_line);
    }
    // Plain Markdown from elsewhere (notes, docs) often has neither front
    // matter nor a heading: its file name is its title, with a warning,
    // rather than a build that stops at the first such file.
    let plain_text_page = !has_front_matter && kind == DocKind::Page && !text.trim().is_empty();
    if plain_text_page && front.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        let name = if file_name(source) == "index.md" {
            file_name(parent_dir(source))
        } else {
            file_name(source).trim_end_matches(".md")
        };
        if !name.trim().is_empty() {
            front.title = Some(name.to_string());
            diagnostics.push(
                Diagnostic::warning(
                    "W-TITLE-FROM-NAME",
                    &display,
                    format!("the page has neither front matter nor a leading `# Heading`, so its title is its file name, \"{name}\""),
                )
                .at_line(1)
                .hint("start the text with a line `# Page title`, or add front matter with `title:`"),
            );
        }
    }
    let untitled = front.title.as_deref().is_none_or(|t| t.trim().is_empty());
    if untitled && yaml_ok && (kind == DocKind::Page || has_front_matter) {
        let message = if has_front_matter {
            "the page has no `title`"
        } else if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the page has neither front matter nor a leading `# Heading` to take its title from"
        };
        diagnostics.push(
            Diagnostic::error("E-TITLE-MISSING", &display, message)
                .at_line(1)
                .hint("add front matter with a title:\n---\ntitle: Page title\n---\nor start the text with a line `# Page title`"),
        );
    }
    Some(Document {
        source: source.to_string(),
        kind,
        front,
        body,
        untitled,
        lang,
    })
}

/// The file name as dossier reads it: without its language code when the
/// site has languages (`_index.fr.md` is a section's page).
fn base_name<'a>(source: &'a str, config: &SiteConfig) -> &'a str {
    match config.languages.classify(source) {
        Ok((lang, _)) => crate::languages::base_file_name(source, lang),
        Err(_) => file_name(source),
    }
}

/// Resolves what the document cites (its reference list goes at the end of
/// the body) and lets the last dated change stand for `updated`, so the
/// sitemap, the feed and the staleness lint see it.
fn cite(
    front: &mut FrontMatter,
    body: &mut Rendered,
    config: &SiteConfig,
    code: &str,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let language = crate::citations::ListLanguage {
        code,
        words: config.citation_words(code),
        register: config
            .languages
            .code(crate::languages::DEFAULT, &config.language),
    };
    let list = crate::citations::resolve(
        front,
        &mut body.facts,
        &config.register,
        &language,
        file,
        diagnostics,
    );
    if !list.is_empty() {
        let mut html = String::with_capacity(body.html.len() + list.len());
        html.push_str(&body.html);
        html.push_str(&list);
        body.html = std::sync::Arc::from(html);
        body.anchors.extend(crate::citations::anchors(
            &body.facts.references,
            &body.facts.citations.prefix,
        ));
    }
    if let Some(last) = front.changes.iter().map(|c| c.date).max() {
        front.updated = Some(front.updated.map_or(last, |u| u.max(last)));
    }
}

/// Reads a file as text: size limit first (a 100 MB file is refused before it
/// is read), then NUL bytes (binary), then UTF-8. Strips a BOM and turns CRLF
/// into LF, which keeps line numbers unchanged. A file that changes while it
/// is read (an editor saving it) is read once more, then refused.
fn read_text(path: &Path, max_bytes: u64) -> Result<(String, Stamp), Diagnostic> {
    let (bytes, stamp) = read_steady(path, max_bytes)?;
    Ok((decode_text(bytes)?, stamp))
}

fn read_steady(path: &Path, max_bytes: u64) -> Result<(Vec<u8>, Stamp), Diagnostic> {
    for attempt in 0..2 {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        let (bytes, before) = read_bytes(path, max_bytes)?;
        let after = Stamp::now(path);
        if after == Some(before) && bytes.len() as u64 == before.size() {
            return Ok((bytes, before));
        }
    }
    Err(stamp::changing(
        PathBuf::new(),
        "while the build was reading it",
    ))
}

fn fail(code: &'static str, message: String) -> Diagnostic {
    Diagnostic::error(code, PathBuf::new(), message)
}

fn read_bytes(path: &Path, max_bytes: u64) -> Result<(Vec<u8>, Stamp), Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| {
        fail("E-CONTENT-READ", format!("cannot read this file: {e}"))
            .hint("check that the file exists and that you may read it")
    })?;
    if meta.len() > max_bytes {
        return Err(fail(
            "E-FILE-TOO-LARGE",
            format!(
                "this file is {} KiB; the limit is {} KiB",
                meta.len() / 1024,
                max_bytes / 1024
            ),
        )
        .hint("split it into several pages, or raise `limits: { max_file_kib: … }` in site.yaml"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail("E-CONTENT-READ", format!("cannot read this file: {e}"))
            .hint("check the file's permissions")
    })?;
    Ok((bytes, Stamp::of(&meta)))
}

fn decode_text(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        return Err(fail(
            "E-FILE-BINARY",
            "this looks like a binary file, not Markdown text".into(),
        )
        .at_line(line)
        .hint("content .md files must be text; move other files out of content/ or give them another extension"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let location = Location::of_offset(&prefix, valid, 1);
        fail(
            "E-FILE-ENCODING",
            format!("invalid UTF-8 text at byte {valid}"),
        )
        .at(location)
        .hint("save the file as UTF-8 in your editor")
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_parses_as_the_same_file_would() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/notes")).unwrap();
        std::fs::write(
            root.join("content/notes/_index.md"),
            "---\ntitle: Notes\n---\n",
        )
        .unwrap();
        let (listing, _) = scan(root);
        let config = SiteConfig::fallback();
        let (doc, found) = parse_text(&listing, "notes/a.md", "---\ntitle: A\n---\nHi\n", &config);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(doc.unwrap().front.title.as_deref(), Some("A"));
        let (_, found) = parse_text(&listing, "notes/a.md", "---\ntitle: [\n---\n", &config);
        assert_eq!(found[0].code, "E-FRONT-MATTER-YAML");
        assert_eq!(found[0].file, Path::new("content/notes/a.md"));
        let (doc, found) = parse_text(&listing, "notes/a.md", "a\0b", &config);
        assert!(doc.is_none());
        assert_eq!(found[0].code, "E-FILE-BINARY");
    }

    #[test]
    fn sections_are_the_nearest_folder_with_an_index() {
        let dirs: BTreeSet<&str> = ["", "partners", "a/b"].into_iter().collect();
        let c = &SiteConfig::fallback();
        assert_eq!(section_of("partners/japan.md", &dirs, c), "partners");
        assert_eq!(section_of("partners/_index.md", &dirs, c), "");
        assert_eq!(section_of("a/b/c/d.md", &dirs, c), "a/b");
        assert_eq!(section_of("a/x.md", &dirs, c), "");
        assert_eq!(section_of("_index.md", &dirs, c), "");
        let mut c = SiteConfig::fallback();
        c.languages.list =
            crate::languages::read(&serde_yaml::from_str("[en, fr]").unwrap()).unwrap();
        assert_eq!(section_of("partners/_index.fr.md", &dirs, &c), "");
        assert_eq!(section_of("partners/japan.fr.md", &dirs, &c), "partners");
    }

    #[test]
    fn read_text_normalises_bom_and_crlf() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(
            read_text(&p, 1 << 20).unwrap().0,
            "---\ntitle: x\n---\nbody\n"
        );
    }

    #[test]
    fn read_text_refuses_binary_bad_utf8_and_huge_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, b"ok\nbad \xff here").unwrap();
        let d = read_text(&p, 1 << 20).unwrap_err();
        assert_eq!(d.code, "E-FILE-ENCODING");
        assert_eq!(d.location, Some(Location::new(2, 5)));
        std::fs::write(&p, b"text\n\0\0").unwrap();
        assert_eq!(read_text(&p, 1 << 20).unwrap_err().code, "E-FILE-BINARY");
        std::fs::write(&p, vec![b'a'; 2048]).unwrap();
        assert_eq!(read_text(&p, 1024).unwrap_err().code, "E-FILE-TOO-LARGE");
    }
}
