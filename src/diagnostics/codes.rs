//! The registry of content lints: every code `dossier check` can report
//! beyond the build's own errors, with its default severity.
//!
//! It lives here, below both `config` (which checks the codes named in
//! `site.yaml`'s `lints:`) and `lint/` (which runs them), so that neither of
//! those two imports the other's internals.

use super::Severity;

/// Every lint, with its default severity. Codes are stable: CONTENT.md
/// documents each one.
pub const LINTS: &[(&str, Severity)] = &[
    ("E-SOURCES-MISSING", Severity::Error),
    ("E-IMAGE-ALT", Severity::Error),
    ("E-EXTERNAL-LINK", Severity::Error),
    ("E-SOURCE-UNRELIABLE", Severity::Error),
    ("W-UNSOURCED", Severity::Warning),
    ("W-QUOTE-UNSOURCED", Severity::Warning),
    ("W-SOURCE-UNUSED", Severity::Warning),
    ("W-SOURCE-HTTP", Severity::Warning),
    ("W-HEADING-SKIP", Severity::Warning),
    ("W-HEADING-H1", Severity::Warning),
    ("W-TITLE-DUPLICATE", Severity::Warning),
    ("W-ORPHAN", Severity::Warning),
    ("W-STALE", Severity::Warning),
    ("E-IMAGE-CREDIT", Severity::Error),
    ("W-FENCE-UNCLOSED", Severity::Warning),
    ("W-TRANSLATION-STALE", Severity::Warning),
    ("W-TRANSLATION-FIGURES", Severity::Warning),
];

/// The errors of components in content (`crate::components`). They are
/// build errors, not lints: a call that cannot be read has no output, so
/// their level cannot be changed in `lints:`. CONTENT.md documents each.
pub const COMPONENT_CODES: &[&str] = &[
    "E-COMPONENT-UNKNOWN",
    "E-COMPONENT-ARGUMENT",
    "E-COMPONENT-TYPE",
    "E-COMPONENT-SYNTAX",
    "E-COMPONENT-UNCLOSED",
    "E-COMPONENT-END",
    "E-COMPONENT-BODY",
    "E-COMPONENT-RENDER",
];

/// The image stage's codes (`crate::images`). They are not lints: a missing
/// or broken image is an error (and a cache that cannot be written a
/// warning) whatever `lints:` says, like a broken link. CONTENT.md documents
/// each one.
pub const IMAGE_CODES: &[(&str, Severity)] = &[
    ("E-IMAGE-MISSING", Severity::Error),
    ("E-IMAGE-BAD", Severity::Error),
    ("E-IMAGE-TOO-LARGE", Severity::Error),
    ("W-IMAGE-CACHE", Severity::Warning),
];

#[cfg(test)]
mod tests {
    /// Every registered code has its row in CONTENT.md's list of messages
    /// (the dev server's guide links each code there).
    #[test]
    fn content_md_documents_every_registered_code() {
        let guide = include_str!("../../CONTENT.md");
        let codes = super::LINTS
            .iter()
            .chain(super::IMAGE_CODES)
            .map(|(c, _)| *c)
            .chain(super::COMPONENT_CODES.iter().copied());
        for code in codes {
            assert!(
                guide.contains(&format!("| `{code}` |")),
                "CONTENT.md does not document {code}"
            );
        }
    }
}
