//! Markdown to HTML with pulldown-cmark, plus what dossier adds on top:
//! unique heading ids, a table of contents, footnotes gathered at the end
//! with links back, and internal links recorded for the model to resolve.
//!
//! Internal links (`@/partners/japan.md#areas`, `../report/ukraine.md`) cannot
//! be resolved here: the target's URL depends on every other page. Their
//! `href` is written as a placeholder, [`LINK_MARK`] + index + [`LINK_MARK`],
//! which [`fill_links`] later replaces. NUL never occurs in rendered content
//! (it is replaced before parsing, as CommonMark requires), so a placeholder
//! cannot be forged by an editor.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use std::sync::Arc;

use crate::diagnostics::{LineIndex, Location};

mod blocks;
mod citations;
mod fences;
mod footnotes;
mod headings;
mod images;

pub use citations::{Block, BlockKind, CitationUse, TextCitations};

use footnotes::{FootnoteGatherer, footnote_prefix, write_footnotes};
use headings::{Heading, assign_heading_ids, nest};
pub use headings::{TocEntry, slug_or};
pub use images::{LocalImage, fill_images, placeholder as image_placeholder};

/// Delimits internal-link placeholders in rendered HTML.
pub const LINK_MARK: char = '\0';

#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions<'a> {
    pub smart_punctuation: bool,
    /// Drop a level-1 heading at the very start (it became the page title).
    pub drop_leading_h1: bool,
    /// Said to screen readers before a citation's number, in the page's
    /// language (`crate::citations::Words::source`).
    pub citation_word: &'a str,
}

/// A link to another content file, to be resolved by the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// The link as written, for messages.
    pub raw: String,
    /// The target file relative to `content/`, e.g. `partners/japan.md`.
    /// `None` when the link climbs out of `content/`.
    pub target: Option<String>,
    pub fragment: Option<String>,
    pub location: Location,
    pub length: usize,
}

/// The rendered body of one file.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Shared, so cached documents (the dev server's) clone cheaply.
    pub html: Arc<str>,
    pub toc: Vec<TocEntry>,
    /// Every id a link may point at: headings and footnotes.
    pub anchors: Vec<String>,
    pub links: Vec<InternalLink>,
    /// The text of a leading level-1 heading, if the body starts with one.
    pub leading_h1: Option<String>,
    pub word_count: usize,
    /// What `dossier check` lints look at.
    pub facts: Facts,
}

/// Positions of things content lints check: headings, images, web links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Every heading in the body (the dropped leading h1 excluded): level, position.
    pub outline: Vec<(u8, Location)>,
    pub images: Vec<Image>,
    /// Images of this site's own files, in order: each is a placeholder in
    /// the HTML until the image stage fills it (`images.rs`).
    pub local_images: Vec<LocalImage>,
    /// `http(s)://` links in the body.
    pub web_links: Vec<WebLink>,
    /// What the text cites, and its blocks (`[@id]`, see `citations.rs`).
    pub citations: TextCitations,
    /// The page's reference list, resolved against the source register
    /// when the document is read (`crate::citations::resolve`).
    pub references: Vec<crate::citations::Reference>,
    /// Component calls (`crate::components`), expanded after the model.
    pub components: crate::components::Calls,
    /// Links written as site addresses (`/partners/japan/`) or to an id of
    /// the same page (`#areas`), checked by `model::site_links`.
    pub site_links: Vec<WebLink>,
    /// The opening line of a code fence never closed (it swallows the rest
    /// of the page), for the `W-FENCE-UNCLOSED` lint.
    pub unclosed_fence: Option<Location>,
    /// On a site with languages: a short hash of the body's text and the
    /// translatable front matter (`languages::drift`), and the figures
    /// (numbers, dates) of the body with their lines, for the drift lints.
    pub fingerprint: String,
    pub figures: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebLink {
    pub url: String,
    pub location: Location,
}

