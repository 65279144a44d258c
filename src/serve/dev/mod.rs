//! The dev server's site: built in memory, rebuilt incrementally.
//!
//! Every stage result that is expensive to redo is cached: parsed documents
//! (re-read only when their file changed), templates (reloaded only when a
//! template changed), and the rendered files. After an edit the model is
//! rebuilt from the cached documents (cheap, and it is what keeps links,
//! order and tags right) and compared with the previous one, page by page.
//! Only the outputs whose inputs differ are rendered again:
//! - a page whose content changed;
//! - every page of a section in which a page's front matter, path or
//!   membership changed (they all carry the section's page list), the
//!   section's ancestors (their subsection lists), the tag pages, and every
//!   page whose template reads site-wide data (`site.`, `get_page`, …);
//! - every output whose template, or a template it extends or includes,
//!   changed.
//!
//! A change of `site.yaml` or `static/` rebuilds everything. The result is
//! meant to be byte-identical to a full build; `tests/serve.rs` checks that
//! after a series of edits.
//!
//! The commonest edit, a change to the text of existing pages, takes a fast
//! path that skips the model and the comparison, which cost hundreds of
//! milliseconds on a large site: see [`DevSite::body_edits`] for when it
//! applies and why it is right.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Content, DocKind, Document, Listing};
use crate::model::{self, Site};
use crate::render::{self, Job, SearchEntries, SiteValues, StaticFiles, Templates};
use crate::write;

use super::affected::affected;
use super::drafts;

mod fast_path;
pub use super::files::Files;
use super::preview_lints::PreviewLints;
use super::template_deps::{dependencies, reading, template_sources};

/// Files just rendered: (output path, bytes).
type RenderedFiles = Vec<(String, Arc<[u8]>)>;

/// What changed on disk since the last build.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Content sources (`partners/japan.md`) that changed, appeared or went.
    pub content: BTreeSet<String>,
    pub templates: BTreeSet<String>,
    pub statics: bool,
    pub config: bool,
}

impl Changes {
    pub fn everything() -> Self {
        Changes {
            config: true,
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && self.templates.is_empty() && !self.statics && !self.config
    }

    /// Everything `self` or `other` changed.
    fn merged(&self, other: &Changes) -> Changes {
        Changes {
            content: self.content.union(&other.content).cloned().collect(),
            templates: self.templates.union(&other.templates).cloned().collect(),
            statics: self.statics || other.statics,
            config: self.config || other.config,
        }
    }
}

/// How much a rebuild did, for the terminal and the benchmark.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub rendered: usize,
    pub total: usize,
    pub warnings: Diagnostics,
    /// Only page bodies changed, and the model was patched rather than
    /// rebuilt (see [`DevSite::body_edits`]).
    pub fast_path: bool,
}

pub struct DevSite {
    root: PathBuf,
    drafts: bool,
    base_url: Option<String>,
    config: Option<SiteConfig>,
    templates: Option<Templates>,
    /// Template name → names it extends, includes or imports (transitively).
    template_deps: HashMap<String, BTreeSet<String>>,
    /// Templates that read site-wide data (summaries of any page),
    /// directly or through a template they use.
    site_wide: HashSet<String>,
    /// Templates that read other pages' content (`get_page`).
    content_readers: HashSet<String>,
    documents: BTreeMap<String, (Option<Document>, Vec<Diagnostic>)>,
    /// The last walk of `content/` and what it found wrong.
    listing: Option<(Listing, Vec<Diagnostic>)>,
    /// The model of the site being served.
    site: Option<Site>,
    /// The template values of `site`, as installed in `templates`.
    values: Option<SiteValues>,
    /// What `static/` held at the last rebuild through the model, and the
    /// warnings about it (a body edit cannot change either).
    statics: StaticFiles,
    static_warnings: Vec<Diagnostic>,
    /// Outputs whose template reads other pages' content (`get_page`):
    /// rendered again after any content edit.
    content_reader_jobs: Vec<Job>,
    /// The search index's entries for `site`, when the index is on.
    search: Option<SearchEntries>,
    /// Content files read since `site` was made but not in it, because the
    /// fast path refused their edit with errors. The next fast path takes
    /// them too, as a rebuild through the model would.
    pending: BTreeSet<String>,
    /// The last rebuild through the model failed: templates, their lookup
    /// and the cached documents may be ahead of `site`, so the next rebuild
    /// must go through the model again.
    model_pass_needed: bool,
    /// Every change since the last good rebuild through the model. A fix
    /// after a failed save must rebuild what the failed saves changed too:
    /// an image added to a bundle or a stylesheet edited while the site was
    /// broken would otherwise stay missing or stale until touched again.
    unbuilt: Changes,
    /// `dossier check`'s lints of the site being served.
    lints: PreviewLints,
    files: Arc<Files>,
}

