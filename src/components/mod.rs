//! Components in content: Tera 2 components (`templates/components/*.html`)
//! called from Markdown on lines of their own.
//!
//! ```text
//! {% callout(kind="warning", title="Since the vote") %}
//! Markdown body: **links**, [@citations], footnotes[^1], ## headings.
//! {% end %}
//! {% partner_card(page="@/partners/japan.md") /%}
//! ```
//!
//! The work is split by what each stage knows:
//! - `load` (no templates yet): [`scan`] finds the lines outside code
//!   fences and swaps each for an HTML comment of the same length, so the
//!   body stays in the one pulldown-cmark pass; [`mark_events`] turns those
//!   comments into placeholders (`\0cN\0` opening call N, `\0eN\0` closing
//!   it; NUL cannot come from content). Syntax mistakes (unclosed body,
//!   stray `{% end %}`) are found here. The calls travel in `Facts`.
//! - after the model (templates loaded, links resolved), [`expand`] checks
//!   each call against its component's signature (unknown component or
//!   argument with did-you-mean, missing argument, wrong type) and splices
//!   the component's HTML around the already rendered body. The component
//!   is rendered by Tera with autoescape on and a sentinel as its body; its
//!   output is split at the sentinel into an opening and a closing part, so
//!   arguments are escaped as in templates and the component cannot see
//!   or alter the body.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event};

use crate::diagnostics::{Diagnostic, Location};

pub mod catalogue;
mod expand;
mod library;
mod scan;
mod syntax;

pub use expand::{expand, expand_one, expand_site};
pub use library::{ArgInfo, Info, Library};
pub use scan::{Scanned, scan};
pub use syntax::Literal;

/// The component calls of one body, and the mistakes found reading them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calls {
    pub calls: Vec<Call>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    pub location: Location,
    pub length: usize,
    pub args: Vec<Arg>,
    /// Written with a body (`{% x %}` … `{% end %}`), not `{% x /%}`.
    pub body: bool,
    /// Where its `{% end %}` is.
    pub end: Option<Location>,
    /// The call whose body holds this one.
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub name: String,
    pub value: Literal,
    pub location: Location,
    pub length: usize,
}

/// A mistake found while reading a body, reported by `load`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub location: Location,
    pub length: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Starts a component placeholder in rendered HTML (see the module docs).
pub const MARK: char = '\0';

/// Replaces the comments [`scan`] left with placeholders. A comment that
/// did not become an HTML block of its own (the line sat in a table, a
/// quotation or raw HTML) is a mistake: the call is dropped, with an error.
pub fn mark_events(
    events: &mut [(Event, Range<usize>)],
    scanned: &Scanned,
    calls: &mut Calls,
    lines: &crate::diagnostics::LineIndex,
) {
    let mut found = vec![false; scanned.markers.len()];
    for (event, range) in events.iter_mut() {
        let Event::Html(text) = event else { continue };
        let t = text.trim();
        if !(t.starts_with("<!--") && t.ends_with("-->")) {
            continue;
        }
        let i = scanned.markers.partition_point(|m| m.offset < range.start);
        let Some(m) = scanned.markers.get(i).filter(|m| m.end <= range.end) else {
            continue;
        };
        // The comment must be exactly the marker, not part of a larger block.
        if t.len() != m.end - m.offset {
            continue;
        }
        found[i] = true;
        let kind = if m.close { 'e' } else { 'c' };
        *event = Event::Html(CowStr::from(format!("{MARK}{kind}{}{MARK}\n", m.call)));
    }
    for (m, ok) in scanned.markers.iter().zip(found) {
        if !ok && !m.close {
            let call = &calls.calls[m.call];
            calls.problems.push(Problem {
                code: "E-COMPONENT-SYNTAX",
                location: lines.location(m.offset),
                length: call.length,
                message: format!(
                    "`{}` is not on a line of its own, so it was not read as a component",
                    call.name
                ),
                hint: Some(
                    "put component lines outside tables, quotations, lists and HTML, with nothing else on the line".into(),
                ),
            });
        }
    }
}

/// The problems of `calls` as diagnostics of `file`.
pub fn problems(calls: &Calls, file: &Path) -> Vec<Diagnostic> {
    calls
        .problems
        .iter()
        .map(|p| {
            debug_assert!(crate::diagnostics::COMPONENT_CODES.contains(&p.code));
            let d = Diagnostic::error(p.code, file, p.message.clone())
                .at(p.location)
                .underline(p.length);
            match &p.hint {
                Some(h) => d.hint(h.clone()),
                None => d,
            }
        })
        .collect()
}

/// Whether `html` may hold component placeholders.
pub fn has_marks(calls: &Calls) -> bool {
    !calls.calls.is_empty()
}

#[cfg(test)]
mod tests {
    use crate::load::markdown::{self, MarkdownOptions};

    fn md(body: &str) -> markdown::Rendered {
        markdown::render(
            body,
            1,
            "",
            MarkdownOptions {
                smart_punctuation: true,
                drop_leading_h1: false,
                citation_word: "source",
            },
        )
    }

    #[test]
    fn the_body_is_markdown_between_two_placeholders() {
        let r = md(
            "Intro\n{% callout(kind=\"note\") %}\n## In it\nText [^a]\n{% end %}\nAfter\n\n[^a]: Note.\n",
        );
        let calls = &r.facts.components;
        assert!(calls.problems.is_empty(), "{:?}", calls.problems);
        assert_eq!(calls.calls.len(), 1);
        assert_eq!(calls.calls[0].end.map(|l| l.line), Some(5));
        assert!(
            r.html.contains("<p>Intro</p>\n\0c0\0\n<h2 id=\"in-it\""),
            "{:?}",
            r.html
        );
        assert!(r.html.contains("\0e0\0\n<p>After</p>"), "{:?}", r.html);
        assert_eq!(r.toc.len(), 1);
        // Link placeholders are filled around component placeholders.
        assert_eq!(markdown::fill_links(&r.html, &[]), r.html.to_string());
    }

    #[test]
    fn a_call_in_a_quotation_is_text_and_one_after_a_table_ends_it() {
        let r = md("> {% callout %}\n> x\n");
        assert!(r.facts.components.calls.is_empty());
        assert!(r.html.contains("{% callout %}"), "{:?}", r.html);
        let r = md("| a |\n|---|\n{% callout %}\nb\n{% end %}\n");
        assert!(
            r.facts.components.problems.is_empty(),
            "{:?}",
            r.facts.components
        );
        assert!(
            r.html
                .contains("</table>\n</div>\n\0c0\0\n<p>b</p>\n\0e0\0\n"),
            "{:?}",
            r.html
        );
    }

    #[test]
    fn positions_after_a_call_stay_true() {
        let r = md("{% keyfacts(title=\"Ünïcödé\") %}\n![](x.png)\n{% end %}\n");
        assert_eq!(r.facts.images[0].location.line, 2);
        assert_eq!(r.facts.images[0].location.column, 1);
    }
}
