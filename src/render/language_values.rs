//! What templates see of a site's languages: each page's translations, the
//! language switcher's entries, and per language the `config` and `site`
//! values (its title, its sections, its pages).
//!
//! A one-language site gets none of this beyond `lang`; its values are what
//! they always were.

use std::collections::HashMap;

use tera::Value;
use tera::value::Map;

use crate::languages::{DEFAULT, LangId, Languages};
use crate::model::{PageId, SectionId, Site};

/// Every page and section with the same original, by language.
pub struct Groups {
    /// Per page: the id of its version in each language (`None`: missing).
    pub pages: Vec<Vec<Option<PageId>>>,
    pub sections: Vec<Vec<Option<SectionId>>>,
    /// Each language's home, if it has one.
    pub homes: Vec<Option<SectionId>>,
}

impl Groups {
    pub fn new(site: &Site) -> Groups {
        let languages = &site.config.languages;
        let n = languages.list.len().max(1);
        let original = |source: &str| {
            languages
                .classify(source)
                .map_or_else(|_| source.to_string(), |(_, o)| o)
        };
        let mut page_groups: HashMap<String, Vec<Option<PageId>>> = HashMap::new();
        for (id, p) in site.pages.iter().enumerate() {
            let slot = page_groups
                .entry(original(&p.source))
                .or_insert_with(|| vec![None; n]);
            if let Some(s) = slot.get_mut(p.lang) {
                *s = Some(id);
            }
        }
        let mut section_groups: HashMap<&str, Vec<Option<SectionId>>> = HashMap::new();
        for (id, s) in site.sections.iter().enumerate() {
            let slot = section_groups
                .entry(s.dir.as_str())
                .or_insert_with(|| vec![None; n]);
            if let Some(x) = slot.get_mut(s.lang) {
                x.get_or_insert(id);
            }
        }
        let pages = site
            .pages
            .iter()
            .map(|p| page_groups[&original(&p.source)].clone())
            .collect();
        let sections = site
            .sections
            .iter()
            .map(|s| section_groups[s.dir.as_str()].clone())
            .collect();
        let homes = section_groups
            .get("")
            .cloned()
            .unwrap_or_else(|| vec![None; n]);
        Groups {
            pages,
            sections,
            homes,
        }
    }

    /// The version of page `id` a reader of `lang` gets: its translation,
    /// or else the original.
    pub fn page_in(&self, id: PageId, lang: LangId) -> PageId {
        version_in(&self.pages[id], lang).unwrap_or(id)
    }

    pub fn section_in(&self, id: SectionId, lang: LangId) -> SectionId {
        version_in(&self.sections[id], lang).unwrap_or(id)
    }
}

/// The member of a group of versions (indexed by language) a reader of
/// `lang` gets: that language's, else the original's.
fn version_in(group: &[Option<usize>], lang: LangId) -> Option<usize> {
    group
        .get(lang)
        .copied()
        .flatten()
        .or(group.first().copied().flatten())
}

/// `[{lang, name, path, title, missing, hreflang}]`, one per language: where
/// the switcher sends a reader of `group` (page or section ids by
/// language). A language without a version sends to its home when it has
/// one, else to the original, and says so (`missing: true`, `hreflang` the
/// language actually found there).
pub fn switcher(
    site: &Site,
    group: &[Option<usize>],
    homes: &[Option<SectionId>],
    path_of: impl Fn(usize) -> (String, Option<String>, bool),
) -> Value {
    let languages = &site.config.languages;
    let entries: Vec<Value> = languages
        .list
        .iter()
        .enumerate()
        .map(|(lang, l)| {
            let mut m = Map::new();
            m.insert("lang".into(), l.code.as_str().into());
            m.insert("name".into(), l.name.as_str().into());
            let (path, title, hreflang, missing, fallback) =
                match group.get(lang).copied().flatten() {
                    Some(id) => {
                        let (path, title, fallback) = path_of(id);
                        (path, title, l.code.clone(), false, fallback)
                    }
                    None => {
                        let (target, code) = match homes.get(lang).copied().flatten() {
                            Some(home) => (site.sections[home].path.clone(), l.code.clone()),
                            None => {
                                let original = group.first().copied().flatten().unwrap_or_default();
                                (path_of(original).0, code_of(languages, DEFAULT))
                            }
                        };
                        (target, None, code, true, false)
                    }
                };
            m.insert("path".into(), path.into());
            m.insert("title".into(), title.map_or_else(Value::none, Value::from));
            m.insert("hreflang".into(), hreflang.into());
            m.insert("missing".into(), missing.into());
            m.insert("fallback".into(), fallback.into());
            Value::from(m)
        })
        .collect();
    entries.into()
}

fn code_of(languages: &Languages, lang: LangId) -> String {
    languages
        .get(lang)
        .map(|l| l.code.clone())
        .unwrap_or_default()
}

/// `languages`: every language with its name and home, for templates that
/// list them.
pub fn languages_value(site: &Site, groups: &Groups) -> Value {
    let list: Vec<Value> = site
        .config
        .languages
        .list
        .iter()
        .enumerate()
        .map(|(lang, l)| {
            let mut m = Map::new();
            m.insert("code".into(), l.code.as_str().into());
            m.insert("name".into(), l.name.as_str().into());
            let home = groups.homes.get(lang).copied().flatten();
            m.insert(
                "path".into(),
                home.map_or_else(Value::none, |h| site.sections[h].path.as_str().into()),
            );
            Value::from(m)
        })
        .collect();
    list.into()
}
