//! `relative::rewrite` on arbitrary HTML. The first line of the input
//! names the page (made into a site path the way the model makes one).
#![no_main]

use dossier::model::urls;
use dossier::render::relative::{LinkStyle, rewrite};
use libfuzzer_sys::fuzz_target;

/// Values of the attributes `rewrite` handles (name preceded by white space).
fn link_values(html: &str) -> Vec<&str> {
    let mut values = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\"", "poster=\""] {
        for (i, _) in html.match_indices(attr) {
            if html[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace)
            {
                let rest = &html[i + attr.len()..];
                values.push(&rest[..rest.find('"').unwrap_or(rest.len())]);
            }
        }
    }
    values
}

/// Whether `relative`, resolved from a page `depth` folders deep, climbs
/// above the site root.
fn escapes_root(relative: &str, depth: usize) -> bool {
    let path = &relative[..relative.find(['#', '?']).unwrap_or(relative.len())];
    let mut level = depth;
    for segment in path.split('/') {
        match segment {
            ".." if level == 0 => return true,
            ".." => level -= 1,
            "" | "." => {}
            _ => level += 1,
        }
    }
    false
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, html) = text.split_once('\n').unwrap_or(("", text));
    let page = urls::dir_path(first);
    let depth = page.split('/').filter(|s| !s.is_empty()).count();
    assert_eq!(rewrite(html, LinkStyle::Absolute).as_ref(), html);
    let before = link_values(html);
    for index_html in [false, true] {
        let out = rewrite(
            html,
            LinkStyle::RelativeTo {
                page: &page,
                index_html,
            },
        );
        if !html.contains("=\"/") {
            assert_eq!(out.as_ref(), html);
        }
        // Every value `rewrite` changed must stay inside the site, whatever
        // `.`/`..` the root-relative link held. (Values it left alone, such
        // as a relative `../x` written as such, are not its doing.)
        let after = link_values(&out);
        if after.len() == before.len() {
            for (old, new) in before.iter().zip(&after) {
                if old != new {
                    assert!(!escapes_root(new, depth), "{old} → {new} on {page}");
                }
            }
        }
    }
    let _ = rewrite(html, LinkStyle::Prefixed(first));
});
