//! The editor's reading endpoints: the page list with each page's status,
//! and one page with the form its section's schema makes (see `api.rs` for
//! the contract).

use std::path::Path;

use hyper::StatusCode;
use serde::Serialize;
use serde_json::{Value as Json, json};

use super::Seen;
use super::api::{Answer, config, hash, read_file, refused};
use super::paths;
use crate::config::FieldKind;
use crate::load::{self, DocKind, front_matter};

/// The folder a file is listed under: a section's own folder, a bundle's
/// parent folder, or a page's folder.
fn group_of(source: &str, kind: DocKind) -> String {
    let dir = load::parent_dir(source);
    match kind {
        DocKind::Page if load::file_name(source) == "index.md" => load::parent_dir(dir).into(),
        _ => dir.into(),
    }
}

pub fn pages(root: &Path, seen: &Seen) -> Answer {
    let config = config(root)?;
    let (listing, _) = load::scan(root);
    let findings: Vec<Json> = serde_json::from_str(&seen.findings).unwrap_or_default();
    let mut pages = Vec::new();
    let mut sections = Vec::new();
    for (source, doc, found) in load::read_sources(&listing, &config, |_| true) {
        let file = format!("content/{source}");
        // What reading the file finds now, and what the preview found.
        let mut seen_here: Vec<(String, String, String)> = found
            .iter()
            .map(|d| {
                let severity = format!("{:?}", d.severity).to_ascii_lowercase();
                (severity, d.code.to_string(), d.message.clone())
            })
            .collect();
        for f in findings.iter().filter(|f| f["file"] == file.as_str()) {
            let text = |k: &str| f[k].as_str().unwrap_or("").to_string();
            seen_here.push((text("severity"), text("code"), text("message")));
        }
        seen_here.sort();
        seen_here.dedup();
        let count = |s: &str| seen_here.iter().filter(|f| f.0 == s).count();
        let kind = doc.as_ref().map_or(DocKind::Page, |d| d.kind);
        let title = doc
            .as_ref()
            .and_then(|d| d.front.title.clone())
            .unwrap_or_else(|| source.clone());
        if kind == DocKind::Section {
            sections.push(json!({ "dir": load::parent_dir(&source), "title": title }));
        }
        pages.push(json!({
            "source": source,
            "title": title,
            "group": group_of(&source, kind),
            "section": kind == DocKind::Section,
            "draft": doc.as_ref().is_some_and(|d| d.front.draft),
            "errors": count("error"),
            "warnings": count("warning"),
            // A translation whose original changed since it was marked
            // current (the preview's `W-TRANSLATION-STALE`).
            "translation_stale": seen_here.iter().any(|f| f.1 == "W-TRANSLATION-STALE"),
            "lang": crate::languages::code_suffix(&source).map(|(_, code)| code),
            "path": seen.paths.get(&source),
        }));
    }
    Ok(json!({ "pages": pages, "sections": sections }))
}

/// The source register for the pickers: every source's id, title,
/// publisher, date and grade, in the order of `data/sources.yaml`.
pub fn register(root: &Path) -> Answer {
    let register = crate::citations::Register::load(root).map_err(|found| {
        let found: crate::diagnostics::Diagnostics = found.into_iter().collect();
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "{} has errors, fix them first: {}",
                crate::citations::REGISTER_FILE,
                found.summary()
            ),
        )
    })?;
    let sources: Vec<Json> = register
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date.map(|d| d.to_string()),
                "grade": s.grade.name(),
                "grade_label": s.grade.label(),
            })
        })
        .collect();
    Ok(json!({ "present": register.present, "sources": sources }))
}

