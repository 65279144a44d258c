//! Property tests: the library's invariants checked on generated input.
//!
//! Each property states something ARCHITECTURE.md promises ("nothing panics
//! on input", "output never escapes", unique heading ids, …) and proptest
//! looks for an input that breaks it. Inputs mix arbitrary text with
//! fragments of the syntax each function reads (Markdown, YAML, HTML), so
//! the interesting paths are reached, not only the "not UTF-8 / no front
//! matter" early exits.
//!
//! Runs are deterministic by default (a fixed seed, 256 cases per property,
//! fewer for the expensive ones) so CI is stable. Explore further with e.g.
//! `PROPTEST_CASES=5000 PROPTEST_RNG_SEED=$RANDOM cargo test --test properties`.
//! Bugs found once are kept as plain `#[test]`s at the end of the file
//! (see FUZZING.md).

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::RngSeed;

use dossier::build::{self, BuildOptions};
use dossier::config::SiteConfig;
use dossier::date::Date;
use dossier::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location};
use dossier::load::DocKind;
use dossier::load::front_matter::{self, FRONT_MATTER_FIRST_LINE};
use dossier::load::markdown::{self, MarkdownOptions};
use dossier::model::urls;
use dossier::render::map::numeric_code;
use dossier::render::outputs::{text_of, xml_escape};
use dossier::render::relative::{LinkStyle, rewrite};
use dossier::yaml;

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/// `cases` per property unless `PROPTEST_CASES` says otherwise; a fixed seed
/// unless `PROPTEST_RNG_SEED` gives one; no regression files written into
/// the tree (found bugs become named tests below instead).
fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x0d05_51e7);
    }
    c.failure_persistence = None;
    c
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// A short run of arbitrary characters (any Unicode scalar, controls included).
fn noise() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| s.chars().take(12).collect())
}

/// Arbitrary bytes read the way dossier reads a file: lossily here, since
/// the functions under test take `&str` (invalid UTF-8 is refused earlier).
fn bytes_as_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..512)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Text assembled from `tokens` and noise.
fn tokens_text(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => select(tokens).prop_map(str::to_string),
            1 => noise(),
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

const MD_TOKENS: &[&str] = &[
    "\n",
    "\n\n",
    "# ",
    "## ",
    "### ",
    "###### ",
    "####### ",
    "Title",
    "Areas",
    "fn 1",
    "fnref 1",
    "section",
    " {#areas}",
    " {#fn-1}",
    " {#fnref-1}",
    " {#x .c key=v}",
    "> ",
    "- ",
    "* ",
    "1. ",
    "   ",
    "\t",
    "```\n",
    "~~~rust\n",
    "    code\n",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "[",
    "]",
    "(",
    ")",
    "![",
    "![alt](img.png)",
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x1F600;",
    "\0",
    "\u{0}0\u{0}",
    "\r",
    "\r\n",
    "\\",
    "|",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
    "---\n",
    "***\n",
    "Term\n: Definition\n",
    "[^1]",
    "[^a]",
    "[^1]: Note one.\n",
    "[^a]: ",
    "[^]",
    "[x](@/a.md)",
    "[x](@/partners/japan.md#areas)",
    "[x](../b.md#h)",
    "[x](@/../../c.md)",
    "[x](a/../../d.md)",
    "[x](./e.md \"title\")",
    "[x](<../f g.md>)",
    "[x][r]",
    "[r]: @/p/q.md\n",
    "[r]: ../../../z.md\n",
    "[y](https://example.org/a.md)",
    "<https://example.org>",
    "<div>",
    "</div>",
    "<img src=x>",
    "<IMG\nalt=\"a\">",
    "<!--",
    "-->",
    "\"",
    "'",
    "...",
    "--",
    "é",
    "日本",
    "👍🏽",
    "\u{FEFF}",
    "\u{200B}",
    "\u{202E}",
];

fn markdown_text() -> impl Strategy<Value = String> {
    tokens_text(MD_TOKENS, 80)
}

fn indent(text: &str, by: &str) -> String {
    text.replace('\n', &format!("\n{by}"))
}

/// Markdown with nested structure: quotes, lists, emphasis, links and
/// footnotes inside one another, a few levels deep.
fn nested_markdown() -> impl Strategy<Value = String> {
    let leaf = tokens_text(MD_TOKENS, 6);
    leaf.prop_recursive(8, 128, 4, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|s| format!("> {}", indent(&s, "> "))),
            inner
                .clone()
                .prop_map(|s| format!("- {}", indent(&s, "  "))),
            inner
                .clone()
                .prop_map(|s| format!("1. {}", indent(&s, "   "))),
            inner.clone().prop_map(|s| format!("*{s}*")),
            inner.clone().prop_map(|s| format!("**{s}**")),
            inner.clone().prop_map(|s| format!("[{s}](@/x.md)")),
            inner.clone().prop_map(|s| format!("## {s} {{#h}}\n")),
            inner
                .clone()
                .prop_map(|s| format!("| {s} |\n|---|\n| {s} |\n")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("{a}[^n]\n\n[^n]: {}\n", indent(&b, "    "))),
            prop::collection::vec(inner, 1..4).prop_map(|v| v.join("\n\n")),
        ]
    })
}

