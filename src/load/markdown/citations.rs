//! Citations in the event stream: `[@id]` groups become numbered,
//! accessible superscript links to the page's reference list, and the
//! blocks of the page are recorded with whether they cite anything (for the
//! sourcing lints).
//!
//! pulldown-cmark reads `[@eeas-sdp]` as a shortcut link with no
//! definition; the parser's broken-link callback ([`callback`]) accepts it
//! only when the label starts with `@`, so every other bracket keeps its
//! Markdown meaning. The numbers are given here, in order of first citation;
//! whether an id exists is checked later, where the register is known
//! (`crate::citations::resolve`).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Tag, TagEnd};

use super::headings::Heading;
use crate::citations::syntax::{is_citation, parse_group};
use crate::diagnostics::{LineIndex, Location};

/// One cite of a source in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationUse {
    pub id: String,
    pub locator: Option<String>,
    /// Where the id is written (after `@`).
    pub location: Location,
    /// The source's number on this page (order of first citation).
    pub number: usize,
    /// The id of this cite's superscript link, target of the back-link.
    pub anchor: String,
}

/// What sort of block a [`Block`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    ListItem,
    Table,
    Quote,
}

/// A block of text the sourcing lints look at: a paragraph outside lists
/// and quotations, a top-level list item (with everything nested in it), a
/// table, or a block quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub location: Location,
    pub cited: bool,
    /// It is only links with a few words around them ("See [Japan](…) and
    /// [Korea](…)."): navigation, not a statement that needs a source.
    pub navigation: bool,
}

/// What the text cites, and the problems found in how it cites.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextCitations {
    pub uses: Vec<CitationUse>,
    /// Ids in number order (`ids[0]` is source 1).
    pub ids: Vec<String>,
    /// A group that could not be read (`[@a; b]`), with why.
    pub malformed: Vec<(Location, String)>,
    pub blocks: Vec<Block>,
    /// The id prefix of this page's citation anchors: `cite` unless a
    /// heading already uses ids of that form.
    pub prefix: String,
}

/// The broken-link callback: a bracketed label starting with `@` becomes a
/// link whose destination is the label, to be recognised by
/// [`mark_citations`].
pub fn callback<'a>(link: BrokenLink<'a>) -> Option<(CowStr<'a>, CowStr<'a>)> {
    (matches!(link.link_type, LinkType::Shortcut) && is_citation(&link.reference))
        .then_some((link.reference, CowStr::Borrowed("")))
}

/// At most this many words outside links leave a linking paragraph
/// "navigation".
const NAVIGATION_WORDS: usize = 4;

/// Picks the anchor prefix: `cite`, `cite2`, … whichever no heading id
/// starts with (followed by `-`).
pub fn prefix(headings: &[Heading]) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                "cite".to_string()
            } else {
                format!("cite{n}")
            }
        })
        .find(|p| {
            let dash = format!("{p}-");
            !headings.iter().any(|h| h.id.starts_with(&dash))
        })
        .unwrap_or_default()
}

/// Replaces every citation group with its superscript links and records the
/// cites and the blocks.
pub fn mark_citations(
    events: &mut [(Event, Range<usize>)],
    body: &str,
    lines: &LineIndex,
    prefix: String,
    word: &str,
) -> TextCitations {
    let mut found = TextCitations {
        prefix,
        ..TextCitations::default()
    };
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut cited_at: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let (
            Event::Start(Tag::Link {
                link_type: LinkType::ShortcutUnknown,
                dest_url,
                ..
            }),
            range,
        ) = &events[i]
        else {
            i += 1;
            continue;
        };
        if !is_citation(dest_url) {
            i += 1;
            continue;
        }
        let range = range.clone();
        let end = events[i..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Link)))
            .map_or(events.len() - 1, |p| i + p);
        let span = &body[range.clone()];
        let inner_start = range.start + usize::from(span.starts_with('['));
        let inner = span
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or(span);
        let html = match parse_group(inner) {
            Err((offset, message)) => {
                found
                    .malformed
                    .push((lines.location(inner_start + offset), message));
                i = end + 1;
                continue;
            }
            Ok(cites) => {
                let mut html = String::from("<sup class=\"citation\">[");
                for (k, cite) in cites.into_iter().enumerate() {
                    let next = numbers.len() + 1;
                    let number = *numbers.entry(cite.id.clone()).or_insert_with(|| {
                        found.ids.push(cite.id.clone());
                        counts.push(0);
                        next
                    });
                    counts[number - 1] += 1;
                    let p = &found.prefix;
                    let anchor = if counts[number - 1] == 1 {
                        format!("{p}-ref-{number}")
                    } else {
                        format!("{p}-ref-{number}-{}", counts[number - 1])
                    };
                    if k > 0 {
                        html.push_str("; ");
                    }
                    html.push_str(&format!(
                        "<a href=\"#{p}-{number}\" id=\"{anchor}\"><span class=\"visually-hidden\">"
                    ));
                    crate::html::escape_into(&mut html, word);
                    html.push_str(&format!(" </span>{number}</a>"));
                    if let Some(locator) = &cite.locator {
                        html.push_str(", ");
                        crate::html::escape_into(&mut html, locator);
                    }
                    found.uses.push(CitationUse {
                        id: cite.id,
                        locator: cite.locator,
                        location: lines.location(inner_start + cite.offset),
                        number,
                        anchor,
                    });
                }
                html.push_str("]</sup>");
                html
            }
        };
        events[i].0 = Event::InlineHtml(CowStr::from(html));
        for (event, _) in &mut events[i + 1..=end] {
            *event = Event::Text(CowStr::Borrowed(""));
        }
        cited_at.push(i);
        i = end + 1;
    }
    found.blocks = blocks(events, &cited_at, lines);
    found
}

