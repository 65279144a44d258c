//! Footnotes: definitions taken out of the flow, references numbered in
//! order of first reference, and the notes written at the end of the page
//! with links back to each reference.
//!
//! Labels are looked up through a map, not by scanning the notes seen so
//! far: a page with 20,000 footnotes would otherwise cost 200 million
//! string comparisons.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

use super::headings::Heading;

pub(super) struct Footnote {
    number: Option<usize>,
    html: String,
    references: usize,
}

/// Takes footnote definitions out of the flow and turns references into
/// numbered links, numbered in order of first reference. Events go through
/// [`FootnoteGatherer::take`] one by one; [`FootnoteGatherer::finish`]
/// returns the definitions.
pub(super) struct FootnoteGatherer<'a, 'p> {
    prefix: &'p str,
    notes: Vec<Footnote>,
    /// Label → index in `notes`.
    by_label: HashMap<String, usize>,
    next_number: usize,
    /// The definition being read: its label and events.
    definition: Option<(String, Vec<Event<'a>>)>,
}

impl<'a, 'p> FootnoteGatherer<'a, 'p> {
    pub(super) fn new(prefix: &'p str) -> Self {
        FootnoteGatherer {
            prefix,
            notes: Vec::new(),
            by_label: HashMap::new(),
            next_number: 1,
            definition: None,
        }
    }

    /// The event to keep in the main flow, if any.
    pub(super) fn take(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        let event = match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.definition = Some((label.to_string(), Vec::new()));
                return None;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.end_definition();
                return None;
            }
            Event::FootnoteReference(label) => Event::InlineHtml(self.reference(&label)),
            other => other,
        };
        match &mut self.definition {
            Some((_, body)) => {
                body.push(event);
                None
            }
            None => Some(event),
        }
    }

    /// The note for `label`, created empty if it is new.
    fn note(&mut self, label: &str) -> &mut Footnote {
        let i = match self.by_label.get(label) {
            Some(&i) => i,
            None => {
                self.notes.push(Footnote {
                    number: None,
                    html: String::new(),
                    references: 0,
                });
                self.by_label
                    .insert(label.to_string(), self.notes.len() - 1);
                self.notes.len() - 1
            }
        };
        &mut self.notes[i]
    }

    fn end_definition(&mut self) {
        let Some((label, body)) = self.definition.take() else {
            return;
        };
        let mut html_text = String::new();
        html::push_html(&mut html_text, body.into_iter());
        // A second definition of one label adds to the first: an editor's
        // text is never dropped.
        self.note(&label).html.push_str(&html_text);
    }

    /// The superscript link that replaces a reference to `label`.
    fn reference(&mut self, label: &str) -> CowStr<'a> {
        let prefix = self.prefix;
        let mut next_number = self.next_number;
        let note = self.note(label);
        let number = *note.number.get_or_insert_with(|| {
            next_number += 1;
            next_number - 1
        });
        note.references += 1;
        let ref_id = reference_id(prefix, number, note.references);
        self.next_number = next_number;
        CowStr::from(format!(
            "<sup class=\"footnote-reference\" id=\"{ref_id}\"><a href=\"#{prefix}-{number}\">{number}</a></sup>"
        ))
    }

    /// The definitions, referenced or not (unreferenced, empty ones dropped).
    pub(super) fn finish(mut self) -> Vec<Footnote> {
        self.notes
            .retain(|n| n.number.is_some() || !n.html.is_empty());
        self.notes
    }
}

fn reference_id(prefix: &str, number: usize, nth: usize) -> String {
    if nth == 1 {
        format!("{prefix}ref-{number}")
    } else {
        format!("{prefix}ref-{number}-{nth}")
    }
}

/// Footnote ids are `fn-N` and `fnref-N`, unless a heading already uses
/// an id of that form; then another prefix is taken, so ids stay unique.
///
/// A heading id `q-…` rules out the prefixes `q` and (if `q` ends in `ref`)
/// `q` less `ref`; those are gathered once, so the choice is linear in the
/// total length of the ids, however many headings try to clash.
pub(super) fn footnote_prefix(headings: &[Heading]) -> String {
    let mut taken: HashSet<&str> = HashSet::new();
    for h in headings {
        for (dash, _) in h.id.match_indices('-') {
            let before = &h.id[..dash];
            taken.insert(before);
            if let Some(stem) = before.strip_suffix("ref") {
                taken.insert(stem);
            }
        }
    }
    ["fn", "note", "footnote"]
        .into_iter()
        .map(String::from)
        .chain((2..).map(|n| format!("fn{n}x")))
        .find(|p| !taken.contains(p.as_str()))
        .unwrap_or_else(|| "fn".to_string())
}

/// Writes the footnotes as an ordered list at the end, each with links back
/// to where it was referenced. Definitions nobody references are kept (an
/// editor's text is never dropped) and numbered after the others.
pub(super) fn write_footnotes(
    out: &mut String,
    mut notes: Vec<Footnote>,
    prefix: &str,
    anchors: &mut Vec<String>,
) {
    let mut next = notes.iter().filter_map(|n| n.number).max().unwrap_or(0);
    for n in notes.iter_mut().filter(|n| n.number.is_none()) {
        next += 1;
        n.number = Some(next);
    }
    notes.sort_by_key(|n| n.number);
    out.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n");
    for note in notes {
        let number = note.number.unwrap_or_default();
        anchors.push(format!("{prefix}-{number}"));
        out.push_str(&format!("<li id=\"{prefix}-{number}\">\n{}", note.html));
        for nth in 1..=note.references {
            let id = reference_id(prefix, number, nth);
            anchors.push(id.clone());
            out.push_str(&format!(
                " <a href=\"#{id}\" class=\"footnote-backref\" aria-label=\"Back to reference {number}\">↩</a>"
            ));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(id: &str) -> Heading {
        Heading {
            level: 2,
            id: id.into(),
            title: id.into(),
        }
    }

    #[test]
    fn prefix_avoids_every_clash() {
        assert_eq!(footnote_prefix(&[]), "fn");
        assert_eq!(footnote_prefix(&[heading("fn-1")]), "note");
        assert_eq!(
            footnote_prefix(&[heading("fnref-2"), heading("note-x"), heading("footnote-a")]),
            "fn2x"
        );
        // `fn-`-free ids that merely start with the letters do not clash.
        assert_eq!(footnote_prefix(&[heading("fnord"), heading("fn")]), "fn");
        let many: Vec<Heading> = (2..2000)
            .map(|n| heading(&format!("fn{n}x-1")))
            .chain([heading("fn-1"), heading("note-1"), heading("footnote-1")])
            .collect();
        assert_eq!(footnote_prefix(&many), "fn2000x");
    }
}