/// Renders `body`, whose first line is line `first_line` of `source_dir/…`
/// (`source_dir` is the file's folder relative to `content/`, for relative
/// links).
pub fn render(
    body: &str,
    first_line: usize,
    source_dir: &str,
    opts: MarkdownOptions<'_>,
) -> Rendered {
    let cleaned;
    let body = if memchr::memchr(0, body.as_bytes()).is_some() {
        cleaned = body.replace('\0', "\u{FFFD}");
        cleaned.as_str()
    } else {
        body
    };
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    if opts.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    // Sized up front: growing the vector by doubling cost 5% of a build's
    // Markdown time. Prose runs to about one event per 10 bytes.
    let mut out = Rendered::default();
    let mut events: Vec<(Event, std::ops::Range<usize>)> = Vec::with_capacity(body.len() / 8);
    let lines = LineIndex::new(body, first_line);
    let mut calls = crate::components::Calls::default();
    let scanned = crate::components::scan(body, &lines, &mut calls);
    let text = scanned.as_ref().map_or(body, |s| s.text.as_str());
    events.extend(
        Parser::new_with_broken_link_callback(text, options, Some(citations::callback))
            .into_offset_iter(),
    );
    if let Some(scanned) = &scanned {
        crate::components::mark_events(&mut events, scanned, &mut calls, &lines);
    }
    out.leading_h1 = take_leading_h1(&mut events, opts.drop_leading_h1);
    let headings = assign_heading_ids(&mut events);
    let cited = citations::mark_citations(
        &mut events,
        body,
        &lines,
        citations::prefix(&headings),
        opts.citation_word,
    );
    out.word_count = count_words(&events);
    out.facts = collect_facts(&events, &lines);
    out.facts.citations = cited;
    out.facts.components = calls;
    out.facts.local_images = images::mark_local_images(&mut events, source_dir, &lines);
    out.links = mark_internal_links(&mut events, source_dir, &lines);
    let prefix = footnote_prefix(&headings);

    // One pass from the events to HTML: tables are wrapped and footnotes
    // taken out of the flow on the way, with no intermediate vectors.
    let mut html_text = String::with_capacity(body.len() * 3 / 2);
    let mut footnotes = FootnoteGatherer::new(&prefix);
    html::push_html(
        &mut html_text,
        blocks::readers_blocks(
            wrap_tables(events.into_iter().map(|(e, _)| e), &headings),
            &headings,
        )
        .filter_map(|e| footnotes.take(e)),
    );
    let footnotes = footnotes.finish();
    out.anchors = headings.iter().map(|h| h.id.clone()).collect();
    if !footnotes.is_empty() {
        write_footnotes(&mut html_text, footnotes, &prefix, &mut out.anchors);
    }
    out.html = Arc::from(html_text);
    out.toc = nest(headings);
    out
}

/// If the body opens with `# Title`, returns the title, removing the heading
/// when `drop` is set (the template prints the title as the page's h1).
fn take_leading_h1(
    events: &mut Vec<(Event, std::ops::Range<usize>)>,
    drop: bool,
) -> Option<String> {
    let Some((
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }),
        _,
    )) = events.first()
    else {
        return None;
    };
    let end = events
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))?;
    let title = plain_text(events[1..end].iter().map(|(e, _)| e));
    if drop {
        events.drain(..=end);
    }
    Some(title)
}

fn plain_text<'a>(events: impl Iterator<Item = &'a Event<'a>>) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn count_words(events: &[(Event, std::ops::Range<usize>)]) -> usize {
    events
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) => words_in(t),
            _ => 0,
        })
        .sum()
}

/// `text.split_whitespace().count()`, with a byte loop for ASCII text: the
/// Unicode-aware split decodes every character, which showed in profiles.
fn words_in(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // The ASCII characters `char::is_whitespace` accepts: 9 to 13 and space.
    let space = |b: u8| b == b' ' || b.wrapping_sub(b'\t') < 5;
    let bytes = text.as_bytes();
    let first = bytes.first().is_some_and(|&b| !space(b));
    // A word starts wherever a non-space follows a space.
    usize::from(first)
        + bytes
            .windows(2)
            .filter(|w| space(w[0]) && !space(w[1]))
            .count()
}

