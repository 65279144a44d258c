//! What a translation inherits from its original.
//!
//! Facts are declared once: dates, weights, enums, country codes, sources,
//! `<field>_source`, tags, events and every schema field that is not
//! translatable live in the original, and its translations take them from
//! there. A translation that repeats one with a different value is an error
//! naming both files and lines (the same value is harmless and accepted).
//! Called by `model::build`, so every driver (build, check, the dev server,
//! the editor) sees translations the same way.

use std::collections::{BTreeSet, HashMap};

use super::{DEFAULT, Fallback};
use crate::config::{SectionSchema, SiteConfig};
use crate::diagnostics::{Diagnostic, Location};
use crate::load::{self, DocKind, Document, FieldValue, FrontMatter};
use crate::yaml::did_you_mean;

/// Fills every translation's language-neutral front matter from its
/// original; a translation without an original is reported and dropped.
pub fn inherit(
    documents: &mut Vec<Document>,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !config.languages.enabled() || documents.iter().all(|d| d.lang == DEFAULT) {
        return;
    }
    let originals: HashMap<String, usize> = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.lang == DEFAULT)
        .map(|(i, d)| (d.source.clone(), i))
        .collect();
    let mut orphans = BTreeSet::new();
    let mut merged: Vec<(usize, FrontMatter)> = Vec::new();
    for (i, doc) in documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.lang != DEFAULT)
    {
        let original_source = doc.original_source();
        let Some(&o) = originals.get(&original_source) else {
            let close = did_you_mean(&original_source, originals.keys().map(String::as_str))
                .map(|s| format!("did you mean to translate content/{s}? Name the file after it"))
                .unwrap_or_else(|| {
                    format!("a translation sits beside its original: create content/{original_source} first, or rename this file")
                });
            diagnostics.push(
                Diagnostic::error(
                    "E-LANG-ORPHAN",
                    doc.display_path(),
                    format!("this translates content/{original_source}, which does not exist"),
                )
                .at_line(1)
                .hint(close),
            );
            orphans.insert(i);
            continue;
        };
        let original = &documents[o];
        let schema = (doc.kind == DocKind::Page)
            .then(|| config.schema_for(original_section(original)))
            .flatten();
        let neutral_field = |name: &str| {
            schema
                .and_then(|s| s.fields.iter().find(|f| f.name == name))
                .is_none_or(|f| !f.translatable)
        };
        let mut conflict = Conflicts {
            translation: doc,
            original,
            found: diagnostics,
        };
        let (t, f) = (&doc.front, &original.front);
        conflict.check(
            "date",
            t.date != f.date && t.date.is_some(),
            || show(&t.date),
            || show(&f.date),
        );
        conflict.check(
            "weight",
            t.weight != f.weight && t.weight.is_some(),
            || show(&t.weight),
            || show(&f.weight),
        );
        conflict.check(
            "tags",
            !t.tags.is_empty() && t.tags != f.tags,
            || t.tags.join(", "),
            || f.tags.join(", "),
        );
        conflict.check(
            "template",
            t.template.is_some() && t.template != f.template,
            || show(&t.template),
            || show(&f.template),
        );
        conflict.check(
            "sources",
            !t.sources.is_empty() && t.sources != f.sources,
            || format!("{} sources", t.sources.len()),
            || format!("{} sources", f.sources.len()),
        );
        conflict.event_titles();
        conflict.check(
            "events",
            !t.events.is_empty() && t.events != f.events,
            || format!("{} events", t.events.len()),
            || format!("{} events", f.events.len()),
        );
        conflict.check(
            "draft",
            t.key_lines.iter().any(|(k, _)| k == "draft") && t.draft != f.draft,
            || t.draft.to_string(),
            || f.draft.to_string(),
        );
        conflict.check(
            "page_template",
            t.page_template.is_some() && t.page_template != f.page_template,
            || show(&t.page_template),
            || show(&f.page_template),
        );
        for (name, ids) in &t.field_sources {
            let theirs = f
                .field_sources
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v);
            let key = format!("{name}_source");
            conflict.check(
                &key,
                theirs != Some(ids),
                || ids.join(", "),
                || {
                    theirs
                        .map(|v| v.join(", "))
                        .unwrap_or_else(|| "nothing".into())
                },
            );
        }
        for (name, value) in &t.fields {
            if !neutral_field(name) || *value == FieldValue::Absent {
                continue;
            }
            let theirs = f.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
            conflict.check(
                name,
                theirs != Some(value),
                || field_text(Some(value)),
                || field_text(theirs),
            );
        }
        let front = merge(t, f, &neutral_field);
        merged.push((i, front));
    }
    for (i, front) in merged {
        documents[i].front = front;
    }
    let mut index = 0;
    documents.retain(|_| {
        index += 1;
        !orphans.contains(&(index - 1))
    });
}

/// The front matter a translation (`t`) has once it inherits from its
/// original (`f`): the original's language-neutral keys, its own text.
fn merge(t: &FrontMatter, f: &FrontMatter, neutral_field: &dyn Fn(&str) -> bool) -> FrontMatter {
    let mut front = t.clone();
    // Declared once, in the original.
    front.date = f.date;
    front.weight = f.weight;
    front.tags = f.tags.clone();
    front.template = f.template.clone();
    front.sources = f.sources.clone();
    front.events = f.events.clone();
    if t.event_titles.len() == front.events.len() {
        for (event, title) in front.events.iter_mut().zip(&t.event_titles) {
            event.title = title.clone();
        }
    }
    front.draft = f.draft;
    front.page_template = f.page_template.clone();
    front.sort_by = f.sort_by;
    front.field_sources = f.field_sources.clone();
    // The later of the original's date and the translation's own
    // history: readers of the translation see when either changed.
    front.updated = match (t.updated, f.updated) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    front.extra = t.extra.clone().or_else(|| f.extra.clone());
    front.fields = f
        .fields
        .iter()
        .map(|(name, theirs)| {
            let own = t.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
            let value = match own {
                Some(v) if !neutral_field(name) && *v != FieldValue::Absent => v.clone(),
                _ => theirs.clone(),
            };
            (name.clone(), value)
        })
        .collect();
    if front.description.is_none() {
        front.description = f.description.clone();
    }
    front
}

