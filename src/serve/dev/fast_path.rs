//! The dev server's fast path: an edit that changed only the text of
//! existing pages is patched into the model instead of rebuilding it (see
//! [`DevSite::body_edits`] for when that is right, and ARCHITECTURE.md).

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use super::{Changes, DevSite, Rebuilt, RenderedFiles, drafts, render_into_memory};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, DocKind, Document};
use crate::model::{self, PageId};
use crate::render::{self, Job};

/// One page whose body alone changed, as just read.
pub(super) struct BodyEdit {
    page: PageId,
    document: Document,
    found: Vec<Diagnostic>,
}

impl DevSite {
    /// The edits of `changes`, if they are all body edits of pages: the
    /// fast path's condition. `None` sends the rebuild through the model.
    ///
    /// A body edit changes a page's HTML, table of contents, headings, word
    /// count and lint facts. Other outputs see none of that: lists,
    /// neighbours, tags, `site.` and `get_section` carry page summaries,
    /// made of front matter and paths only. What does read content is known
    /// and handled by [`Self::apply_body_edits`]: the page itself, templates
    /// calling `get_page` (`content_readers`), the feed and the search index.
    /// Links from other pages stay valid as long as no heading the page had
    /// is gone. So each changed file must be an existing, published page
    /// that reads without errors, with front matter equal to the model's
    /// (which also keeps its title, slug, order, tags and template) and a
    /// superset of its former headings. Anything else (sections, new or
    /// removed files, templates, `site.yaml`, `static/`) is not a body edit.
    pub(super) fn body_edits(&self, changes: &Changes) -> Option<Vec<BodyEdit>> {
        let only_content = !changes.config && !changes.statics && changes.templates.is_empty();
        if self.model_pass_needed || !only_content || changes.content.is_empty() {
            return None;
        }
        let (site, (listing, _), config) = (
            self.site.as_ref()?,
            self.listing.as_ref()?,
            self.config.as_ref()?,
        );
        let sources: BTreeSet<&str> = changes
            .content
            .iter()
            .chain(&self.pending)
            .map(String::as_str)
            .collect();
        let known_page = |source: &str| {
            load::file_name(source) != "_index.md"
                && listing.markdown.iter().any(|(s, _)| s == source)
                && self.root.join(load::CONTENT_DIR).join(source).is_file()
        };
        if !sources.iter().all(|s| known_page(s)) {
            return None;
        }
        let read = load::read_sources(listing, config, |s| sources.contains(s));
        if read.len() != sources.len() {
            return None;
        }
        read.into_iter()
            .map(|(source, document, found)| {
                let found = drafts::preview_findings(document.as_ref(), found);
                let document = document.filter(|_| !found.iter().any(Diagnostic::is_error))?;
                let page = site.pages.iter().position(|p| p.source == source)?;
                let before = &site.pages[page];
                let headings_kept = before
                    .anchors
                    .iter()
                    .all(|a| document.body.anchors.contains(a));
                // Local images are measured and placed by the image stage,
                // which runs with the model: such edits go that way.
                let no_images = document.body.facts.local_images.is_empty();
                // A translation is compared as the model holds it: with
                // what it inherits from its original.
                // With `language_fallback: render`, an original's text is also
                // published as its copies in other languages: through the model.
                let copied = config.languages.fallback == crate::languages::Fallback::Render
                    && document.lang == crate::languages::DEFAULT
                    && site.pages.iter().any(|p| p.fallback);
                if copied {
                    return None;
                }
                let front_kept = if document.lang == crate::languages::DEFAULT {
                    document.front == before.front
                } else {
                    let original_source = document.original_source();
                    let original = site.pages.iter().find(|p| {
                        p.lang == crate::languages::DEFAULT && p.source == original_source
                    })?;
                    crate::languages::inherit::merged_front(&document, &original.front, config)
                        == before.front
                };
                (document.kind == DocKind::Page && front_kept && headings_kept && no_images)
                    .then_some(BodyEdit {
                        page,
                        document,
                        found,
                    })
            })
            .collect()
    }

