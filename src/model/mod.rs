//! Stage 2, model: from loaded documents to the [`Site`]: the tree of
//! sections and pages with their URLs, order, neighbours, tags, and every
//! internal link resolved.
//!
//! Invariants once [`build`] returns without errors:
//! - every page and section has a unique site path made of slugs
//!   (see [`urls`]), so output files never collide or escape the output;
//! - `Section::pages` is in display order and `previous`/`next` follow it;
//! - page and section `content` holds final HTML (no link placeholders).

pub mod aliases;
pub mod links;
pub mod site_links;
pub mod urls;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::languages::{self, LangId};
use crate::load::{
    self, Content, DocKind, Document, Facts, FrontMatter, InternalLink, SortBy, TocEntry,
};

pub type PageId = usize;
pub type SectionId = usize;

/// A section: a folder with an `_index.md` (or the implicit home).
#[derive(Debug, Clone)]
pub struct Section {
    /// `partners/_index.md`; `_index.md` for the home page.
    pub source: String,
    /// The folder below `content/`: `partners`, or `""` for the home.
    pub dir: String,
    pub path: String,
    pub front: FrontMatter,
    pub content: Arc<str>,
    /// Ids a link may point at (headings, footnotes).
    pub anchors: Vec<String>,
    /// Internal links, resolved into `content` by [`links::resolve`].
    pub links: Vec<InternalLink>,
    pub toc: Vec<TocEntry>,
    /// Positions of headings, images and web links, for lints.
    pub facts: Facts,
    pub word_count: usize,
    pub parent: Option<SectionId>,
    pub subsections: Vec<SectionId>,
    /// In display order.
    pub pages: Vec<PageId>,
    /// The language it is in (0, the default, on a one-language site).
    pub lang: LangId,
    /// Published from the original's text because the language has no
    /// translation of it (`language_fallback: render`, or a language's home).
    pub fallback: bool,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub source: String,
    pub path: String,
    pub slug: String,
    pub front: FrontMatter,
    /// Final HTML, shared (templates may reach it through `get_page`).
    pub content: Arc<str>,
    /// Ids a link may point at (headings, footnotes).
    pub anchors: Vec<String>,
    /// Internal links, resolved into `content` by [`links::resolve`].
    pub links: Vec<InternalLink>,
    pub toc: Vec<TocEntry>,
    /// Positions of headings, images and web links, for lints.
    pub facts: Facts,
    pub word_count: usize,
    pub section: SectionId,
    pub previous: Option<PageId>,
    pub next: Option<PageId>,
    pub lang: LangId,
    /// Published from the original's text (`language_fallback: render`).
    pub fallback: bool,
}

impl Page {
    pub fn title(&self) -> &str {
        self.front.title.as_deref().unwrap_or_default()
    }
}

/// One tag and the pages that carry it (newest first).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub pages: Vec<PageId>,
}

/// A file copied as is: a page bundle's images, a section's files.
#[derive(Debug, Clone)]
pub struct OutputAsset {
    pub absolute: PathBuf,
    /// Output path relative to the output folder.
    pub output: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// `sections[0]` is the home.
    pub sections: Vec<Section>,
    /// In `source` order.
    pub pages: Vec<Page>,
    /// Sorted by name; empty when the site has no `tags` taxonomy.
    pub tags: Vec<Term>,
    pub assets: Vec<OutputAsset>,
    /// Old addresses of pages and sections, sorted by `from`.
    pub aliases: Vec<aliases::Alias>,
    /// Sources of the draft pages left out of this build.
    pub drafts: Vec<String>,
}

impl Site {
    /// Old address → the site path it redirects to, for every alias (site
    /// paths, encoded as in `Page::path`). What a server needs to answer an
    /// old address with a redirect instead of the redirect page.
    pub fn redirects(&self) -> impl Iterator<Item = (&str, &str)> {
        self.aliases
            .iter()
            .map(|a| (a.from.as_str(), a.to.as_str()))
    }
}

