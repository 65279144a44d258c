//! `dossier new`: a new page, ready to fill in.
//!
//! The file gets every field its section's schema requires, each holding a
//! placeholder that starts with `TODO` (which fails the build until it is
//! replaced, see `load::front_matter::PLACEHOLDER`), the optional fields as
//! comments, and `draft: true`. An existing file is never overwritten.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::config::{FieldKind, FieldSpec, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::load::CONTENT_DIR;
use crate::model::urls;

/// The file name (without `.md`) for a page titled `title`.
fn scaffold_name(title: &str) -> Result<String, String> {
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err("it has no letters or digits".into());
    }
    if slug.len() + 3 > urls::MAX_SEGMENT_BYTES {
        return Err("it is too long for a file name".into());
    }
    Ok(slug)
}

/// Creates the page and returns its path (relative to `root`).
pub fn new_page(root: &Path, section: &str, title: &str) -> Result<PathBuf, Diagnostic> {
    let config = SiteConfig::load(root).map_err(|mut e| e.remove(0))?;
    let dir = find_section(root, &config, section)?;
    // The file name is the title's strict slug, whatever the URLs' strategy:
    // a plain ASCII name is the safest to create and to type.
    let slug = scaffold_name(title).map_err(|why| {
        Diagnostic::error(
            "E-NEW",
            CONTENT_DIR,
            format!("cannot make a file name from \"{title}\": {why}"),
        )
        .hint("give a title with letters or digits")
    })?;
    let relative = Path::new(CONTENT_DIR).join(&dir).join(format!("{slug}.md"));
    let path = root.join(&relative);
    if path.exists() {
        return Err(Diagnostic::error(
            "E-NEW",
            &relative,
            "this file already exists; it was left as it is",
        )
        .hint("open it to edit, or choose another title"));
    }
    let text = page_text(
        title,
        config
            .schema_for(&dir)
            .map(|s| s.fields.as_slice())
            .unwrap_or_default(),
    );
    let written = std::fs::create_dir_all(path.parent().unwrap_or(root)).and_then(|()| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
    });
    written.map_err(|e| {
        Diagnostic::error("E-NEW", &relative, format!("cannot write the file: {e}"))
    })?;
    Ok(relative)
}

/// The section folder meant by `name`: `partners`, or `partner` for it.
fn find_section(root: &Path, config: &SiteConfig, name: &str) -> Result<String, Diagnostic> {
    let name = name.trim_matches('/');
    let content = root.join(CONTENT_DIR);
    let candidates = [
        name.to_string(),
        format!("{name}s"),
        name.trim_end_matches('s').to_string(),
    ];
    for candidate in &candidates {
        if content.join(candidate).join("_index.md").is_file() {
            return Ok(candidate.clone());
        }
    }
    let mut known: Vec<&str> = config.sections.keys().map(String::as_str).collect();
    known.sort();
    Err(Diagnostic::error(
        "E-NEW",
        CONTENT_DIR,
        format!("there is no section `{name}` (no content/{name}/_index.md)"),
    )
    .hint(if known.is_empty() {
        "create the section folder with an _index.md first".to_string()
    } else {
        format!("sections with a schema: {}", known.join(", "))
    }))
}

