//! `site.yaml`: the site's settings and the schemas of its sections.
//!
//! Read once, before anything else, and shared read-only by every later
//! stage. Like front matter, every key is checked and every mistake reported
//! with its line, so a typo in `site.yaml` never silently falls back to a
//! default.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, did_you_mean, expect_bool, expect_integer, expect_string, key_text};

mod images;
mod lints;
mod schema;

pub use images::{ExtraFormat, ImageSettings};

pub use lints::LintLevel;
use lints::read_lints;
use schema::read_schema;
pub use schema::{COMMON_PAGE_KEYS, FieldKind, FieldSpec, SectionSchema};

pub const CONFIG_FILE: &str = "site.yaml";

/// How a file, folder or tag name becomes a URL segment (`slugify:` in
/// `site.yaml`, for the site or one section).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Slugify {
    /// Lower-case ASCII letters, digits and `-`, transliterating the rest
    /// (`Michał` → `michal`, `東京` → `dong-jing`). Today's URLs.
    #[default]
    Strict,
    /// Unicode letters, digits and combining marks kept (what may continue
    /// an identifier, Unicode's XID_Continue, which includes `_`; lower-cased, so names that differ
    /// only in case do not clash on case-insensitive file systems), and `_`,
    /// `+`, `.`, `~` and `-`; any other run of characters becomes one `-`.
    Safe,
    /// The name as it is, minus only what is unsafe in a file name: `/`,
    /// `\`, control characters, `<>:"|?*`, leading dots and trailing dots
    /// or spaces.
    Off,
}

impl Slugify {
    pub fn parse(value: &str) -> Result<Slugify, String> {
        match value {
            "strict" => Ok(Slugify::Strict),
            "safe" => Ok(Slugify::Safe),
            "off" => Ok(Slugify::Off),
            other => Err(format!(
                "`{other}` is not a slug strategy; use strict, safe or off"
            )),
        }
    }
}

/// The whole of `site.yaml`, typed.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    /// The public address of the site, always ending in `/`.
    pub base_url: String,
    pub language: String,
    pub description: Option<String>,
    /// Taxonomies that get list and term pages; only `tags` exists today.
    pub taxonomies: Vec<String>,
    pub markdown: MarkdownOptions,
    pub links: LinkOptions,
    /// Section schemas keyed by the section's folder below `content/`.
    pub sections: BTreeMap<String, SectionSchema>,
    pub limits: Limits,
    /// Settings of `dossier check`.
    pub check: CheckOptions,
    /// Extra outputs for readers and hosts.
    pub outputs: Outputs,
    /// Severity overrides for lints, by code (`W-ORPHAN: off`).
    pub lints: BTreeMap<String, LintLevel>,
    /// Free-form values for templates.
    pub extra: serde_json::Value,
    /// How file, folder and tag names become URLs, unless a section says
    /// otherwise.
    pub slugify: Slugify,
    /// URLs deliberately taken down: the URL history does not ask for them.
    pub retired: Vec<Retired>,
    /// The source register, `data/sources.yaml` (empty when there is none).
    /// Read with `site.yaml`, since every page is checked against it.
    pub register: std::sync::Arc<crate::citations::Register>,
    /// Open data: sections whose front matter facts are published as CSV
    /// and JSON, and whether the timeline is (`open_data:`).
    pub open_data: OpenData,
    /// `images:`: how images referenced from Markdown are processed.
    pub images: ImageSettings,
    /// `languages:` and `language_fallback:` (empty: one language).
    pub languages: crate::languages::Languages,
    /// The words the engine writes around citations, by language code
    /// (`citations::words`); read from `i18n/` with the settings because
    /// pages' reference lists are made while they are read.
    pub citation_words: std::sync::Arc<BTreeMap<String, crate::citations::Words>>,
}

/// One `retired:` entry: a URL published before and removed on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    /// As a site path (encoded, `/old/page/`).
    pub path: String,
    pub reason: Option<String>,
}

