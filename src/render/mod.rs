//! Stage 3, render: the site through Tera 2 templates, in parallel.
//!
//! Templates are loaded and checked once per build, before content is even
//! read, so a template mistake is reported in the same run as content
//! mistakes. Each output file is handed to a sink as soon as it is rendered;
//! the render stage never knows where (or whether) files are written, which
//! is how `check` renders everything and writes nothing.

mod blame;
mod budget;
mod citation_values;
mod errors;
mod functions;
mod history;
mod language_values;
pub mod map;
mod open_data;
pub mod outputs;
pub mod redirects;
pub mod relative;
mod values;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::load;
use crate::model::{Site, urls};
use budget::BudgetWriter;
use errors::{Rendering, budget_error, group_repeats, template_error, template_path, write_error};
use functions::{Lookup, LookupPage, MapPage, SharedLookup};
pub use outputs::SearchEntries;
use relative::LinkStyle;
pub use values::SiteValues;

pub const TEMPLATES_DIR: &str = "templates";

/// The site's templates, parsed and cross-checked.
pub struct Templates {
    tera: Tera,
    lookup: SharedLookup,
    /// Each template's text, to tell which value an error came from.
    sources: HashMap<String, String>,
    /// The files of `i18n/`, checked against the site's languages by
    /// [`prepare`] (read here because templates are what use them).
    i18n_files: Vec<(String, Result<String, String>)>,
}

/// Where rendered files go: `(path relative to the output, bytes)`.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync + 'a;

impl Templates {
    /// Reads every file below `root/templates`. All syntax errors of all
    /// templates are reported, each at its file:line:col.
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let dir = root.join(TEMPLATES_DIR);
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        if !dir.is_dir() {
            return Err(vec![
                Diagnostic::error(
                    "E-TEMPLATE-MISSING",
                    TEMPLATES_DIR,
                    "there is no templates/ folder",
                )
                .hint("create templates/ with at least page.html, section.html and index.html"),
            ]);
        }
        let walker = WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(e) if e.file_type().is_file() => e,
                Ok(_) => continue,
                Err(e) => {
                    errors.push(Diagnostic::error(
                        "E-TEMPLATE-READ",
                        TEMPLATES_DIR,
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            let Some(name) = entry
                .path()
                .strip_prefix(&dir)
                .ok()
                .and_then(|p| p.to_str())
                .map(|s| s.replace('\\', "/"))
            else {
                continue;
            };
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => sources.push((name, text)),
                Err(e) => errors.push(
                    Diagnostic::error(
                        "E-TEMPLATE-READ",
                        template_path(&name),
                        format!("cannot read this template: {e}"),
                    )
                    .hint("templates must be UTF-8 text"),
                ),
            }
        }
        // Syntax first, template by template, so every file's mistakes show.
        for (name, text) in &sources {
            if let Err(e) = Tera::new().add_raw_template(name, text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                errors.extend(template_error(&e, None));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let lookup = SharedLookup::default();
        let mut tera = Tera::new();
        functions::register(&mut tera, &lookup);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, None))?;
        Ok(Templates {
            tera,
            lookup,
            sources: sources.into_iter().collect(),
            i18n_files: crate::i18n::read_files(root),
        })
    }

    /// The components content may call (see `crate::components`).
    pub fn components(&self) -> crate::components::Library<'_> {
        crate::components::Library::new(&self.tera, &self.sources)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Shows `page`'s new content and table of contents to `get_page`,
    /// after an edit of its body only (the rest of what `get_page` returns
    /// is the page's summary, which such an edit does not change).
    pub fn refresh_page_content(&self, page: &crate::model::Page) {
        let mut lookup = self.lookup.write().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = lookup.pages.get_mut(&page_key(page)) {
            entry.content = std::sync::Arc::clone(&page.content);
            entry.toc = values::toc_value(&page.toc);
        }
    }
}

/// What `static/` holds, as far as rendering cares.
#[derive(Debug, Default)]
pub struct StaticFiles {
    /// `/style.css` → `/style.3f2a9c1e.css`, for `asset()`.
    pub fingerprints: HashMap<String, String>,
    /// Output paths of static files: a site's own `robots.txt` (say) is
    /// kept instead of the generated one.
    pub files: std::collections::HashSet<String>,
}

