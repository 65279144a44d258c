//! `dossier check`'s content lints in the live preview, kept current
//! edit by edit.
//!
//! The preview and `check` must never disagree: a page that looks clean in
//! the browser must not fail `check` later. So every rebuild reports the
//! same lints, from the same code (`lint::lint_page`, `lint_sections`,
//! `lint_titles`, `lint_register`, `run_links`), as warnings that do not block the page (a
//! lint `check` treats as an error says so in a note).
//!
//! They are kept per page and re-run only where an edit can change them:
//! all of them after a rebuild through the model (which costs more than
//! they do), only the edited pages' after a body edit (a body edit changes
//! no front matter, so titles and sources stay as they were). The link
//! graph behind the orphan lint is updated with each file rendered and
//! each file removed, never rebuilt from the whole site.

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Severity};
use crate::lint::{self, LinkGraph};
use crate::model::{PageId, Site};

#[derive(Default)]
pub(super) struct PreviewLints {
    /// Findings of each page's own lints, by page id.
    pages: Vec<Vec<Diagnostic>>,
    /// Findings about sections, titles and the source register.
    site_wide: Vec<Diagnostic>,
    graph: LinkGraph,
}

impl PreviewLints {
    /// After a rebuild through the model: every lint again; the link graph
    /// from scratch when everything was rendered (`full`), else updated.
    pub(super) fn after_model<'a>(
        &mut self,
        site: &Site,
        rendered: impl Iterator<Item = (&'a str, &'a [u8])>,
        removed: impl Iterator<Item = &'a str>,
        full: bool,
    ) {
        let today = Date::today();
        self.pages = (0..site.pages.len())
            .map(|id| lint::lint_page(site, id, today))
            .collect();
        self.site_wide = lint::lint_sections(site);
        self.site_wide.extend(lint::lint_titles(site));
        self.site_wide.extend(lint::lint_register(site));
        if full {
            self.graph = LinkGraph::default();
        }
        for file in removed {
            self.graph.forget(file);
        }
        self.record(rendered);
    }

    /// After a body edit of `pages`: their own lints, and the links of what
    /// was rendered.
    pub(super) fn after_body_edits<'a>(
        &mut self,
        site: &Site,
        pages: &[PageId],
        rendered: impl Iterator<Item = (&'a str, &'a [u8])>,
    ) {
        let today = Date::today();
        for &id in pages {
            if let Some(slot) = self.pages.get_mut(id) {
                *slot = lint::lint_page(site, id, today);
            }
        }
        self.record(rendered);
    }

    fn record<'a>(&self, rendered: impl Iterator<Item = (&'a str, &'a [u8])>) {
        for (file, bytes) in rendered {
            self.graph.record(file, bytes);
        }
    }

    /// Every current finding, as the preview shows it: a warning.
    pub(super) fn findings(&self, site: &Site) -> Vec<Diagnostic> {
        self.pages
            .iter()
            .flatten()
            .chain(&self.site_wide)
            .cloned()
            .chain(lint::run_links(site, &self.graph))
            .map(as_preview)
            .collect()
    }
}

/// The preview never blocks on a lint: what `check` would call an error is
/// shown as a warning that says so.
fn as_preview(mut d: Diagnostic) -> Diagnostic {
    if d.severity == Severity::Error {
        d.severity = Severity::Warning;
        d.notes
            .push("`dossier check` reports this as an error: fix it before publishing".into());
    }
    d
}