/// The redirect files written for pages' `aliases` (`redirects:` in site.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectOutputs {
    /// An HTML page at each alias, sending readers on (any host, and disk).
    pub pages: bool,
    /// `_redirects`, read by Netlify and Cloudflare Pages.
    pub netlify: bool,
    /// `redirects.nginx.conf`, an nginx `map` to include.
    pub nginx: bool,
}

/// `open_data: { sections: [partners], timeline: true }`.
#[derive(Debug, Clone, Default)]
pub struct OpenData {
    /// Each becomes `/data/<section>.csv` and `/data/<section>.json`.
    pub sections: Vec<String>,
    /// `/data/timeline.csv` and `.json`: every `events:` entry, and every
    /// date field that requires a citation.
    pub timeline: bool,
}

/// Files written besides the pages. Sitemap and robots.txt are on by
/// default; the feed and the search index are switched on in `site.yaml`.
#[derive(Debug, Clone)]
pub struct Outputs {
    pub sitemap: bool,
    pub robots: bool,
    /// Atom feed at `/atom.xml`, with at most this many entries.
    pub feed: Option<usize>,
    /// Search index at `/search-index.js`.
    pub search: Option<SearchOptions>,
    /// Precompressed `.gz` and `.br` siblings of every text file.
    pub compress: bool,
    /// Who publishes the site: the feed's author, JSON-LD's publisher.
    pub author: Option<String>,
    pub redirects: RedirectOutputs,
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Characters of body text indexed per page; 0 for titles and headings only.
    pub body_chars: usize,
    /// Sections (folders) left out of the index.
    pub exclude: Vec<String>,
}

/// What `dossier check` expects of the content.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Sections whose pages must list sources.
    pub sources_required: Vec<String>,
    /// Pages whose `reviewed`/`updated`/`date` is older are flagged.
    pub max_age_days: Option<u32>,
    /// For `--external`: seconds to wait for each answer.
    pub external_timeout_secs: Option<u64>,
    /// Sections whose every paragraph, list item and table must cite a
    /// source (`W-UNSOURCED`).
    pub sourced_sections: Vec<String>,
    /// Sections that may not cite sources graded `weak`
    /// (`E-SOURCE-UNRELIABLE`).
    pub reliable_sections: Vec<String>,
    /// Sections whose every image must be in a `figure` with a credit and
    /// a licence (`E-IMAGE-CREDIT`).
    pub image_credits_required: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    pub smart_punctuation: bool,
}

/// How links in the output are written.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Rewrite root-relative links (`/partners/`) relative to each page, so
    /// the site works from any sub-path and opened from disk.
    pub relative: bool,
    /// Add `index.html` to links that end in `/`: needed for `file://`,
    /// where a folder is not opened at its index.
    pub index_html: bool,
}

/// Guards that turn hostile or accidental input into a clear error instead
/// of exhausted memory.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest content file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest output file a template may write for one page, in bytes.
    pub max_output_bytes: u64,
    /// Longest time one output file may take to render.
    pub render_time: std::time::Duration,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "description",
    "taxonomies",
    "markdown",
    "links",
    "sections",
    "limits",
    "check",
    "lints",
    "author",
    "sitemap",
    "robots",
    "feed",
    "search",
    "compress",
    "redirects",
    "slugify",
    "retired",
    "open_data",
    "images",
    "languages",
    "language_fallback",
    "extra",
];

impl SiteConfig {
    /// The site's language codes, the default first.
    pub fn language_codes(&self) -> Vec<String> {
        if self.languages.enabled() {
            self.languages.list.iter().map(|l| l.code.clone()).collect()
        } else {
            vec![self.language.clone()]
        }
    }

    /// The engine's citation words in `code` (English when not read).
    pub fn citation_words(&self, code: &str) -> &crate::citations::Words {
        static ENGLISH: std::sync::LazyLock<crate::citations::Words> =
            std::sync::LazyLock::new(crate::citations::Words::english);
        self.citation_words.get(code).unwrap_or(&ENGLISH)
    }

