//! Drawing one finding for a person: the header, the source line with the
//! mistake underlined, the notes and the hint (codespan-reporting draws it).
//!
//! Three things keep the report honest and its cost proportional to what it
//! shows:
//! - **One line, windowed.** Only the line at fault is handed to
//!   codespan-reporting, and a long line is cut to a window around the
//!   span (`…` marks the cuts), so a broken link on a 1 MB line prints a
//!   few hundred bytes, not the megabyte. Line and column numbers are the
//!   file's own: [`Snippet`] maps them back.
//! - **Each file read once.** Findings come sorted by file; [`Sources`]
//!   keeps the current file's text and line starts, so 20,000 findings in
//!   one file do not re-read and re-index it 20,000 times.
//! - **Nothing raw reaches the terminal.** File names, messages and the
//!   source line go through [`printable`](super::printable).

use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{Error, Files};
use codespan_reporting::term::{self, Config, termcolor::WriteColor};

use super::printable::{needs_escape, printable, push_printable};
use super::{Diagnostic, Location, Severity};

/// Largest file whose text is re-read to draw a snippet; bigger files are
/// reported by position only.
const SNIPPET_FILE_LIMIT: u64 = 4 * 1024 * 1024;
/// Lines longer than this (in characters) are shown as a window.
const MAX_LINE_CHARS: usize = 160;
/// Characters kept on each side of the span in a window.
const CONTEXT_CHARS: usize = 60;
/// The longest underline drawn in a window.
const MAX_UNDERLINE_CHARS: usize = 80;

/// Writes `d` to `out`.
pub(super) fn emit<W: WriteColor>(
    out: &mut W,
    d: &Diagnostic,
    sources: &mut Sources,
) -> Result<(), Error> {
    let name = printable(&d.file.display().to_string()).into_owned();
    let mut report = match d.severity {
        Severity::Error => Report::error(),
        Severity::Warning => Report::warning(),
    }
    .with_code(d.code)
    .with_message(printable(&d.message));

    let mut notes = Vec::new();
    let snippet = d.location.and_then(|location| {
        let line = sources.get(&d.file)?.line(location.line)?;
        Some(Snippet::new(name.clone(), line, location, d.length))
    });
    let snippet = match snippet {
        Some((snippet, label)) => {
            report = report.with_labels(vec![Label::primary((), label)]);
            snippet
        }
        None => {
            notes.push(format!("in {}", printable(&d.position())));
            Snippet::empty(name)
        }
    };
    notes.extend(d.notes.iter().map(|n| printable(n).into_owned()));
    if let Some(hint) = &d.hint {
        notes.push(format!("help: {}", printable(hint)));
    }
    let report = report.with_notes(notes);
    term::emit_to_write_style(out, &Config::default(), &snippet, &report)
}

/// The text of the file being reported on, kept while its findings are
/// drawn. Findings are sorted by file, so one file at a time is enough.
pub(super) struct Sources<'r> {
    root: &'r Path,
    current: Option<(PathBuf, Option<Source>)>,
}

struct Source {
    text: String,
    starts: Vec<usize>,
}

