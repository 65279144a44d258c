//! The image pipeline end to end: variants at the configured widths and
//! formats, the markup, no upscaling, the cache (reused, refreshed,
//! pruned, identical to a cold build), bad images and missing files, and the
//! dev server. Images are made here with the `image` crate.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;

use common::*;
use dossier::serve::dev::{Changes, DevSite};

/// A gradient, so resized images differ from each other and encoders have
/// real work.
fn pixels(width: u32, height: u32, seed: u8) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            seed,
        ])
    })
}

fn encoded(width: u32, height: u32, seed: u8, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels(width, height, seed))
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    encoded(width, height, seed, image::ImageFormat::Png)
}

fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    encoded(width, height, seed, image::ImageFormat::Jpeg)
}

const IMAGES_YAML: &str =
    "images: { widths: [100, 200, 400], formats: [webp], quality: 80, sizes: \"50vw\" }\n";

/// The base site, with a page showing a PNG next to it (300 × 150) and a
/// JPEG from `static/` (500 × 250).
fn site_with_images() -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", &format!("{SITE_YAML}{IMAGES_YAML}"));
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\nIntro.\n\n![A map of *Japan*](map.png)\n\n![A photo](/images/photo.jpg \"Tokyo\")\n",
    );
    site.write_bytes("content/partners/map.png", &png(300, 150, 1));
    site.write_bytes("static/images/photo.jpg", &jpeg(500, 250, 2));
    site
}

fn timed_build(site: &TestSite) -> Output {
    let out = site.out().display().to_string();
    let root = site.root_arg();
    let r = run_output(
        &["build", "--root", &root, "--out", &out],
        &RunOptions {
            env: vec![("DOSSIER_TIMINGS".into(), "1".into())],
            ..RunOptions::default()
        },
    );
    r.assert_success("build");
    r
}

/// `(variants, from the cache, encoded)` from a `DOSSIER_TIMINGS` build.
fn image_counts(stderr: &str) -> (usize, usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("images: ") && l.contains("variants"))
        .unwrap_or_else(|| panic!("no images line in:\n{stderr}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

/// Output files below `dir/` whose name starts with `stem-`, sorted.
fn variants_of(files: &BTreeMap<String, Vec<u8>>, prefix: &str) -> Vec<String> {
    files
        .keys()
        .filter(|k| k.starts_with(prefix))
        .cloned()
        .collect()
}

fn dimensions(bytes: &[u8]) -> (u32, u32) {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap()
}

/// The first opening tag `<name …>` in `html` that contains `marker`.
fn open_tag<'a>(html: &'a str, name: &str, marker: &str) -> &'a str {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .filter_map(|(i, _)| html[i..].find('>').map(|e| &html[i..=i + e]))
        .find(|t| t.contains(marker))
        .unwrap_or_else(|| panic!("no <{name} …{marker}…> in:\n{html}"))
}

