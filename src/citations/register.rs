//! The source register: `data/sources.yaml`, every source of the site once.
//!
//! Pages cite a source by its id (`[@eeas-sdp]` in the text,
//! `signed_source: eeas-sdp` for a fact in front matter), so a URL is typed
//! once and a correction reaches every page that relies on it. The file is
//! read like `site.yaml`: a mapping checked key by key, every mistake
//! reported at its line with a did-you-mean, all of them in one pass.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, did_you_mean, expect_string, key_text};

/// Where the register lives, relative to the site root.
pub const REGISTER_FILE: &str = "data/sources.yaml";

/// How far a source can be trusted. The vocabulary follows how briefings
/// grade their sources: the body that decided or said the thing, a verbatim
/// copy of its text elsewhere, a journalist's report, a reference work, and
/// the rest. Only `weak` is *unreliable*: a section may forbid citing it
/// (`check: { reliable_sections: … }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// Published by the institution or government concerned.
    Official,
    /// An official text seen only as a verbatim copy on another site.
    Repost,
    /// News reporting (agencies, newspapers, broadcasters).
    Press,
    /// Encyclopaedias, their mirrors, think-tank and library records.
    Reference,
    /// Blogs, content farms, AI summaries, sources known to err.
    Weak,
}

impl Grade {
    pub const NAMES: &'static [&'static str] =
        &["official", "repost", "press", "reference", "weak"];

    pub fn parse(text: &str) -> Option<Grade> {
        Some(match text {
            "official" => Grade::Official,
            "repost" => Grade::Repost,
            "press" => Grade::Press,
            "reference" => Grade::Reference,
            "weak" => Grade::Weak,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Grade::NAMES[self as usize]
    }

    /// What a reader is told about the grade, in English (the words of
    /// other languages: `citations::Words`).
    pub fn label(self) -> &'static str {
        super::words::english_grade(self)
    }

    pub fn is_unreliable(self) -> bool {
        self == Grade::Weak
    }
}

/// One source of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterSource {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: String,
    pub date: Option<Date>,
    pub grade: Grade,
    /// What a reader should know about it ("repost of the EP press release
    /// of 11 February 2026").
    pub note: Option<String>,
    /// The line of its id in the register, for messages.
    pub line: usize,
}

/// Every source of the site, in the order of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    sources: Vec<Arc<RegisterSource>>,
    by_id: HashMap<String, usize>,
    /// Whether the site has a register at all: without one, citing is not
    /// offered and nothing is reported about unused sources.
    pub present: bool,
}

const ENTRY_KEYS: &[&str] = &["title", "publisher", "url", "date", "grade", "note"];

