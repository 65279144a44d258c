//! Open data: the facts behind a section's table and behind the timeline,
//! published as CSV (with the `csv` crate, so quoting is right whatever the
//! text) and JSON, generated from the same front matter the pages show.
//!
//! - `/data/<section>.csv|json`: one row per page of the section, in
//!   display order: `title`, `url`, every schema field, and for each field
//!   that requires a citation its source ids and addresses.
//! - `/data/timeline.csv|json`: every `events:` entry of every page, and
//!   every given date field that requires a citation, by date.

use serde_json::{Value, json};

use crate::citations::Register;
use crate::config::FieldKind;
use crate::load::FieldValue;
use crate::model::{Page, Site};

/// One generated file: its output path and text.
pub type DataFile = (String, String);

/// The output paths of the open data files `site.yaml` asks for, in the
/// order [`files`] makes them (the dev server keeps exactly these).
pub fn file_names(config: &crate::config::SiteConfig) -> Vec<String> {
    let mut names = Vec::new();
    for dir in &config.open_data.sections {
        names.push(format!("data/{dir}.csv"));
        names.push(format!("data/{dir}.json"));
    }
    if config.open_data.timeline {
        names.push("data/timeline.csv".into());
        names.push("data/timeline.json".into());
    }
    names
}

/// The open data files `site.yaml` asks for.
pub fn files(site: &Site) -> Result<Vec<DataFile>, String> {
    let mut out = Vec::new();
    for dir in &site.config.open_data.sections {
        let (header, rows, json) = section_table(site, dir).ok_or_else(|| {
            format!("`open_data` names the section `{dir}`, which does not exist")
        })?;
        out.push((format!("data/{dir}.csv"), csv_text(&header, &rows)?));
        out.push((format!("data/{dir}.json"), pretty(&json)));
    }
    if site.config.open_data.timeline {
        let (header, rows, json) = timeline(site);
        out.push(("data/timeline.csv".into(), csv_text(&header, &rows)?));
        out.push(("data/timeline.json".into(), pretty(&json)));
    }
    Ok(out)
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn csv_text(header: &[String], rows: &[Vec<String>]) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| format!("cannot write CSV: {e}");
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        writer.write_record(row).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| format!("cannot write CSV: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("cannot write CSV: {e}"))
}

fn permalink(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_url, path.trim_start_matches('/'))
}

fn field_text(v: &FieldValue) -> String {
    match v {
        FieldValue::Text(s) => s.clone(),
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Date(d) => d.to_string(),
        FieldValue::List(l) => l.join("; "),
        FieldValue::Absent => String::new(),
    }
}

fn field_json(v: &FieldValue) -> Value {
    match v {
        FieldValue::Text(s) => json!(s),
        FieldValue::Bool(b) => json!(b),
        FieldValue::Date(d) => json!(d.to_string()),
        FieldValue::List(l) => json!(l),
        FieldValue::Absent => Value::Null,
    }
}

fn sources_of<'p>(page: &'p Page, field: &str) -> &'p [String] {
    page.front
        .field_sources
        .iter()
        .find(|(f, _)| f == field)
        .map_or(&[], |(_, ids)| ids.as_slice())
}

fn urls(ids: &[String], register: &Register) -> Vec<String> {
    ids.iter()
        .filter_map(|id| register.get(id).map(|s| s.url.clone()))
        .collect()
}

/// The register entries `ids` name, as JSON, by id.
fn source_map<'a>(ids: impl Iterator<Item = &'a String>, register: &Register) -> Value {
    let mut map = serde_json::Map::new();
    for id in ids {
        if let Some(s) = register.get(id) {
            map.insert(
                id.clone(),
                json!({
                    "title": s.title, "publisher": s.publisher, "url": s.url,
                    "date": s.date.map(|d| d.to_string()), "grade": s.grade.name(),
                }),
            );
        }
    }
    Value::Object(map)
}

type Table = (Vec<String>, Vec<Vec<String>>, Value);

