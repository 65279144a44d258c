//! Languages: which ones a site has, how a file says which one it is in,
//! and what a translation inherits from its original.
//!
//! A site without `languages:` in `site.yaml` has one language (`language:`,
//! `en` by default) and nothing here changes its output. With `languages:`,
//! the first is the default (published at the root) and every other one is
//! published under its base path (`/fr/`). A translation is a file beside its
//! original with the language's code before `.md`: `partners/japan.fr.md`,
//! `partners/_index.fr.md`, `_index.fr.md`, `partners/japan/index.fr.md`.
//!
//! The rest of dossier sees a language only as a [`LangId`] on documents,
//! pages and sections (0 is the default language) and asks this module
//! everything else.

pub mod command;
pub mod drift;
pub mod inherit;

use serde_yaml::Value;

use crate::yaml::{self, did_you_mean, expect_string, key_text};

/// A language's index in [`Languages::list`]; 0 is the default language.
pub type LangId = usize;
pub const DEFAULT: LangId = 0;

/// One language of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// `fr`: the code in file names, `<html lang>`, `hreflang`.
    pub code: String,
    /// `Français`: the language's name in itself, for the switcher.
    pub name: String,
    /// The site's title in this language (default: `title:`).
    pub title: Option<String>,
    pub description: Option<String>,
    /// `/fr/` (always `/` for the default language).
    pub base_path: String,
}

/// What a page without a translation becomes in that language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fallback {
    /// Left out of the language; lists, links and the switcher point at the
    /// original, marked with its language.
    #[default]
    Link,
    /// Published in the language from the original's text, with a notice.
    Render,
}

/// The site's languages (`languages:` in `site.yaml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Languages {
    /// Empty for a one-language site.
    pub list: Vec<Language>,
    pub fallback: Fallback,
}