    /// The fast path: patches the edited pages into the model, the values
    /// `get_page` reads and the search index's entries, then renders the
    /// pages whose content changed, the outputs of templates that read
    /// other pages' content, and the generated files that show content
    /// (`render::CONTENT_GENERATED_FILES`). On error the model is put back
    /// as it was, so the last good site stays whole.
    pub(super) fn apply_body_edits(
        &mut self,
        edits: Vec<BodyEdit>,
        mut timer: crate::build::StageTimer,
    ) -> Result<Rebuilt, Diagnostics> {
        let sources: Vec<String> = edits.iter().map(|e| e.document.source.clone()).collect();
        let edited: Vec<PageId> = edits.iter().map(|e| e.page).collect();
        for edit in &edits {
            self.documents.insert(
                edit.document.source.clone(),
                (Some(edit.document.clone()), edit.found.clone()),
            );
        }
        let mut diagnostics = self.known_findings();
        let Some(site) = self.site.as_ref().filter(|_| !diagnostics.has_errors()) else {
            self.pending.extend(sources);
            return Err(diagnostics.sorted());
        };
        let bodies: Vec<(PageId, &load::Rendered)> =
            edits.iter().map(|e| (e.page, &e.document.body)).collect();
        let contents = match model::resolve_edited_bodies(site, &bodies, &self.hidden_drafts()) {
            Ok(contents) => contents,
            Err(errors) => {
                self.pending.extend(sources);
                diagnostics.extend(errors);
                return Err(diagnostics.sorted());
            }
        };
        // Component calls in the new bodies, against the site as it is.
        let mut errors = Vec::new();
        let contents: Vec<std::sync::Arc<str>> = match self.templates.as_ref() {
            Some(templates) => edits
                .iter()
                .zip(contents)
                .map(|(edit, content)| {
                    let calls = &edit.document.body.facts.components;
                    if crate::components::has_marks(calls) {
                        let source = &site.pages[edit.page].source;
                        crate::components::expand_one(
                            site,
                            templates,
                            source,
                            &content,
                            calls,
                            &mut errors,
                        )
                        .into()
                    } else {
                        content
                    }
                })
                .collect(),
            None => contents,
        };
        if !errors.is_empty() {
            self.pending.extend(sources);
            diagnostics.extend(errors);
            return Err(diagnostics.sorted());
        }
        let mut jobs: Vec<Job> = Vec::new();
        let mut patched = Vec::new();
        for (edit, content) in edits.into_iter().zip(contents) {
            let before = &site.pages[edit.page];
            let body = edit.document.body;
            if *before.content != *content
                || before.toc != body.toc
                || before.word_count != body.word_count
            {
                jobs.push(Job::Page(edit.page));
            }
            let mut page = before.clone();
            page.content = content;
            page.toc = body.toc;
            page.anchors = body.anchors;
            page.word_count = body.word_count;
            page.facts = body.facts;
            page.links = Vec::new();
            patched.push((edit.page, page));
        }
        if !jobs.is_empty() {
            let own: HashSet<Job> = jobs.iter().copied().collect();
            jobs.extend(self.content_reader_jobs.iter().filter(|j| !own.contains(j)));
            jobs.push(Job::Generated);
        }
        let previous = self.install_pages(patched);
        timer.stage("patch model");
        // `body_edits` made sure there is a model to render.
        let (rendered, found) = self.render_jobs(&jobs).unwrap_or_default();
        timer.stage("render");
        if found.iter().any(Diagnostic::is_error) {
            self.install_pages(previous);
            self.pending.extend(sources);
            diagnostics.extend(found);
            return Err(diagnostics.sorted());
        }
        diagnostics.extend(found);
        self.pending.clear();
        if let Some(site) = &self.site {
            self.lints.after_body_edits(
                site,
                &edited,
                rendered.iter().map(|(f, b)| (f.as_str(), &b[..])),
            );
            diagnostics.extend(self.lints.findings(site));
        }
        let count = rendered.len();
        let mut files = (*self.files).clone();
        files.extend(rendered);
        let total = files.len();
        self.files = Arc::new(files);
        timer.stage("swap");
        Ok(Rebuilt {
            rendered: count,
            total,
            warnings: diagnostics.sorted(),
            fast_path: true,
        })
    }

    /// Puts `pages` into the model, `get_page`'s lookup and the search
    /// entries; returns the pages they replaced.
    fn install_pages(&mut self, pages: Vec<(PageId, model::Page)>) -> Vec<(PageId, model::Page)> {
        let Some(site) = self.site.as_mut() else {
            return Vec::new();
        };
        let mut previous = Vec::with_capacity(pages.len());
        for (id, page) in pages {
            previous.push((id, std::mem::replace(&mut site.pages[id], page)));
            if let Some(templates) = &self.templates {
                templates.refresh_page_content(&site.pages[id]);
            }
            if let (Some(entries), Some(options)) =
                (self.search.as_mut(), site.config.outputs.search.as_ref())
            {
                entries.refresh_page(site, id, options);
            }
        }
        previous
    }

    /// Renders `jobs` of the current model with its kept values. Generated
    /// files other than those showing content are not rendered: their data
    /// cannot change on the fast path. `None` if there is no model yet.
    fn render_jobs(&self, jobs: &[Job]) -> Option<(RenderedFiles, Vec<Diagnostic>)> {
        if jobs.is_empty() {
            return Some((Vec::new(), Vec::new()));
        }
        let inputs = render::Inputs {
            site: self.site.as_ref()?,
            values: self.values.as_ref()?,
            templates: self.templates.as_ref()?,
            statics: &self.statics,
            search: self.search.as_ref(),
        };
        let generated = render::generated_files(inputs.site);
        let wanted =
            |file: &str| !generated.iter().any(|g| g == file) || render::shows_content(file);
        Some(render_into_memory(&inputs, jobs, &wanted))
    }
}
