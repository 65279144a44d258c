//! Finding each local image's file, reading its header, deciding its
//! variants and filling the pages' placeholders with the final markup.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::markup;
use super::{MAX_BYTES, MAX_PIXELS, MAX_SIDE};
use crate::config::{ExtraFormat, ImageSettings};
use crate::diagnostics::Diagnostic;
use crate::load::{self, markdown::LocalImage};
use crate::model::Site;

/// The formats dossier decodes and encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub(crate) fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    fn of(format: image::ImageFormat) -> Option<Format> {
        match format {
            image::ImageFormat::Jpeg => Some(Format::Jpeg),
            image::ImageFormat::Png => Some(Format::Png),
            image::ImageFormat::WebP => Some(Format::Webp),
            _ => None,
        }
    }

    fn extra(format: ExtraFormat) -> Format {
        match format {
            ExtraFormat::Webp => Format::Webp,
        }
    }
}

/// Every variant the site's pages show, by source image.
#[derive(Debug, Default)]
pub struct Plan {
    pub(crate) jobs: Vec<Job>,
    pub(crate) quality: u8,
}

impl Plan {
    /// The output paths of every variant (relative to the output folder).
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        self.jobs
            .iter()
            .flat_map(|j| j.variants.iter().map(|v| v.output.as_str()))
    }

    /// Keeps only the images with a variant for which `present` is false:
    /// what a caller holding earlier variants (the dev server) still needs.
    pub fn retain_missing(&mut self, present: impl Fn(&str) -> bool) {
        self.jobs
            .retain(|j| j.variants.iter().any(|v| !present(&v.output)));
    }
}

/// One source image and the variants made from it.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) absolute: PathBuf,
    /// The file as messages name it: `content/partners/map.png`.
    pub(crate) shown: String,
    pub(crate) hash: blake3::Hash,
    pub(crate) variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) format: Format,
    /// The cache key: a hash of the source and every parameter.
    pub(crate) key: String,
    /// Relative to the output folder, not encoded.
    pub(crate) output: String,
}

