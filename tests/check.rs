//! `dossier check`: the content lints (firing and not firing, at the right
//! file and line), the `lints:` policy in site.yaml, `--format json` (on
//! `check` and `build`), `--external` against a local HTTP server started by
//! the test, `dossier new`, and the shipped briefing site itself.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::Value;

use common::*;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The keys every JSON finding has, no more, no less.
const JSON_KEYS: [&str; 10] = [
    "severity",
    "code",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
    "hint",
    "notes",
];

/// Runs dossier with `args` (plus `--format json`) and parses stdout, which
/// must be a JSON object of `findings` (checked one by one) and a `summary`
/// that agrees with them, and nothing else.
fn run_json(args: &[&str], env: &[(&str, &str)]) -> (Output, Vec<Value>) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let options = RunOptions {
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..RunOptions::default()
    };
    let o = run_output(&all, &options);
    assert_no_panic(&o.stderr);
    let parsed: Value = serde_json::from_str(o.stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "dossier {:?}: stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            o.args,
            tail(&o.stdout, 4000),
            tail(&o.stderr, 4000)
        )
    });
    let Some(Value::Array(items)) = parsed.get("findings").cloned() else {
        panic!("stdout is JSON but has no `findings` array:\n{}", o.stdout);
    };
    let summary = &parsed["summary"];
    let errors = items.iter().filter(|i| i["severity"] == "error").count();
    assert_eq!(summary["errors"], errors, "summary: {summary}");
    assert_eq!(
        summary["warnings"],
        items.len() - errors,
        "summary: {summary}"
    );
    assert!(summary["text"].is_string(), "summary: {summary}");
    for item in &items {
        assert_finding_shape(item);
    }
    (o, items)
}

/// `check --root <site> --format json` plus `extra`.
fn check_json(site: &TestSite, extra: &[&str]) -> (Output, Vec<Value>) {
    check_json_env(site, extra, &[])
}

fn check_json_env(site: &TestSite, extra: &[&str], env: &[(&str, &str)]) -> (Output, Vec<Value>) {
    let root = site.root_arg();
    let mut args = vec!["check", "--root", root.as_str()];
    args.extend_from_slice(extra);
    run_json(&args, env)
}

/// Every key present with the right type.
fn assert_finding_shape(item: &Value) {
    let object = item
        .as_object()
        .unwrap_or_else(|| panic!("a finding is not an object: {item}"));
    let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = JSON_KEYS.into_iter().collect();
    assert_eq!(keys, expected, "keys of {item}");
    assert!(
        matches!(item["severity"].as_str(), Some("error" | "warning")),
        "severity of {item}"
    );
    let code = item["code"].as_str().unwrap_or_default();
    assert!(
        (code.starts_with("E-") || code.starts_with("W-")) && code.len() > 2,
        "code of {item}"
    );
    assert!(item["file"].is_string(), "file of {item}");
    assert!(
        !item["file"].as_str().unwrap_or_default().contains('\\'),
        "file uses / separators: {item}"
    );
    for key in ["line", "column", "end_line", "end_column"] {
        assert!(
            item[key].is_null() || item[key].as_u64().is_some_and(|n| n >= 1),
            "{key} is null or a number from 1: {item}"
        );
    }
    assert_eq!(
        item["line"].is_null(),
        item["column"].is_null(),
        "line and column come together: {item}"
    );
    if let (Some(line), Some(column)) = (item["line"].as_u64(), item["column"].as_u64()) {
        assert_eq!(item["end_line"], line, "the span ends on its line: {item}");
        assert!(
            item["end_column"].as_u64().is_some_and(|end| end > column),
            "the span ends after it starts: {item}"
        );
    } else {
        assert!(
            item["end_line"].is_null() && item["end_column"].is_null(),
            "{item}"
        );
    }
    assert!(
        item["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message of {item}"
    );
    assert!(
        item["hint"].is_null() || item["hint"].is_string(),
        "hint of {item}"
    );
    assert!(item["notes"].is_array(), "notes of {item}");
}

/// The findings with `code` in `file`.
fn with<'a>(items: &'a [Value], code: &str, file: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|i| i["code"] == code && i["file"] == file)
        .collect()
}

/// The findings with `code`, anywhere.
fn with_code<'a>(items: &'a [Value], code: &str) -> Vec<&'a Value> {
    items.iter().filter(|i| i["code"] == code).collect()
}

/// The lines of the findings with `code` in `file`, sorted.
fn lines(items: &[Value], code: &str, file: &str) -> Vec<u64> {
    let mut l: Vec<u64> = with(items, code, file)
        .iter()
        .map(|i| i["line"].as_u64().unwrap_or(0))
        .collect();
    l.sort_unstable();
    l
}

/// (line, column) of the findings with `code` in `file`, sorted.
fn positions(items: &[Value], code: &str, file: &str) -> Vec<(u64, u64)> {
    let mut p: Vec<(u64, u64)> = with(items, code, file)
        .iter()
        .map(|i| {
            (
                i["line"].as_u64().unwrap_or(0),
                i["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    p.sort_unstable();
    p
}

/// Exactly one finding with `code` in `file`, at `line`, of `severity`.
fn assert_one<'a>(
    items: &'a [Value],
    code: &str,
    file: &str,
    line: u64,
    severity: &str,
) -> &'a Value {
    let found = with(items, code, file);
    assert_eq!(
        found.len(),
        1,
        "expected one {code} in {file}, found {}:\n{}",
        found.len(),
        pretty(items)
    );
    let f = found[0];
    assert_eq!(f["line"], line, "{code} in {file}: line\n{}", pretty(items));
    assert_eq!(f["severity"], severity, "{code} in {file}: severity\n{f}");
    f
}

fn assert_none(items: &[Value], code: &str) {
    let found = with_code(items, code);
    assert!(
        found.is_empty(),
        "expected no {code}, found:\n{}",
        pretty(items)
    );
}

fn pretty(items: &[Value]) -> String {
    serde_json::to_string_pretty(items).unwrap_or_default()
}

fn has_errors(items: &[Value]) -> bool {
    items.iter().any(|i| i["severity"] == "error")
}

/// The minimal site with extra lines appended to its site.yaml.
fn site_with_yaml(extra_yaml: &str) -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", &format!("{SITE_YAML}{extra_yaml}"));
    site
}

/// Seconds since the epoch for midnight (plus an hour) of `date`.
fn epoch_of(date: NaiveDate) -> String {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    ((date - epoch).num_days() * 86_400 + 3_600).to_string()
}

/// The day dossier will take as today when run from this test.
fn today() -> NaiveDate {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock after 1970")
                .as_secs() as i64
        });
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
        + chrono::Duration::days(seconds.div_euclid(86_400))
}

