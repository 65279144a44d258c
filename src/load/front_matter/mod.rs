//! Splitting a content file into front matter and body, and reading the
//! front matter into a typed [`FrontMatter`].
//!
//! Every key is checked on its own: an unknown key gets a did-you-mean, a
//! value of the wrong type says what was expected, and a section's schema
//! (from `site.yaml`) adds its own keys and requirements. All problems of a
//! file are reported together, each at the line of its key.

use std::path::Path;

use serde_yaml::{Mapping, Value};

mod schema_fields;
mod split;

pub use split::{FRONT_MATTER_FIRST_LINE, Format, Split, split};

use schema_fields::{cited_field, expect_date};

use super::toml_front;
use crate::config::{COMMON_PAGE_KEYS, SectionSchema};
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{
    self, did_you_mean, expect_bool, expect_integer, expect_string, expect_string_list, key_text,
};

/// Whether a file is a section's own page (`_index.md`) or a plain page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Section,
    Page,
}

/// One entry of a page's `sources`: written out (`{title, url, …}`), or
/// an id of the source register, whose data is filled in when the page is
/// read (`citations::resolve`).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub title: String,
    pub url: String,
    pub publisher: Option<String>,
    pub date: Option<Date>,
    /// The register id, when the entry was given as one.
    pub id: Option<String>,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Weight, then date (oldest first), then title.
    #[default]
    Weight,
    /// Date (newest first), then title.
    Date,
    Title,
}

/// The value of a schema field, typed as the schema says.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    Bool(bool),
    Date(Date),
    List(Vec<String>),
    /// Optional and not given.
    Absent,
}

/// Typed front matter. Everything is optional here; what is required is
/// decided (and reported) while reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// The YAML did not parse (already reported): every other field is its
    /// default, so checks of what the page declares must not run on it, or
    /// one mistake would also read as "no sources", "no title"…
    pub unreadable: bool,
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub slug: Option<String>,
    pub template: Option<String>,
    pub tags: Vec<String>,
    pub sources: Vec<Source>,
    /// Old site paths of the page (as written), each with its file line:
    /// they get redirects to the page.
    pub aliases: Vec<(String, usize)>,
    /// The register ids given for schema fields that require a citation
    /// (`signed_source:` for `signed`), by field name.
    pub field_sources: Vec<(String, Vec<String>)>,
    /// `changes:`, the page's dated history, in the order written.
    pub changes: Vec<super::dated::Change>,
    /// `events:`, dated events for the timeline, each with its sources.
    pub events: Vec<super::dated::Event>,
    /// A translation's `events:` given as titles only (`[{title}]`), in the
    /// original's order: they replace the original's titles, nothing else.
    pub event_titles: Vec<String>,
    pub extra: Option<serde_json::Value>,
    /// Section schema fields, in schema order, each present (maybe `Absent`).
    pub fields: Vec<(String, FieldValue)>,
    /// Sections only.
    pub sort_by: SortBy,
    /// Sections only: template for the section's pages.
    pub page_template: Option<String>,
    /// The file line of each top-level key, for later diagnostics.
    pub key_lines: Vec<(String, usize)>,
    /// A translation's record of the original it was made from (the
    /// original's fingerprint, written by `dossier translations`).
    pub translated_from: Option<String>,
}

impl FrontMatter {
    /// The line `key:` is written on, or 1 (the top of the file).
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(1, |(_, l)| *l)
    }
}

const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "template",
    "page_template",
    "sort_by",
    "sources",
    "aliases",
    "changes",
    "events",
    "extra",
    "translated_from",
];

const SOURCE_KEYS: &[&str] = &["title", "url", "publisher", "date"];

