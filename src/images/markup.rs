//! The HTML of an image: `<picture>` with a `<source>` per extra format
//! and an `<img>` in the image's own format, with `srcset`, `sizes`,
//! `width` and `height` (so the page does not move as images arrive) and
//! lazy loading for all but a page's first image (which is likely above the
//! fold, where lazy loading would only delay it).
//!
//! Addresses are site paths (`/partners/map-480w.1a2b3c4d.jpg`), percent-encoded;
//! `render/relative.rs` makes them relative to each page, `srcset` included.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::plan::{Format, Info, Variant};
use crate::config::ImageSettings;
use crate::html::escape_into;
use crate::load::markdown::LocalImage;

/// What must be encoded in a path inside `src` and `srcset` (where white
/// space and commas separate candidates).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'?')
    .add(b'%')
    .add(b',')
    .add(b'&');

fn site_path(output: &str) -> String {
    format!("/{}", utf8_percent_encode(output, PATH))
}

/// The attributes every image gets after its address and size.
fn push_common(out: &mut String, image: &LocalImage, eager: bool) {
    out.push_str(" alt=\"");
    escape_into(out, &image.alt);
    out.push('"');
    if !image.title.is_empty() {
        out.push_str(" title=\"");
        escape_into(out, &image.title);
        out.push('"');
    }
    if !eager {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\">");
}

/// An image dossier does not resize (SVG, GIF, …): linked as it is.
pub(super) fn plain(image: &LocalImage, output: &str, eager: bool) -> String {
    let mut out = String::from("<img src=\"");
    out.push_str(&site_path(output));
    out.push('"');
    push_common(&mut out, image, eager);
    out
}

fn srcset(variants: &[&Variant]) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}w", site_path(&v.output), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The markup of a resized image. Without variants (`images: false`), the
/// original with its width and height.
pub(super) fn picture(
    image: &LocalImage,
    info: &Info,
    variants: &[Variant],
    output: &str,
    settings: &ImageSettings,
    eager: bool,
) -> String {
    let own: Vec<&Variant> = variants
        .iter()
        .filter(|v| v.format == info.format)
        .collect();
    let Some(largest) = own.last() else {
        let mut out = format!(
            "<img src=\"{}\" width=\"{}\" height=\"{}\"",
            site_path(output),
            info.width,
            info.height
        );
        push_common(&mut out, image, eager);
        return out;
    };
    let mut sizes = String::new();
    escape_into(&mut sizes, &settings.sizes);
    let mut extra: Vec<Format> = variants
        .iter()
        .map(|v| v.format)
        .filter(|f| *f != info.format)
        .collect();
    extra.dedup();
    let mut out = String::new();
    if !extra.is_empty() {
        out.push_str("<picture>");
    }
    let wrapped = !extra.is_empty();
    for format in extra {
        let these: Vec<&Variant> = variants.iter().filter(|v| v.format == format).collect();
        out.push_str(&format!(
            "<source type=\"{}\" srcset=\"{}\" sizes=\"{sizes}\">",
            format.mime(),
            srcset(&these)
        ));
    }
    out.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\"",
        site_path(&largest.output),
        srcset(&own),
        largest.width,
        largest.height
    ));
    push_common(&mut out, image, eager);
    if wrapped {
        out.push_str("</picture>");
    }
    out
}
