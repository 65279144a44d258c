//! Mapping Zola's and Hugo's front matter and configuration keys to
//! dossier's. Every key the mapping does not know is kept under `extra:`
//! with a note, so nothing is lost and the build accepts the page.

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::{Generator, Note};
use crate::model::urls;

/// Page keys that keep their name and meaning.
const SAME: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "draft",
    "slug",
];
/// Keys a section's `_index.md` may have in dossier.
const SECTION_ALLOWED: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "sort_by",
    "aliases",
    "extra",
];

/// The dossier front matter for one file. `key_lines` gives each key's line
/// in the source file, for the notes.
pub fn map(
    generator: Generator,
    source: &Mapping,
    key_lines: &HashMap<String, usize>,
    shown: &str,
    relative: &str,
    is_section: bool,
    notes: &mut Vec<Note>,
) -> Mapping {
    let mut out = Mapping::new();
    let mut extra = Mapping::new();
    let mut tags: Vec<Value> = Vec::new();
    let line = |k: &str| key_lines.get(k).copied().unwrap_or(1);
    let mut note = |key: &str, message: String| {
        notes.push(Note {
            file: shown.to_string(),
            line: line(key),
            message,
        });
    };
    for (k, v) in source {
        let key = crate::yaml::key_text(k);
        let dossier_key: Option<&str> = match (generator, key.as_str()) {
            (_, k) if SAME.contains(&k) => Some(k),
            (Generator::Hugo, "lastmod") => Some("updated"),
            (Generator::Hugo, "publishDate") if !source.contains_key("date") => Some("date"),
            (_, "aliases") => {
                let kept = aliases(generator, v, relative, &mut note);
                if !kept.is_empty() {
                    out.insert("aliases".into(), Value::Sequence(kept));
                }
                continue;
            }
            (_, "tags") => {
                tags.extend(strings(v));
                continue;
            }
            (Generator::Zola, "taxonomies") => {
                if let Value::Mapping(taxonomies) = v {
                    for (name, terms) in taxonomies {
                        let name = crate::yaml::key_text(name);
                        if name == "tags" {
                            tags.extend(strings(terms));
                        } else {
                            note(
                                &key,
                                format!(
                                    "taxonomy `{name}` moved to `extra.{name}`: dossier has only the `tags` taxonomy"
                                ),
                            );
                            extra.insert(Value::String(name), terms.clone());
                        }
                    }
                }
                continue;
            }
            (Generator::Hugo, "categories") => {
                note(&key, "`categories` moved to `extra.categories`: dossier has only the `tags` taxonomy".into());
                extra.insert("categories".into(), v.clone());
                continue;
            }
            (Generator::Hugo, "linkTitle") => {
                extra.insert("link_title".into(), v.clone());
                note(
                    &key,
                    "`linkTitle` is `extra.link_title` (templates may show it)".into(),
                );
                continue;
            }
            (Generator::Hugo, "params") | (Generator::Zola, "extra") => {
                if let Value::Mapping(m) = v {
                    for (pk, pv) in m {
                        extra.insert(pk.clone(), pv.clone());
                    }
                } else {
                    extra.insert(Value::String(key.clone()), v.clone());
                }
                continue;
            }
            (Generator::Zola, "sort_by") if is_section => {
                let by = v.as_str().unwrap_or_default();
                if ["weight", "date", "title"].contains(&by) {
                    Some("sort_by")
                } else {
                    note(
                        &key,
                        format!(
                            "sort_by `{by}` has no dossier equivalent (weight, date or title); pages are sorted by weight"
                        ),
                    );
                    continue;
                }
            }
            (_, "template" | "page_template" | "layout" | "type") => {
                note(
                    &key,
                    format!(
                        "`{key}` names a {} template, which is not converted; removed (kept in `extra.{key}`)",
                        generator.name()
                    ),
                );
                extra.insert(Value::String(key.clone()), v.clone());
                continue;
            }
            _ => None,
        };
        match dossier_key {
            Some(name) if is_section && !SECTION_ALLOWED.contains(&name) => {
                note(
                    &key,
                    format!("`{key}` is not a key of a dossier section; moved to `extra.{key}`"),
                );
                extra.insert(Value::String(key.clone()), v.clone());
            }
            Some(name @ ("date" | "updated")) => match day(v) {
                Some(d) => {
                    out.insert(name.into(), Value::String(d));
                }
                None => {
                    note(
                        &key,
                        format!(
                            "`{key}` is not a date dossier reads (YYYY-MM-DD); moved to `extra.{key}`"
                        ),
                    );
                    extra.insert(Value::String(key.clone()), v.clone());
                }
            },
            Some(name) => {
                out.insert(name.into(), v.clone());
            }
            None => {
                note(
                    &key,
                    format!("`{key}` has no dossier equivalent; moved to `extra.{key}`"),
                );
                extra.insert(Value::String(key.clone()), v.clone());
            }
        }
    }
    if !out.contains_key("title") {
        let title = file_title(relative);
        notes.push(Note {
            file: shown.to_string(),
            line: 1,
            message: format!("no title: \"{title}\" was made from the file name (a leading `# Heading` is dropped by dossier when there is front matter)"),
        });
        out.insert("title".into(), Value::String(title));
    }
    if !tags.is_empty() {
        if is_section {
            extra.insert("tags".into(), Value::Sequence(tags));
        } else {
            out.insert("tags".into(), Value::Sequence(tags));
        }
    }
    if !extra.is_empty() {
        out.insert("extra".into(), Value::Mapping(extra));
    }
    out
}

