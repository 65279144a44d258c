//! Slugs and site paths.
//!
//! A *site path* is the root-relative URL of a page, always of the form `/`
//! or `/a/b/` (pretty URLs: the page is written to `a/b/index.html`). Every
//! segment is a slug (see [`Slugify`] for what each strategy keeps), written
//! in the path percent-encoded, so a site path is plain ASCII that can go
//! into any link, sitemap or redirect map as it is. Decoded, a segment is
//! never empty, never `.` or `..`, never starts with `.`, and holds no `/`,
//! `\`, control character or character Windows refuses in a name
//! (`<>:"|?*`). That invariant is what guarantees no page is ever written
//! outside the output folder, whatever a file or slug is called.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

pub use crate::config::Slugify;

/// The longest name most file systems take for one file or folder (ext4,
/// XFS, APFS, NTFS: 255 bytes). Transliteration can make a slug longer than
/// the name it came from (`東京` becomes `dong-jing`).
pub const MAX_SEGMENT_BYTES: usize = 255;
/// The longest site path dossier writes. Linux refuses paths over 4,096
/// bytes; this leaves room for the output folder's own path.
pub const MAX_PATH_BYTES: usize = 1024;

/// What a URL segment keeps as it is; everything else is percent-encoded.
/// The unreserved characters of RFC 3986 and `+` (literal in a path).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'+');

/// Why `path` (a site path) is too long to be written, if it is.
pub fn path_too_long(path: &str) -> Option<String> {
    if let Some(segment) = path
        .split('/')
        .map(decode)
        .find(|s| s.len() > MAX_SEGMENT_BYTES)
    {
        let shown: String = segment.chars().take(40).collect();
        return Some(format!(
            "its URL has a part `{shown}…` of {} bytes, and file systems allow at most {MAX_SEGMENT_BYTES} bytes per name",
            segment.len()
        ));
    }
    let bytes = decode(path).len();
    (bytes > MAX_PATH_BYTES).then(|| {
        format!("its URL is {bytes} bytes long, and dossier writes paths of at most {MAX_PATH_BYTES} bytes")
    })
}

/// Turns an editor's `slug:` value into a URL segment (encoded), or explains
/// why it cannot be one. Unlike a file name, a `slug:` with a slash or `..`
/// is refused: it says the editor meant something a slug cannot do.
pub fn slug_from(value: &str, strategy: Slugify) -> Result<String, String> {
    if value.contains('/') || value.contains('\\') {
        return Err(format!(
            "`{value}` contains a slash; a slug is one path segment"
        ));
    }
    if value.contains("..") {
        return Err(format!(
            "`{value}` contains `..`; a slug cannot point elsewhere"
        ));
    }
    segment(value, strategy)
}

/// The URL segment (encoded) of a file or folder name under `strategy`. A
/// name that leaves nothing (`[`, `((`, `%`) is named after its characters'
/// Unicode names (`left-square-bracket`), so it always gets a stable,
/// readable address. Fails only when the segment would be too long to be a
/// file name.
pub fn segment(name: &str, strategy: Slugify) -> Result<String, String> {
    let mut slug = reduce(name, strategy);
    if slug.is_empty() {
        slug = named_after_characters(name);
    }
    if slug.is_empty() {
        return Err(format!("nothing is left of `{name}` to make a URL from"));
    }
    if slug.len() > MAX_SEGMENT_BYTES {
        return Err(format!(
            "its URL part would be {} bytes long, and file systems allow at most {MAX_SEGMENT_BYTES} bytes per name",
            slug.len()
        ));
    }
    Ok(encode(&slug))
}

/// `name` reduced by `strategy`, decoded; maybe empty.
fn reduce(name: &str, strategy: Slugify) -> String {
    match strategy {
        Slugify::Strict => slug::slugify(name),
        Slugify::Safe => {
            let mut out = String::with_capacity(name.len());
            let mut dash = false;
            for c in name.chars() {
                if unicode_ident::is_xid_continue(c) || matches!(c, '+' | '.' | '~') {
                    if dash && !out.is_empty() {
                        out.push('-');
                    }
                    dash = false;
                    if c == '.' && out.ends_with('.') {
                        continue; // never `..`
                    }
                    out.extend(c.to_lowercase());
                } else {
                    dash = true;
                }
            }
            trim_unsafe_ends(&out)
        }
        Slugify::Off => {
            let kept: String = name
                .chars()
                .filter(|c| {
                    !c.is_control()
                        && !matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
                })
                .collect();
            let mut out = String::with_capacity(kept.len());
            for c in kept.chars() {
                if c == '.' && out.ends_with('.') {
                    continue;
                }
                out.push(c);
            }
            trim_unsafe_ends(&out)
        }
    }
}

/// No leading dot (a hidden file, or `.`/`..`), no trailing dot or space
/// (Windows drops them), no leading or trailing `-` or space.
fn trim_unsafe_ends(s: &str) -> String {
    s.trim_start_matches(['.', '-', ' '])
        .trim_end_matches(['.', '-', ' '])
        .to_string()
}