/// Pages made of headings (texts and explicit ids chosen to collide with
/// one another and with footnote ids), footnote references and definitions.
fn headings_markdown() -> impl Strategy<Value = String> {
    let text = select(
        &[
            "Areas",
            "Areas 1",
            "areas-1",
            "Areas-2",
            "fn 1",
            "fn-2",
            "fnref 1",
            "fnref-1-2",
            "Section",
            "",
            "!!!",
            "Ünïcode",
            "`code`",
            "*em*",
        ][..],
    );
    let id = prop::option::of(select(
        &[
            "areas",
            "areas-1",
            "fn-1",
            "fnref-1",
            "fnref-2-2",
            "section",
            "x",
        ][..],
    ));
    let block = prop_oneof![
        3 => (1usize..=6, text.clone(), id).prop_map(|(level, text, id)| {
            let id = id.map(|i| format!(" {{#{i}}}")).unwrap_or_default();
            format!("{} {text}{id}\n\n", "#".repeat(level))
        }),
        1 => (text.clone(), 1usize..4).prop_map(|(t, n)| format!("{t} text[^{n}].\n\n")),
        1 => select(&["1", "2", "3", "a"][..]).prop_map(|n| format!("[^{n}]: Note {n}, see [a](@/a.md).\n\n")),
        1 => text.prop_map(|t| format!("{t}\n---\n\n")),
    ];
    prop::collection::vec(block, 0..16).prop_map(|b| b.concat())
}

const NEST_OPENERS: &[&str] = &[
    "> ", "- ", "* ", "1. ", "  ", "[", "![", "*", "_", "**", "~~", "(", "<", "`", "[^a]: ",
];

/// A single very deep nest: up to a few thousand openers, then text.
fn deep_markdown() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(select(NEST_OPENERS), 0..3000),
        select(&["x\n", "](@/a.md)\n", "*\n", "]\n", "\n\n[^a]\n"][..]),
    )
        .prop_map(|(openers, end)| openers.concat() + end)
}

const YAML_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "weight",
    "slug",
    "template",
    "tags",
    "sources",
    "extra",
    "page_template",
    "sort_by",
    "status",
    "signed",
    "areas",
    "homepage",
    "nato",
    "titel",
    "\"title\"",
    "'date'",
    "? complex",
    "<<",
    "1",
    "~",
    "",
];

const YAML_VALUES: &[&str] = &[
    "",
    "x",
    "\"quoted: yes\"",
    "'single'",
    "TODO",
    "2026-02-11",
    "2026-02-30",
    "2026-2-1",
    "0000-01-01",
    "9999-12-31",
    "true",
    "no",
    "~",
    "null",
    "-1",
    "9223372036854775808",
    "1e400",
    ".nan",
    "[a, b]",
    "[a, [b, [c]]]",
    "{ title: T, url: \"https://x.org\" }",
    "{ a: }",
    "[",
    "{",
    "&a [x, x, x]",
    "*a",
    "!!binary aGVsbG8=",
    "!tag x",
    "|\n  block\n  text",
    ">-\n  folded",
    "\n  - title: S\n    url: https://example.org\n    date: 2026-01-01\n  - title: T\n    url: ftp://x",
    "\n  - TODO",
    "\n  nested: {deep: [1, 2]}",
    "concluded",
    "weight",
    "https://example.org/a",
    "javascript:alert(1)",
    "\t",
    "a: b: c",
    "\"unterminated",
];

/// YAML-like front matter: `key: value` lines from the keys and values
/// dossier knows, with some noise.
fn yaml_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => (select(YAML_KEYS), select(YAML_VALUES)).prop_map(|(k, v)| format!("{k}: {v}\n")),
            1 => select(YAML_VALUES).prop_map(|v| format!("- {v}\n")),
            1 => noise(),
            1 => Just("---\n".to_string()),
            1 => Just("  ".to_string()),
        ],
        0..16,
    )
    .prop_map(|lines| lines.concat())
}

/// The schema of the briefing's `partners` section, trimmed to one field of
/// each type (a copy, so the test does not depend on the real site.yaml).
const SCHEMA_YAML: &str = "title: T\nbase_url: https://example.org/\nsections:\n  partners:\n    page_template: partner.html\n    fields:\n      status: { type: enum, values: [concluded, proposed], required: true }\n      signed: { type: date }\n      signatories: { type: list }\n      country: { type: string, required: true }\n      homepage: { type: url }\n      nato: { type: bool }\n      sources: { required: true }\n";

/// A slug-like path segment, or a hostile one.
fn path_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-z0-9 _.-]{1,10}",
        1 => Just("..".to_string()),
        1 => Just(".".to_string()),
        1 => Just(String::new()),
        1 => Just("%2e%2e".to_string()),
        1 => Just("a\\..\\b".to_string()),
        1 => noise(),
    ]
}

/// A content folder path as the walk produces it (`partners/Asia`), or a
/// hostile one.
fn content_dir() -> impl Strategy<Value = String> {
    prop::collection::vec(path_segment(), 0..5).prop_map(|s| s.join("/"))
}