/// What the header of an image file says.
#[derive(Debug, Clone)]
pub(crate) struct Info {
    pub(crate) hash: blake3::Hash,
    pub(crate) format: Format,
    /// After the EXIF orientation is applied.
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// A file an image reference points at.
#[derive(Debug, Clone)]
struct Target {
    absolute: PathBuf,
    shown: String,
    /// Its output path, relative to the output folder, not encoded.
    output: String,
}

/// Why an image cannot be used: a code, a message and a hint.
type Problem = (&'static str, String, String);

/// Fills every local image placeholder of `site`'s pages and sections with
/// its markup, and returns the variants to make. `statics` are the files
/// of `static/` (absolute path, output path).
pub fn plan(
    root: &Path,
    site: &mut Site,
    statics: &[(PathBuf, String)],
) -> (Plan, Vec<Diagnostic>) {
    let settings = site.config.images.clone();
    let mut diagnostics = Vec::new();
    let content_root = root.join(load::CONTENT_DIR);
    let assets: Vec<(String, &crate::model::OutputAsset)> = site
        .assets
        .iter()
        .filter_map(|a| {
            let source = a.absolute.strip_prefix(&content_root).ok()?.to_str()?;
            Some((source.replace('\\', "/"), a))
        })
        .collect();
    let index = Index {
        by_source: assets.iter().map(|(s, a)| (s.as_str(), *a)).collect(),
        by_output: assets
            .iter()
            .map(|(_, a)| (a.output.as_str(), *a))
            .collect(),
        statics: statics
            .iter()
            .map(|(abs, rel)| (rel.as_str(), abs.as_path()))
            .collect(),
        content_root: &content_root,
    };

    // Each document's references, resolved; each file once.
    let docs: Vec<(bool, usize, String, Vec<LocalImage>)> = site
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (true, i, s.source.clone(), s.facts.local_images.clone()))
        .chain(
            site.pages
                .iter()
                .enumerate()
                .map(|(i, p)| (false, i, p.source.clone(), p.facts.local_images.clone())),
        )
        .filter(|(_, _, _, images)| !images.is_empty())
        .collect();
    let mut targets: Vec<Target> = Vec::new();
    let mut target_of: HashMap<PathBuf, usize> = HashMap::new();
    let mut resolved: Vec<Vec<Option<usize>>> = Vec::with_capacity(docs.len());
    for (_, _, source, images) in &docs {
        let mut ids = Vec::with_capacity(images.len());
        for image in images {
            match index.resolve(image) {
                Ok(target) => {
                    let id = *target_of.entry(target.absolute.clone()).or_insert_with(|| {
                        targets.push(target);
                        targets.len() - 1
                    });
                    ids.push(Some(id));
                }
                Err((message, hint)) => {
                    diagnostics.push(
                        Diagnostic::error("E-IMAGE-MISSING", load::content_path(source), message)
                            .at(image.location)
                            .hint(hint),
                    );
                    ids.push(None);
                }
            }
        }
        resolved.push(ids);
    }

    // Headers, read in parallel: hashing is most of the cost.
    let infos: Vec<Option<Result<Info, Problem>>> = targets
        .par_iter()
        .map(|t| processable(&t.shown).then(|| inspect(&t.absolute, &t.shown)))
        .collect();

    let mut jobs: Vec<Option<Job>> = targets.iter().map(|_| None).collect();
    let mut reported = vec![false; targets.len()];
    for ((is_section, i, source, images), ids) in docs.iter().zip(&resolved) {
        let mut html = Vec::with_capacity(images.len());
        for (n, (image, id)) in images.iter().zip(ids).enumerate() {
            let Some(id) = *id else {
                html.push(String::new());
                continue;
            };
            let (Some(target), Some(info)) = (targets.get(id), infos.get(id)) else {
                html.push(String::new());
                continue;
            };
            let eager = n == 0;
            match info {
                None => html.push(markup::plain(image, &target.output, eager)),
                Some(Err((code, message, hint))) => {
                    if !std::mem::replace(&mut reported[id], true) {
                        diagnostics.push(
                            Diagnostic::error(code, load::content_path(source), message.clone())
                                .at(image.location)
                                .hint(hint.clone()),
                        );
                    }
                    html.push(String::new());
                }
                Some(Ok(info)) => {
                    let variants = variants(info, &settings, &target.output);
                    html.push(markup::picture(
                        image,
                        info,
                        &variants,
                        &target.output,
                        &settings,
                        eager,
                    ));
                    if let Some(slot) = jobs.get_mut(id).filter(|j| j.is_none()) {
                        *slot = Some(Job {
                            absolute: target.absolute.clone(),
                            shown: target.shown.clone(),
                            hash: info.hash,
                            variants,
                        });
                    }
                }
            }
        }
        let content = if *is_section {
            &mut site.sections[*i].content
        } else {
            &mut site.pages[*i].content
        };
        *content = Arc::from(load::markdown::fill_images(content, &html));
    }
    let plan = Plan {
        jobs: jobs.into_iter().flatten().collect(),
        quality: settings.quality,
    };
    (plan, diagnostics)
}

struct Index<'a> {
    by_source: HashMap<&'a str, &'a crate::model::OutputAsset>,
    by_output: HashMap<&'a str, &'a crate::model::OutputAsset>,
    statics: HashMap<&'a str, &'a Path>,
    content_root: &'a Path,
}

impl Index<'_> {
    /// The file `image` names, or why there is none (message, hint).
    fn resolve(&self, image: &LocalImage) -> Result<Target, (String, String)> {
        if let Some(rooted) = image.src.strip_prefix('/') {
            let Some(path) = load::markdown::normalize(rooted) else {
                return Err(missing(&image.src, "it climbs out of the site", Vec::new()));
            };
            if let Some(absolute) = self.statics.get(path.as_str()) {
                return Ok(Target {
                    absolute: absolute.to_path_buf(),
                    shown: format!("static/{path}"),
                    output: path,
                });
            }
            if let Some(asset) = self.by_output.get(path.as_str()) {
                return Ok(self.asset_target(asset));
            }
            let names = self
                .statics
                .keys()
                .copied()
                .chain(self.by_output.keys().copied())
                .filter(|n| load::parent_dir(n) == load::parent_dir(&path))
                .collect();
            return Err(missing(
                &image.src,
                &format!("there is no `static/{path}`"),
                closest(&path, names, "/"),
            ));
        }
        let joined = if image.dir.is_empty() {
            image.src.clone()
        } else {
            format!("{}/{}", image.dir, image.src)
        };
        let Some(source) = load::markdown::normalize(&joined) else {
            return Err(missing(
                &image.src,
                "it climbs out of `content/`",
                Vec::new(),
            ));
        };
        if let Some(asset) = self.by_source.get(source.as_str()) {
            return Ok(self.asset_target(asset));
        }
        let names = self
            .by_source
            .keys()
            .copied()
            .filter(|n| load::parent_dir(n) == load::parent_dir(&source))
            .map(load::file_name)
            .collect();
        let dir = load::parent_dir(&image.src);
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let suggestions = closest(load::file_name(&source), names, &prefix);
        Err(missing(
            &image.src,
            &format!("there is no `content/{source}`"),
            suggestions,
        ))
    }

    fn asset_target(&self, asset: &crate::model::OutputAsset) -> Target {
        let shown = asset
            .absolute
            .strip_prefix(self.content_root)
            .map(|p| format!("content/{}", p.to_string_lossy().replace('\\', "/")))
            .unwrap_or_else(|_| asset.absolute.to_string_lossy().into_owned());
        Target {
            absolute: asset.absolute.clone(),
            shown,
            output: asset.output.clone(),
        }
    }
}

