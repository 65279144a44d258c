//! Resolving internal links: `@/partners/japan.md#areas` becomes
//! `/partners/japan/#areas` in the page's HTML, and every link to a missing
//! page or heading is an error at the link's own line and column.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Diagnostic;
use crate::languages::{DEFAULT, Languages};
use crate::load::{self, InternalLink, markdown};
use crate::yaml::did_you_mean;

use super::{Page, Section};

/// What a link may land on: a page or section's path and its anchors.
pub struct LinkIndex<'a> {
    targets: HashMap<&'a str, Target<'a>>,
    drafts: &'a [String],
    /// Pages just renamed, old source → new source.
    moved: &'a BTreeMap<String, String>,
    /// How many more did-you-mean searches this build may make. Each one
    /// compares a name with every candidate, so without a bound a site
    /// whose links are all broken costs links × pages comparisons (20,000
    /// broken fragments on one page took 75 s and printed 173 MB).
    suggestions_left: AtomicUsize,
    /// The site's languages: a link from a translation goes to the
    /// translation of its target in the same language, when there is one.
    languages: Option<&'a Languages>,
}

struct Target<'a> {
    path: &'a str,
    anchors: &'a [String],
    /// `anchors` as a set, made the first time a link asks a page with many
    /// headings for one: linear scans of a 20,000-heading page are quadratic.
    anchor_set: OnceLock<HashSet<&'a str>>,
}

impl<'a> Target<'a> {
    fn new(path: &'a str, anchors: &'a [String]) -> Self {
        Target {
            path,
            anchors,
            anchor_set: OnceLock::new(),
        }
    }

    fn has_anchor(&self, fragment: &str) -> bool {
        if self.anchors.len() <= LINEAR_ANCHORS {
            return self.anchors.iter().any(|a| a == fragment);
        }
        self.anchor_set
            .get_or_init(|| self.anchors.iter().map(String::as_str).collect())
            .contains(fragment)
    }
}

/// Pages with at most this many anchors are searched without a set.
const LINEAR_ANCHORS: usize = 16;
/// Did-you-mean searches made per build; later broken links still get an error.
const SUGGESTION_BUDGET: usize = 200;
/// Headings listed in a broken-fragment hint.
const LISTED_ANCHORS: usize = 12;

impl<'a> LinkIndex<'a> {
    pub fn new(
        sections: &'a [Section],
        pages: &'a [Page],
        (drafts, moved): (&'a [String], &'a BTreeMap<String, String>),
    ) -> Self {
        let targets = sections
            .iter()
            .map(|s| (s.source.as_str(), Target::new(&s.path, &s.anchors)))
            .chain(
                pages
                    .iter()
                    .map(|p| (p.source.as_str(), Target::new(&p.path, &p.anchors))),
            )
            .collect();
        LinkIndex {
            targets,
            drafts,
            moved,
            suggestions_left: AtomicUsize::new(SUGGESTION_BUDGET),
            languages: None,
        }
    }

    /// Links written in a translation go to their target's translation in
    /// the same language when there is one, and to the original otherwise
    /// (with `hreflang`, since the reader changes language).
    pub fn with_languages(mut self, languages: &'a Languages) -> Self {
        self.languages = languages.enabled().then_some(languages);
        self
    }

    /// Makes `source` (already in the index) offer `anchors`: the headings
    /// of a body edited since the site was built.
    pub fn set_anchors(&mut self, source: &str, anchors: &'a [String]) {
        if let Some(target) = self.targets.get_mut(source) {
            *target = Target::new(target.path, anchors);
        }
    }

    /// Takes one did-you-mean search from the budget, if any is left.
    fn may_suggest(&self) -> bool {
        self.suggestions_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }

    /// The URLs of `links`, written in `from`, in order: a link that does
    /// not resolve gets `#` and its finding goes to `diagnostics`, so every
    /// broken link of a file is reported in one run.
    pub fn urls(
        &self,
        links: &[InternalLink],
        from: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        links
            .iter()
            .map(|link| {
                self.resolve(link, from).unwrap_or_else(|d| {
                    diagnostics.push(d);
                    "#".to_string()
                })
            })
            .collect()
    }

