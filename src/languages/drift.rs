//! Translation drift: is a translation still the translation of its
//! original as it is now?
//!
//! Two checks, each with its own code and lint level:
//! - `W-TRANSLATION-STALE`: a translation records, in `translated_from:`, the
//!   fingerprint of the original it was made from (a short blake3 hash of the
//!   original's body text and language-specific front matter; written by
//!   `dossier translations --mark-current`). When the original changes, the
//!   fingerprint does, and the translation is reported. Being a hash of the
//!   text, not a date or a commit, it survives a git checkout or a copy.
//! - `W-TRANSLATION-FIGURES`: every number, percentage and date of the
//!   original's body must appear in the translation, read in each language's
//!   own formats (`11 February 2026` = `11 février 2026` = `11. Februar
//!   2026` = `2026-02-11`; `1,500.5` = `1 500,5` = `1.500,5`).

use std::collections::{BTreeSet, HashMap};

use crate::config::SectionSchema;
use crate::diagnostics::{Diagnostic, Location};
use crate::load::{FieldValue, FrontMatter};
use crate::model::Site;

use super::DEFAULT;

/// Hex digits kept of the hash: enough to tell versions apart, short enough
/// to read in front matter.
const FINGERPRINT_LEN: usize = 12;

/// The fingerprint of a document: its body and its translatable front
/// matter (title, description, translatable schema fields), whose change
/// means its translations need a look.
pub fn fingerprint(body: &str, front: &FrontMatter, schema: Option<&SectionSchema>) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut part = |label: &str, text: &str| {
        hasher.update(label.as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        hasher.update(&[0]);
    };
    part("body", body.trim());
    part("title", front.title.as_deref().unwrap_or_default());
    part(
        "description",
        front.description.as_deref().unwrap_or_default(),
    );
    for (name, value) in &front.fields {
        let translatable = schema
            .and_then(|s| s.fields.iter().find(|f| &f.name == name))
            .is_some_and(|f| f.translatable);
        if !translatable {
            continue;
        }
        match value {
            FieldValue::Text(t) => part(name, t),
            FieldValue::List(l) => part(name, &l.join("\n")),
            _ => {}
        }
    }
    let hex = hasher.finalize().to_hex();
    hex.as_str().chars().take(FINGERPRINT_LEN).collect()
}

/// The figures of a body in language `code`, normalised (`2026-02-11`,
/// `2026-02`, `1500.5`), each with its line (1-based from `first_line`).
/// Link destinations, heading ids and citation keys are left out: they are
/// copied, not translated.
pub fn figures(body: &str, code: &str, first_line: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, line) in body.lines().enumerate() {
        // Every figure holds a digit: most lines of prose have none, and
        // tokenizing them was most of the check's cost.
        if !line.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let cleaned = without_copied_parts(line);
        if !cleaned.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        for figure in line_figures(&cleaned, code) {
            out.push((figure, first_line + i));
        }
    }
    out
}

/// The line without `](destination)`, `{#id}` and `[@key…]`.
fn without_copied_parts(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['(', '{', '[']) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let close = match from.as_bytes().first() {
            Some(b'(') if before.ends_with(']') => Some(')'),
            Some(b'{') if from.starts_with("{#") => Some('}'),
            Some(b'[') if from.starts_with("[@") => Some(']'),
            _ => None,
        };
        match close.and_then(|c| from.find(c)) {
            Some(end) => {
                out.push(' ');
                rest = &from[end + 1..];
            }
            None => {
                out.push_str(&from[..1]);
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The number of a month named in English, French or German, in any case.
fn month_of(word: &str) -> Option<usize> {
    crate::i18n::month_number(word)
}

/// One token of a line: a run of digits with the separators a number may
/// hold, or a word.
#[derive(Debug)]
enum Token {
    Number(String),
    Word(String),
}

fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() {
                let d = chars[i];
                let joins = matches!(d, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '-')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit);
                if d.is_ascii_digit() || joins {
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Token::Number(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            i += 1;
        }
    }
    out
}

fn line_figures(line: &str, code: &str) -> Vec<String> {
    let tokens = tokens(line);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Number(n) => {
                // 2026-02-11
                if let Some(date) = iso_date(n) {
                    out.push(date);
                    i += 1;
                    continue;
                }
                // 11 February 2026 / 11 février 2026 / 11. Februar 2026,
                // and French ordinals for the first: 1er novembre 2024.
                let ordinal =
                    usize::from(matches!(tokens.get(i + 1), Some(Token::Word(w)) if w == "er"));
                if let (Some(Token::Word(m)), Some(Token::Number(y))) =
                    (tokens.get(i + 1 + ordinal), tokens.get(i + 2 + ordinal))
                    && let Some(month) = month_of(m)
                    && let (Ok(day), Ok(year)) = (n.parse::<u32>(), y.parse::<u32>())
                    && (1..=31).contains(&day)
                    && (1000..=2999).contains(&year)
                {
                    out.push(format!("{year:04}-{month:02}-{day:02}"));
                    i += 3 + ordinal;
                    continue;
                }
                out.extend(number(n, code));
                i += 1;
            }
            Token::Word(w) => {
                // February 2026 / février 2026 (and "February 11, 2026")
                if let Some(month) = month_of(w) {
                    if let (Some(Token::Number(d)), Some(Token::Number(y))) =
                        (tokens.get(i + 1), tokens.get(i + 2))
                        && let (Ok(day), Ok(year)) = (d.parse::<u32>(), y.parse::<u32>())
                        && (1..=31).contains(&day)
                        && (1000..=2999).contains(&year)
                    {
                        out.push(format!("{year:04}-{month:02}-{day:02}"));
                        i += 3;
                        continue;
                    }
                    if let Some(Token::Number(y)) = tokens.get(i + 1)
                        && let Ok(year) = y.parse::<u32>()
                        && (1000..=2999).contains(&year)
                    {
                        out.push(format!("{year:04}-{month:02}"));
                        i += 2;
                        continue;
                    }
                }
                i += 1;
            }
        }
    }
    out
}

