//! Finding component lines in a Markdown body before pulldown-cmark reads it.
//!
//! Each component line (outside fenced code) is replaced by an HTML comment
//! of exactly the same length, `<!--    -->`. Same length, so every byte
//! offset pulldown-cmark reports (and so every line:col of every other
//! finding) stays true. An HTML comment, because CommonMark makes it a block
//! of its own that may interrupt a paragraph and ends on its line: the
//! component's body around it is parsed as ordinary Markdown in the same
//! pass, headings, footnotes, citations and links included.

use crate::diagnostics::LineIndex;

use super::syntax::{self, Line};
use super::{Arg, Call, Calls, Problem};

/// The shortest line that can be replaced: `<!---->`.
const SHORTEST: usize = 7;

/// What [`scan`] found: the text to parse and where the markers are.
pub struct Scanned {
    pub text: String,
    pub markers: Vec<Marker>,
}

/// A replaced line: where its comment starts, and what it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub offset: usize,
    pub end: usize,
    pub call: usize,
    pub close: bool,
}

/// Finds the component lines of `body`. `None` (and no cost beyond one
/// search) when there are none, which is most pages.
pub fn scan(body: &str, lines: &LineIndex, calls: &mut Calls) -> Option<Scanned> {
    memchr::memmem::find(body.as_bytes(), b"{%")?;
    let mut text = String::with_capacity(body.len());
    let mut markers = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut open: Vec<usize> = Vec::new();
    let mut offset = 0;
    for raw in body.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some(f) = fence_of(trimmed) {
            fence = match fence {
                None => Some(f),
                Some((c, n))
                    if f.0 == c && f.1 >= n && trimmed.trim_end().bytes().all(|b| b == c) =>
                {
                    None
                }
                other => other,
            };
            text.push_str(raw);
            continue;
        }
        if fence.is_some() || indent > 3 || !syntax::is_candidate(trimmed) {
            text.push_str(raw);
            continue;
        }
        let at = start + indent;
        let width = trimmed.trim_end().len();
        let location = lines.location(at);
        let parsed = if width < SHORTEST {
            Err(syntax::SyntaxError {
                at: 0,
                message: "too short to be a component line: write `{% name %}` with spaces".into(),
            })
        } else {
            syntax::parse(trimmed)
        };
        let marker = match parsed {
            Err(e) => {
                calls.problems.push(Problem {
                    code: "E-COMPONENT-SYNTAX",
                    location: lines.location(at + e.at),
                    length: 1,
                    message: e.message,
                    hint: Some(
                        "a component line reads `{% name(key=\"value\") %}`, `{% name(…) /%}` without a body, or `{% end %}`"
                            .into(),
                    ),
                });
                text.push_str(raw);
                continue;
            }
            Ok(Line::End) => match open.pop() {
                Some(call) => {
                    calls.calls[call].end = Some(location);
                    Marker {
                        offset: at,
                        end: at + width,
                        call,
                        close: true,
                    }
                }
                None => {
                    calls.problems.push(Problem {
                        code: "E-COMPONENT-END",
                        location,
                        length: width,
                        message: "this `{% end %}` closes nothing: no component is open here"
                            .into(),
                        hint: Some(
                            "remove it, or add the component's opening line above its body".into(),
                        ),
                    });
                    text.push_str(raw);
                    continue;
                }
            },
            Ok(Line::Call { name, args, body }) => {
                let call = calls.calls.len();
                calls.calls.push(Call {
                    name,
                    location,
                    length: width,
                    args: args
                        .into_iter()
                        .map(|a| Arg {
                            location: lines.location(at + a.at),
                            length: a.len,
                            name: a.name,
                            value: a.value,
                        })
                        .collect(),
                    body,
                    end: None,
                    parent: open.last().copied(),
                });
                if body {
                    open.push(call);
                }
                Marker {
                    offset: at,
                    end: at + width,
                    call,
                    close: false,
                }
            }
        };
        markers.push(marker);
        text.push_str(&line[..indent]);
        text.push_str("<!--");
        text.extend(std::iter::repeat_n(' ', width - SHORTEST));
        text.push_str("-->");
        text.push_str(&raw[indent + width..]);
    }
    for call in open {
        let c = &calls.calls[call];
        calls.problems.push(Problem {
            code: "E-COMPONENT-UNCLOSED",
            location: c.location,
            length: c.length,
            message: format!("the body of `{}` is never closed", c.name),
            hint: Some(format!(
                "add a line `{{% end %}}` after its body, or write `{{% {}(…) /%}}` if it takes none",
                c.name
            )),
        });
    }
    (!markers.is_empty()).then_some(Scanned { text, markers })
}

/// A fence line's character and length (``` or ~~~, three or more).
fn fence_of(line: &str) -> Option<(u8, usize)> {
    let c = *line.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = line.bytes().take_while(|&b| b == c).count();
    (n >= 3).then_some((c, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (Option<Scanned>, Calls) {
        let lines = LineIndex::new(body, 1);
        let mut calls = Calls::default();
        let s = scan(body, &lines, &mut calls);
        (s, calls)
    }

    #[test]
    fn lines_become_comments_of_the_same_length_outside_fences() {
        let body = "a\n{% callout(kind=\"note\") %}\nb\n```\n{% end %}\n```\n  {% end %}\n";
        let (s, calls) = run(body);
        let s = s.unwrap();
        assert_eq!(s.text.len(), body.len());
        assert_eq!(
            s.text,
            "a\n<!--                   -->\nb\n```\n{% end %}\n```\n  <!--  -->\n"
        );
        assert_eq!(s.markers.len(), 2);
        assert!(calls.problems.is_empty(), "{:?}", calls.problems);
        assert_eq!(calls.calls[0].end.map(|l| l.line), Some(7));
    }

    #[test]
    fn unclosed_and_stray_ends_are_found() {
        let (_, calls) = run("{% end %}\n\n{% keyfacts %}\n- x\n");
        let codes: Vec<_> = calls
            .problems
            .iter()
            .map(|p| (p.code, p.location.line))
            .collect();
        assert_eq!(
            codes,
            vec![("E-COMPONENT-END", 1), ("E-COMPONENT-UNCLOSED", 3)]
        );
    }

    #[test]
    fn no_braces_costs_nothing() {
        assert!(run("plain text\n").0.is_none());
        assert!(run("`{% end %}` in code\n").0.is_none());
    }
}
