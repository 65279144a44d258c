//! Drafts in the live preview.
//!
//! The preview shows drafts (a new page is a draft until it is ready, and an
//! editor wants to see it while writing it), and makes the difference from
//! the published site impossible to miss:
//! - every draft page carries a "Draft: not published" banner, added to
//!   its HTML in memory (the build never writes it: drafts are left out);
//! - the `TODO` placeholders `dossier new` writes are warnings in a draft,
//!   so a new page can be previewed at once; the build still refuses them.

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::Document;
use crate::model::{Site, urls};

/// The banner, right after `<body>`: a labelled landmark, readable with
/// the page's own styles or none (its colours pass WCAG AA on their own).
const BANNER: &str = concat!(
    "<aside class=\"dossier-draft\" aria-label=\"Draft notice\" style=\"",
    "display:block;margin:0;padding:.6rem 1rem;background:#fff3bf;color:#1a1a1a;",
    "border-bottom:3px solid #7a5c00;font:1rem/1.4 system-ui,sans-serif\">",
    "<strong>Draft: not published.</strong> This page has <code>draft: true</code>: ",
    "the preview shows it, the published site leaves it out.</aside>"
);

/// What the preview reports about a file it read: a draft's placeholders
/// are warnings, with a note that the build refuses them.
pub(super) fn preview_findings(
    document: Option<&Document>,
    mut found: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    if document.is_some_and(|d| d.front.draft) {
        for d in found.iter_mut().filter(|d| d.code == "E-PLACEHOLDER") {
            d.severity = Severity::Warning;
            d.notes.push(
                "a draft may hold placeholders in the preview; the build refuses them".into(),
            );
        }
    }
    found
}

/// The output files of the draft pages in `site`.
pub(super) fn draft_files(site: &Site) -> HashSet<String> {
    site.pages
        .iter()
        .filter(|p| p.front.draft)
        .map(|p| urls::output_file(&p.path))
        .collect()
}

/// `html` with the draft banner after its `<body>` tag (or first, if it has
/// none).
pub(super) fn with_banner(html: &[u8]) -> Vec<u8> {
    let at = body_start(html).unwrap_or(0);
    let mut out = Vec::with_capacity(html.len() + BANNER.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(BANNER.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The offset just after the `<body …>` start tag.
fn body_start(html: &[u8]) -> Option<usize> {
    let lower = html.to_ascii_lowercase();
    let open = memchr::memmem::find_iter(&lower, b"<body")
        .find(|&i| matches!(lower.get(i + 5), Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')))?;
    let close = memchr::memchr(b'>', &html[open..])?;
    Some(open + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_goes_right_after_the_body_tag() {
        let out = with_banner(
            b"<html><head><title>x</title></head><body class=\"a\"><p>x</p></body></html>",
        );
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("<body class=\"a\"><aside class=\"dossier-draft\""),
            "{out}"
        );
        assert!(out.ends_with("</aside><p>x</p></body></html>"), "{out}");
        // `<bodyguard>` is not a body tag.
        let out = String::from_utf8(with_banner(b"<bodyguard>x")).unwrap();
        assert!(out.starts_with("<aside"), "{out}");
    }
}