/// Wraps each table in a focusable, labelled scrolling region, so a wide
/// table scrolls on its own on a phone instead of widening the page. The
/// label names the table after the heading it sits under.
fn wrap_tables<'a, 'h, I: Iterator<Item = Event<'a>>>(
    events: I,
    headings: &'h [Heading],
) -> TableWrapper<'a, 'h, I> {
    TableWrapper {
        events,
        headings,
        next_heading: 0,
        current: None,
        pending: None,
    }
}

/// The iterator [`wrap_tables`] returns: events pass through unchanged, with
/// the region's opening before each table and its closing after.
struct TableWrapper<'a, 'h, I> {
    events: I,
    headings: &'h [Heading],
    next_heading: usize,
    /// The title of the heading the events are under.
    current: Option<&'h str>,
    /// An event to give out before reading on.
    pending: Option<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for TableWrapper<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.take() {
            return Some(event);
        }
        let event = self.events.next()?;
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                self.current = self
                    .headings
                    .get(self.next_heading)
                    .map(|h| h.title.as_str());
                self.next_heading += 1;
                Some(event)
            }
            Event::Start(Tag::Table(_)) => {
                let label = self
                    .current
                    .map_or_else(|| "Table".to_string(), |t| format!("Table: {t}"));
                let mut html = String::from(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"",
                );
                crate::html::escape_into(&mut html, &label);
                html.push_str("\">\n");
                self.pending = Some(event);
                Some(Event::Html(CowStr::from(html)))
            }
            Event::End(TagEnd::Table) => {
                self.pending = Some(Event::Html(CowStr::Borrowed("</div>\n")));
                Some(event)
            }
            _ => Some(event),
        }
    }
}

/// Records headings, images (with their alt text) and web links, with
/// positions, for the content lints.
fn collect_facts(events: &[(Event, std::ops::Range<usize>)], lines: &LineIndex) -> Facts {
    let mut facts = Facts::default();
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                facts
                    .outline
                    .push((*level as u8, lines.location(range.start)));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let end = events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Image)))
                    .map_or(events.len(), |p| i + p);
                facts.images.push(Image {
                    src: dest_url.to_string(),
                    alt: plain_text(events[i + 1..end].iter().map(|(e, _)| e)),
                    location: lines.location(range.start),
                });
            }
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.starts_with("http://") || dest_url.starts_with("https://") =>
            {
                facts.web_links.push(WebLink {
                    url: dest_url.to_string(),
                    location: lines.location(range.start),
                });
            }
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.starts_with('#')
                    || (dest_url.starts_with('/') && !dest_url.starts_with("//")) =>
            {
                facts.site_links.push(WebLink {
                    url: dest_url.to_string(),
                    location: lines.location(range.start),
                });
            }
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(_)))
                if facts.unclosed_fence.is_none() =>
            {
                facts.unclosed_fence =
                    fences::unclosed(lines, range).then(|| lines.location(range.start));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (offset, tag) in html_img_tags(html) {
                    let has_alt = has_attribute(tag, "alt");
                    facts.images.push(Image {
                        src: String::new(),
                        alt: if has_alt {
                            "(raw HTML)".into()
                        } else {
                            String::new()
                        },
                        location: lines.location(range.start + offset),
                    });
                }
            }
            _ => {}
        }
    }
    facts
}

/// Whether an HTML start tag has attribute `name` (any case, any white
/// space before it, with or without a value).
fn has_attribute(tag: &str, name: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower.match_indices(name).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + name.len()..].chars().next();
        before.is_some_and(|c| c.is_ascii_whitespace() || c == '"' || c == '\'')
            && after.is_none_or(|c| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
    })
}

/// `<img …>` tags in raw HTML, with their offsets.
fn html_img_tags(html: &str) -> Vec<(usize, &str)> {
    let lower = html.to_ascii_lowercase();
    lower
        .match_indices("<img")
        .map(|(i, _)| {
            let end = lower[i..].find('>').map_or(html.len(), |e| i + e + 1);
            (i, &html[i..end])
        })
        .collect()
}

