//! YAML syntax errors in plain words, at the line where the mistake is.
//!
//! The YAML parser reports where it *noticed* a problem, in its own terms:
//! an unclosed `[` on line 3 is "did not find expected ',' or ']'" at line
//! 4, an unclosed quote is "found unexpected end of stream" at the end of the
//! front matter, a missing colon is "could not find expected ':'" on the line
//! after. Editors need the line they got wrong. [`explain`] scans the text up
//! to the parser's position, keeping track of open brackets and quotes the
//! way YAML does (roughly: enough for the mistakes people make), and, where
//! it recognises the mistake, moves the report there and says what to do.
//! The parser's own position stays in a note.

/// A better account of a syntax error: where, what, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// Line and column within the YAML text, both 1-based.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

/// Something opened and not yet closed, with where it was opened (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Opener {
    what: char,
    line: usize,
    column: usize,
}

/// Open brackets and quotes just before `(line, column)` of `text`.
#[derive(Debug, Default)]
struct OpenState {
    brackets: Vec<Opener>,
    quote: Option<Opener>,
}

/// Explains the parser's `message` at `(line, column)` (1-based, within
/// `text`), if the mistake is one this module knows.
pub fn explain(message: &str, line: usize, column: usize, text: &str) -> Option<Explained> {
    let lines: Vec<&str> = text.lines().collect();
    let open = open_before(&lines, line, column);
    if let Some(q) = open
        .quote
        .filter(|q| q.line < line || message.contains("end of stream"))
    {
        return Some(Explained {
            line: q.line,
            column: q.column,
            message: format!("the quotation mark {} opened here is never closed", q.what),
            hint: format!(
                "end the text with a matching {}, e.g. title: {}My page{}",
                q.what, q.what, q.what
            ),
        });
    }
    if let Some(b) = open.brackets.last().filter(|b| b.line < line) {
        let (close, example) = if b.what == '[' {
            (']', "tags: [one, two]")
        } else {
            ('}', "feed: { limit: 20 }")
        };
        return Some(Explained {
            line: b.line,
            column: b.column,
            message: format!("the `{}` opened here is never closed", b.what),
            hint: format!("close it with `{close}` on the same line, e.g. `{example}`"),
        });
    }
    let m = message.to_ascii_lowercase();
    if m.contains("could not find expected ':'") {
        let missing = (1..=line.min(lines.len()))
            .rev()
            .find(|&n| is_content(lines[n - 1]) && !lines[n - 1].contains(':'))?;
        let text = lines[missing - 1].trim();
        return Some(Explained {
            line: missing,
            column: 1,
            message: format!("`{text}` has no `:` between a key and its value"),
            hint: "write `key: value`, with a colon and a space, e.g. `date: 2026-02-11`".into(),
        });
    }
    if m.contains("mapping values are not allowed") {
        let here = *lines.get(line.checked_sub(1)?)?;
        let above = (1..line)
            .rev()
            .map(|n| lines[n - 1])
            .find(|l| is_content(l));
        if indent(here) > 0 && above.is_some_and(|a| indent(a) < indent(here)) {
            return Some(Explained {
                line,
                column: 1,
                message: "this line is indented, so YAML reads it as part of the value above"
                    .into(),
                hint: "remove the spaces at the start of the line: keys of the front matter start in the first column".into(),
            });
        }
        return Some(Explained {
            line,
            column,
            message: "this value contains `: `, which YAML reads as the start of another key"
                .into(),
            hint: "put the value in quotes, e.g. title: \"Defence: the report\"".into(),
        });
    }
    if m.contains("did not find expected '-' indicator") || m.contains("expected <block end>") {
        return Some(Explained {
            line,
            column,
            message: "this line is not lined up with the lines above it".into(),
            hint: "start every `- item` of a list in the same column, and every key of a mapping in the same column".into(),
        });
    }
    if m.contains("did not find expected key") {
        return Some(Explained {
            line,
            column,
            message: "this line is indented differently from the keys around it".into(),
            hint: "line it up with the key it belongs to, or with the first column for a new key"
                .into(),
        });
    }
    if m.contains("cannot start any token") {
        let c = lines
            .get(line.checked_sub(1)?)
            .and_then(|l| l.chars().nth(column.saturating_sub(1)))?;
        if c == '\t' {
            return None; // the tab hint says it already
        }
        return Some(Explained {
            line,
            column,
            message: format!("a value cannot start with `{c}` unless it is in quotes"),
            hint: format!("put the value in quotes, e.g. note: \"{c}…\""),
        });
    }
    None
}

