//! The Atom feed of changes (`changes.xml`): every dated entry of every
//! page's `changes:`, newest first, written in Rust like the other feeds so
//! its escaping is guaranteed.

use std::fmt::Write;

use super::outputs::xml_escape;
use crate::date::Date;
use crate::load::Change;
use crate::model::Site;

pub const CHANGES_FEED: &str = "changes.xml";

/// Every change of the site: (change, title, path), newest first, then by
/// path, then in the order written.
pub fn all_changes(site: &Site) -> Vec<(&Change, &str, &str)> {
    let mut all: Vec<(&Change, &str, &str)> = site
        .pages
        .iter()
        .flat_map(|p| {
            p.front
                .changes
                .iter()
                .map(move |c| (c, p.title(), p.path.as_str()))
        })
        .chain(site.sections.iter().flat_map(|s| {
            s.front.changes.iter().map(move |c| {
                (
                    c,
                    s.front.title.as_deref().unwrap_or_default(),
                    s.path.as_str(),
                )
            })
        }))
        .collect();
    all.sort_by(|a, b| b.0.date.cmp(&a.0.date).then(a.2.cmp(b.2)));
    all
}

fn rfc3339(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// The feed, or `None` when no page records a change.
pub fn changes_feed(site: &Site) -> Option<String> {
    let changes = all_changes(site);
    let newest = changes.first()?.0.date;
    let config = &site.config;
    let base = &config.base_url;
    let author = config.outputs.author.as_deref().unwrap_or(&config.title);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n  <generator>dossier</generator>\n",
        xml_escape(&config.language),
        xml_escape(&format!("{}: what has changed", config.title)),
        xml_escape(&format!("{base}{CHANGES_FEED}")),
        xml_escape(&format!("{base}{CHANGES_FEED}")),
        rfc3339(newest),
        xml_escape(author),
    );
    // Entry ids must stay the same from build to build: the page, the date
    // and the change's place among that page's changes of that day.
    let mut seen: std::collections::HashMap<(&str, Date), usize> = Default::default();
    for (change, title, path) in changes {
        let n = seen.entry((path, change.date)).or_default();
        *n += 1;
        let url = format!("{base}{}", path.trim_start_matches('/'));
        let _ = write!(
            out,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&format!("{title}: {}", change.note)),
            xml_escape(&format!("{url}#change-{}-{n}", change.date)),
            xml_escape(&url),
            rfc3339(change.date),
            xml_escape(&change.note),
        );
    }
    out.push_str("</feed>\n");
    Some(out)
}