// ---------------------------------------------------------------------------
// The minimal site is clean
// ---------------------------------------------------------------------------

#[test]
fn the_minimal_site_checks_clean_with_an_empty_json_array() {
    let site = TestSite::new();
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert!(items.is_empty(), "{}", pretty(&items));
    let human = site.check(&[]);
    human.assert_success("check");
    assert!(
        !human.stderr.contains("warning[") && !human.stderr.contains("error["),
        "{}",
        human.stderr
    );
}

#[test]
fn build_does_not_run_the_content_lints() {
    let site = site_with_yaml("check: { sources_required: [partners], max_age_days: 1 }\n");
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\ndate: 2001-01-01\n---\n### Deep\n\n![](map.png)\n",
    )
    .write_bytes("content/partners/map.png", &png_image(4, 4));
    let (o, items) = run_json(
        &[
            "build",
            "--root",
            &site.root_arg(),
            "--out",
            &site.out().display().to_string(),
        ],
        &[],
    );
    o.assert_code(0);
    assert!(items.is_empty(), "{}", pretty(&items));
    // The same site fails check.
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    assert_one(
        &items,
        "E-SOURCES-MISSING",
        "content/partners/japan.md",
        1,
        "error",
    );
    assert_one(
        &items,
        "E-IMAGE-ALT",
        "content/partners/japan.md",
        7,
        "error",
    );
}

// ---------------------------------------------------------------------------
// E-SOURCES-MISSING
// ---------------------------------------------------------------------------

#[test]
fn sources_missing_fires_only_in_sections_that_require_sources() {
    let site = site_with_yaml("check: { sources_required: [partners] }\n");
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\nJapan text.\n",
    )
    .write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nweight: 2\nsources:\n  - title: EEAS factsheet\n    url: https://www.eeas.europa.eu/canada\n---\nCanada text.\n",
    )
    .write(
        "content/partners/norway.md",
        "---\ntitle: Norway\nweight: 3\nsources: []\n---\nNorway text.\n",
    )
    // Not in a section that requires sources.
    .write("content/about.md", "---\ntitle: About\n---\nAbout.\n");
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    let japan = assert_one(
        &items,
        "E-SOURCES-MISSING",
        "content/partners/japan.md",
        1,
        "error",
    );
    assert_eq!(japan["column"], 1);
    assert_one(
        &items,
        "E-SOURCES-MISSING",
        "content/partners/norway.md",
        1,
        "error",
    );
    assert!(with(&items, "E-SOURCES-MISSING", "content/partners/canada.md").is_empty());
    assert!(with(&items, "E-SOURCES-MISSING", "content/about.md").is_empty());
    assert!(with(&items, "E-SOURCES-MISSING", "content/partners/_index.md").is_empty());
    assert_eq!(with_code(&items, "E-SOURCES-MISSING").len(), 2);

    // The human report names the file and line too.
    let human = site.check(&[]);
    human.assert_code(1);
    assert_mentions(&human.stderr, "content/partners/japan.md", Some(1));
    assert!(human.stderr.contains("error[E-SOURCES-MISSING]"));
    assert_report_shape(&human.stderr);
}

#[test]
fn sources_are_not_required_without_the_setting() {
    let site = TestSite::new();
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert_none(&items, "E-SOURCES-MISSING");
}

// ---------------------------------------------------------------------------
// E-IMAGE-ALT
// ---------------------------------------------------------------------------

#[test]
fn images_without_alt_text_are_errors_at_their_line_and_column() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        concat!(
            "---\n",                                       // 1
            "title: Japan\n",                              // 2
            "weight: 1\n",                                 // 3
            "---\n",                                       // 4
            "Intro.\n",                                    // 5
            "\n",                                          // 6
            "Text ![](map.png) and <img src=\"y.png\">\n", // 7
            "\n",                                          // 8
            "![   ](blank.png)\n",                         // 9
            "\n",                                          // 10
            "<figure>\n",                                  // 11
            "<img src=\"z.png\">\n",                       // 12
            "</figure>\n",                                 // 13
        ),
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    let file = "content/partners/japan.md";
    assert_eq!(
        positions(&items, "E-IMAGE-ALT", file),
        [(7, 6), (7, 23), (9, 1), (12, 1)],
        "{}",
        pretty(&items)
    );
    assert!(
        with(&items, "E-IMAGE-ALT", file)
            .iter()
            .all(|f| f["severity"] == "error")
    );
    let human = site.check(&[]);
    assert_mentions_at(&human.stderr, file, 7, 23);
}

#[test]
fn images_with_alt_text_and_img_in_code_are_fine() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        concat!(
            "---\ntitle: Japan\nweight: 1\n---\n",
            "![A map of *Japan*](map.png)\n\n",
            "<img alt=\"A chart\" src=\"chart.png\">\n\n",
            "<img src=\"logo.png\" alt=\"\">\n\n",
            "Inline `<img src=\"code.png\">` is code.\n\n",
            "```html\n<img src=\"block.png\">\n```\n",
        ),
    )
    .write_bytes("content/partners/map.png", &png_image(4, 4));
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert_none(&items, "E-IMAGE-ALT");
}

#[test]
fn raw_img_alt_attribute_is_found_whatever_its_case_or_spacing() {
    // HTML attribute names are case-insensitive and may be separated by
    // any whitespace, so both of these images have alternative text.
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\n<IMG SRC=\"a.png\" ALT=\"A chart\">\n\n<img src=\"t.png\"\talt=\"A table\">\n",
    );
    let (o, items) = check_json(&site, &[]);
    assert_none(&items, "E-IMAGE-ALT");
    o.assert_code(0);
}

// ---------------------------------------------------------------------------
// W-HEADING-SKIP and W-HEADING-H1
// ---------------------------------------------------------------------------

