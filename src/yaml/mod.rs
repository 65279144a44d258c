//! YAML as dossier reads it: `site.yaml` and page front matter.
//!
//! Both are parsed into a generic mapping first and checked key by key
//! afterwards, instead of deserialising straight into a struct. That is what
//! lets a build report *every* bad key of a file in one pass (serde stops at
//! the first) and point each one at its own line.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Location;

mod explain;

/// A YAML syntax error, positioned in the file the YAML came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub location: Location,
    pub message: String,
    pub hint: Option<String>,
    /// Where the parser noticed the problem, when that is not where the
    /// mistake was found to be.
    pub note: Option<String>,
}

/// Parses `text` as a YAML mapping. `first_line` is the file line the text
/// starts on, so error positions are file positions. Empty text is an empty
/// mapping. The parser's own limits turn alias bombs and absurd nesting into
/// errors rather than exhausted memory or stack.
pub fn parse_mapping(text: &str, first_line: usize) -> Result<Mapping, YamlError> {
    if text.trim().is_empty() {
        return Ok(Mapping::new());
    }
    match serde_yaml::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(other) => Err(YamlError {
            location: Location::new(first_line, 1),
            message: format!("expected `key: value` lines, found {}", kind_of(&other)),
            hint: Some("write one `key: value` pair per line, e.g. `title: My page`".into()),
            note: None,
        }),
        Err(e) => Err(syntax_error(&e, text, first_line)),
    }
}

fn syntax_error(e: &serde_yaml::Error, text: &str, first_line: usize) -> YamlError {
    let location = e
        .location()
        .map(|l| Location::new(first_line + l.line() - 1, l.column()))
        .unwrap_or_else(|| Location::new(first_line, 1));
    // serde_yaml appends " at line L column C"; the diagnostic carries that.
    let raw = e.to_string();
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    if let Some(found) = e
        .location()
        .and_then(|l| explain::explain(&message, l.line(), l.column(), text))
    {
        let noticed = format!(
            "the YAML parser noticed it at line {}, column {} ({message})",
            location.line, location.column
        );
        let moved = found.line + first_line - 1 != location.line;
        return YamlError {
            location: Location::new(found.line + first_line - 1, found.column),
            message: format!("invalid YAML: {}", found.message),
            hint: Some(found.hint),
            note: moved.then_some(noticed),
        };
    }
    let hint = hint_for(&message, text);
    // The parser points duplicates at the start of the mapping; the editor
    // needs the line of the repeated key.
    let location = duplicate_key(&message)
        .and_then(|key| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| top_level_key(line) == Some(key))
                .nth(1)
                .map(|(i, _)| Location::new(first_line + i, 1))
        })
        .unwrap_or(location);
    YamlError {
        location,
        message: format!("invalid YAML: {message}"),
        hint,
        note: None,
    }
}

/// `duplicate entry with key "title"` → `title`.
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = message.split("duplicate entry with key \"").nth(1)?;
    rest.split('"').next()
}

/// Advice for the YAML mistakes editors actually make.
fn hint_for(message: &str, text: &str) -> Option<String> {
    let m = message.to_ascii_lowercase();
    let hint = if m.contains("duplicate") {
        "each key may appear only once; delete or rename the repeated one"
    } else if m.contains("repetition limit") || m.contains("recursion limit") {
        "this YAML expands to too much data (aliases or nesting); write the values out plainly"
    } else if text.contains('\t') && (m.contains("tab") || m.contains("cannot start any token")) {
        "YAML does not allow tab characters for indentation; indent with spaces"
    } else if m.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. title: \"Defence: the report\""
    } else if m.contains("did not find expected") || m.contains("could not find expected") {
        "check the quotes, brackets and indentation on this line and the one before"
    } else {
        return None;
    };
    Some(hint.to_string())
}

/// Reads text; numbers and booleans are accepted as their written form,
/// since editors rarely think of `title: 2026` as anything but text.
pub fn expect_string(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("expected text, found {}", kind_of(other))),
    }
}

