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
    ("W-TRANSLATION-STALE", Severity::Warning),
    ("W-TRANSLATION-FIGURES", Severity::Warning),
];