#[test]
fn heading_skips_are_warned_at_the_skipping_heading() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        // The template's h1 is the page title, so `###` first skips h2.
        "---\ntitle: Japan\nweight: 1\n---\n\n### Deep first\n\nText.\n",
    )
    .write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nweight: 2\n---\n## A\n\n#### B\n\n## C\n",
    )
    // No front matter: the leading `# Title` is the title, dropped from the
    // body, so `###` right after it still skips.
    .write("content/partners/norway.md", "# Norway\n\n### Deep\n");
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    let japan = assert_one(
        &items,
        "W-HEADING-SKIP",
        "content/partners/japan.md",
        6,
        "warning",
    );
    assert_eq!(japan["column"], 1);
    assert!(
        japan["message"]
            .as_str()
            .unwrap_or_default()
            .contains("level 3 follows level 1"),
        "{japan}"
    );
    let canada = assert_one(
        &items,
        "W-HEADING-SKIP",
        "content/partners/canada.md",
        7,
        "warning",
    );
    assert!(
        canada["message"]
            .as_str()
            .unwrap_or_default()
            .contains("level 4 follows level 2"),
        "{canada}"
    );
    assert_one(
        &items,
        "W-HEADING-SKIP",
        "content/partners/norway.md",
        3,
        "warning",
    );
    assert_none(&items, "W-HEADING-H1");

    let human = site.check(&[]);
    human.assert_success("check with warnings only");
    assert!(human.stderr.contains("warning[W-HEADING-SKIP]"));
    assert_mentions(&human.stderr, "content/partners/canada.md", Some(7));
}

#[test]
fn a_good_outline_is_not_warned() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\n## A\n\n### A.1\n\n#### A.1.a\n\n## B\n\n### B.1\n",
    )
    .write(
        "content/partners/norway.md",
        "# Norway\n\n## Areas\n\n### Cyber\n\n## Sources\n",
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert_none(&items, "W-HEADING-SKIP");
    assert_none(&items, "W-HEADING-H1");
}

#[test]
fn an_h1_in_the_body_of_a_page_with_front_matter_is_warned() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\n# Japan again\n\nText.\n\n## Areas\n",
    )
    .write(
        "content/partners/_index.md",
        "---\ntitle: Partners\n---\nIntro.\n\n# Partners\n",
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    let f = assert_one(
        &items,
        "W-HEADING-H1",
        "content/partners/japan.md",
        5,
        "warning",
    );
    assert_eq!(f["column"], 1);
    assert_one(
        &items,
        "W-HEADING-H1",
        "content/partners/_index.md",
        6,
        "warning",
    );
    // `## Areas` follows the h1 by one level: no skip.
    assert_none(&items, "W-HEADING-SKIP");
}

#[test]
fn a_leading_h1_without_front_matter_is_the_title_not_a_warning() {
    let site = TestSite::new();
    site.write("content/partners/norway.md", "# Norway\n\n## Areas\n")
        .write(
            "content/notes.md",
            "# Notes\n\nText.\n\n# Second top heading\n",
        );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert!(with(&items, "W-HEADING-H1", "content/partners/norway.md").is_empty());
    // A second `#` further down is a second h1 all the same.
    assert_eq!(
        lines(&items, "W-HEADING-H1", "content/notes.md"),
        [5],
        "{}",
        pretty(&items)
    );
}

// ---------------------------------------------------------------------------
// W-TITLE-DUPLICATE
// ---------------------------------------------------------------------------

#[test]
fn duplicate_titles_are_warned_on_every_page_that_shares_them() {
    let site = TestSite::new();
    site.write(
        "content/report/_index.md",
        "---\ntitle: Report\n---\nThe report.\n",
    )
    .write(
        "content/report/japan.md",
        "---\nweight: 4\ntitle: japan\n---\nThe report on Japan.\n",
    )
    .write("content/asia.md", "# Japan\n\nFrom a heading.\n");
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    let a = assert_one(
        &items,
        "W-TITLE-DUPLICATE",
        "content/partners/japan.md",
        2,
        "warning",
    );
    let message = a["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("content/report/japan.md") && message.contains("content/asia.md"),
        "names the other pages: {message}"
    );
    let b = assert_one(
        &items,
        "W-TITLE-DUPLICATE",
        "content/report/japan.md",
        3,
        "warning",
    );
    assert!(
        b["message"]
            .as_str()
            .unwrap_or_default()
            .contains("content/partners/japan.md"),
        "{b}"
    );
    // The title came from the heading on line 1.
    assert_one(&items, "W-TITLE-DUPLICATE", "content/asia.md", 1, "warning");
    assert_eq!(with_code(&items, "W-TITLE-DUPLICATE").len(), 3);
}

#[test]
fn distinct_titles_are_not_warned() {
    let site = TestSite::new();
    site.write(
        "content/report/_index.md",
        "---\ntitle: Report\n---\nThe report.\n",
    )
    .write(
        "content/report/japan.md",
        "---\ntitle: Japan in the report\n---\nText.\n",
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert_none(&items, "W-TITLE-DUPLICATE");
}

// ---------------------------------------------------------------------------
// W-ORPHAN
// ---------------------------------------------------------------------------

/// A section whose template lists none of its pages, with one page that
/// only links to itself.
fn site_with_an_orphan() -> TestSite {
    let site = TestSite::new();
    site.write(
        "templates/bare.html",
        "<!DOCTYPE html><html><head><title>{{ section.title }}</title></head><body>{{ section.content | safe }}</body></html>\n",
    )
    .write(
        "content/notes/_index.md",
        "---\ntitle: Notes\ntemplate: bare.html\n---\nNotes.\n",
    )
    .write(
        "content/notes/lonely.md",
        "---\ntitle: Lonely\n---\nSee [this very page](@/notes/lonely.md).\n",
    );
    site
}

#[test]
fn a_page_no_other_page_links_to_is_an_orphan() {
    let site = site_with_an_orphan();
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    let f = assert_one(&items, "W-ORPHAN", "content/notes/lonely.md", 1, "warning");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("/notes/lonely/"),
        "{f}"
    );
    assert_eq!(
        with_code(&items, "W-ORPHAN").len(),
        1,
        "pages listed by their section are linked:\n{}",
        pretty(&items)
    );

    // A draft that links to it is not rendered, so it does not count.
    site.write(
        "content/draft-linker.md",
        "---\ntitle: Draft linker\ndraft: true\n---\n[lonely](@/notes/lonely.md)\n",
    );
    let (_, items) = check_json(&site, &[]);
    assert_one(&items, "W-ORPHAN", "content/notes/lonely.md", 1, "warning");
    // With --drafts it is rendered, and it links.
    let (_, items) = check_json(&site, &["--drafts"]);
    assert!(
        with(&items, "W-ORPHAN", "content/notes/lonely.md").is_empty(),
        "{}",
        pretty(&items)
    );
}

