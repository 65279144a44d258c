//! Dated lists of front matter: a page's history (`changes:`) and the
//! events it records for the timeline (`events:`).
//!
//! Both are read strictly, like every other key: each entry's keys are
//! checked, dates must be real, and an event must name its source, because
//! a date without a source is exactly what the timeline must not show.

use serde_yaml::Value;

use crate::citations::register::check_id;
use crate::date::Date;
use crate::yaml::{self, did_you_mean, expect_string, key_text};

/// One dated change of a page: "Updates to this page".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: Date,
    pub note: String,
}

/// One event of the timeline, with the ids of its sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: Date,
    pub title: String,
    pub sources: Vec<String>,
}

/// `changes: [{date, note}]`, kept in the order written.
pub fn read_changes(v: &Value) -> Result<Vec<Change>, String> {
    entries(v, "change", &["date", "note"])?
        .into_iter()
        .map(|(n, m)| {
            Ok(Change {
                date: date_of(&m, n, "change")?,
                note: text_of(&m, "note", n, "change")?,
            })
        })
        .collect()
}

/// `events: [{date, title, source}]`; `source` is an id or a list of ids.
pub fn read_events(v: &Value) -> Result<Vec<Event>, String> {
    entries(v, "event", &["date", "title", "source"])?
        .into_iter()
        .map(|(n, m)| {
            let sources = match m.get("source") {
                Some(v) => read_ids(v).map_err(|e| format!("event {n}, `source`: {e}"))?,
                None => Vec::new(),
            };
            if sources.is_empty() {
                return Err(format!(
                    "event {n} has no `source:`; give the id of its source in data/sources.yaml"
                ));
            }
            Ok(Event {
                date: date_of(&m, n, "event")?,
                title: text_of(&m, "title", n, "event")?,
                sources,
            })
        })
        .collect()
}

/// `events: [{title}]` in a translation: only each event's title, in the
/// original's order (its date and sources are language-neutral, declared
/// once in the original). `None` when some entry gives more than a title:
/// then it is an ordinary `events:` list, read by [`read_events`].
pub fn read_event_titles(v: &Value) -> Option<Vec<String>> {
    let items = v.as_sequence()?;
    items
        .iter()
        .map(|item| {
            let m = item.as_mapping()?;
            (m.len() == 1)
                .then(|| m.get("title").and_then(Value::as_str).map(str::to_string))
                .flatten()
        })
        .collect()
}

/// A source id or a list of them (`eeas-sdp` or `[eeas-sdp, gov-uk]`).
pub fn read_ids(v: &Value) -> Result<Vec<String>, String> {
    let ids = match v {
        Value::Sequence(_) => yaml::expect_string_list(v)?,
        _ => vec![expect_string(v)?],
    };
    for id in &ids {
        check_id(id)?;
    }
    Ok(ids)
}

fn entries(
    v: &Value,
    what: &str,
    keys: &[&str],
) -> Result<Vec<(usize, serde_yaml::Mapping)>, String> {
    let items = match v {
        Value::Sequence(items) => items,
        Value::Null => return Ok(Vec::new()),
        other => {
            return Err(format!(
                "expected a list of {what}s, found {}",
                yaml::kind_of(other)
            ));
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let Value::Mapping(m) = item else {
            return Err(format!(
                "{what} {n} must have {}, found {}",
                keys.join(", "),
                yaml::kind_of(item)
            ));
        };
        for k in m.keys() {
            let key = key_text(k);
            if !keys.contains(&key.as_str()) {
                let hint = did_you_mean(&key, keys.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "{what} {n} has unknown key `{key}`{hint}; a {what} takes {}",
                    keys.join(", ")
                ));
            }
        }
        out.push((n, m.clone()));
    }
    Ok(out)
}

fn date_of(m: &serde_yaml::Mapping, n: usize, what: &str) -> Result<Date, String> {
    let v = m
        .get("date")
        .ok_or_else(|| format!("{what} {n} has no `date:`"))?;
    expect_string(v)
        .and_then(|s| Date::parse(&s))
        .map_err(|e| format!("{what} {n}, `date`: {e}"))
}

fn text_of(m: &serde_yaml::Mapping, key: &str, n: usize, what: &str) -> Result<String, String> {
    let text = m
        .get(key)
        .map(expect_string)
        .transpose()
        .map_err(|e| format!("{what} {n}, `{key}`: {e}"))?
        .unwrap_or_default();
    if text.trim().is_empty() {
        return Err(format!("{what} {n} has no `{key}:`"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn reads_changes_and_events() {
        let c = read_changes(&yaml("- {date: 2026-03-01, note: Added Iceland}\n")).unwrap();
        assert_eq!(c[0].note, "Added Iceland");
        let e = read_events(&yaml(
            "- {date: 2025-03-19, title: White Paper, source: [a, b]}\n",
        ))
        .unwrap();
        assert_eq!(e[0].sources, ["a", "b"]);
    }

    #[test]
    fn refuses_incomplete_entries() {
        assert!(read_changes(&yaml("- {date: 2026-02-30, note: x}\n")).is_err());
        assert!(
            read_changes(&yaml("- {date: 2026-02-01}\n"))
                .unwrap_err()
                .contains("note")
        );
        let e = read_events(&yaml("- {date: 2026-02-01, title: x}\n")).unwrap_err();
        assert!(e.contains("no `source:`"), "{e}");
        let e = read_events(&yaml("- {date: 2026-02-01, titel: x, source: a}\n")).unwrap_err();
        assert!(e.contains("did you mean `title`"), "{e}");
    }
}
