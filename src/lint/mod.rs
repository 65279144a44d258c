//! Content lints: what `dossier check` looks at beyond what a build needs.
//!
//! A build stops at what makes a site impossible to produce (bad YAML, a
//! broken link). The lints catch what makes a briefing worse for readers:
//! a page without sources, an image without alt text, a heading outline
//! that skips levels, duplicate titles, orphan pages, stale pages. They run
//! on the finished model plus the links found in the rendered output, and
//! each finding's severity can be changed in `site.yaml` (`lints:`).

pub mod external;
mod figures;
mod links;
mod sourcing;

pub use links::LinkGraph;

use std::collections::HashMap;

use crate::config::{LintLevel, SiteConfig};
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::load::{self, Facts};
use crate::model::{Page, PageId, Site};

pub use crate::diagnostics::LINTS;

/// Every content lint of the model, with the `lints:` policy applied: what
/// `dossier check` runs before rendering.
pub fn run_content(site: &Site, today: Date) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = (0..site.pages.len())
        .flat_map(|id| lint_page(site, id, today))
        .collect();
    found.extend(lint_sections(site));
    found.extend(lint_titles(site));
    found.extend(lint_register(site));
    found
}

/// The lints of the source register (`data/sources.yaml`) against the whole
/// site: sources no page cites, addresses that are not https.
pub fn lint_register(site: &Site) -> Vec<Diagnostic> {
    apply_policy(sourcing::lint_register(site), &site.config)
}

/// The lints of one page alone: sources, images, outline, staleness. The
/// dev server runs this for the pages an edit touched.
pub fn lint_page(site: &Site, id: PageId, today: Date) -> Vec<Diagnostic> {
    let page = &site.pages[id];
    let mut found = Vec::new();
    // A fallback copy is its original, linted as such.
    if page.fallback {
        return found;
    }
    let check = &site.config.check;
    let file = load::content_path(&page.source);
    let section_dir = &site.sections[page.section].dir;
    // A page whose front matter did not parse has one problem, already
    // reported; what it "lacks" is a consequence, not a second mistake.
    let declared = !page.front.unreadable;
    if declared
        && page.front.sources.is_empty()
        && page.facts.references.is_empty()
        && check.sources_required.iter().any(|s| s == section_dir)
    {
        found.push(
            Diagnostic::error("E-SOURCES-MISSING", &file, "this page lists no sources")
                .at_line(1)
                .hint("add a `sources:` list with the title and URL of every source the page relies on"),
        );
    }
    lint_facts(&page.facts, &file, &mut found);
    figures::lint(&page.facts, section_dir, &site.config, &file, &mut found);
    sourcing::lint_text(
        &page.facts,
        &page.front,
        section_dir,
        &site.config,
        &file,
        &mut found,
    );
    if let Some(days) = check.max_age_days.filter(|_| declared) {
        lint_stale(page, today, days, &mut found);
    }
    apply_policy(found, &site.config)
}

/// The lints of section pages (images, outline).
pub fn lint_sections(site: &Site) -> Vec<Diagnostic> {
    // Translation drift is a site-wide finding too (a translation is
    // stale when its original changes), so the preview shows it with these.
    let mut found = crate::languages::drift::lint(site);
    for section in site.sections.iter().filter(|s| !s.fallback) {
        let file = load::content_path(&section.source);
        lint_facts(&section.facts, &file, &mut found);
        figures::lint(
            &section.facts,
            &section.dir,
            &site.config,
            &file,
            &mut found,
        );
        sourcing::lint_text(
            &section.facts,
            &section.front,
            &section.dir,
            &site.config,
            &file,
            &mut found,
        );
    }
    apply_policy(found, &site.config)
}

/// Titles used by more than one page.
pub fn lint_titles(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    lint_duplicate_titles(&site.pages, &mut found);
    apply_policy(found, &site.config)
}

pub fn run_links(site: &Site, links: &LinkGraph) -> Vec<Diagnostic> {
    let found = site
        .pages
        .iter()
        .filter(|page| !links.is_linked(&page.path))
        .map(|page| {
            Diagnostic::warning(
                "W-ORPHAN",
                load::content_path(&page.source),
                format!("no other page links to {}", page.path),
            )
            .at_line(1)
            .hint(format!(
                "link to it from a related page: [text](@/{})",
                page.source
            ))
        })
        .collect();
    apply_policy(found, &site.config)
}