fn iso_date(n: &str) -> Option<String> {
    let parts: Vec<&str> = n.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => Some(n.to_string()),
        [y, m] if y.len() == 4 && m.len() == 2 => Some(n.to_string()),
        _ => None,
    }
}

/// A number as digits with at most one `.` for decimals, read in the
/// language's format. A range (`2021-2027`) gives both ends.
fn number(n: &str, code: &str) -> Vec<String> {
    if n.contains('-') {
        return n
            .split('-')
            .filter(|p| !p.is_empty())
            .flat_map(|p| number(p, code))
            .collect();
    }
    let base = code.split('-').next().unwrap_or(code);
    let (thousands, decimal): (&[char], char) = match base {
        "en" => (&[',', ' ', '\u{a0}', '\u{202f}'], '.'),
        "de" => (&['.', ' ', '\u{a0}', '\u{202f}'], ','),
        _ => (&[' ', '\u{a0}', '\u{202f}', '.'], ','),
    };
    let mut digits = String::with_capacity(n.len());
    let chars: Vec<char> = n.chars().collect();
    for (at, &c) in chars.iter().enumerate() {
        // A `.` or `,` separates thousands only before a group of exactly
        // three digits: "80.000" is eighty thousand, "WCAG 2.1" a version.
        let group = chars[at + 1..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == decimal || (matches!(c, '.' | ',') && group != 3) {
            digits.push('.');
        } else if thousands.contains(&c) {
            // a thousands separator: dropped
        } else {
            // `.` in fr written as a decimal by habit, or `,` in en: keep as
            // a decimal point so "1.5" and "1,5" still match.
            digits.push('.');
        }
    }
    // Spaces between separate numbers ("in 2019 12 ships") are joined by
    // `tokens`; a group of other than three digits after a space means two
    // numbers, so split there.
    if n.contains([' ', '\u{a0}', '\u{202f}']) {
        let groups: Vec<&str> = n.split([' ', '\u{a0}', '\u{202f}']).collect();
        if groups
            .iter()
            .skip(1)
            .any(|g| g.chars().take_while(char::is_ascii_digit).count() != 3)
        {
            return groups.iter().flat_map(|g| number(g, code)).collect();
        }
    }
    vec![digits.trim_end_matches('.').to_string()]
}

/// `W-TRANSLATION-STALE` and `W-TRANSLATION-FIGURES` for every translation
/// of `site` (fallback copies excluded: they are the original).
pub fn lint(site: &Site) -> Vec<Diagnostic> {
    let languages = &site.config.languages;
    if !languages.enabled() {
        return Vec::new();
    }
    let originals: HashMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.lang == DEFAULT)
        .map(|(i, p)| (p.source.as_str(), i))
        .collect();
    let section_originals: HashMap<&str, usize> = site
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.lang == DEFAULT)
        .map(|(i, s)| (s.source.as_str(), i))
        .collect();
    let mut found = Vec::new();
    let docs = site
        .pages
        .iter()
        .filter(|p| p.lang != DEFAULT && !p.fallback)
        .map(|p| {
            (
                &p.source,
                &p.front,
                &p.facts,
                originals
                    .get(
                        languages
                            .classify(&p.source)
                            .map(|(_, o)| o)
                            .unwrap_or_default()
                            .as_str(),
                    )
                    .map(|&o| (&site.pages[o].source, &site.pages[o].facts)),
            )
        })
        .chain(
            site.sections
                .iter()
                .filter(|s| s.lang != DEFAULT && !s.fallback)
                .map(|s| {
                    (
                        &s.source,
                        &s.front,
                        &s.facts,
                        section_originals
                            .get(
                                languages
                                    .classify(&s.source)
                                    .map(|(_, o)| o)
                                    .unwrap_or_default()
                                    .as_str(),
                            )
                            .map(|&o| (&site.sections[o].source, &site.sections[o].facts)),
                    )
                }),
        );
    for (source, front, facts, original) in docs {
        let Some((original_source, original_facts)) = original else {
            continue;
        };
        let file = crate::load::content_path(source);
        let original_file = crate::load::content_path(original_source);
        match &front.translated_from {
            Some(mark) if *mark == original_facts.fingerprint => {}
            Some(mark) => found.push(
                Diagnostic::warning(
                    "W-TRANSLATION-STALE",
                    &file,
                    format!(
                        "{} has changed since this translation was made (translated_from: {mark}, the original is now {})",
                        original_file.display(),
                        original_facts.fingerprint
                    ),
                )
                .at(Location::new(front.line_of("translated_from"), 1))
                .hint(format!(
                    "bring the translation up to date (`dossier translations` shows what changed), then run `dossier translations --mark-current {}`",
                    file.display()
                )),
            ),
            None => found.push(
                Diagnostic::warning(
                    "W-TRANSLATION-STALE",
                    &file,
                    format!(
                        "this translation does not say which version of {} it translates",
                        original_file.display()
                    ),
                )
                .at_line(1)
                .hint(format!(
                    "once it is faithful to the original as it is now, run `dossier translations --mark-current {}`",
                    file.display()
                )),
            ),
        }
        let have: BTreeSet<&str> = facts.figures.iter().map(|(f, _)| f.as_str()).collect();
        let mut reported = BTreeSet::new();
        for (figure, line) in &original_facts.figures {
            if have.contains(figure.as_str()) || !reported.insert(figure.as_str()) {
                continue;
            }
            found.push(
                Diagnostic::warning(
                    "W-TRANSLATION-FIGURES",
                    &file,
                    format!(
                        "the original has {} ({}:{line}), which this translation does not",
                        shown(figure),
                        original_file.display()
                    ),
                )
                // The translation's first line with a figure: near where the
                // missing one belongs, in short pages at least.
                .at_line(facts.figures.first().map_or(1, |(_, l)| *l))
                .hint("write every number, percentage and date of the original in the translation, in this language's format"),
            );
        }
    }
    found
}