fn section_table(site: &Site, dir: &str) -> Option<Table> {
    let section = site.sections.iter().find(|s| s.dir == dir)?;
    let register = &site.config.register;
    let specs: Vec<_> = site
        .config
        .schema_for(dir)
        .map(|s| {
            s.fields
                .iter()
                .filter(|f| f.kind != FieldKind::Common)
                .collect()
        })
        .unwrap_or_default();
    let mut header = vec!["title".to_string(), "url".to_string()];
    for spec in &specs {
        header.push(spec.name.clone());
        if spec.cite {
            header.push(format!("{}_sources", spec.name));
            header.push(format!("{}_source_urls", spec.name));
        }
    }
    let mut rows = Vec::new();
    let mut json_rows = Vec::new();
    let mut all_ids: Vec<&String> = Vec::new();
    for &id in &section.pages {
        let page = &site.pages[id];
        let value_of = |name: &str| {
            page.front
                .fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v)
        };
        let mut row = vec![page.title().to_string(), permalink(site, &page.path)];
        let mut fields = serde_json::Map::new();
        let mut field_sources = serde_json::Map::new();
        for spec in &specs {
            let value = value_of(&spec.name);
            row.push(value.map(field_text).unwrap_or_default());
            fields.insert(spec.name.clone(), value.map_or(Value::Null, field_json));
            if spec.cite {
                let ids = sources_of(page, &spec.name);
                row.push(ids.join("; "));
                row.push(urls(ids, register).join(" "));
                field_sources.insert(spec.name.clone(), json!(ids));
                all_ids.extend(ids);
            }
        }
        rows.push(row);
        json_rows.push(json!({
            "title": page.title(),
            "url": permalink(site, &page.path),
            "fields": fields,
            "field_sources": field_sources,
        }));
    }
    let json = json!({
        "section": dir,
        "title": section.front.title,
        "url": permalink(site, &section.path),
        "rows": json_rows,
        "sources": source_map(all_ids.into_iter(), register),
    });
    Some((header, rows, json))
}

fn timeline(site: &Site) -> Table {
    let register = &site.config.register;
    // (date, title, kind, page url, source ids)
    let mut entries: Vec<(String, String, String, String, Vec<String>)> = Vec::new();
    let fronts = site
        .pages
        .iter()
        .map(|p| (&p.front, p.title(), p.path.as_str()))
        .chain(site.sections.iter().map(|s| {
            (
                &s.front,
                s.front.title.as_deref().unwrap_or_default(),
                s.path.as_str(),
            )
        }));
    for (front, _, path) in fronts {
        for e in &front.events {
            entries.push((
                e.date.to_string(),
                e.title.clone(),
                "event".into(),
                permalink(site, path),
                e.sources.clone(),
            ));
        }
    }
    for page in &site.pages {
        let dir = &site.sections[page.section].dir;
        let Some(schema) = site.config.schema_for(dir) else {
            continue;
        };
        for spec in schema
            .fields
            .iter()
            .filter(|f| f.cite && f.kind == FieldKind::Date)
        {
            let date = page.front.fields.iter().find_map(|(n, v)| match v {
                FieldValue::Date(d) if *n == spec.name => Some(*d),
                _ => None,
            });
            if let Some(date) = date {
                entries.push((
                    date.to_string(),
                    page.title().to_string(),
                    spec.name.clone(),
                    permalink(site, &page.path),
                    sources_of(page, &spec.name).to_vec(),
                ));
            }
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0).then(a.3.cmp(&b.3)).then(a.1.cmp(&b.1)));
    let header: Vec<String> = ["date", "title", "kind", "page", "sources", "source_urls"]
        .map(String::from)
        .to_vec();
    let rows = entries
        .iter()
        .map(|(date, title, kind, page, ids)| {
            vec![
                date.clone(),
                title.clone(),
                kind.clone(),
                page.clone(),
                ids.join("; "),
                urls(ids, register).join(" "),
            ]
        })
        .collect();
    let json_rows: Vec<Value> = entries
        .iter()
        .map(|(date, title, kind, page, ids)| {
            json!({"date": date, "title": title, "kind": kind, "page": page, "sources": ids})
        })
        .collect();
    let json = json!({
        "rows": json_rows,
        "sources": source_map(entries.iter().flat_map(|e| e.4.iter()), register),
    });
    (header, rows, json)
}