pub const HOME: SectionId = 0;
pub const TAGS_PATH: &str = "/tags/";

/// Builds the site. `drafts` keeps pages marked `draft: true`.
pub fn build(config: SiteConfig, content: Content, drafts: bool) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Content {
        documents,
        assets,
        moved,
    } = content;
    let mut documents = documents;
    languages::inherit::inherit(&mut documents, &config, &mut diagnostics);
    let fallbacks = languages::inherit::fallback_copies(&mut documents, &config);
    let (section_docs, page_docs): (Vec<Document>, Vec<Document>) = documents
        .into_iter()
        .partition(|d| d.kind == DocKind::Section);
    let (published, drafted): (Vec<Document>, Vec<Document>) = page_docs
        .into_iter()
        .partition(|d| drafts || !d.front.draft);

    let mut sections = make_sections(section_docs, &config);
    let mut pages = make_pages(published, &sections, &config, &mut diagnostics);
    for s in &mut sections {
        s.fallback = s.fallback || fallbacks.contains(&s.source);
    }
    for p in &mut pages {
        p.fallback = fallbacks.contains(&p.source);
    }
    attach_pages(&mut sections, &pages);
    for section in &mut sections {
        sort_pages(section, &pages);
    }
    link_neighbours(&sections, &mut pages);
    // Tag pages are the default language's: a translation carries its
    // original's tags and links to them.
    let tags = if config.taxonomies.iter().any(|t| t == "tags") {
        make_tags(&pages, config.slugify, &mut diagnostics)
    } else {
        Vec::new()
    };
    check_unique_paths(&sections, &pages, &tags, &mut diagnostics);
    let aliases = aliases::collect(&sections, &pages, &tags, &mut diagnostics);
    let drafts: Vec<String> = drafted.into_iter().map(|d| d.source).collect();
    let mut link_findings = Vec::new();
    links::resolve(
        &mut sections,
        &mut pages,
        (&drafts, &moved),
        &config.languages,
        &mut link_findings,
    );
    // A fallback copy's links are its original's, already reported there.
    diagnostics.extend(
        link_findings
            .into_iter()
            .filter(|d| !fallbacks.iter().any(|f| d.file == load::content_path(f))),
    );
    let assets = place_assets(assets, &pages, &config);
    let site = Site {
        config,
        sections,
        pages,
        tags,
        assets,
        aliases,
        drafts,
    };
    diagnostics.extend(site_links::check(&site));
    (site, diagnostics)
}