    /// Reads `root/site.yaml`. On failure, every problem found is returned.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    return Err(vec![
                        Diagnostic::error("E-CONFIG", CONFIG_FILE, "site.yaml is not UTF-8 text")
                            .hint("save the file as UTF-8 in your editor"),
                    ]);
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![
                    Diagnostic::error(
                        "E-CONFIG",
                        CONFIG_FILE,
                        format!("no site.yaml in {}", root.display()),
                    )
                    .hint("create site.yaml with at least `title:` and `base_url:`, or pass --root with the site's folder"),
                ]);
            }
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    "E-CONFIG",
                    CONFIG_FILE,
                    format!("cannot read site.yaml: {e}"),
                )]);
            }
        };
        let config = SiteConfig::parse(&text);
        let register = crate::citations::Register::load(root);
        match (config, register) {
            (Ok(mut config), Ok(register)) => {
                config.register = std::sync::Arc::new(register);
                let codes = config.language_codes();
                let strings = crate::i18n::Strings::lenient(&crate::i18n::read_files(root), &codes);
                config.citation_words = std::sync::Arc::new(
                    codes
                        .iter()
                        .map(|code| {
                            (
                                code.clone(),
                                crate::citations::Words::for_language(code, &strings),
                            )
                        })
                        .collect(),
                );
                Ok(config)
            }
            (Ok(_), Err(e)) | (Err(e), Ok(_)) => Err(e),
            (Err(mut a), Err(b)) => {
                a.extend(b);
                Err(a)
            }
        }
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mapping = yaml::parse_mapping(text, 1).map_err(|e| {
            let mut d = Diagnostic::error("E-CONFIG-YAML", CONFIG_FILE, e.message).at(e.location);
            d.hint = e.hint;
            d.notes.extend(e.note);
            vec![d]
        })?;
        let mut reader = ConfigReader {
            text,
            key_lines: None,
            errors: Vec::new(),
        };
        let config = reader.read(&mapping);
        if reader.errors.is_empty() {
            Ok(config)
        } else {
            Err(reader.errors)
        }
    }

    /// The settings a site gets when its `site.yaml` cannot be used: every
    /// default, no schemas. Used only to go on checking what does not
    /// depend on `site.yaml` (see `build::CONFIG_INDEPENDENT`).
    pub fn fallback() -> SiteConfig {
        let mut reader = ConfigReader {
            text: "",
            key_lines: None,
            errors: Vec::new(),
        };
        reader.read(&Mapping::new())
    }

    pub fn schema_for(&self, section: &str) -> Option<&SectionSchema> {
        self.sections.get(section)
    }

    /// The slug strategy for a file or folder at `path` below `content/`:
    /// that of the nearest section schema at or above it that sets one,
    /// else the site's.
    pub fn slugify_for(&self, path: &str) -> Slugify {
        if self.sections.values().all(|s| s.slugify.is_none()) {
            return self.slugify;
        }
        let mut dir = path.trim_matches('/');
        loop {
            if let Some(s) = self.sections.get(dir).and_then(|s| s.slugify) {
                return s;
            }
            match dir.rfind('/') {
                Some(i) => dir = &dir[..i],
                None if !dir.is_empty() => dir = "",
                None => return self.slugify,
            }
        }
    }
}

/// Collects errors while reading the mapping, so all are reported at once.
struct ConfigReader<'a> {
    text: &'a str,
    /// Top-level key lines, found once when the first error needs one.
    key_lines: Option<std::collections::HashMap<&'a str, usize>>,
    errors: Vec<Diagnostic>,
}

impl<'a> ConfigReader<'a> {
    fn error_at(&mut self, key: &str, message: String, hint: Option<String>) {
        let line = *self
            .key_lines
            .get_or_insert_with(|| yaml::key_lines(self.text, 1))
            .get(key)
            .unwrap_or(&1);
        let mut d = Diagnostic::error("E-CONFIG", CONFIG_FILE, message).at(Location::new(line, 1));
        d.hint = hint;
        self.errors.push(d);
    }

