//! Lints on a body's blocks: images without credit and licence in sections
//! that require them (`E-IMAGE-CREDIT`), and a code fence never closed
//! (`W-FENCE-UNCLOSED`), which silently turns the rest of the page into code.

use std::path::Path;

use crate::components::Literal;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::Facts;

/// Runs both lints on one body in `section_dir`.
pub fn lint(
    facts: &Facts,
    section_dir: &str,
    config: &SiteConfig,
    file: &Path,
    found: &mut Vec<Diagnostic>,
) {
    if let Some(at) = facts.unclosed_fence {
        found.push(
            Diagnostic::warning(
                "W-FENCE-UNCLOSED",
                file,
                "this code block is never closed, so the rest of the page is shown as code",
            )
            .at(at)
            .hint("add a closing ``` line (the same fence characters) after the code"),
        );
    }
    let required = config
        .check
        .image_credits_required
        .iter()
        .any(|s| s == section_dir);
    if !required {
        return;
    }
    for image in &facts.images {
        if !in_credited_figure(facts, image.location.line) {
            found.push(
                Diagnostic::error(
                    "E-IMAGE-CREDIT",
                    file,
                    format!(
                        "pages in `{section_dir}` must credit every image, and this one is not in a figure with a credit and a licence"
                    ),
                )
                .at(image.location)
                .hint("put it in a figure:\n{% figure(caption=\"…\", credit=\"…\", licence=\"…\") %}\n![…](…)\n{% end %}"),
            );
        }
    }
}

/// Whether line `line` is inside the body of a `figure` call that gives a
/// non-empty `credit` and `licence`.
fn in_credited_figure(facts: &Facts, line: usize) -> bool {
    facts.components.calls.iter().any(|call| {
        let given = |name: &str| {
            call.args.iter().any(|a| {
                a.name == name && matches!(&a.value, Literal::Str(s) if !s.trim().is_empty())
            })
        };
        call.name == "figure"
            && call.location.line < line
            && call.end.is_some_and(|end| line < end.line)
            && given("credit")
            && given("licence")
    })
}