impl DevSite {
    pub fn new(root: &Path, drafts: bool, base_url: Option<String>) -> Self {
        DevSite {
            root: root.to_path_buf(),
            drafts,
            base_url,
            config: None,
            templates: None,
            template_deps: HashMap::new(),
            site_wide: HashSet::new(),
            content_readers: HashSet::new(),
            documents: BTreeMap::new(),
            listing: None,
            site: None,
            values: None,
            statics: StaticFiles::default(),
            static_warnings: Vec::new(),
            content_reader_jobs: Vec::new(),
            search: None,
            pending: BTreeSet::new(),
            model_pass_needed: true,
            unbuilt: Changes::default(),
            lints: PreviewLints::default(),
            files: Arc::new(Files::new()),
        }
    }

    /// Whether `source` (relative to `content/`) was a bundle file of the
    /// site at the last walk.
    pub fn had_asset(&self, source: &str) -> bool {
        self.listing
            .as_ref()
            .is_some_and(|(listing, _)| listing.assets.iter().any(|a| a.source == source))
    }

    /// Pages' aliases in the site being served: old site path → new one.
    pub fn redirects(&self) -> HashMap<String, String> {
        self.site
            .iter()
            .flat_map(|site| site.redirects())
            .map(|(from, to)| (from.to_string(), to.to_string()))
            .collect()
    }

    /// Every published page's and section's site path, by source.
    pub fn site_paths(&self) -> BTreeMap<String, String> {
        let Some(site) = self.site.as_ref() else {
            return BTreeMap::new();
        };
        (site.pages.iter().map(|p| (&p.source, &p.path)))
            .chain(site.sections.iter().map(|s| (&s.source, &s.path)))
            .map(|(source, path)| (source.clone(), path.clone()))
            .collect()
    }

