//! Moving or renaming a page, with every link to it updated.
//!
//! The plan comes from the build's own reading: every document's internal
//! links (`load::InternalLink`, with the target file they resolve to and
//! the place of the whole link in the file) that point at the page, and the
//! page's own relative links, which must change when its folder does. Each
//! change replaces only the link's destination inside that link's span,
//! keeping its style (`@/…` stays `@/…`, a relative link stays relative)
//! and its `#fragment`. A destination that cannot be found in its span (a
//! reference-style link, whose target is written elsewhere) is listed as
//! "by hand" and the move is refused until it is changed.
//!
//! Applying: the moved file is written at its new name without replacing
//! anything (`persist_noclobber`), then the old one removed, then each
//! linking file rewritten atomically. Only plain pages move (not `_index.md`
//! or a bundle's `index.md`, whose folders hold other files).

use std::io::Write;
use std::path::Path;

use hyper::StatusCode;
use serde_json::{Value as Json, json};

use super::paths;
use crate::config::SiteConfig;
use crate::load::{self, Document, markdown};

type Failure = (StatusCode, String);

/// One link to change.
struct Edit {
    /// The file it is in (its source before the move).
    source: String,
    line: usize,
    old: String,
    new: String,
    /// The byte range of `old` in that file's text, when found.
    at: Option<std::ops::Range<usize>>,
}

/// What a move would change, or (with `apply`) did.
pub fn rename(
    root: &Path,
    config: &SiteConfig,
    from: &str,
    to: &str,
    apply: bool,
) -> Result<Json, Failure> {
    let refused = |why: String| (StatusCode::FORBIDDEN, why);
    let old_path = paths::content_file(root, from).map_err(|paths::Refused(w)| refused(w))?;
    let new_path = paths::content_file(root, to).map_err(|paths::Refused(w)| refused(w))?;
    let bad = |why: &str| Err((StatusCode::BAD_REQUEST, why.to_string()));
    for name in [from, to] {
        if matches!(load::file_name(name), "_index.md" | "index.md") {
            return bad(
                "only plain pages can be moved here (not _index.md or a folder's index.md)",
            );
        }
    }
    if !old_path.is_file() {
        return Err((
            StatusCode::NOT_FOUND,
            format!("content/{from} does not exist"),
        ));
    }
    if new_path.exists() {
        return Err((
            StatusCode::CONFLICT,
            json!({ "error": format!("content/{to} already exists") }).to_string(),
        ));
    }
    if !new_path.parent().is_some_and(Path::is_dir) {
        return bad("the new folder does not exist; create it first");
    }
    let (listing, _) = load::scan(root);
    let read = load::read_sources(&listing, config, |_| true);
    let mut texts = std::collections::BTreeMap::new();
    let mut edits = Vec::new();
    for (source, doc, _) in &read {
        let Some(doc) = doc else { continue };
        let text =
            std::fs::read_to_string(root.join(load::CONTENT_DIR).join(source)).map_err(|e| {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("cannot read content/{source}: {e}"),
                )
            })?;
        let text = text.replace("\r\n", "\n");
        edits.extend(plan(doc, &text, from, to));
        texts.insert(source.clone(), text);
    }
    // A page's translations (`japan.fr.md` beside `japan.md`) move with it,
    // so none is left without its original.
    let to_stem = to.strip_suffix(".md").unwrap_or(to);
    let companions: Vec<(String, String)> = read
        .iter()
        .filter_map(|(source, _, _)| {
            let (base, code) = crate::languages::code_suffix(source)?;
            (format!("{base}.md") == from).then(|| (source.clone(), format!("{to_stem}.{code}.md")))
        })
        .collect();
    for (_, new) in &companions {
        let path = paths::content_file(root, new).map_err(|paths::Refused(w)| refused(w))?;
        if path.exists() {
            return Err((
                StatusCode::CONFLICT,
                json!({ "error": format!("content/{new} already exists") }).to_string(),
            ));
        }
    }
    let listed: Vec<Json> = (edits.iter())
        .map(|e| {
            json!({
                "file": format!("content/{}", e.source),
                "line": e.line,
                "old": e.old,
                "new": e.new,
                "by_hand": e.at.is_none(),
            })
        })
        .collect();
    let by_hand = edits.iter().any(|e| e.at.is_none());
    if !apply {
        return Ok(json!({ "from": from, "to": to, "changes": listed, "by_hand": by_hand }));
    }
    if by_hand {
        return Err((
            StatusCode::CONFLICT,
            json!({ "error": "some links must be changed by hand first", "changes": listed })
                .to_string(),
        ));
    }
    let failed = |e: std::io::Error| {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the move stopped: {e}"),
        )
    };
    let edited = |source: &str| {
        let mut text = texts.get(source).cloned().unwrap_or_default();
        let mut mine: Vec<&Edit> = edits.iter().filter(|e| e.source == source).collect();
        mine.sort_by_key(|e| std::cmp::Reverse(e.at.as_ref().map_or(0, |r| r.start)));
        for edit in mine {
            if let Some(range) = &edit.at {
                text.replace_range(range.clone(), &edit.new);
            }
        }
        text
    };
    // The page at its new name first, never over a file; then the old one
    // goes; its translations the same way.
    let folder = new_path.parent().unwrap_or(root);
    let content = root.join(load::CONTENT_DIR);
    let moves = std::iter::once((from.to_string(), to.to_string())).chain(companions.clone());
    for (old, new) in moves {
        let mut temporary = tempfile::Builder::new()
            .prefix(".dossier-edit-")
            .tempfile_in(folder)
            .map_err(failed)?;
        temporary
            .write_all(edited(&old).as_bytes())
            .map_err(failed)?;
        temporary
            .persist_noclobber(content.join(&new))
            .map_err(|e| failed(e.error))?;
        std::fs::remove_file(content.join(&old)).map_err(failed)?;
    }
    let moved: Vec<&str> = companions.iter().map(|(old, _)| old.as_str()).collect();
    let mut changed: Vec<&str> = edits
        .iter()
        .map(|e| e.source.as_str())
        .filter(|s| *s != from && !moved.contains(s))
        .collect();
    changed.dedup();
    for source in changed {
        let path = root.join(load::CONTENT_DIR).join(source);
        let mut temporary = tempfile::Builder::new()
            .prefix(".dossier-edit-")
            .tempfile_in(path.parent().unwrap_or(root))
            .map_err(failed)?;
        temporary
            .write_all(edited(source).as_bytes())
            .map_err(failed)?;
        temporary.persist(&path).map_err(|e| failed(e.error))?;
    }
    let translations: Vec<&str> = companions.iter().map(|(_, new)| new.as_str()).collect();
    Ok(
        json!({ "from": from, "to": to, "changes": listed, "source": to, "translations": translations }),
    )
}

