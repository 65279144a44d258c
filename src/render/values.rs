//! The template context: the site model turned into Tera values, once.
//!
//! Tera arrays and maps are reference-counted, so a value built here can be
//! placed in any number of page contexts for the cost of a pointer copy.
//! This is what keeps a template that lists a whole section on every page
//! (a sidebar) linear: the list is built once and shared, never copied per
//! page. Every value is built exactly once per build.

use rayon::prelude::*;
use tera::Value;
use tera::value::Map;

use super::language_values::{self, Groups};
use crate::config::SiteConfig;
use crate::load::{FieldValue, FrontMatter, Source, TocEntry};
use crate::model::{Page, Section, Site};

/// All shared values of one build.
pub struct SiteValues {
    pub config: Value,
    pub site: Value,
    /// Per page, without `content` (for lists and neighbours).
    pub page_summaries: Vec<Value>,
    /// Per section, with its pages and subsections.
    pub sections: Vec<Value>,
    /// Per language (`LangId`), the tag pages' values.
    pub terms: Vec<Vec<Value>>,
    /// Per language, `terms` in alphabetical order of their names there.
    pub term_lists: Vec<Value>,
    /// Per language, its `config` and `site` (empty for a one-language
    /// site, whose `config` and `site` are the ones above).
    pub languages: Vec<(Value, Value)>,
    /// `languages`: each language's code, name and home.
    pub language_list: Value,
}

/// A small builder, so value construction reads like the context it makes.
struct Object(Map);

impl Object {
    fn new() -> Self {
        Object(Map::new())
    }

    fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    fn done(self) -> Value {
        Value::from(self.0)
    }
}

fn opt_text(s: &Option<String>) -> Value {
    s.as_deref().map_or_else(Value::none, Value::from)
}

fn permalink(config: &SiteConfig, path: &str) -> String {
    format!("{}{}", config.base_url, path.trim_start_matches('/'))
}

