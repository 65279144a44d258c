//! The sourcing lints: text that states facts without citing, quotations
//! without a source, weak sources where a section forbids them, and the
//! register's own hygiene (sources no page cites, addresses not on https).

use std::collections::HashSet;
use std::path::Path;

use crate::citations::{Grade, REGISTER_FILE};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Location};
use crate::load::{BlockKind, Facts, FrontMatter};
use crate::model::Site;

/// The lints of one page or section's text, given its section's folder.
pub(super) fn lint_text(
    facts: &Facts,
    front: &FrontMatter,
    section_dir: &str,
    config: &SiteConfig,
    file: &Path,
    found: &mut Vec<Diagnostic>,
) {
    let sourced = config
        .check
        .sourced_sections
        .iter()
        .any(|s| s == section_dir);
    for block in &facts.citations.blocks {
        if block.cited {
            continue;
        }
        if block.kind == BlockKind::Quote {
            found.push(
                Diagnostic::warning(
                    "W-QUOTE-UNSOURCED",
                    file,
                    "this block quotation cites no source",
                )
                .at(block.location)
                .hint("say who said it and cite where: > “…” [@source-id]"),
            );
        } else if sourced && !block.navigation {
            let what = match block.kind {
                BlockKind::ListItem => "list item",
                BlockKind::Table => "table",
                _ => "paragraph",
            };
            found.push(
                Diagnostic::warning(
                    "W-UNSOURCED",
                    file,
                    format!("this {what} cites no source, in a section whose text must be sourced"),
                )
                .at(block.location)
                .hint("cite the source of what it states: [@source-id] (ids are in data/sources.yaml)"),
            );
        }
    }
    if !config
        .check
        .reliable_sections
        .iter()
        .any(|s| s == section_dir)
    {
        return;
    }
    let weak = |id: &str| {
        config
            .register
            .get(id)
            .is_some_and(|s| s.grade.is_unreliable())
    };
    let mut cites: Vec<(&str, Location)> = facts
        .citations
        .uses
        .iter()
        .map(|u| (u.id.as_str(), u.location))
        .collect();
    for (field, ids) in &front.field_sources {
        let line = front.line_of(&format!("{field}_source"));
        cites.extend(ids.iter().map(|id| (id.as_str(), Location::new(line, 1))));
    }
    let sources_line = front.line_of("sources");
    cites.extend(
        front
            .sources
            .iter()
            .filter_map(|s| s.id.as_deref())
            .map(|id| (id, Location::new(sources_line, 1))),
    );
    for (id, location) in cites.into_iter().filter(|(id, _)| weak(id)) {
        found.push(
            Diagnostic::error(
                "E-SOURCE-UNRELIABLE",
                file,
                format!(
                    "`{id}` is graded `{}` in {REGISTER_FILE}, and this section may not cite weak sources",
                    Grade::Weak.name()
                ),
            )
            .at(location)
            .underline(id.chars().count())
            .hint("cite an official source or a press report for this point, or leave the point out"),
        );
    }
}

/// The register's lints: sources no published page cites, and addresses
/// that are not https.
pub(super) fn lint_register(site: &Site) -> Vec<Diagnostic> {
    let register = &site.config.register;
    let mut found = Vec::new();
    let cited: HashSet<&str> = site
        .pages
        .iter()
        .map(|p| &p.facts)
        .chain(site.sections.iter().map(|s| &s.facts))
        .flat_map(|f| f.references.iter().map(|r| r.source.id.as_str()))
        .chain(
            site.pages
                .iter()
                .flat_map(|p| p.front.events.iter().flat_map(|e| e.sources.iter()))
                .chain(
                    site.sections
                        .iter()
                        .flat_map(|s| s.front.events.iter().flat_map(|e| e.sources.iter())),
                )
                .map(String::as_str),
        )
        .collect();
    for source in register.iter() {
        if !cited.contains(source.id.as_str()) {
            found.push(
                Diagnostic::warning(
                    "W-SOURCE-UNUSED",
                    REGISTER_FILE,
                    format!("no page cites the source `{}`", source.id),
                )
                .at_line(source.line)
                .underline(source.id.chars().count())
                .hint(
                    "cite it where the site relies on it ([@id]), or remove it from the register",
                ),
            );
        }
        if !source.url.starts_with("https://") {
            found.push(
                Diagnostic::warning(
                    "W-SOURCE-HTTP",
                    REGISTER_FILE,
                    format!(
                        "the address of `{}` is not https: {}",
                        source.id, source.url
                    ),
                )
                .at_line(source.line)
                .hint(
                    "use the https:// address if the site offers one, or an archived copy on https",
                ),
            );
        }
    }
    found
}