fn cache_entries(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.path(".dossier-cache/images"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn images_are_resized_to_the_configured_widths_and_formats_never_upscaled() {
    let site = site_with_images();
    site.build_ok(&[]);
    let out = snapshot(&site.out());
    let map = variants_of(&out, "partners/map-");
    // 300 px wide: 100, 200 and its own 300 (not 400), as PNG and WebP.
    let widths = |ext: &str| -> Vec<(u32, u32)> {
        let mut w: Vec<(u32, u32)> = map
            .iter()
            .filter(|f| f.ends_with(ext))
            .map(|f| dimensions(&out[f]))
            .collect();
        w.sort();
        w
    };
    assert_eq!(
        widths(".png"),
        [(100, 50), (200, 100), (300, 150)],
        "{map:?}"
    );
    assert_eq!(
        widths(".webp"),
        [(100, 50), (200, 100), (300, 150)],
        "{map:?}"
    );
    for f in &map {
        let format = image::guess_format(&out[f]).unwrap();
        let expected = if f.ends_with(".webp") {
            image::ImageFormat::WebP
        } else {
            image::ImageFormat::Png
        };
        assert_eq!(format, expected, "{f}");
    }
    let photo = variants_of(&out, "images/photo-");
    let mut jpegs: Vec<(u32, u32)> = photo
        .iter()
        .filter(|f| f.ends_with(".jpg"))
        .map(|f| dimensions(&out[f]))
        .collect();
    jpegs.sort();
    assert_eq!(jpegs, [(100, 50), (200, 100), (400, 200)], "{photo:?}");
    assert_eq!(
        photo.iter().filter(|f| f.ends_with(".webp")).count(),
        0,
        "a JPEG is not written as lossless WebP: {photo:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let f = site.out().join(&map[0]);
        let mode = std::fs::metadata(&f).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o644,
            0o644,
            "variants are readable by the web server"
        );
    }
    // The originals are published as they were.
    assert!(out.contains_key("partners/map.png"));
    assert!(out.contains_key("images/photo.jpg"));
}

#[test]
fn markup_has_srcset_sizes_width_height_and_lazy_loading_after_the_first_image() {
    let site = site_with_images();
    site.build_ok(&[]);
    let html = site.read_out("partners/japan/index.html");
    let pictures: Vec<&str> = html.split("<picture>").skip(1).collect();
    assert_eq!(pictures.len(), 1, "only the PNG has a WebP source: {html}");
    let first = pictures[0];
    let source = open_tag(first, "source", "type=\"image/webp\"");
    assert!(source.contains("sizes=\"50vw\""), "{source}");
    assert!(
        source.contains("srcset=\"../../partners/map-100w."),
        "srcset is relative to the page: {source}"
    );
    assert!(
        source.contains(" 100w, ../../partners/map-200w."),
        "{source}"
    );
    assert!(source.contains(".webp 300w\""), "{source}");
    let img = open_tag(first, "img", "alt=");
    assert!(img.contains("width=\"300\" height=\"150\""), "{img}");
    assert!(img.contains("alt=\"A map of Japan\""), "{img}");
    assert!(img.contains("src=\"../../partners/map-300w."), "{img}");
    assert!(img.contains(".png 300w\""), "{img}");
    assert!(img.contains("decoding=\"async\""), "{img}");
    assert!(
        !img.contains("loading="),
        "the first image is not lazy: {img}"
    );
    let second = open_tag(&html, "img", "photo-400w");
    assert!(second.contains("width=\"400\" height=\"200\""), "{second}");
    assert!(second.contains("loading=\"lazy\""), "{second}");
    assert!(second.contains("title=\"Tokyo\""), "{second}");
    assert!(
        second.contains("src=\"../../images/photo-400w."),
        "{second}"
    );
    assert!(!html.contains('\0'), "no placeholder is left");
}

#[test]
fn the_second_build_reuses_the_cache_and_equals_a_cold_build() {
    let site = site_with_images();
    let cold = timed_build(&site);
    assert_eq!(image_counts(&cold.stderr), (9, 0, 9), "{}", cold.stderr);
    let first = snapshot(&site.out());
    let warm = timed_build(&site);
    assert_eq!(image_counts(&warm.stderr), (9, 9, 0), "{}", warm.stderr);
    assert_same_snapshot(&first, &snapshot(&site.out()), "a warm build");
    // Variants are hard links to the cache's entries: no bytes copied.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let out = snapshot(&site.out());
        let variant = variants_of(&out, "partners/map-").remove(0);
        let meta = std::fs::metadata(site.out().join(&variant)).unwrap();
        assert_eq!(meta.nlink(), 2, "{variant} is linked to its cache entry");
    }
    // A cold build again (cache removed): the same bytes.
    std::fs::remove_dir_all(site.path(".dossier-cache")).unwrap();
    let again = timed_build(&site);
    assert_eq!(image_counts(&again.stderr), (9, 0, 9));
    assert_same_snapshot(&first, &snapshot(&site.out()), "a cold build");
    assert!(
        !snapshot(&site.out())
            .keys()
            .any(|k| k.contains("dossier-cache")),
        "the cache is never in the output"
    );
}