/// The message and hint for an image file that is not there.
fn missing(src: &str, why: &str, suggestions: Vec<String>) -> (String, String) {
    let message = format!("image `{src}` not found: {why}");
    let hint = match suggestions.as_slice() {
        [] => "put the file next to the page (a relative address such as `map.png`), or in `static/` (an address such as `/images/map.png`)".to_string(),
        [one] => format!("did you mean `{one}`?"),
        many => format!("did you mean one of {}?", many.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
    };
    (message, hint)
}

/// The names in `names` closest to `name` (at most three), as the editor
/// would write them (`prefix` + name).
fn closest(name: &str, names: Vec<&str>, prefix: &str) -> Vec<String> {
    let wanted = load::file_name(name).to_lowercase();
    let mut scored: Vec<(f64, &str)> = names
        .into_iter()
        .map(|n| {
            let base = load::file_name(n);
            (strsim::jaro_winkler(&wanted, &base.to_lowercase()), n)
        })
        .filter(|(score, _)| *score > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| {
            if prefix == "/" {
                format!("/{n}")
            } else {
                format!("{prefix}{}", load::file_name(n))
            }
        })
        .collect()
}

/// Whether dossier resizes this file (by its name: JPEG, PNG, WebP). Other
/// images (SVG, GIF, AVIF) are linked as they are.
fn processable(shown: &str) -> bool {
    let ext = shown.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("jpg" | "jpeg" | "png" | "webp"))
}

/// Reads and hashes `path`, and its header only: nothing is decoded, so a
/// huge or hostile file costs its reading and no more.
pub(crate) fn inspect(path: &Path, shown: &str) -> Result<Info, Problem> {
    let bad = |message: String, hint: &str| ("E-IMAGE-BAD", message, hint.to_string());
    let too_large = |message: String| {
        (
            "E-IMAGE-TOO-LARGE",
            message,
            format!(
                "make the image smaller first: at most {MAX_SIDE} pixels a side, {} megapixels and {} MiB",
                MAX_PIXELS / 1_000_000,
                MAX_BYTES / 1024 / 1024
            ),
        )
    };
    let size = std::fs::metadata(path)
        .map_err(|e| {
            bad(
                format!("cannot read `{shown}`: {e}"),
                "check the file's permissions",
            )
        })?
        .len();
    if size > MAX_BYTES {
        return Err(too_large(format!(
            "`{shown}` is {} MiB, more than the {} MiB an image may have",
            size / 1024 / 1024,
            MAX_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        bad(
            format!("cannot read `{shown}`: {e}"),
            "check the file's permissions",
        )
    })?;
    let hash = blake3::hash(&bytes);
    let not_an_image = || {
        bad(
            format!("`{shown}` is not a JPEG, PNG or WebP image"),
            "save the image again as JPEG (photos) or PNG (drawings, charts) and replace the file",
        )
    };
    let reader = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|_| not_an_image())?;
    let format = reader
        .format()
        .and_then(Format::of)
        .ok_or_else(not_an_image)?;
    let mut decoder = reader.into_decoder().map_err(|e| {
        bad(
            format!("`{shown}` cannot be read as an image: {e}"),
            "the file may be damaged or cut short; save the image again and replace the file",
        )
    })?;
    let (mut width, mut height) = image::ImageDecoder::dimensions(&decoder);
    if width == 0 || height == 0 {
        return Err(bad(
            format!("`{shown}` has no pixels ({width} × {height})"),
            "replace the file",
        ));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_large(format!(
            "`{shown}` is {width} × {height} pixels, larger than an image may be"
        )));
    }
    let orientation = image::ImageDecoder::orientation(&mut decoder)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    if swaps_sides(orientation) {
        std::mem::swap(&mut width, &mut height);
    }
    Ok(Info {
        hash,
        format,
        width,
        height,
    })
}