pub fn page(root: &Path, source: &str, seen: &Seen) -> Answer {
    let config = config(root)?;
    let path = paths::content_file(root, source).map_err(refused)?;
    let (bytes, text) = read_file(&path, &config)?;
    let (listing, _) = load::scan(root);
    let (doc, _) = load::parse_text(&listing, source, &text, &config);
    let yaml = front_matter::split(&text)
        .ok()
        .and_then(|s| s.front_matter)
        .and_then(|y| serde_yaml::from_str::<serde_yaml::Value>(y).ok());
    let current = |name: &str| yaml.as_ref().and_then(|y| y.get(name));
    let value = |name: &str| current(name).map(form_value);
    let mut fields = vec![
        Field::new("title", "text", true, value("title")),
        Field::new("description", "text", false, value("description")),
        Field::new("date", "date", false, value("date")),
        Field::new("draft", "bool", false, value("draft")),
    ];
    let schema = doc
        .as_ref()
        .filter(|d| d.kind == DocKind::Page)
        .and_then(|_| config.schema_for(group_of(source, DocKind::Page).as_str()));
    // Register ids are picked from the register, when the site has one.
    let register = crate::citations::Register::load(root).is_ok_and(|r| r.present);
    let mut not_in_form = Vec::new();
    let mut sources_done = false;
    for spec in schema.map(|s| s.fields.as_slice()).unwrap_or_default() {
        let (kind, values): (&str, &[String]) = match &spec.kind {
            FieldKind::String => ("text", &[]),
            FieldKind::Url => ("url", &[]),
            FieldKind::Bool => ("bool", &[]),
            FieldKind::Date => ("date", &[]),
            FieldKind::List => ("list", &[]),
            FieldKind::Enum(values) => ("enum", values),
            FieldKind::Common if spec.name == "sources" && register => {
                sources_done = true;
                match ids_field("sources", spec.required, current("sources")) {
                    Some(field) => fields.push(field.hint(spec.hint.clone())),
                    None => not_in_form.push("sources (written out in full)".into()),
                }
                continue;
            }
            FieldKind::Common => {
                not_in_form.push(spec.name.clone());
                continue;
            }
        };
        let mut field = Field::new(&spec.name, kind, spec.required, value(&spec.name));
        field.values = values.to_vec();
        fields.push(field.hint(spec.hint.clone()));
        if spec.cite && register {
            let key = format!("{}_source", spec.name);
            let hint = format!(
                "The source of {}: required when {} is given.",
                spec.name, spec.name
            );
            match ids_field(&key, false, current(&key)) {
                Some(field) => fields.push(field.hint(Some(hint))),
                None => not_in_form.push(key),
            }
        }
    }
    if register && !sources_done && doc.as_ref().is_some_and(|d| d.kind == DocKind::Page) {
        match ids_field("sources", false, current("sources")) {
            Some(field) => fields.push(field),
            None => not_in_form.push("sources (written out in full)".into()),
        }
    }
    let section = load::parent_dir(source);
    let split = front_matter::split(&text).ok();
    Ok(json!({
        "source": source,
        "section": section,
        "text": text,
        "hash": hash(&bytes),
        "has_front_matter": split.as_ref().is_some_and(|s| s.front_matter.is_some()),
        "fields": fields,
        "not_in_form": not_in_form,
        "body": split.map_or(text.as_str(), |s| s.body),
        "path": seen.paths.get(source),
    }))
}

/// One field of the form, as the editor's script reads it.
#[derive(Serialize)]
struct Field {
    name: String,
    /// text, url, date, bool, list, enum, or sources (register ids).
    kind: &'static str,
    values: Vec<String>,
    required: bool,
    value: Option<Json>,
    /// The schema's `hint:`, shown under the field.
    hint: Option<String>,
    /// For `sources` fields: the ids were written as one plain value
    /// (`signed_source: eeas-sdp`), to keep so when one id stays.
    single: bool,
}

impl Field {
    fn new(name: &str, kind: &'static str, required: bool, value: Option<Json>) -> Field {
        Field {
            name: name.to_string(),
            kind,
            values: Vec::new(),
            required,
            value,
            hint: None,
            single: false,
        }
    }

    fn hint(mut self, hint: Option<String>) -> Field {
        self.hint = hint;
        self
    }
}

/// A field of register ids, if the value is ids only (a list of them, or
/// one); `None` when sources are written out in full, which the form
/// leaves as they are.
fn ids_field(name: &str, required: bool, value: Option<&serde_yaml::Value>) -> Option<Field> {
    use serde_yaml::Value as Y;
    let (ids, single) = match value {
        None | Some(Y::Null) => (Vec::new(), false),
        Some(Y::String(id)) => (vec![id.clone()], true),
        Some(Y::Sequence(items)) => (
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?,
            false,
        ),
        Some(_) => return None,
    };
    let mut field = Field::new(name, "sources", required, Some(json!(ids)));
    field.single = single;
    Some(field)
}

/// A YAML value as the form shows it.
fn form_value(value: &serde_yaml::Value) -> Json {
    use serde_yaml::Value as Y;
    let text = |v: &Y| match v {
        Y::String(s) => s.clone(),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        Y::Null => String::new(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    match value {
        Y::Bool(b) => json!(b),
        Y::Sequence(items) => json!(items.iter().map(text).collect::<Vec<_>>()),
        other => json!(text(other)),
    }
}
