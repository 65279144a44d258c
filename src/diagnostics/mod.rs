//! Findings about the site's input, and how they are shown to the person who
//! has to fix them.
//!
//! Every stage reports problems by pushing a [`Diagnostic`] instead of
//! returning early, so one build tells an editor about every mistake at once.
//! A diagnostic always names a file (relative to the site root, as the editor
//! sees it in their file browser) and, where the input has one, a line and
//! column. Rendering is separate from collecting: the same list is printed in
//! colour on a terminal, plainly in a log, or (later) as JSON.

use std::cmp::Ordering;
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor;

mod codes;
mod printable;
mod report;

pub use codes::{COMPONENT_CODES, IMAGE_CODES, LINTS};
pub use printable::printable;

/// How bad a finding is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a text file, both 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(line: usize, column: usize) -> Self {
        Location {
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The location of byte `offset` in `text`, with `first_line` being the
    /// line number of the first line of `text` in its file.
    pub fn of_offset(text: &str, offset: usize, first_line: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = first_line + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location::new(line, column)
    }
}

/// Line starts of a text, for turning many byte offsets into locations
/// without rescanning the text each time.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    /// The text the offsets are in.
    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn new(text: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            first_line,
        }
    }

    pub fn location(&self, offset: usize) -> Location {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = self.text[self.starts[line]..offset].chars().count() + 1;
        Location::new(self.first_line + line, column)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One finding: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier such as `E-LINK-BROKEN`, for documentation and tooling.
    pub code: &'static str,
    /// The file at fault, relative to the site root where it is inside it.
    pub file: PathBuf,
    pub location: Option<Location>,
    /// How many characters from `location` the snippet underlines (at least one).
    pub length: usize,
    pub message: String,
    /// What the editor should do about it.
    pub hint: Option<String>,
    /// Further context, such as "while rendering content/index.md".
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            location: None,
            length: 1,
            message: message.into(),
            hint: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn at_line(self, line: usize) -> Self {
        self.at(Location::new(line, 1))
    }

    pub fn underline(mut self, length: usize) -> Self {
        self.length = length.max(1);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or as much of it as is known.
    pub fn position(&self) -> String {
        let file = self.file.display();
        match self.location {
            Some(l) => format!("{file}:{}:{}", l.line, l.column),
            None => file.to_string(),
        }
    }

    /// Where the underlined span ends (exclusive, on the same line).
    pub fn end(&self) -> Option<Location> {
        self.location
            .map(|l| Location::new(l.line, l.column.saturating_add(self.length.max(1))))
    }

    fn sort_key(&self) -> (&Path, Option<Location>, Severity, &str) {
        (&self.file, self.location, self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    /// One line, for logs and tests: `error[E-X]: file:1:2: message (hint: …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}[{}]: {}: {}",
            self.code,
            printable(&self.position()),
            printable(&self.message)
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", printable(hint))?;
        }
        Ok(())
    }
}

/// Every finding of one run, in the order they are shown: by file, then line.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorts by file and position and drops exact repeats, so output is
    /// stable whatever order parallel stages finished in.
    pub fn sorted(mut self) -> Self {
        self.items
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then(Ordering::Equal));
        self.items.dedup();
        self
    }

    /// How many files have at least one error.
    pub fn files_with_errors(&self) -> usize {
        let files: std::collections::HashSet<&Path> = self
            .items
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.file.as_path())
            .collect();
        files.len()
    }

    /// The closing line: `2 errors in 1 file, 1 warning`.
    pub fn summary(&self) -> String {
        let errors = self.error_count();
        let warnings = self.warning_count();
        let mut out = format!(
            "{} in {}",
            plural(errors, "error"),
            plural(self.files_with_errors(), "file")
        );
        if warnings > 0 {
            out.push_str(&format!(", {}", plural(warnings, "warning")));
        }
        out
    }

    /// Prints every finding with a source snippet, then the summary, to stderr.
    /// Colour is used only when stderr is a terminal and `NO_COLOR` is unset.
    pub fn print(&self, root: &Path) {
        let colour = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let choice = if colour {
            termcolor::ColorChoice::Auto
        } else {
            termcolor::ColorChoice::Never
        };
        let mut stream = termcolor::StandardStream::stderr(choice);
        let mut sources = report::Sources::new(root);
        for diagnostic in &self.items {
            if report::emit(&mut stream, diagnostic, &mut sources).is_err() {
                // The snippet could not be drawn: the one-line form still
                // says everything that matters.
                let _ = writeln!(stream, "{diagnostic}");
            }
        }
    }

    /// The same output as [`Diagnostics::print`], without colour, as a string.
    pub fn to_plain_string(&self, root: &Path) -> String {
        let mut out = termcolor::NoColor::new(Vec::new());
        let mut sources = report::Sources::new(root);
        for diagnostic in &self.items {
            if report::emit(&mut out, diagnostic, &mut sources).is_err() {
                let _ = writeln!(out, "{diagnostic}");
            }
        }
        String::from_utf8_lossy(&out.into_inner()).into_owned()
    }

    /// Every finding as a JSON array of objects with `severity`, `code`,
    /// `file`, `line`, `column`, `end_line`, `end_column` (null when
    /// unknown; the end is exclusive, on the same line), `message`, `hint`
    /// and `notes`, for editors' tools and the dev server's overlay.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.json_items()).unwrap_or_else(|_| "[]".into())
    }

    /// What `--format json` prints: `{"findings": [...], "summary": {...}}`,
    /// the summary counting errors, warnings and the files with errors, and
    /// giving the closing line as text.
    pub fn to_json_with_summary(&self) -> String {
        let summary = serde_json::json!({
            "errors": self.error_count(),
            "warnings": self.warning_count(),
            "files_with_errors": self.files_with_errors(),
            "text": self.summary(),
        });
        let value = serde_json::json!({ "findings": self.json_items(), "summary": summary });
        serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into())
    }

    fn json_items(&self) -> Vec<serde_json::Value> {
        self.items
            .iter()
            .map(|d| {
                let end = d.end();
                serde_json::json!({
                    "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                    "code": d.code,
                    "file": d.file.to_string_lossy().replace('\\', "/"),
                    "line": d.location.map(|l| l.line),
                    "column": d.location.map(|l| l.column),
                    "end_line": end.map(|l| l.line),
                    "end_column": end.map(|l| l.column),
                    "message": d.message,
                    "hint": d.hint,
                    "notes": d.notes,
                })
            })
            .collect()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_of_offset_counts_lines_and_characters() {
        let text = "ab\nçd\nef";
        assert_eq!(Location::of_offset(text, 0, 1), Location::new(1, 1));
        assert_eq!(Location::of_offset(text, 5, 1), Location::new(2, 2));
        assert_eq!(Location::of_offset(text, 7, 10), Location::new(12, 1));
        // Past the end or inside a character: clamped, never a panic.
        assert_eq!(Location::of_offset(text, 99, 1), Location::new(3, 3));
        assert_eq!(Location::of_offset(text, 4, 1), Location::new(2, 1));
    }

    #[test]
    fn line_index_agrees_with_of_offset() {
        let text = "ab\nçd\n\nef";
        let index = LineIndex::new(text, 3);
        for offset in 0..=text.len() + 2 {
            assert_eq!(index.location(offset), Location::of_offset(text, offset, 3));
        }
    }

    #[test]
    fn sorted_orders_by_file_then_line() {
        let d: Diagnostics = vec![
            Diagnostic::error("E", "b.md", "x").at_line(1),
            Diagnostic::error("E", "a.md", "y").at_line(9),
            Diagnostic::error("E", "a.md", "z").at_line(2),
        ]
        .into_iter()
        .collect();
        let order: Vec<String> = d.sorted().iter().map(|d| d.position()).collect();
        assert_eq!(order, ["a.md:2:1", "a.md:9:1", "b.md:1:1"]);
    }

    #[test]
    fn summary_counts_errors_files_and_warnings() {
        let d: Diagnostics = vec![
            Diagnostic::error("E", "a.md", "x"),
            Diagnostic::error("E", "a.md", "y"),
            Diagnostic::warning("W", "b.md", "z"),
        ]
        .into_iter()
        .collect();
        assert_eq!(d.summary(), "2 errors in 1 file, 1 warning");
    }

    #[test]
    fn json_has_every_field() {
        let d: Diagnostics = vec![
            Diagnostic::error("E-X", "content/a.md", "bad \"thing\"")
                .at(Location::new(3, 4))
                .hint("fix it"),
            Diagnostic::warning("W-Y", "site.yaml", "meh"),
        ]
        .into_iter()
        .collect();
        let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(v[0]["severity"], "error");
        assert_eq!(v[0]["code"], "E-X");
        assert_eq!(v[0]["file"], "content/a.md");
        assert_eq!(v[0]["line"], 3);
        assert_eq!(v[0]["column"], 4);
        assert_eq!(v[0]["end_line"], 3);
        assert_eq!(v[0]["end_column"], 5);
        assert_eq!(v[0]["message"], "bad \"thing\"");
        assert_eq!(v[0]["hint"], "fix it");
        assert!(v[1]["line"].is_null());
        assert!(v[1]["hint"].is_null());
        assert!(v[1]["end_column"].is_null());
        let whole: serde_json::Value = serde_json::from_str(&d.to_json_with_summary()).unwrap();
        assert_eq!(whole["findings"], v);
        assert_eq!(whole["summary"]["errors"], 1);
        assert_eq!(whole["summary"]["warnings"], 1);
        assert_eq!(whole["summary"]["files_with_errors"], 1);
        assert_eq!(whole["summary"]["text"], "1 error in 1 file, 1 warning");
    }
}
