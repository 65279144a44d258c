//! Interface strings: `i18n/<code>.yaml`, one file per language, read by
//! the `t(key="…")` template function, and dates written the language's
//! way (`11 February 2026`, `11 février 2026`, `11. Februar 2026`).
//!
//! Every language must have every key: a key one file has and another
//! lacks is an error at build time naming the key and the file, with a
//! did-you-mean when the other file has a near spelling of it (the usual
//! cause is a typo). A template asking for a key no file has is an error
//! naming the key, the template and the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, did_you_mean, key_text};

pub const I18N_DIR: &str = "i18n";

/// The raw files of `i18n/`, read with the templates (before `site.yaml`
/// says which languages there are): (code, text).
pub fn read_files(root: &Path) -> Vec<(String, Result<String, String>)> {
    let Ok(entries) = std::fs::read_dir(root.join(I18N_DIR)) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Result<String, String>)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let code = name.strip_suffix(".yaml")?.to_string();
            if code.starts_with('.') {
                return None;
            }
            let text = std::fs::read_to_string(e.path()).map_err(|e| e.to_string());
            Some((code, text))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The strings of every language, by language (as `Languages` orders them).
#[derive(Debug, Default, Clone)]
pub struct Strings {
    /// (code, key → text), in the site's language order.
    pub languages: Vec<(String, BTreeMap<String, String>)>,
}

pub fn file_of(code: &str) -> PathBuf {
    Path::new(I18N_DIR).join(format!("{code}.yaml"))
}