/// Replaces the opening tag of every internal link with one whose `href` is
/// a placeholder, and records the link.
fn mark_internal_links(
    events: &mut [(Event, std::ops::Range<usize>)],
    source_dir: &str,
    lines: &LineIndex,
) -> Vec<InternalLink> {
    let mut links = Vec::new();
    for (event, range) in events.iter_mut() {
        let Event::Start(Tag::Link {
            dest_url, title, ..
        }) = event
        else {
            continue;
        };
        let Some((target, fragment)) = classify(dest_url, source_dir) else {
            continue;
        };
        let mut tag = format!("<a href=\"{LINK_MARK}{}{LINK_MARK}\"", links.len());
        if !title.is_empty() {
            tag.push_str(" title=\"");
            crate::html::escape_into(&mut tag, title);
            tag.push('"');
        }
        tag.push('>');
        links.push(InternalLink {
            raw: dest_url.to_string(),
            target,
            fragment,
            location: lines.location(range.start),
            length: range.len(),
        });
        *event = Event::InlineHtml(CowStr::from(tag));
    }
    links
}

/// Decides whether a link destination points at a content file. Returns the
/// target relative to `content/` (`None` if it climbs out) and the fragment.
fn classify(dest: &str, source_dir: &str) -> Option<(Option<String>, Option<String>)> {
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    // A file name with spaces or `%` is written percent-encoded in a link
    // (`Hello%20World.md`); the link names the file as it is on disk.
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8();
    let path = match &decoded {
        Ok(d) if !d.contains('\0') => d.as_ref(),
        _ => path,
    };
    if let Some(rest) = path.strip_prefix("@/") {
        return Some((normalize(rest), fragment));
    }
    let is_relative_md = path.ends_with(".md")
        && !path.starts_with('/')
        && !path.contains("://")
        && !path.starts_with("mailto:");
    if !is_relative_md {
        return None;
    }
    let joined = if source_dir.is_empty() {
        path.to_string()
    } else {
        format!("{source_dir}/{path}")
    };
    Some((normalize(&joined), fragment))
}