/// The final HTML of pages of which only the body was edited: each new
/// body's internal links resolved against `site` as it is, except that the
/// edited pages offer their new headings as link targets. `drafts` names the
/// left-out draft pages, as for [`build`].
///
/// This is the model's part of the dev server's fast path; it is right only
/// when the edits changed nothing that other pages see (no front matter, no
/// heading removed), which the caller checks.
pub fn resolve_edited_bodies(
    site: &Site,
    edits: &[(PageId, &load::Rendered)],
    drafts: &[String],
) -> Result<Vec<Arc<str>>, Vec<Diagnostic>> {
    if edits.iter().all(|(_, body)| body.links.is_empty()) {
        return Ok(edits
            .iter()
            .map(|(_, body)| Arc::clone(&body.html))
            .collect());
    }
    let none_moved = std::collections::BTreeMap::new();
    let mut index = links::LinkIndex::new(&site.sections, &site.pages, (drafts, &none_moved))
        .with_languages(&site.config.languages);
    for (id, body) in edits {
        index.set_anchors(&site.pages[*id].source, &body.anchors);
    }
    let mut errors = Vec::new();
    let resolved = edits
        .iter()
        .map(|(id, body)| {
            if body.links.is_empty() {
                return Arc::clone(&body.html);
            }
            let urls = index.urls(&body.links, &site.pages[*id].source, &mut errors);
            Arc::from(load::markdown::fill_links(&body.html, &urls))
        })
        .collect();
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

fn make_sections(docs: Vec<Document>, config: &SiteConfig) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(docs.len() + 1);
    let has_home = docs.iter().any(|d| d.dir().is_empty() && d.lang == 0);
    if !has_home {
        // A site without content/_index.md still gets a home page.
        sections.push(Section {
            source: "_index.md".into(),
            dir: String::new(),
            path: "/".into(),
            front: FrontMatter {
                title: Some(config.title.clone()),
                ..FrontMatter::default()
            },
            content: Arc::from(""),
            anchors: Vec::new(),
            links: Vec::new(),
            toc: Vec::new(),
            word_count: 0,
            facts: Facts::default(),
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
            lang: languages::DEFAULT,
            fallback: false,
        });
    }
    // Documents arrive sorted by source, and "_index.md" sorts before any
    // "x/_index.md", so the home is first and parents precede children;
    // the default language comes first, so `sections[0]` is its home.
    let mut docs = docs;
    docs.sort_by(|a, b| (a.lang, a.dir()).cmp(&(b.lang, b.dir())));
    // (language, folder) → section, so finding a parent does not scan
    // every section.
    let mut by_dir: HashMap<(LangId, String), SectionId> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.lang, s.dir.clone()), i))
        .collect();
    for doc in docs {
        let dir = doc.dir().to_string();
        let lang = doc.lang;
        let parent =
            (!dir.is_empty()).then(|| nearest_section(&by_dir, lang, load::parent_dir(&dir)));
        let id = sections.len();
        by_dir.entry((lang, dir.clone())).or_insert(id);
        if let Some(p) = parent {
            sections[p].subsections.push(id);
        }
        sections.push(Section {
            path: language_path(
                config,
                lang,
                &urls::dir_path(&dir, &|d| config.slugify_for(d)),
            ),
            source: doc.source,
            dir,
            front: doc.front,
            content: doc.body.html,
            anchors: doc.body.anchors,
            links: doc.body.links,
            toc: doc.body.toc,
            word_count: doc.body.word_count,
            facts: doc.body.facts,
            parent,
            subsections: Vec::new(),
            pages: Vec::new(),
            lang,
            fallback: false,
        });
    }
    for i in 0..sections.len() {
        let mut subs = std::mem::take(&mut sections[i].subsections);
        subs.sort_by(|&a, &b| compare_fronts(&sections[a].front, &sections[b].front));
        sections[i].subsections = subs;
    }
    sections
}

impl Site {
    /// The languages tag pages are published in: all of them (each lists
    /// the pages in its language), or the one language.
    pub fn tag_languages(&self) -> std::ops::Range<LangId> {
        0..self.config.languages.list.len().max(1)
    }

    /// The tag list (`None`) and each tag (`Some(i)`); none without tags.
    pub fn tag_terms(&self) -> impl Iterator<Item = Option<usize>> + Clone + use<> {
        let count = self.tags.len();
        (count > 0)
            .then_some(None)
            .into_iter()
            .chain((0..count).map(Some))
    }

    /// Every tag page: each of [`Site::tag_terms`] in each of
    /// [`Site::tag_languages`].
    pub fn tag_pages(&self) -> impl Iterator<Item = (Option<usize>, LangId)> + '_ {
        self.tag_terms()
            .flat_map(|term| self.tag_languages().map(move |lang| (term, lang)))
    }

    /// The tag list's path (`None`) or tag `term`'s, in `lang`:
    /// `/tags/asia/`, `/fr/tags/asia/`.
    pub fn tag_path(&self, term: Option<usize>, lang: LangId) -> String {
        let path = term.map_or(TAGS_PATH, |t| self.tags[t].path.as_str());
        language_path(&self.config, lang, path)
    }
}

/// `path` in language `lang`: `/partners/` → `/fr/partners/`.
fn language_path(config: &SiteConfig, lang: LangId, path: &str) -> String {
    match config.languages.get(lang) {
        Some(l) if lang != languages::DEFAULT => {
            format!("{}{}", l.base_path.trim_end_matches('/'), path)
        }
        _ => path.to_string(),
    }
}