#[test]
fn a_changed_image_is_reprocessed_and_old_entries_are_pruned() {
    let site = site_with_images();
    timed_build(&site);
    let before = snapshot(&site.out());
    assert_eq!(cache_entries(&site).len(), 9);
    site.write_bytes("content/partners/map.png", &png(300, 150, 99));
    let r = timed_build(&site);
    // The photo's three variants from the cache, the map's six made again.
    assert_eq!(image_counts(&r.stderr), (9, 3, 6), "{}", r.stderr);
    let after = snapshot(&site.out());
    let old = variants_of(&before, "partners/map-");
    let new = variants_of(&after, "partners/map-");
    assert_eq!(new.len(), 6);
    assert!(
        old.iter().all(|f| !new.contains(f)),
        "new names: {old:?} {new:?}"
    );
    assert_eq!(
        variants_of(&before, "images/photo-"),
        variants_of(&after, "images/photo-")
    );
    let html = site.read_out("partners/japan/index.html");
    assert!(
        html.contains(new[0].trim_start_matches("partners/")),
        "{html}"
    );
    // Entries of the old map are gone: the cache holds what the build used.
    assert_eq!(cache_entries(&site).len(), 9, "{:?}", cache_entries(&site));
    // An image no page shows any more leaves the cache too.
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\n![A photo](/images/photo.jpg)\n",
    );
    timed_build(&site);
    assert_eq!(cache_entries(&site).len(), 3, "{:?}", cache_entries(&site));
}

#[test]
fn a_changed_setting_makes_new_variants() {
    let site = site_with_images();
    timed_build(&site);
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}images: {{ widths: [100, 200, 400], quality: 60 }}\n"),
    );
    let r = timed_build(&site);
    // Only the JPEG's quality changed: its three JPEGs are made again.
    assert_eq!(image_counts(&r.stderr), (9, 6, 3), "{}", r.stderr);
}

#[test]
fn images_false_links_the_original_with_its_size() {
    let site = site_with_images();
    site.write("site.yaml", &format!("{SITE_YAML}images: false\n"));
    site.build_ok(&[]);
    let out = snapshot(&site.out());
    assert!(variants_of(&out, "partners/map-").is_empty());
    let html = site.read_out("partners/japan/index.html");
    assert!(
        html.contains("<img src=\"../../partners/map.png\" width=\"300\" height=\"150\" alt=\"A map of Japan\" decoding=\"async\">"),
        "{html}"
    );
}

#[test]
fn a_missing_image_is_an_error_at_its_line_with_a_suggestion() {
    let site = site_with_images();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\nIntro.\n\nSee ![A map](mapp.png) and ![B](/images/phot.jpg).\n",
    );
    let r = site.build(&[]);
    r.assert_code(1);
    assert_no_panic(&r.stderr);
    assert_mentions_at(&r.stderr, "content/partners/japan.md", 7, 5);
    assert!(r.stderr.contains("E-IMAGE-MISSING"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `map.png`?"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `/images/photo.jpg`?"),
        "{}",
        r.stderr
    );
    let check = site.check(&[]);
    check.assert_code(1);
    assert!(check.stderr.contains("E-IMAGE-MISSING"), "{}", check.stderr);
}

/// A PNG whose header says `width` × `height`, followed by `rest` of a real
/// small image's data: what a decompression bomb or a lying file looks like
/// to a decoder that trusts the header.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(8, 8, 3);
    // The IHDR chunk: 8 bytes of signature, 4 of length, 4 of type, then
    // width and height, and its CRC over type and data at 29..33.
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    bytes
}

fn bad_image_case(name: &str, bytes: &[u8], code: &str, words: &str) {
    let site = site_with_images();
    site.write(
        "content/partners/japan.md",
        &format!("---\ntitle: Japan\nweight: 1\n---\n![A bad image]({name})\n"),
    );
    site.write_bytes(&format!("content/partners/{name}"), bytes);
    let r = site.build(&[]);
    r.assert_code(1);
    assert_no_panic(&r.stderr);
    assert!(r.stderr.contains(code), "{name}: {}", r.stderr);
    assert!(
        r.stderr.contains(&format!("content/partners/{name}")),
        "{name}: the file is named: {}",
        r.stderr
    );
    assert!(r.stderr.contains(words), "{name}: {}", r.stderr);
    assert!(!site.out().exists(), "nothing was published");
}

