//! Rewriting root-relative links (`/partners/japan/`) in rendered HTML.
//!
//! Templates and the model speak in site paths, which are simple to reason
//! about. Readers need links that work wherever the folder ends up: on a
//! host's sub-path, or opened from disk. So each page's links are rewritten
//! relative to that page (`../japan/index.html`) as the last step of
//! rendering. Only `href`, `src`, `action` and `poster` attribute values that
//! start with a single `/` are touched; `//host` and `https://` are left alone,
//! as is any text, which autoescaping has already turned `"` into `&quot;` in.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;

const ATTRIBUTES: [&str; 4] = ["href=\"", "src=\"", "action=\"", "poster=\""];

/// How links in one output file are written.
#[derive(Debug, Clone, Copy)]
pub enum LinkStyle<'a> {
    /// Leave site paths as they are.
    Absolute,
    /// Relative to a page at this site path, optionally adding `index.html`
    /// to folder links (for `file://`).
    RelativeTo { page: &'a str, index_html: bool },
    /// Prefix with the base URL's path: for pages a host serves at any
    /// address, such as `404.html`.
    Prefixed(&'a str),
}

/// Finds `="/`, the start of every candidate value: a SIMD substring search,
/// because this scan runs over every byte of every page.
static VALUE_START: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("=\"/"));

pub fn rewrite<'h>(html: &'h str, style: LinkStyle) -> Cow<'h, str> {
    if matches!(style, LinkStyle::Absolute) {
        return Cow::Borrowed(html);
    }
    let depth = match style {
        LinkStyle::RelativeTo { page, .. } => page.split('/').filter(|s| !s.is_empty()).count(),
        _ => 0,
    };
    let mut out: Option<String> = None;
    // Everything before `copied` is in `out` already.
    let mut copied = 0;
    for found in VALUE_START.find_iter(html.as_bytes()) {
        if found < copied {
            continue;
        }
        if !is_link_attribute(html, found) {
            continue;
        }
        let value_start = found + 2;
        let value_end = memchr::memchr(b'"', &html.as_bytes()[value_start..])
            .map_or(html.len(), |e| value_start + e);
        let value = &html[value_start..value_end];
        if value.starts_with("//") {
            continue;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(html.len() + html.len() / 16));
        out.push_str(&html[copied..value_start]);
        write_link(out, value, style, depth);
        copied = value_end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// `target`, a site path, as a link written in a file at site path `page`
/// in `style`: for links outside the attributes [`rewrite`] knows, such as
/// a `<meta http-equiv="refresh">`'s `url=`.
pub fn link(target: &str, style: LinkStyle) -> String {
    let depth = match style {
        LinkStyle::RelativeTo { page, .. } => page.split('/').filter(|s| !s.is_empty()).count(),
        _ => 0,
    };
    let mut out = String::new();
    write_link(&mut out, target, style, depth);
    out
}

/// Whether the attribute whose `=` is at `found` is one that holds a link.
/// The name must start the attribute (preceded by whitespace), so
/// `data-src="` is not taken for `src="`.
fn is_link_attribute(html: &str, found: usize) -> bool {
    ATTRIBUTES.into_iter().any(|a| {
        let name = &a[..a.len() - 2];
        let Some(start) = found.checked_sub(name.len()) else {
            return false;
        };
        html.is_char_boundary(start)
            && html[start..found] == *name
            && html[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace)
    })
}

/// Writes `target`, a site path, in `style`, for a page `depth` folders
/// below the root.
fn write_link(out: &mut String, target: &str, style: LinkStyle, depth: usize) {
    // `.` and `..` are resolved first, stopping at the root, so no link can
    // climb above the site (`/../x` is `/x`, as a browser would read it).
    let (path, suffix) = match target.find(['#', '?']) {
        Some(i) => target.split_at(i),
        None => (target, ""),
    };
    let normalized = normalize_site_path(path);
    match style {
        LinkStyle::Absolute => out.push_str(&normalized),
        LinkStyle::Prefixed(prefix) => {
            out.push_str(prefix.trim_end_matches('/'));
            out.push_str(&normalized);
        }
        LinkStyle::RelativeTo { index_html, .. } => {
            let path = &normalized[1..];
            for _ in 0..depth {
                out.push_str("../");
            }
            out.push_str(path);
            if index_html && (path.is_empty() || path.ends_with('/')) {
                out.push_str("index.html");
            } else if depth == 0 && path.is_empty() {
                out.push_str("./");
            }
        }
    }
    out.push_str(suffix);
}

/// `/a/./b/../c/` → `/a/c/`; `..` at the root stays at the root.
fn normalize_site_path(path: &str) -> Cow<'_, str> {
    if !path.contains("/.") {
        return Cow::Borrowed(path);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = String::from("/");
    out.push_str(&parts.join("/"));
    let ends_as_folder = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if ends_as_folder && !parts.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(html: &str, page: &str, index_html: bool) -> String {
        rewrite(html, LinkStyle::RelativeTo { page, index_html }).into_owned()
    }

    #[test]
    fn links_become_relative_to_the_page() {
        let html = r#"<a href="/partners/">P</a><img src="/img/a.png"><a href="/">H</a><a href="/x/#top">T</a>"#;
        assert_eq!(
            rel(html, "/partners/japan/", true),
            r#"<a href="../../partners/index.html">P</a><img src="../../img/a.png"><a href="../../index.html">H</a><a href="../../x/index.html#top">T</a>"#
        );
        assert_eq!(
            rel(r#"<a href="/a/">x</a>"#, "/", false),
            r#"<a href="a/">x</a>"#
        );
        assert_eq!(
            rel(r#"<a href="/">x</a>"#, "/", false),
            r#"<a href="./">x</a>"#
        );
    }

    #[test]
    fn other_links_and_text_are_untouched() {
        let html = r##"<a href="https://x.org/a">x</a><a href="//cdn/x">y</a><a href="#f">z</a><p data-src="/q">href="/p"</p><a href="/a/b.css">"##;
        assert_eq!(
            rel(html, "/a/", true),
            r##"<a href="https://x.org/a">x</a><a href="//cdn/x">y</a><a href="#f">z</a><p data-src="/q">href="/p"</p><a href="../a/b.css">"##
        );
    }

    #[test]
    fn prefixed_for_pages_served_anywhere() {
        let out = rewrite(
            r#"<link href="/s.css"><a href="/">h</a>"#,
            LinkStyle::Prefixed("/dossier/"),
        );
        assert_eq!(
            out,
            r#"<link href="/dossier/s.css"><a href="/dossier/">h</a>"#
        );
    }
}
