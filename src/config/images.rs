//! `images:` in `site.yaml`: how images referenced from Markdown are
//! processed (see `crate::images`). Every key is checked.

use serde_yaml::Value;

use super::{sub_mapping, unknown_sub_key};
use crate::yaml::{self, expect_integer, expect_string, key_text};

/// A format images are encoded to beside their own (JPEG or PNG).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtraFormat {
    Webp,
}

impl ExtraFormat {
    pub fn name(self) -> &'static str {
        match self {
            ExtraFormat::Webp => "webp",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// `false` (`images: false`): images are checked and get their width and
    /// height, but no variants are made.
    pub process: bool,
    /// Widths in pixels, ascending, without repeats.
    pub widths: Vec<u32>,
    pub formats: Vec<ExtraFormat>,
    /// JPEG quality, 1 to 100.
    pub quality: u8,
    /// The `sizes` attribute: how wide the image is shown.
    pub sizes: String,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            process: true,
            widths: vec![480, 960, 1600],
            formats: vec![ExtraFormat::Webp],
            quality: 80,
            // The text column (`--measure: 70ch` in static/style.css) is at
            // most about 40rem wide; narrower screens show images full width.
            sizes: "(min-width: 45rem) 40rem, 100vw".into(),
        }
    }
}

/// The largest width that may be asked for: wider than any screen.
const MAX_WIDTH: i64 = 8192;
const KEYS: &[&str] = &["widths", "formats", "quality", "sizes"];

/// `images: false`, `images: true` or `images: { widths: […], formats: […],
/// quality: 80, sizes: "…" }`.
pub(super) fn read_images(v: &Value) -> Result<ImageSettings, String> {
    let mut out = ImageSettings::default();
    if let Value::Bool(on) = v {
        out.process = *on;
        return Ok(out);
    }
    for (k, v) in sub_mapping(v)? {
        match key_text(k).as_str() {
            "widths" => {
                let Value::Sequence(items) = v else {
                    return Err(format!(
                        "widths: expected a list of pixel widths such as [480, 960, 1600], found {}",
                        yaml::kind_of(v)
                    ));
                };
                let mut widths = Vec::new();
                for item in items {
                    let w = expect_integer(item)
                        .ok()
                        .filter(|w| (16..=MAX_WIDTH).contains(w))
                        .ok_or_else(|| {
                            format!("widths: each width is a whole number of pixels from 16 to {MAX_WIDTH}")
                        })?;
                    widths.push(w as u32);
                }
                if widths.is_empty() {
                    return Err("widths: give at least one width, or write `images: false`".into());
                }
                widths.sort_unstable();
                widths.dedup();
                out.widths = widths;
            }
            "formats" => {
                let names = yaml::expect_string_list(v)?;
                let mut formats = Vec::new();
                for name in names {
                    let format = match name.to_ascii_lowercase().as_str() {
                        "webp" => ExtraFormat::Webp,
                        "avif" => {
                            return Err("formats: `avif` is not offered: its Rust encoder (rav1e) would make every build of dossier take several minutes longer; use `webp`".into());
                        }
                        other => {
                            return Err(format!(
                                "formats: unknown format `{other}` (known: webp; JPEG and PNG images are always also written in their own format)"
                            ));
                        }
                    };
                    if !formats.contains(&format) {
                        formats.push(format);
                    }
                }
                out.formats = formats;
            }
            "quality" => {
                out.quality = expect_integer(v)
                    .ok()
                    .and_then(|q| u8::try_from(q).ok())
                    .filter(|q| (1..=100).contains(q))
                    .ok_or("quality: a whole number from 1 to 100 (80 is a good start)")?;
            }
            "sizes" => {
                let sizes = expect_string(v)?;
                if sizes.trim().is_empty() {
                    return Err("sizes: give the width images are shown at, such as `100vw`".into());
                }
                out.sizes = sizes;
            }
            other => return Err(unknown_sub_key(other, KEYS)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<ImageSettings, String> {
        read_images(&serde_yaml::from_str::<Value>(text).unwrap())
    }

    #[test]
    fn every_key_is_read_and_checked() {
        let s = read("{ widths: [960, 480, 480], formats: [webp], quality: 70, sizes: \"50vw\" }")
            .unwrap();
        assert_eq!(s.widths, [480, 960]);
        assert_eq!(s.formats, [ExtraFormat::Webp]);
        assert_eq!(s.quality, 70);
        assert_eq!(s.sizes, "50vw");
        assert!(!read("false").unwrap().process);
        assert!(
            read("{ widht: [1] }")
                .unwrap_err()
                .contains("did you mean `widths`")
        );
        assert!(read("{ widths: [] }").is_err());
        assert!(read("{ widths: [0] }").is_err());
        assert!(read("{ widths: 480 }").is_err());
        assert!(read("{ quality: 101 }").is_err());
        assert!(read("{ formats: [avif] }").unwrap_err().contains("rav1e"));
        assert!(
            read("{ formats: [gif] }")
                .unwrap_err()
                .contains("unknown format")
        );
        assert!(read("{ sizes: \" \" }").is_err());
    }
}
