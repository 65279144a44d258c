//! The image stage: images referenced from Markdown, resized, re-encoded
//! and written as responsive markup.
//!
//! It runs between the model and rendering, in two steps:
//!
//! 1. [`plan`] finds each local image's file (next to the page in
//!    `content/`, or in `static/`), reads its size from the header only,
//!    hashes it, decides its variants (the configured widths it is wider
//!    than, never upscaled; its own format plus WebP) and fills the
//!    placeholders `load::markdown` left in the pages' HTML with the final
//!    `<picture>` markup. Missing files and bad headers are errors at the
//!    Markdown file:line:col. `dossier check` stops here.
//! 2. [`process`] makes the variants, in parallel, from the cache when it
//!    can: a variant's file name in `.dossier-cache/images/` is a hash of the
//!    source's bytes and every parameter that shapes it, so an entry is
//!    never stale, and the encoders are deterministic, so a warm build gives
//!    the same bytes as a cold one. [`Cache::prune`] removes what the last
//!    build did not use.
//!
//! Variants are named `<stem>-<width>w.<hash>.<ext>` beside the image's
//! own output path: the hash changes with the source and the settings, so a
//! host may cache them for ever.

mod cache;
mod encode;
mod markup;
mod plan;

pub use cache::{CACHE_DIR, Cache};
pub use encode::{Data, Made, Stats, process};
pub use plan::{Plan, plan};

/// The largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels accepted (64 megapixels: a 256 MiB RGBA image).
pub const MAX_PIXELS: u64 = 64_000_000;
/// The largest image file accepted.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// The most memory one decode may take.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// What the decoder may allocate, so a file that lies about its size cannot
/// take more than [`MAX_ALLOC`].
fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}
