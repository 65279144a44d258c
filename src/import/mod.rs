//! `dossier import zola|hugo DIR`: a dossier site from a Zola or Hugo site.
//!
//! Content keeps its place (both generators, like dossier, use `content/`
//! with `_index.md` sections and `index.md` page bundles). Front matter,
//! YAML or TOML, is mapped key by key to dossier's ([`front`]); what has no
//! dossier key goes under `extra:` with a note. Files that are not pages,
//! and `static/`, are copied as they are. Templates are not converted: the
//! new site gets `dossier init --bare`'s templates, so it builds at once.
//! Everything that could not be mapped is in the report, with file:line:
//! shortcode calls above all (Hugo's `ref`/`relref` become dossier links).
//!
//! The source is only read. The new site is assembled in memory and written
//! with `init::write_new_site` (a temporary folder renamed into place), and
//! a destination that exists and is not empty is refused.

mod front;

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;
use crate::load::front_matter::{self, Format};
use crate::load::toml_front;

/// Where a site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Zola,
    Hugo,
}

impl Generator {
    fn name(self) -> &'static str {
        match self {
            Generator::Zola => "Zola",
            Generator::Hugo => "Hugo",
        }
    }
}

/// One thing the import could not carry over as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Relative to the source site.
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The report's file name in the new site.
pub const REPORT_FILE: &str = "IMPORT-REPORT.md";

/// Imports the site at `source` into the new folder `out`. Returns the
/// report's notes (also written to `out/IMPORT-REPORT.md`).
pub fn import(generator: Generator, source: &Path, out: &Path) -> Result<Vec<Note>, Diagnostic> {
    if !source.join("content").is_dir() {
        return Err(Diagnostic::error(
            "E-IMPORT",
            source,
            format!(
                "{} has no content/ folder: is it a {} site?",
                source.display(),
                generator.name()
            ),
        )
        .hint("give the folder that holds the site's config file and content/"));
    }
    let (abs_source, abs_out) = (crate::write::absolute(source), crate::write::absolute(out));
    if abs_out.starts_with(&abs_source) {
        return Err(Diagnostic::error(
            "E-IMPORT",
            out,
            "the new site would be inside the site being imported, which is never modified",
        )
        .hint("choose a folder outside it with --out"));
    }
    let mut notes = vec![Note {
        file: ".".into(),
        line: 1,
        message: format!(
            "templates are not converted: the new site has dossier's minimal templates (templates/); {}'s layouts and themes must be redone as Tera templates (TEMPLATES.md)",
            generator.name()
        ),
    }];
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    files.push((
        "site.yaml".into(),
        site_yaml(generator, source, &mut notes).into_bytes(),
    ));
    let mut sections_seen = std::collections::BTreeSet::new();
    let mut folders_with_pages = std::collections::BTreeSet::new();
    for (relative, absolute) in walk(&source.join("content"), &mut notes)? {
        let shown = format!("content/{relative}");
        if relative.ends_with(".md") {
            let text = read_text(&absolute, &shown)?;
            let is_section = relative == "_index.md" || relative.ends_with("/_index.md");
            if is_section {
                sections_seen.insert(crate::load::parent_dir(&relative).to_string());
            } else if let Some((top, _)) = relative.split_once('/') {
                folders_with_pages.insert(top.to_string());
            }
            let page = convert_page(generator, &shown, &relative, &text, is_section, &mut notes);
            files.push((shown, page.into_bytes()));
        } else {
            files.push((shown.clone(), read_bytes(&absolute, &shown)?));
        }
    }
    if generator == Generator::Hugo {
        // Hugo makes every top-level folder a section; dossier needs its _index.md.
        for folder in folders_with_pages.difference(&sections_seen) {
            let title = folder.replace(['-', '_'], " ");
            files.push((
                format!("content/{folder}/_index.md"),
                format!("---\ntitle: {}\n---\n", yaml_string(&title)).into_bytes(),
            ));
            notes.push(Note {
                file: format!("content/{folder}"),
                line: 1,
                message: format!("a section without _index.md: content/{folder}/_index.md was added, titled \"{title}\""),
            });
        }
    }
    let mut static_paths = std::collections::HashSet::new();
    for dir in ["static", "assets"] {
        if !source.join(dir).is_dir() {
            continue;
        }
        if dir == "assets" {
            notes.push(Note {
                file: "assets".into(),
                line: 1,
                message: "Hugo's assets/ (for its asset pipeline) was copied into static/ as is: Sass, bundling and fingerprinting are not run".into(),
            });
        }
        for (relative, absolute) in walk(&source.join(dir), &mut notes)? {
            let target = format!("static/{relative}");
            if static_paths.insert(target.clone()) {
                files.push((target, read_bytes(&absolute, &format!("{dir}/{relative}"))?));
            }
        }
    }
    for (path, bytes) in crate::init::BARE {
        let wanted = path.starts_with("templates/") || *path == "static/style.css";
        if wanted && !static_paths.contains(*path) {
            files.push((path.to_string(), bytes.to_vec()));
        }
    }
    files.push((
        REPORT_FILE.into(),
        report(generator, source, &notes).into_bytes(),
    ));
    crate::init::write_new_site(out, &files, |_| Ok(())).map_err(|mut d| {
        d.code = "E-IMPORT";
        d
    })?;
    Ok(notes)
}

