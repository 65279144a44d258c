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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Content, Document, Listing};
use crate::model::{self, Site};
use crate::render::{self, StaticFiles, Templates};
use crate::write;

pub use super::files::Files;

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
}

/// How much a rebuild did, for the terminal and the benchmark.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub rendered: usize,
    pub total: usize,
    pub warnings: Diagnostics,
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
    site: Option<Site>,
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
            files: Arc::new(Files::new()),
        }
    }

    /// The last good site.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Applies `changes`. On error the previous site stays in place and
    /// the findings are returned.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        let full = changes.config || changes.statics || self.site.is_none();
        let mut timer = crate::build::StageTimer::new();
        let mut diagnostics = Diagnostics::new();
        if changes.config || self.config.is_none() {
            self.config = None;
            self.documents.clear();
            let mut config =
                SiteConfig::load(&self.root).map_err(|e| e.into_iter().collect::<Diagnostics>())?;
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
        };
        timer.stage("clone docs");
        let (site, found) = model::build(config, content, self.drafts);
        diagnostics.extend(found);
        timer.stage("model");
        let (static_files, found) = write::static_files(&self.root);
        diagnostics.extend(found);
        if diagnostics.has_errors() {
            return Err(diagnostics.sorted());
        }
        let templates = self.templates.as_mut().ok_or_else(Diagnostics::new)?;
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
        timer.stage("affected");
        let rendered = Mutex::new(HashMap::new());
        let sink = |file: &str, bytes: &[u8]| {
            rendered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(file.to_string(), Arc::from(bytes));
            Ok(())
        };
        let is_wanted = |file: &str| wanted.as_ref().is_none_or(|w| w.contains(file));
        diagnostics.extend(render::render_site(
            &site, templates, &statics, &is_wanted, &sink,
        ));
        if diagnostics.has_errors() {
            return Err(diagnostics.sorted());
        }
        timer.stage("render");
        let rendered = rendered.into_inner().unwrap_or_else(|e| e.into_inner());
        let count = rendered.len();

        // Keep what is still part of the site, replace what was rendered.
        let mut files: Files = if full {
            Files::new()
        } else {
            (*self.files).clone()
        };
        let mut expected: HashSet<String> = outputs.into_iter().map(|output| output.file).collect();
        expected.extend(render::GENERATED_FILES.iter().map(|f| f.to_string()));
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
        files.retain(|file| expected.contains(file));
        files.extend(rendered);
        let total = files.len();
        self.files = Arc::new(files);
        timer.stage("swap");
        self.site = Some(site);
        Ok(Rebuilt {
            rendered: count,
            total,
            warnings: diagnostics.sorted(),
        })
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
            self.documents.insert(source, (document, found));
        }
    }
}

fn read_into(files: &mut Files, absolute: &Path, relative: &str) {
    if let Ok(bytes) = std::fs::read(absolute) {
        files.insert(relative.to_string(), Arc::from(bytes));
    }
}

/// The outputs whose inputs differ between `old` and `new` (see the module
/// documentation for the rules).
fn affected(
    old: &Site,
    new: &Site,
    outputs: &[render::Output],
    changed_templates: &BTreeSet<String>,
    deps: &HashMap<String, BTreeSet<String>>,
    (site_wide, content_readers): (&HashSet<String>, &HashSet<String>),
) -> HashSet<String> {
    let mut wanted = HashSet::new();
    let mut dirty_sections: BTreeSet<String> = BTreeSet::new();
    let old_pages: HashMap<&str, &model::Page> =
        old.pages.iter().map(|p| (p.source.as_str(), p)).collect();
    let new_sources: HashSet<&str> = new.pages.iter().map(|p| p.source.as_str()).collect();
    let mut content_changed = false;
    for page in &new.pages {
        let section = &new.sections[page.section].dir;
        match old_pages.get(page.source.as_str()) {
            None => {
                dirty_sections.insert(section.clone());
            }
            Some(before) => {
                let before_section = &old.sections[before.section].dir;
                if before.front != page.front
                    || before.path != page.path
                    || before_section != section
                {
                    dirty_sections.insert(section.clone());
                    dirty_sections.insert(before_section.clone());
                }
                if before.content != page.content
                    || before.toc != page.toc
                    || before.word_count != page.word_count
                {
                    wanted.insert(crate::model::urls::output_file(&page.path));
                    content_changed = true;
                }
            }
        }
    }
    for before in old
        .pages
        .iter()
        .filter(|p| !new_sources.contains(p.source.as_str()))
    {
        dirty_sections.insert(old.sections[before.section].dir.clone());
    }
    let old_sections: HashMap<&str, &model::Section> = old
        .sections
        .iter()
        .map(|s| (s.source.as_str(), s))
        .collect();
    for section in &new.sections {
        let same = old_sections
            .get(section.source.as_str())
            .is_some_and(|before| {
                before.front == section.front
                    && before.content == section.content
                    && before.path == section.path
            });
        if !same {
            dirty_sections.insert(section.dir.clone());
        }
    }
    if old.sections.len() != new.sections.len() {
        dirty_sections.insert(String::new());
    }

    let summaries_changed = !dirty_sections.is_empty();
    for dir in &dirty_sections {
        let Some((id, section)) = new.sections.iter().enumerate().find(|(_, s)| &s.dir == dir)
        else {
            continue;
        };
        wanted.insert(crate::model::urls::output_file(&section.path));
        for &p in &section.pages {
            wanted.insert(crate::model::urls::output_file(&new.pages[p].path));
        }
        let mut parent = new.sections[id].parent;
        while let Some(p) = parent {
            wanted.insert(crate::model::urls::output_file(&new.sections[p].path));
            parent = new.sections[p].parent;
        }
    }
    if summaries_changed {
        wanted.insert(crate::model::urls::output_file(crate::model::TAGS_PATH));
        for term in &new.tags {
            wanted.insert(crate::model::urls::output_file(&term.path));
        }
    }
    for render::Output { file, template, .. } in outputs {
        let chain = deps.get(template);
        let uses = |name: &String| name == template || chain.is_some_and(|c| c.contains(name));
        if changed_templates.iter().any(uses) {
            wanted.insert(file.clone());
        }
        // Site-wide data can show any page's summary, `get_page` its content.
        if (summaries_changed && site_wide.contains(template))
            || (content_changed && content_readers.contains(template))
        {
            wanted.insert(file.clone());
        }
    }
    if summaries_changed || content_changed {
        wanted.extend(render::GENERATED_FILES.iter().map(|f| f.to_string()));
    }
    wanted
}