impl Register {
    pub fn get(&self, id: &str) -> Option<&Arc<RegisterSource>> {
        self.by_id.get(id).map(|&i| &self.sources[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<RegisterSource>> {
        self.sources.iter()
    }

    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The id closest to a misspelt one, for "did you mean".
    pub fn closest(&self, id: &str) -> Option<&str> {
        did_you_mean(id, self.sources.iter().map(|s| s.id.as_str()))
    }

    /// An error for a citation of `id` that the register does not hold.
    pub fn unknown(&self, id: &str, file: &Path, location: Location) -> Diagnostic {
        let d = Diagnostic::error(
            "E-CITATION-UNKNOWN",
            file,
            format!("`{id}` is not a source in {REGISTER_FILE}"),
        )
        .at(location)
        .underline(id.chars().count().max(1));
        match self.closest(id) {
            Some(close) => d.hint(format!("did you mean `{close}`?")),
            None if !self.present => d.hint(format!(
                "this site has no {REGISTER_FILE}; create it and add the source under the id `{id}`"
            )),
            None => d.hint(format!(
                "add the source to {REGISTER_FILE} under the id `{id}`"
            )),
        }
    }

    /// Reads `root/data/sources.yaml`; a site without one has an empty
    /// register.
    pub fn load(root: &Path) -> Result<Register, Vec<Diagnostic>> {
        let path = root.join(REGISTER_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Register::parse(&text),
                Err(_) => Err(vec![
                    Diagnostic::error("E-REGISTER", REGISTER_FILE, "the file is not UTF-8 text")
                        .hint("save the file as UTF-8 in your editor"),
                ]),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Register::default()),
            Err(e) => Err(vec![Diagnostic::error(
                "E-REGISTER",
                REGISTER_FILE,
                format!("cannot read the source register: {e}"),
            )]),
        }
    }

    /// Parses the register's text. Every problem is returned at once.
    pub fn parse(text: &str) -> Result<Register, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mapping = yaml::parse_mapping(text, 1).map_err(|e| {
            let mut d = Diagnostic::error("E-REGISTER", REGISTER_FILE, e.message).at(e.location);
            d.hint = e.hint;
            d.notes.extend(e.note);
            vec![d]
        })?;
        let lines = yaml::key_lines(text, 1);
        let mut register = Register {
            present: true,
            ..Register::default()
        };
        let mut errors = Vec::new();
        for (k, v) in &mapping {
            let id = key_text(k);
            let line = lines.get(id.as_str()).copied().unwrap_or(1);
            let at = |key: Option<&str>| {
                Location::new(key.map_or(line, |key| inner_line(text, line, key)), 1)
            };
            if let Err(message) = check_id(&id) {
                errors.push(
                    Diagnostic::error("E-REGISTER", REGISTER_FILE, message)
                        .at(at(None))
                        .hint("ids use lower-case letters, digits and `-`, e.g. `eeas-sdp`"),
                );
                continue;
            }
            match read_entry(&id, v, line) {
                Ok(source) => {
                    register.by_id.insert(id, register.sources.len());
                    register.sources.push(Arc::new(source));
                }
                Err((key, message, hint)) => {
                    let mut d = Diagnostic::error(
                        "E-REGISTER",
                        REGISTER_FILE,
                        format!("source `{id}`: {message}"),
                    )
                    .at(at(key.as_deref()));
                    d.hint = hint;
                    errors.push(d);
                }
            }
        }
        if errors.is_empty() {
            Ok(register)
        } else {
            Err(errors)
        }
    }
}

/// Ids are what editors type in the text: short, lower-case, no spaces.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!("`{id}` is not a usable source id"))
    }
}

type EntryError = (Option<String>, String, Option<String>);

fn read_entry(id: &str, v: &Value, line: usize) -> Result<RegisterSource, EntryError> {
    let Value::Mapping(m) = v else {
        return Err((
            None,
            format!(
                "expected `title:`, `publisher:`, `url:` and `grade:`, found {}",
                yaml::kind_of(v)
            ),
            Some(format!(
                "write it as\n{id}:\n  title: \"…\"\n  publisher: \"…\"\n  url: \"https://…\"\n  grade: official"
            )),
        ));
    };
    let mut source = RegisterSource {
        id: id.to_string(),
        title: String::new(),
        publisher: String::new(),
        url: String::new(),
        date: None,
        grade: Grade::Weak,
        note: None,
        line,
    };
    let mut grade = None;
    for (k, v) in m as &Mapping {
        let key = key_text(k);
        let wrap = |e: String| (Some(key.clone()), format!("`{key}`: {e}"), None);
        match key.as_str() {
            "title" => source.title = expect_string(v).map_err(wrap)?,
            "publisher" => source.publisher = expect_string(v).map_err(wrap)?,
            "url" => source.url = crate::load::front_matter::expect_url(v).map_err(wrap)?,
            "date" => {
                source.date = Some(
                    expect_string(v)
                        .and_then(|s| Date::parse(&s))
                        .map_err(wrap)?,
                )
            }
            "note" => source.note = Some(expect_string(v).map_err(wrap)?),
            "grade" => {
                let text = expect_string(v).map_err(wrap)?;
                grade = Some(Grade::parse(&text).ok_or_else(|| {
                    let close = did_you_mean(&text, Grade::NAMES.iter().copied())
                        .map(|c| format!("did you mean `{c}`? "))
                        .unwrap_or_default();
                    (
                        Some(key.clone()),
                        format!("`{text}` is not a grade"),
                        Some(format!("{close}grades: {}", Grade::NAMES.join(", "))),
                    )
                })?);
            }
            _ => {
                let hint = did_you_mean(&key, ENTRY_KEYS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("a source takes {}", ENTRY_KEYS.join(", ")));
                return Err((
                    Some(key.clone()),
                    format!("unknown key `{key}`"),
                    Some(hint),
                ));
            }
        }
    }
    let missing: Vec<&str> = [
        ("title", source.title.trim().is_empty()),
        ("publisher", source.publisher.trim().is_empty()),
        ("url", source.url.is_empty()),
        ("grade", grade.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, missing)| missing.then_some(k))
    .collect();
    if !missing.is_empty() {
        return Err((
            None,
            format!("missing {}", missing.join(", ")),
            Some(format!(
                "every source needs title, publisher, url and grade ({})",
                Grade::NAMES.join(", ")
            )),
        ));
    }
    source.grade = grade.unwrap_or(Grade::Weak);
    Ok(source)
}