/// `[(` → `left-square-bracket-left-parenthesis`, from the Unicode names of
/// the characters (unicode_names2), cut at a `-` to fit in a segment.
fn named_after_characters(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let word = match unicode_names2::name(c) {
            Some(n) => slug::slugify(n.to_string()),
            None if c.is_control() => continue,
            None => format!("u{:04x}", c as u32),
        };
        if word.is_empty() {
            continue;
        }
        if out.len() + word.len() + 1 > MAX_SEGMENT_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    out
}

/// A decoded segment as it is written in a URL.
pub fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// An encoded site path or segment as it is written on disk.
pub fn decode(encoded: &str) -> String {
    percent_decode_str(encoded).decode_utf8_lossy().into_owned()
}

/// The site path of a content folder (`partners/Asia` → `/partners/asia/`),
/// each folder slugified by the strategy `strategy_of` gives for it (by its
/// path below `content/`). Under `strict`, folder names that reduce to
/// nothing are skipped rather than producing `//` (as dossier always did);
/// under the other strategies they are named after their characters.
pub fn dir_path(dir: &str, strategy_of: &dyn Fn(&str) -> Slugify) -> String {
    let mut path = String::from("/");
    let mut end = 0;
    for part in dir.split('/') {
        end += part.len();
        let here = &dir[..end];
        end += 1;
        if part.is_empty() {
            continue;
        }
        let strategy = strategy_of(here);
        let slug = match strategy {
            Slugify::Strict => slug::slugify(part),
            _ => segment(part, strategy).unwrap_or_default(),
        };
        if !slug.is_empty() {
            path.push_str(&slug);
            path.push('/');
        }
    }
    path
}

/// An address written by an editor (an alias, a retired URL) as a site
/// path: `/partners/south-korea/`, `partners/south-korea` (the leading and
/// trailing `/` are added) or a file such as `/old/page.html`. Each segment
/// is percent-decoded, checked like a slug's (not empty, not `.` or `..`,
/// no `\`, control character or `<>:"|?*`, at most 255 bytes) and encoded
/// again, so the result is in the same form as every page's path.
pub fn site_path_from(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.contains("://") {
        return Err(
            "write the path only, without the site's address (e.g. /partners/japan/)".into(),
        );
    }
    if raw.contains(['?', '#']) {
        return Err("a static site cannot redirect a query (`?`) or a fragment (`#`)".into());
    }
    let trimmed = raw.trim_matches('/');
    if trimmed.is_empty() {
        return Ok("/".into());
    }
    let mut path = String::from("/");
    let segments: Vec<&str> = trimmed.split('/').collect();
    for (i, part) in segments.iter().enumerate() {
        let decoded = percent_decode_str(part)
            .decode_utf8()
            .map_err(|_| format!("`{part}` is not UTF-8 once decoded"))?;
        if decoded.is_empty() {
            return Err("it has an empty part (`//`)".into());
        }
        if decoded == "." || decoded == ".." {
            return Err(format!(
                "it has a `{decoded}` part; a path cannot point elsewhere"
            ));
        }
        if decoded.starts_with('.') {
            return Err(format!(
                "`{decoded}` starts with a dot (a hidden file, which hosts do not serve)"
            ));
        }
        if let Some(c) = decoded.chars().find(|c| {
            c.is_control() || matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
        }) {
            return Err(format!(
                "`{decoded}` holds `{}`, which cannot be in a file name",
                c.escape_default()
            ));
        }
        if decoded.len() > MAX_SEGMENT_BYTES {
            return Err(format!(
                "a part is {} bytes long; at most {MAX_SEGMENT_BYTES}",
                decoded.len()
            ));
        }
        path.push_str(&encode(&decoded));
        let is_last = i + 1 == segments.len();
        let names_a_file = is_last
            && !raw.ends_with('/')
            && (decoded.ends_with(".html") || decoded.ends_with(".htm"));
        if !names_a_file {
            path.push('/');
        }
    }
    if let Some(why) = path_too_long(&path) {
        return Err(why);
    }
    Ok(path)
}

/// `/a/b/` + `c` → `/a/b/c/`.
pub fn child_path(parent: &str, slug: &str) -> String {
    format!("{parent}{slug}/")
}