    /// The last good site.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Applies `changes`. On error the previous site stays in place and
    /// the findings are returned.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        let mut timer = crate::build::StageTimer::new();
        if let Some(edits) = self.body_edits(changes) {
            timer.stage("read changed");
            return self.apply_body_edits(edits, timer);
        }
        let changes = self.unbuilt.merged(changes);
        let result = self.rebuild_through_model(&changes);
        self.model_pass_needed = result.is_err();
        if result.is_ok() {
            self.pending.clear();
            self.unbuilt = Changes::default();
        } else {
            self.unbuilt = changes;
        }
        result
    }

    /// Rebuilds the model from the cached documents, compares it with the
    /// previous one and renders what differs (see the module documentation).
    fn rebuild_through_model(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        let full = changes.config || changes.statics || self.site.is_none();
        let mut timer = crate::build::StageTimer::new();
        let mut diagnostics = Diagnostics::new();
        if changes.config || self.config.is_none() {
            self.config = None;
            self.documents.clear();
            let mut config = SiteConfig::load(&self.root).map_err(|e| {
                let mut all: Diagnostics = e.into_iter().collect();
                all.extend(load::check_without_settings(&self.root));
                all.sorted()
            })?;
            if let Some(url) = &self.base_url {
                config.base_url = url.clone();
            }
            self.config = Some(config);
        }
        if changes.config || !changes.templates.is_empty() || self.templates.is_none() {
            self.templates = None;
            let templates =
                Templates::load(&self.root).map_err(|e| e.into_iter().collect::<Diagnostics>())?;
            let sources = template_sources(&self.root);
            self.template_deps = dependencies(&sources);
            self.site_wide = reading(
                &sources,
                &self.template_deps,
                &["site.", "site[", "get_page", "get_section", "world_map"],
            );
            self.content_readers = reading(&sources, &self.template_deps, &["get_page"]);
            self.templates = Some(templates);
        }
        let config = self.config.clone().ok_or_else(Diagnostics::new)?;

        timer.stage("config+templates");
        // Walking 10,000 files costs more than the rest of a small edit: the
        // last walk is reused when the edit only changed files it knows.
        let only_modified = !full
            && self.listing.as_ref().is_some_and(|(listing, _)| {
                changes.content.iter().all(|source| {
                    listing.markdown.iter().any(|(s, _)| s == source)
                        && self.root.join(load::CONTENT_DIR).join(source).is_file()
                })
            });
        if !only_modified {
            self.listing = Some(load::scan(&self.root));
        }
        let (listing, found) = self.listing.clone().unwrap_or_default();
        timer.stage("scan");
        diagnostics.extend(found);
        self.refresh_documents(&listing, &config, &changes.content);
        for (_, found) in self.documents.values() {
            diagnostics.extend(found.iter().cloned());
        }
        timer.stage("read changed");
        let content = Content {
            documents: self
                .documents
                .values()
                .filter_map(|(d, _)| d.clone())
                .collect(),
            assets: listing.assets.clone(),
            moved: self.renamed_pages(),
        };
        diagnostics.extend(self.alias_offers(&content.moved));
        timer.stage("clone docs");
        let (mut site, found) = model::build(config, content, self.drafts);
        diagnostics.extend(found);
        timer.stage("model");
        let (static_files, found_in_static) = write::static_files(&self.root);
        diagnostics.extend(found_in_static.iter().cloned());
        let (mut image_plan, found) = crate::images::plan(&self.root, &mut site, &static_files);
        diagnostics.extend(found);
        if diagnostics.has_errors() {
            return Err(diagnostics.sorted());
        }
        let templates = self.templates.as_mut().ok_or_else(Diagnostics::new)?;
        let found = crate::components::expand_site(&mut site, templates);
        if !found.is_empty() {
            diagnostics.extend(found);
            if diagnostics.has_errors() {
                return Err(diagnostics.sorted());
            }
        }
        let fingerprints = write::fingerprints(&static_files).map_err(|e| {
            std::iter::once(Diagnostic::error(
                "E-STATIC",
                "static",
                format!("cannot read a static file: {e}"),
            ))
            .collect::<Diagnostics>()
        })?;
        let statics = StaticFiles {
            fingerprints: fingerprints
                .iter()
                .map(|(original, hashed)| (format!("/{original}"), format!("/{hashed}")))
                .collect(),
            files: static_files.iter().map(|(_, rel)| rel.clone()).collect(),
        };

        let outputs = render::templated_outputs(&site, templates);
        let values = render::prepare(&site, templates, &statics)
            .map_err(|missing| diagnostics_with(&diagnostics, missing))?;
        let wanted: Option<HashSet<String>> = match (&self.site, full) {
            (Some(old), false) => Some(affected(
                old,
                &site,
                &outputs,
                &changes.templates,
                &self.template_deps,
                (&self.site_wide, &self.content_readers),
            )),
            _ => None,
        };
        let search = search_entries(&site, wanted.as_ref(), self.search.take());
        timer.stage("affected");
        let is_wanted = |file: &str| wanted.as_ref().is_none_or(|w| w.contains(file));
        let inputs = render::Inputs {
            site: &site,
            values: &values,
            templates,
            statics: &statics,
            search: search.as_ref(),
        };
        let (rendered, found) =
            render_into_memory(&inputs, &render::jobs(&site, templates), &is_wanted);
        diagnostics.extend(found);
        if diagnostics.has_errors() {
            return Err(diagnostics.sorted());
        }
        timer.stage("render");
        let count = rendered.len();

        // Keep what is still part of the site, replace what was rendered.
        let mut files: Files = if full {
            Files::new()
        } else {
            (*self.files).clone()
        };
        self.content_reader_jobs = outputs
            .iter()
            .filter(|output| self.content_readers.contains(&output.template))
            .map(|output| output.job)
            .collect();
        let mut expected: HashSet<String> = outputs.into_iter().map(|output| output.file).collect();
        expected.extend(render::generated_files(&site));
        if full {
            for (absolute, relative) in &static_files {
                read_into(&mut files, absolute, relative);
            }
            for (original, hashed) in &fingerprints {
                if let Some((absolute, _)) = static_files.iter().find(|(_, r)| r == original) {
                    read_into(&mut files, absolute, hashed);
                }
            }
            for asset in &site.assets {
                read_into(&mut files, &asset.absolute, &asset.output);
            }
        }
        expected.extend(static_files.iter().map(|(_, r)| r.clone()));
        expected.extend(fingerprints.iter().map(|(_, h)| h.clone()));
        expected.extend(site.assets.iter().map(|a| a.output.clone()));
        // Image variants: from the build's cache, made when missing. A
        // variant's name changes with its source, so one already served is
        // still right.
        expected.extend(image_plan.outputs().map(str::to_string));
        image_plan.retain_missing(|output| files.contains_key(output));
        let (made, found, _) =
            crate::images::process(&image_plan, &crate::images::Cache::at(&self.root));
        if found.iter().any(Diagnostic::is_error) {
            return Err(diagnostics_with(&diagnostics, found));
        }
        diagnostics.extend(found);
        for made in made {
            match made.data {
                crate::images::Data::Cached(path) => read_into(&mut files, &path, &made.output),
                crate::images::Data::Bytes(bytes) => {
                    files.insert(made.output, Arc::from(bytes));
                }
            }
        }
        timer.stage("images");
        let removed: Vec<String> = files
            .iter()
            .map(|(file, _)| file)
            .filter(|file| !expected.contains(*file))
            .cloned()
            .collect();
        files.retain(|file| expected.contains(file));
        self.lints.after_model(
            &site,
            rendered.iter().map(|(f, b)| (f.as_str(), &b[..])),
            removed.iter().map(String::as_str),
            full,
        );
        diagnostics.extend(self.lints.findings(&site));
        files.extend(rendered);
        let total = files.len();
        self.files = Arc::new(files);
        timer.stage("swap");
        self.site = Some(site);
        self.values = Some(values);
        self.search = search;
        self.static_warnings = found_in_static
            .into_iter()
            .filter(|d| !d.is_error())
            .collect();
        self.statics = statics;
        Ok(Rebuilt {
            rendered: count,
            total,
            warnings: diagnostics.sorted(),
            fast_path: false,
        })
    }

    /// What a rebuild through the model would report before building the
    /// model, when nothing but page bodies changed: the findings of the
    /// walk, of every file and of `static/` (warnings, normally: errors
    /// would have stopped the last rebuild).
    fn known_findings(&self) -> Diagnostics {
        let mut warnings = Diagnostics::new();
        if let Some((_, found)) = &self.listing {
            warnings.extend(found.iter().cloned());
        }
        for (_, found) in self.documents.values() {
            warnings.extend(found.iter().cloned());
        }
        warnings.extend(self.static_warnings.iter().cloned());
        warnings
    }

    /// Pages of the site being served whose file is gone while a new file
    /// with the same title appeared: renamed, as far as an editor can tell.
    /// A link to the old name then suggests the new one.
    fn renamed_pages(&self) -> BTreeMap<String, String> {
        let Some(site) = &self.site else {
            return BTreeMap::new();
        };
        let old: HashMap<&str, &str> = site
            .pages
            .iter()
            .filter(|p| !self.documents.contains_key(&p.source))
            .map(|p| (p.title(), p.source.as_str()))
            .collect();
        if old.is_empty() {
            return BTreeMap::new();
        }
        let known: HashSet<&str> = site.pages.iter().map(|p| p.source.as_str()).collect();
        self.documents
            .values()
            .filter_map(|(d, _)| d.as_ref())
            .filter(|d| d.kind == DocKind::Page && !known.contains(d.source.as_str()))
            .filter_map(|d| {
                let title = d.front.title.as_deref()?;
                old.get(title)
                    .map(|from| (from.to_string(), d.source.clone()))
            })
            .collect()
    }

    /// For each page just renamed whose old address is not among its
    /// `aliases`: a warning offering the line that keeps the old address
    /// working (the next build would refuse the removal, `E-URL-REMOVED`).
    fn alias_offers(&self, moved: &BTreeMap<String, String>) -> Vec<Diagnostic> {
        let Some(site) = &self.site else {
            return Vec::new();
        };
        moved
            .iter()
            .filter_map(|(from, to)| {
                let old = site.pages.iter().find(|p| &p.source == from)?;
                let (Some(document), _) = self.documents.get(to)? else {
                    return None;
                };
                let kept = document.front.aliases.iter().any(|(a, _)| {
                    a.trim_end_matches('/') == old.path.trim_end_matches('/')
                });
                (!kept).then(|| {
                    Diagnostic::warning(
                        "W-RENAMED",
                        load::content_path(to),
                        format!(
                            "renamed from content/{from}: its published address {} will stop working",
                            old.path
                        ),
                    )
                    .at_line(1)
                    .hint(format!(
                        "keep the old address working: add `aliases: [\"{}\"]` to this page's front matter",
                        old.path
                    ))
                })
            })
            .collect()
    }

    /// The pages the model leaves out as drafts, for the link error that
    /// names one.
    fn hidden_drafts(&self) -> Vec<String> {
        if self.drafts {
            return Vec::new();
        }
        self.documents
            .values()
            .filter_map(|(document, _)| document.as_ref())
            .filter(|d| d.kind == DocKind::Page && d.front.draft)
            .map(|d| d.source.clone())
            .collect()
    }

    /// Re-reads changed and new files, forgets deleted ones.
    fn refresh_documents(
        &mut self,
        listing: &Listing,
        config: &SiteConfig,
        changed: &BTreeSet<String>,
    ) {
        let present: HashSet<&str> = listing.markdown.iter().map(|(s, _)| s.as_str()).collect();
        self.documents
            .retain(|source, _| present.contains(source.as_str()));
        let known = &self.documents;
        let stale = |source: &str| changed.contains(source) || !known.contains_key(source);
        let fresh = load::read_sources(listing, config, stale);
        for (source, document, found) in fresh {
            let found = drafts::preview_findings(document.as_ref(), found);
            self.documents.insert(source, (document, found));
        }
    }
}