/// The edits `doc` needs when `from` becomes `to`.
fn plan(doc: &Document, text: &str, from: &str, to: &str) -> Vec<Edit> {
    let moving = doc.source == from;
    let new_dir = if moving {
        load::parent_dir(to)
    } else {
        doc.dir()
    };
    let mut out = Vec::new();
    for link in &doc.body.links {
        let Some(target) = &link.target else { continue };
        let absolute = link.raw.starts_with("@/");
        let target = if target == from { to } else { target.as_str() };
        // Links elsewhere that keep their target, and absolute links of the
        // moved page, stay as they are.
        if (!moving && target != to) || (moving && absolute && link.target.as_deref() != Some(from))
        {
            continue;
        }
        let path = match absolute {
            true => format!("@/{target}"),
            false => relative(new_dir, target),
        };
        let new = match &link.fragment {
            Some(fragment) => format!("{path}#{fragment}"),
            None => path,
        };
        if new == link.raw {
            continue;
        }
        out.push(Edit {
            source: doc.source.clone(),
            line: link.location.line,
            old: link.raw.clone(),
            new,
            at: find(text, link),
        });
    }
    out
}

/// Where `link.raw` is written inside the link's own span of `text`.
fn find(text: &str, link: &markdown::InternalLink) -> Option<std::ops::Range<usize>> {
    let line_start = text
        .split_inclusive('\n')
        .take(link.location.line.checked_sub(1)?)
        .map(str::len)
        .sum::<usize>();
    let column: usize = text[line_start..]
        .chars()
        .take(link.location.column.checked_sub(1)?)
        .map(char::len_utf8)
        .sum();
    let start = line_start + column;
    let span = text.get(start..(start + link.length).min(text.len()))?;
    let at = span.rfind(&link.raw)?;
    Some(start + at..start + at + link.raw.len())
}

/// `target` (below `content/`) as a relative link from the folder `dir`.
fn relative(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let common = common.min(to.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_only_as_far_as_needed() {
        assert_eq!(relative("partners", "partners/japan.md"), "japan.md");
        assert_eq!(relative("partners", "report/a.md"), "../report/a.md");
        assert_eq!(relative("", "report/a.md"), "report/a.md");
        assert_eq!(relative("a/b", "a.md"), "../../a.md");
        assert_eq!(relative("a", "a/b/c.md"), "b/c.md");
    }
}