/// The output file of a site path, decoded: `/` → `index.html`,
/// `/a/b/` → `a/b/index.html`, and a path naming a file (an alias such as
/// `/old/page.html`) → that file.
pub fn output_file(path: &str) -> String {
    let relative = decode(path.trim_start_matches('/'));
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(dir: &str) -> String {
        dir_path(dir, &|_| Slugify::Strict)
    }

    #[test]
    fn slugs_are_safe_segments() {
        let s = Slugify::Strict;
        assert_eq!(
            slug_from("Republic of Korea", s).unwrap(),
            "republic-of-korea"
        );
        assert_eq!(slug_from("Michał", s).unwrap(), "michal");
        assert!(slug_from("a/b", s).is_err());
        assert!(slug_from("..", s).is_err());
        assert!(slug_from("x..y", s).is_err());
        assert_eq!(
            slug_from("!!!", s).unwrap(),
            "exclamation-mark-exclamation-mark-exclamation-mark"
        );
        assert!(slug_from("", s).is_err());
        assert_eq!(slug_from(&"a".repeat(255), s).unwrap().len(), 255);
        assert!(slug_from(&"a".repeat(256), s).is_err());
        // 85 CJK characters fit in 255 bytes; their transliteration does not.
        assert!(slug_from(&"東".repeat(85), s).is_err());
    }

    #[test]
    fn names_of_punctuation_get_readable_slugs_under_every_strategy() {
        for s in [Slugify::Strict, Slugify::Safe] {
            assert_eq!(segment("[", s).unwrap(), "left-square-bracket", "{s:?}");
            assert_eq!(
                segment("((", s).unwrap(),
                "left-parenthesis-left-parenthesis"
            );
            assert_eq!(segment("!", s).unwrap(), "exclamation-mark");
            assert_eq!(segment("%", s).unwrap(), "percent-sign");
        }
        // Under `off`, punctuation is a name of its own, encoded in the URL;
        // only what is unsafe in a file name leaves nothing.
        assert_eq!(segment("%", Slugify::Off).unwrap(), "%25");
        assert_eq!(segment("[", Slugify::Off).unwrap(), "%5B");
        assert_eq!(
            segment("??", Slugify::Off).unwrap(),
            "question-mark-question-mark"
        );
        assert_eq!(output_file("/%25/"), "%/index.html");
    }

    #[test]
    fn safe_keeps_letters_of_every_script_and_tells_variants_apart() {
        let s = Slugify::Safe;
        assert_eq!(decode(&segment("東京の地図", s).unwrap()), "東京の地図");
        assert_eq!(decode(&segment("Ελληνικά Νέα", s).unwrap()), "ελληνικά-νέα");
        assert_eq!(decode(&segment("العربية", s).unwrap()), "العربية");
        assert_eq!(segment("東京", s).unwrap(), "%E6%9D%B1%E4%BA%AC");
        let variants = [
            "qm-move_disk",
            "qm-move-disk",
            "clang++",
            "clang",
            "c.d",
            "c~d",
        ];
        let slugs: Vec<String> = variants.iter().map(|v| segment(v, s).unwrap()).collect();
        let unique: std::collections::BTreeSet<&String> = slugs.iter().collect();
        assert_eq!(unique.len(), variants.len(), "{slugs:?}");
        assert_eq!(segment("..a..b.", s).unwrap(), "a.b");
        assert_eq!(segment("Hello, World!", s).unwrap(), "hello-world");
    }

    #[test]
    fn off_keeps_the_name_minus_what_is_unsafe() {
        let s = Slugify::Off;
        assert_eq!(decode(&segment("Hello World", s).unwrap()), "Hello World");
        assert_eq!(segment("Hello World", s).unwrap(), "Hello%20World");
        assert_eq!(decode(&segment("a:b?c*", s).unwrap()), "abc");
        assert_eq!(decode(&segment(".hidden.", s).unwrap()), "hidden");
        assert_eq!(segment("..", s).unwrap(), "full-stop-full-stop");
    }

    #[test]
    fn paths_are_pretty_and_inside_the_output() {
        assert_eq!(strict(""), "/");
        assert_eq!(strict("partners/Asia Pacific"), "/partners/asia-pacific/");
        assert_eq!(strict("a/!!!/b"), "/a/b/");
        assert_eq!(
            dir_path("a/!!!/b", &|_| Slugify::Safe),
            "/a/exclamation-mark-exclamation-mark-exclamation-mark/b/"
        );
        let per_folder = |d: &str| {
            if d.starts_with("wiki") {
                Slugify::Safe
            } else {
                Slugify::Strict
            }
        };
        assert_eq!(dir_path("wiki/A_b", &per_folder), "/wiki/a_b/");
        assert_eq!(dir_path("x/A_b", &per_folder), "/x/a-b/");
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/a/b/"), "a/b/index.html");
        assert_eq!(output_file("/old/p.html"), "old/p.html");
        assert!(path_too_long("/a/b/").is_none());
        assert!(path_too_long(&format!("/{}/", "a".repeat(256))).is_some());
        assert!(path_too_long(&"/abc".repeat(300)).is_some());
    }

    #[test]
    fn written_addresses_become_site_paths_or_are_refused() {
        assert_eq!(
            site_path_from("/partners/south-korea/").unwrap(),
            "/partners/south-korea/"
        );
        assert_eq!(
            site_path_from("partners/south-korea").unwrap(),
            "/partners/south-korea/"
        );
        assert_eq!(site_path_from("/old/page.html").unwrap(), "/old/page.html");
        assert_eq!(site_path_from("/café/").unwrap(), "/caf%C3%A9/");
        assert_eq!(site_path_from("/caf%C3%A9/").unwrap(), "/caf%C3%A9/");
        assert_eq!(
            output_file(&site_path_from("/café/").unwrap()),
            "café/index.html"
        );
        for bad in [
            "/a/../b/",
            "/a//b/",
            "https://x.org/a/",
            "/a?b",
            "/.git/",
            "/a%2Fb/",
            "/a\\b/",
            "/%2e%2e/",
        ] {
            assert!(site_path_from(bad).is_err(), "{bad}");
        }
    }
}