    fn read(&mut self, m: &Mapping) -> SiteConfig {
        let mut config = SiteConfig {
            title: String::new(),
            base_url: String::new(),
            language: "en".into(),
            description: None,
            taxonomies: vec!["tags".into()],
            markdown: MarkdownOptions {
                smart_punctuation: true,
            },
            links: LinkOptions {
                relative: true,
                index_html: true,
            },
            sections: BTreeMap::new(),
            limits: Limits {
                max_file_bytes: 10 * 1024 * 1024,
                max_output_bytes: 64 * 1024 * 1024,
                render_time: std::time::Duration::from_secs(10),
            },
            check: CheckOptions::default(),
            outputs: Outputs {
                sitemap: true,
                robots: true,
                feed: None,
                search: None,
                compress: false,
                author: None,
                redirects: RedirectOutputs {
                    pages: true,
                    netlify: true,
                    nginx: true,
                },
            },
            lints: BTreeMap::new(),
            extra: serde_json::Value::Object(Default::default()),
            slugify: Slugify::Strict,
            retired: Vec::new(),
            register: Default::default(),
            citation_words: Default::default(),
            open_data: OpenData::default(),
            images: ImageSettings::default(),
            languages: Default::default(),
        };
        let mut language_given = false;
        for (k, v) in m {
            let key = key_text(k);
            let result: Result<(), String> = match key.as_str() {
                "title" => expect_string(v).map(|s| config.title = s),
                "base_url" => expect_string(v).and_then(|s| {
                    config.base_url = normalize_base_url(&s)?;
                    Ok(())
                }),
                "language" => expect_string(v).map(|s| {
                    language_given = true;
                    config.language = s
                }),
                "description" => expect_string(v).map(|s| config.description = Some(s)),
                "taxonomies" => yaml::expect_string_list(v).and_then(|list| {
                    if let Some(bad) = list.iter().find(|t| *t != "tags") {
                        return Err(format!(
                            "unknown taxonomy `{bad}`: only `tags` is supported"
                        ));
                    }
                    config.taxonomies = list;
                    Ok(())
                }),
                "markdown" => self.read_markdown(v, &mut config.markdown),
                "links" => self.read_links(v, &mut config.links),
                "sections" => self.read_sections(v).map(|s| config.sections = s),
                "limits" => self.read_limits(v, &mut config.limits),
                "check" => read_check(v).map(|c| config.check = c),
                "author" => expect_string(v).map(|a| config.outputs.author = Some(a)),
                "sitemap" => expect_bool(v).map(|b| config.outputs.sitemap = b),
                "robots" => expect_bool(v).map(|b| config.outputs.robots = b),
                "compress" => expect_bool(v).map(|b| config.outputs.compress = b),
                "feed" => read_feed(v).map(|f| config.outputs.feed = f),
                "search" => read_search(v).map(|s| config.outputs.search = s),
                "lints" => read_lints(v).map(|l| config.lints = l),
                "slugify" => expect_string(v)
                    .and_then(|s| Slugify::parse(&s))
                    .map(|s| config.slugify = s),
                "redirects" => read_redirects(v).map(|r| config.outputs.redirects = r),
                "retired" => read_retired(v).map(|r| config.retired = r),
                "extra" => yaml::to_json(v).map(|j| config.extra = j),
                "open_data" => read_open_data(v).map(|o| config.open_data = o),
                "images" => images::read_images(v).map(|i| config.images = i),
                "languages" => crate::languages::read(v).map(|l| config.languages.list = l),
                "language_fallback" => {
                    crate::languages::read_fallback(v).map(|f| config.languages.fallback = f)
                }
                _ => {
                    let hint = did_you_mean(&key, TOP_KEYS.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some(format!("known keys: {}", TOP_KEYS.join(", "))));
                    self.error_at(&key, format!("unknown key `{key}` in site.yaml"), hint);
                    Ok(())
                }
            };
            if let Err(message) = result {
                self.error_at(&key, format!("`{key}`: {message}"), None);
            }
        }
        if let Some(default) = config.languages.list.first() {
            if language_given && config.language != default.code {
                let message = format!(
                    "`language: {}` differs from the first of `languages:`, `{}`, which is the default",
                    config.language, default.code
                );
                self.error_at(
                    "language",
                    message,
                    Some("remove `language:`; the first of `languages:` is the default".into()),
                );
            }
            config.language = default.code.clone();
        }
        for (key, value, example) in [
            ("title", &config.title, "title: My site"),
            (
                "base_url",
                &config.base_url,
                "base_url: https://example.org/",
            ),
        ] {
            if value.is_empty() && !m.contains_key(key) {
                self.errors.push(
                    Diagnostic::error("E-CONFIG", CONFIG_FILE, format!("site.yaml has no `{key}`"))
                        .at_line(1)
                        .hint(format!("add a line such as `{example}`")),
                );
            }
        }
        config
    }