/// A line that holds YAML (not blank, not a comment).
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Walks `lines` up to `(line, column)` and reports what is still open.
/// A quote opens a quoted value only where a value can start (after `: `,
/// `- `, `[`, `{`, `,` or at the start of a line), so the apostrophe of
/// `title: It's here` opens nothing, as in YAML.
fn open_before(lines: &[&str], line: usize, column: usize) -> OpenState {
    let mut state = OpenState::default();
    for (i, text) in lines.iter().enumerate().take(line) {
        let n = i + 1;
        let mut value_can_start = true;
        let mut previous = ' ';
        let chars: Vec<char> = text.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            if n == line && k + 1 >= column {
                return state;
            }
            let c = chars[k];
            if let Some(q) = state.quote {
                if c == q.what {
                    let doubled = q.what == '\'' && chars.get(k + 1) == Some(&'\'');
                    let escaped = q.what == '"' && previous == '\\';
                    if doubled {
                        k += 1;
                    } else if !escaped {
                        state.quote = None;
                        value_can_start = false;
                    }
                }
                previous = if previous == '\\' && c == '\\' {
                    ' '
                } else {
                    c
                };
                k += 1;
                continue;
            }
            match c {
                '#' if previous == ' ' || k == 0 => break, // a comment
                '"' | '\'' if value_can_start => {
                    state.quote = Some(Opener {
                        what: c,
                        line: n,
                        column: k + 1,
                    });
                }
                '[' | '{' if value_can_start => {
                    state.brackets.push(Opener {
                        what: c,
                        line: n,
                        column: k + 1,
                    });
                }
                ']' | '}' if !state.brackets.is_empty() => {
                    state.brackets.pop();
                    value_can_start = false;
                }
                ' ' => {
                    if matches!(previous, ':' | '-' | ',') {
                        value_can_start = true;
                    }
                }
                ',' if !state.brackets.is_empty() => value_can_start = true,
                _ => value_can_start = false,
            }
            previous = c;
            k += 1;
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, message: &str, line: usize, column: usize) -> Explained {
        explain(message, line, column, text).expect("explained")
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens() {
        let text = "title: A\ntags: [one, two\ndate: 2024-01-01\n";
        let e = at(text, "did not find expected ',' or ']'", 3, 5);
        assert_eq!((e.line, e.column), (2, 7));
        assert!(e.message.contains("`[` opened here is never closed"));
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let text = "title: \"B unclosed\ndate: 2024-01-01\nweight: 3\n";
        let e = at(text, "found unexpected end of stream", 4, 1);
        assert_eq!((e.line, e.column), (1, 8));
        assert!(
            e.message
                .contains("quotation mark \" opened here is never closed")
        );
    }

    #[test]
    fn apostrophes_and_closed_quotes_open_nothing() {
        let text = "title: It's here\ndescription: 'it''s fine'\nx: \"a \\\" b\"\ntags: [a]\nbad line\nw: 1\n";
        let e = at(text, "could not find expected ':'", 6, 1);
        assert_eq!((e.line, e.column), (5, 1));
        assert!(e.message.contains("`bad line` has no `:`"));
    }

    #[test]
    fn an_indented_key_is_called_indented() {
        let text = "title: D\n  weight: 3\n";
        let e = at(text, "mapping values are not allowed in this context", 2, 9);
        assert_eq!(e.line, 2);
        assert!(e.message.contains("indented"));
        let text = "title: F: with colon\n";
        let e = at(text, "mapping values are not allowed in this context", 1, 9);
        assert!(e.hint.contains("quotes"));
    }

    #[test]
    fn unknown_mistakes_are_left_to_the_parser() {
        assert_eq!(explain("something else", 1, 1, "a: b\n"), None);
    }
}