#[test]
fn a_link_from_another_page_adopts_the_orphan() {
    let site = site_with_an_orphan();
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nRead the [notes](@/notes/lonely.md).\n",
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert_none(&items, "W-ORPHAN");

    // Root-relative links (links: { relative: false }) count the same.
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}links: {{ relative: false }}\n"),
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert_none(&items, "W-ORPHAN");
    // …and without that link the page is an orphan again in that style.
    site.write("content/about.md", "---\ntitle: About\n---\nAbout.\n");
    let (_, items) = check_json(&site, &[]);
    assert_one(&items, "W-ORPHAN", "content/notes/lonely.md", 1, "warning");
}

// ---------------------------------------------------------------------------
// W-STALE
// ---------------------------------------------------------------------------

const STALE_SCHEMA: &str = "sections:\n  partners:\n    fields:\n      reviewed: { type: date }\n";

/// Pages dated relative to `today`, with `max_age_days: 30` when `limit`.
fn stale_site(today: NaiveDate, limit: bool) -> TestSite {
    let days = |n: i64| (today - chrono::Duration::days(n)).format("%Y-%m-%d");
    let check = if limit {
        "check: { max_age_days: 30 }\n"
    } else {
        ""
    };
    let site = site_with_yaml(&format!("{check}{STALE_SCHEMA}"));
    site.write(
        "content/old-date.md",
        &format!("---\ntitle: Old date\ndate: {}\n---\nx\n", days(31)),
    )
    .write(
        "content/limit.md",
        &format!(
            "---\ntitle: Exactly the limit\ndate: {}\n---\nx\n",
            days(30)
        ),
    )
    .write(
        "content/updated-fresh.md",
        &format!(
            "---\ntitle: Updated fresh\ndate: {}\nupdated: {}\n---\nx\n",
            days(400),
            days(2)
        ),
    )
    .write(
        "content/updated-old.md",
        &format!(
            "---\ntitle: Updated old\ndate: {}\nupdated: {}\n---\nx\n",
            days(400),
            days(45)
        ),
    )
    .write("content/undated.md", "---\ntitle: Undated\n---\nx\n")
    .write(
        "content/future.md",
        &format!("---\ntitle: Future\ndate: {}\n---\nx\n", days(-10)),
    )
    .write(
        "content/partners/reviewed-fresh.md",
        &format!(
            "---\ntitle: Reviewed fresh\nupdated: {}\nreviewed: {}\n---\nx\n",
            days(400),
            days(1)
        ),
    )
    .write(
        "content/partners/reviewed-old.md",
        &format!(
            "---\ntitle: Reviewed old\nupdated: {}\nweight: 9\nreviewed: {}\n---\nx\n",
            days(1),
            days(100)
        ),
    );
    site
}

#[test]
fn stale_pages_are_warned_at_the_date_that_decides() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let site = stale_site(today, true);
    let epoch = epoch_of(today);
    let env = [("SOURCE_DATE_EPOCH", epoch.as_str())];
    let (o, items) = check_json_env(&site, &[], &env);
    o.assert_code(0);

    let old = assert_one(&items, "W-STALE", "content/old-date.md", 3, "warning");
    let message = old["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("2026-01-29") && message.contains("31 days"),
        "{message}"
    );
    let updated = assert_one(&items, "W-STALE", "content/updated-old.md", 4, "warning");
    assert!(
        updated["hint"]
            .as_str()
            .unwrap_or_default()
            .contains("updated:"),
        "{updated}"
    );
    let reviewed = assert_one(
        &items,
        "W-STALE",
        "content/partners/reviewed-old.md",
        5,
        "warning",
    );
    assert!(
        reviewed["message"]
            .as_str()
            .unwrap_or_default()
            .contains("100 days"),
        "{reviewed}"
    );
    let stale: BTreeSet<&str> = with_code(&items, "W-STALE")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(
        stale,
        BTreeSet::from([
            "content/old-date.md",
            "content/updated-old.md",
            "content/partners/reviewed-old.md"
        ]),
        "exactly the limit, fresh updates and reviews, no date and future dates are fine:\n{}",
        pretty(&items)
    );

    // The day moves on: the page at the limit becomes stale.
    let tomorrow = epoch_of(today + chrono::Duration::days(1));
    let (_, items) = check_json_env(&site, &[], &[("SOURCE_DATE_EPOCH", tomorrow.as_str())]);
    assert_one(&items, "W-STALE", "content/limit.md", 3, "warning");
}

#[test]
fn nothing_is_stale_without_max_age_days() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let site = stale_site(today, false);
    let epoch = epoch_of(today);
    let (o, items) = check_json_env(&site, &[], &[("SOURCE_DATE_EPOCH", epoch.as_str())]);
    o.assert_code(0);
    assert_none(&items, "W-STALE");
}