/// Files below `dir`, sorted, as (relative path with `/`, absolute path).
/// Hidden files and symbolic links are skipped (the latter with a note).
fn walk(dir: &Path, notes: &mut Vec<Note>) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::load::is_ignored(e.file_name()));
    for entry in walker {
        let entry =
            entry.map_err(|e| Diagnostic::error("E-IMPORT", dir, format!("cannot read: {e}")))?;
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.path_is_symlink() {
            notes.push(Note {
                file: rel,
                line: 1,
                message: "a symbolic link, not copied".into(),
            });
        } else if entry.file_type().is_file() {
            found.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(found)
}

fn read_bytes(path: &Path, shown: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path)
        .map_err(|e| Diagnostic::error("E-IMPORT", shown, format!("cannot read: {e}")))
}

fn read_text(path: &Path, shown: &str) -> Result<String, Diagnostic> {
    let bytes = read_bytes(path, shown)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error("E-IMPORT", shown, "not UTF-8 text")
            .hint("save it as UTF-8 and import again")
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    Ok(text)
}

/// One page or section, its front matter mapped and its body's shortcodes
/// listed (and `ref`/`relref` converted).
fn convert_page(
    generator: Generator,
    shown: &str,
    relative: &str,
    text: &str,
    is_section: bool,
    notes: &mut Vec<Note>,
) -> String {
    let (mapping, body, body_line) = match front_matter::split(text) {
        Ok(split) => {
            let first = front_matter::FRONT_MATTER_FIRST_LINE;
            let parsed =
                match (split.front_matter, split.format) {
                    (None, _) => Ok(Mapping::new()),
                    (Some(t), Format::Yaml) => crate::yaml::parse_mapping(t, first)
                        .map_err(|e| (e.message, e.location.line)),
                    (Some(t), Format::Toml) => toml_front::parse_mapping(t, first)
                        .map_err(|e| (e.message, e.location.line)),
                };
            let key_lines: std::collections::HashMap<String, usize> =
                match (split.front_matter, split.format) {
                    (Some(t), Format::Yaml) => crate::yaml::key_lines(t, first)
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                    (Some(t), Format::Toml) => toml_front::key_lines(t, first)
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                    _ => Default::default(),
                };
            match parsed {
                Ok(m) => (
                    front::map(
                        generator, &m, &key_lines, shown, relative, is_section, notes,
                    ),
                    split.body,
                    split.body_first_line,
                ),
                Err((message, line)) => {
                    notes.push(Note {
                        file: shown.into(),
                        line,
                        message: format!(
                            "{message}; the front matter was left out (only a title was given)"
                        ),
                    });
                    (
                        front::title_only(relative),
                        split.body,
                        split.body_first_line,
                    )
                }
            }
        }
        Err(d) => {
            notes.push(Note {
                file: shown.into(),
                line: 1,
                message: format!("{}; the whole file was kept as text", d.message),
            });
            (front::title_only(relative), text, 1)
        }
    };
    let body = shortcodes(generator, body, body_line, shown, notes);
    let yaml = serde_yaml::to_string(&Value::Mapping(mapping)).unwrap_or_default();
    format!("---\n{yaml}---\n{body}")
}