/// The nearest section at or above `dir` in `lang`; that language's home,
/// or the default home when it has none.
fn nearest_section(
    by_dir: &HashMap<(LangId, String), SectionId>,
    lang: LangId,
    mut dir: &str,
) -> SectionId {
    loop {
        if let Some(&i) = by_dir.get(&(lang, dir.to_string())) {
            return i;
        }
        if dir.is_empty() {
            return HOME;
        }
        dir = load::parent_dir(dir);
    }
}

fn make_pages(
    docs: Vec<Document>,
    sections: &[Section],
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let strategy_of = |d: &str| config.slugify_for(d);
    let section_by_dir: HashMap<(LangId, String), SectionId> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.lang, s.dir.clone()), i))
        .collect();
    let mut pages = Vec::with_capacity(docs.len());
    for doc in docs {
        // A bundle (`japan/index.md`) is named by its folder and lives in
        // the folder above it.
        let (container, default_name) = if doc.is_bundle() {
            let bundle_dir = doc.dir();
            (load::parent_dir(bundle_dir), load::file_name(bundle_dir))
        } else {
            (doc.dir(), languages::base_stem(&doc.source, doc.lang))
        };
        let (slug_source, from_front) = match &doc.front.slug {
            Some(s) => (s.as_str(), true),
            None => (default_name, false),
        };
        let named_at = if doc.is_bundle() {
            doc.dir()
        } else {
            doc.source.as_str()
        };
        let strategy = config.slugify_for(named_at);
        let slugged = if from_front {
            urls::slug_from(slug_source, strategy)
        } else {
            urls::segment(slug_source, strategy)
        };
        let slug = match slugged {
            Ok(s) => s,
            Err(why) => {
                let d = Diagnostic::error(
                    "E-SLUG",
                    doc.display_path(),
                    format!("cannot make a URL for this page: {why}"),
                );
                diagnostics.push(if from_front {
                    d.at_line(doc.front.line_of("slug"))
                        .hint("give `slug:` a plain name such as `japan`")
                } else {
                    d.hint("rename the file, or set `slug:` in its front matter")
                });
                continue;
            }
        };
        let section = nearest_section(&section_by_dir, doc.lang, container);
        let path = language_path(
            config,
            doc.lang,
            &urls::child_path(&urls::dir_path(container, &strategy_of), &slug),
        );
        if let Some(why) = urls::path_too_long(&path) {
            diagnostics.push(
                Diagnostic::error(
                    "E-SLUG-TOO-LONG",
                    doc.display_path(),
                    format!("cannot write this page: {why}"),
                )
                .hint("give it a shorter file name, or set a short `slug:` in its front matter"),
            );
            continue;
        }
        pages.push(Page {
            source: doc.source,
            path,
            slug,
            front: doc.front,
            content: doc.body.html,
            anchors: doc.body.anchors,
            links: doc.body.links,
            toc: doc.body.toc,
            word_count: doc.body.word_count,
            facts: doc.body.facts,
            section,
            previous: None,
            next: None,
            lang: doc.lang,
            fallback: false,
        });
    }
    pages
}

fn attach_pages(sections: &mut [Section], pages: &[Page]) {
    for (id, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(id);
    }
}

fn sort_pages(section: &mut Section, pages: &[Page]) {
    let by = section.front.sort_by;
    section.pages.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let order = match by {
            SortBy::Weight => compare_fronts(&a.front, &b.front),
            SortBy::Date => b
                .front
                .date
                .cmp(&a.front.date)
                .then_with(|| a.title().cmp(b.title())),
            SortBy::Title => a.title().cmp(b.title()),
        };
        order.then_with(|| a.source.cmp(&b.source))
    });
}

/// Weight (pages without one last), then date (oldest first, undated last),
/// then title.
fn compare_fronts(a: &FrontMatter, b: &FrontMatter) -> std::cmp::Ordering {
    let weight = |f: &FrontMatter| (f.weight.is_none(), f.weight);
    let date = |f: &FrontMatter| (f.date.is_none(), f.date);
    weight(a)
        .cmp(&weight(b))
        .then_with(|| date(a).cmp(&date(b)))
        .then_with(|| a.title.cmp(&b.title))
}

