//! Markdown that readers and editors expect from GitHub, written as
//! accessible HTML:
//! - **Alerts** (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`,
//!   `[!CAUTION]`) become callouts: a `role="note"` box whose first line
//!   names its kind in words, so the kind is not carried by colour alone.
//! - **Task lists** (`- [x] done`): the check box is a disabled input with
//!   an accessible name ("Done" / "Not done"), never an unlabelled control.
//! - **Heading anchors**: every heading ends with a small link to itself,
//!   for copying a link to a section; it is a real link (keyboard, screen
//!   readers: "Link to this section: Areas"), shown on hover and focus by
//!   the stylesheet and hidden in print.
//!
//! One iterator stage over the event stream, like `wrap_tables`: no
//! intermediate vectors.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::headings::Heading;
use crate::html;

/// Wraps `events` with the stage described in the module documentation.
/// `headings` are the page's headings in order, with their final ids.
pub(super) fn readers_blocks<'a, 'h, I: Iterator<Item = Event<'a>>>(
    events: I,
    headings: &'h [Heading],
) -> ReadersBlocks<'a, 'h, I> {
    ReadersBlocks {
        events,
        headings,
        next_heading: 0,
        pending: None,
    }
}

pub(super) struct ReadersBlocks<'a, 'h, I> {
    events: I,
    headings: &'h [Heading],
    next_heading: usize,
    pending: Option<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for ReadersBlocks<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.take() {
            return Some(event);
        }
        let event = self.events.next()?;
        Some(match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(CowStr::from(format!(
                "<div class=\"callout callout-{}\" role=\"note\">\n<p class=\"callout-title\"><strong>{}</strong></p>\n",
                kind_class(kind),
                kind_name(kind)
            ))),
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::Borrowed("</div>\n")),
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(if done {
                "<input type=\"checkbox\" class=\"task\" disabled checked aria-label=\"Done\"> "
            } else {
                "<input type=\"checkbox\" class=\"task\" disabled aria-label=\"Not done\"> "
            })),
            Event::Start(Tag::Heading { .. }) => {
                self.next_heading += 1;
                event
            }
            Event::End(TagEnd::Heading(_)) => {
                match self.headings.get(self.next_heading.wrapping_sub(1)) {
                    Some(h) => {
                        self.pending = Some(event);
                        Event::InlineHtml(CowStr::from(anchor(h)))
                    }
                    None => event,
                }
            }
            other => other,
        })
    }
}

/// ` <a class="heading-anchor" href="#id" aria-label="Link to this section: Title">#</a>`
fn anchor(h: &Heading) -> String {
    let mut out = String::from(" <a class=\"heading-anchor\" href=\"#");
    html::escape_into(&mut out, &h.id);
    out.push_str("\" aria-label=\"Link to this section: ");
    html::escape_into(&mut out, &h.title);
    out.push_str("\">#</a>");
    out
}

fn kind_class(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

fn kind_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "Note",
        BlockQuoteKind::Tip => "Tip",
        BlockQuoteKind::Important => "Important",
        BlockQuoteKind::Warning => "Warning",
        BlockQuoteKind::Caution => "Caution",
    }
}