/// Lists every shortcode call of `body` and converts Hugo's `ref`/`relref`
/// to dossier links (`@/path.md`, or the relative path as written).
fn shortcodes(
    generator: Generator,
    body: &str,
    first_line: usize,
    shown: &str,
    notes: &mut Vec<Note>,
) -> String {
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let mut rest = line;
        let mut converted = String::new();
        while let Some((start, end, call)) = next_shortcode(generator, rest) {
            converted.push_str(&rest[..start]);
            match hugo_ref(generator, call) {
                Some(link) => converted.push_str(&link),
                None => {
                    converted.push_str(&rest[start..end]);
                    notes.push(Note {
                        file: shown.into(),
                        line: line_no,
                        message: format!("shortcode `{}` is not converted; it shows as text until it is replaced (by Markdown, or a Tera component in a template)", call.trim()),
                    });
                }
            }
            rest = &rest[end..];
        }
        converted.push_str(rest);
        out.push_str(&converted);
    }
    out
}

/// The next shortcode call in `text`: (start, end, what is between the delimiters).
fn next_shortcode(generator: Generator, text: &str) -> Option<(usize, usize, &str)> {
    let pairs: &[(&str, &str)] = match generator {
        Generator::Hugo => &[("{{<", ">}}"), ("{{%", "%}}")],
        Generator::Zola => &[("{{", "}}"), ("{%", "%}")],
    };
    pairs
        .iter()
        .filter_map(|(open, close)| {
            let start = text.find(open)?;
            let inner_start = start + open.len();
            let len = text[inner_start..].find(close)?;
            let inner = &text[inner_start..inner_start + len];
            // Zola's shortcodes are calls: `name(args)`.
            if generator == Generator::Zola
                && !inner.trim().split('(').next().is_some_and(|n| {
                    !n.is_empty() && n.trim().chars().all(|c| c.is_alphanumeric() || c == '_')
                })
            {
                return None;
            }
            Some((start, inner_start + len + close.len(), inner))
        })
        .min_by_key(|(start, ..)| *start)
}

/// `{{< ref "/posts/x.md" >}}` → `@/posts/x.md`; `relref "x.md"` → `x.md`.
fn hugo_ref(generator: Generator, call: &str) -> Option<String> {
    if generator != Generator::Hugo {
        return None;
    }
    let call = call.trim();
    let arg = call
        .strip_prefix("relref")
        .or_else(|| call.strip_prefix("ref"))?
        .trim();
    let target = arg.trim_matches('"');
    if target.is_empty()
        || target.contains('"')
        || !target.ends_with(".md") && !target.contains(".md#")
    {
        return None;
    }
    Some(match target.strip_prefix('/') {
        Some(absolute) => format!("@/{absolute}"),
        None => target.to_string(),
    })
}

/// site.yaml from the source's configuration (TOML); defaults with a note
/// for what is missing.
fn site_yaml(generator: Generator, source: &Path, notes: &mut Vec<Note>) -> String {
    let candidates: &[&str] = match generator {
        Generator::Zola => &["config.toml", "zola.toml"],
        Generator::Hugo => &["hugo.toml", "config.toml"],
    };
    let found = candidates.iter().find(|c| source.join(c).is_file());
    let table = found.and_then(|name| {
        let text = std::fs::read_to_string(source.join(name)).ok()?;
        match toml_front::parse_mapping(&text, 1) {
            Ok(m) => Some((name.to_string(), m)),
            Err(e) => {
                notes.push(Note {
                    file: name.to_string(),
                    line: e.location.line,
                    message: e.message,
                });
                None
            }
        }
    });
    let (config_name, config) = table.unwrap_or_else(|| {
        notes.push(Note {
            file: ".".into(),
            line: 1,
            message: format!("no {} read (only TOML configuration is imported); site.yaml has placeholder settings", candidates.join(" or ")),
        });
        (String::from("site.yaml"), Mapping::new())
    });
    front::site_config(generator, &config, &config_name, notes)
}

fn yaml_string(s: &str) -> String {
    serde_yaml::to_string(&Value::String(s.to_string()))
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

fn report(generator: Generator, source: &Path, notes: &[Note]) -> String {
    let mut out = format!(
        "# Import report\n\nImported from the {} site at `{}` by `dossier import`. The source was not modified.\n\nWhat could not be carried over as it was ({} notes, `file:line` in the source site):\n\n",
        generator.name(),
        source.display(),
        notes.len()
    );
    for n in notes {
        out.push_str(&format!("- `{}:{}`: {}\n", n.file, n.line, n.message));
    }
    out
}