/// Reads front matter (YAML, or TOML for `format`). Problems are pushed to
/// `diagnostics` with `file` and the line of the offending key; reading
/// always goes on so one pass finds everything. Both languages are read
/// into the same mapping and checked by the same code.
pub fn parse(
    yaml_text: &str,
    format: Format,
    kind: DocKind,
    schema: Option<&SectionSchema>,
    file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    let first_line = FRONT_MATTER_FIRST_LINE;
    let parsed = match format {
        Format::Yaml => yaml::parse_mapping(yaml_text, first_line).map_err(|e| {
            let mut d = Diagnostic::error("E-FRONT-MATTER-YAML", file, e.message).at(e.location);
            d.hint = e.hint;
            d.notes.extend(e.note);
            d
        }),
        Format::Toml => toml_front::parse_mapping(yaml_text, first_line).map_err(|e| {
            Diagnostic::error("E-FRONT-MATTER-TOML", file, e.message)
                .at(e.location)
                .hint("check the quotes and brackets on that line; text is quoted (`title = \"Japan\"`), dates are not (`date = 2024-11-01`)")
        }),
    };
    let mapping = match parsed {
        Ok(m) => m,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let key_lines = match format {
        Format::Yaml => yaml::key_lines(yaml_text, first_line),
        Format::Toml => toml_front::key_lines(yaml_text, first_line),
    };
    let mut reader = Reader {
        text: yaml_text,
        key_lines,
        file,
        diagnostics,
    };
    Some(reader.read(&mapping, kind, schema))
}

struct Reader<'a> {
    /// The front matter's text, to find the line of a list item.
    text: &'a str,
    /// The line of each top-level key, found once.
    key_lines: std::collections::HashMap<&'a str, usize>,
    file: &'a Path,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn key_location(&self, key: &str) -> Location {
        let line = self.key_lines.get(key).copied();
        Location::new(line.unwrap_or(FRONT_MATTER_FIRST_LINE), 1)
    }

    /// The file line of each of `items`, the values of list `key`: the
    /// first line at or after the previous item's that holds the item's
    /// text (in YAML's block or flow style, or a TOML array alike), else
    /// the key's line.
    fn item_lines(&self, key: &str, items: &[String]) -> Vec<usize> {
        let key_line = self.key_location(key).line;
        let lines: Vec<&str> = self.text.lines().collect();
        let mut at = key_line.saturating_sub(FRONT_MATTER_FIRST_LINE);
        items
            .iter()
            .map(|item| {
                match lines
                    .iter()
                    .enumerate()
                    .skip(at)
                    .take(items.len() + 8)
                    .find(|(_, l)| l.contains(item.as_str()))
                {
                    Some((i, _)) => {
                        at = i;
                        FRONT_MATTER_FIRST_LINE + i
                    }
                    None => key_line,
                }
            })
            .collect()
    }

    fn error(&mut self, code: &'static str, key: &str, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(code, self.file, message)
            .at(self.key_location(key))
            .underline(key.chars().count());
        d.hint = hint;
        self.diagnostics.push(d);
    }

    fn read(&mut self, m: &Mapping, kind: DocKind, schema: Option<&SectionSchema>) -> FrontMatter {
        let mut fm = FrontMatter::default();
        let schema_fields = schema.map(|s| s.fields.as_slice()).unwrap_or_default();
        for (k, v) in m {
            let key = key_text(k);
            fm.key_lines
                .push((key.clone(), self.key_location(&key).line));
            if let Some(text) = placeholder_in(v) {
                self.error(
                    "E-PLACEHOLDER",
                    &key,
                    format!("`{key}` still holds the placeholder \"{text}\""),
                    Some("replace the TODO text with the real value (see CONTENT.md)".into()),
                );
                continue;
            }
            let result = match key.as_str() {
                "title" => expect_string(v).map(|s| fm.title = Some(s)),
                "description" => expect_string(v).map(|s| fm.description = Some(s)),
                "date" => expect_date(v).map(|d| fm.date = Some(d)),
                "updated" => expect_date(v).map(|d| fm.updated = Some(d)),
                "weight" => expect_integer(v).map(|w| fm.weight = Some(w)),
                "template" => expect_string(v).map(|s| fm.template = Some(s)),
                "sources" => self.read_sources(v).map(|s| fm.sources = s),
                "changes" => super::dated::read_changes(v).map(|c| fm.changes = c),
                "events" => match super::dated::read_event_titles(v) {
                    Some(titles) if !titles.is_empty() => {
                        fm.event_titles = titles;
                        Ok(())
                    }
                    _ => super::dated::read_events(v).map(|e| fm.events = e),
                },
                "extra" => yaml::to_json(v).map(|j| fm.extra = Some(j)),
                "translated_from" => expect_string(v).map(|s| fm.translated_from = Some(s)),
                "aliases" => expect_string_list(v).map(|list| {
                    let lines = self.item_lines(&key, &list);
                    fm.aliases = list.into_iter().zip(lines).collect();
                }),
                "draft" if kind == DocKind::Page => expect_bool(v).map(|b| fm.draft = b),
                "slug" if kind == DocKind::Page => expect_string(v).map(|s| fm.slug = Some(s)),
                "tags" if kind == DocKind::Page => expect_string_list(v).map(|t| fm.tags = t),
                "page_template" if kind == DocKind::Section => {
                    expect_string(v).map(|s| fm.page_template = Some(s))
                }
                "sort_by" if kind == DocKind::Section => read_sort_by(v).map(|s| fm.sort_by = s),
                _ if kind == DocKind::Page && schema_fields.iter().any(|f| f.name == key) => {
                    // Typed below, in schema order.
                    Ok(())
                }
                _ if kind == DocKind::Page && cited_field(&key, schema_fields).is_some() => {
                    let field = cited_field(&key, schema_fields).unwrap_or_default();
                    super::dated::read_ids(v).map(|ids| fm.field_sources.push((field, ids)))
                }
                _ => {
                    self.unknown_key(&key, kind, schema);
                    Ok(())
                }
            };
            if let Err(message) = result {
                let code = if key == "sources" && message.contains("not a web address") {
                    "E-SOURCE-URL"
                } else {
                    "E-FRONT-MATTER-TYPE"
                };
                self.error(
                    code,
                    &key,
                    format!("`{key}`: {message}"),
                    example_for(&key).map(|e| format!("for example `{key}: {e}`")),
                );
            }
        }
        if kind == DocKind::Page {
            fm.fields = self.read_schema_fields(m, schema_fields);
            self.require_citations(m, schema_fields);
        }
        fm
    }

    fn unknown_key(&mut self, key: &str, kind: DocKind, schema: Option<&SectionSchema>) {
        let mut known: Vec<&str> = match kind {
            DocKind::Page => COMMON_PAGE_KEYS.to_vec(),
            DocKind::Section => SECTION_KEYS.to_vec(),
        };
        let cite_keys: Vec<String> = schema
            .iter()
            .flat_map(|s| s.fields.iter().filter(|f| f.cite))
            .map(|f| format!("{}_source", f.name))
            .collect();
        if kind == DocKind::Page {
            known.extend(
                schema
                    .iter()
                    .flat_map(|s| s.fields.iter().map(|f| f.name.as_str())),
            );
            known.extend(cite_keys.iter().map(String::as_str));
        }
        let hint = match did_you_mean(key, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "known keys here: {}; put anything else under `extra:`",
                known.join(", ")
            ),
        };
        let what = if kind == DocKind::Section {
            "in a section's _index.md"
        } else {
            "in front matter"
        };
        self.error(
            "E-FRONT-MATTER-UNKNOWN-KEY",
            key,
            format!("unknown key `{key}` {what}"),
            Some(hint),
        );
    }

    fn read_sources(&mut self, v: &Value) -> Result<Vec<Source>, String> {
        let items = match v {
            Value::Sequence(items) => items,
            Value::Null => return Ok(Vec::new()),
            other => {
                return Err(format!(
                    "expected a list of sources, found {}",
                    yaml::kind_of(other)
                ));
            }
        };
        let mut sources = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            if let Value::String(id) = item {
                crate::citations::register::check_id(id).map_err(|e| format!("source {n}: {e}"))?;
                sources.push(Source {
                    title: String::new(),
                    url: String::new(),
                    publisher: None,
                    date: None,
                    id: Some(id.clone()),
                });
                continue;
            }
            let Value::Mapping(m) = item else {
                return Err(format!(
                    "source {n} must be a register id or have `title:` and `url:`, found {}",
                    yaml::kind_of(item)
                ));
            };
            let mut source = Source {
                title: String::new(),
                url: String::new(),
                publisher: None,
                date: None,
                id: None,
            };
            for (k, v) in m {
                let key = key_text(k);
                let prefix = |e: String| format!("source {n}, `{key}`: {e}");
                match key.as_str() {
                    "title" => source.title = expect_string(v).map_err(prefix)?,
                    "url" => source.url = expect_url(v).map_err(prefix)?,
                    "publisher" => source.publisher = Some(expect_string(v).map_err(prefix)?),
                    "date" => source.date = Some(expect_date(v).map_err(prefix)?),
                    _ => {
                        let hint = did_you_mean(&key, SOURCE_KEYS.iter().copied())
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default();
                        return Err(format!(
                            "source {n} has unknown key `{key}`{hint}; sources take title, url, publisher and date"
                        ));
                    }
                }
            }
            if source.title.trim().is_empty() || source.url.is_empty() {
                return Err(format!("source {n} needs both `title:` and `url:`"));
            }
            sources.push(source);
        }
        Ok(sources)
    }
}