/// Whether an EXIF orientation turns the image on its side.
pub(crate) fn swaps_sides(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// The variants of an image: the configured widths it is wider than, and
/// its own width when a configured width is not below it (never upscaled);
/// each in the image's own format and the extra formats.
fn variants(info: &Info, settings: &ImageSettings, output: &str) -> Vec<Variant> {
    if !settings.process {
        return Vec::new();
    }
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|w| *w < info.width)
        .collect();
    if widths.len() < settings.widths.len() || widths.is_empty() {
        widths.push(info.width);
    }
    // WebP is written losslessly (see `encode.rs`): smaller than PNG, but
    // several times larger than a JPEG photo, so JPEGs stay JPEG only.
    let mut formats = vec![info.format];
    if info.format == Format::Png {
        formats.extend(settings.formats.iter().map(|f| Format::extra(*f)));
    }
    let (dir, name) = match output.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), output),
    };
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut out = Vec::new();
    for format in formats {
        for &width in &widths {
            let height = scaled_height(info, width);
            let key = key(info, format, width, height, settings.quality);
            out.push(Variant {
                width,
                height,
                format,
                output: format!("{dir}{stem}-{width}w.{}.{}", &key[..8], format.ext()),
                key,
            });
        }
    }
    out
}

/// The height at `width`, keeping the aspect ratio; at least 1.
fn scaled_height(info: &Info, width: u32) -> u32 {
    if width == info.width {
        return info.height;
    }
    let h = (u64::from(info.height) * u64::from(width) + u64::from(info.width) / 2)
        / u64::from(info.width);
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// Bump when the encoders or the resizing change what they write, so old
/// cache entries are not used.
const PIPELINE_VERSION: &str = "dossier-images-1 image-0.25 lanczos3";

/// A hash of everything a variant's bytes depend on.
fn key(info: &Info, format: Format, width: u32, height: u32, quality: u8) -> String {
    let mut h = blake3::Hasher::new();
    h.update(PIPELINE_VERSION.as_bytes());
    h.update(info.hash.as_bytes());
    h.update(format.ext().as_bytes());
    h.update(&width.to_le_bytes());
    h.update(&height.to_le_bytes());
    if format == Format::Jpeg {
        h.update(&[quality]);
    }
    h.finalize().to_hex().as_str()[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(width: u32, height: u32) -> Info {
        Info {
            hash: blake3::hash(b"x"),
            format: Format::Jpeg,
            width,
            height,
        }
    }

    #[test]
    fn variants_never_upscale_and_keep_the_aspect_ratio() {
        let settings = ImageSettings::default();
        let v = variants(&info(1200, 800), &settings, "p/map.jpg");
        let jpeg: Vec<(u32, u32)> = v
            .iter()
            .filter(|v| v.format == Format::Jpeg)
            .map(|v| (v.width, v.height))
            .collect();
        assert_eq!(jpeg, [(480, 320), (960, 640), (1200, 800)]);
        assert_eq!(v.len(), 3, "a JPEG is not written as lossless WebP");
        let png = Info {
            format: Format::Png,
            ..info(1200, 800)
        };
        assert_eq!(variants(&png, &settings, "p/map.png").len(), 6, "a PNG is");
        assert!(v[0].output.starts_with("p/map-480w."), "{}", v[0].output);
        assert!(v[0].output.ends_with(".jpg"));
        let small = variants(&info(300, 100), &settings, "a.jpg");
        assert_eq!(small.iter().map(|v| v.width).collect::<Vec<_>>(), [300]);
        let big = variants(&info(4000, 3000), &settings, "a.jpg");
        assert_eq!(big.iter().map(|v| v.width).max(), Some(1600));
    }

    #[test]
    fn keys_change_with_every_parameter() {
        let i = info(100, 100);
        let base = key(&i, Format::Jpeg, 50, 50, 80);
        assert_ne!(base, key(&i, Format::Jpeg, 50, 50, 81));
        assert_ne!(base, key(&i, Format::Jpeg, 60, 60, 80));
        assert_ne!(base, key(&i, Format::Webp, 50, 50, 80));
        assert_ne!(
            base,
            key(&info(100, 100).tap_hash(), Format::Jpeg, 50, 50, 80)
        );
        assert_eq!(base, key(&i, Format::Jpeg, 50, 50, 80));
    }

    impl Info {
        fn tap_hash(mut self) -> Self {
            self.hash = blake3::hash(b"y");
            self
        }
    }

    #[test]
    fn missing_files_get_the_closest_names() {
        assert_eq!(
            closest("japn.png", vec!["japan.png", "other.txt"], ""),
            ["japan.png"]
        );
        assert_eq!(
            closest("images/mapp.png", vec!["images/map.png"], "/"),
            ["/images/map.png"]
        );
    }
}
