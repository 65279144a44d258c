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

const ATTRIBUTES: [&str; 5] = ["href=\"", "src=\"", "action=\"", "poster=\"", "srcset=\""];

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
        let Some(attribute) = link_attribute(html, found) else {
            continue;
        };
        let value_start = found + 2;
        let value_end = memchr::memchr(b'"', &html.as_bytes()[value_start..])
            .map_or(html.len(), |e| value_start + e);
        let value = &html[value_start..value_end];
        if value.starts_with("//") {
            continue;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(html.len() + html.len() / 16));
        out.push_str(&html[copied..value_start]);
        if attribute == "srcset" {
            write_srcset(out, value, style, depth);
        } else {
            write_link(out, value, style, depth);
        }
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

/// The name of the attribute whose `=` is at `found`, if it holds links.
/// The name must start the attribute (preceded by whitespace), so
/// `data-src="` is not taken for `src="`.
fn link_attribute(html: &str, found: usize) -> Option<&'static str> {
    ATTRIBUTES.into_iter().find_map(|a| {
        let name = &a[..a.len() - 2];
        let start = found.checked_sub(name.len())?;
        (html.is_char_boundary(start)
            && html[start..found] == *name
            && html[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace))
        .then_some(name)
    })
}

/// A `srcset` (`/a-480w.webp 480w, /a-960w.webp 960w`): each candidate's
/// site path written in `style`, its descriptor kept.
fn write_srcset(out: &mut String, value: &str, style: LinkStyle, depth: usize) {
    for (i, candidate) in value.split(',').enumerate() {
        if i > 0 {
            out.push(',');
        }
        let trimmed = candidate.trim_start();
        out.push_str(&candidate[..candidate.len() - trimmed.len()]);
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let (url, descriptor) = trimmed.split_at(end);
        if url.starts_with('/') && !url.starts_with("//") {
            write_link(out, url, style, depth);
        } else {
            out.push_str(url);
        }
        out.push_str(descriptor);
    }
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
    fn every_candidate_of_a_srcset_is_rewritten() {
        let html = r#"<img src="/p/a-960w.jpg" srcset="/p/a-480w.jpg 480w, /p/a-960w.jpg 960w,https://x.org/b.jpg 2x" sizes="100vw">"#;
        assert_eq!(
            rel(html, "/p/q/", true),
            r#"<img src="../../p/a-960w.jpg" srcset="../../p/a-480w.jpg 480w, ../../p/a-960w.jpg 960w,https://x.org/b.jpg 2x" sizes="100vw">"#
        );
        assert_eq!(
            rewrite(html, LinkStyle::Prefixed("/d/")),
            r#"<img src="/d/p/a-960w.jpg" srcset="/d/p/a-480w.jpg 480w, /d/p/a-960w.jpg 960w,https://x.org/b.jpg 2x" sizes="100vw">"#
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