fn link_neighbours(sections: &[Section], pages: &mut [Page]) {
    for section in sections {
        for pair in section.pages.windows(2) {
            pages[pair[0]].next = Some(pair[1]);
            pages[pair[1]].previous = Some(pair[0]);
        }
    }
}

fn make_tags(
    pages: &[Page],
    strategy: urls::Slugify,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Term> {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        if page.lang != languages::DEFAULT {
            continue;
        }
        for tag in &page.front.tags {
            // Unlike a page slug, a tag is a label: `Research/Innovation`
            // is fine and becomes `research-innovation`.
            let slug = match strategy {
                urls::Slugify::Strict => slug::slugify(tag),
                other => urls::segment(tag, other).unwrap_or_default(),
            };
            if slug.is_empty() {
                diagnostics.push(
                    Diagnostic::error(
                        "E-TAG",
                        load::content_path(&page.source),
                        format!("the tag \"{tag}\" has no letters or digits to make its URL from"),
                    )
                    .at_line(page.front.line_of("tags"))
                    .hint("use tags made of words, e.g. `tags: [Ukraine, NATO allies]`"),
                );
                continue;
            }
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: tag.clone(),
                path: urls::child_path(TAGS_PATH, &slug),
                slug,
                pages: Vec::new(),
            });
            if term.pages.last() != Some(&id) {
                term.pages.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    for term in &mut terms {
        term.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            b.front
                .date
                .cmp(&a.front.date)
                .then_with(|| a.title().cmp(b.title()))
        });
    }
    terms.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.slug.cmp(&b.slug))
    });
    terms
}

/// Two things that would be written to the same place are an error naming both.
fn check_unique_paths(
    sections: &[Section],
    pages: &[Page],
    tags: &[Term],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut owners: HashMap<&str, &str> = HashMap::new();
    if !tags.is_empty() {
        owners.insert(TAGS_PATH, "the tags list");
        for t in tags {
            owners.insert(&t.path, "a tag page");
        }
    }
    let claims = sections
        .iter()
        .map(|s| (s.path.as_str(), s.source.as_str()))
        .chain(pages.iter().map(|p| (p.path.as_str(), p.source.as_str())));
    for (path, source) in claims {
        if let Some(other) = owners.insert(path, source) {
            let other_name = if other.ends_with(".md") {
                load::content_path(other).display().to_string()
            } else {
                other.to_string()
            };
            diagnostics.push(
                Diagnostic::error(
                    "E-URL-CONFLICT",
                    load::content_path(source),
                    format!("this page would be published at {path}, like {other_name}"),
                )
                .hint("rename one of the files or give one a different `slug:`"),
            );
        }
    }
}

/// Bundle files go next to their page; other files keep their place below
/// their folder's path.
fn place_assets(assets: Vec<load::Asset>, pages: &[Page], config: &SiteConfig) -> Vec<OutputAsset> {
    let bundles: HashMap<&str, &str> = pages
        .iter()
        .filter(|p| load::file_name(&p.source) == "index.md")
        .map(|p| (load::parent_dir(&p.source), p.path.as_str()))
        .collect();
    assets
        .into_iter()
        .map(|asset| {
            let output = bundle_output(&asset.source, &bundles).unwrap_or_else(|| {
                let dir =
                    urls::dir_path(load::parent_dir(&asset.source), &|d| config.slugify_for(d));
                format!("{}{}", urls::decode(&dir), load::file_name(&asset.source))
            });
            OutputAsset {
                absolute: asset.absolute,
                output: output.trim_start_matches('/').to_string(),
            }
        })
        .collect()
}