    fn read_markdown(&mut self, v: &Value, out: &mut MarkdownOptions) -> Result<(), String> {
        for (k, v) in sub_mapping(v)? {
            match key_text(k).as_str() {
                "smart_punctuation" => out.smart_punctuation = expect_bool(v)?,
                other => return Err(unknown_sub_key(other, &["smart_punctuation"])),
            }
        }
        Ok(())
    }

    fn read_links(&mut self, v: &Value, out: &mut LinkOptions) -> Result<(), String> {
        for (k, v) in sub_mapping(v)? {
            match key_text(k).as_str() {
                "relative" => out.relative = expect_bool(v)?,
                "index_html" => out.index_html = expect_bool(v)?,
                other => return Err(unknown_sub_key(other, &["relative", "index_html"])),
            }
        }
        Ok(())
    }

    fn read_limits(&mut self, v: &Value, out: &mut Limits) -> Result<(), String> {
        for (k, v) in sub_mapping(v)? {
            match key_text(k).as_str() {
                "max_file_kib" => out.max_file_bytes = positive(v, "max_file_kib")? * 1024,
                "max_output_kib" => out.max_output_bytes = positive(v, "max_output_kib")? * 1024,
                "render_seconds" => {
                    out.render_time = std::time::Duration::from_secs(positive(v, "render_seconds")?)
                }
                other => {
                    return Err(unknown_sub_key(
                        other,
                        &["max_file_kib", "max_output_kib", "render_seconds"],
                    ));
                }
            }
        }
        Ok(())
    }

    fn read_sections(&mut self, v: &Value) -> Result<BTreeMap<String, SectionSchema>, String> {
        let mut sections = BTreeMap::new();
        for (k, v) in sub_mapping(v)? {
            let name = key_text(k).trim_matches('/').to_string();
            let schema = read_schema(v).map_err(|e| format!("section `{name}`: {e}"))?;
            sections.insert(name, schema);
        }
        Ok(sections)
    }
}

/// `feed: true`, `feed: false` or `feed: { limit: 20 }`.
fn read_feed(v: &Value) -> Result<Option<usize>, String> {
    const DEFAULT_LIMIT: usize = 50;
    if let Value::Bool(on) = v {
        return Ok(on.then_some(DEFAULT_LIMIT));
    }
    let mut limit = DEFAULT_LIMIT;
    for (k, v) in sub_mapping(v)? {
        match key_text(k).as_str() {
            "limit" => {
                limit = usize::try_from(expect_integer(v)?)
                    .ok()
                    .filter(|l| *l > 0)
                    .ok_or("limit must be a positive number")?
            }
            other => return Err(unknown_sub_key(other, &["limit"])),
        }
    }
    Ok(Some(limit))
}

