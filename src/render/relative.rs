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

pub fn rewrite<'h>(html: &'h str, style: LinkStyle) -> Cow<'h, str> {
    if matches!(style, LinkStyle::Absolute) || !html.contains("=\"/") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((start, attr_len)) = next_attribute(rest) {
        let value_start = start + attr_len;
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        if value.starts_with('/') && !value.starts_with("//") {
            write_link(&mut out, value, style);
        } else {
            out.push_str(value);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The next attribute to consider: its offset and the length of `name="`.
/// The name must start the attribute (preceded by whitespace), so
/// `data-src="` is not mistaken for `src="`.
fn next_attribute(html: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let found = html[from..].find("=\"/")? + from;
        let candidate = ATTRIBUTES.iter().find_map(|a| {
            let name_len = a.len() - 2;
            let start = found.checked_sub(name_len)?;
            if !html.is_char_boundary(start) {
                return None;
            }
            let preceded = html[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            (preceded && html[start..].starts_with(a)).then_some((start, a.len()))
        });
        if candidate.is_some() {
            return candidate;
        }
        from = found + 2;
    }
}

fn write_link(out: &mut String, target: &str, style: LinkStyle) {
    // `.` and `..` are resolved first, stopping at the root, so no link can
    // climb above the site (`/../x` is `/x`, as a browser would read it).
    let (path, suffix) = match target.find(['#', '?']) {
        Some(i) => target.split_at(i),
        None => (target, ""),
    };
    let normalized = normalize_site_path(path);
    let target = format!("{normalized}{suffix}");
    let target = target.as_str();
    match style {
        LinkStyle::Absolute => out.push_str(target),
        LinkStyle::Prefixed(prefix) => {
            out.push_str(prefix.trim_end_matches('/'));
            out.push_str(target);
        }
        LinkStyle::RelativeTo { page, index_html } => {
            let depth = page
                .trim_matches('/')
                .split('/')
                .filter(|s| !s.is_empty())
                .count();
            let (path, suffix) = match target.find(['#', '?']) {
                Some(i) => target.split_at(i),
                None => (target, ""),
            };
            let path = &path[1..];
            for _ in 0..depth {
                out.push_str("../");
            }
            out.push_str(path);
            if index_html && (path.is_empty() || path.ends_with('/')) {
                out.push_str("index.html");
            } else if depth == 0 && path.is_empty() {
                out.push_str("./");
            }
            out.push_str(suffix);
        }
    }
}

/// `/a/./b/../c/` → `/a/c/`; `..` at the root stays at the root.
fn normalize_site_path(path: &str) -> String {
    if !path.contains("/.") {
        return path.to_string();
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
    out
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
