//! The words the engine itself writes around citations, in the page's
//! language: the hidden "source" before a citation number, the reference
//! list's heading, "Cited at", the "back to citation" links and the grade
//! of each source.
//!
//! They are written while a page is read (the reference list is part of its
//! body), before templates and their `t()` run, so they are settings of the
//! site, read with `site.yaml`. dossier knows them in English, French and
//! German; a site can change them, or give them in another language, with
//! the keys `citations.*` of its `i18n/<code>.yaml` (see CONTENT.md).

use super::register::Grade;
use crate::i18n::Strings;

/// The words of one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// Said before a citation's number (`source 3`), for screen readers.
    pub source: String,
    /// The reference list's heading.
    pub heading: String,
    /// Before the places a source is cited at (`Cited at p. 3; art. 2`).
    pub cited_at: String,
    /// A back link's hidden text; `{n}` is the citation, `{source}` the
    /// source's number.
    pub back: String,
    /// Each grade's label, in [`Grade::NAMES`] order.
    pub grades: [String; 5],
}

/// (key, English, French, German), the keys under `citations.` in i18n.
const BUILT_IN: [(&str, &str, &str, &str); 9] = [
    ("source", "source", "source", "Quelle"),
    ("heading", "Sources", "Sources", "Quellen"),
    (
        "cited_at",
        "Cited at",
        "Passages cités\u{a0}:",
        "Zitierte Stellen:",
    ),
    (
        "back",
        "back to citation {n} of source {source}",
        "retour à la citation {n} de la source {source}",
        "zurück zur Zitierstelle {n} der Quelle {source}",
    ),
    (
        "grade.official",
        "official source",
        "source officielle",
        "amtliche Quelle",
    ),
    (
        "grade.repost",
        "repost of an official text",
        "reprise d’un texte officiel",
        "Wiedergabe eines amtlichen Textes",
    ),
    (
        "grade.press",
        "press report",
        "article de presse",
        "Pressebericht",
    ),
    (
        "grade.reference",
        "reference work",
        "ouvrage de référence",
        "Nachschlagewerk",
    ),
    (
        "grade.weak",
        "weak source",
        "source fragile",
        "schwache Quelle",
    ),
];

impl Words {
    /// The words for `code`: the site's `citations.*` strings where it has
    /// them, else dossier's own for English, French and German, else English.
    pub fn for_language(code: &str, strings: &Strings) -> Words {
        let word = |(key, en, fr, de): (&str, &str, &str, &str)| -> String {
            if let Some(own) = strings.exact(code, &format!("citations.{key}")) {
                return own.to_string();
            }
            match primary(code) {
                "fr" => fr,
                "de" => de,
                _ => en,
            }
            .to_string()
        };
        let [
            source,
            heading,
            cited_at,
            back,
            official,
            repost,
            press,
            reference,
            weak,
        ] = BUILT_IN.map(word);
        Words {
            source,
            heading,
            cited_at,
            back,
            grades: [official, repost, press, reference, weak],
        }
    }

    pub fn english() -> Words {
        Words::for_language("en", &Strings::default())
    }

    pub fn grade(&self, grade: Grade) -> &str {
        &self.grades[grade as usize]
    }

    /// The hidden text of the back link to citation `n` of source `source`.
    pub fn back_to(&self, n: usize, source: usize) -> String {
        self.back
            .replace("{n}", &n.to_string())
            .replace("{source}", &source.to_string())
    }
}

/// The English label of `grade`.
pub fn english_grade(grade: Grade) -> &'static str {
    BUILT_IN[4 + grade as usize].1
}

/// `fr` of `fr-BE`.
fn primary(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_words_and_a_sites_own() {
        let none = Strings::default();
        assert_eq!(Words::for_language("de", &none).heading, "Quellen");
        assert_eq!(
            Words::for_language("fr-BE", &none).grade(Grade::Official),
            "source officielle"
        );
        assert_eq!(Words::for_language("pl", &none), Words::english());
        let files = vec![(
            "pl".to_string(),
            Ok("citations:\n  heading: Źródła\n  grade:\n    press: prasa\n".to_string()),
        )];
        let own = Strings::lenient(&files, &["pl".to_string()]);
        let pl = Words::for_language("pl", &own);
        assert_eq!(pl.heading, "Źródła");
        assert_eq!(pl.grade(Grade::Press), "prasa");
        assert_eq!(
            pl.source, "source",
            "what the site does not give stays English"
        );
        assert_eq!(
            Words::english().back_to(2, 5),
            "back to citation 2 of source 5"
        );
    }
}
