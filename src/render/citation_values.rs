//! Template values for citations and page histories: register sources,
//! the sources of front matter facts, reference lists, `changes:` and
//! `events:`, and the site-wide list of changes.

use tera::Value;
use tera::value::Map;

use crate::citations::{Reference, Register, RegisterSource};
use crate::load::{Change, Event, FrontMatter};
use crate::model::Site;

/// A register source: `{id, title, publisher, url, date, grade,
/// grade_label, note}`.
pub fn source(s: &RegisterSource) -> Value {
    let mut m = Map::new();
    for (k, v) in [
        ("id", Value::from(s.id.as_str())),
        ("title", s.title.as_str().into()),
        ("publisher", s.publisher.as_str().into()),
        ("url", s.url.as_str().into()),
        (
            "date",
            s.date.map_or_else(Value::none, |d| d.to_string().into()),
        ),
        ("grade", s.grade.name().into()),
        ("grade_label", s.grade.label().into()),
        (
            "note",
            s.note.as_deref().map_or_else(Value::none, Value::from),
        ),
    ] {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

fn sources_of(ids: &[String], register: &Register) -> Value {
    ids.iter()
        .filter_map(|id| register.get(id))
        .map(|s| source(s))
        .collect::<Vec<_>>()
        .into()
}

/// `page.field_sources`: for each cited field, the list of its sources.
pub fn field_sources(front: &FrontMatter, register: &Register) -> Value {
    let map: Map = front
        .field_sources
        .iter()
        .map(|(field, ids)| (field.clone().into(), sources_of(ids, register)))
        .collect();
    Value::from(map)
}

/// `page.references`: the page's reference list, as the body shows it.
pub fn references(references: &[Reference]) -> Value {
    references
        .iter()
        .map(|r| {
            let mut m = source(&r.source).as_map().cloned().unwrap_or_default();
            m.insert("number".into(), r.number.into());
            m.insert("anchor".into(), r.anchor.as_str().into());
            m.insert("fields".into(), r.fields.clone().into());
            Value::from(m)
        })
        .collect::<Vec<_>>()
        .into()
}

pub fn changes(changes: &[Change]) -> Value {
    changes
        .iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("date".into(), c.date.to_string().into());
            m.insert("note".into(), c.note.as_str().into());
            Value::from(m)
        })
        .collect::<Vec<_>>()
        .into()
}

pub fn events(events: &[Event], register: &Register) -> Value {
    events
        .iter()
        .map(|e| {
            let mut m = Map::new();
            m.insert("date".into(), e.date.to_string().into());
            m.insert("title".into(), e.title.as_str().into());
            m.insert("sources".into(), sources_of(&e.sources, register));
            Value::from(m)
        })
        .collect::<Vec<_>>()
        .into()
}

/// `site.changes`: every dated change of every page and section, newest
/// first (then by page path), with the page's `title` and `path`.
pub fn site_changes(site: &Site) -> Value {
    super::history::all_changes(site)
        .into_iter()
        .map(|(c, title, path)| {
            let mut m = Map::new();
            m.insert("date".into(), c.date.to_string().into());
            m.insert("note".into(), c.note.as_str().into());
            m.insert("title".into(), title.into());
            m.insert("path".into(), path.into());
            Value::from(m)
        })
        .collect::<Vec<_>>()
        .into()
}

/// `site.sources`: the register by id.
pub fn register(register: &Register) -> Value {
    let map: Map = register
        .iter()
        .map(|s| (s.id.clone().into(), source(s)))
        .collect();
    Value::from(map)
}
