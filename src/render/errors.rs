//! Render errors as editors read them: Tera's errors at the template's
//! file:line:col, a stopped render's budget, write failures, and one
//! finding for one template mistake however many pages ran into it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::budget::Exceeded;
use super::{Job, TEMPLATES_DIR};
use crate::diagnostics::{Diagnostic, Location};

pub(super) fn template_path(name: &str) -> PathBuf {
    Path::new(TEMPLATES_DIR).join(name)
}

/// What was being rendered when a template failed: the template's name and
/// the file (or URL) it was rendering.
pub(super) struct Rendering<'a> {
    pub template: &'a str,
    pub shown: &'a str,
}

/// Turns a Tera error into diagnostics at the template's file:line:col.
/// When Tera gives no position, the template that was being rendered (or
/// the one the error names) is still the file reported.
pub(super) fn template_error(e: &tera::Error, rendering: Option<Rendering>) -> Vec<Diagnostic> {
    let note = rendering
        .as_ref()
        .map(|r| format!("while rendering {}", r.shown));
    let fallback = rendering.as_ref().map_or_else(
        || PathBuf::from(TEMPLATES_DIR),
        |r| template_path(r.template),
    );
    let with_note = |mut d: Diagnostic| {
        if let Some(n) = &note {
            d = d.note(n.clone());
        }
        d
    };
    let mut message_chain = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message_chain.push_str(&format!(": {s}"));
        source = s.source();
    }
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let code = if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                "E-TEMPLATE-SYNTAX"
            } else {
                "E-TEMPLATE-RENDER"
            };
            let length = if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            };
            vec![with_note(
                Diagnostic::error(
                    code,
                    template_path(report.filename()),
                    format!("{}{message_chain}", report.message()),
                )
                .at(Location::new(span.start_line, span.start_col + 1))
                .underline(length),
            )]
        }
        tera::ErrorKind::Msg(text) => parse_reports(text)
            .unwrap_or_else(|| {
                vec![Diagnostic::error(
                    "E-TEMPLATE",
                    fallback,
                    format!("{text}{message_chain}"),
                )]
            })
            .into_iter()
            .map(with_note)
            .collect(),
        tera::ErrorKind::CircularInclude { tpl, .. }
        | tera::ErrorKind::CircularExtend { tpl, .. } => {
            vec![with_note(
                Diagnostic::error(
                    "E-TEMPLATE-CYCLE",
                    template_path(tpl),
                    format!("{}{message_chain}", e.kind()),
                )
                .hint("a template cannot include or extend itself, directly or through others"),
            )]
        }
        tera::ErrorKind::MissingParent { current, parent } => vec![with_note(
            Diagnostic::error(
                "E-TEMPLATE-MISSING",
                template_path(current),
                format!("extends \"{parent}\", which is not in templates/"),
            )
            .hint("check the name in {% extends %}"),
        )],
        other => vec![with_note(
            Diagnostic::error("E-TEMPLATE", fallback, format!("{other}{message_chain}"))
                .hint("check the {% extends %} and {% include %} names in your templates"),
        )],
    }
}

/// A render stopped by its budget (see [`budget`]).
pub(super) fn budget_error(template: &str, shown: &str, exceeded: Exceeded) -> Diagnostic {
    let (what, setting) = match exceeded {
        Exceeded::Size(bytes) => (
            format!("wrote more than {} KiB", bytes / 1024),
            "max_output_kib",
        ),
        Exceeded::Time(time) => (
            format!("took longer than {} s", time.as_secs_f64()),
            "render_seconds",
        ),
    };
    Diagnostic::error(
        "E-TEMPLATE-BUDGET",
        template_path(template),
        format!("rendering {shown} with {template} {what}, so it was stopped"),
    )
    .hint(format!(
        "a loop in the template probably runs far longer than meant (look at {{% for %}} over range() and nested loops); if the page really is that big, raise `limits: {{ {setting}: … }}` in site.yaml"
    ))
    .note(format!("while rendering {shown}"))
}

/// Tera reports cross-template problems (unknown filters, missing blocks) as
/// text of the form `error: MESSAGE\n --> NAME:LINE:COL …`, several joined by
/// blank lines. This recovers file, position and message from each.
fn parse_reports(text: &str) -> Option<Vec<Diagnostic>> {
    let mut out = Vec::new();
    for block in text.split("\n\nerror: ") {
        let block = block.strip_prefix("error: ").unwrap_or(block);
        let message = block.lines().next()?.trim();
        let locus = block.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
        let mut parts = locus.rsplitn(3, ':');
        let column: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        out.push(
            Diagnostic::error("E-TEMPLATE", template_path(name), message.to_string())
                .at(Location::new(line, column)),
        );
    }
    (!out.is_empty()).then_some(out)
}