/// The line of `key:` inside the entry that starts at `entry_line`: the
/// first more-indented line after it that names the key.
fn inner_line(text: &str, entry_line: usize, key: &str) -> usize {
    for (i, line) in text.lines().enumerate().skip(entry_line) {
        let trimmed = line.trim_start();
        if trimmed.len() == line.len() && !trimmed.is_empty() && !trimmed.starts_with('#') {
            break; // the next entry
        }
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return i + 1;
        }
    }
    entry_line
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "eeas-sdp:\n  title: \"EU Security and Defence Partnerships\"\n  publisher: EEAS\n  url: https://www.eeas.europa.eu/x\n  grade: official\nblog:\n  title: B\n  publisher: P\n  url: http://b.example/\n  date: 2025-01-02\n  grade: weak\n  note: a blog\n";

    #[test]
    fn reads_sources_in_order() {
        let r = Register::parse(GOOD).unwrap();
        assert_eq!(r.len(), 2);
        let s = r.get("eeas-sdp").unwrap();
        assert_eq!(s.publisher, "EEAS");
        assert_eq!(s.grade, Grade::Official);
        assert_eq!(s.line, 1);
        let b = r.get("blog").unwrap();
        assert!(b.grade.is_unreliable());
        assert_eq!(b.date.unwrap().to_string(), "2025-01-02");
        assert_eq!(r.closest("eeas-spd"), Some("eeas-sdp"));
    }

    #[test]
    fn reports_every_bad_entry_at_its_line() {
        let text = "a:\n  title: T\n  publisher: P\n  url: www.x.org\n  grade: official\nb:\n  title: T\n  publisher: P\n  url: https://x.org/\n  grade: oficial\nc:\n  title: T\n  publsher: P\nD E: {}\n";
        let errors = Register::parse(text).unwrap_err();
        let shown: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 4, "{shown:?}");
        assert_eq!(errors[0].location.unwrap().line, 4, "{shown:?}");
        assert!(shown[0].contains("https://"));
        assert_eq!(errors[1].location.unwrap().line, 10);
        assert!(
            errors[1]
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `official`")
        );
        assert_eq!(errors[2].location.unwrap().line, 13);
        assert!(
            errors[2]
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `publisher`")
        );
        assert_eq!(errors[3].location.unwrap().line, 14);
    }

    #[test]
    fn a_missing_register_is_empty_and_unknown_ids_suggest() {
        let dir = tempfile::tempdir().unwrap();
        let r = Register::load(dir.path()).unwrap();
        assert!(!r.present && r.is_empty());
        let r = Register::parse(GOOD).unwrap();
        let d = r.unknown("eeas-spd", Path::new("content/a.md"), Location::new(3, 7));
        assert_eq!(d.code, "E-CITATION-UNKNOWN");
        assert!(d.hint.unwrap().contains("eeas-sdp"));
    }
}