#[test]
fn a_truncated_image_is_a_clear_error() {
    let full = png(300, 150, 4);
    bad_image_case(
        "cut.png",
        &full[..full.len() / 2],
        "E-IMAGE-BAD",
        "cannot be decoded",
    );
}

#[test]
fn a_file_that_is_not_an_image_is_a_clear_error() {
    bad_image_case(
        "notes.png",
        b"These are my notes, not a picture.\n",
        "E-IMAGE-BAD",
        "is not a JPEG, PNG or WebP image",
    );
}

#[test]
fn a_30000_by_30000_image_is_refused_before_decoding() {
    bad_image_case(
        "huge.png",
        &png_claiming(30_000, 30_000),
        "E-IMAGE-TOO-LARGE",
        "30000 × 30000 pixels",
    );
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    // Each side is allowed, the total (81 megapixels, 243 MiB decoded)
    // is not: the file itself is a few hundred bytes.
    let bomb = png_claiming(9_000, 9_000);
    assert!(bomb.len() < 1024);
    bad_image_case("bomb.png", &bomb, "E-IMAGE-TOO-LARGE", "9000 × 9000 pixels");
}

#[test]
fn a_png_that_lies_about_its_size_within_the_limits_is_a_clear_error() {
    // 4000 × 4000 is allowed, but the data is that of an 8 × 8 image.
    bad_image_case(
        "liar.png",
        &png_claiming(4_000, 4_000),
        "E-IMAGE-BAD",
        "cannot be decoded",
    );
}

#[test]
fn svg_images_are_checked_and_linked_as_they_are() {
    let site = site_with_images();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\n![A chart](chart.svg)\n",
    );
    site.write(
        "content/partners/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    site.build_ok(&[]);
    let html = site.read_out("partners/japan/index.html");
    assert!(
        html.contains("<img src=\"../../partners/chart.svg\" alt=\"A chart\" decoding=\"async\">"),
        "{html}"
    );
}

#[test]
fn the_dev_server_serves_the_variants_a_build_writes() {
    let site = site_with_images();
    let mut dev = DevSite::new(site.root(), false, None);
    dev.rebuild(&Changes::everything()).unwrap();
    site.build_ok(&[]);
    let built = snapshot(&site.out());
    let files = dev.files();
    let variants: Vec<String> = variants_of(&built, "partners/map-")
        .into_iter()
        .chain(variants_of(&built, "images/photo-"))
        .collect();
    assert_eq!(variants.len(), 9);
    for v in &variants {
        let served = files.get(v).unwrap_or_else(|| panic!("{v} is not served"));
        assert_eq!(&served[..], &built[v][..], "{v}");
    }
    // An edited image: new variants, the old ones gone.
    site.write_bytes("content/partners/map.png", &png(300, 150, 7));
    dev.rebuild(&Changes {
        statics: true,
        ..Changes::default()
    })
    .unwrap();
    let files = dev.files();
    for v in variants.iter().filter(|v| v.starts_with("partners/")) {
        assert!(files.get(v).is_none(), "{v} is stale");
    }
    let page = String::from_utf8(files.get("partners/japan/index.html").unwrap().to_vec()).unwrap();
    let fresh: Vec<&String> = files
        .iter()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with("partners/map-"))
        .collect();
    assert_eq!(fresh.len(), 6, "{fresh:?}");
    for f in fresh {
        assert!(
            page.contains(f.trim_start_matches("partners/")),
            "{f} in {page}"
        );
    }
    // A body edit adding an image goes through the model and gets its markup.
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nAbout.\n\n![A photo](/images/photo.jpg)\n",
    );
    dev.rebuild(&Changes {
        content: ["about.md".to_string()].into(),
        ..Changes::default()
    })
    .unwrap();
    let about = String::from_utf8(dev.files().get("about/index.html").unwrap().to_vec()).unwrap();
    assert!(
        about.contains("<img src=\"../images/photo-400w."),
        "{about}"
    );
    assert!(!about.contains('\0'));
}