/// The blocks of the page (see [`Block`]), given the event indices where
/// citations were placed.
fn blocks(events: &[(Event, Range<usize>)], cited_at: &[usize], lines: &LineIndex) -> Vec<Block> {
    let mut blocks = Vec::new();
    // Nesting of containers that hide their paragraphs from the check:
    // (list items, quotations, footnote definitions, tables).
    let (mut items, mut quotes, mut notes, mut tables) = (0usize, 0usize, 0usize, 0usize);
    // The block being read: its index in `blocks`, and the container depth
    // that ends it.
    let mut open: Option<usize> = None;
    let mut links = 0usize;
    let mut words_outside = 0usize;
    let mut has_link = false;
    let mut next_cite = 0;
    for (i, (event, range)) in events.iter().enumerate() {
        let hidden = notes > 0;
        match event {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Paragraph if items + quotes + tables == 0 => Some(BlockKind::Paragraph),
                    Tag::Item if items + quotes + tables == 0 => Some(BlockKind::ListItem),
                    Tag::Table(_) if items + quotes == 0 => Some(BlockKind::Table),
                    Tag::BlockQuote(_) if quotes == 0 => Some(BlockKind::Quote),
                    _ => None,
                };
                match tag {
                    Tag::Item => items += 1,
                    Tag::BlockQuote(_) => quotes += 1,
                    Tag::FootnoteDefinition(_) => notes += 1,
                    Tag::Table(_) => tables += 1,
                    Tag::Link { .. } => {
                        links += 1;
                        has_link = true;
                    }
                    _ => {}
                }
                if let (Some(kind), false, None) = (kind, hidden, open) {
                    open = Some(blocks.len());
                    words_outside = 0;
                    has_link = false;
                    blocks.push(Block {
                        kind,
                        location: lines.location(range.start),
                        cited: false,
                        navigation: false,
                    });
                } else if kind == Some(BlockKind::Quote) && !hidden {
                    // A quotation inside a list item is still a quotation.
                    blocks.push(Block {
                        kind: BlockKind::Quote,
                        location: lines.location(range.start),
                        cited: false,
                        navigation: false,
                    });
                }
            }
            Event::End(tag) => {
                match tag {
                    TagEnd::Item => items = items.saturating_sub(1),
                    TagEnd::BlockQuote(_) => quotes = quotes.saturating_sub(1),
                    TagEnd::FootnoteDefinition => notes = notes.saturating_sub(1),
                    TagEnd::Table => tables = tables.saturating_sub(1),
                    TagEnd::Link => links = links.saturating_sub(1),
                    _ => {}
                }
                let closes = match blocks.get(open.unwrap_or(usize::MAX)).map(|b| b.kind) {
                    Some(BlockKind::Paragraph) => matches!(tag, TagEnd::Paragraph),
                    Some(BlockKind::ListItem) => matches!(tag, TagEnd::Item) && items == 0,
                    Some(BlockKind::Table) => matches!(tag, TagEnd::Table) && tables == 0,
                    Some(BlockKind::Quote) => matches!(tag, TagEnd::BlockQuote(_)) && quotes == 0,
                    None => false,
                };
                if closes && let Some(b) = open.take() {
                    blocks[b].navigation = has_link && words_outside <= NAVIGATION_WORDS;
                }
            }
            // Words, not punctuation: "Pour plus de détails :" is four words,
            // and smart quotes split "l'Ukraine" into separate text events.
            Event::Text(t) if links == 0 => {
                words_outside += t
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
            }
            _ => {}
        }
        if cited_at.get(next_cite) == Some(&i) {
            next_cite += 1;
            if !hidden {
                // The innermost quotation and the open block both count as cited.
                if let Some(b) = open {
                    blocks[b].cited = true;
                }
                if quotes > 0
                    && let Some(q) = blocks.iter_mut().rev().find(|b| b.kind == BlockKind::Quote)
                {
                    q.cited = true;
                }
            }
        }
    }
    blocks
}
