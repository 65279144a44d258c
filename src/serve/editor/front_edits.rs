//! The form's changes as minimal line edits of the front matter's YAML
//! text, never a re-serialised mapping: comments, key order, blank lines
//! and the quoting of every value the form did not change stay as the
//! author wrote them.
//!
//! A top-level entry is its key line (`key: …` at column 0) and the lines
//! after it that are indented or start with `-` (a block list written at
//! column 0). A changed one-line scalar keeps its line: only the value is
//! replaced, in the quoting style it had (double, single, or plain when
//! plain reads back as the same string), and a trailing `# comment` stays.
//! A changed list keeps its style (flow `[a, b]` or one `- item` a line, at
//! the indentation the items had). A removed key loses exactly its entry's
//! lines; a new key is appended at the end.

use serde_yaml::Value as Yaml;

/// A value from the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Bool(bool),
    List(Vec<String>),
}

/// `yaml` (the text between the `---` lines) with each change applied:
/// `Some` sets the key, `None` removes it.
pub fn apply(yaml: &str, changes: &[(String, Option<Value>)]) -> String {
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    for (key, value) in changes {
        let entry = find_entry(&lines, key);
        match (entry, value) {
            (Some((start, end)), None) => {
                lines.drain(start..=end);
            }
            (Some((start, end)), Some(value)) => {
                let new = replace_entry(&lines[start..=end], key, value);
                lines.splice(start..=end, new);
            }
            (None, Some(value)) => lines.extend(render_entry(key, value, Style::default())),
            (None, None) => {}
        }
    }
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The first and last line of `key`'s top-level entry.
fn find_entry(lines: &[String], key: &str) -> Option<(usize, usize)> {
    let start = lines.iter().position(|line| key_of(line) == Some(key))?;
    let mut end = start;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t', '-']) {
            end = i;
        } else {
            break;
        }
    }
    Some((start, end))
}

/// The key a top-level line starts, if it starts one.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with('-');
    let after = &line[key.len() + 1..];
    (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(key)
}

/// How the old value was written, for the new one.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Quote {
    #[default]
    Plain,
    Double,
    Single,
}

#[derive(Debug, Clone, Default)]
struct Style {
    quote: Quote,
    flow: bool,
    /// What comes before `- ` on each list item line.
    indent: Option<String>,
}

fn replace_entry(entry: &[String], key: &str, value: &Value) -> Vec<String> {
    let line = &entry[0];
    let after = &line[key.len() + 1..];
    let gap_len = after.len() - after.trim_start().len();
    let gap = if gap_len == 0 { " " } else { &after[..gap_len] };
    let (old, comment) = split_comment(after.trim_start());
    let mut style = Style {
        quote: match old.chars().next() {
            Some('"') => Quote::Double,
            Some('\'') => Quote::Single,
            _ => Quote::Plain,
        },
        flow: old.starts_with('['),
        indent: None,
    };
    let one_line = entry.len() == 1 && !old.is_empty() && !old.starts_with(['|', '>']);
    let scalar = matches!(value, Value::Text(_) | Value::Bool(_));
    if one_line && (scalar || style.flow) {
        let rendered = render_value(value, &style);
        return vec![format!("{key}:{gap}{rendered}{comment}")];
    }
    if let Value::List(_) = value {
        style.indent = entry[1..]
            .iter()
            .find_map(|l| l.find("- ").map(|at| l[..at].to_string()))
            .filter(|indent| indent.trim().is_empty());
        style.quote = entry[1..]
            .iter()
            .find_map(|l| l.trim_start().strip_prefix("- "))
            .map_or(Quote::Plain, |item| match item.chars().next() {
                Some('"') => Quote::Double,
                Some('\'') => Quote::Single,
                _ => Quote::Plain,
            });
    }
    render_entry(key, value, style)
}

/// `value` and what follows it on the line (a `# comment` with the spaces
/// before it), for a value that starts at the beginning of `rest`.
fn split_comment(rest: &str) -> (&str, &str) {
    let end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => {
            // The closing quote; `\"` escapes in double quotes, `''` in single.
            let bytes = rest.as_bytes();
            let mut i = 1;
            let mut close = None;
            while i < bytes.len() {
                let b = bytes[i];
                if q == '"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == q as u8 {
                    if q == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    close = Some(i + 1);
                    break;
                }
                i += 1;
            }
            close.unwrap_or(rest.len())
        }
        _ => rest.find(" #").unwrap_or(rest.len()),
    };
    let value = rest[..end].trim_end();
    (value, &rest[value.len()..])
}

fn render_entry(key: &str, value: &Value, style: Style) -> Vec<String> {
    match value {
        Value::List(items) if !items.is_empty() && !style.flow => {
            let indent = style.indent.clone().unwrap_or_else(|| "  ".into());
            let mut lines = vec![format!("{key}:")];
            lines.extend(
                items
                    .iter()
                    .map(|item| format!("{indent}- {}", scalar(item, style.quote, false))),
            );
            lines
        }
        _ => vec![format!("{key}: {}", render_value(value, &style))],
    }
}

fn render_value(value: &Value, style: &Style) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Text(text) => scalar(text, style.quote, false),
        Value::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| scalar(item, style.quote, true))
                .collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// `text` as a YAML scalar in the `wanted` style when that is safe, else
/// double-quoted.
fn scalar(text: &str, wanted: Quote, in_flow: bool) -> String {
    let double = || double_quoted(text);
    let printable = text.chars().all(|c| c != '\t' && yaml_printable(c));
    match wanted {
        Quote::Double => double(),
        Quote::Single if printable => format!("'{}'", text.replace('\'', "''")),
        Quote::Plain if printable && plain_reads_back(text, in_flow) => text.to_string(),
        _ => double(),
    }
}