/// Front matter with only a title from the file name.
pub fn title_only(relative: &str) -> Mapping {
    let mut m = Mapping::new();
    m.insert("title".into(), Value::String(file_title(relative)));
    m
}

/// `blog/my-first_post.md` → "my first post"; a bundle is named by its folder.
fn file_title(relative: &str) -> String {
    let name = crate::load::file_name(relative);
    let stem = if name == "index.md" || name == "_index.md" {
        let dir = crate::load::parent_dir(relative);
        if dir.is_empty() {
            "Home"
        } else {
            crate::load::file_name(dir)
        }
    } else {
        name.trim_end_matches(".md")
    };
    stem.replace(['-', '_'], " ")
}

/// The day of a date or date-time (`2024-01-01T10:00:00Z` → `2024-01-01`).
fn day(v: &Value) -> Option<String> {
    let s = v.as_str()?;
    let d = s.get(..10)?;
    crate::date::Date::parse(d).ok().map(|_| d.to_string())
}

fn strings(v: &Value) -> Vec<Value> {
    match v {
        Value::Sequence(items) => items.iter().filter(|i| i.is_string()).cloned().collect(),
        Value::String(_) => vec![v.clone()],
        _ => Vec::new(),
    }
}

/// Aliases as dossier site paths. Hugo's relative aliases (`old-name`) are
/// relative to the page's folder; Zola's are from the site's root.
fn aliases(
    generator: Generator,
    v: &Value,
    relative: &str,
    note: &mut impl FnMut(&str, String),
) -> Vec<Value> {
    let folder = match generator {
        Generator::Hugo => crate::load::parent_dir(relative),
        Generator::Zola => "",
    };
    let mut kept = Vec::new();
    for alias in strings(v) {
        let raw = alias.as_str().unwrap_or_default();
        let absolute = if raw.starts_with('/') {
            raw.to_string()
        } else if folder.is_empty() {
            format!("/{raw}")
        } else {
            format!("/{folder}/{raw}")
        };
        match urls::site_path_from(&absolute) {
            Ok(_) => kept.push(Value::String(absolute)),
            Err(why) => note("aliases", format!("alias `{raw}` dropped: {why}")),
        }
    }
    kept
}

/// site.yaml's text from the source configuration.
pub fn site_config(
    generator: Generator,
    config: &Mapping,
    name: &str,
    notes: &mut Vec<Note>,
) -> String {
    let get = |k: &str| config.get(k).and_then(Value::as_str).map(str::to_string);
    let (url_key, language_key) = match generator {
        Generator::Zola => ("base_url", "default_language"),
        Generator::Hugo => ("baseURL", "languageCode"),
    };
    let mut out = Mapping::new();
    out.insert(
        "title".into(),
        Value::String(get("title").unwrap_or_else(|| "Imported site".into())),
    );
    let base = get(url_key).filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    if base.is_none() {
        notes.push(Note {
            file: name.into(),
            line: 1,
            message: format!(
                "no usable `{url_key}`: site.yaml has https://example.org/; set the real address"
            ),
        });
    }
    out.insert(
        "base_url".into(),
        Value::String(base.unwrap_or_else(|| "https://example.org/".into())),
    );
    if let Some(lang) = get(language_key) {
        out.insert("language".into(), Value::String(lang));
    }
    if let Some(d) = get("description") {
        out.insert("description".into(), Value::String(d));
    }
    let extra_key = match generator {
        Generator::Zola => "extra",
        Generator::Hugo => "params",
    };
    if let Some(Value::Mapping(extra)) = config.get(extra_key) {
        out.insert("extra".into(), Value::Mapping(extra.clone()));
    }
    let known = ["title", url_key, language_key, "description", extra_key];
    let left: Vec<String> = config
        .keys()
        .map(crate::yaml::key_text)
        .filter(|k| !known.contains(&k.as_str()))
        .collect();
    if !left.is_empty() {
        notes.push(Note {
            file: name.into(),
            line: 1,
            message: format!(
                "settings not carried over (dossier's are in README and site.yaml): {}",
                left.join(", ")
            ),
        });
    }
    let yaml = serde_yaml::to_string(&Value::Mapping(out)).unwrap_or_default();
    format!("# Made by `dossier import` from {name}. Every key is checked: see README.md.\n{yaml}")
}