/// A site path: `/`, or `/a/b/` built the way the model builds them.
fn site_path() -> impl Strategy<Value = String> {
    (content_dir(), prop::option::of(noise()), slugify()).prop_map(|(dir, leaf, strategy)| {
        let parent = urls::dir_path(&dir, &|_| strategy);
        match leaf.and_then(|l| urls::segment(&l, strategy).ok()) {
            Some(slug) => urls::child_path(&parent, &slug),
            None => parent,
        }
    })
}

// ---------------------------------------------------------------------------
// Checks shared by several properties
// ---------------------------------------------------------------------------

/// TOML-ish front matter: keys, tables, arrays, dates and broken lines.
fn toml_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("title = \"Japan\"".to_string()),
        Just("date = 2024-01-01".to_string()),
        Just("date = 2024-01-01T10:00:00Z".to_string()),
        Just("[extra]".to_string()),
        Just("[[sources]]".to_string()),
        Just("url = \"https://x.org/\"".to_string()),
        Just("tags = [\"a\", 1, [2]]".to_string()),
        Just("body = \"\"\"".to_string()),
        Just("aliases = [\"/old/\", \"../x\"]".to_string()),
        "[a-z_]{1,8} = [\"0-9a-z\\[\\]{}=., ]{0,12}",
        "[\\[\\]{}=\"'.#a-z0-9 ]{0,20}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|l| l.join("\n"))
}

/// Every slug strategy.
fn slugify() -> impl Strategy<Value = urls::Slugify> {
    prop_oneof![
        Just(urls::Slugify::Strict),
        Just(urls::Slugify::Safe),
        Just(urls::Slugify::Off)
    ]
}

/// A strict slug: lower-case ASCII letters, digits and `-`.
fn is_strict_slug(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A segment as ARCHITECTURE.md "Output never escapes" defines it, under
/// any strategy: encoded, it is ASCII with nothing that ends a path segment
/// or a URL; decoded, it is not empty, at most 255 bytes, does not start
/// with `.` (so never `.` or `..`), and holds no `/`, `\`, control
/// character or character Windows refuses in a name.
fn is_slug(s: &str) -> bool {
    let decoded = match percent_encoding::percent_decode_str(s).decode_utf8() {
        Ok(d) => d,
        Err(_) => return false,
    };
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~+%".contains(&b))
        && !decoded.is_empty()
        && decoded.len() <= urls::MAX_SEGMENT_BYTES
        && !decoded.starts_with('.')
        && !decoded.contains("..")
        && !decoded.chars().any(|c| {
            c.is_control() || matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
        })
        && urls::encode(&decoded) == s
}

/// `/` or `/seg/…/seg/` with every segment a slug.
fn is_site_path(p: &str) -> bool {
    p == "/"
        || (p.len() > 2
            && p.starts_with('/')
            && p.ends_with('/')
            && p[1..p.len() - 1].split('/').all(is_slug))
}

/// An alias's segment: like a slug, except that it may hold what an old
/// site's address held (upper case, spaces, encoded).
fn is_alias_segment(s: &str) -> bool {
    let Ok(decoded) = percent_encoding::percent_decode_str(s).decode_utf8() else {
        return false;
    };
    !decoded.is_empty()
        && !decoded.starts_with('.')
        && decoded.len() <= urls::MAX_SEGMENT_BYTES
        && !decoded
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\'))
        && urls::encode(&decoded) == s
}

fn has_dot_segment(p: &str) -> bool {
    p.split('/').any(|s| s == ".." || s == ".")
}

/// The values of `href`, `src`, `action` and `poster` attributes, as
/// `rewrite` finds them (the name preceded by white space).
fn link_values(html: &str) -> Vec<&str> {
    let mut values = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\"", "poster=\""] {
        for (i, _) in html.match_indices(attr) {
            let preceded = html[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            if !preceded {
                continue;
            }
            let rest = &html[i + attr.len()..];
            values.push(&rest[..rest.find('"').unwrap_or(rest.len())]);
        }
    }
    values
}

/// Whether a relative URL, resolved against the folder of a page `depth`
/// folders below the site root, climbs above the root.
fn escapes_root(relative: &str, depth: usize) -> bool {
    let path = &relative[..relative.find(['#', '?']).unwrap_or(relative.len())];
    let mut level = depth;
    for segment in path.split('/') {
        match segment {
            ".." => match level.checked_sub(1) {
                Some(l) => level = l,
                None => return true,
            },
            "" | "." => {}
            _ => level += 1,
        }
    }
    false
}

fn depth_of(page: &str) -> usize {
    page.split('/').filter(|s| !s.is_empty()).count()
}

fn md_options(smart: bool, drop_h1: bool) -> MarkdownOptions<'static> {
    MarkdownOptions {
        smart_punctuation: smart,
        drop_leading_h1: drop_h1,
        citation_word: "source",
    }
}

