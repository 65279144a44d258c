//! TOML front matter (between `+++` lines, Zola's and Hugo's default), read
//! into the same generic mapping as YAML front matter, so that every key is
//! checked by the same code (`front_matter::Reader`) with the same messages.
//!
//! Parsing is the `toml` crate's; this module converts its values and finds
//! the line of each top-level key, as `yaml::key_lines` does for YAML.

use std::collections::HashMap;

use serde_yaml::{Mapping, Number, Value};

use crate::diagnostics::Location;

/// A TOML syntax error at its file position.
#[derive(Debug)]
pub struct TomlError {
    pub message: String,
    pub location: Location,
}

/// Parses `text` (whose first line is file line `first_line`) to a mapping.
/// Dates and date-times become `YYYY-MM-DD` text (dossier's dates are
/// days; a time of day is dropped), so `date = 2024-01-01` reads like YAML's.
pub fn parse_mapping(text: &str, first_line: usize) -> Result<Mapping, TomlError> {
    match text.parse::<toml::Table>() {
        Ok(table) => Ok(table_to_mapping(table)),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start).min(text.len());
            let before = &text[..floor_boundary(text, offset)];
            let line = first_line + before.matches('\n').count();
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(TomlError {
                message: format!("the front matter is not valid TOML: {}", e.message().trim()),
                location: Location::new(line, column),
            })
        }
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn table_to_mapping(table: toml::Table) -> Mapping {
    table
        .into_iter()
        .map(|(k, v)| (Value::String(k), to_yaml(v)))
        .collect()
}

fn to_yaml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(Number::from(i)),
        toml::Value::Float(f) => Value::Number(Number::from(f)),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(match d.date {
            Some(date) => date.to_string(),
            None => d.to_string(),
        }),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(to_yaml).collect()),
        toml::Value::Table(t) => Value::Mapping(table_to_mapping(t)),
    }
}

/// The file line of every top-level key: `key = …` lines before the first
/// table header, and the first `[key…]` or `[[key…]]` header of each table.
/// Lines inside multi-line strings are skipped.
pub fn key_lines(text: &str, first_line: usize) -> HashMap<&str, usize> {
    let mut lines = HashMap::new();
    let mut in_tables = false;
    let mut open: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(quote) = open {
            if line.matches(quote).count() % 2 == 1 {
                open = None;
            }
            continue;
        }
        for quote in ["\"\"\"", "'''"] {
            if line.matches(quote).count() % 2 == 1 {
                open = Some(quote);
            }
        }
        let trimmed = line.trim_start();
        let key = if let Some(header) = trimmed.strip_prefix('[') {
            in_tables = true;
            let header = header.trim_start_matches('[');
            header.split([']', '.']).next().map(str::trim)
        } else if !in_tables && !trimmed.starts_with('#') {
            trimmed
                .split_once('=')
                .map(|(k, _)| k.split('.').next().unwrap_or(k).trim())
        } else {
            None
        };
        if let Some(key) = key.map(unquote).filter(|k| !k.is_empty()) {
            lines.entry(key).or_insert(first_line + i);
        }
    }
    lines
}

fn unquote(key: &str) -> &str {
    key.strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_like_yaml_and_finds_key_lines() {
        let text = "title = \"Japan\"\ndate = 2024-01-01\nupdated = 2024-02-03T10:00:00Z\nweight = 3\ntags = [\"a\", \"b\"]\nbody = \"\"\"\nnot = a key\n\"\"\"\n\n[extra]\nk = \"v\"\n[[sources]]\ntitle = \"EEAS\"\n";
        let m = parse_mapping(text, 2).unwrap();
        assert_eq!(m.get("date"), Some(&Value::String("2024-01-01".into())));
        assert_eq!(m.get("updated"), Some(&Value::String("2024-02-03".into())));
        assert!(matches!(m.get("sources"), Some(Value::Sequence(s)) if s.len() == 1));
        let keys: Vec<&str> = m.keys().filter_map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "title", "date", "updated", "weight", "tags", "body", "extra", "sources"
            ]
        );
        let lines = key_lines(text, 2);
        assert_eq!(lines["title"], 2);
        assert_eq!(lines["tags"], 6);
        assert_eq!(lines["extra"], 11);
        assert_eq!(lines["sources"], 13);
        assert!(!lines.contains_key("not"));
        assert!(!lines.contains_key("k"));
    }

    #[test]
    fn syntax_errors_are_at_their_line_and_column() {
        let e = parse_mapping("title = \"x\"\nweight = = 3\n", 2).unwrap_err();
        assert_eq!(e.location.line, 3, "{e:?}");
        assert!(e.location.column > 1, "{e:?}");
        let e = parse_mapping("title = \"x\"\ntitle = \"y\"\n", 2).unwrap_err();
        assert_eq!(e.location.line, 3, "{e:?}");
        assert!(e.message.contains("duplicate"), "{e:?}");
    }
}