#[test]
fn staleness_uses_the_real_date_without_source_date_epoch() {
    // Dates relative to the real today (or to SOURCE_DATE_EPOCH if this
    // test run itself has it set, since the child inherits it).
    let today = today();
    let site = site_with_yaml("check: { max_age_days: 30 }\n");
    site.write(
        "content/recent.md",
        &format!(
            "---\ntitle: Recent\ndate: {}\n---\nx\n",
            (today - chrono::Duration::days(5)).format("%Y-%m-%d")
        ),
    )
    .write(
        "content/ancient.md",
        &format!(
            "---\ntitle: Ancient\ndate: {}\n---\nx\n",
            (today - chrono::Duration::days(400)).format("%Y-%m-%d")
        ),
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert_one(&items, "W-STALE", "content/ancient.md", 3, "warning");
    assert!(with(&items, "W-STALE", "content/recent.md").is_empty());
}

// ---------------------------------------------------------------------------
// The `lints:` policy
// ---------------------------------------------------------------------------

#[test]
fn lints_can_be_turned_off_or_made_errors() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let epoch = epoch_of(today);
    let env = [("SOURCE_DATE_EPOCH", epoch.as_str())];
    let site = site_with_an_orphan();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\ndate: 2020-01-01\n---\n![](map.png)\n",
    )
    .write_bytes("content/partners/map.png", &png_image(4, 4));
    let with_policy = |policy: &str| {
        site.write(
            "site.yaml",
            &format!("{SITE_YAML}check: {{ max_age_days: 30 }}\n{policy}"),
        );
    };

    // Default: the orphan and the stale page warn; the image is an error.
    with_policy("");
    let (o, items) = check_json_env(&site, &[], &env);
    o.assert_code(1);
    assert_one(&items, "W-ORPHAN", "content/notes/lonely.md", 1, "warning");
    assert_one(&items, "W-STALE", "content/partners/japan.md", 4, "warning");
    assert_one(
        &items,
        "E-IMAGE-ALT",
        "content/partners/japan.md",
        6,
        "error",
    );

    // Off silences; error promotes; warning demotes.
    with_policy("lints:\n  W-ORPHAN: off\n  W-STALE: error\n  E-IMAGE-ALT: warning\n");
    let (o, items) = check_json_env(&site, &[], &env);
    o.assert_code(1);
    assert_none(&items, "W-ORPHAN");
    assert_one(&items, "W-STALE", "content/partners/japan.md", 4, "error");
    assert_one(
        &items,
        "E-IMAGE-ALT",
        "content/partners/japan.md",
        6,
        "warning",
    );
    let human = run_output(
        &["check", "--root", &site.root_arg()],
        &RunOptions {
            env: vec![("SOURCE_DATE_EPOCH".into(), epoch.clone())],
            ..RunOptions::default()
        },
    );
    human.assert_code(1);
    assert!(human.stderr.contains("error[W-STALE]"), "{}", human.stderr);
    assert!(!human.stderr.contains("W-ORPHAN"), "{}", human.stderr);

    // With W-STALE back to a warning, the site passes.
    with_policy("lints: { W-ORPHAN: off, E-IMAGE-ALT: warning }\n");
    let (o, items) = check_json_env(&site, &[], &env);
    o.assert_code(0);
    assert!(!has_errors(&items), "{}", pretty(&items));
    assert_none(&items, "W-ORPHAN");

    with_policy("lints: { W-ORPHAN: off, E-IMAGE-ALT: off, W-STALE: off }\n");
    let (o, items) = check_json_env(&site, &[], &env);
    o.assert_code(0);
    assert!(items.is_empty(), "{}", pretty(&items));
}

#[test]
fn an_unknown_lint_or_level_in_site_yaml_is_a_config_error() {
    let site = site_with_yaml("lints:\n  W-ORPHANS: off\n");
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    let f = assert_one(&items, "E-CONFIG", "site.yaml", 3, "error");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `W-ORPHAN`"),
        "{f}"
    );

    let site = site_with_yaml("lints:\n  W-ORPHAN: silent\n");
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    let f = assert_one(&items, "E-CONFIG", "site.yaml", 3, "error");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("error, warning or off"),
        "{f}"
    );
}

// ---------------------------------------------------------------------------
// Lints and build errors together; drafts
// ---------------------------------------------------------------------------

#[test]
fn check_reports_build_errors_and_lint_findings_in_one_run() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\nSee [nowhere](@/partners/atlantis.md).\n\n![](map.png)\n",
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    let broken = assert_one(
        &items,
        "E-LINK-BROKEN",
        "content/partners/japan.md",
        5,
        "error",
    );
    assert_eq!(broken["column"], 5);
    assert_one(
        &items,
        "E-IMAGE-ALT",
        "content/partners/japan.md",
        7,
        "error",
    );
}

