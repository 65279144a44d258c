//! Local images (`![alt](map.png)`, `![alt](/images/x.jpg)`) become
//! placeholders that the image stage (`crate::images`) fills once it knows
//! each file's size and the variants it made, as links are filled by the
//! model. A placeholder is [`LINK_MARK`] `i` + index + [`LINK_MARK`]: it
//! cannot be forged (NUL never reaches the HTML) and `fill_links` leaves
//! it alone, because it is not a number.
//!
//! Images with an address on the web (`https://`, `//host`, `data:`) and
//! addresses with a query or fragment are left as pulldown-cmark writes them.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{LINK_MARK, plain_text};
use crate::diagnostics::{LineIndex, Location};

/// One local image of a body, in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalImage {
    /// The address as written, percent-decoded: `map.png`, `/images/x.jpg`.
    pub src: String,
    /// The folder of the Markdown file, below `content/`, that a relative
    /// `src` starts from.
    pub dir: String,
    pub alt: String,
    pub title: String,
    pub location: Location,
}

/// The placeholder for the `index`th local image of a body.
pub fn placeholder(index: usize) -> String {
    format!("{LINK_MARK}i{index}{LINK_MARK}")
}

/// Whether `dest` names a file of this site rather than something on the web.
fn is_local(dest: &str) -> bool {
    !(dest.is_empty()
        || dest.contains("://")
        || dest.starts_with("//")
        || dest.starts_with('#')
        || dest.contains('?')
        || dest.contains('#')
        || dest.contains(':'))
}

/// Replaces each local image's events (start, alt text, end) with one
/// placeholder and records the image.
pub(super) fn mark_local_images(
    events: &mut Vec<(Event, std::ops::Range<usize>)>,
    source_dir: &str,
    lines: &LineIndex,
) -> Vec<LocalImage> {
    let mut images = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let (
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            range,
        ) = &events[i]
        else {
            i += 1;
            continue;
        };
        let decoded = percent_encoding::percent_decode_str(dest_url).decode_utf8();
        let src = match &decoded {
            Ok(d) if !d.contains('\0') => d.to_string(),
            _ => dest_url.to_string(),
        };
        if !is_local(&src) {
            i += 1;
            continue;
        }
        let end = events[i..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Image)))
            .map_or(events.len() - 1, |p| i + p);
        images.push(LocalImage {
            src,
            dir: source_dir.to_string(),
            alt: plain_text(events[i + 1..end].iter().map(|(e, _)| e)),
            title: title.to_string(),
            location: lines.location(range.start),
        });
        let start = range.start;
        events.splice(
            i..=end,
            [(
                Event::InlineHtml(CowStr::from(placeholder(images.len() - 1))),
                start..start,
            )],
        );
        i += 1;
    }
    images
}

/// Replaces image placeholders in `html` with `markup[i]`; any other
/// placeholder is left as it is.
pub fn fill_images(html: &str, markup: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + markup.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    let open = format!("{LINK_MARK}i");
    while let Some(start) = rest.find(&open) {
        out.push_str(&rest[..start]);
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(LINK_MARK) else {
            out.push_str(&rest[start..]);
            return out;
        };
        match after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|i| markup.get(i))
        {
            Some(m) => out.push_str(m),
            None => out.push_str(&rest[start..start + open.len() + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::markdown::{MarkdownOptions, render};

    fn md(body: &str) -> crate::load::Rendered {
        render(
            body,
            1,
            "partners",
            MarkdownOptions {
                smart_punctuation: false,
                drop_leading_h1: false,
                citation_word: "source",
            },
        )
    }

    #[test]
    fn local_images_become_placeholders_and_web_images_stay() {
        let r = md(
            "Text ![A *map*](map%20big.png \"T\")\n\n![w](https://x.org/a.png) ![q](a.png?x=1)\n\n[![in link](/images/x.jpg)](@/a.md)\n",
        );
        let found = &r.facts.local_images;
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].src, "map big.png");
        assert_eq!(found[0].alt, "A map");
        assert_eq!(found[0].title, "T");
        assert_eq!(found[0].dir, "partners");
        assert_eq!(found[0].location, Location::new(1, 6));
        assert_eq!(found[1].src, "/images/x.jpg");
        assert!(r.html.contains(&placeholder(0)), "{}", r.html);
        assert!(r.html.contains("src=\"https://x.org/a.png\""));
        assert!(r.html.contains("src=\"a.png?x=1\""));
        let filled = fill_images(&r.html, &["<pic0>".into(), "<pic1>".into()]);
        assert!(filled.contains("Text <pic0>"), "{filled}");
        assert!(filled.contains("<pic1></a>"), "{filled}");
        assert!(!filled.contains("\0i"));
        // The images' alt text is still seen by the lints.
        assert_eq!(r.facts.images.len(), 4);
    }

    #[test]
    fn link_filling_keeps_image_placeholders() {
        let r = md("![a](a.png) [x](@/a.md)\n");
        let linked = crate::load::markdown::fill_links(&r.html, &["/a/".into()]);
        assert!(linked.contains(&placeholder(0)), "{linked}");
        assert!(linked.contains("href=\"/a/\""));
        assert_eq!(fill_images(&linked, &[]), linked, "unknown indexes stay");
    }
}