/// `search: true` or `search: { body_chars: 4000, exclude: [tags] }`.
fn read_search(v: &Value) -> Result<Option<SearchOptions>, String> {
    let mut options = SearchOptions {
        body_chars: 3000,
        exclude: Vec::new(),
    };
    if let Value::Bool(on) = v {
        return Ok(on.then_some(options));
    }
    for (k, v) in sub_mapping(v)? {
        match key_text(k).as_str() {
            "body_chars" => {
                options.body_chars = usize::try_from(expect_integer(v)?)
                    .map_err(|_| "body_chars must be 0 or more")?
            }
            "exclude" => options.exclude = yaml::expect_string_list(v)?,
            other => return Err(unknown_sub_key(other, &["body_chars", "exclude"])),
        }
    }
    Ok(Some(options))
}

/// `redirects: false` (no host files), or `redirects: { pages: …, netlify: …, nginx: … }`.
fn read_redirects(v: &Value) -> Result<RedirectOutputs, String> {
    let mut out = RedirectOutputs {
        pages: true,
        netlify: true,
        nginx: true,
    };
    if let Value::Bool(on) = v {
        out.netlify = *on;
        out.nginx = *on;
        return Ok(out);
    }
    for (k, v) in sub_mapping(v)? {
        match key_text(k).as_str() {
            "pages" => out.pages = expect_bool(v)?,
            "netlify" => out.netlify = expect_bool(v)?,
            "nginx" => out.nginx = expect_bool(v)?,
            other => return Err(unknown_sub_key(other, &["pages", "netlify", "nginx"])),
        }
    }
    Ok(out)
}

/// `retired: [/old/, {path: /older/, reason: "…"}]`.
fn read_retired(v: &Value) -> Result<Vec<Retired>, String> {
    let items = match v {
        Value::Sequence(items) => items,
        Value::Null => return Ok(Vec::new()),
        other => {
            return Err(format!(
                "expected a list of URLs, found {}",
                yaml::kind_of(other)
            ));
        }
    };
    let mut retired = Vec::new();
    for item in items {
        let (path, reason) = match item {
            Value::Mapping(m) => {
                let mut path = None;
                let mut reason = None;
                for (k, v) in m {
                    match key_text(k).as_str() {
                        "path" => path = Some(expect_string(v)?),
                        "reason" => reason = Some(expect_string(v)?),
                        other => return Err(unknown_sub_key(other, &["path", "reason"])),
                    }
                }
                (path.ok_or("a retired entry needs `path:`")?, reason)
            }
            other => (expect_string(other)?, None),
        };
        let path = crate::model::urls::site_path_from(&path)
            .map_err(|e| format!("retired `{path}`: {e}"))?;
        retired.push(Retired { path, reason });
    }
    Ok(retired)
}

fn read_check(v: &Value) -> Result<CheckOptions, String> {
    let mut check = CheckOptions::default();
    for (k, v) in sub_mapping(v)? {
        match key_text(k).as_str() {
            "sources_required" => check.sources_required = yaml::expect_string_list(v)?,
            "sourced_sections" => check.sourced_sections = yaml::expect_string_list(v)?,
            "reliable_sections" => check.reliable_sections = yaml::expect_string_list(v)?,
            "image_credits_required" => check.image_credits_required = yaml::expect_string_list(v)?,
            "max_age_days" => {
                let days = expect_integer(v)?;
                check.max_age_days = Some(
                    u32::try_from(days)
                        .map_err(|_| "max_age_days must be a positive number of days")?,
                );
            }
            "external_timeout_secs" => {
                let secs = expect_integer(v)?;
                check.external_timeout_secs = Some(
                    u64::try_from(secs)
                        .ok()
                        .filter(|s| *s > 0)
                        .ok_or("external_timeout_secs must be at least 1")?,
                );
            }
            other => {
                return Err(unknown_sub_key(
                    other,
                    &[
                        "sources_required",
                        "sourced_sections",
                        "reliable_sections",
                        "image_credits_required",
                        "max_age_days",
                        "external_timeout_secs",
                    ],
                ));
            }
        }
    }
    Ok(check)
}

fn sub_mapping(v: &Value) -> Result<&Mapping, String> {
    match v {
        Value::Mapping(m) => Ok(m),
        Value::Null => {
            static EMPTY: std::sync::OnceLock<Mapping> = std::sync::OnceLock::new();
            Ok(EMPTY.get_or_init(Mapping::new))
        }
        other => Err(format!(
            "expected `key: value` pairs, found {}",
            yaml::kind_of(other)
        )),
    }
}