/// One output file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Page(usize),
    Section(usize),
    /// The tag list, in a language.
    TagList(crate::languages::LangId),
    /// A tag's page, in a language.
    Tag(usize, crate::languages::LangId),
    NotFound,
    /// Files dossier writes itself (feed, sitemap, robots.txt, search index).
    Generated,
}

/// Decides which output files are rendered (all, for a build; the affected
/// ones, for the dev server).
pub type Wanted<'a> = dyn Fn(&str) -> bool + Sync + 'a;

/// Renders every wanted output file and hands it to `sink`. Returns the
/// problems found; the caller decides what a failed render means for the
/// output.
pub fn render_site(
    site: &Site,
    templates: &mut Templates,
    statics: &StaticFiles,
    wanted: &Wanted,
    sink: &Sink,
) -> Vec<Diagnostic> {
    let values = match prepare(site, templates, statics) {
        Ok(values) => values,
        Err(missing) => return missing,
    };
    let inputs = Inputs {
        site,
        values: &values,
        templates,
        statics,
        search: None,
    };
    render_jobs(&inputs, &jobs(site, templates), wanted, sink)
}

/// Makes `templates` ready to render `site`: checks that every template a
/// page asks for exists, builds the site's values and installs them where
/// templates and `get_page` read them. The values are returned so that a
/// caller rendering again later (the dev server) can keep them.
pub fn prepare(
    site: &Site,
    templates: &mut Templates,
    statics: &StaticFiles,
) -> Result<SiteValues, Vec<Diagnostic>> {
    let missing = check_templates_exist(site, templates);
    if !missing.is_empty() {
        return Err(missing);
    }
    let strings =
        crate::i18n::Strings::parse(&templates.i18n_files, &site.config.language_codes())?;
    let values = SiteValues::build(site, &strings);
    install(site, &values, templates, &statics.fingerprints);
    templates
        .lookup
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .strings = strings;
    Ok(values)
}

/// Makes `t()` and, with `with_site`, `get_page` and `get_section` see
/// `site` (fingerprints left out), for components expanded before
/// rendering; [`prepare`] installs again.
pub fn install_lookup(site: &Site, templates: &mut Templates, with_site: bool) {
    // Components use `t()` too. A broken i18n file is reported by
    // [`prepare`], which every render goes through; here it only leaves the
    // strings out.
    let strings =
        crate::i18n::Strings::parse(&templates.i18n_files, &site.config.language_codes()).ok();
    if with_site {
        let values = SiteValues::build(site, strings.as_ref().unwrap_or(&Default::default()));
        install(site, &values, templates, &HashMap::new());
    }
    if let Some(strings) = strings {
        templates
            .lookup
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .strings = strings;
    }
}

/// Everything rendering reads, once [`prepare`] has run.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub values: &'a SiteValues,
    pub templates: &'a Templates,
    pub statics: &'a StaticFiles,
    /// Search index entries made earlier (the dev server keeps them between
    /// edits); `None` to make them here if the index is wanted.
    pub search: Option<&'a SearchEntries>,
}

/// Renders the wanted outputs of `jobs`, in parallel, handing each to
/// `sink`. Returns the problems found.
pub fn render_jobs(inputs: &Inputs, jobs: &[Job], wanted: &Wanted, sink: &Sink) -> Vec<Diagnostic> {
    let found: Vec<(Job, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|&job| {
            let result = match job {
                Job::Generated => write_generated(inputs, wanted, sink),
                _ => render_job(inputs, job, wanted, sink),
            };
            (job, result.err().unwrap_or_default())
        })
        .collect();
    let found = found
        .into_iter()
        .flat_map(|(job, found)| found.into_iter().map(move |d| (job, d)))
        .collect();
    group_repeats(found, |job, d| blame_content(inputs, job, d))
}

