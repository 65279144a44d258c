//! The citation syntax in Markdown: `[@id]`, `[@id, p. 3]`, `[@a; @b, ch. 2]`.
//!
//! A citation is a bracketed group whose text starts with `@`: one or more
//! cites separated by `;`, each an `@id` optionally followed by a comma and
//! a locator (page, section, paragraph…) shown as written. The brackets are
//! what Markdown would take for a link with no definition, so pulldown-cmark
//! hands them over as broken links and nothing else in Markdown changes
//! meaning: `[text](url)`, `[text][ref]` and `[^note]` stay what they were.

/// One cite inside a citation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    pub id: String,
    pub locator: Option<String>,
    /// Byte offset of the id (after `@`) in the group's text.
    pub offset: usize,
}

/// Whether a bracketed reference label is a citation group: it starts with
/// `@` (after spaces).
pub fn is_citation(label: &str) -> bool {
    label.trim_start().starts_with('@')
}

/// Splits the inside of a citation group (without the brackets) into cites.
/// A part that does not start with `@` is an error, returned with its
/// offset, so `[@a; b]` is reported rather than half-read.
pub fn parse_group(inner: &str) -> Result<Vec<Cite>, (usize, String)> {
    let mut cites = Vec::new();
    let mut start = 0;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        let at = start + lead;
        let Some(rest) = trimmed.strip_prefix('@') else {
            return Err((
                at,
                format!("`{trimmed}` in a citation: each cite starts with `@`, as in [@a; @b]"),
            ));
        };
        let (id, locator) = match rest.split_once(',') {
            Some((id, loc)) => (id.trim_end(), Some(loc.trim())),
            None => (rest, None),
        };
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err((
                at,
                format!("`{trimmed}`: a cite is `@id` or `@id, locator`, as in [@eeas-sdp, p. 3]"),
            ));
        }
        cites.push(Cite {
            id: id.to_string(),
            locator: locator.filter(|l| !l.is_empty()).map(str::to_string),
            offset: at + 1,
        });
        start += part.len() + 1;
    }
    Ok(cites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_several_and_located_cites() {
        let c = parse_group("@eeas-sdp").unwrap();
        assert_eq!(
            c,
            vec![Cite {
                id: "eeas-sdp".into(),
                locator: None,
                offset: 1
            }]
        );
        let c = parse_group("@a, p. 3; @b").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].locator.as_deref(), Some("p. 3"));
        assert_eq!((c[1].id.as_str(), c[1].offset), ("b", 11));
        assert!(is_citation(" @x") && !is_citation("x@y"));
    }

    #[test]
    fn malformed_groups_are_errors_with_offsets() {
        assert_eq!(parse_group("@a; b").unwrap_err().0, 4);
        assert!(parse_group("@").is_err());
        assert!(parse_group("@a b").is_err());
    }
}