fn lint_facts(facts: &Facts, file: &std::path::Path, found: &mut Vec<Diagnostic>) {
    for image in facts.images.iter().filter(|i| i.alt.trim().is_empty()) {
        found.push(
            Diagnostic::error("E-IMAGE-ALT", file, "this image has no alternative text")
                .at(image.location)
                .hint(
                    "describe the image for people who cannot see it: ![what it shows](file.png)",
                ),
        );
    }
    // The template prints the title as the page's only h1, so the body's
    // outline starts at h2 and may go down one level at a time.
    let mut previous = 1u8;
    for &(level, location) in &facts.outline {
        if level == 1 {
            found.push(
                Diagnostic::warning(
                    "W-HEADING-H1",
                    file,
                    "a second level-1 heading: the page title is already the h1",
                )
                .at(location)
                .hint("use `##` for the main headings of the text"),
            );
        } else if level > previous + 1 {
            found.push(
                Diagnostic::warning(
                    "W-HEADING-SKIP",
                    file,
                    format!("heading level {level} follows level {previous}, skipping a level"),
                )
                .at(location)
                .hint(format!(
                    "use `{}` here, so screen-reader users can follow the outline",
                    "#".repeat(previous as usize + 1)
                )),
            );
        }
        previous = level;
    }
}

fn lint_stale(page: &Page, today: Date, max_age_days: u32, found: &mut Vec<Diagnostic>) {
    let reviewed = page
        .front
        .fields
        .iter()
        .find_map(|(name, value)| match value {
            load::FieldValue::Date(d) if name == "reviewed" => Some((*d, "reviewed")),
            _ => None,
        });
    let Some((date, key)) = reviewed
        .or(page.front.updated.map(|d| (d, "updated")))
        .or(page.front.date.map(|d| (d, "date")))
    else {
        return;
    };
    let age = today.days_since(date);
    if age > i64::from(max_age_days) {
        found.push(
            Diagnostic::warning(
                "W-STALE",
                load::content_path(&page.source),
                format!("last reviewed {date}, {age} days ago (the limit is {max_age_days} days)"),
            )
            .at(Location::new(page.front.line_of(key), 1))
            .hint(format!(
                "check the page is still true, then set `{key}:` to today's date"
            )),
        );
    }
}

fn lint_duplicate_titles(pages: &[Page], found: &mut Vec<Diagnostic>) {
    // Within one language: a translation may well keep its original's
    // title ("Japan" in German), and a fallback copy is the original.
    let mut by_title: HashMap<(usize, String), Vec<&Page>> = HashMap::new();
    for page in pages.iter().filter(|p| !p.front.unreadable && !p.fallback) {
        by_title
            .entry((page.lang, page.title().trim().to_lowercase()))
            .or_default()
            .push(page);
    }
    for same in by_title.values().filter(|p| p.len() > 1) {
        for page in same {
            let others: Vec<String> = same
                .iter()
                .filter(|o| o.source != page.source)
                .map(|o| load::content_path(&o.source).display().to_string())
                .collect();
            found.push(
                Diagnostic::warning(
                    "W-TITLE-DUPLICATE",
                    load::content_path(&page.source),
                    format!(
                        "the title \"{}\" is also used by {}",
                        page.title(),
                        others.join(", ")
                    ),
                )
                .at(Location::new(page.front.line_of("title"), 1))
                .hint("give each page a title that says how it differs"),
            );
        }
    }
}

/// Applies `lints:` from site.yaml: each code can be made an error, a
/// warning, or turned off.
pub fn apply_policy(found: Vec<Diagnostic>, config: &SiteConfig) -> Vec<Diagnostic> {
    found
        .into_iter()
        .filter_map(|mut d| {
            match config.lints.get(d.code) {
                Some(LintLevel::Off) => return None,
                Some(LintLevel::Error) => d.severity = Severity::Error,
                Some(LintLevel::Warning) => d.severity = Severity::Warning,
                None => {}
            }
            Some(d)
        })
        .collect()
}