pub fn expect_bool(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(format!(
            "expected `true` or `false`, found {}",
            kind_of(other)
        )),
    }
}

pub fn expect_integer(value: &Value) -> Result<i64, String> {
    match value {
        Value::Number(n) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or_default()),
        other => Err(format!("expected a whole number, found {}", kind_of(other))),
    }
}

/// A list of texts; a single text is accepted as a list of one.
pub fn expect_string_list(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Sequence(items) => items
            .iter()
            .map(|item| expect_string(item).map_err(|e| format!("in the list: {e}")))
            .collect(),
        Value::String(s) => Ok(vec![s.clone()]),
        other => Err(format!("expected a list, found {}", kind_of(other))),
    }
}

/// The key of a mapping entry as text (YAML allows other keys; we do not).
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => expect_string(other).unwrap_or_else(|_| format!("<{}>", kind_of(other))),
    }
}

/// Converts free-form YAML (`extra`) to JSON-like data for templates.
pub fn to_json(value: &Value) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|e| format!("cannot use this value in templates: {e}"))
}

/// A short English name for the kind of a YAML value, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The file line on which top-level `key` is written in `text`, if it can be
/// found. Used only to point diagnostics at the right line; a key written in
/// an unusual style (flow mapping, complex key) falls back to `first_line`.
pub fn key_line(text: &str, key: &str, first_line: usize) -> usize {
    text.lines()
        .position(|line| top_level_key(line) == Some(key))
        .map_or(first_line, |i| first_line + i)
}

/// The file line of every top-level key in `text` (the first, for a key
/// written twice), found in one pass: looking each key up with
/// [`key_line`] is quadratic in the number of keys (20,000 unknown keys
/// took 23 s).
pub fn key_lines(text: &str, first_line: usize) -> std::collections::HashMap<&str, usize> {
    let mut lines = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(key) = top_level_key(line) {
            lines.entry(key).or_insert(first_line + i);
        }
    }
    lines
}

fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_whitespace() || first == '#' || first == '-' {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim_end();
    let unquoted = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')));
    Some(unquoted.unwrap_or(key))
}

/// The closest of `candidates` to a misspelt `word`, if one is close enough
/// to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_mapping_and_treats_empty_as_empty() {
        assert_eq!(parse_mapping("", 2).unwrap().len(), 0);
        assert_eq!(parse_mapping("a: 1\nb: x\n", 2).unwrap().len(), 2);
    }

    #[test]
    fn syntax_errors_are_positioned_in_the_file() {
        let err = parse_mapping("title: ok\nbad: [unclosed\n", 2).unwrap_err();
        assert!(err.location.line >= 3, "{err:?}");
        assert!(err.message.starts_with("invalid YAML"));
    }

    #[test]
    fn a_list_is_not_front_matter() {
        let err = parse_mapping("- a\n- b\n", 2).unwrap_err();
        assert!(err.message.contains("a list"));
    }

    #[test]
    fn tabs_get_a_hint() {
        let err = parse_mapping("title: x\n\tweight: 2\n", 2).unwrap_err();
        assert!(err.hint.unwrap().contains("tab"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse_mapping("description: d\ntitle: a\nweight: 1\ntitle: b\n", 2).unwrap_err();
        assert_eq!(err.location.line, 5, "the repeated key's line");
        assert!(err.hint.unwrap().contains("only once"), "{}", err.message);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            text.push_str(&format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse_mapping(&text, 2).is_err());
    }

    #[test]
    fn key_line_finds_top_level_keys_only() {
        let text = "title: x\nextra:\n  weight: 1\nweight: 3\n";
        assert_eq!(key_line(text, "weight", 2), 5);
        assert_eq!(key_line(text, "missing", 2), 2);
        assert_eq!(key_line("\"date\": 2024-01-01", "date", 7), 7);
        let all = key_lines(text, 2);
        assert_eq!(all.get("weight"), Some(&5));
        assert_eq!(all.get("missing"), None);
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }
}