/// Every template's text, by name.
fn template_sources(root: &Path) -> BTreeMap<String, String> {
    let dir = root.join(render::TEMPLATES_DIR);
    walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((name, text))
        })
        .collect()
}

/// For each template, every template it depends on, transitively: those it
/// names in a tag (`extends`, `include`, `import`…) and those defining a
/// component it uses (`{{ <name … /> }}`). A superset is safe; a miss would
/// not be.
fn dependencies(sources: &BTreeMap<String, String>) -> HashMap<String, BTreeSet<String>> {
    let code: BTreeMap<&str, String> = sources
        .iter()
        .map(|(n, t)| (n.as_str(), strip_comments(t)))
        .collect();
    let components: Vec<(String, &str)> = code
        .iter()
        .flat_map(|(name, text)| {
            text.match_indices("{% component ")
                .filter_map(move |(i, m)| {
                    let rest = &text[i + m.len()..];
                    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
                    Some((rest[..end].to_string(), *name))
                })
        })
        .collect();
    let direct: HashMap<&str, BTreeSet<String>> = code
        .iter()
        .map(|(name, text)| {
            let mut named: BTreeSet<String> = sources
                .keys()
                .filter(|other| other.as_str() != *name && names_in_tags(text, other))
                .cloned()
                .collect();
            for (component, defined_in) in &components {
                if defined_in != name && text.contains(&format!("<{component}")) {
                    named.insert(defined_in.to_string());
                }
            }
            (*name, named)
        })
        .collect();
    sources
        .keys()
        .map(|name| {
            let mut seen: BTreeSet<String> = BTreeSet::new();
            let mut stack: Vec<String> = direct
                .get(name.as_str())
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            while let Some(next) = stack.pop() {
                if seen.insert(next.clone()) {
                    stack.extend(direct.get(next.as_str()).into_iter().flatten().cloned());
                }
            }
            seen.remove(name);
            (name.clone(), seen)
        })
        .collect()
}

/// Template text without `{# … #}` comments (which may mention anything).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        match rest[start..].find("#}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

fn names_in_tags(text: &str, name: &str) -> bool {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    text.split("{%").skip(1).any(|tag| {
        let tag = tag.split("%}").next().unwrap_or_default();
        quoted.iter().any(|q| tag.contains(q.as_str()))
    })
}

/// Templates whose code (or that of a template they use) contains one of
/// `needles`.
fn reading(
    sources: &BTreeMap<String, String>,
    deps: &HashMap<String, BTreeSet<String>>,
    needles: &[&str],
) -> HashSet<String> {
    let reads = |name: &String| {
        sources.get(name).is_some_and(|text| {
            let code = strip_comments(text);
            needles.iter().any(|needle| code.contains(needle))
        })
    };
    sources
        .keys()
        .filter(|name| reads(name) || deps.get(*name).is_some_and(|d| d.iter().any(reads)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_dependencies_are_transitive() {
        let sources: BTreeMap<String, String> = [
            ("base.html", "<html>{% block main %}{% endblock main %}</html>"),
            ("page.html", "{% extends \"base.html\" %}{% block main %}{% include \"parts/nav.html\" %}{% endblock main %}"),
            ("parts/nav.html", "{% for p in site.pages %}{{ p.title }}{% endfor %}"),
            ("other.html", "{# not site.yaml #}{{ <badge x=1/> }}"),
            ("components/badge.html", "{% component badge(x) %}{{ x }}{% endcomponent %}"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let deps = dependencies(&sources);
        assert_eq!(
            deps["page.html"],
            ["base.html", "parts/nav.html"]
                .into_iter()
                .map(String::from)
                .collect()
        );
        assert_eq!(
            deps["other.html"],
            ["components/badge.html".to_string()].into_iter().collect()
        );
        let wide = reading(&sources, &deps, &["site."]);
        assert!(wide.contains("page.html") && wide.contains("parts/nav.html"));
        assert!(!wide.contains("other.html") && !wide.contains("base.html"));
    }
}