/// A whole number of at least 1 (and small enough to multiply by 1024).
fn positive(v: &Value, name: &str) -> Result<u64, String> {
    u64::try_from(expect_integer(v)?)
        .ok()
        .filter(|n| (1..=u64::MAX / 1024).contains(n))
        .ok_or_else(|| format!("{name} must be a positive number"))
}

fn unknown_sub_key(key: &str, known: &[&str]) -> String {
    match did_you_mean(key, known.iter().copied()) {
        Some(s) => format!("unknown key `{key}` (did you mean `{s}`?)"),
        None => format!("unknown key `{key}` (known: {})", known.join(", ")),
    }
}

/// `https://example.org/sub` → `https://example.org/sub/`. Only http(s)
/// addresses make sense for a site's canonical URLs.
fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("`{url}` must start with https:// or http://"));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

fn read_open_data(v: &Value) -> Result<OpenData, String> {
    let mut out = OpenData::default();
    for (k, v) in sub_mapping(v)? {
        match key_text(k).as_str() {
            "sections" => out.sections = yaml::expect_string_list(v)?,
            "timeline" => out.timeline = expect_bool(v)?,
            other => return Err(unknown_sub_key(other, &["sections", "timeline"])),
        }
    }
    if let Some(bad) = out.sections.iter().find(|s| {
        s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) {
        return Err(format!("`{bad}` is not a section folder name"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = "title: T\nbase_url: https://example.org\nsections:\n  partners:\n    page_template: partner.html\n    fields:\n      status: { type: enum, values: [concluded, proposed], required: true }\n      signed: { type: date }\n      sources: { required: true }\n";

    #[test]
    fn reads_a_schema() {
        let c = SiteConfig::parse(SCHEMA).unwrap();
        assert_eq!(c.base_url, "https://example.org/");
        let s = c.schema_for("partners").unwrap();
        assert_eq!(s.page_template.as_deref(), Some("partner.html"));
        assert_eq!(s.fields.len(), 3);
        assert!(s.fields[0].required);
        assert_eq!(s.fields[2].kind, FieldKind::Common);
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let errors =
            SiteConfig::parse("titel: T\nbase_url: ftp://x\nlanguage: [en]\n").unwrap_err();
        let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("site.yaml:1:1") && t.contains("did you mean `title`")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("site.yaml:2:1") && t.contains("https://")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("site.yaml:3:1") && t.contains("expected text")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("no `title`")), "{text:?}");
    }

    #[test]
    fn reads_check_settings_and_lint_policy() {
        let c = SiteConfig::parse("title: T\nbase_url: https://x/\ncheck: {sources_required: [partners], max_age_days: 365}\nlints: {W-ORPHAN: off, W-STALE: error}\n").unwrap();
        assert_eq!(c.check.sources_required, ["partners"]);
        assert_eq!(c.check.max_age_days, Some(365));
        assert_eq!(c.lints["W-ORPHAN"], LintLevel::Off);
        let err = SiteConfig::parse("title: T\nbase_url: https://x/\nlints: {W-ORFAN: off}\n")
            .unwrap_err();
        assert!(
            err[0].message.contains("did you mean `W-ORPHAN`"),
            "{err:?}"
        );
    }

    #[test]
    fn rejects_bad_field_types() {
        let err = SiteConfig::parse("title: T\nbase_url: https://x/\nsections:\n  a:\n    fields:\n      f: { type: number }\n").unwrap_err();
        assert!(
            err[0].message.contains("unknown type `number`"),
            "{:?}",
            err
        );
        let err = SiteConfig::parse("title: T\nbase_url: https://x/\nsections:\n  a:\n    fields:\n      title: { type: string }\n").unwrap_err();
        assert!(
            err[0].message.contains("common front matter key"),
            "{:?}",
            err
        );
    }
}