impl SiteValues {
    /// `strings` give tag names in each language (`tags.<slug>`).
    pub fn build(site: &Site, strings: &crate::i18n::Strings) -> SiteValues {
        let config = config_value(&site.config);
        let enabled = site.config.languages.enabled();
        let groups = enabled.then(|| Groups::new(site));
        let section_refs: Vec<Value> = site
            .sections
            .iter()
            .map(|s| {
                Object::new()
                    .set("title", opt_text(&s.front.title))
                    .set("path", s.path.as_str())
                    .done()
            })
            .collect();
        // In parallel: at 10,000 pages this was the longest step that kept
        // one core idle.
        let page_summaries: Vec<Value> = site
            .pages
            .par_iter()
            .enumerate()
            .map(|(id, p)| {
                let summary = page_summary(p, &site.config, section_refs[p.section].clone());
                match &groups {
                    Some(g) => with_languages(
                        summary,
                        site,
                        p.lang,
                        p.fallback,
                        page_switcher(site, g, id),
                    ),
                    None => summary,
                }
            })
            .collect();
        let sections = section_values(site, &page_summaries, groups.as_ref());
        // Each language has its tag pages, listing each page in that
        // language (or its original where it has no translation).
        let terms: Vec<Vec<Value>> = site
            .tag_languages()
            .map(|lang| {
                (0..site.tags.len())
                    .map(|i| {
                        let shown = |p: usize| groups.as_ref().map_or(p, |g| g.page_in(p, lang));
                        term_value(site, i, lang, strings, &page_summaries, shown)
                    })
                    .collect()
            })
            .collect();
        // The tag list in each language, in that language's alphabetical
        // order (accents folded, as slugs fold them).
        let term_lists: Vec<Value> = terms
            .iter()
            .enumerate()
            .map(|(lang, in_language)| {
                let mut order: Vec<usize> = (0..in_language.len()).collect();
                order.sort_by_cached_key(|&i| slug::slugify(term_name(site, i, lang, strings).0));
                Value::from(
                    order
                        .into_iter()
                        .map(|i| in_language[i].clone())
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let site_value = |lang: usize| {
            let sections_by_dir: Map = site
                .sections
                .iter()
                .enumerate()
                .filter(|(_, s)| !enabled || s.lang == crate::languages::DEFAULT)
                .map(|(i, s)| {
                    let i = groups.as_ref().map_or(i, |g| g.section_in(i, lang));
                    (s.dir.clone().into(), sections[i].clone())
                })
                .collect();
            let pages: Vec<Value> = match &groups {
                None => page_summaries.clone(),
                Some(g) => (0..site.pages.len())
                    .filter(|&i| site.pages[i].lang == crate::languages::DEFAULT)
                    .map(|i| page_summaries[g.page_in(i, lang)].clone())
                    .collect(),
            };
            let home = groups.as_ref().map_or(crate::model::HOME, |g| {
                g.section_in(crate::model::HOME, lang)
            });
            // `site.paths["about.md"]`: where a reader in this language finds
            // a page (its translation, or the original), for links that
            // templates write themselves (navigation, footer).
            let paths: Map = (0..site.pages.len())
                .filter(|&i| site.pages[i].lang == crate::languages::DEFAULT)
                .map(|i| {
                    let shown = groups.as_ref().map_or(i, |g| g.page_in(i, lang));
                    (
                        site.pages[i].source.clone().into(),
                        Value::from(site.pages[shown].path.as_str()),
                    )
                })
                .collect();
            Object::new()
                .set("pages", pages)
                .set("paths", Value::from(paths))
                .set("sections", Value::from(sections_by_dir))
                .set("home", sections[home].clone())
                .set(
                    "tags",
                    term_lists.get(lang).cloned().unwrap_or_else(Value::none),
                )
                .set(
                    "sources",
                    super::citation_values::register(&site.config.register),
                )
                .set("changes", super::citation_values::site_changes(site))
                .done()
        };
        let languages: Vec<(Value, Value)> = match &groups {
            None => Vec::new(),
            Some(_) => (0..site.config.languages.list.len())
                .map(|lang| (language_config(&site.config, lang), site_value(lang)))
                .collect(),
        };
        let (config, site_default) = match languages.first() {
            Some((c, s)) => (c.clone(), s.clone()),
            None => (config, site_value(crate::languages::DEFAULT)),
        };
        let language_list = groups.as_ref().map_or_else(
            || Value::from(Vec::<Value>::new()),
            |g| language_values::languages_value(site, g),
        );
        SiteValues {
            config,
            site: site_default,
            page_summaries,
            sections,
            terms,
            term_lists,
            languages,
            language_list,
        }
    }

    /// The `config` and `site` values a page in `lang` sees.
    pub fn for_language(&self, lang: usize) -> (&Value, &Value) {
        match self.languages.get(lang) {
            Some((c, s)) => (c, s),
            None => (&self.config, &self.site),
        }
    }

    /// The full value of a page: its summary plus content, table of
    /// contents and neighbours.
    pub fn page(&self, site: &Site, id: usize) -> Value {
        let page = &site.pages[id];
        let neighbour =
            |n: Option<usize>| n.map_or_else(Value::none, |i| self.page_summaries[i].clone());
        let mut map = self.page_summaries[id]
            .as_map()
            .cloned()
            .unwrap_or_default();
        for (key, value) in [
            ("content", Value::safe_string(&page.content)),
            ("toc", toc_value(&page.toc)),
            ("previous", neighbour(page.previous)),
            ("next", neighbour(page.next)),
            // Zola's names for the same neighbours, so Zola templates work.
            ("lower", neighbour(page.previous)),
            ("higher", neighbour(page.next)),
            // Not in the summary: they change with every edit of the text,
            // and lists showing them would all need re-rendering.
            ("word_count", Value::from(page.word_count)),
            ("reading_time", Value::from(page.word_count.div_ceil(200))),
            (
                "references",
                super::citation_values::references(&page.facts.references),
            ),
        ] {
            map.insert(key.into(), value);
        }
        Value::from(map)
    }
}

fn config_value(config: &SiteConfig) -> Value {
    Object::new()
        .set("title", config.title.as_str())
        .set("base_url", config.base_url.as_str())
        .set("language", config.language.as_str())
        .set("description", opt_text(&config.description))
        .set("taxonomies", config.taxonomies.clone())
        .set("author", opt_text(&config.outputs.author))
        .set("feed", config.outputs.feed.is_some())
        .set("search", config.outputs.search.is_some())
        .set("sitemap", config.outputs.sitemap)
        .set("open_data", {
            let mut m = Map::new();
            m.insert("sections".into(), config.open_data.sections.clone().into());
            m.insert("timeline".into(), config.open_data.timeline.into());
            Value::from(m)
        })
        .set("extra", Value::from_serializable(&config.extra))
        .done()
}

/// `config` as a page in `lang` sees it: the language's code, and its own
/// title and description where it has them.
fn language_config(config: &SiteConfig, lang: usize) -> Value {
    let value = config_value(config);
    let Some(l) = config.languages.get(lang) else {
        return value;
    };
    let mut map = value.as_map().cloned().unwrap_or_default();
    map.insert("language".into(), l.code.as_str().into());
    if let Some(t) = &l.title {
        map.insert("title".into(), t.as_str().into());
    }
    if let Some(d) = &l.description {
        map.insert("description".into(), d.as_str().into());
    }
    Value::from(map)
}

/// A page or section value with its language, whether it is a fallback
/// copy, and its `translations` (the switcher's entries).
fn with_languages(
    value: Value,
    site: &Site,
    lang: usize,
    fallback: bool,
    translations: Value,
) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    let code = site.config.languages.code(lang, &site.config.language);
    map.insert("lang".into(), code.into());
    map.insert("fallback".into(), fallback.into());
    map.insert("translations".into(), translations);
    Value::from(map)
}

fn page_switcher(site: &Site, groups: &Groups, id: usize) -> Value {
    language_values::switcher(site, &groups.pages[id], &groups.homes, |p| {
        let page = &site.pages[p];
        (page.path.clone(), page.front.title.clone(), page.fallback)
    })
}

fn section_switcher(site: &Site, groups: &Groups, id: usize) -> Value {
    language_values::switcher(site, &groups.sections[id], &groups.homes, |s| {
        let section = &site.sections[s];
        (
            section.path.clone(),
            section.front.title.clone(),
            section.fallback,
        )
    })
}

/// Keys shared by pages and sections.
fn common(front: &FrontMatter, path: &str, config: &SiteConfig) -> Object {
    Object::new()
        .set("title", opt_text(&front.title))
        .set("description", opt_text(&front.description))
        .set(
            "date",
            front
                .date
                .map_or_else(Value::none, |d| d.to_string().into()),
        )
        .set(
            "updated",
            front
                .updated
                .map_or_else(Value::none, |d| d.to_string().into()),
        )
        .set("weight", front.weight.map_or_else(Value::none, Value::from))
        .set("path", path)
        .set("permalink", permalink(config, path))
        .set(
            "sources",
            front.sources.iter().map(source_value).collect::<Vec<_>>(),
        )
        .set("changes", super::citation_values::changes(&front.changes))
        .set(
            "events",
            super::citation_values::events(&front.events, &config.register),
        )
        .set(
            "extra",
            front
                .extra
                .as_ref()
                .map_or_else(|| Value::from(Map::new()), Value::from_serializable),
        )
}

fn page_summary(page: &Page, config: &SiteConfig, section_ref: Value) -> Value {
    let fields: Map = page
        .front
        .fields
        .iter()
        .map(|(name, value)| (name.clone().into(), field_value(value)))
        .collect();
    common(&page.front, &page.path, config)
        .set("slug", page.slug.as_str())
        .set("source", page.source.as_str())
        .set("draft", page.front.draft)
        .set("tags", page.front.tags.clone())
        .set("fields", Value::from(fields))
        .set(
            "field_sources",
            super::citation_values::field_sources(&page.front, &config.register),
        )
        .set("section", section_ref)
        .done()
}

/// Section values nest their subsections, so they are built children first.
/// A section in another language lists what its original lists, each page
/// and subsection in that language where it has a version and the original
/// otherwise, so a missing translation leaves no gap.
fn section_values(site: &Site, page_summaries: &[Value], groups: Option<&Groups>) -> Vec<Value> {
    let mut values: Vec<Option<Value>> = vec![None; site.sections.len()];
    // Children always have higher ids than their parents (see model::build),
    // and the default language's sections come first.
    let order = (0..site.sections.len())
        .rev()
        .filter(|&i| site.sections[i].lang == crate::languages::DEFAULT)
        .chain(
            (0..site.sections.len())
                .rev()
                .filter(|&i| site.sections[i].lang != crate::languages::DEFAULT),
        );
    for id in order {
        let s: &Section = &site.sections[id];
        let original = groups
            .and_then(|g| g.sections[id].first().copied().flatten())
            .filter(|&o| o != id);
        let (subsections, pages): (Vec<Value>, Vec<Value>) = match (groups, original) {
            (Some(g), Some(o)) => (
                site.sections[o]
                    .subsections
                    .iter()
                    .filter_map(|&c| values[g.section_in(c, s.lang)].clone())
                    .collect(),
                site.sections[o]
                    .pages
                    .iter()
                    .map(|&p| page_summaries[g.page_in(p, s.lang)].clone())
                    .collect(),
            ),
            _ => (
                s.subsections
                    .iter()
                    .filter_map(|&c| values[c].clone())
                    .collect(),
                s.pages.iter().map(|&p| page_summaries[p].clone()).collect(),
            ),
        };
        let value = common(&s.front, &s.path, &site.config)
            .set("source", s.source.as_str())
            .set("dir", s.dir.as_str())
            .set("content", Value::safe_string(&s.content))
            .set("toc", toc_value(&s.toc))
            .set("page_count", pages.len())
            .set("pages", pages)
            .set("subsections", subsections)
            .set("word_count", s.word_count)
            .set(
                "references",
                super::citation_values::references(&s.facts.references),
            )
            .done();
        values[id] = Some(match groups {
            Some(g) => with_languages(
                value,
                site,
                s.lang,
                s.fallback,
                section_switcher(site, g, id),
            ),
            None => value,
        });
    }
    values
        .into_iter()
        .map(|v| v.unwrap_or_else(Value::none))
        .collect()
}

/// The tag list's (`None`) or a tag's page in each language, as
/// `translations` (for the switcher and alternates): empty with one language.
pub fn tag_translations(site: &Site, term: Option<usize>) -> Value {
    if !site.config.languages.enabled() {
        return Value::from(Vec::<Value>::new());
    }
    site.config
        .languages
        .list
        .iter()
        .enumerate()
        .map(|(lang, l)| {
            Object::new()
                .set("lang", l.code.as_str())
                .set("hreflang", l.code.as_str())
                .set("name", l.name.as_str())
                .set("path", site.tag_path(term, lang))
                .set("missing", false)
                .done()
        })
        .collect::<Vec<_>>()
        .into()
}

/// Tag `i`'s name in `lang`, and the language of that name: the interface
/// string `tags.<slug>`, else the tag as written (in the default language).
fn term_name<'a>(
    site: &'a Site,
    i: usize,
    lang: usize,
    strings: &'a crate::i18n::Strings,
) -> (&'a str, &'a str) {
    let (term, config) = (&site.tags[i], &site.config);
    let code = config.languages.code(lang, &config.language);
    match strings.exact(code, &format!("tags.{}", term.slug)) {
        Some(own) => (own, code),
        None => (
            &term.name,
            config
                .languages
                .code(crate::languages::DEFAULT, &config.language),
        ),
    }
}

/// Tag `i` in language `lang`: its name there (the interface string
/// `tags.<slug>`, else the tag as written, in the default language), its
/// page in that language and its pages as a reader of it gets them.
fn term_value(
    site: &Site,
    i: usize,
    lang: usize,
    strings: &crate::i18n::Strings,
    page_summaries: &[Value],
    shown: impl Fn(usize) -> usize,
) -> Value {
    let term = &site.tags[i];
    let pages: Vec<Value> = term
        .pages
        .iter()
        .map(|&p| page_summaries[shown(p)].clone())
        .collect();
    let (name, name_lang) = term_name(site, i, lang, strings);
    let path = site.tag_path(Some(i), lang);
    Object::new()
        .set("name", name)
        .set("name_lang", name_lang)
        .set("slug", term.slug.as_str())
        .set("permalink", permalink(&site.config, &path))
        .set("path", path)
        .set("list_path", site.tag_path(None, lang))
        .set("translations", tag_translations(site, Some(i)))
        .set("page_count", pages.len())
        .set("pages", pages)
        .done()
}

fn source_value(s: &Source) -> Value {
    Object::new()
        .set("title", s.title.as_str())
        .set("url", s.url.as_str())
        .set("publisher", opt_text(&s.publisher))
        .set(
            "date",
            s.date.map_or_else(Value::none, |d| d.to_string().into()),
        )
        .set("id", opt_text(&s.id))
        .done()
}

fn field_value(v: &FieldValue) -> Value {
    match v {
        FieldValue::Text(s) => s.as_str().into(),
        FieldValue::Bool(b) => (*b).into(),
        FieldValue::Date(d) => d.to_string().into(),
        FieldValue::List(l) => l.clone().into(),
        FieldValue::Absent => Value::none(),
    }
}

pub fn toc_value(toc: &[TocEntry]) -> Value {
    toc.iter()
        .map(|e| {
            Object::new()
                .set("level", e.level)
                .set("id", e.id.as_str())
                .set("title", e.title.as_str())
                .set("children", toc_value(&e.children))
                .done()
        })
        .collect::<Vec<_>>()
        .into()
}
