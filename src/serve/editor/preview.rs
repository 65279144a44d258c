//! The preview of unsaved text: the one page rendered in memory, with the
//! site's templates and static files as they are on disk.
//!
//! The HTML's links are relative to the page's own site path (the last
//! step of rendering), so a `<base href>` of that path is put first in its
//! `<head>`: shown in the editor's iframe through `srcdoc`, it then loads
//! the stylesheet and images from the preview server as the real page does.

use std::path::Path;
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::{self, Job, StaticFiles, Templates};
use crate::write;

/// The HTML of `source`'s page in `site`, or why it could not be made.
pub fn render(root: &Path, site: &Site, source: &str) -> Result<String, Vec<Diagnostic>> {
    let (job, path) = if let Some(i) = site.pages.iter().position(|p| p.source == source) {
        (Job::Page(i), &site.pages[i].path)
    } else if let Some(i) = site.sections.iter().position(|s| s.source == source) {
        (Job::Section(i), &site.sections[i].path)
    } else {
        return Err(Vec::new());
    };
    let mut templates = Templates::load(root)?;
    // Components are expanded after the model, as `build` does; the copy is
    // made only for pages that call one.
    let expanded;
    let site = if site_has_components(site) {
        let mut copy = site.clone();
        let found = crate::components::expand_site(&mut copy, &mut templates);
        if found
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error)
        {
            return Err(found);
        }
        expanded = copy;
        &expanded
    } else {
        site
    };
    let (files, _) = write::static_files(root);
    let fingerprints = write::fingerprints(&files).map_err(|_| Vec::new())?;
    let statics = StaticFiles {
        fingerprints: (fingerprints.iter())
            .map(|(original, hashed)| (format!("/{original}"), format!("/{hashed}")))
            .collect(),
        files: files.iter().map(|(_, rel)| rel.clone()).collect(),
    };
    let values = render::prepare(site, &mut templates, &statics)?;
    let inputs = render::Inputs {
        site,
        values: &values,
        templates: &templates,
        statics: &statics,
        search: None,
    };
    let wanted = crate::model::urls::output_file(path);
    let page: Mutex<Option<Vec<u8>>> = Mutex::new(None);
    let sink = |name: &str, bytes: &[u8]| {
        if name == wanted
            && let Ok(mut slot) = page.lock()
        {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    };
    let found = render::render_jobs(&inputs, &[job], &|name| name == wanted, &sink);
    let html = page.into_inner().ok().flatten();
    match html {
        Some(html) if found.is_empty() => Ok(with_base(&String::from_utf8_lossy(&html), path)),
        _ => Err(found),
    }
}

/// `html` with `<base href="path">` first in its head.
fn with_base(html: &str, path: &str) -> String {
    let tag = format!("<base href=\"{}\">", crate::html::escape(path));
    match html.find("<head>") {
        Some(at) => format!("{}{tag}{}", &html[..at + 6], &html[at + 6..]),
        None => format!("{tag}{html}"),
    }
}

fn site_has_components(site: &Site) -> bool {
    let uses = |f: &crate::load::Facts| crate::components::has_marks(&f.components);
    site.pages.iter().any(|p| uses(&p.facts)) || site.sections.iter().any(|s| uses(&s.facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_goes_first_in_the_head() {
        assert_eq!(
            with_base("<html><head><title>x</title>", "/a/b/"),
            "<html><head><base href=\"/a/b/\"><title>x</title>"
        );
        assert_eq!(with_base("<p>", "/\"/"), "<base href=\"/&quot;/\"><p>");
    }
}