/// A template error that only one page ran into may be that page's value:
/// see [`blame`].
fn blame_content(inputs: &Inputs, job: Job, d: Diagnostic) -> Diagnostic {
    let (site, sources) = (inputs.site, &inputs.templates.sources);
    match job {
        Job::Page(i) => blame::at_content(d, sources, &site.pages[i].source, &site.pages[i].front),
        Job::Section(i) => blame::at_content(
            d,
            sources,
            &site.sections[i].source,
            &site.sections[i].front,
        ),
        _ => d,
    }
}

/// Every output of the site, as jobs.
pub fn jobs(site: &Site, templates: &Templates) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    jobs.extend((0..site.sections.len()).map(Job::Section));
    jobs.extend(site.tag_pages().map(|(term, lang)| match term {
        None => Job::TagList(lang),
        Some(i) => Job::Tag(i, lang),
    }));
    if templates.contains("404.html") {
        jobs.push(Job::NotFound);
    }
    jobs.push(Job::Generated);
    jobs
}

/// The feed, sitemap, robots.txt and search index, as configured.
fn write_generated(inputs: &Inputs, wanted: &Wanted, sink: &Sink) -> Result<(), Vec<Diagnostic>> {
    let (site, statics) = (inputs.site, inputs.statics);
    let config = &site.config.outputs;
    // A site's own file in static/ (say robots.txt) wins over the generated one.
    let want = |file: &str| wanted(file) && !statics.files.contains(file);
    let mut files: Vec<(&str, String)> = Vec::new();
    if config.sitemap && want("sitemap.xml") {
        files.push(("sitemap.xml", outputs::sitemap(site)));
    }
    if config.robots && want("robots.txt") {
        files.push(("robots.txt", outputs::robots(site)));
    }
    if let Some(limit) = config.feed.filter(|_| want("atom.xml")) {
        match outputs::atom(site, limit) {
            Some(feed) => files.push(("atom.xml", feed)),
            None => {
                return Err(vec![
                    Diagnostic::error(
                        "E-FEED-UNDATED",
                        crate::config::CONFIG_FILE,
                        "the feed is switched on, but no page has a `date` or `updated`",
                    )
                    .hint("date the pages that belong in the feed, or set `feed: false`"),
                ]);
            }
        }
    }
    let mut owned: Vec<(String, String)> = Vec::new();
    let languages = &site.config.languages;
    if let Some(search) = config.search.as_ref().filter(|_| want("search-index.js")) {
        let index_html = site.config.links.index_html;
        let built;
        let entries = match inputs.search {
            Some(entries) => entries,
            None => {
                built = SearchEntries::build(site, search);
                &built
            }
        };
        if languages.enabled() {
            for (lang, file) in language_files(site, "search-index.js") {
                if want(&file) {
                    owned.push((file, entries.script_for(Some(lang), index_html)));
                }
            }
        } else {
            files.push(("search-index.js", entries.script(index_html)));
        }
    }
    if let Some(limit) = config.feed.filter(|_| languages.enabled()) {
        for (lang, file) in language_files(site, "atom.xml").into_iter().skip(1) {
            if let Some(feed) = outputs::atom_in(site, limit, lang).filter(|_| want(&file)) {
                owned.push((file, feed));
            }
        }
    }
    if want(history::CHANGES_FEED)
        && let Some(feed) = history::changes_feed(site)
    {
        owned.push((history::CHANGES_FEED.to_string(), feed));
    }
    match open_data::files(site) {
        Ok(data) => owned.extend(data.into_iter().filter(|(file, _)| want(file))),
        Err(message) => {
            return Err(vec![Diagnostic::error(
                "E-CONFIG",
                crate::config::CONFIG_FILE,
                message,
            )]);
        }
    }
    files.extend(owned.iter().map(|(f, t)| (f.as_str(), t.clone())));
    let mut errors = Vec::new();
    for (file, text) in files {
        if let Err(e) = sink(file, text.as_bytes()) {
            errors.push(write_error(file, &e));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn install(
    site: &Site,
    values: &SiteValues,
    templates: &mut Templates,
    fingerprints: &HashMap<String, String>,
) {
    let globals = templates.tera.global_context();
    globals.insert_value("config", values.config.clone());
    globals.insert_value("site", values.site.clone());
    let mut lookup = templates.lookup.write().unwrap_or_else(|e| e.into_inner());
    let languages = &site.config.languages;
    // Other languages' entries are keyed `fr:…` (see `Lookup`).
    let key = |lang: usize, name: &str| {
        if lang == crate::languages::DEFAULT {
            name.to_string()
        } else {
            format!("{}:{name}", languages.code(lang, ""))
        }
    };
    let groups = languages
        .enabled()
        .then(|| language_values::Groups::new(site));
    *lookup = Lookup {
        pages: site
            .pages
            .iter()
            .zip(&values.page_summaries)
            .map(|(p, v)| {
                let page = LookupPage {
                    summary: v.clone(),
                    content: std::sync::Arc::clone(&p.content),
                    toc: values::toc_value(&p.toc),
                };
                (page_key(p), page)
            })
            .collect(),
        sections: site
            .sections
            .iter()
            .zip(&values.sections)
            .map(|(s, v)| (key(s.lang, &s.dir), v.clone()))
            .collect(),
        map_pages: site
            .sections
            .iter()
            .enumerate()
            .map(|(id, s)| {
                // A section in another language maps what its original
                // lists, each page in that language where it has one.
                let original = groups
                    .as_ref()
                    .and_then(|g| g.sections[id].first().copied().flatten())
                    .unwrap_or(id);
                let pages = site.sections[original].pages.iter().map(|&p| {
                    let p = groups.as_ref().map_or(p, |g| g.page_in(p, s.lang));
                    map_page(&site.pages[p])
                });
                (key(s.lang, &s.dir), pages.collect())
            })
            .collect(),
        base_url: site.config.base_url.clone(),
        fingerprints: fingerprints.clone(),
        default_lang: if languages.enabled() {
            site.config.language.clone()
        } else {
            String::new()
        },
        strings: std::mem::take(&mut lookup.strings),
    };
}

/// `get_page`'s key of a page: its source, or `fr:partners/japan.md` for
/// `partners/japan.fr.md` (see `Lookup`).
fn page_key(page: &crate::model::Page) -> String {
    match crate::languages::code_suffix(&page.source) {
        Some((stem, code)) if page.lang != crate::languages::DEFAULT => format!("{code}:{stem}.md"),
        _ => page.source.clone(),
    }
}

fn map_page(page: &crate::model::Page) -> MapPage {
    MapPage {
        path: page.path.clone(),
        title: page.title().to_string(),
        fields: page
            .front
            .fields
            .iter()
            .filter_map(|(name, value)| match value {
                crate::load::FieldValue::Text(t) => Some((name.clone(), t.clone())),
                _ => None,
            })
            .collect(),
    }
}

fn page_template(site: &Site, id: usize) -> &str {
    let page = &site.pages[id];
    let section = match page.lang {
        crate::languages::DEFAULT => &site.sections[page.section],
        // A translation is rendered as its original is: with the template
        // its original's section gives (its own language may not have that
        // section translated).
        _ => original_section(site, page),
    };
    page.front
        .template
        .as_deref()
        .or(section.front.page_template.as_deref())
        .or_else(|| {
            site.config
                .schema_for(&section.dir)
                .and_then(|s| s.page_template.as_deref())
        })
        .unwrap_or("page.html")
}

/// The default language's section a translated page's original is in.
fn original_section<'s>(site: &'s Site, page: &crate::model::Page) -> &'s crate::model::Section {
    let folder = load::parent_dir(&page.source);
    let mut dir = if crate::languages::base_file_name(&page.source, page.lang) == "index.md" {
        load::parent_dir(folder)
    } else {
        folder
    };
    loop {
        if let Some(s) = site
            .sections
            .iter()
            .find(|s| s.lang == crate::languages::DEFAULT && s.dir == dir)
        {
            return s;
        }
        if dir.is_empty() {
            return &site.sections[crate::model::HOME];
        }
        dir = load::parent_dir(dir);
    }
}

fn section_template(site: &Site, id: usize) -> &str {
    let section = &site.sections[id];
    section
        .front
        .template
        .as_deref()
        // Each language's home is a home (`_index.fr.md` too).
        .unwrap_or(if id == crate::model::HOME || section.dir.is_empty() {
            "index.html"
        } else {
            "section.html"
        })
}

/// Every template a page asks for must exist: reported per page, up front.
fn check_templates_exist(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    let mut missing = Vec::new();
    let wanted = (0..site.pages.len())
        .map(|i| (site.pages[i].source.as_str(), page_template(site, i)))
        .chain(
            (0..site.sections.len())
                .map(|i| (site.sections[i].source.as_str(), section_template(site, i))),
        );
    for (source, name) in wanted {
        if !templates.contains(name) {
            missing.push(
                Diagnostic::error(
                    "E-TEMPLATE-MISSING",
                    load::content_path(source),
                    format!("this page needs the template `{name}`, which is not in templates/"),
                )
                .hint(format!(
                    "create templates/{name}, or set `template:` to one that exists"
                )),
            );
        }
    }
    if !site.tags.is_empty() {
        for name in ["taxonomy_list.html", "taxonomy_single.html"] {
            if !templates.contains(name) {
                missing.push(
                    Diagnostic::error(
                        "E-TEMPLATE-MISSING",
                        template_path(name),
                        format!("pages use tags, so templates/{name} is needed"),
                    )
                    .hint("create it, or remove `tags` from `taxonomies` in site.yaml"),
                );
            }
        }
    }
    missing
}

/// The template, site path and content source of a job.
fn target(site: &Site, job: Job) -> (&str, String, Option<&str>) {
    match job {
        Job::Page(i) => (
            page_template(site, i),
            site.pages[i].path.clone(),
            Some(&site.pages[i].source),
        ),
        Job::Section(i) => (
            section_template(site, i),
            site.sections[i].path.clone(),
            Some(&site.sections[i].source),
        ),
        Job::TagList(lang) => ("taxonomy_list.html", site.tag_path(None, lang), None),
        Job::Tag(i, lang) => ("taxonomy_single.html", site.tag_path(Some(i), lang), None),
        Job::NotFound | Job::Generated => ("404.html", "/404.html".to_string(), None),
    }
}

fn output_file(job: Job, path: &str) -> String {
    match job {
        Job::NotFound => "404.html".to_string(),
        _ => urls::output_file(path),
    }
}

/// A templated output file: where it goes, the template that makes it and
/// the job that renders it.
#[derive(Debug, Clone)]
pub struct Output {
    pub file: String,
    pub template: String,
    pub job: Job,
}

/// Every templated output of the site. The dev server uses it to find the
/// pages a template edit affects.
pub fn templated_outputs(site: &Site, templates: &Templates) -> Vec<Output> {
    jobs(site, templates)
        .into_iter()
        .filter(|j| !matches!(j, Job::Generated))
        .map(|job| {
            let (template, path, _) = target(site, job);
            Output {
                file: output_file(job, &path),
                template: template.to_string(),
                job,
            }
        })
        .collect()
}

/// The names of the files dossier writes itself whatever the settings
/// (each only when switched on); [`generated_files`] adds the open data.
pub const GENERATED_FILES: &[&str] = &[
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "search-index.js",
    history::CHANGES_FEED,
];

/// Every file dossier writes itself for `site`, as configured: the fixed
/// [`GENERATED_FILES`] and the open data files `site.yaml` asks for.
pub fn generated_files(site: &Site) -> Vec<String> {
    let mut files: Vec<String> = GENERATED_FILES.iter().map(|f| f.to_string()).collect();
    for name in ["atom.xml", "search-index.js"] {
        files.extend(
            language_files(site, name)
                .into_iter()
                .skip(1)
                .map(|(_, f)| f),
        );
    }
    files.extend(open_data::file_names(&site.config));
    files
}

/// The generated files that show page content (the feed's entries, the
/// search index's text and headings). The others read only paths, dates,
/// tags and `site.yaml`: `sitemap.xml` (paths and dates) and `robots.txt`.
pub const CONTENT_GENERATED_FILES: &[&str] = &["atom.xml", "search-index.js"];

/// Whether `file` is one of the [`CONTENT_GENERATED_FILES`], in any
/// language (`fr/atom.xml`).
pub fn shows_content(file: &str) -> bool {
    CONTENT_GENERATED_FILES.iter().any(|name| {
        file == *name
            || file
                .strip_suffix(name)
                .is_some_and(|dir| dir.ends_with('/'))
    })
}

/// `name` in each language's folder: `atom.xml`, `fr/atom.xml`, … (just
/// `name` for a one-language site).
fn language_files(site: &Site, name: &str) -> Vec<(usize, String)> {
    let list = &site.config.languages.list;
    if list.is_empty() {
        return vec![(crate::languages::DEFAULT, name.to_string())];
    }
    list.iter()
        .enumerate()
        .map(|(lang, l)| {
            (
                lang,
                format!("{}{name}", l.base_path.trim_start_matches('/')),
            )
        })
        .collect()
}

fn render_job(
    inputs: &Inputs,
    job: Job,
    wanted: &Wanted,
    sink: &Sink,
) -> Result<(), Vec<Diagnostic>> {
    let Inputs {
        site,
        values,
        templates,
        ..
    } = *inputs;
    let (template, path, source) = target(site, job);
    let file = output_file(job, &path);
    if !wanted(&file) {
        return Ok(());
    }
    let mut ctx = Context::new();
    match job {
        Job::Page(i) => {
            ctx.insert_value("page", values.page(site, i));
            ctx.insert_value("section", values.sections[site.pages[i].section].clone());
        }
        Job::Section(i) => ctx.insert_value("section", values.sections[i].clone()),
        Job::TagList(lang) => {
            ctx.insert_value("terms", values.term_lists[lang].clone());
            ctx.insert_value("tag_translations", values::tag_translations(site, None));
            ctx.insert("taxonomy", "tags");
        }
        Job::Tag(i, lang) => {
            ctx.insert_value("term", values.terms[lang][i].clone());
            ctx.insert("taxonomy", "tags");
        }
        Job::NotFound | Job::Generated => {}
    }
    let lang = match job {
        Job::Page(i) => site.pages[i].lang,
        Job::Section(i) => site.sections[i].lang,
        Job::TagList(lang) | Job::Tag(_, lang) => lang,
        _ => crate::languages::DEFAULT,
    };
    ctx.insert(
        "lang",
        site.config.languages.code(lang, &site.config.language),
    );
    if site.config.languages.enabled() {
        let (config, site_value) = values.for_language(lang);
        ctx.insert_value("config", config.clone());
        ctx.insert_value("site", site_value.clone());
        ctx.insert_value("languages", values.language_list.clone());
    }
    ctx.insert("current_path", &path);
    let mut out = BudgetWriter::new(&site.config.limits);
    let rendered = templates.tera.render_to(template, &ctx, &mut out);
    // Named only when something went wrong: this runs for every page.
    let shown = || {
        source
            .map(|s| load::content_path(s).display().to_string())
            .unwrap_or_else(|| path.clone())
    };
    if let Some(exceeded) = out.exceeded() {
        return Err(vec![budget_error(template, &shown(), exceeded)]);
    }
    if let Err(e) = rendered {
        let shown = shown();
        let found = template_error(
            &e,
            Some(Rendering {
                template,
                shown: &shown,
            }),
        );
        return Err(found);
    }
    let html = String::from_utf8(out.into_inner()).map_err(|_| {
        vec![Diagnostic::error(
            "E-TEMPLATE-RENDER",
            template_path(template),
            format!("rendering {} did not give UTF-8 text", shown()),
        )]
    })?;
    let style = match job {
        Job::NotFound => LinkStyle::Prefixed(base_path(&site.config.base_url)),
        _ => link_style(site, &path),
    };
    let html = relative::rewrite(&html, style);
    sink(&file, html.as_bytes()).map_err(|e| vec![write_error(&file, &e)])
}

fn link_style<'a>(site: &Site, page: &'a str) -> LinkStyle<'a> {
    if site.config.links.relative {
        LinkStyle::RelativeTo {
            page,
            index_html: site.config.links.index_html,
        }
    } else {
        LinkStyle::Absolute
    }
}

/// `https://example.org/sub/` → `/sub/`.
fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_a_base_url() {
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org/sub/"), "/sub/");
    }
}