/// If `source` is inside a bundle folder, its place under that page's path.
fn bundle_output(source: &str, bundles: &HashMap<&str, &str>) -> Option<String> {
    let mut dir = load::parent_dir(source);
    while !dir.is_empty() {
        if let Some(page_path) = bundles.get(dir) {
            return Some(format!(
                "{}{}",
                urls::decode(page_path),
                &source[dir.len() + 1..]
            ));
        }
        dir = load::parent_dir(dir);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{FrontMatter, Rendered};

    fn doc(source: &str, front: FrontMatter) -> Document {
        Document {
            source: source.into(),
            kind: if source.ends_with("_index.md") {
                DocKind::Section
            } else {
                DocKind::Page
            },
            front,
            body: Rendered::default(),
            untitled: false,
            lang: 0,
        }
    }

    fn titled(title: &str, weight: Option<i64>) -> FrontMatter {
        FrontMatter {
            title: Some(title.into()),
            weight,
            ..FrontMatter::default()
        }
    }

    fn config() -> SiteConfig {
        SiteConfig::parse("title: T\nbase_url: https://x.org/\n").unwrap()
    }

    #[test]
    fn builds_the_tree_with_order_and_neighbours() {
        let content = Content {
            documents: vec![
                doc("_index.md", titled("Home", None)),
                doc("partners/_index.md", titled("Partners", None)),
                doc("partners/b.md", titled("B", Some(2))),
                doc("partners/a.md", titled("A", Some(3))),
                doc("partners/c.md", titled("C", None)),
                doc("partners/japan/index.md", titled("Japan", Some(1))),
            ],
            assets: vec![load::Asset {
                source: "partners/japan/map.png".into(),
                absolute: "/x/map.png".into(),
            }],
            moved: Default::default(),
        };
        let (site, d) = build(config(), content, false);
        assert!(d.is_empty(), "{d:?}");
        let partners = &site.sections[1];
        let order: Vec<&str> = partners
            .pages
            .iter()
            .map(|&p| site.pages[p].path.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "/partners/japan/",
                "/partners/b/",
                "/partners/a/",
                "/partners/c/"
            ]
        );
        let japan = partners.pages[0];
        assert_eq!(site.pages[japan].previous, None);
        assert_eq!(site.pages[japan].next, Some(partners.pages[1]));
        assert_eq!(site.sections[0].subsections, [1]);
        assert_eq!(site.assets[0].output, "partners/japan/map.png");
    }

    #[test]
    fn drafts_are_left_out_unless_asked_for() {
        let mut draft = titled("D", None);
        draft.draft = true;
        let content = || Content {
            documents: vec![doc("d.md", draft.clone()), doc("p.md", titled("P", None))],
            assets: vec![],
            moved: Default::default(),
        };
        assert_eq!(build(config(), content(), false).0.pages.len(), 1);
        assert_eq!(build(config(), content(), true).0.pages.len(), 2);
    }

    #[test]
    fn two_pages_with_one_url_is_an_error_naming_both() {
        let mut slugged = titled("X", None);
        slugged.slug = Some("Japan".into());
        let content = Content {
            documents: vec![doc("japan.md", titled("J", None)), doc("other.md", slugged)],
            assets: vec![],
            moved: Default::default(),
        };
        let (_, d) = build(config(), content, false);
        assert_eq!(d.len(), 1);
        assert!(d[0].to_string().contains("content/other.md"));
        assert!(d[0].message.contains("content/japan.md"));
    }

    #[test]
    fn tags_get_pages_newest_first() {
        let mut a = titled("A", None);
        a.tags = vec!["NATO allies".into()];
        a.date = crate::date::Date::parse("2024-01-01").ok();
        let mut b = a.clone();
        b.title = Some("B".into());
        b.date = crate::date::Date::parse("2025-01-01").ok();
        let content = Content {
            documents: vec![doc("a.md", a), doc("b.md", b)],
            assets: vec![],
            moved: Default::default(),
        };
        let (site, _) = build(config(), content, false);
        assert_eq!(site.tags.len(), 1);
        assert_eq!(site.tags[0].path, "/tags/nato-allies/");
        assert_eq!(site.pages[site.tags[0].pages[0]].title(), "B");
    }
}
