//! Links written as site addresses (`/partners/japan/#areas`) or to an id
//! of the same page (`#areas`): not placeholders like `@/` links (the
//! address is already final), but checked the same way, so a typo is an
//! error at its line and column rather than a dead link.
//!
//! Addresses of files (a last segment with a dot: `/style.css`,
//! `/data/partners.csv`) are left to the browser suite's link check: the
//! model does not know every file a build writes.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::load::{self, WebLink};
use crate::yaml::did_you_mean;

use super::Site;

/// Did-you-mean searches per build (see `links.rs` for why there is a bound).
const SUGGESTIONS: usize = 200;

/// Checks every page's and section's site links against `site`.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    // Site path → the ids a link may point at there (`None`: no ids known,
    // as for tag pages and aliases, whose fragments are not checked).
    let mut targets: HashMap<&str, Option<Vec<&str>>> = HashMap::new();
    let own_ids = |anchors: &'_ [String], content: &'_ str| -> Vec<String> {
        let mut ids: Vec<String> = anchors.to_vec();
        ids.extend(html_ids(content));
        ids
    };
    let sections: Vec<(&str, Vec<String>)> = site
        .sections
        .iter()
        .map(|s| (s.path.as_str(), own_ids(&s.anchors, &s.content)))
        .collect();
    let pages: Vec<(&str, Vec<String>)> = site
        .pages
        .iter()
        .map(|p| (p.path.as_str(), own_ids(&p.anchors, &p.content)))
        .collect();
    for (path, ids) in sections.iter().chain(&pages) {
        targets.insert(path, Some(ids.iter().map(String::as_str).collect()));
    }
    // The tag list and each tag's page, in every language.
    let tag_paths: Vec<String> = site
        .tag_pages()
        .map(|(term, lang)| site.tag_path(term, lang))
        .collect();
    for path in &tag_paths {
        targets.insert(path.as_str(), None);
    }
    for (from, _) in site.redirects() {
        targets.entry(from).or_insert(None);
    }
    let mut budget = SUGGESTIONS;
    let mut found = Vec::new();
    let bodies = site
        .sections
        .iter()
        .map(|s| (&s.source, &s.path, &s.facts.site_links))
        .chain(
            site.pages
                .iter()
                .map(|p| (&p.source, &p.path, &p.facts.site_links)),
        );
    for (source, own, links) in bodies {
        for link in links {
            if let Some(d) = check_link(link, own, &targets, &mut budget) {
                found.push(Diagnostic {
                    file: load::content_path(source),
                    ..d
                });
            }
        }
    }
    found
}

fn check_link(
    link: &WebLink,
    own: &str,
    targets: &HashMap<&str, Option<Vec<&str>>>,
    budget: &mut usize,
) -> Option<Diagnostic> {
    let url = link.url.split(['?']).next().unwrap_or("");
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let error = |message: String| {
        Diagnostic::error("E-LINK-BROKEN", "", message)
            .at(link.location)
            .underline(link.url.len() + 2)
    };
    let path = if path.is_empty() { own } else { path };
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return None;
    }
    let with_slash;
    let key = if path.ends_with('/') {
        path
    } else {
        with_slash = format!("{path}/");
        with_slash.as_str()
    };
    let encoded: String = key
        .split('/')
        .map(super::urls::encode)
        .collect::<Vec<_>>()
        .join("/");
    let Some(ids) = targets.get(key).or_else(|| targets.get(encoded.as_str())) else {
        let mut d = error(format!(
            "the link `{}` leads to no page of the site",
            link.url
        ));
        if *budget > 0 {
            *budget -= 1;
            if let Some(near) = did_you_mean(key, targets.keys().copied()) {
                d = d.hint(format!("did you mean `{near}`? Links to pages are safest written to their file: `@/…/page.md`"));
            }
        }
        return Some(d);
    };
    let (Some(fragment), Some(ids)) = (fragment, ids) else {
        return None;
    };
    if fragment.is_empty() || ids.contains(&fragment) {
        return None;
    }
    let place = if key == own { "this page" } else { key };
    let mut d = error(format!(
        "`{}`: {place} has no heading or element with the id `{fragment}`",
        link.url
    ));
    if *budget > 0 {
        *budget -= 1;
        if let Some(near) = did_you_mean(fragment, ids.iter().copied()) {
            d = d.hint(format!("did you mean `#{near}`?"));
        }
    }
    Some(d)
}

/// The values of `id="…"` attributes in HTML (what components and raw HTML
/// give an id to, beside headings and footnotes).
fn html_ids(html: &str) -> impl Iterator<Item = String> + '_ {
    memchr::memmem::find_iter(html.as_bytes(), b" id=\"").filter_map(move |i| {
        let rest = html.get(i + 5..)?;
        let end = rest.find('"')?;
        Some(rest[..end].to_string())
    })
}