#[test]
fn drafts_are_linted_only_with_drafts() {
    let site = TestSite::new();
    site.write(
        "content/partners/secret.md",
        "---\ntitle: Secret\nweight: 3\ndraft: true\n---\n![](map.png)\n",
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert!(items.is_empty(), "{}", pretty(&items));
    let (o, items) = check_json(&site, &["--drafts"]);
    o.assert_code(1);
    assert_one(
        &items,
        "E-IMAGE-ALT",
        "content/partners/secret.md",
        6,
        "error",
    );
}

// ---------------------------------------------------------------------------
// --format json
// ---------------------------------------------------------------------------

#[test]
fn json_output_has_every_field_with_exact_positions() {
    let site = site_with_yaml("check: { sources_required: [partners] }\n");
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\nIntro.\n\nSee   ![](map.png) here.\n\n### Skipped\n",
    )
    .write_bytes("content/partners/map.png", &png_image(4, 4))
    .write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nweight: 2\nsources: [{title: Factsheet, url: \"https://example.org/ca\"}]\n---\nCanada text.\n",
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    assert!(
        !o.stdout.contains("error[") && !o.stdout.contains("warning["),
        "no human report on stdout:\n{}",
        o.stdout
    );
    let file = "content/partners/japan.md";
    let image = assert_one(&items, "E-IMAGE-ALT", file, 7, "error");
    assert_eq!(image["column"], 7);
    assert_eq!(image["message"], "this image has no alternative text");
    assert!(image["hint"].as_str().is_some_and(|h| h.contains("![")));
    assert_eq!(image["notes"], Value::Array(Vec::new()));
    let skip = assert_one(&items, "W-HEADING-SKIP", file, 9, "warning");
    assert_eq!(skip["column"], 1);
    let sources = assert_one(&items, "E-SOURCES-MISSING", file, 1, "error");
    assert_eq!(sources["column"], 1);
    assert_eq!(items.len(), 3, "{}", pretty(&items));
    // Sorted by file, then line.
    let order: Vec<u64> = items.iter().filter_map(|i| i["line"].as_u64()).collect();
    assert_eq!(order, [1, 7, 9]);
}

#[test]
fn build_json_reports_errors_with_positions_and_leaves_no_output() {
    let site = TestSite::new();
    site.write(
        "content/about.md",
        "---\ntitle: About\ncolour: red\n---\nGo to [x](@/nope.md) now.\n",
    );
    let before = snapshot(site.tmp());
    let out = site.out().display().to_string();
    let (o, items) = run_json(&["build", "--root", &site.root_arg(), "--out", &out], &[]);
    o.assert_code(1);
    let key = assert_one(
        &items,
        "E-FRONT-MATTER-UNKNOWN-KEY",
        "content/about.md",
        3,
        "error",
    );
    assert_eq!(key["column"], 1);
    assert!(
        key["hint"].is_string(),
        "unknown keys come with a hint: {key}"
    );
    let link = assert_one(&items, "E-LINK-BROKEN", "content/about.md", 5, "error");
    assert_eq!(link["column"], 7);
    assert_same_snapshot(&before, &snapshot(site.tmp()), "a failed JSON build wrote");

    // Success: an empty array, and the site is built.
    site.write("content/about.md", "---\ntitle: About\n---\nAbout.\n");
    let (o, items) = run_json(&["build", "--root", &site.root_arg(), "--out", &out], &[]);
    o.assert_code(0);
    assert!(items.is_empty(), "{}", pretty(&items));
    assert!(site.out().join("about/index.html").is_file());
}

#[test]
fn json_usage_errors_exit_two_with_a_json_finding() {
    let site = TestSite::new();
    let missing = site.tmp().join("no-such-site").display().to_string();
    for command in ["build", "check"] {
        let (o, items) = run_json(&[command, "--root", &missing], &[]);
        o.assert_code(2);
        assert_eq!(items.len(), 1, "{}", pretty(&items));
        assert_eq!(items[0]["code"], "E-ROOT");
        assert_eq!(items[0]["severity"], "error");
    }
}

// ---------------------------------------------------------------------------
// --external, against a local server
// ---------------------------------------------------------------------------

/// A tiny HTTP server on 127.0.0.1: `/ok` 200, `/missing` 404, `/broken` 500
/// every time, `/slow` never answers (holds the connection until the server
/// stops). Counts requests by path. Stops (and joins every thread) on drop,
/// so a failing assertion cannot leave it running.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    hits: Arc<Mutex<BTreeMap<String, usize>>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let hits = Arc::new(Mutex::new(BTreeMap::new()));
        let (stop2, hits2) = (stop.clone(), hits.clone());
        let thread = thread::spawn(move || {
            let mut workers = Vec::new();
            while !stop2.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (stop3, hits3) = (stop2.clone(), hits2.clone());
                        workers.push(thread::spawn(move || answer(stream, &stop3, &hits3)));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
            for w in workers {
                let _ = w.join();
            }
        });
        Server {
            addr,
            stop,
            hits,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn hits(&self, path: &str) -> usize {
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.get(path).copied().unwrap_or(0)
    }

    fn total_hits(&self) -> usize {
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.values().sum()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers one connection (one request: every answer closes it).
fn answer(mut stream: TcpStream, stop: &AtomicBool, hits: &Mutex<BTreeMap<String, usize>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut chunk = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
        if request.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("")
        .to_string();
    *hits
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(path.clone())
        .or_default() += 1;
    let status = match path.as_str() {
        "/ok" => "200 OK",
        "/broken" => "500 Internal Server Error",
        "/slow" => {
            // Never answer; hold the connection well past the 1 s timeout,
            // until the test stops the server.
            let held = Instant::now();
            while !stop.load(Ordering::SeqCst) && held.elapsed() < Duration::from_secs(30) {
                thread::sleep(Duration::from_millis(20));
            }
            return;
        }
        _ => "404 Not Found",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.flush();
}

/// A site citing the server's four addresses; `external_timeout_secs: 1`.
fn external_site(server: &Server, policy: &str) -> TestSite {
    let site = site_with_yaml(&format!("check: {{ external_timeout_secs: 1 }}\n{policy}"));
    site.write(
        "content/partners/japan.md",
        &format!(
            concat!(
                "---\n",                               // 1
                "title: Japan\n",                      // 2
                "weight: 1\n",                         // 3
                "sources:\n",                          // 4
                "  - title: A missing source\n",       // 5
                "    url: \"{missing}\"\n",            // 6
                "---\n",                               // 7
                "Intro.\n",                            // 8
                "\n",                                  // 9
                "See [fine]({ok}).\n",                 // 10
                "\n",                                  // 11
                "A [missing page]({missing}) here.\n", // 12
                "\n",                                  // 13
                "A [broken server]({broken}).\n",      // 14
                "\n",                                  // 15
                "A [slow server]({slow}).\n",          // 16
            ),
            ok = server.url("/ok"),
            missing = server.url("/missing"),
            broken = server.url("/broken"),
            slow = server.url("/slow"),
        ),
    )
    .write(
        "content/about.md",
        &format!(
            "---\ntitle: About\n---\nAlso [broken]({}).\n",
            server.url("/broken")
        ),
    );
    site
}

/// The environment for an external check: never through a proxy.
const NO_PROXY: [(&str, &str); 2] = [
    ("NO_PROXY", "127.0.0.1,localhost"),
    ("no_proxy", "127.0.0.1,localhost"),
];

#[test]
fn external_links_that_fail_are_reported_at_every_citing_page_and_line() {
    let server = Server::start();
    let site = external_site(&server, "");

    // Without --external, nothing is requested.
    let (o, items) = check_json_env(&site, &[], &NO_PROXY);
    o.assert_code(0);
    assert_none(&items, "E-EXTERNAL-LINK");
    assert_eq!(
        server.total_hits(),
        0,
        "check without --external used the network"
    );

    let started = Instant::now();
    let (o, items) = check_json_env(&site, &["--external"], &NO_PROXY);
    let elapsed = started.elapsed();
    o.assert_code(1);
    assert!(
        elapsed < Duration::from_secs(30),
        "check --external took {elapsed:?} with a 1 s timeout"
    );
    let japan = "content/partners/japan.md";
    let message_at = |file: &str, line: u64| -> String {
        let found: Vec<&Value> = with(&items, "E-EXTERNAL-LINK", file)
            .into_iter()
            .filter(|f| f["line"] == line)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "one E-EXTERNAL-LINK at {file}:{line}:\n{}",
            pretty(&items)
        );
        assert_eq!(found[0]["severity"], "error");
        found[0]["message"].as_str().unwrap_or_default().to_string()
    };
    let missing = message_at(japan, 12);
    assert!(
        missing.contains(&server.url("/missing")) && missing.contains("404"),
        "{missing}"
    );
    let source = message_at(japan, 4);
    assert!(
        source.contains(&server.url("/missing")) && source.contains("404"),
        "the sources entry is reported at `sources:`: {source}"
    );
    let broken = message_at(japan, 14);
    assert!(
        broken.contains(&server.url("/broken")) && broken.contains("500"),
        "{broken}"
    );
    let broken_about = message_at("content/about.md", 4);
    assert!(broken_about.contains("500"), "{broken_about}");
    let slow = message_at(japan, 16);
    assert!(
        slow.contains(&server.url("/slow")) && slow.contains("did not answer"),
        "{slow}"
    );
    assert_eq!(
        positions(&items, "E-EXTERNAL-LINK", japan),
        [(4, 1), (12, 3), (14, 3), (16, 3)],
        "{}",
        pretty(&items)
    );
    assert!(
        !items
            .iter()
            .any(|f| f["message"].as_str().unwrap_or_default().contains("/ok")),
        "/ok answers 200 and is not reported:\n{}",
        pretty(&items)
    );
    assert_eq!(with_code(&items, "E-EXTERNAL-LINK").len(), 5);

    // Each distinct address is asked about once; only timeouts and server
    // errors are retried.
    assert_eq!(
        server.hits("/missing"),
        1,
        "404 is final (cited twice, asked once)"
    );
    assert!(server.hits("/ok") >= 1);
    assert!(server.hits("/broken") > 1, "500 is retried");
    assert!(server.hits("/slow") > 1, "a timeout is retried");

    // The human report too.
    let human = run_output(
        &["check", "--root", &site.root_arg(), "--external"],
        &RunOptions {
            env: NO_PROXY
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..RunOptions::default()
        },
    );
    human.assert_code(1);
    assert_mentions_at(&human.stderr, japan, 12, 3);
    assert_mentions_at(&human.stderr, "content/about.md", 4, 6);
    assert!(human.stderr.contains("error[E-EXTERNAL-LINK]"));
    drop(server);
}

#[test]
fn external_link_findings_follow_the_lints_policy() {
    let server = Server::start();
    let site = site_with_yaml(
        "check: { external_timeout_secs: 1 }\nlints: { E-EXTERNAL-LINK: warning }\n",
    );
    site.write(
        "content/about.md",
        &format!(
            "---\ntitle: About\n---\nA [missing page]({}).\n",
            server.url("/missing")
        ),
    );
    let (o, items) = check_json_env(&site, &["--external"], &NO_PROXY);
    assert_one(&items, "E-EXTERNAL-LINK", "content/about.md", 4, "warning");
    o.assert_code(0);

    site.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}check: {{ external_timeout_secs: 1 }}\nlints: {{ E-EXTERNAL-LINK: off }}\n"
        ),
    );
    let (o, items) = check_json_env(&site, &["--external"], &NO_PROXY);
    assert_none(&items, "E-EXTERNAL-LINK");
    o.assert_code(0);
}

// ---------------------------------------------------------------------------
// dossier new
// ---------------------------------------------------------------------------

const NEW_SCHEMA: &str = "sections:
  partners:
    fields:
      country_code: { type: string, required: true }
      status: { type: enum, values: [concluded, negotiating], required: true }
      signed: { type: date }
      nato: { type: bool, required: true }
      website: { type: url, required: true }
      areas: { type: list, required: true }
      sources: { required: true }
";

/// The minimal site with a partners schema, its two partner pages complete.
fn new_site() -> TestSite {
    let site = site_with_yaml(NEW_SCHEMA);
    for (name, code, weight) in [("Japan", "JP", 1), ("Canada", "CA", 2)] {
        site.write(
            &format!("content/partners/{}.md", name.to_lowercase()),
            &format!(
                "---\ntitle: {name}\nweight: {weight}\ncountry_code: {code}\nstatus: concluded\nnato: false\nwebsite: https://example.org/{code}\nareas: [cyber]\nsources: [{{title: Factsheet, url: \"https://example.org/{code}/facts\"}}]\n---\n{name} text.\n"
            ),
        );
    }
    site
}

fn new_page(site: &TestSite, args: &[&str]) -> Output {
    let root = site.root_arg();
    let mut all = vec!["new", "--root", root.as_str()];
    all.extend_from_slice(args);
    run_output(&all, &RunOptions::default())
}

/// The file lines of the top-level front matter keys whose value (on their
/// line or the indented lines below) still holds a `TODO` placeholder.
fn placeholder_lines(text: &str) -> BTreeSet<u64> {
    let mut found = BTreeSet::new();
    let mut current: Option<(u64, bool)> = None;
    for (i, line) in text.lines().enumerate().skip(1) {
        let number = i as u64 + 1;
        if line.trim_end() == "---" {
            break;
        }
        let top_level = !line.starts_with([' ', '\t', '#', '-']) && line.contains(':');
        if top_level {
            if let Some((l, true)) = current {
                found.insert(l);
            }
            current = Some((number, false));
        }
        if line.contains("TODO")
            && !line.trim_start().starts_with('#')
            && let Some((_, todo)) = current.as_mut()
        {
            *todo = true;
        }
    }
    if let Some((l, true)) = current {
        found.insert(l);
    }
    found
}

/// Replaces every `"TODO…"` value with a real one for its key, removes
/// `draft: true`, and writes the body.
fn fill_in(text: &str) -> String {
    let mut out = String::new();
    let mut in_front = false;
    let mut fences = 0;
    for line in text.lines() {
        if line.trim_end() == "---" {
            fences += 1;
            in_front = fences == 1;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if in_front && line.starts_with("draft:") {
            continue;
        }
        if !in_front && line.starts_with("TODO") {
            out.push_str("Australia and the EU signed a partnership.\n");
            continue;
        }
        match line.find("\"TODO") {
            Some(at) if in_front => {
                let key = line[..at]
                    .trim()
                    .trim_start_matches("- ")
                    .trim_end_matches(':')
                    .trim();
                let value = match key {
                    "description" => "\"Australia and the European Union.\"",
                    "country_code" => "AU",
                    "status" => "concluded",
                    "nato" => "false",
                    "website" => "\"https://www.example.org/australia\"",
                    "areas" => "[maritime security, cyber]",
                    "title" => "\"Security and Defence Partnership\"",
                    "url" => "\"https://www.eeas.europa.eu/australia\"",
                    "publisher" => "\"European External Action Service\"",
                    other => panic!("no real value for the placeholder key `{other}`: {line}"),
                };
                out.push_str(&line[..at]);
                out.push_str(value);
                out.push('\n');
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn new_creates_a_page_that_fails_until_filled_in_then_publishes() {
    let site = new_site();
    let o = new_page(&site, &["partner", "Australia"]);
    o.assert_success("new partner");
    let relative = "content/partners/australia.md";
    assert!(
        o.stdout.trim().ends_with(relative),
        "prints the new file's path on stdout: {:?}",
        o.stdout
    );
    let path = site.path(relative);
    let text = std::fs::read_to_string(&path).expect("the new file exists");
    assert!(text.starts_with("---\n"), "{text}");
    assert!(text.contains("title: \"Australia\""), "{text}");
    assert!(text.lines().any(|l| l.starts_with("draft: true")), "{text}");
    for field in [
        "country_code",
        "status",
        "nato",
        "website",
        "areas",
        "sources",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{field}:"))),
            "required field `{field}` is in the scaffold:\n{text}"
        );
    }
    assert!(
        !text.lines().any(|l| l.starts_with("signed:")),
        "optional fields are not set:\n{text}"
    );
    let expected = placeholder_lines(&text);
    assert!(expected.len() >= 7, "{expected:?}\n{text}");

    // The draft with placeholders fails build and check, at every placeholder.
    let out = site.out().display().to_string();
    for command in [
        vec!["build", "--root", &site.root_arg(), "--out", &out],
        vec!["check", "--root", &site.root_arg()],
    ] {
        let (o, items) = run_json(&command, &[]);
        o.assert_code(1);
        let got: BTreeSet<u64> = lines(&items, "E-PLACEHOLDER", relative)
            .into_iter()
            .collect();
        assert_eq!(
            got,
            expected,
            "{command:?}: E-PLACEHOLDER at every key holding TODO:\n{}",
            pretty(&items)
        );
    }
    let build = site.build(&[]);
    build.assert_code(1);
    let first = *expected.iter().next().expect("a placeholder");
    assert_mentions(&build.stderr, relative, Some(first as usize));
    assert!(build.stderr.contains("error[E-PLACEHOLDER]"));
    assert!(!site.out().exists(), "a failed build wrote the output");

    // Filled in and published.
    let filled = fill_in(&text);
    assert!(!filled.contains("TODO"), "{filled}");
    assert!(!filled.contains("draft:"), "{filled}");
    site.write(relative, &filled);
    site.build_ok(&[]);
    let page = site.read_out("partners/australia/index.html");
    assert!(page.contains("<title>Australia</title>"), "{page}");
    assert!(page.contains("<p class=\"status\">concluded</p>"), "{page}");
    assert!(
        site.read_out("partners/index.html").contains("Australia"),
        "listed in its section"
    );
    let (o, items) = check_json(&site, &[]);
    o.assert_code(0);
    assert!(!has_errors(&items), "{}", pretty(&items));
}

#[test]
fn a_fresh_scaffold_reports_each_placeholder_once_and_nothing_else() {
    // An editor who has just run `dossier new` should see one clear message
    // per field to fill in, not a second, confusing one about the TODO text
    // not being a valid enum value, true/false or web address.
    let site = new_site();
    new_page(&site, &["partner", "Australia"]).assert_success("new partner");
    let relative = "content/partners/australia.md";
    let (o, items) = check_json(&site, &[]);
    o.assert_code(1);
    let others: Vec<&Value> = items
        .iter()
        .filter(|i| i["file"] == relative && i["code"] != "E-PLACEHOLDER")
        .collect();
    assert!(
        others.is_empty(),
        "findings other than E-PLACEHOLDER for a fresh scaffold:\n{}",
        serde_json::to_string_pretty(&others).unwrap_or_default()
    );
}

#[test]
fn new_page_section_title_and_plural_names_work() {
    let site = new_site();
    let o = new_page(&site, &["page", "partners", "New Zealand"]);
    o.assert_success("new page partners");
    assert!(o.stdout.trim().ends_with("content/partners/new-zealand.md"));
    let text =
        std::fs::read_to_string(site.path("content/partners/new-zealand.md")).expect("created");
    assert!(text.contains("title: \"New Zealand\""), "{text}");

    let o = new_page(&site, &["partners", "Côte d'Ivoire"]);
    o.assert_success("new partners");
    let created = o.stdout.trim().to_string();
    assert!(created.starts_with("content/partners/") && created.ends_with(".md"));
    let text = std::fs::read_to_string(site.path(&created)).expect("created");
    assert!(text.contains("title: \"Côte d'Ivoire\""), "{text}");

    // A section without a schema still gets a page with sources to fill in.
    let o = new_page(&site, &["page", "notes", "A note"]);
    o.assert_code(1); // no content/notes/_index.md yet
    site.write("content/notes/_index.md", "---\ntitle: Notes\n---\n");
    let o = new_page(&site, &["page", "notes", "A note"]);
    o.assert_success("new page in a section without a schema");
    let text = std::fs::read_to_string(site.path("content/notes/a-note.md")).expect("created");
    assert!(
        text.contains("draft: true") && text.contains("TODO"),
        "{text}"
    );
}

#[test]
fn new_never_overwrites_an_existing_file() {
    let site = new_site();
    let before = snapshot(site.root());
    let o = new_page(&site, &["partner", "Japan"]);
    o.assert_code(1);
    assert_no_panic(&o.stderr);
    assert!(o.stderr.contains("already exists"), "{}", o.stderr);
    assert_mentions(&o.stderr, "content/partners/japan.md", None);
    assert!(o.stdout.trim().is_empty(), "nothing printed as created");
    assert_same_snapshot(&before, &snapshot(site.root()), "new on an existing file");

    // Also a file it created itself a moment ago.
    new_page(&site, &["partner", "Australia"]).assert_success("new");
    let path = site.path("content/partners/australia.md");
    std::fs::write(&path, "---\ntitle: Australia\n---\nMy own words.\n").expect("edit");
    let before = snapshot(site.root());
    new_page(&site, &["partner", "Australia"]).assert_code(1);
    assert_same_snapshot(&before, &snapshot(site.root()), "second new");
}

#[test]
fn new_in_an_unknown_section_explains_and_creates_nothing() {
    let site = new_site();
    let before = snapshot(site.root());
    let o = new_page(&site, &["widget", "Thing"]);
    o.assert_code(1);
    assert_no_panic(&o.stderr);
    assert!(
        o.stderr.contains("widget") && o.stderr.contains("partners"),
        "names the unknown section and the known ones:\n{}",
        o.stderr
    );
    assert_same_snapshot(&before, &snapshot(site.root()), "new in an unknown section");

    let o = new_page(&site, &["page", "widgets", "Thing"]);
    o.assert_code(1);
    assert!(o.stderr.contains("widgets"), "{}", o.stderr);
    assert_same_snapshot(
        &before,
        &snapshot(site.root()),
        "new page in an unknown section",
    );
}

// ---------------------------------------------------------------------------
// The shipped briefing site
// ---------------------------------------------------------------------------

#[test]
fn the_briefing_site_checks_without_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = snapshot(&root.join("content"));
    let (o, items) = run_json(&["check", "--root", &root.display().to_string()], &[]);
    let errors: Vec<&Value> = items.iter().filter(|i| i["severity"] == "error").collect();
    assert!(
        errors.is_empty(),
        "the briefing site has errors:\n{}",
        serde_json::to_string_pretty(&errors).unwrap_or_default()
    );
    o.assert_code(0);
    assert_same_snapshot(
        &before,
        &snapshot(&root.join("content")),
        "check changed content/",
    );
}