fn page_text(title: &str, fields: &[FieldSpec]) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", quote(title));
    out.push_str("description: \"TODO: one sentence saying what this page is about\"\n");
    out.push_str("draft: true  # remove this line to publish the page\n");
    let mut wrote_sources = false;
    for field in fields {
        if field.kind == FieldKind::Common {
            if field.name == "sources" {
                wrote_sources = true;
                out.push_str("sources:\n  - title: \"TODO: the source's title\"\n    url: \"TODO: https://the full address\"\n    publisher: \"TODO: who published it\"\n");
            } else if field.required {
                let _ = writeln!(out, "{}: \"TODO: {}\"", field.name, field.name);
            }
            continue;
        }
        let example = match &field.kind {
            FieldKind::String => "text".to_string(),
            FieldKind::Bool => "true or false".to_string(),
            FieldKind::Date => "YYYY-MM-DD".to_string(),
            FieldKind::Url => "https://…".to_string(),
            FieldKind::List => "a list, one item per line starting with -".to_string(),
            FieldKind::Enum(values) => format!("one of {}", values.join(", ")),
            FieldKind::Common => String::new(),
        };
        if field.required {
            let _ = writeln!(out, "{}: \"TODO: {example}\"", field.name);
        } else {
            let _ = writeln!(out, "# {}: {example}  (optional)", field.name);
        }
    }
    if !wrote_sources {
        out.push_str("sources:\n  - title: \"TODO: the source's title\"\n    url: \"TODO: https://the full address\"\n");
    }
    out.push_str("---\n\nTODO: write the page. Every fact needs a source listed above.\n");
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `dossier new partner "Japan" --lang fr`: a translation of the existing
/// page titled `title`, beside it (`partners/japan.fr.md`), holding only
/// what a translation writes (the title, the description and the
/// translatable fields, each a `TODO` placeholder quoting the original) and
/// the original's body with each heading kept (ids too) and each paragraph
/// replaced by a `TODO`. Everything else is inherited from the original.
pub fn new_translation(
    root: &Path,
    section: &str,
    title: &str,
    lang: &str,
) -> Result<PathBuf, Diagnostic> {
    let config = SiteConfig::load(root).map_err(|mut e| e.remove(0))?;
    let Some(id) = config
        .languages
        .id_of(lang)
        .filter(|&l| l != crate::languages::DEFAULT)
    else {
        let declared: Vec<&str> = config
            .languages
            .list
            .iter()
            .skip(1)
            .map(|l| l.code.as_str())
            .collect();
        return Err(Diagnostic::error(
            "E-NEW",
            crate::config::CONFIG_FILE,
            format!("`{lang}` is not a language to translate into on this site"),
        )
        .hint(if declared.is_empty() {
            "declare the languages in site.yaml first: `languages: [en, fr, de]`".to_string()
        } else {
            format!("use one of: {}", declared.join(", "))
        }));
    };
    let dir = find_section(root, &config, section)?;
    let slug = scaffold_name(title).map_err(|why| {
        Diagnostic::error(
            "E-NEW",
            CONTENT_DIR,
            format!("cannot find a file for \"{title}\": {why}"),
        )
    })?;
    let original = Path::new(CONTENT_DIR).join(&dir).join(format!("{slug}.md"));
    let text = std::fs::read_to_string(root.join(&original)).map_err(|e| {
        Diagnostic::error(
            "E-NEW",
            &original,
            format!("there is no original to translate: {e}"),
        )
        .hint("give the title of an existing page, as in its file name (\"Japan\" for japan.md)")
    })?;
    let source = format!("{}/{slug}.md", dir.trim_matches('/'))
        .trim_start_matches('/')
        .to_string();
    let target = config
        .languages
        .translation_source(&source, id)
        .ok_or_else(|| Diagnostic::error("E-NEW", &original, "cannot name the translation"))?;
    let relative = Path::new(CONTENT_DIR).join(&target);
    let path = root.join(&relative);
    let split = crate::load::front_matter::split(&text).map_err(|d| Diagnostic {
        file: original.clone(),
        ..d
    })?;
    let mapping = split
        .front_matter
        .map(|y| crate::yaml::parse_mapping(y, 1))
        .transpose()
        .map_err(|e| Diagnostic::error("E-NEW", &original, e.message))?
        .unwrap_or_default();
    let fields = config
        .schema_for(&dir)
        .map(|s| s.fields.as_slice())
        .unwrap_or_default();
    let name = &config.languages.list[id].name;
    let mut out = String::from("---\n");
    let text_of = |key: &str| {
        mapping
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    for key in ["title", "description"] {
        if let Some(v) = text_of(key) {
            let _ = writeln!(out, "{key}: {}", quote(&format!("TODO: in {name}: {v}")));
        }
    }
    for field in fields.iter().filter(|f| f.translatable) {
        match mapping.get(field.name.as_str()) {
            Some(serde_yaml::Value::String(v)) => {
                let _ = writeln!(
                    out,
                    "{}: {}",
                    field.name,
                    quote(&format!("TODO: in {name}: {v}"))
                );
            }
            Some(serde_yaml::Value::Sequence(items)) => {
                let _ = writeln!(out, "{}:", field.name);
                for item in items.iter().filter_map(|i| i.as_str()) {
                    let _ = writeln!(out, "  - {}", quote(&format!("TODO: in {name}: {item}")));
                }
            }
            _ => {}
        }
    }
    out.push_str("---\n");
    out.push_str(&todo_body(split.body));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, out.as_bytes()));
    written.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Diagnostic::error(
            "E-NEW",
            &relative,
            "this translation already exists; it was left as it is",
        ),
        _ => Diagnostic::error("E-NEW", &relative, format!("cannot write the file: {e}")),
    })?;
    Ok(relative)
}

/// The original's body with its headings (and their `{#id}`s) kept and
/// every other block replaced by one `TODO` line.
fn todo_body(body: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in body.lines() {
        if line.trim().is_empty() {
            in_block = false;
            continue;
        }
        if line.starts_with('#') {
            in_block = false;
            let hashes: String = line.chars().take_while(|c| *c == '#').collect();
            let id = line
                .rfind("{#")
                .filter(|_| line.trim_end().ends_with('}'))
                .map(|i| format!(" {}", line[i..].trim_end()))
                .unwrap_or_default();
            let _ = writeln!(out, "\n{hashes} TODO: translate the heading{id}");
            continue;
        }
        if !in_block {
            out.push_str("\nTODO: translate this paragraph (keep its [@citations] and @/links as they are).\n");
            in_block = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scaffold_is_valid_yaml_with_placeholders_for_required_fields() {
        let config = SiteConfig::parse(
            "title: T\nbase_url: https://x/\nsections:\n  partners:\n    fields:\n      status: { type: enum, values: [a, b], required: true }\n      signed: { type: date }\n      sources: { required: true }\n",
        )
        .unwrap();
        let text = page_text(
            "Côte \"d'Ivoire\"",
            &config.schema_for("partners").unwrap().fields,
        );
        let yaml = text.split("---\n").nth(1).unwrap();
        let parsed: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(parsed["title"], "Côte \"d'Ivoire\"");
        assert!(
            parsed["status"]
                .as_str()
                .unwrap()
                .starts_with("TODO: one of a, b")
        );
        assert!(
            parsed.get("signed").is_none(),
            "optional fields are comments"
        );
        assert!(text.contains("# signed: YYYY-MM-DD"));
        assert_eq!(parsed["draft"], true);
        assert!(
            parsed["sources"][0]["url"]
                .as_str()
                .unwrap()
                .starts_with("TODO")
        );
    }
}
