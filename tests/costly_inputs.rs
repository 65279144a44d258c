//! Inputs that cost more than their size, and messages that cannot lie.
//!
//! Each case is an input that once took time (or printed output) far out of
//! proportion to its size: quadratic id generation, quadratic key lookups, a
//! hint listing every heading for every broken link, a template loop with no
//! end, a snippet of a megabyte-long line. The real binary (a debug build)
//! must finish each within [`common::TIMEOUT`]; the old code took minutes to
//! hours on the same inputs, so the bound cannot pass by luck, and no test
//! asserts a time finer than that.

mod common;

use common::*;

fn page(front: &str, body: &str) -> String {
    format!("---\ntitle: \"A\"\n{front}---\n{body}")
}

#[test]
fn twenty_thousand_identical_headings_get_unique_ids() {
    let site = TestSite::new();
    site.write(
        "content/a.md",
        &page("", &"## Changes\n\ntext\n\n".repeat(20_000)),
    );
    site.build_ok(&[]);
    let html = site.read_out("a/index.html");
    assert!(html.contains("<h2 id=\"changes\">"));
    assert!(html.contains("<h2 id=\"changes-1\">"));
    assert!(html.contains("<h2 id=\"changes-19999\">"));
    assert!(!html.contains("<h2 id=\"changes-20000\">"));
}

#[test]
fn twenty_thousand_footnotes_are_numbered() {
    let site = TestSite::new();
    let refs: String = (0..20_000).map(|i| format!("x[^n{i}]\n")).collect();
    let defs: String = (0..20_000)
        .map(|i| format!("[^n{i}]: note {i}\n"))
        .collect();
    site.write("content/a.md", &page("", &format!("{refs}\n{defs}")));
    site.build_ok(&[]);
    let html = site.read_out("a/index.html");
    assert!(html.contains("<li id=\"fn-20000\">\n<p>note 19999</p>"));
}

#[test]
fn twenty_thousand_unknown_keys_are_each_reported() {
    let site = TestSite::new();
    let keys: String = (0..20_000).map(|i| format!("key{i}: 1\n")).collect();
    site.write("content/a.md", &page(&keys, "body\n"));
    let o = site.build(&[]);
    assert_eq!(o.code, 1, "{}", tail(&o.stderr, 2000));
    assert_no_panic(&o.stderr);
    assert_mentions_at(&o.stderr, "content/a.md", 3, 1);
    assert_mentions_at(&o.stderr, "content/a.md", 20_002, 1);
    assert!(
        o.stderr.contains("error: 20000 errors in 1 file"),
        "{}",
        tail(&o.stderr, 500)
    );
}

#[test]
fn links_to_a_page_of_many_headings_are_checked_in_proportion() {
    let site = TestSite::new();
    let body: String = (0..20_000)
        .map(|i| format!("## H{i}\n\n[ok](@/a.md#h{i}) [broken](@/a.md#zz{i})\n\n"))
        .collect();
    site.write("content/a.md", &page("", &body));
    let o = site.build(&[]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("error: 20000 errors in 1 file"),
        "{}",
        tail(&o.stderr, 500)
    );
    // A hint names a dozen headings, not twenty thousand, each time.
    assert!(
        o.stderr.contains("#h11 and 19988 more"),
        "{}",
        tail(&o.stderr, 2000)
    );
    assert!(
        o.stderr.len() < 20 * 1024 * 1024,
        "{} bytes",
        o.stderr.len()
    );
}

#[test]
fn a_broken_link_on_a_megabyte_line_prints_a_short_snippet() {
    let site = TestSite::new();
    let line = format!(
        "{}[x](@/nope.md){}",
        "word ".repeat(100_000),
        " word".repeat(100_000)
    );
    site.write("content/a.md", &page("", &format!("{line}\n")));
    let o = site.build(&[]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.len() < 4096,
        "{} bytes of diagnostics",
        o.stderr.len()
    );
    assert_mentions_at(&o.stderr, "content/a.md", 4, 500_001);
    assert!(o.stderr.contains("…word word"), "{}", o.stderr);
    assert!(o.stderr.contains("[x](@/nope.md) word"), "{}", o.stderr);
}

#[test]
fn a_template_loop_without_end_is_stopped_with_its_template_and_page() {
    let site = TestSite::new();
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body>{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ page.title }}{% endfor %}{% endfor %}</body></html>\n",
    );
    site.write("content/a.md", &page("", "body\n"));
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}limits: {{ max_output_kib: 2048, render_seconds: 20 }}\n"),
    );
    let o = site.build(&[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_no_panic(&o.stderr);
    assert!(
        o.stderr.contains("error[E-TEMPLATE-BUDGET]"),
        "{}",
        o.stderr
    );
    assert!(
        mentions_file(&o.stderr, "templates/page.html"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("rendering content/a.md with page.html wrote more than 2048 KiB"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("max_output_kib"), "{}", o.stderr);
}

#[test]
fn a_slow_template_is_stopped_by_the_clock() {
    let site = TestSite::new();
    // Little output, much work: sorting a long list on every iteration.
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body>{% set xs = range(end=20000) %}{% for i in range(end=100000) %}{{ xs | sort | first }}{% endfor %}</body></html>\n",
    );
    site.write("content/a.md", &page("", "body\n"));
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}limits: {{ render_seconds: 1 }}\n"),
    );
    let o = site.build(&[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("error[E-TEMPLATE-BUDGET]"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("took longer than 1 s"), "{}", o.stderr);
}

#[test]
fn file_names_cannot_forge_report_lines_or_reach_the_terminal_raw() {
    let site = TestSite::new();
    let name = "content/evil\nerror[E-FAKE]: content/x.md:1:1: forged\u{1b}[2J.md";
    site.write(name, &page("", "[x](@/nope.md)\n"));
    for o in [site.build(&[]), site.check(&[])] {
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(!o.stderr.contains('\u{1b}'), "{:?}", o.stderr);
        assert!(
            !o.stderr.lines().any(|l| l.starts_with("error[E-FAKE]")),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("evil\\nerror[E-FAKE]"), "{}", o.stderr);
    }
    // JSON carries the real name, escaped by the JSON encoder.
    let o = site.check(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(files.contains(&name), "{files:?}");
}

#[test]
fn a_slug_too_long_for_the_file_system_is_reported_at_its_source() {
    let site = TestSite::new();
    // 84 CJK characters and `.md` fit a file name (255 bytes); their
    // transliteration (`dong-dong-…`, 419 bytes) does not.
    let long = "東".repeat(84);
    site.write(&format!("content/{long}.md"), &page("", "body\n"));
    site.write(
        "content/b.md",
        &page(&format!("slug: \"{}\"\n", "b".repeat(300)), "body\n"),
    );
    // The longest name a file system takes builds.
    let fits = format!("content/{}.md", "c".repeat(252));
    site.write(&fits, &page("", "body\n"));
    let o = site.build(&[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_mentions(&o.stderr, &format!("content/{long}.md"), None);
    assert_mentions_at(&o.stderr, "content/b.md", 3, 1);
    assert!(
        o.stderr.contains("at most 255 bytes per name"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("disk space"), "{}", o.stderr);
    assert!(!mentions_file(&o.stderr, &fits), "{}", o.stderr);
}