    /// The URL of `link` (escaped for an HTML attribute), or the reason it
    /// has none.
    pub fn resolve(&self, link: &InternalLink, from: &str) -> Result<String, Diagnostic> {
        let error = |message: String| {
            Diagnostic::error("E-LINK-BROKEN", load::content_path(from), message)
                .at(link.location)
                .underline(link.length)
        };
        let Some(target) = &link.target else {
            return Err(
                error(format!("link `{}` points outside content/", link.raw))
                    .hint("internal links name a file below content/, e.g. @/partners/japan.md"),
            );
        };
        let found = self
            .find(target)
            .map(|(key, found)| self.in_language_of(from, key, found));
        let Some((key, found, hreflang)) = found else {
            if self.drafts.iter().any(|d| d == target) {
                return Err(error(format!("link `{}` points to a draft page, which is not published", link.raw))
                    .hint("publish the target (remove `draft: true`), remove the link, or preview with --drafts"));
            }
            if let Some(to) = self.moved.get(target) {
                return Err(error(format!(
                    "link `{}`: content/{target} was just renamed to content/{to}",
                    link.raw
                ))
                .hint(format!("link to the new name: @/{to}")));
            }
            let suggestion = self
                .may_suggest()
                .then(|| did_you_mean(target, self.targets.keys().copied()))
                .flatten()
                .map(|s| format!("did you mean @/{s}?"))
                .unwrap_or_else(|| {
                    "check the file name; internal links look like @/partners/japan.md".into()
                });
            return Err(error(format!(
                "link `{}`: there is no page content/{target}",
                link.raw
            ))
            .hint(suggestion));
        };
        let mut url = found.path.to_string();
        if let Some(fragment) = link.fragment.as_deref().filter(|f| !f.is_empty()) {
            if !found.has_anchor(fragment) {
                let anchors = found.anchors;
                let close = self
                    .may_suggest()
                    .then(|| did_you_mean(fragment, anchors.iter().map(String::as_str)))
                    .flatten();
                let hint = match close {
                    Some(s) => format!("did you mean #{s}?"),
                    None if anchors.is_empty() => "that page has no headings to link to".into(),
                    None => format!("its headings are: {}", list_anchors(anchors)),
                };
                return Err(error(format!(
                    "link `{}`: content/{key} has no heading with id `{fragment}`",
                    link.raw
                ))
                .hint(hint));
            }
            url.push('#');
            crate::html::escape_into(&mut url, fragment);
        }
        if let Some(code) = hreflang {
            // The placeholder sits inside `href="…"`: this closes the
            // address and adds the attribute (a code is plain letters).
            url.push_str("\" hreflang=\"");
            url.push_str(code);
        }
        Ok(url)
    }

    /// The target `key` as a reader of `from` should get it: its
    /// translation in `from`'s language if there is one; else the original,
    /// with its language code when that differs from `from`'s.
    fn in_language_of<'s>(
        &'s self,
        from: &str,
        key: &'a str,
        found: &'s Target<'a>,
    ) -> (&'a str, &'s Target<'a>, Option<&'a str>) {
        let Some(languages) = self.languages else {
            return (key, found, None);
        };
        let from_lang = languages.classify(from).map_or(DEFAULT, |(l, _)| l);
        let (key_lang, original) = languages
            .classify(key)
            .unwrap_or((DEFAULT, key.to_string()));
        if from_lang == key_lang {
            return (key, found, None);
        }
        let wanted = languages
            .translation_source(&original, from_lang)
            .unwrap_or_else(|| original.clone());
        if let Some((k, t)) = self.targets.get_key_value(wanted.as_str()) {
            return (*k, t, None);
        }
        let hreflang = languages.get(key_lang).map(|l| l.code.as_str());
        (key, found, hreflang)
    }

    /// `partners/japan.md`, or for a folder (`@/partners`), its `_index.md`.
    /// A page moved into a folder of its own keeps its links:
    /// `partners/canada.md` finds `partners/canada/index.md` when the former
    /// does not exist, and `partners/canada/index.md` finds
    /// `partners/canada.md` (the page's URL is the same either way).
    fn find(&self, target: &str) -> Option<(&'a str, &Target<'a>)> {
        let folder_index = format!("{}/_index.md", target.trim_end_matches('/'));
        let moved = match target.strip_suffix("/index.md") {
            Some(folder) => format!("{folder}.md"),
            None => match target.strip_suffix(".md") {
                Some(stem) if !stem.ends_with("_index") && !stem.is_empty() => {
                    format!("{stem}/index.md")
                }
                _ => String::new(),
            },
        };
        let candidates = [target, folder_index.trim_start_matches('/'), &moved];
        candidates
            .into_iter()
            .filter(|c| !c.is_empty())
            .find_map(|c| self.targets.get_key_value(c).map(|(k, v)| (*k, v)))
    }
}

/// `#a, #b, … and 40 more`: a hint names a few headings, not thousands.
fn list_anchors(anchors: &[String]) -> String {
    let mut listed = anchors
        .iter()
        .take(LISTED_ANCHORS)
        .map(|a| format!("#{a}"))
        .collect::<Vec<_>>()
        .join(", ");
    if anchors.len() > LISTED_ANCHORS {
        listed.push_str(&format!(" and {} more", anchors.len() - LISTED_ANCHORS));
    }
    listed
}

/// Resolves the links of every section and page and writes the URLs into
/// their HTML. `drafts` names the left-out draft pages, for a clearer error.
pub fn resolve(
    sections: &mut [Section],
    pages: &mut [Page],
    hidden: (&[String], &BTreeMap<String, String>),
    languages: &Languages,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let resolved: Vec<(bool, usize, Vec<String>)> = {
        let index = LinkIndex::new(sections, pages, hidden).with_languages(languages);
        let mut out = Vec::new();
        let docs = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (true, i, &s.source, &s.links))
            .chain(
                pages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (false, i, &p.source, &p.links)),
            );
        for (is_section, i, source, links) in docs {
            if links.is_empty() {
                continue;
            }
            out.push((is_section, i, index.urls(links, source, diagnostics)));
        }
        out
    };
    for (is_section, i, urls) in resolved {
        if is_section {
            let s = &mut sections[i];
            s.content = markdown::fill_links(&s.content, &urls).into();
            s.links.clear();
        } else {
            let p = &mut pages[i];
            p.content = markdown::fill_links(&p.content, &urls).into();
            p.links.clear();
        }
    }
}