/// Names of common languages in themselves, so `languages: [en, fr, de]`
/// needs no more.
const KNOWN_NAMES: &[(&str, &str)] = &[
    ("bg", "Български"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("ga", "Gaeilge"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("it", "Italiano"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("mt", "Malti"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("sv", "Svenska"),
    ("uk", "Українська"),
];

impl Languages {
    /// True when `languages:` declares more than the default language's
    /// files: only then are `x.<code>.md` names translations.
    pub fn enabled(&self) -> bool {
        !self.list.is_empty()
    }

    pub fn get(&self, id: LangId) -> Option<&Language> {
        self.list.get(id)
    }

    /// The code of `id`, or `fallback` (the site's `language:`) when the
    /// site has one language.
    pub fn code<'a>(&'a self, id: LangId, fallback: &'a str) -> &'a str {
        self.list.get(id).map_or(fallback, |l| l.code.as_str())
    }

    pub fn id_of(&self, code: &str) -> Option<LangId> {
        self.list.iter().position(|l| l.code == code)
    }

    /// Which language the file `source` is in, and the source of its
    /// original (itself for the default language). An `x.<code>.md` name
    /// whose code is not declared is an error with a did-you-mean; without
    /// `languages:`, every file is in the default language, dots or not.
    pub fn classify(&self, source: &str) -> Result<(LangId, String), String> {
        if !self.enabled() {
            return Ok((DEFAULT, source.to_string()));
        }
        let Some((stem, code)) = code_suffix(source) else {
            return Ok((DEFAULT, source.to_string()));
        };
        let original = format!("{stem}.md");
        match self.id_of(code) {
            Some(DEFAULT) => Err(format!(
                "`.{code}` names the default language; the original is content/{original} without a code"
            )),
            Some(id) => Ok((id, original)),
            None => {
                let codes = self.list.iter().map(|l| l.code.as_str());
                let close = did_you_mean(code, codes).or_else(|| {
                    self.list
                        .iter()
                        .skip(1)
                        .find(|l| l.code[..1] == code[..1])
                        .map(|l| l.code.as_str())
                });
                let declared: Vec<&str> = self.list.iter().map(|l| l.code.as_str()).collect();
                Err(match close {
                    Some(c) => format!(
                        "`.{code}` is not a language of this site (did you mean `.{c}`?); declared: {}",
                        declared.join(", ")
                    ),
                    None => format!(
                        "`.{code}` is not a language of this site; declared: {}",
                        declared.join(", ")
                    ),
                })
            }
        }
    }

    /// The file a translation of `original` into `lang` would be:
    /// `partners/japan.md` → `partners/japan.fr.md`.
    pub fn translation_source(&self, original: &str, lang: LangId) -> Option<String> {
        let code = &self.list.get(lang)?.code;
        let stem = original.strip_suffix(".md")?;
        (lang != DEFAULT).then(|| format!("{stem}.{code}.md"))
    }
}

/// `partners/japan.fr.md` → (`partners/japan`, `fr`): a file name that
/// ends in `.<code>.md`, where a code is two or three lower-case letters,
/// optionally with a region (`pt-br`). Anything else has no code.
pub fn code_suffix(source: &str) -> Option<(&str, &str)> {
    let stem = source.strip_suffix(".md")?;
    let dot = stem.rfind('.')?;
    let (before, code) = (&stem[..dot], &stem[dot + 1..]);
    let name_start = before.rfind('/').map_or(0, |i| i + 1);
    if before.len() == name_start {
        return None;
    }
    let (lang, region) = code.split_once('-').unwrap_or((code, ""));
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    let region_ok = region.is_empty()
        || ((2..=8).contains(&region.len())
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    (lang_ok && region_ok).then_some((before, code))
}

/// The file name of `source` without its language code, as the rest of
/// dossier reads names (`_index.fr.md` → `_index.md`).
pub fn base_file_name(source: &str, lang: LangId) -> &str {
    let name = crate::load::file_name(source);
    if lang == DEFAULT {
        return name;
    }
    match base_stem(source, lang) {
        "_index" => "_index.md",
        "index" => "index.md",
        _ => name,
    }
}

/// The file's name without `.md` and without its language code:
/// `partners/japan.fr.md` → `japan`.
pub fn base_stem(source: &str, lang: LangId) -> &str {
    let name = crate::load::file_name(source);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    if lang == DEFAULT {
        return stem;
    }
    match code_suffix(name) {
        Some((stem, _)) => stem,
        None => stem,
    }
}

/// Reads `languages:`: a list of codes (`[en, fr, de]`), of mappings
/// (`- {code: fr, name: Français, title: …}`) or a mapping from code to
/// settings, in order, the first being the default.
pub fn read(v: &Value) -> Result<Vec<Language>, String> {
    let mut out: Vec<Language> = Vec::new();
    let entries: Vec<(String, Option<&Value>)> = match v {
        Value::Sequence(items) => items
            .iter()
            .map(|item| match item {
                Value::Mapping(m) => {
                    let code = m.get("code").map(expect_string).transpose()?.ok_or(
                        "each language in the list needs `code:` (or write just the code)",
                    )?;
                    Ok((code, Some(item)))
                }
                other => Ok((expect_string(other)?, None)),
            })
            .collect::<Result<_, String>>()?,
        Value::Mapping(m) => m.iter().map(|(k, v)| (key_text(k), Some(v))).collect(),
        other => {
            return Err(format!(
                "expected a list of language codes such as [en, fr, de], found {}",
                yaml::kind_of(other)
            ));
        }
    };
    for (code, settings) in entries {
        if code_suffix(&format!("x.{code}.md")).is_none() {
            return Err(format!(
                "`{code}` is not a language code: use two or three lower-case letters (fr, de), optionally with a region (pt-br)"
            ));
        }
        if out.iter().any(|l| l.code == code) {
            return Err(format!("`{code}` is listed twice"));
        }
        let mut language = Language {
            name: KNOWN_NAMES
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, n)| n.to_string())
                .unwrap_or_default(),
            title: None,
            description: None,
            base_path: if out.is_empty() {
                "/".into()
            } else {
                format!("/{code}/")
            },
            code: code.clone(),
        };
        if let Some(Value::Mapping(m)) = settings {
            for (k, v) in m {
                match key_text(k).as_str() {
                    "code" => {}
                    "name" => language.name = expect_string(v)?,
                    "title" => language.title = Some(expect_string(v)?),
                    "description" => language.description = Some(expect_string(v)?),
                    "base_path" => {
                        let raw = expect_string(v)?;
                        if out.is_empty() {
                            return Err(format!(
                                "`{code}`: the default language is published at the root; it takes no `base_path`"
                            ));
                        }
                        let segment = raw.trim_matches('/');
                        if crate::model::urls::segment(segment, crate::config::Slugify::Strict)
                            .ok()
                            .as_deref()
                            != Some(segment)
                        {
                            return Err(format!(
                                "`{code}`: base_path `{raw}` must be one plain folder name such as `/fr/`"
                            ));
                        }
                        language.base_path = format!("/{segment}/");
                    }
                    other => {
                        let known = ["code", "name", "title", "description", "base_path"];
                        return Err(match did_you_mean(other, known) {
                            Some(s) => {
                                format!("`{code}`: unknown key `{other}` (did you mean `{s}`?)")
                            }
                            None => format!(
                                "`{code}`: unknown key `{other}` (known: {})",
                                known.join(", ")
                            ),
                        });
                    }
                }
            }
        } else if let Some(Value::Null) | None = settings {
        } else if let Some(other) = settings {
            return Err(format!(
                "`{code}`: expected settings such as {{name: Français}}, found {}",
                yaml::kind_of(other)
            ));
        }
        if language.name.is_empty() {
            return Err(format!(
                "`{code}` needs a name, e.g. `{code}: {{ name: … }}` (written in the language itself)"
            ));
        }
        out.push(language);
    }
    if out.is_empty() {
        return Err("list at least one language, the default first: [en, fr]".into());
    }
    if let Some((a, b)) = out.iter().enumerate().find_map(|(i, a)| {
        out[i + 1..]
            .iter()
            .find(|b| b.base_path == a.base_path)
            .map(|b| (a, b))
    }) {
        return Err(format!(
            "`{}` and `{}` share the base path {}",
            a.code, b.code, a.base_path
        ));
    }
    Ok(out)
}

pub fn read_fallback(v: &Value) -> Result<Fallback, String> {
    match expect_string(v)?.as_str() {
        "link" => Ok(Fallback::Link),
        "render" => Ok(Fallback::Render),
        other => Err(format!(
            "`{other}` is not a fallback: use link (leave the page out and link to the original) or render (publish the original's text with a notice)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> Languages {
        let v: Value = serde_yaml::from_str("[en, fr, de]").unwrap();
        Languages {
            list: read(&v).unwrap(),
            fallback: Fallback::Link,
        }
    }

    #[test]
    fn file_names_say_their_language() {
        let l = three();
        assert_eq!(
            l.classify("partners/japan.fr.md").unwrap(),
            (1, "partners/japan.md".to_string())
        );
        assert_eq!(l.classify("_index.de.md").unwrap(), (2, "_index.md".into()));
        assert_eq!(
            l.classify("partners/japan.md").unwrap(),
            (0, "partners/japan.md".into())
        );
        assert_eq!(l.classify("notes/v1.2.md").unwrap().0, 0);
        assert_eq!(l.classify("notes/.fr.md").unwrap().0, 0);
        let typo = l.classify("partners/japan.fe.md").unwrap_err();
        assert!(typo.contains("did you mean `.fr`"), "{typo}");
        assert!(
            l.classify("partners/japan.fi.md")
                .unwrap_err()
                .contains("declared: en, fr, de")
        );
        assert!(l.classify("partners/japan.en.md").is_err());
        let none = Languages::default();
        assert_eq!(
            none.classify("japan.fr.md").unwrap(),
            (0, "japan.fr.md".into())
        );
        assert_eq!(base_file_name("a/_index.fr.md", 1), "_index.md");
        assert_eq!(base_file_name("a/index.fr.md", 1), "index.md");
        assert_eq!(base_stem("a/japan.fr.md", 1), "japan");
        assert_eq!(base_stem("a/japan.fr.md", 0), "japan.fr");
        assert_eq!(
            l.translation_source("a/b.md", 2).as_deref(),
            Some("a/b.de.md")
        );
    }

    #[test]
    fn reads_lists_and_mappings() {
        let l = three();
        assert_eq!(l.list[1].name, "Français");
        assert_eq!(l.list[0].base_path, "/");
        assert_eq!(l.list[2].base_path, "/de/");
        let v: Value = serde_yaml::from_str(
            "en: {name: English}\nfr: {name: Français, base_path: francais, title: T}\n",
        )
        .unwrap();
        let m = read(&v).unwrap();
        assert_eq!(m[1].base_path, "/francais/");
        assert_eq!(m[1].title.as_deref(), Some("T"));
        for bad in [
            "[en, en]",
            "[EN]",
            "[en, xx]",
            "{en: {nmae: E}}",
            "{en: {base_path: /en/}}",
        ] {
            let v: Value = serde_yaml::from_str(bad).unwrap();
            assert!(read(&v).is_err(), "{bad}");
        }
    }
}
