//! The link graph of the rendered site: which pages link to which, for the
//! orphan lint.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Internal links found in the rendered output, gathered while rendering.
///
/// A build records each file once; the dev server records a file again
/// each time it is re-rendered, and forgets the files that are gone, so
/// the graph stays right without rescanning the whole site.
#[derive(Default)]
pub struct LinkGraph {
    edges: Mutex<Edges>,
}

#[derive(Default)]
struct Edges {
    /// Site path → site paths of the other pages that link to it.
    inbound: HashMap<String, HashSet<String>>,
    /// Site path → the site paths it links to.
    outbound: HashMap<String, HashSet<String>>,
}

impl LinkGraph {
    /// Records the links of one rendered file (`partners/japan/index.html`),
    /// replacing what an earlier version of it linked to.
    pub fn record(&self, file: &str, html: &[u8]) {
        let Some(from) = page_path(file) else {
            return;
        };
        let text = String::from_utf8_lossy(html);
        let targets: HashSet<String> = hrefs(&text)
            .filter_map(|h| resolve(&from, h))
            .filter(|t| *t != from)
            .collect();
        let mut edges = self.edges.lock().unwrap_or_else(|e| e.into_inner());
        edges.unlink(&from);
        for target in &targets {
            edges
                .inbound
                .entry(target.clone())
                .or_default()
                .insert(from.clone());
        }
        edges.outbound.insert(from, targets);
    }

    /// Forgets a file that is no longer part of the site.
    pub fn forget(&self, file: &str) {
        if let Some(from) = page_path(file) {
            let mut edges = self.edges.lock().unwrap_or_else(|e| e.into_inner());
            edges.unlink(&from);
        }
    }

    pub(super) fn is_linked(&self, path: &str) -> bool {
        let edges = self.edges.lock().unwrap_or_else(|e| e.into_inner());
        edges.inbound.get(path).is_some_and(|from| !from.is_empty())
    }
}

impl Edges {
    fn unlink(&mut self, from: &str) {
        for target in self.outbound.remove(from).unwrap_or_default() {
            if let Some(sources) = self.inbound.get_mut(&target) {
                sources.remove(from);
            }
        }
    }
}

/// `partners/japan/index.html` → `/partners/japan/`; other files are not pages.
fn page_path(file: &str) -> Option<String> {
    file.strip_suffix("index.html").map(|d| format!("/{d}"))
}

/// `href="…"` values in HTML.
fn hrefs(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("href=\"").filter_map(|(i, m)| {
        let rest = &html[i + m.len()..];
        rest.find('"').map(|end| &rest[..end])
    })
}

/// The site path a link in the page at `from` points to, if it is internal.
fn resolve(from: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next()?;
    if href.is_empty() || href.contains(':') || href.starts_with("//") {
        return None;
    }
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        format!("{from}{href}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts.last() == Some(&"index.html") {
        parts.pop();
    } else if parts.last().is_some_and(|p| p.contains('.')) {
        return None; // a file such as style.css, not a page
    }
    let mut path = String::from("/");
    for p in parts {
        path.push_str(p);
        path.push('/');
    }
    Some(path)
}

/// The lints that need only the model. `today` decides what counts as stale.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_root_links_to_site_paths() {
        assert_eq!(
            resolve("/partners/japan/", "../../report/index.html#x").as_deref(),
            Some("/report/")
        );
        assert_eq!(
            resolve("/partners/japan/", "../korea/").as_deref(),
            Some("/partners/korea/")
        );
        assert_eq!(resolve("/a/", "/b/index.html").as_deref(), Some("/b/"));
        assert_eq!(resolve("/a/", "../style.css"), None);
        assert_eq!(resolve("/a/", "https://x.org/"), None);
        assert_eq!(resolve("/a/", "#top"), None);
        assert_eq!(resolve("/", "index.html").as_deref(), Some("/"));
    }

    #[test]
    fn the_graph_ignores_self_links() {
        let g = LinkGraph::default();
        g.record(
            "a/index.html",
            br#"<a href="index.html">me</a><a href="../b/index.html">b</a>"#,
        );
        assert!(!g.is_linked("/a/"));
        assert!(g.is_linked("/b/"));
    }

    #[test]
    fn recording_a_file_again_replaces_its_links() {
        let g = LinkGraph::default();
        g.record("a/index.html", br#"<a href="../b/">b</a>"#);
        assert!(g.is_linked("/b/"));
        g.record("a/index.html", br#"<a href="../c/">c</a>"#);
        assert!(!g.is_linked("/b/"));
        assert!(g.is_linked("/c/"));
        g.forget("a/index.html");
        assert!(!g.is_linked("/c/"));
    }
}