impl Strings {
    /// Checks the files against the site's languages (`codes`, the default
    /// first). Without an `i18n/` folder there are no strings (templates
    /// that call `t()` then fail, naming the file to create).
    pub fn parse(
        files: &[(String, Result<String, String>)],
        codes: &[String],
    ) -> Result<Strings, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        if files.is_empty() {
            return Ok(Strings::default());
        }
        let mut languages = Vec::new();
        let mut lines: Vec<BTreeMap<String, usize>> = Vec::new();
        for code in codes {
            let file = file_of(code);
            let Some((_, text)) = files.iter().find(|(c, _)| c == code) else {
                errors.push(
                    Diagnostic::error(
                        "E-I18N",
                        &file,
                        format!("there is no {} for the language `{code}`", file.display()),
                    )
                    .hint(format!(
                        "create {} with the same keys as the other files of i18n/",
                        file.display()
                    )),
                );
                continue;
            };
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    errors.push(Diagnostic::error(
                        "E-I18N",
                        &file,
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            match read_strings(text, &file) {
                Ok((strings, key_lines)) => {
                    languages.push((code.clone(), strings));
                    lines.push(key_lines);
                }
                Err(d) => errors.extend(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Every key of any file must be in every file.
        for (i, (code, strings)) in languages.iter().enumerate() {
            for (j, (other_code, other)) in languages.iter().enumerate() {
                if i == j {
                    continue;
                }
                for key in other.keys().filter(|k| !strings.contains_key(*k)) {
                    let close = did_you_mean(key, strings.keys().map(String::as_str))
                        .filter(|c| !other.contains_key(*c));
                    let mut d = Diagnostic::error(
                        "E-I18N-MISSING",
                        file_of(code),
                        format!(
                            "the interface string `{key}` is in {} but not in this file",
                            file_of(other_code).display()
                        ),
                    );
                    d = match close {
                        Some(c) => d
                            .at(Location::new(lines[i].get(c).copied().unwrap_or(1), 1))
                            .hint(format!("did you mean `{key}` where this file says `{c}`?")),
                        None => d
                            .at_line(1)
                            .hint(format!("add `{key}: …` in the language of this file")),
                    };
                    errors.push(d);
                }
            }
        }
        if errors.is_empty() {
            Ok(Strings { languages })
        } else {
            Err(errors)
        }
    }

    /// The strings of each readable file among `codes`, without checking
    /// them against each other: for settings read before the templates
    /// (whose [`Strings::parse`] reports every problem).
    pub fn lenient(files: &[(String, Result<String, String>)], codes: &[String]) -> Strings {
        let languages = codes
            .iter()
            .filter_map(|code| {
                let (_, text) = files.iter().find(|(c, _)| c == code)?;
                let (strings, _) = read_strings(text.as_ref().ok()?, &file_of(code)).ok()?;
                Some((code.clone(), strings))
            })
            .collect();
        Strings { languages }
    }

    /// `key` in `code` exactly (no fallback to another language).
    pub fn exact(&self, code: &str, key: &str) -> Option<&str> {
        let (_, strings) = self.languages.iter().find(|(c, _)| c == code)?;
        strings.get(key).map(String::as_str)
    }

    /// `key` in `code`, or why there is none.
    pub fn get(&self, code: &str, key: &str) -> Result<&str, String> {
        let Some((_, strings)) = self
            .languages
            .iter()
            .find(|(c, _)| c == code)
            .or(self.languages.first())
        else {
            return Err(format!(
                "t: there is no {} for the interface string `{key}`: create it (key: text)",
                file_of(code).display()
            ));
        };
        strings.get(key).map(String::as_str).ok_or_else(|| {
            let close = did_you_mean(key, strings.keys().map(String::as_str))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            format!(
                "t: there is no interface string `{key}` in {}{close}",
                file_of(code).display()
            )
        })
    }
}

/// A file's strings: nested mappings flatten to dotted keys
/// (`nav: {home: Home}` is `nav.home`), with each key's line.
type Read = (BTreeMap<String, String>, BTreeMap<String, usize>);

fn read_strings(text: &str, file: &Path) -> Result<Read, Vec<Diagnostic>> {
    let mapping = yaml::parse_mapping(text, 1).map_err(|e| {
        let mut d = Diagnostic::error("E-I18N", file, e.message).at(e.location);
        d.hint = e.hint;
        vec![d]
    })?;
    let top_lines = yaml::key_lines(text, 1);
    let mut strings = BTreeMap::new();
    let mut lines = BTreeMap::new();
    let mut errors = Vec::new();
    let mut stack: Vec<(String, &serde_yaml::Mapping, usize)> = vec![(String::new(), &mapping, 1)];
    while let Some((prefix, m, parent_line)) = stack.pop() {
        for (k, v) in m {
            let leaf = key_text(k);
            let key = if prefix.is_empty() {
                leaf.clone()
            } else {
                format!("{prefix}.{leaf}")
            };
            let line = match top_lines.get(key.as_str()) {
                Some(&l) => l,
                None => line_of_nested(text, &leaf, parent_line),
            };
            match v {
                Value::String(s) => {
                    strings.insert(key.clone(), s.clone());
                    lines.insert(key, line);
                }
                Value::Mapping(inner) => stack.push((key, inner, line)),
                other => errors.push(
                    Diagnostic::error(
                        "E-I18N",
                        file,
                        format!("`{key}` must be text, found {}", yaml::kind_of(other)),
                    )
                    .at_line(line)
                    .hint("quote the text: key: \"…\""),
                ),
            }
        }
    }
    if errors.is_empty() {
        Ok((strings, lines))
    } else {
        Err(errors)
    }
}

/// The line of a nested key `leaf:`, the first at or after its parent's.
fn line_of_nested(text: &str, leaf: &str, parent_line: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(parent_line)
        .find(|(_, l)| {
            let t = l.trim_start();
            t.len() < l.len()
                && t.strip_prefix(leaf)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(parent_line, |(i, _)| i + 1)
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// English month names: dates are formatted by chrono, but the drift check
/// reads them in a translation's original.
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The number (1 to 12) of a month named in any language dossier knows,
/// in any case: "février", "Februar", "february".
///
/// The drift check asks this of every word of every translated page, so
/// the names are lowercased once, and a word too short or too long to be a
/// month is turned down before it is lowercased.
pub fn month_number(word: &str) -> Option<usize> {
    static NUMBERS: std::sync::LazyLock<std::collections::HashMap<String, usize>> =
        std::sync::LazyLock::new(|| {
            [&MONTHS_EN, &MONTHS_FR, &MONTHS_DE]
                .iter()
                .flat_map(|names| names.iter().enumerate())
                .map(|(i, name)| (name.to_lowercase(), i + 1))
                .collect()
        });
    // "Mai" (3 bytes) to "septembre" / "September" (9) and "décembre" (9).
    if !(3..=10).contains(&word.len()) {
        return None;
    }
    NUMBERS.get(word.to_lowercase().as_str()).copied()
}

/// The month names of `code` when dossier knows them (English comes from
/// chrono).
fn months(code: &str) -> Option<&'static [&'static str; 12]> {
    match code.split('-').next().unwrap_or(code) {
        "fr" => Some(&MONTHS_FR),
        "de" => Some(&MONTHS_DE),
        _ => None,
    }
}

/// A date as `code` writes it: `format` when given (its `%B` in the
/// language), else the language's long form.
pub fn format_date(date: Date, code: &str, format: Option<&str>) -> Result<String, String> {
    let base = code.split('-').next().unwrap_or(code);
    let spec = format.unwrap_or(match base {
        "de" => "%-d. %B %Y",
        _ => "%-d %B %Y",
    });
    let Some(names) = months(code) else {
        return date.format(spec);
    };
    let month = date.format("%m")?.parse::<usize>().unwrap_or(1);
    let name = names
        .get(month.saturating_sub(1))
        .copied()
        .unwrap_or_default();
    // `%%` stays a literal percent sign; `%B` becomes the name (with any
    // `%` in it doubled, though no month name has one).
    let mut out_spec = String::with_capacity(spec.len());
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.peek() {
                Some('B') => {
                    chars.next();
                    out_spec.push_str(&name.replace('%', "%%"));
                    continue;
                }
                Some('%') => {
                    chars.next();
                    out_spec.push_str("%%");
                    continue;
                }
                _ => {}
            }
        }
        out_spec.push(c);
    }
    let text = date.format(&out_spec)?;
    // French writes the first of the month as an ordinal: 1er février.
    if base == "fr" && format.is_none() && text.starts_with("1 ") {
        return Ok(format!("1er{}", &text[1..]));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn dates_in_each_language() {
        let d = Date::parse("2026-02-11").unwrap();
        assert_eq!(format_date(d, "en", None).unwrap(), "11 February 2026");
        assert_eq!(format_date(d, "fr", None).unwrap(), "11 février 2026");
        assert_eq!(format_date(d, "de", None).unwrap(), "11. Februar 2026");
        assert_eq!(format_date(d, "de", Some("%B %Y")).unwrap(), "Februar 2026");
        let first = Date::parse("2026-03-01").unwrap();
        assert_eq!(format_date(first, "fr", None).unwrap(), "1er mars 2026");
    }

    #[test]
    fn every_language_has_every_key() {
        let files = vec![
            (
                "en".to_string(),
                Ok("nav:\n  home: Home\n  search: Search\n".to_string()),
            ),
            (
                "fr".to_string(),
                Ok("nav:\n  home: Accueil\n  serch: Rechercher\n".to_string()),
            ),
        ];
        let errors = Strings::parse(&files, &codes(&["en", "fr"])).unwrap_err();
        let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert!(
            text.iter().any(|t| t.contains("i18n/fr.yaml")
                && t.contains("`nav.search`")
                && t.contains("nav.serch")),
            "{text:?}"
        );
        let ok = vec![
            ("en".to_string(), Ok("a: A\n".to_string())),
            ("fr".to_string(), Ok("a: À\n".to_string())),
        ];
        let strings = Strings::parse(&ok, &codes(&["en", "fr"])).unwrap();
        assert_eq!(strings.get("fr", "a").unwrap(), "À");
        assert!(strings.get("fr", "b").unwrap_err().contains("i18n/fr.yaml"));
        let missing = Strings::parse(&ok[..1], &codes(&["en", "fr"])).unwrap_err();
        assert!(missing[0].to_string().contains("i18n/fr.yaml"));
    }
}