fn assert_unique<'a>(ids: impl IntoIterator<Item = &'a str>, what: &str, input: &str) {
    let mut seen = HashSet::new();
    for id in ids {
        assert!(
            seen.insert(id),
            "duplicate {what} `{id}` for input {input:?}"
        );
    }
}

/// Every `id="…"` attribute value in `html`.
fn html_ids(html: &str) -> Vec<&str> {
    html.match_indices(" id=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Front matter and YAML
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn split_never_panics_and_cuts_consistently(
        text in prop_oneof![
            bytes_as_text(),
            (yaml_text(), markdown_text()).prop_map(|(y, b)| format!("---\n{y}---\n{b}")),
            (yaml_text(), markdown_text()).prop_map(|(y, b)| format!("---  \n{y}\n--- \n{b}")),
            (yaml_text(), markdown_text()).prop_map(|(y, b)| format!("---\n{y}{b}")),
        ]
    ) {
        if let Ok(split) = front_matter::split(&text) {
            // The body is the end of the file, and its first line is counted
            // right (diagnostics in the body are positioned with it).
            prop_assert!(text.ends_with(split.body));
            let before = &text[..text.len() - split.body.len()];
            prop_assert_eq!(split.body_first_line, 1 + before.matches('\n').count());
            if let Some(fm) = split.front_matter {
                prop_assert!(before.contains(fm));
            } else {
                prop_assert_eq!(split.body, text.as_str());
            }
        }
    }

    #[test]
    fn front_matter_parse_never_panics(
        yaml_text in prop_oneof![3 => yaml_text(), 1 => bytes_as_text(), 2 => toml_text()],
        section in any::<bool>(),
        with_schema in any::<bool>(),
        toml in any::<bool>(),
    ) {
        let format = if toml { front_matter::Format::Toml } else { front_matter::Format::Yaml };
        let config = SiteConfig::parse(SCHEMA_YAML).expect("the test schema is valid");
        let schema = config.schema_for("partners").filter(|_| with_schema);
        let kind = if section { DocKind::Section } else { DocKind::Page };
        let mut found = Vec::new();
        let _ = front_matter::parse(&yaml_text, format, kind, schema, Path::new("content/x.md"), &mut found);
        // Every problem points inside the front matter (one line of slack
        // for "unexpected end of input").
        // Problems of the whole block (missing fields) are at the opening `---`.
        let last = FRONT_MATTER_FIRST_LINE + yaml_text.matches('\n').count() + 1;
        for d in &found {
            let location = d.location.expect("front matter problems have a line");
            prop_assert!(
                (1..=last).contains(&location.line),
                "{} outside lines 1..={}", d, last
            );
        }
    }

    #[test]
    fn parse_mapping_never_panics(
        text in prop_oneof![3 => yaml_text(), 1 => bytes_as_text()],
        first_line in 1usize..10_000,
    ) {
        if let Err(e) = yaml::parse_mapping(&text, first_line) {
            prop_assert!(e.location.line >= first_line, "{e:?}");
            prop_assert!(e.location.column >= 1);
        }
    }

    #[test]
    fn site_config_parse_never_panics(text in prop_oneof![yaml_text(), bytes_as_text()]) {
        let _ = SiteConfig::parse(&text);
    }

    #[test]
    fn date_parse_never_panics_and_round_trips(
        text in prop_oneof![
            bytes_as_text(),
            "[0-9]{0,5}-[0-9]{0,3}-[0-9]{0,3}",
            " ?[0-9]{4}-[0-9]{2}-[0-9]{2}\\s?",
            "[0-9٠-٩]{4}-[0-9]{2}-[0-9]{2}",
        ]
    ) {
        if let Ok(date) = Date::parse(&text) {
            prop_assert_eq!(date.to_string(), text.trim());
        }
    }

    #[test]
    fn real_dates_parse(year in 0i32..=9999, month in 1u32..=12, day in 1u32..=31) {
        let text = format!("{year:04}-{month:02}-{day:02}");
        let exists = chrono::NaiveDate::from_ymd_opt(year, month, day).is_some();
        prop_assert_eq!(Date::parse(&text).is_ok(), exists, "{}", text);
    }
}

// ---------------------------------------------------------------------------
// Slugs and site paths
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn slugs_are_safe_segments(
        value in prop_oneof![noise(), path_segment(), any::<String>()],
        strategy in slugify(),
    ) {
        if let Ok(slug) = urls::slug_from(&value, strategy) {
            prop_assert!(is_slug(&slug), "{value:?} → {slug:?}");
            if strategy == urls::Slugify::Strict {
                prop_assert!(is_strict_slug(&slug), "{value:?} → {slug:?}");
            }
        }
    }

    #[test]
    fn every_file_name_gets_a_slug_unless_too_long(
        value in prop_oneof![noise(), path_segment(), any::<String>(), "[\\[\\](){}!%?*#&. ]{1,8}"],
        strategy in slugify(),
    ) {
        match urls::segment(&value, strategy) {
            Ok(slug) => prop_assert!(is_slug(&slug), "{value:?} → {slug:?}"),
            Err(why) => prop_assert!(why.contains("bytes") || value.chars().all(char::is_control), "{value:?}: {why}"),
        }
    }

    #[test]
    fn written_addresses_are_site_paths_or_refused(raw in prop_oneof![content_dir(), any::<String>(), noise()]) {
        if let Ok(path) = urls::site_path_from(&raw) {
            let folder = path.ends_with('/');
            let segments = path.trim_matches('/');
            prop_assert!(path.starts_with('/'));
            prop_assert!(segments.is_empty() || segments.split('/').all(is_alias_segment), "{raw:?} → {path:?}");
            let file = urls::output_file(&path);
            prop_assert!(Path::new(&file).components().all(|c| matches!(c, std::path::Component::Normal(_))), "{raw:?} → {file:?}");
            prop_assert!(folder || file.ends_with(".html") || file.ends_with(".htm"));
        }
    }

    #[test]
    fn site_paths_are_made_of_slugs(dir in content_dir(), leaf in noise(), strategy in slugify()) {
        let parent = urls::dir_path(&dir, &|_| strategy);
        prop_assert!(is_site_path(&parent), "{dir:?} → {parent:?}");
        if let Ok(slug) = urls::slug_from(&leaf, strategy) {
            let child = urls::child_path(&parent, &slug);
            prop_assert!(is_site_path(&child), "{parent:?} + {slug:?} → {child:?}");
        }
    }

    #[test]
    fn output_files_stay_inside_the_output(path in site_path()) {
        let file = urls::output_file(&path);
        prop_assert!(!file.starts_with('/'), "{path:?} → {file:?}");
        prop_assert!(!file.contains(".."), "{path:?} → {file:?}");
        prop_assert!(file.ends_with("index.html"));
        prop_assert!(!file.split('/').any(|s| s.starts_with('.')), "{path:?} → {file:?}");
        prop_assert!(Path::new(&file)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_))));
    }

    #[test]
    fn normalize_never_leaves_the_root(path in prop_oneof![
        content_dir(),
        content_dir().prop_map(|d| format!("/{d}")),
        any::<String>(),
    ]) {
        if let Some(n) = markdown::normalize(&path) {
            prop_assert!(!n.starts_with('/'), "{path:?} → {n:?}");
            prop_assert!(!has_dot_segment(&n), "{path:?} → {n:?}");
            prop_assert!(!n.split('/').any(str::is_empty) || n.is_empty(), "{path:?} → {n:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn markdown_render_never_panics(
        body in prop_oneof![markdown_text(), headings_markdown(), bytes_as_text()],
        first_line in 1usize..1000,
        dir in content_dir(),
        smart in any::<bool>(),
        drop_h1 in any::<bool>(),
    ) {
        let r = markdown::render(&body, first_line, &dir, md_options(smart, drop_h1));
        // Placeholders come only from internal links and local images: one
        // pair each, and filling both leaves none.
        let images = r.facts.local_images.len();
        prop_assert_eq!(
            r.html.matches(markdown::LINK_MARK).count(),
            2 * (r.links.len() + images)
        );
        let urls: Vec<String> = (0..r.links.len()).map(|i| format!("/p{i}/")).collect();
        let filled = markdown::fill_links(&r.html, &urls);
        let markup: Vec<String> = (0..images).map(|i| format!("<img{i}>")).collect();
        let filled = markdown::fill_images(&filled, &markup);
        prop_assert!(!filled.contains(markdown::LINK_MARK));
        for link in &r.links {
            prop_assert!(link.location.line >= first_line);
        }
    }

    #[test]
    fn internal_link_targets_never_climb(
        body in markdown_text(),
        dir in content_dir(),
    ) {
        let r = markdown::render(&body, 1, &dir, md_options(true, true));
        for link in &r.links {
            if let Some(target) = &link.target {
                prop_assert!(!has_dot_segment(target), "{:?} from {:?} → {:?}", link.raw, dir, target);
                prop_assert!(!target.starts_with('/'), "{:?} → {:?}", link.raw, target);
            }
        }
    }

    #[test]
    fn heading_ids_are_unique(
        body in prop_oneof![2 => headings_markdown(), 1 => markdown_text(), 1 => nested_markdown()],
        drop_h1 in any::<bool>(),
    ) {
        let r = markdown::render(&body, 1, "", md_options(true, drop_h1));
        assert_unique(r.anchors.iter().map(String::as_str), "anchor", &body);
        if !body.contains('<') {
            // No raw HTML in the input: every id in the output is dossier's.
            assert_unique(html_ids(&r.html), "id attribute", &body);
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn nested_markdown_never_panics(body in nested_markdown(), smart in any::<bool>()) {
        let _ = markdown::render(&body, 1, "a/b", md_options(smart, true));
    }

    #[test]
    fn deeply_nested_markdown_never_panics(body in deep_markdown()) {
        let r = markdown::render(&body, 1, "a", md_options(true, true));
        assert_unique(r.anchors.iter().map(String::as_str), "anchor", &body);
    }
}

// ---------------------------------------------------------------------------
// Relative links
// ---------------------------------------------------------------------------

/// A root-relative link built from `segment`s, with an optional trailing
/// slash, query and fragment.
fn root_link(segment: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(segment, 0..5),
        any::<bool>(),
        select(&["", "#top", "?q=1", "?a=/../b#c"][..]),
    )
        .prop_map(|(segments, slash, suffix)| {
            let mut link = format!("/{}", segments.join("/"));
            if slash && !segments.is_empty() {
                link.push('/');
            }
            link + suffix
        })
}

/// Escaped HTML text (no `"`, as autoescaping leaves none in text).
fn html_text() -> impl Strategy<Value = String> {
    "[a-z <>&;=/.#?\n-]{0,12}"
}

/// HTML with links of every kind in the attributes `rewrite` looks at and
/// in ones it must leave alone.
fn html_with_links(segment: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let link = prop_oneof![
        6 => root_link(segment),
        1 => Just("https://example.org/a/".to_string()),
        1 => Just("//cdn.example.org/x.js".to_string()),
        1 => Just("#fn-1".to_string()),
        1 => Just("mailto:x@example.org".to_string()),
        1 => Just(String::new()),
    ];
    let tag = (
        select(
            &[
                "<a href=\"{}\">",
                "<img src=\"{}\" alt=\"\">",
                "<form action=\"{}\">",
                "<video poster=\"{}\">",
                "<link rel=\"stylesheet\" href=\"{}\">",
                "<a\nhref=\"{}\">",
                "<p data-src=\"{}\">",
                "<a class=\"x\" href=\"{}\" title=\"{}\">",
            ][..],
        ),
        link,
    )
        .prop_map(|(t, l)| t.replace("{}", &l));
    prop::collection::vec(prop_oneof![tag, html_text()], 0..24).prop_map(|p| p.concat())
}

fn slug_segment() -> BoxedStrategy<String> {
    prop_oneof!["[a-z0-9-]{1,8}", "[a-z]{1,6}\\.(css|png|html)",].boxed()
}

/// Segments a template or a raw Markdown link may hold: dots included.
fn any_segment() -> BoxedStrategy<String> {
    prop_oneof![
        3 => slug_segment(),
        1 => Just("..".to_string()),
        1 => Just(".".to_string()),
        1 => Just(String::new()),
    ]
    .boxed()
}

fn check_relative(html: &str, page: &str, index_html: bool) -> Result<(), TestCaseError> {
    let out = rewrite(html, LinkStyle::RelativeTo { page, index_html });
    let depth = depth_of(page);
    for value in link_values(&out) {
        let external = value.contains("://")
            || value.starts_with("mailto:")
            || value.starts_with("//")
            || value.starts_with('#')
            || value.is_empty();
        if external {
            continue;
        }
        prop_assert!(
            !value.starts_with('/'),
            "root-relative `{value}` left in {out}"
        );
        prop_assert!(
            !escapes_root(value, depth),
            "`{value}` on page {page} leaves the site root\ninput: {html}\noutput: {out}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn relative_links_stay_inside_the_site(
        html in html_with_links(slug_segment()),
        page in site_path(),
        index_html in any::<bool>(),
    ) {
        check_relative(&html, &page, index_html)?;
    }

    /// The same with `.` and `..` segments in root-relative links, which a
    /// template or a Markdown link (`[x](/../y)`) can contain. A browser
    /// resolves `/../y` to `/y`, inside the site; the rewritten link must
    /// not point above the site folder either.
    #[test]
    fn relative_links_with_dot_segments_stay_inside_the_site(
        html in html_with_links(any_segment()),
        page in site_path(),
        index_html in any::<bool>(),
    ) {
        check_relative(&html, &page, index_html)?;
    }

    #[test]
    fn absolute_style_changes_nothing(
        html in prop_oneof![html_with_links(any_segment()), any::<String>()],
    ) {
        let out = rewrite(&html, LinkStyle::Absolute);
        prop_assert_eq!(out.as_ref(), html.as_str());
    }

    #[test]
    fn rewrite_never_panics(html in any::<String>(), page in site_path(), prefix in noise()) {
        let _ = rewrite(&html, LinkStyle::RelativeTo { page: &page, index_html: true });
        let _ = rewrite(&html, LinkStyle::Prefixed(&prefix));
    }
}

// ---------------------------------------------------------------------------
// XML escaping and text extraction
// ---------------------------------------------------------------------------

const ENTITIES: [&str; 5] = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"];

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn xml_escape_leaves_no_markup(text in prop_oneof![
        any::<String>(),
        "[<>&\"'a ;#x0-9\u{1}\u{0}\t]{0,40}",
    ]) {
        let out = xml_escape(&text);
        prop_assert!(!out.contains(['<', '>', '"']), "{out:?}");
        for (i, _) in out.match_indices('&') {
            prop_assert!(
                ENTITIES.iter().any(|e| out[i..].starts_with(e)),
                "raw & in {:?}", out
            );
        }
        prop_assert!(
            !out.chars().any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')),
            "XML 1.0 control character in {:?}", out
        );
        // Unescaping gives the text back, less the characters XML forbids.
        let unescaped = out
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        let allowed: String = text
            .chars()
            .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
            .collect();
        prop_assert_eq!(unescaped, allowed);
    }

    #[test]
    fn text_of_never_panics_and_drops_tags(html in prop_oneof![
        any::<String>(),
        "[<>&;#xa-z0-9 /=\"]{0,60}",
        markdown_text().prop_map(|md| markdown::render(&md, 1, "", md_options(true, false)).html.to_string()),
    ]) {
        let text = text_of(&html);
        // A `<` in the text can only be a decoded entity (`&lt;`, `&#60;`):
        // each `&` of the input gives at most one.
        prop_assert!(text.matches('<').count() <= html.matches('&').count(), "{html:?} → {text:?}");
        if !html.contains('&') {
            prop_assert!(!text.contains('<'), "{html:?} → {text:?}");
        }
    }

    #[test]
    fn numeric_code_never_panics(code in prop_oneof![any::<String>(), "[A-Za-z]{2}", " ?[a-z]{2} ?"]) {
        if let Some(n) = numeric_code(&code) {
            prop_assert!(n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()), "{n}");
        }
    }
}

// ---------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------

/// File contents a diagnostic may be drawn against: text with awkward
/// characters and line ends, or arbitrary bytes.
fn file_contents() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        tokens_text(
            &[
                "\n",
                "\r\n",
                "\r",
                "\t",
                "a",
                "title: x",
                "é",
                "日本語",
                "👍🏽",
                "\u{FEFF}",
                "\u{0}",
                "\u{200B}",
                "\u{0301}",
                "\u{1b}[31m",
                " ",
            ],
            40
        )
        .prop_map(String::into_bytes),
    ]
}