/// Scaffolded pages (`dossier new`) mark what an editor must fill in with
/// text starting `TODO`. Such a value anywhere under a key fails the build.
pub const PLACEHOLDER: &str = "TODO";

fn placeholder_in(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) if s.trim_start().starts_with(PLACEHOLDER) => Some(s),
        Value::Sequence(items) => items.iter().find_map(placeholder_in),
        Value::Mapping(m) => m.values().find_map(placeholder_in),
        Value::Tagged(t) => placeholder_in(&t.value),
        _ => None,
    }
}

/// Accepts absolute http(s) addresses with a host and no spaces.
pub fn expect_url(v: &Value) -> Result<String, String> {
    let url = expect_string(v)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !url.contains(char::is_whitespace) => {
            Ok(url)
        }
        _ => Err(format!(
            "`{url}` is not a web address; write it in full, starting with https://"
        )),
    }
}

fn read_sort_by(v: &Value) -> Result<SortBy, String> {
    match expect_string(v)?.as_str() {
        "weight" => Ok(SortBy::Weight),
        "date" => Ok(SortBy::Date),
        "title" => Ok(SortBy::Title),
        other => Err(format!(
            "`{other}` is not a sort order; use weight, date or title"
        )),
    }
}

fn example_for(key: &str) -> Option<&'static str> {
    Some(match key {
        "date" | "updated" => "2026-02-11",
        "draft" => "true",
        "weight" => "3",
        "tags" => "[Ukraine, NATO allies]",
        "title" => "Japan",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    fn parse_page(yaml: &str, schema: Option<&SectionSchema>) -> (FrontMatter, Vec<String>) {
        let mut d = Vec::new();
        let fm = parse(
            yaml,
            Format::Yaml,
            DocKind::Page,
            schema,
            Path::new("content/a.md"),
            &mut d,
        )
        .unwrap_or_default();
        (fm, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn split_finds_front_matter_and_body_line() {
        let s = split("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter, Some("title: x\n"));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_first_line, 4);
        let s = split("# Heading\n").unwrap();
        assert_eq!(s.front_matter, None);
        let s = split("---  \n---\n").unwrap();
        assert_eq!(s.front_matter, Some(""));
    }

    #[test]
    fn split_reports_unterminated_front_matter() {
        let d = split("---\ntitle: x\nbody\n").unwrap_err();
        assert!(d.message.contains("never closed"));
    }

    #[test]
    fn reads_common_keys() {
        let (fm, errors) = parse_page(
            "title: Japan\ndate: 2024-11-01\ndraft: true\nweight: 3\ntags: [a, b]\nsources:\n  - {title: EEAS, url: https://eeas.europa.eu/x, date: 2024-11-01}\nextra: {k: v}\n",
            None,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fm.title.as_deref(), Some("Japan"));
        assert_eq!(fm.date.unwrap().to_string(), "2024-11-01");
        assert!(fm.draft);
        assert_eq!(fm.weight, Some(3));
        assert_eq!(fm.tags, ["a", "b"]);
        assert_eq!(fm.sources[0].url, "https://eeas.europa.eu/x");
    }

    #[test]
    fn reports_every_bad_key_at_its_line() {
        let (_, errors) = parse_page(
            "titel: x\ndate: 2026-02-30\nweight: heavy\nsources: [{title: a, url: ftp://x}]\n",
            None,
        );
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("a.md:2:1") && errors[0].contains("did you mean `title`"));
        assert!(errors[1].contains("a.md:3:1") && errors[1].contains("not a real calendar date"));
        assert!(errors[2].contains("a.md:4:1") && errors[2].contains("whole number"));
        assert!(errors[3].contains("a.md:5:1") && errors[3].contains("https://"));
    }

    #[test]
    fn placeholders_and_bad_source_urls_have_their_own_codes() {
        let mut d = Vec::new();
        let fm = parse(
            "title: X\nsources:\n  - {title: \"TODO: title\", url: \"TODO: https://\"}\nweight: 2\n",
            Format::Yaml,
            DocKind::Page,
            None,
            Path::new("content/a.md"),
            &mut d,
        )
        .unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "E-PLACEHOLDER");
        assert_eq!(d[0].location.unwrap().line, 3);
        assert_eq!(fm.weight, Some(2));
        assert_eq!(fm.line_of("weight"), 5);
        let (_, errors) = parse_page(
            "title: X\nsources: [{title: a, url: \"www.x.org\"}]\n",
            None,
        );
        assert!(errors[0].starts_with("error[E-SOURCE-URL]"), "{errors:?}");
    }

    #[test]
    fn applies_the_section_schema() {
        let config = SiteConfig::parse(
            "title: T\nbase_url: https://x/\nsections:\n  partners:\n    fields:\n      status: { type: enum, values: [concluded, proposed], required: true }\n      nato: { type: bool, required: true }\n      signed: { type: date }\n      sources: { required: true }\n",
        )
        .unwrap();
        let schema = config.schema_for("partners");
        let (fm, errors) = parse_page("title: J\nstatus: concluded\nnato: false\n", schema);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("missing required field `sources`"),
            "{errors:?}"
        );
        assert_eq!(
            fm.fields,
            vec![
                ("status".to_string(), FieldValue::Text("concluded".into())),
                ("nato".to_string(), FieldValue::Bool(false)),
                ("signed".to_string(), FieldValue::Absent),
            ]
        );
        let (_, errors) = parse_page("title: J\nstatus: concluded-ish\n", schema);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("did you mean `concluded`")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("missing required fields `nato`, `sources`")),
            "{errors:?}"
        );
        let (_, errors) = parse_page("title: J\n", schema);
        assert_eq!(
            errors.len(),
            1,
            "one finding for all missing fields: {errors:?}"
        );
        assert!(
            errors[0].contains("fields `status`, `nato`, `sources`"),
            "{errors:?}"
        );
    }

    #[test]
    fn section_keys_differ_from_page_keys() {
        let mut d = Vec::new();
        let fm = parse(
            "title: S\nsort_by: date\ntags: [x]\n",
            Format::Yaml,
            DocKind::Section,
            None,
            Path::new("content/s/_index.md"),
            &mut d,
        )
        .unwrap();
        assert_eq!(fm.sort_by, SortBy::Date);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("unknown key `tags`"));
    }
}
