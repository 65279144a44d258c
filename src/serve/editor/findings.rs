//! Unsaved text, checked and previewed: what `dossier check` would say
//! about the page if it were saved, and the page as it would look, from the
//! same code, without writing anything.
//!
//! The text is parsed by `load::parse_text` (front matter, schema,
//! placeholders, Markdown), put in place of the file among the site's other
//! documents as they are on disk, and the model is built (links, slugs,
//! paths) and the page's own lints run (`lint::lint_page`: sources, images,
//! outline, staleness). Only findings about this file are kept. Then the
//! page alone is rendered (`preview.rs`). Reading every document for each
//! check is fine for a site of a few hundred pages; the editor asks at most
//! every 250 ms while someone types.

use std::path::Path;

use crate::config::SiteConfig;
use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::load::{self, Content};

/// The findings of a page's unsaved text, and its rendered HTML when it
/// could be rendered.
pub struct Draft {
    pub findings: Vec<Diagnostic>,
    pub preview: Option<String>,
}

pub fn of_text(root: &Path, config: &SiteConfig, source: &str, text: &str) -> Draft {
    let file = load::content_path(source);
    let (listing, _) = load::scan(root);
    let (doc, mut found) = load::parse_text(&listing, source, text, config);
    let Some(doc) = doc else {
        return Draft {
            findings: found,
            preview: None,
        };
    };
    let mut documents: Vec<load::Document> = load::read_sources(&listing, config, |s| s != source)
        .into_iter()
        .filter_map(|(_, doc, _)| doc)
        .collect();
    documents.push(doc);
    documents.sort_by(|a, b| a.source.cmp(&b.source));
    let content = Content {
        documents,
        assets: listing.assets.clone(),
        moved: Default::default(),
    };
    let (mut site, from_model) = crate::model::build(config.clone(), content, true);
    found.extend(from_model.into_iter().filter(|d| d.file == file));
    // Images as the build places them (their variants are the dev
    // server's to make): a missing one is a finding at its line.
    let (statics, _) = crate::write::static_files(root);
    let (_, from_images) = crate::images::plan(root, &mut site, &statics);
    found.extend(from_images.into_iter().filter(|d| d.file == file));
    if let Some(id) = site.pages.iter().position(|p| p.source == source) {
        found.extend(crate::lint::lint_page(&site, id, Date::today()));
    }
    let preview = match super::preview::render(root, &site, source) {
        Ok(html) => Some(html),
        Err(problems) => {
            found.extend(problems.into_iter().filter(|d| d.file == file));
            None
        }
    };
    found.sort_by(|a, b| {
        let place = |d: &Diagnostic| (d.location.map(|l| (l.line, l.column)), d.code);
        place(a).cmp(&place(b))
    });
    found.dedup_by(|a, b| a.code == b.code && a.location == b.location && a.message == b.message);
    Draft {
        findings: found,
        preview,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The editor's preview expands components as the build does, and
    /// shows their mistakes among the page's findings.
    #[test]
    fn unsaved_text_with_components_is_previewed_and_checked() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = SiteConfig::load(root).expect("site.yaml");
        let text = "---\ntitle: \"About this site\"\ndescription: \"d\"\n---\n\
                    {% callout(kind=\"note\") %}\nA **note**.\n{% end %}\n";
        let draft = of_text(root, &config, "about.md", text);
        let preview = draft
            .preview
            .unwrap_or_else(|| panic!("no preview: {:?}", draft.findings));
        assert!(
            preview.contains("<div class=\"callout callout-note\" role=\"note\">"),
            "{preview}"
        );
        assert!(!preview.contains('\0'));
        let text = text.replace("callout(kind", "calout(kind");
        let draft = of_text(root, &config, "about.md", &text);
        assert!(
            draft
                .findings
                .iter()
                .any(|d| d.code == "E-COMPONENT-UNKNOWN" && d.location.map(|l| l.line) == Some(5)),
            "{:?}",
            draft.findings
        );
    }
}