/// What the model holds as `translation`'s front matter, given its
/// original's (as the model holds it): the dev server compares an edited
/// translation with this to tell a body edit.
pub fn merged_front(
    translation: &Document,
    original: &FrontMatter,
    config: &SiteConfig,
) -> FrontMatter {
    let dir = translation.dir();
    let section = if translation.is_bundle() {
        load::parent_dir(dir)
    } else {
        dir
    };
    let schema = (translation.kind == DocKind::Page)
        .then(|| config.schema_for(section))
        .flatten();
    let neutral_field = |name: &str| {
        schema
            .and_then(|s| s.fields.iter().find(|f| f.name == name))
            .is_none_or(|f| !f.translatable)
    };
    merge(&translation.front, original, &neutral_field)
}

/// The section folder whose schema the original was read with.
fn original_section(doc: &Document) -> &str {
    let dir = doc.dir();
    if doc.is_bundle() {
        load::parent_dir(dir)
    } else {
        dir
    }
}

fn show<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "nothing".into(), |v| v.to_string())
}

fn field_text(v: Option<&FieldValue>) -> String {
    match v {
        Some(FieldValue::Text(t)) => t.clone(),
        Some(FieldValue::Bool(b)) => b.to_string(),
        Some(FieldValue::Date(d)) => d.to_string(),
        Some(FieldValue::List(l)) => l.join(", "),
        Some(FieldValue::Absent) | None => "nothing".into(),
    }
}

struct Conflicts<'a> {
    translation: &'a Document,
    original: &'a Document,
    found: &'a mut Vec<Diagnostic>,
}

impl Conflicts<'_> {
    /// A translation's `events:` titles must match the original's events
    /// one for one: a missing or extra title would give an event the wrong
    /// title, so the count is checked.
    fn event_titles(&mut self) {
        let (ours, theirs) = (
            self.translation.front.event_titles.len(),
            self.original.front.events.len(),
        );
        if ours == 0 || ours == theirs || self.original.front.unreadable {
            return;
        }
        let original = self.original.display_path();
        self.found.push(
            Diagnostic::error(
                "E-LANG-NEUTRAL",
                self.translation.display_path(),
                format!(
                    "`events` gives {ours} {}, but the original, {}, has {theirs}",
                    if ours == 1 { "title" } else { "titles" },
                    original.display()
                ),
            )
            .at(Location::new(self.translation.front.line_of("events"), 1))
            .hint("give one `- title:` per event of the original, in its order; dates and sources come from the original"),
        );
    }

    /// Reports `key` when `differs`: the translation's line, the original's
    /// in a note.
    fn check(
        &mut self,
        key: &str,
        differs: bool,
        ours: impl FnOnce() -> String,
        theirs: impl FnOnce() -> String,
    ) {
        if !differs || self.original.front.unreadable {
            return;
        }
        let here = self.translation.front.line_of(key);
        let there = self.original.front.line_of(key);
        let original = self.original.display_path();
        self.found.push(
            Diagnostic::error(
                "E-LANG-NEUTRAL",
                self.translation.display_path(),
                format!(
                    "`{key}` is language-neutral and is declared in the original, {}:{there}; this translation says {}, the original says {}",
                    original.display(),
                    ours(),
                    theirs()
                ),
            )
            .at(Location::new(here, 1))
            .hint(format!(
                "remove `{key}` from this file: translations inherit it from {}",
                original.display()
            )),
        );
    }
}

/// Documents published from their original's text in a language that has
/// no translation of them: every missing one with `language_fallback:
/// render`; with `link`, only the home of a language that has translated
/// pages but no `_index.<code>.md`, so its pages have a home. Returns the
/// sources given to these copies (the translation's would-be file name).
pub fn fallback_copies(documents: &mut Vec<Document>, config: &SiteConfig) -> BTreeSet<String> {
    let languages = &config.languages;
    let mut copies = BTreeSet::new();
    if !languages.enabled() {
        return copies;
    }
    let present: BTreeSet<(usize, String)> = documents
        .iter()
        .map(|d| (d.lang, d.original_source()))
        .collect();
    let used: BTreeSet<usize> = documents.iter().map(|d| d.lang).collect();
    let mut added = Vec::new();
    for lang in 1..languages.list.len() {
        for doc in documents.iter().filter(|d| d.lang == DEFAULT) {
            let wanted = match languages.fallback {
                Fallback::Render => true,
                Fallback::Link => doc.source == "_index.md" && used.contains(&lang),
            };
            if !wanted || present.contains(&(lang, doc.source.clone())) {
                continue;
            }
            let Some(source) = languages.translation_source(&doc.source, lang) else {
                continue;
            };
            let mut copy = doc.clone();
            copy.lang = lang;
            copies.insert(source.clone());
            copy.source = source;
            added.push(copy);
        }
    }
    documents.extend(added);
    documents.sort_by(|a, b| a.source.cmp(&b.source));
    copies
}

/// The schema a translation is read with: its fields typed as in the
/// original, none required and none asking for a citation (both are the
/// original's business; the values are inherited).
pub fn translation_schema(schema: &SectionSchema) -> SectionSchema {
    let mut relaxed = schema.clone();
    for field in &mut relaxed.fields {
        field.required = false;
        field.cite = false;
    }
    relaxed
}
