//! The editors' guide (CONTENT.md), served at `/__dossier/guide/`, so that
//! every finding in the overlay can link to what its code means.
//!
//! The guide is embedded in the binary, so the link works wherever dossier
//! runs and always matches the binary's own messages. Headings get the ids
//! GitHub gives them (CONTENT.md links to its own sections that way), and
//! each message code in the first column of a table gets its code as id:
//! `/__dossier/guide/#E-LINK-BROKEN`.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::html::escape;

const GUIDE: &str = include_str!("../../CONTENT.md");

/// The guide page, rendered once.
pub fn page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| render(GUIDE))
}

fn render(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    // Raw HTML first becomes text, so that the code ids added below are the
    // only HTML the page carries that dossier did not render itself.
    let mut events: Vec<Event> = Parser::new_ext(markdown, options)
        .map(text_only_html)
        .collect();
    let mut ids = HashSet::new();
    name_headings(&mut events, &mut ids);
    name_codes(&mut events, &mut ids);
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events.into_iter());
    let title = markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("Editors' guide");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} (dossier serve)</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

/// Raw HTML in the guide is shown as text: the page is dossier's own.
fn text_only_html(event: Event<'_>) -> Event<'_> {
    match event {
        // Comments are notes for whoever edits CONTENT.md (the markers
        // around the generated component catalogue), not for readers.
        Event::Html(html) if html.trim_start().starts_with("<!--") => Event::Text("".into()),
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    }
}

/// GitHub's heading ids: lower case, letters, digits, `-` and `_` kept,
/// spaces made dashes, everything else dropped; repeats get `-1`, `-2`.
fn heading_id(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn unique(base: String, ids: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn name_headings(events: &mut [Event], ids: &mut HashSet<String>) {
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i] else {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i] {
                ids.insert(id.to_string());
            }
            continue;
        };
        let mut text = String::new();
        for event in &events[i + 1..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let new_id = unique(heading_id(&text), ids);
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(new_id));
        }
    }
}

/// `E-LINK-BROKEN`, `W-ORPHAN`: what a message code looks like.
fn is_code(text: &str) -> bool {
    let mut parts = text.splitn(2, '-');
    matches!(parts.next(), Some("E" | "W"))
        && parts.next().is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// A table row whose first cell is just a code gets the code as its id.
fn name_codes(events: &mut [Event], ids: &mut HashSet<String>) {
    let mut cell = 0;
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => cell = 0,
            Event::Start(Tag::TableCell) => {
                cell += 1;
                let lone_code =
                    cell == 1 && matches!(events.get(i + 2), Some(Event::End(TagEnd::TableCell)));
                if let (true, Some(Event::Code(code))) = (lone_code, events.get(i + 1))
                    && is_code(code)
                    && ids.insert(code.to_string())
                {
                    let html = format!("<code id=\"{0}\">{0}</code>", escape(code));
                    events[i + 1] = Event::InlineHtml(CowStr::from(html));
                }
            }
            _ => {}
        }
    }
}

/// Long lines wrap rather than scroll: a scrolling box without anything
/// focusable in it cannot be scrolled from the keyboard.
const STYLE: &str = "body{margin:0;background:#fff;color:#1a1a1a;font:1rem/1.6 system-ui,sans-serif}\
main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 4rem}\
a{color:#0645ad}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;background:#f2f2f2;padding:0 .2em;border-radius:3px}\
pre{background:#f2f2f2;padding:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}pre code{padding:0}\
table{border-collapse:collapse;width:100%}td,th,code{overflow-wrap:anywhere}\
th,td{border:1px solid #bbb;padding:.4rem .5rem;text-align:left;vertical-align:top}\
th{background:#eee}tr:has(:target) td,:target{background:#fff3b0;scroll-margin-top:1rem}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_githubs_ids_and_codes_their_own() {
        let html = render(
            "# Guide\n\n## What each message means\n\n## Creating a page with `dossier new`\n\n\
             ## Keep {#fixed}\n\n## Guide\n\n| Code | Meaning |\n|---|---|\n| `E-LINK-BROKEN` | A link. |\n\
             | `W-ORPHAN` | An orphan. |\n| `not-a-code` | x |\n\n<b>raw</b>\n",
        );
        assert!(
            html.contains("<h2 id=\"what-each-message-means\">"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"creating-a-page-with-dossier-new\">"));
        assert!(html.contains("<h2 id=\"fixed\">"));
        assert!(html.contains("<h2 id=\"guide-1\">"), "repeats are numbered");
        assert!(html.contains("<code id=\"E-LINK-BROKEN\">E-LINK-BROKEN</code>"));
        assert!(html.contains("<code id=\"W-ORPHAN\">"));
        assert!(!html.contains("id=\"not-a-code\""));
        assert!(html.contains("&lt;b&gt;raw"), "raw HTML is shown as text");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>Guide (dossier serve)</title>"));
    }

    #[test]
    fn the_shipped_guide_names_every_code_it_lists() {
        let html = page();
        for code in [
            "E-LINK-BROKEN",
            "E-FRONT-MATTER-YAML",
            "E-CONFIG",
            "W-SYMLINK",
        ] {
            assert!(html.contains(&format!("id=\"{code}\"")), "{code}");
        }
        assert!(html.contains("id=\"what-each-message-means\""));
    }
}