fn shown(figure: &str) -> String {
    if figure.len() >= 7 && figure.as_bytes().get(4) == Some(&b'-') {
        format!("the date {figure}")
    } else {
        format!("the figure {figure}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str, code: &str) -> Vec<String> {
        figures(text, code, 1).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn figures_read_in_each_language() {
        assert_eq!(
            f("Adopted on 11 February 2026 by 440 votes (35%).", "en"),
            ["2026-02-11", "440", "35"]
        );
        assert_eq!(
            f("Adopté le 11 février 2026 par 440 voix (35 %).", "fr"),
            ["2026-02-11", "440", "35"]
        );
        assert_eq!(
            f("Am 11. Februar 2026 mit 440 Stimmen.", "de"),
            ["2026-02-11", "440"]
        );
        assert_eq!(f("€1,500.5 billion", "en"), ["1500.5"]);
        assert_eq!(f("1 500,5 milliards", "fr"), ["1500.5"]);
        assert_eq!(f("1.500,5 Milliarden", "de"), ["1500.5"]);
        assert_eq!(f("80.000 Soldaten", "de"), ["80000"]);
        assert_eq!(f("WCAG 2.1", "en"), f("WCAG 2.1", "fr"));
        assert_eq!(f("WCAG 2.1", "en"), f("WCAG 2.1", "de"));
        assert_eq!(f("le 1er novembre 2024", "fr"), ["2024-11-01"]);
        assert_eq!(
            f(
                "In June 2025, see [x](@/a.md#s2) {#h3} [@eprs2024, p. 3]",
                "en"
            ),
            ["2025-06"]
        );
        assert_eq!(
            f("2021-2027 and 2026-02-11", "en"),
            ["2021", "2027", "2026-02-11"]
        );
    }

    #[test]
    fn the_fingerprint_follows_the_text() {
        let front = FrontMatter {
            title: Some("Japan".into()),
            ..FrontMatter::default()
        };
        let a = fingerprint("Body.", &front, None);
        assert_eq!(a.len(), FINGERPRINT_LEN);
        assert_eq!(a, fingerprint("Body.\n", &front, None));
        assert_ne!(a, fingerprint("Body!", &front, None));
        let mut other = front.clone();
        other.weight = Some(3);
        assert_eq!(
            a,
            fingerprint("Body.", &other, None),
            "language-neutral keys do not count"
        );
    }
}
