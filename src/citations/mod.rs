//! Citations: the site's source register, the `[@id]` syntax, and each
//! page's reference list.
//!
//! A source is written once, in `data/sources.yaml` ([`register`]). The
//! text cites it by id (`[@eeas-sdp, p. 3]`, read in
//! `load::markdown::citations`), front matter facts name it (`signed_source:
//! eeas-sdp`), and [`resolve`] turns what a page cites into its numbered
//! reference list, in order of first citation, with a link back to every
//! place it is cited. Unknown ids are errors at their line and column.

pub mod register;
pub mod syntax;
pub mod words;

use std::path::Path;
use std::sync::Arc;

pub use register::{Grade, REGISTER_FILE, Register, RegisterSource};
pub use words::Words;

use crate::diagnostics::{Diagnostic, Location};
use crate::html::escape_into;
use crate::load::{Facts, FrontMatter};

/// One entry of a page's reference list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub number: usize,
    pub source: Arc<RegisterSource>,
    /// The anchor of each place the text cites it, with its locator.
    pub uses: Vec<(String, Option<String>)>,
    /// The front matter fields it is the source of (`signed`…).
    pub fields: Vec<String>,
    /// The anchor of this entry (`cite-3`).
    pub anchor: String,
}

/// The language a reference list is written in: its code (for dates), the
/// engine's words in it, and the register's own language (the default
/// one), which notes copied from the register are marked with.
pub struct ListLanguage<'a> {
    pub code: &'a str,
    pub words: &'a Words,
    pub register: &'a str,
}

/// Checks every id a document cites against the register, fills in the
/// register's data for `sources:` entries given by id, and builds the
/// reference list: text citations in number order, then sources named only
/// in front matter. Returns the list's HTML (empty when nothing is cited),
/// to be appended to the body.
pub fn resolve(
    front: &mut FrontMatter,
    facts: &mut Facts,
    register: &Register,
    language: &ListLanguage,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let text = &facts.citations;
    for (location, message) in &text.malformed {
        diagnostics.push(
            Diagnostic::error("E-CITATION-SYNTAX", file, message.clone())
                .at(*location)
                .hint("write a citation as [@id], [@id, p. 3] or [@a; @b]"),
        );
    }
    let mut reported = std::collections::HashSet::new();
    for u in &text.uses {
        if register.get(&u.id).is_none() && reported.insert(u.id.clone()) {
            diagnostics.push(register.unknown(&u.id, file, u.location));
        }
    }
    let prefix = text.prefix.clone();
    let mut references: Vec<Reference> = Vec::new();
    for (i, id) in text.ids.iter().enumerate() {
        let Some(source) = register.get(id) else {
            continue;
        };
        references.push(Reference {
            number: i + 1,
            source: source.clone(),
            uses: text
                .uses
                .iter()
                .filter(|u| &u.id == id)
                .map(|u| (u.anchor.clone(), u.locator.clone()))
                .collect(),
            fields: Vec::new(),
            anchor: format!("{prefix}-{}", i + 1),
        });
    }
    let mut next = text.ids.len() + 1;
    let mut add = |id: &str, field: Option<&str>, references: &mut Vec<Reference>| {
        let Some(source) = register.get(id) else {
            return false;
        };
        let i = match references.iter().position(|r| r.source.id == id) {
            Some(i) => i,
            None => {
                references.push(Reference {
                    number: next,
                    source: source.clone(),
                    uses: Vec::new(),
                    fields: Vec::new(),
                    anchor: format!("{prefix}-{next}"),
                });
                next += 1;
                references.len() - 1
            }
        };
        if let Some(field) = field
            && !references[i].fields.iter().any(|f| f == field)
        {
            references[i].fields.push(field.to_string());
        }
        true
    };
    for (field, ids) in &front.field_sources {
        let line = front.line_of(&format!("{field}_source"));
        for id in ids {
            if !add(id, Some(field), &mut references) {
                diagnostics.push(register.unknown(id, file, Location::new(line, 1)));
            }
        }
    }
    let sources_line = front.line_of("sources");
    for source in front.sources.iter_mut() {
        let Some(id) = source.id.clone() else {
            continue;
        };
        match register.get(&id) {
            Some(entry) => {
                source.title = entry.title.clone();
                source.url = entry.url.clone();
                source.publisher = Some(entry.publisher.clone());
                source.date = entry.date;
                add(&id, None, &mut references);
            }
            None => diagnostics.push(register.unknown(&id, file, Location::new(sources_line, 1))),
        }
    }
    let html = list_html(&references, &prefix, language);
    facts.references = references;
    html
}

/// The reference list: `<section class="references">` with one `<li>` per
/// source, each with links back to where the text cites it.
pub fn list_html(references: &[Reference], prefix: &str, language: &ListLanguage) -> String {
    if references.is_empty() {
        return String::new();
    }
    let words = language.words;
    let mut out = format!(
        "<section class=\"references\" aria-labelledby=\"{prefix}-heading\">\n<h2 id=\"{prefix}-heading\">"
    );
    escape_into(&mut out, &words.heading);
    out.push_str("</h2>\n<ol class=\"reference-list\">\n");
    for r in references {
        let s = &r.source;
        out.push_str(&format!("<li id=\"{}\" data-source=\"", r.anchor));
        escape_into(&mut out, &s.id);
        out.push_str("\"><a href=\"");
        escape_into(&mut out, &s.url);
        out.push_str("\">");
        escape_into(&mut out, &s.title);
        out.push_str("</a>, ");
        escape_into(&mut out, &s.publisher);
        if let Some(date) = s.date {
            out.push_str(&format!(
                ", <time datetime=\"{date}\">{}</time>",
                crate::i18n::format_date(date, language.code, None)
                    .unwrap_or_else(|_| date.to_string())
            ));
        }
        out.push_str(&format!(
            " <span class=\"source-grade grade-{}\">(",
            s.grade.name()
        ));
        escape_into(&mut out, words.grade(s.grade));
        out.push_str(")</span>");
        if let Some(note) = &s.note {
            // The register is written once, in the default language.
            if language.code == language.register {
                out.push_str(". ");
                escape_into(&mut out, note);
            } else {
                out.push_str(&format!(". <span lang=\"{}\">", language.register));
                escape_into(&mut out, note);
                out.push_str("</span>");
            }
        }
        let locators: Vec<&str> = r.uses.iter().filter_map(|(_, l)| l.as_deref()).collect();
        if !locators.is_empty() {
            out.push_str(". ");
            escape_into(&mut out, &words.cited_at);
            out.push(' ');
            escape_into(&mut out, &locators.join("; "));
        }
        for (k, (anchor, _)) in r.uses.iter().enumerate() {
            out.push_str(&format!(
                " <a class=\"back-to-citation\" href=\"#{anchor}\"><span aria-hidden=\"true\">↩</span><span class=\"visually-hidden\">"
            ));
            escape_into(&mut out, &words.back_to(k + 1, r.number));
            out.push_str("</span></a>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
    out
}

/// The anchors the list adds to a page, for links into it.
pub fn anchors(references: &[Reference], prefix: &str) -> Vec<String> {
    if references.is_empty() {
        return Vec::new();
    }
    std::iter::once(format!("{prefix}-heading"))
        .chain(references.iter().map(|r| r.anchor.clone()))
        .collect()
}