/// Resolves `.` and `..` in a `/`-separated path; `None` if it leaves the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Replaces link placeholders in `html` with `urls[i]` (already escaped for
/// an attribute). Placeholders with no URL become `#`; image placeholders
/// (`images.rs`), which are not numbers, are left for the image stage.
pub fn fill_links(html: &str, urls: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + urls.len() * 16);
    let mut rest = html;
    while let Some(start) = rest.find(LINK_MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find(LINK_MARK) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let mark = &after[..end];
        if mark.starts_with(['c', 'e', 'i']) {
            // A component placeholder (`crate::components::expand` fills it) or
            // an image placeholder (the image stage fills it).
            out.push_str(&rest[start..start + end + 2]);
            rest = &after[end + 1..];
            continue;
        }
        let url = mark
            .parse::<usize>()
            .ok()
            .and_then(|i| urls.get(i))
            .map_or("#", String::as_str);
        out.push_str(url);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> Rendered {
        render(
            body,
            1,
            "partners",
            MarkdownOptions {
                smart_punctuation: true,
                drop_leading_h1: true,
                citation_word: "source",
            },
        )
    }

    #[test]
    fn alerts_become_callouts_and_task_boxes_are_labelled() {
        let r = md(
            "> [!WARNING]\n> Check the date.\n\n- [x] signed\n- [ ] ratified\n\n> plain quote\n",
        );
        assert!(r.html.contains("<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\"><strong>Warning</strong></p>\n<p>Check the date.</p>\n</div>"), "{}", r.html);
        assert!(r.html.contains("<input type=\"checkbox\" class=\"task\" disabled checked aria-label=\"Done\"> signed"), "{}", r.html);
        assert!(
            r.html.contains("aria-label=\"Not done\"> ratified"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<blockquote>\n<p>plain quote</p>\n</blockquote>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn heading_anchor_labels_are_escaped() {
        let r = md("## Votes & \"results\" {#v}\n");
        assert!(
            r.html.contains(
                "href=\"#v\" aria-label=\"Link to this section: Votes &amp; “results”\">#</a></h2>"
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = md("## Areas\n\n### Cyber\n\n## Areas\n\n## Custom {#my-id}\n");
        assert!(r.html.contains("<h2 id=\"areas\">Areas <a class=\"heading-anchor\" href=\"#areas\" aria-label=\"Link to this section: Areas\">#</a></h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"areas-1\">"));
        assert!(
            r.html
                .contains("<h2 id=\"my-id\">Custom <a class=\"heading-anchor\" href=\"#my-id\"")
        );
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].id, "cyber");
        assert_eq!(r.anchors, ["areas", "cyber", "areas-1", "my-id"]);
        let r = md("## Areas\n\n## Areas\n\n## Chosen {#areas-1}\n");
        assert_eq!(
            r.anchors,
            ["areas", "areas-2", "areas-1"],
            "explicit ids win"
        );
    }

    #[test]
    fn word_count_agrees_with_split_whitespace() {
        // Every string of up to four characters over an alphabet with each
        // kind of separator, ASCII and not.
        let alphabet = [
            'a', ' ', '\t', '\n', '\x0b', '\x0c', '\r', '\u{a0}', 'é', '\x1f',
        ];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        for s in &strings {
            assert_eq!(words_in(s), s.split_whitespace().count(), "{s:?}");
        }
    }

    #[test]
    fn leading_h1_becomes_the_title_and_is_dropped() {
        let r = md("# The *Title*\n\nText\n");
        assert_eq!(r.leading_h1.as_deref(), Some("The Title"));
        assert!(!r.html.contains("<h1"));
    }

    #[test]
    fn tables_strikethrough_and_smart_punctuation() {
        let r = md("| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n");
        assert!(r.html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n<table>"), "{}", r.html);
        assert!(r.html.contains("</table>\n</div>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“quoted”"));
        let r = md("## Votes & \\<results\\>\n\n| a |\n|---|\n| 1 |\n");
        assert!(
            r.html
                .contains("aria-label=\"Table: Votes &amp; &lt;results&gt;\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn footnotes_are_numbered_and_gathered_at_the_end() {
        let r = md("One[^b] two[^a] again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n\nAfter.\n");
        let body_end = r.html.find("<section class=\"footnotes\"").unwrap();
        assert!(r.html[..body_end].contains("After."));
        assert!(r.html.contains("id=\"fnref-1\"><a href=\"#fn-1\">1</a>"));
        assert!(r.html.contains("id=\"fnref-1-2\""));
        let b = r.html.find("<li id=\"fn-1\">\n<p>Note B.</p>").unwrap();
        let a = r.html.find("<li id=\"fn-2\">\n<p>Note A.</p>").unwrap();
        assert!(b < a);
        assert!(r.html.contains("href=\"#fnref-1-2\""));
    }

    #[test]
    fn internal_links_are_recorded_with_positions() {
        let r = md(
            "Intro\n\nSee [Japan](@/partners/japan.md#areas \"T\") and [UK](united-kingdom.md) and [up](../../x.md) and [web](https://x.org/a.md).\n",
        );
        assert_eq!(r.links.len(), 3);
        assert_eq!(r.links[0].target.as_deref(), Some("partners/japan.md"));
        assert_eq!(r.links[0].fragment.as_deref(), Some("areas"));
        assert_eq!(r.links[0].location, Location::new(3, 5));
        assert_eq!(
            r.links[1].target.as_deref(),
            Some("partners/united-kingdom.md")
        );
        assert_eq!(r.links[2].target, None);
        let filled = fill_links(&r.html, &["/partners/japan/#areas".into(), "/uk/".into()]);
        assert!(
            filled.contains("<a href=\"/partners/japan/#areas\" title=\"T\">Japan</a>"),
            "{filled}"
        );
        assert!(filled.contains("<a href=\"#\">up</a>"));
        assert!(filled.contains("href=\"https://x.org/a.md\""));
    }

    #[test]
    fn facts_record_headings_images_and_web_links() {
        let r = md(
            "## A\n\n#### B\n\n![](x.png) ![a map](m.png) <img src=\"r.png\">\n\n[w](https://x.org/) [i](@/a.md)\n",
        );
        assert_eq!(
            r.facts.outline,
            vec![(2, Location::new(1, 1)), (4, Location::new(3, 1))]
        );
        let alts: Vec<&str> = r.facts.images.iter().map(|i| i.alt.as_str()).collect();
        assert_eq!(alts, ["", "a map", ""]);
        assert_eq!(r.facts.images[2].location, Location::new(5, 28));
        assert_eq!(r.facts.web_links.len(), 1);
        assert_eq!(r.facts.web_links[0].location, Location::new(7, 1));
    }

    #[test]
    fn alt_attributes_are_found_in_any_case_and_spacing() {
        assert!(has_attribute("<IMG SRC=\"a.png\" ALT=\"A chart\">", "alt"));
        assert!(has_attribute("<img src=\"t.png\"\talt=\"A table\">", "alt"));
        assert!(has_attribute("<img alt src=x>", "alt"));
        assert!(!has_attribute("<img src=\"salt.png\">", "alt"));
        assert!(!has_attribute("<img data-alt=\"x\" src=a>", "alt"));
    }

    #[test]
    fn citations_are_numbered_in_order_of_first_citation() {
        let r = md(
            "A [@b, p. 3] and [@a; @b].\n\n[x](https://x.org/) [^n] [@c][] [d][r]\n\n[r]: https://r.org/\n\n[^n]: N.\n",
        );
        let c = &r.facts.citations;
        assert_eq!(c.ids, ["b", "a"]);
        assert_eq!(c.uses.len(), 3);
        assert_eq!(c.uses[0].location, Location::new(1, 5));
        assert_eq!(c.uses[2].anchor, "cite-ref-1-2");
        assert!(
            r.html.contains("<sup class=\"citation\">[<a href=\"#cite-1\" id=\"cite-ref-1\"><span class=\"visually-hidden\">source </span>1</a>, p. 3]</sup>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"https://x.org/\""));
        assert!(
            r.html.contains("href=\"https://r.org/\">d</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("footnote-reference"));
        assert!(
            r.html.contains("[@c]"),
            "a collapsed reference is not a citation: {}",
            r.html
        );
        let r = md("Bad [@a; b].\n");
        assert_eq!(r.facts.citations.malformed[0].0, Location::new(1, 10));
    }

    #[test]
    fn blocks_record_whether_they_cite() {
        let r = md(
            "## C {#cite-1}\n\nOne [@a].\n\nTwo.\n\n- item [@a]\n  - nested\n- bare\n\n> quoted\n\nSee [J](@/j.md) and [K](@/k.md).\n",
        );
        let b: Vec<(BlockKind, bool, bool)> = r
            .facts
            .citations
            .blocks
            .iter()
            .map(|b| (b.kind, b.cited, b.navigation))
            .collect();
        assert_eq!(
            b,
            [
                (BlockKind::Paragraph, true, false),
                (BlockKind::Paragraph, false, false),
                (BlockKind::ListItem, true, false),
                (BlockKind::ListItem, false, false),
                (BlockKind::Quote, false, false),
                (BlockKind::Paragraph, false, true),
            ]
        );
        assert_eq!(
            r.facts.citations.prefix, "cite2",
            "a heading id took `cite-`"
        );
    }

    #[test]
    fn nul_bytes_cannot_forge_placeholders() {
        let r = md("a\u{0}0\u{0}b [x](@/a.md)\n");
        assert_eq!(r.html.matches(LINK_MARK).count(), 2);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let body = format!("{}deep\n", "> ".repeat(5000));
        let r = md(&body);
        assert!(r.html.contains("deep"));
        let list = "- a\n".to_string()
            + &(1..2000)
                .map(|i| format!("{}- a\n", "  ".repeat(i)))
                .collect::<String>();
        assert!(md(&list).html.contains("<li>"));
    }

    #[test]
    fn normalize_refuses_to_leave_the_root() {
        assert_eq!(normalize("a/./b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("../c.md"), None);
    }
}
