//! Resolving internal links: `@/partners/japan.md#areas` becomes
//! `/partners/japan/#areas` in the page's HTML, and every link to a missing
//! page or heading is an error at the link's own line and column.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::load::{self, InternalLink, markdown};
use crate::yaml::did_you_mean;

use super::{Page, Section};

/// What a link may land on: a page or section's path and its anchors.
pub struct LinkIndex<'a> {
    targets: HashMap<&'a str, (&'a str, &'a [String])>,
    drafts: &'a [String],
}

impl<'a> LinkIndex<'a> {
    pub fn new(sections: &'a [Section], pages: &'a [Page], drafts: &'a [String]) -> Self {
        let targets = sections
            .iter()
            .map(|s| (s.source.as_str(), (s.path.as_str(), s.anchors.as_slice())))
            .chain(
                pages
                    .iter()
                    .map(|p| (p.source.as_str(), (p.path.as_str(), p.anchors.as_slice()))),
            )
            .collect();
        LinkIndex { targets, drafts }
    }

    /// Makes `source` (already in the index) offer `anchors`: the headings
    /// of a body edited since the site was built.
    pub fn set_anchors(&mut self, source: &str, anchors: &'a [String]) {
        if let Some((_, known)) = self.targets.get_mut(source) {
            *known = anchors;
        }
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
        let Some((key, (path, anchors))) = self.find(target) else {
            if self.drafts.iter().any(|d| d == target) {
                return Err(error(format!("link `{}` points to a draft page, which is not published", link.raw))
                    .hint("publish the target (remove `draft: true`), remove the link, or preview with --drafts"));
            }
            let suggestion = did_you_mean(target, self.targets.keys().copied())
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
        let mut url = path.to_string();
        if let Some(fragment) = link.fragment.as_deref().filter(|f| !f.is_empty()) {
            if !anchors.iter().any(|a| a == fragment) {
                let hint = match did_you_mean(fragment, anchors.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean #{s}?"),
                    None if anchors.is_empty() => "that page has no headings to link to".into(),
                    None => format!(
                        "its headings are: {}",
                        anchors
                            .iter()
                            .map(|a| format!("#{a}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
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
        Ok(url)
    }

    /// `partners/japan.md`, or for a folder (`@/partners`), its `_index.md`.
    fn find(&self, target: &str) -> Option<(&'a str, (&'a str, &'a [String]))> {
        let folder_index = format!("{}/_index.md", target.trim_end_matches('/'));
        let candidates = [target, folder_index.trim_start_matches('/')];
        candidates
            .into_iter()
            .find_map(|c| self.targets.get_key_value(c).map(|(k, v)| (*k, *v)))
    }
}

/// Resolves the links of every section and page and writes the URLs into
/// their HTML. `drafts` names the left-out draft pages, for a clearer error.
pub fn resolve(
    sections: &mut [Section],
    pages: &mut [Page],
    drafts: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let resolved: Vec<(bool, usize, Vec<String>)> = {
        let index = LinkIndex::new(sections, pages, drafts);
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
