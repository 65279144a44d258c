//! Making the variants: decoding (within `image::Limits`), orienting,
//! resizing and encoding, in parallel, each variant taken from the cache
//! when it is there.
//!
//! Every encoder used is deterministic (the same pixels and settings give
//! the same bytes), which is what lets a cached variant stand for a freshly
//! made one. WebP is written losslessly: the `image` crate's WebP encoder
//! (`image-webp`, pure Rust) has no lossy mode, and a lossy one would mean
//! libwebp's C sources in every build.

use std::io::Cursor;
use std::path::PathBuf;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder};
use rayon::prelude::*;

use super::cache::Cache;
use super::limits;
use super::plan::{Format, Job, Plan, Variant};
use crate::diagnostics::Diagnostic;

/// Where a variant's bytes are.
#[derive(Debug)]
pub enum Data {
    /// In the cache.
    Cached(PathBuf),
    /// In memory: the cache could not be written.
    Bytes(Vec<u8>),
}

/// One variant, ready to be written at `output`.
#[derive(Debug)]
pub struct Made {
    pub output: String,
    pub data: Data,
    /// Its file name in the cache, for [`Cache::prune`].
    pub cache_name: String,
}

/// What [`process`] did, for `DOSSIER_TIMINGS` and the tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub variants: usize,
    pub from_cache: usize,
    pub encoded: usize,
}

/// Makes every variant of `plan`, in parallel, reusing `cache`.
pub fn process(plan: &Plan, cache: &Cache) -> (Vec<Made>, Vec<Diagnostic>, Stats) {
    let results: Vec<(Vec<Made>, Vec<Diagnostic>, Stats)> = plan
        .jobs
        .par_iter()
        .map(|job| {
            std::panic::catch_unwind(|| process_job(job, plan.quality, cache)).unwrap_or_else(
                |_| {
                    (
                        Vec::new(),
                        vec![
                            Diagnostic::error(
                                "E-IMAGE-BAD",
                                &job.shown,
                                format!(
                                    "`{}` could not be decoded (the decoder failed)",
                                    job.shown
                                ),
                            )
                            .hint("save the image again as JPEG or PNG and replace the file"),
                        ],
                        Stats::default(),
                    )
                },
            )
        })
        .collect();
    let mut made = Vec::new();
    let mut diagnostics = Vec::new();
    let mut stats = Stats::default();
    let mut cache_warned = false;
    for (m, d, s) in results {
        made.extend(m);
        for d in d {
            // One warning about the cache is enough.
            if d.code == "W-IMAGE-CACHE" && std::mem::replace(&mut cache_warned, true) {
                continue;
            }
            diagnostics.push(d);
        }
        stats.variants += s.variants;
        stats.from_cache += s.from_cache;
        stats.encoded += s.encoded;
    }
    (made, diagnostics, stats)
}

fn process_job(job: &Job, quality: u8, cache: &Cache) -> (Vec<Made>, Vec<Diagnostic>, Stats) {
    let mut stats = Stats {
        variants: job.variants.len(),
        ..Stats::default()
    };
    let mut made = Vec::with_capacity(job.variants.len());
    let mut missing: Vec<&Variant> = Vec::new();
    for v in &job.variants {
        let path = cache.path(&v.key, v.format.ext());
        if path.is_file() {
            stats.from_cache += 1;
            made.push(Made {
                output: v.output.clone(),
                data: Data::Cached(path),
                cache_name: cache_name(v),
            });
        } else {
            missing.push(v);
        }
    }
    if missing.is_empty() {
        return (made, Vec::new(), stats);
    }
    let image = match decode(job) {
        Ok(image) => image,
        Err(d) => return (Vec::new(), vec![d], stats),
    };
    let encoded: Vec<(&Variant, Result<Vec<u8>, String>)> = missing
        .par_iter()
        .map(|v| (*v, encode(&image, v, quality)))
        .collect();
    let mut diagnostics = Vec::new();
    for (v, bytes) in encoded {
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(
                        "E-IMAGE-BAD",
                        &job.shown,
                        format!(
                            "`{}` could not be written as {}: {e}",
                            job.shown,
                            v.format.mime()
                        ),
                    )
                    .hint("save the image again as JPEG or PNG and replace the file"),
                );
                continue;
            }
        };
        stats.encoded += 1;
        let data = match cache.store(&v.key, v.format.ext(), &bytes) {
            Ok(path) => Data::Cached(path),
            Err(e) => {
                diagnostics.push(
                    Diagnostic::warning(
                        "W-IMAGE-CACHE",
                        super::CACHE_DIR,
                        format!("the image cache cannot be written ({e}); images are made again on every build"),
                    )
                    .hint("check that the site folder is writable, or remove .dossier-cache/"),
                );
                Data::Bytes(bytes)
            }
        };
        made.push(Made {
            output: v.output.clone(),
            data,
            cache_name: cache_name(v),
        });
    }
    (made, diagnostics, stats)
}

fn cache_name(v: &Variant) -> String {
    format!("{}.{}", v.key, v.format.ext())
}

/// Reads and decodes the source, checking it is still the file the plan
/// hashed, within [`limits`], with its EXIF orientation applied.
fn decode(job: &Job) -> Result<DynamicImage, Diagnostic> {
    let bad = |message: String| {
        Diagnostic::error("E-IMAGE-BAD", &job.shown, message)
            .hint("the file may be damaged or cut short; save the image again and replace the file")
    };
    let bytes = std::fs::read(&job.absolute)
        .map_err(|e| bad(format!("cannot read `{}`: {e}", job.shown)))?;
    if blake3::hash(&bytes) != job.hash {
        return Err(Diagnostic::error(
            "E-CONTENT-CHANGED",
            &job.shown,
            "the image changed while the build ran",
        )
        .hint("wait until the image is saved, then build again"));
    }
    let mut reader = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| bad(format!("`{}` cannot be read: {e}", job.shown)))?;
    reader.limits(limits());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| bad(format!("`{}` cannot be read as an image: {e}", job.shown)))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)
        .map_err(|e| bad(format!("`{}` cannot be decoded: {e}", job.shown)))?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// One variant's bytes.
fn encode(image: &DynamicImage, v: &Variant, quality: u8) -> Result<Vec<u8>, String> {
    let resized;
    let image = if image.width() == v.width && image.height() == v.height {
        image
    } else {
        resized = image.resize_exact(v.width, v.height, FilterType::Lanczos3);
        &resized
    };
    let mut out = Vec::new();
    let result = match v.format {
        Format::Jpeg => {
            JpegEncoder::new_with_quality(&mut out, quality).encode_image(&image.to_rgb8())
        }
        Format::Png => image.write_with_encoder(PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Default,
            PngFilter::Adaptive,
        )),
        Format::Webp => {
            let encoder = WebPEncoder::new_lossless(&mut out);
            if image.color().has_alpha() {
                image.to_rgba8().write_with_encoder(encoder)
            } else {
                image.to_rgb8().write_with_encoder(encoder)
            }
        }
    };
    result.map(|()| out).map_err(|e| e.to_string())
}