/// Pages listed by name in a grouped template error; the rest are counted.
const LISTED_PAGES: usize = 5;

/// One template mistake, one message: the same error (code, template,
/// position, message) hit while rendering many pages becomes one finding
/// whose note lists the pages, instead of one finding per page. An error
/// only one page hit goes through `blame` (the page's own value may be at
/// fault); one that many pages hit is the template's.
pub(super) fn group_repeats(
    found: Vec<(Job, Diagnostic)>,
    blame: impl Fn(Job, Diagnostic) -> Diagnostic,
) -> Vec<Diagnostic> {
    const PREFIX: &str = "while rendering ";
    let mut groups: Vec<(Job, Diagnostic, Vec<String>)> = Vec::new();
    let mut index: HashMap<(String, &'static str, String, Option<Location>), usize> =
        HashMap::new();
    for (job, mut d) in found {
        let shown = d
            .notes
            .iter()
            .position(|n| n.starts_with(PREFIX))
            .map(|i| d.notes.remove(i)[PREFIX.len()..].to_string());
        let key = (
            d.file.display().to_string(),
            d.code,
            d.message.clone(),
            d.location,
        );
        match (shown, index.get(&key)) {
            (Some(page), Some(&i)) => groups[i].2.push(page),
            (Some(page), None) => {
                index.insert(key, groups.len());
                groups.push((job, d, vec![page]));
            }
            (None, _) => groups.push((job, d, Vec::new())),
        }
    }
    groups
        .into_iter()
        .map(|(job, mut d, mut pages)| {
            pages.sort();
            let note = match pages.len() {
                0 => return d,
                1 => {
                    d.notes.insert(0, format!("{PREFIX}{}", pages[0]));
                    return blame(job, d);
                }
                n => {
                    let mut listed = pages[..n.min(LISTED_PAGES)].join(", ");
                    if n > LISTED_PAGES {
                        listed.push_str(&format!(" and {} more", n - LISTED_PAGES));
                    }
                    format!("{PREFIX}{n} pages: {listed}")
                }
            };
            d.notes.insert(0, note);
            d
        })
        .collect()
}

pub(super) fn write_error(file: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "E-WRITE",
        PathBuf::from(file),
        format!("cannot write output file: {e}"),
    )
    .hint(if is_name_too_long(e) {
        "the name is too long for this file system: shorten the file or folder it comes from, or its `slug:`"
    } else {
        "check free disk space and permissions of the output folder"
    })
}

/// ENAMETOOLONG: a name or path the file system will not take.
fn is_name_too_long(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::InvalidFilename || e.raw_os_error() == Some(36)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_split_into_positioned_diagnostics() {
        let text = "error: Unknown filter `nope`\n --> page.html:3:11\n  |\n3 | {{ x | nope }}\n  |           ^^^^\n\nerror: Unknown filter `other`\n --> base.html:2:5\n  |";
        let d = parse_reports(text).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].to_string(),
            "error[E-TEMPLATE]: templates/page.html:3:11: Unknown filter `nope`"
        );
        assert_eq!(d[1].position(), "templates/base.html:2:5");
    }

    #[test]
    fn one_template_error_hit_by_many_pages_is_one_finding() {
        let hit = |page: &str| {
            Diagnostic::error("E-TEMPLATE-RENDER", "templates/page.html", "bad filter")
                .at(Location::new(3, 5))
                .note(format!("while rendering content/{page}.md"))
        };
        let mut found: Vec<(Job, Diagnostic)> = (0..14)
            .map(|i| (Job::Page(i), hit(&format!("p{i:02}"))))
            .collect();
        found.push((
            Job::NotFound,
            Diagnostic::error("E-TEMPLATE-RENDER", "templates/other.html", "x"),
        ));
        let grouped = group_repeats(found, |_, d| d);
        assert_eq!(grouped.len(), 2);
        assert_eq!(
            grouped[0].notes,
            [
                "while rendering 14 pages: content/p00.md, content/p01.md, content/p02.md, content/p03.md, content/p04.md and 9 more"
            ]
        );
        assert!(grouped[1].notes.is_empty());
        let one = group_repeats(vec![(Job::Page(0), hit("a"))], |_, d| d);
        assert_eq!(one[0].notes, ["while rendering content/a.md"]);
    }
}
