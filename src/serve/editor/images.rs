//! Images added from the editor (file picker or drag and drop): stored in
//! `static/images/`, published at `/images/<name>`, never over a file that
//! is there.
//!
//! The body is the image's bytes, at most 1 MiB (the server's body limit),
//! sent with its type: PNG, JPEG, GIF or WebP, and the bytes must start as
//! that type does. SVG is refused: it can carry scripts, and the preview
//! shares the editor's origin. The name is reduced to a slug of letters,
//! digits and dashes, so it cannot name another folder; a name in use gets
//! `-2`, `-3`… The file is written to a temporary file in the same folder
//! and renamed without replacing anything (`persist_noclobber`).

use std::io::Write;
use std::path::Path;

use hyper::StatusCode;
use serde_json::{Value as Json, json};

use super::paths;

/// Where images go below the site root, and their site path.
const FOLDER: &str = "static/images";
const SITE_PATH: &str = "/images/";

/// The content types accepted, with their extension and first bytes.
const KINDS: &[(&str, &str, &[u8])] = &[
    ("image/png", "png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", "jpg", b"\xff\xd8\xff"),
    ("image/gif", "gif", b"GIF8"),
    ("image/webp", "webp", b"RIFF"),
];

/// Whether `content_type` is one the image endpoint takes.
pub fn accepts(content_type: &str) -> bool {
    kind(content_type).is_some()
}

fn kind(content_type: &str) -> Option<&'static (&'static str, &'static str, &'static [u8])> {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    KINDS
        .iter()
        .find(|(name, _, _)| essence.eq_ignore_ascii_case(name))
}

/// Stores `bytes` under a name made from `wanted`; answers its site path.
pub fn add(
    root: &Path,
    wanted: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<Json, (StatusCode, String)> {
    let Some((_, extension, magic)) = kind(content_type) else {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "only PNG, JPEG, GIF and WebP images can be added (not SVG)".into(),
        ));
    };
    let webp = *extension != "webp" || bytes.get(8..12) == Some(b"WEBP");
    if !bytes.starts_with(magic) || !webp {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("this file is not a {} image", extension.to_uppercase()),
        ));
    }
    let stem = wanted.rsplit_once('.').map_or(wanted, |(stem, _)| stem);
    let mut stem = slug::slugify(stem);
    stem.truncate(80);
    if stem.is_empty() {
        stem = "image".into();
    }
    let folder = paths::static_folder(root, FOLDER)
        .map_err(|paths::Refused(why)| (StatusCode::FORBIDDEN, why))?;
    let failed = |e: std::io::Error| {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the image was not added: {e}"),
        )
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".dossier-edit-")
        .tempfile_in(&folder)
        .map_err(failed)?;
    temporary.write_all(bytes).map_err(failed)?;
    temporary.as_file().sync_all().map_err(failed)?;
    for n in 1..1000 {
        let name = match n {
            1 => format!("{stem}.{extension}"),
            n => format!("{stem}-{n}.{extension}"),
        };
        match temporary.persist_noclobber(folder.join(&name)) {
            Ok(_) => {
                let path = format!("{SITE_PATH}{name}");
                return Ok(json!({ "path": path, "name": name }));
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temporary = e.file,
            Err(e) => return Err(failed(e.error)),
        }
    }
    Err((
        StatusCode::CONFLICT,
        "too many images with this name; rename the file".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_taken_by_their_essence() {
        assert!(accepts("image/png"));
        assert!(accepts("IMAGE/JPEG; charset=binary"));
        assert!(!accepts("image/svg+xml"));
        assert!(!accepts("application/json"));
    }

    #[test]
    fn names_become_slugs_and_never_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let png = b"\x89PNG\r\n\x1a\nrest";
        let first = add(dir.path(), "../../Map of Japan.PNG", "image/png", png).unwrap();
        assert_eq!(first["path"], "/images/map-of-japan.png");
        let second = add(
            dir.path(),
            "map of japan.png",
            "image/png",
            b"\x89PNG\r\n\x1a\nnew",
        )
        .unwrap();
        assert_eq!(second["path"], "/images/map-of-japan-2.png");
        let kept = std::fs::read(dir.path().join("static/images/map-of-japan.png")).unwrap();
        assert_eq!(kept, png);
        assert_eq!(
            add(dir.path(), "x.png", "image/png", b"<svg>")
                .unwrap_err()
                .0,
            415
        );
        assert_eq!(
            add(dir.path(), "x.svg", "image/svg+xml", b"<svg>")
                .unwrap_err()
                .0,
            415
        );
        assert_eq!(
            add(dir.path(), "x.webp", "image/webp", b"RIFF0000WAVE")
                .unwrap_err()
                .0,
            415
        );
        assert_eq!(
            add(dir.path(), "???", "image/gif", b"GIF89a").unwrap()["name"],
            "image.gif"
        );
    }
}
