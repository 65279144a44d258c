//! A template error caused by a page's value is the page's mistake.
//!
//! When `{{ page.extra.population | round }}` fails because an editor wrote
//! `population: “5”` (typographic quotes make it text, not a number), Tera
//! reports the template. The editor cannot fix the template and may not
//! know it exists; the mistake is on a line of their own file. So when a
//! failing expression reads a value of the page being rendered
//! (`page.<key>`, `page.extra.<key>`, `page.fields.<key>`, or `section.…`
//! for a section), the finding moves to that key's line in the content
//! file, and the template's position becomes a note.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Location};
use crate::load::{self, FrontMatter};

use super::TEMPLATES_DIR;

/// `d` at the content line it comes from, if the failing expression reads
/// one of the front matter keys of `source`; else `d` unchanged.
pub(super) fn at_content(
    d: Diagnostic,
    templates: &HashMap<String, String>,
    source: &str,
    front: &FrontMatter,
) -> Diagnostic {
    let Some(key) =
        failing_key(&d, templates).filter(|k| front.key_lines.iter().any(|(n, _)| n == k))
    else {
        return d;
    };
    let line = front.line_of(&key);
    let template_at = d.position();
    let mut moved = Diagnostic::error(
        d.code,
        load::content_path(source),
        format!("`{key}` cannot be used by the template: {}", d.message),
    )
    .at(Location::new(line, 1))
    .underline(key.chars().count())
    .hint(
        "check the value's type and characters: typographic quotes (“ ”, ‘ ’) are text, not quotes; a number or date must be written plainly",
    )
    .note(format!("the template that failed: {template_at}"));
    moved.severity = d.severity;
    moved.notes.extend(d.notes);
    moved
}

/// The front matter key the expression at `d`'s position reads, if any.
fn failing_key(d: &Diagnostic, templates: &HashMap<String, String>) -> Option<String> {
    let name = d.file.strip_prefix(TEMPLATES_DIR).ok()?;
    let name = name.to_str()?.replace('\\', "/");
    let text = templates.get(name.trim_start_matches('/'))?;
    let location = d.location?;
    let line = text.lines().nth(location.line.checked_sub(1)?)?;
    // Tera's span may cover only the start of the expression (`page`):
    // read on to the end of the tag.
    let from: String = line
        .chars()
        .skip(location.column.saturating_sub(1))
        .collect();
    let expression = from.split("}}").next().unwrap_or(&from);
    key_read_in(expression)
}

/// In an expression, the first `page.a.b…` or `section.a.b…` path, as the
/// front matter key it comes from: `extra` and `fields` lead to the key
/// below them (`page.fields.status` reads `status`; `page.extra.x` reads
/// `extra`, the one key that holds it).
fn key_read_in(expression: &str) -> Option<String> {
    let start = ["page.", "section."]
        .iter()
        .filter_map(|p| {
            expression.match_indices(p).find(|(i, _)| {
                *i == 0 || !expression[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
        .map(|(i, p)| i + p.len())
        .min()?;
    let path: Vec<&str> = expression[start..]
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .next()?
        .split('.')
        .filter(|s| !s.is_empty())
        .collect();
    match path.as_slice() {
        ["fields", key, ..] => Some(key.to_string()),
        [first, ..] => Some(first.to_string()),
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_an_expression_reads() {
        assert_eq!(
            key_read_in("page.extra.population | round").as_deref(),
            Some("extra")
        );
        assert_eq!(
            key_read_in("{{ page.fields.status }}").as_deref(),
            Some("status")
        );
        assert_eq!(
            key_read_in("section.title | upper").as_deref(),
            Some("title")
        );
        assert_eq!(key_read_in("mypage.title"), None);
        assert_eq!(key_read_in("config.title"), None);
    }
}
