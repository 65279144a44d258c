//! Cutting a content file at its front matter delimiters (`---` for YAML,
//! `+++` for TOML), before anything is parsed.

use crate::diagnostics::Diagnostic;

/// The language of a file's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines (Zola's and Hugo's default).
    Toml,
}

/// A file's text cut at the front matter delimiters.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The text between the `---` (or `+++`) lines, if the file has front matter.
    pub front_matter: Option<&'a str>,
    pub format: Format,
    pub body: &'a str,
    /// The file line on which `body` starts.
    pub body_first_line: usize,
}

/// Line on which the YAML of front matter starts (just after the opening `---`).
pub const FRONT_MATTER_FIRST_LINE: usize = 2;

/// Splits normalised text (no BOM, `\n` line ends). Front matter opens with a
/// `---` (YAML) or `+++` (TOML) line at the very top and closes at the next
/// such line.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    for (fence, format) in [("---", Format::Yaml), ("+++", Format::Toml)] {
        if let Some(rest) = opening(text, fence) {
            return close(rest, fence, format);
        }
    }
    Ok(Split {
        front_matter: None,
        format: Format::Yaml,
        body: text,
        body_first_line: 1,
    })
}

fn close<'a>(rest: &'a str, fence: &str, format: Format) -> Result<Split<'a>, Diagnostic> {
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == fence {
            let body_start = offset + line.len();
            return Ok(Split {
                front_matter: Some(&rest[..offset]),
                format,
                body: &rest[body_start..],
                body_first_line: FRONT_MATTER_FIRST_LINE + i + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "E-FRONT-MATTER-UNTERMINATED",
        "",
        format!("front matter starts with `{fence}` but is never closed"),
    )
    .at_line(1)
    .underline(3)
    .hint(format!(
        "add a line with only `{fence}` after the last front matter line"
    )))
}

/// What follows an opening `fence` line (trailing spaces allowed), if the
/// text starts with one.
fn opening<'a>(text: &'a str, fence: &str) -> Option<&'a str> {
    if text.trim_end() == fence {
        return Some("");
    }
    let (first, rest) = text.split_once('\n')?;
    (first.trim_end() == fence).then_some(rest)
}