impl Source {
    /// Line `number` (1-based) without its line ending.
    fn line(&self, number: usize) -> Option<&str> {
        let start = *self.starts.get(number.checked_sub(1)?)?;
        let end = self.starts.get(number).map_or(self.text.len(), |&e| e - 1);
        let line = self.text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

impl<'r> Sources<'r> {
    pub(super) fn new(root: &'r Path) -> Self {
        Sources {
            root,
            current: None,
        }
    }

    fn get(&mut self, file: &Path) -> Option<&Source> {
        if self.current.as_ref().is_none_or(|(f, _)| f != file) {
            let loaded = read_for_snippet(&self.root.join(file));
            self.current = Some((file.to_path_buf(), loaded));
        }
        self.current.as_ref().and_then(|(_, s)| s.as_ref())
    }
}

fn read_for_snippet(path: &Path) -> Option<Source> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > SNIPPET_FILE_LIMIT {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let mut text = String::from_utf8(bytes).ok()?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    let starts = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    Some(Source { text, starts })
}

/// The one line a report shows, as codespan-reporting's file: printable,
/// windowed, and numbered as in the real file.
struct Snippet {
    name: String,
    text: String,
    line_number: usize,
    /// `(byte offset in text, column in the real line)` for each character
    /// shown, so the header's `line:col` is the file's.
    columns: Vec<(usize, usize)>,
}

impl Snippet {
    fn empty(name: String) -> Self {
        Snippet {
            name,
            text: String::new(),
            line_number: 1,
            columns: Vec::new(),
        }
    }

    /// The snippet for `length` characters at `location` of `line`, and the
    /// label's byte range in the snippet's text.
    fn new(name: String, line: &str, location: Location, length: usize) -> (Self, Range<usize>) {
        let count = line.chars().count();
        let first = location.column.min(count + 1); // 1-based, may be one past the end
        let length = length.max(1);
        let (from, to) = if count <= MAX_LINE_CHARS {
            (1, count + 1)
        } else {
            let shown_end = first + length.min(MAX_UNDERLINE_CHARS);
            (
                first.saturating_sub(CONTEXT_CHARS).max(1),
                (shown_end + CONTEXT_CHARS).min(count + 1),
            )
        };
        let mut snippet = Snippet {
            name,
            text: String::new(),
            line_number: location.line,
            columns: Vec::new(),
        };
        if from > 1 {
            snippet.push_marker(from);
        }
        let mut label = None;
        let label_end_column = first.saturating_add(length).min(to);
        let mut label_end = None;
        for (i, c) in line.chars().enumerate().skip(from - 1).take(to - from) {
            let column = i + 1;
            if column == first {
                label = Some(snippet.text.len());
            }
            if column == label_end_column {
                label_end = Some(snippet.text.len());
            }
            snippet.columns.push((snippet.text.len(), column));
            if needs_escape(c) {
                push_printable(&mut snippet.text, c);
            } else {
                snippet.text.push(c);
            }
        }
        let start = label.unwrap_or(snippet.text.len());
        let end = label_end.unwrap_or(snippet.text.len()).max(start);
        if to <= count {
            snippet.push_marker(to);
        }
        snippet.columns.push((snippet.text.len(), to));
        (snippet, start..end)
    }

    /// `…` where the line was cut, standing for the real column `column`.
    fn push_marker(&mut self, column: usize) {
        self.columns.push((self.text.len(), column));
        self.text.push('…');
    }
}

impl<'a> Files<'a> for Snippet {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, Error> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, Error> {
        Ok(self.line_number)
    }

    fn column_number(&'a self, (): (), _line: usize, byte_index: usize) -> Result<usize, Error> {
        let i = self
            .columns
            .partition_point(|&(offset, _)| offset <= byte_index);
        Ok(i.checked_sub(1).map_or(1, |i| self.columns[i].1))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        match line_index {
            0 => Ok(0..self.text.len()),
            given => Err(Error::LineTooLarge { given, max: 0 }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::term::termcolor::NoColor;

    fn draw(root: &Path, d: &Diagnostic) -> String {
        let mut out = NoColor::new(Vec::new());
        emit(&mut out, d, &mut Sources::new(root)).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn short_lines_are_shown_whole_with_the_files_numbers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "one\ntwo [x](@/nope.md) end\n").unwrap();
        let d = Diagnostic::error("E-LINK-BROKEN", "a.md", "broken")
            .at(Location::new(2, 5))
            .underline(14);
        let out = draw(dir.path(), &d);
        assert!(out.contains("a.md:2:5"), "{out}");
        assert!(out.contains("2 │ two [x](@/nope.md) end"), "{out}");
        assert!(out.contains("^^^^^^^^^^^^^^"), "{out}");
    }

    #[test]
    fn long_lines_are_windowed_around_the_span() {
        let dir = tempfile::tempdir().unwrap();
        let line = format!(
            "{}[x](@/nope.md){}",
            "word ".repeat(200_000),
            " word".repeat(200_000)
        );
        std::fs::write(dir.path().join("a.md"), format!("---\n{line}\n")).unwrap();
        let d = Diagnostic::error("E-LINK-BROKEN", "a.md", "broken")
            .at(Location::new(2, 1_000_001))
            .underline(14);
        let out = draw(dir.path(), &d);
        assert!(out.len() < 2_000, "{} bytes:\n{out}", out.len());
        assert!(out.contains("a.md:2:1000001"), "{out}");
        assert!(out.contains("…word word"), "{out}");
        assert!(out.contains("[x](@/nope.md) word"), "{out}");
        assert!(out.contains("^^^^^^^^^^^^^^"), "{out}");
    }

    #[test]
    fn names_messages_and_lines_cannot_reach_the_terminal_raw() {
        let dir = tempfile::tempdir().unwrap();
        let name = "evil\nerror[E-FAKE]: x\u{1b}[2J.md";
        std::fs::write(dir.path().join(name), "a \u{1b}[31m b\n").unwrap();
        let d = Diagnostic::error("E-X", name, "title \u{1b}]0;pwned\u{7}")
            .at(Location::new(1, 3))
            .hint("hint\nerror[E-FAKE2]: y");
        let out = draw(dir.path(), &d);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(!out.contains('\u{7}'), "{out:?}");
        assert!(!out.lines().any(|l| l.starts_with("error[E-FAKE")), "{out}");
        assert!(
            out.contains("evil\\nerror[E-FAKE]: x\\u{1b}[2J.md"),
            "{out}"
        );
        assert!(out.contains("a \\u{1b}[31m b"), "{out}");
    }

    #[test]
    fn a_missing_line_falls_back_to_the_position() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "one\n").unwrap();
        let d = Diagnostic::error("E-X", "a.md", "m").at(Location::new(9, 1));
        assert!(draw(dir.path(), &d).contains("in a.md:9:1"));
    }
}