/// The search index's entries for `site` after a rebuild through the
/// model. Making them reads the text of every page, so the `previous` ones
/// are kept when the index is not among the `wanted` outputs: `affected`
/// leaves it out only when no summary and no content changed, and the
/// entries are made of nothing else.
fn search_entries(
    site: &Site,
    wanted: Option<&HashSet<String>>,
    previous: Option<SearchEntries>,
) -> Option<SearchEntries> {
    let options = site.config.outputs.search.as_ref()?;
    match (wanted, previous) {
        (Some(wanted), Some(previous)) if !wanted.contains("search-index.js") => Some(previous),
        _ => Some(SearchEntries::build(site, options)),
    }
}

/// Renders the wanted outputs of `jobs` into memory: (file, bytes) and the
/// problems found.
fn render_into_memory(
    inputs: &render::Inputs,
    jobs: &[Job],
    wanted: &render::Wanted,
) -> (RenderedFiles, Vec<Diagnostic>) {
    let rendered = Mutex::new(Vec::new());
    let draft_files = drafts::draft_files(inputs.site);
    let sink = |file: &str, bytes: &[u8]| {
        let bytes: Arc<[u8]> = if draft_files.contains(file) {
            Arc::from(drafts::with_banner(bytes))
        } else {
            Arc::from(bytes)
        };
        rendered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file.to_string(), bytes));
        Ok(())
    };
    let found = render::render_jobs(inputs, jobs, wanted, &sink);
    (
        rendered.into_inner().unwrap_or_else(|e| e.into_inner()),
        found,
    )
}

/// `earlier` findings and then `more`, sorted, as a failed rebuild returns them.
fn diagnostics_with(earlier: &Diagnostics, more: Vec<Diagnostic>) -> Diagnostics {
    let mut all = Diagnostics::new();
    all.extend(earlier.iter().cloned());
    all.extend(more);
    all.sorted()
}

fn read_into(files: &mut Files, absolute: &Path, relative: &str) {
    if let Ok(bytes) = std::fs::read(absolute) {
        files.insert(relative.to_string(), Arc::from(bytes));
    }
}