/// YAML's printable characters, which may appear raw in a scalar.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// A double-quoted YAML scalar: every character YAML does not allow raw
/// (controls, DEL, C1, U+FFFE/FFFF) escaped, as are `"`, `\\` and line ends.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if yaml_printable(c) && c != '\u{85}' => out.push(c),
            c => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Whether `text` written plain reads back as that same string.
fn plain_reads_back(text: &str, in_flow: bool) -> bool {
    if text.is_empty()
        || text.trim() != text
        || (in_flow && text.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    let line = format!("k: {text}");
    matches!(
        serde_yaml::from_str::<Yaml>(&line),
        Ok(Yaml::Mapping(m)) if m.get("k") == Some(&Yaml::String(text.to_string()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "# The partner page.\ntitle: \"Japan\"   # shown in the list\nstatus: concluded\nsigned: 2024-11-01\nareas:\n  - maritime security\n  - 'cyber'\ntags: [asia, navy]\n\n# optional\nsignatories:\n- A\n- B\nweight: 3\n";

    fn text(s: &str) -> Option<Value> {
        Some(Value::Text(s.into()))
    }

    fn list(items: &[&str]) -> Option<Value> {
        Some(Value::List(items.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn nothing_changed_is_the_same_text() {
        assert_eq!(apply(YAML, &[]), YAML);
    }

    #[test]
    fn a_scalar_keeps_its_line_quoting_and_comment() {
        let out = apply(YAML, &[("title".into(), text("Japan and \"Korea\""))]);
        let expected = YAML.replace(
            "title: \"Japan\"   # shown",
            "title: \"Japan and \\\"Korea\\\"\"   # shown",
        );
        assert_eq!(out, expected);
        let out = apply(YAML, &[("status".into(), text("signed_after_vote"))]);
        assert_eq!(
            out,
            YAML.replace("status: concluded", "status: signed_after_vote")
        );
        // Plain only while it reads back as the same string.
        let out = apply(YAML, &[("status".into(), text("yes: no"))]);
        assert!(out.contains("status: \"yes: no\"\n"), "{out}");
        let out = apply(YAML, &[("status".into(), text("true"))]);
        assert!(out.contains("status: \"true\"\n"), "{out}");
    }

    #[test]
    fn lists_keep_their_style_and_indentation() {
        let out = apply(YAML, &[("areas".into(), list(&["cyber", "space"]))]);
        assert!(out.contains("areas:\n  - cyber\n  - space\ntags:"), "{out}");
        let out = apply(YAML, &[("tags".into(), list(&["asia", "a, b"]))]);
        assert!(out.contains("tags: [asia, \"a, b\"]\n"), "{out}");
        let out = apply(YAML, &[("signatories".into(), list(&["C"]))]);
        assert!(
            out.contains("# optional\nsignatories:\n- C\nweight: 3\n"),
            "{out}"
        );
    }

    #[test]
    fn removing_takes_exactly_the_entry_and_new_keys_go_last() {
        let out = apply(YAML, &[("areas".into(), None)]);
        assert_eq!(
            out,
            YAML.replace("areas:\n  - maritime security\n  - 'cyber'\n", "")
        );
        let out = apply(
            YAML,
            &[
                ("region".into(), text("Indo-Pacific")),
                ("draft".into(), Some(Value::Bool(true))),
            ],
        );
        assert_eq!(out, format!("{YAML}region: Indo-Pacific\ndraft: true\n"));
        assert_eq!(apply("", &[("title".into(), text("A"))]), "title: A\n");
    }

    #[test]
    fn the_result_parses_to_the_values_given() {
        let tricky = [
            "# hash",
            "a'b",
            "- dash",
            "@at",
            "multi\nline",
            "é ü",
            "[x]",
        ];
        for value in tricky {
            let out = apply(YAML, &[("title".into(), text(value))]);
            let parsed: Yaml = serde_yaml::from_str(&out).unwrap();
            assert_eq!(parsed["title"], Yaml::String(value.into()), "{out}");
            let out = apply(YAML, &[("areas".into(), list(&[value, "b"]))]);
            let parsed: Yaml = serde_yaml::from_str(&out).unwrap();
            assert_eq!(parsed["areas"][0], Yaml::String(value.into()), "{out}");
            let out = apply(YAML, &[("tags".into(), list(&[value]))]);
            let parsed: Yaml = serde_yaml::from_str(&out).unwrap();
            assert_eq!(parsed["tags"][0], Yaml::String(value.into()), "{out}");
        }
    }

    proptest::proptest! {
        /// Whatever text the form holds, the YAML reads back as that text,
        /// and every other entry keeps its lines.
        #[test]
        fn any_value_reads_back_and_the_rest_is_untouched(value in "(?s).{0,40}", item in "(?s).{0,20}") {
            let out = apply(YAML, &[("status".into(), text(&value)), ("areas".into(), list(&[&item]))]);
            let parsed: Yaml = serde_yaml::from_str(&out).unwrap();
            proptest::prop_assert_eq!(&parsed["status"], &Yaml::String(value.clone()));
            proptest::prop_assert_eq!(&parsed["areas"][0], &Yaml::String(item.clone()));
            for kept in ["title: \"Japan\"   # shown in the list\n", "tags: [asia, navy]\n\n# optional\nsignatories:\n- A\n- B\nweight: 3\n"] {
                proptest::prop_assert!(out.contains(kept), "{}", out);
            }
        }
    }
}