fn location() -> impl Strategy<Value = Option<Location>> {
    prop::option::of(
        (
            prop_oneof![0usize..12, any::<usize>()],
            prop_oneof![0usize..40, any::<usize>()],
        )
            .prop_map(|(l, c)| Location::new(l, c)),
    )
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn diagnostics_render_whatever_the_file_holds(
        contents in file_contents(),
        name in select(&["content/a.md", "site.yaml", "content/missing.md", "content", ""][..]),
        message in any::<String>(),
        hint in prop::option::of(any::<String>()),
        note in prop::option::of(any::<String>()),
        loc in location(),
        length in prop_oneof![0usize..20, any::<usize>()],
        warning in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::write(root.join("content/a.md"), &contents).expect("write");
        std::fs::write(root.join("site.yaml"), &contents).expect("write");

        let mut d = if warning {
            Diagnostic::warning("W-TEST", PathBuf::from(name), message.clone())
        } else {
            Diagnostic::error("E-TEST", PathBuf::from(name), message.clone())
        }
        .underline(length);
        if let Some(l) = loc {
            d = d.at(l);
        }
        if let Some(h) = &hint {
            d = d.hint(h.clone());
        }
        if let Some(n) = &note {
            d = d.note(n.clone());
        }
        let all: Diagnostics = vec![d.clone(), d].into_iter().collect();

        let plain = all.to_plain_string(root);
        let code = if warning { "W-TEST" } else { "E-TEST" };
        prop_assert!(plain.contains(code), "{}", plain);
        let _ = all.summary();

        let json: serde_json::Value = serde_json::from_str(&all.to_json()).expect("valid JSON");
        let items = json.as_array().expect("an array");
        prop_assert_eq!(items.len(), 2);
        for item in items {
            prop_assert_eq!(item["message"].as_str(), Some(message.as_str()));
            prop_assert_eq!(item["hint"].as_str(), hint.as_deref());
            prop_assert_eq!(item["line"].as_u64(), loc.map(|l| l.line as u64));
            prop_assert_eq!(item["column"].as_u64(), loc.map(|l| l.column as u64));
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn line_index_agrees_with_of_offset(
        text in prop_oneof![
            any::<String>(),
            tokens_text(&["\n", "\r\n", "a", "é", "日", "👍🏽", "\n\n"], 30),
        ],
        first_line in 0usize..100_000,
    ) {
        let index = LineIndex::new(&text, first_line);
        for offset in 0..=text.len() + 3 {
            prop_assert_eq!(
                index.location(offset),
                Location::of_offset(&text, offset, first_line),
                "offset {} in {:?}", offset, text
            );
        }
        prop_assert_eq!(index.location(usize::MAX), Location::of_offset(&text, usize::MAX, first_line));
    }
}

// ---------------------------------------------------------------------------
// A whole site
// ---------------------------------------------------------------------------

fn check_site(page: &[u8]) -> build::Outcome {
    let site = common::TestSite::new();
    site.write_bytes("content/partners/japan.md", page);
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        out: None,
        drafts: false,
        base_url: None,
        lint: true,
        external: None,
        compress: false,
        history: None,
    };
    match build::run(&options) {
        Ok(outcome) => outcome,
        Err(build::Failure::Content(d)) => build::Outcome {
            diagnostics: d,
            pages: 0,
            files: 0,
            seconds: 0.0,
        },
        Err(build::Failure::Usage(d)) => panic!("usage failure for a valid root: {d}"),
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn checking_a_site_never_panics(page in prop_oneof![
        (yaml_text(), markdown_text()).prop_map(|(y, b)| format!("---\n{y}---\n{b}").into_bytes()),
        (yaml_text(), nested_markdown())
            .prop_map(|(y, b)| format!("---\ntitle: T\n{y}---\n{b}").into_bytes()),
        prop::collection::vec(any::<u8>(), 0..256),
    ]) {
        let outcome = check_site(&page);
        let _ = outcome.diagnostics.to_plain_string(Path::new("."));
    }
}

// ---------------------------------------------------------------------------
// Regressions: inputs the properties and fuzz targets found
// ---------------------------------------------------------------------------

/// Found by `relative_links_with_dot_segments_stay_inside_the_site`:
/// `/..` is the site root to a browser (dot segments cannot climb above
/// `/`), but rewritten for the home page it became `..`, the folder above
/// the site. A Markdown link `[x](/../../y)` reached this from content.
#[test]
fn regression_root_relative_dot_segments_do_not_climb_out() {
    let cases = [
        ("<a href=\"/..\">", "/"),
        ("<a href=\"/../x/\">", "/"),
        ("<img src=\"/a/../../../etc/passwd\">", "/partners/japan/"),
    ];
    for (html, page) in cases {
        let out = rewrite(
            html,
            LinkStyle::RelativeTo {
                page,
                index_html: false,
            },
        );
        for value in link_values(&out) {
            assert!(
                !escapes_root(value, depth_of(page)),
                "{html} on {page} → {out}: `{value}` leaves the site"
            );
        }
    }
    // The same from content, through the Markdown renderer.
    let r = markdown::render(
        "[up](/../../secret/)\n",
        1,
        "partners",
        md_options(true, true),
    );
    let out = rewrite(
        &r.html,
        LinkStyle::RelativeTo {
            page: "/partners/japan/",
            index_html: true,
        },
    );
    for value in link_values(&out) {
        assert!(!escapes_root(value, 2), "{out}");
    }
}

/// Found by `heading_ids_are_unique`: footnotes took the ids `fn-N` and
/// `fnref-N` without checking the heading ids already given, so a heading
/// whose text or `{#id}` was `fn-1` and the first footnote shared an id.
#[test]
fn regression_heading_and_footnote_ids_are_distinct() {
    for body in [
        "## fn 1\n\nText[^a].\n\n[^a]: The note.\n",
        "## Notes {#fn-1}\n\nText[^a].\n\n[^a]: The note.\n",
        "## Back {#fnref-1}\n\nText[^a].\n\n[^a]: The note.\n",
        // The shrunk input as proptest printed it: an unreferenced definition.
        "[^3]: Note 3.\n\n# Areas {#fn-1}\n\n# Areas\n\n",
    ] {
        let r = markdown::render(body, 1, "", md_options(true, false));
        assert_unique(r.anchors.iter().map(String::as_str), "anchor", body);
        assert_unique(html_ids(&r.html), "id attribute", body);
    }
}

/// Found by the `relative` fuzz target (fuzz/artifacts/relative/): when a
/// multi-byte character came just before `name="/`, `next_attribute`
/// sliced the HTML inside that character and panicked. Raw HTML in a page
/// (an HTML block passes through Markdown untouched) reached it, so one
/// page could crash a whole build.
#[test]
fn regression_rewrite_survives_multibyte_text_before_an_attribute() {
    let page_style = LinkStyle::RelativeTo {
        page: "/partners/japan/",
        index_html: true,
    };
    for html in [
        "\u{7d3}/ =\"/",
        "éxx=\"/a/\"",
        "<p>Words é ab=\"/x\"</p>",
        "<a title=\"日本\" href=\"/a/\">",
    ] {
        let _ = rewrite(html, page_style);
        let _ = rewrite(html, LinkStyle::Prefixed("/sub/"));
    }
    let outcome = check_site(b"---\ntitle: T\n---\n<div>\nWords \xc3\xa9 ab=\"/x\"\n</div>\n");
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.to_plain_string(Path::new("."))
    );
}

/// Found by the `markdown` fuzz target (fuzz/artifacts/markdown/): a second
/// definition of the same footnote replaced the first, so the first one's
/// text disappeared from the page (the renderer promises an editor's text is
/// never dropped) while its links were still recorded, and checked, though
/// they were no longer in the HTML.
#[test]
fn regression_duplicate_footnote_definitions_lose_nothing() {
    for body in [
        // As the fuzzer minimised it.
        "\n[^a]: [k](@/).\n[^a]:",
        "Text[^a].\n\n[^a]: First note, see [Japan](@/partners/japan.md).\n\n[^a]: Second note.\n",
    ] {
        let r = markdown::render(body, 1, "", md_options(true, true));
        assert_eq!(
            r.html.matches(markdown::LINK_MARK).count(),
            2 * r.links.len(),
            "a recorded link is missing from the HTML of {body:?}:\n{}",
            r.html
        );
    }
    let r = markdown::render(
        "Text[^a].\n\n[^a]: First note.\n\n[^a]: Second note.\n",
        1,
        "",
        md_options(true, true),
    );
    assert!(r.html.contains("First note"), "{}", r.html);
}
