//! `markdown::render` on arbitrary text, then what the pipeline does with
//! its output: placeholders filled, text extracted, links rewritten.
#![no_main]

use dossier::load::markdown::{self, LINK_MARK, MarkdownOptions};
use dossier::render::outputs::text_of;
use dossier::render::relative::{LinkStyle, rewrite};
use dossier_fuzz::loaded_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options and the file's folder.
    let (flags, body) = data.split_first().map_or((0, data), |(f, b)| (*f, b));
    let opts = MarkdownOptions {
        smart_punctuation: flags & 1 != 0,
        drop_leading_h1: flags & 2 != 0,
        citation_word: "source",
    };
    let dir = ["", "partners", "report/annex", "a/b/c"][usize::from(flags >> 2) % 4];
    // Raw text too (NUL, `\r`): the renderer must cope with both.
    let body = if flags & 0x80 != 0 {
        String::from_utf8_lossy(body).into_owned()
    } else {
        loaded_text(body)
    };
    let r = markdown::render(&body, 2, dir, opts);
    assert_eq!(r.html.matches(LINK_MARK).count(), 2 * r.links.len());
    for link in &r.links {
        if let Some(target) = &link.target {
            assert!(
                !target.split('/').any(|s| s == ".." || s == "."),
                "{target}"
            );
        }
    }
    let urls: Vec<String> = (0..r.links.len()).map(|i| format!("/p/{i}/")).collect();
    let html = markdown::fill_links(&r.html, &urls);
    assert!(!html.contains(LINK_MARK));
    let _ = text_of(&html);
    let _ = rewrite(
        &html,
        LinkStyle::RelativeTo {
            page: "/partners/japan/",
            index_html: true,
        },
    );
});
