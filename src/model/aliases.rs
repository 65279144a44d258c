//! Aliases: the old addresses of a page (`aliases:` in its front matter),
//! each published as a redirect to where the page is now.
//!
//! An alias is checked here, once the site's own paths are known: it must
//! be a valid site path ([`urls::site_path_from`]) and must not be the
//! address of a page, a section, a tag page or another alias. Each mistake
//! is an error at the alias's own line.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::load;

use super::{Page, Section, TAGS_PATH, Term, urls};

/// One old address and where it now leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The old site path, encoded like every page's (`/partners/south-korea/`,
    /// or a file such as `/old/page.html`).
    pub from: String,
    /// The site path of the page it leads to.
    pub to: String,
    /// The title of that page, for the redirect page's text.
    pub title: String,
    /// The content file that declares it.
    pub source: String,
}

/// The aliases of every section and page, checked. Sorted by `from`.
pub fn collect(
    sections: &[Section],
    pages: &[Page],
    tags: &[Term],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut owners: HashMap<&str, String> = HashMap::new();
    if !tags.is_empty() {
        owners.insert(TAGS_PATH, "the tags list".into());
        for t in tags {
            owners.insert(&t.path, format!("the tag page of \"{}\"", t.name));
        }
    }
    for (path, source) in sections
        .iter()
        .map(|s| (&s.path, &s.source))
        .chain(pages.iter().map(|p| (&p.path, &p.source)))
    {
        owners.insert(path, load::content_path(source).display().to_string());
    }
    let declaring = sections
        .iter()
        .map(|s| (&s.source, &s.path, &s.front))
        .chain(pages.iter().map(|p| (&p.source, &p.path, &p.front)));
    let mut aliases: Vec<Alias> = Vec::new();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for (source, to, front) in declaring {
        for (raw, line) in &front.aliases {
            let error = |message: String| {
                Diagnostic::error("E-ALIAS", load::content_path(source), message).at_line(*line)
            };
            let from = match urls::site_path_from(raw) {
                Ok(p) => p,
                Err(why) => {
                    diagnostics.push(
                        error(format!("alias `{raw}` is not a site path: {why}"))
                            .hint("write the page's old address, e.g. `aliases: [\"/partners/south-korea/\"]`"),
                    );
                    continue;
                }
            };
            if let Some(owner) = owners.get(from.as_str()) {
                let message = if &from == to {
                    format!("alias `{raw}` is this page's own address")
                } else {
                    format!("alias `{raw}` is the address of {owner}, which is published there")
                };
                diagnostics.push(error(message).hint(
                    "an alias is an old address that no page uses any more; remove it, or move the page that uses it",
                ));
                continue;
            }
            if let Some((other, other_line)) = seen.get(&from) {
                let whose = if other == source {
                    format!("line {other_line} of this file")
                } else {
                    format!("{}:{other_line}", load::content_path(other).display())
                };
                diagnostics.push(
                    error(format!("alias `{raw}` is also given at {whose}"))
                        .hint("an old address can lead to one page only; keep one of them"),
                );
                continue;
            }
            seen.insert(from.clone(), (source.clone(), *line));
            aliases.push(Alias {
                from,
                to: to.clone(),
                title: front.title.clone().unwrap_or_default(),
                source: source.clone(),
            });
        }
    }
    aliases.sort_by(|a, b| a.from.cmp(&b.from));
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::FrontMatter;

    fn page(source: &str, path: &str, aliases: &[(&str, usize)]) -> Page {
        Page {
            source: source.into(),
            path: path.into(),
            slug: String::new(),
            front: FrontMatter {
                title: Some(source.into()),
                aliases: aliases.iter().map(|(a, l)| (a.to_string(), *l)).collect(),
                ..FrontMatter::default()
            },
            content: "".into(),
            anchors: vec![],
            links: vec![],
            toc: vec![],
            facts: Default::default(),
            word_count: 0,
            section: 0,
            previous: None,
            next: None,
            lang: 0,
            fallback: false,
        }
    }

    #[test]
    fn aliases_are_checked_against_every_address() {
        let pages = [
            page(
                "a.md",
                "/a/",
                &[("/old-a/", 2), ("/b", 3), ("/a/", 4), ("/x/../y/", 5)],
            ),
            page("b.md", "/b/", &[("old-a", 2), ("/files/old.html", 3)]),
        ];
        let mut d = Vec::new();
        let aliases = collect(&[], &pages, &[], &mut d);
        let from: Vec<&str> = aliases.iter().map(|a| a.from.as_str()).collect();
        assert_eq!(from, ["/files/old.html", "/old-a/"]);
        assert_eq!(aliases[1].to, "/a/");
        let shown: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(
            shown[0].contains("a.md:3:") && shown[0].contains("content/b.md"),
            "{shown:?}"
        );
        assert!(
            shown[1].contains("a.md:4:") && shown[1].contains("own address"),
            "{shown:?}"
        );
        assert!(
            shown[2].contains("a.md:5:") && shown[2].contains("not a site path"),
            "{shown:?}"
        );
        assert!(
            shown[3].contains("b.md:2:") && shown[3].contains("content/a.md:2"),
            "{shown:?}"
        );
    }
}
