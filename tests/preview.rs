//! The live preview shows what the build will publish, and what `check`
//! will refuse: the dev site (`DevSite`, the engine behind `dossier serve`)
//! after sequences of edits, compared with real builds and checks.

mod common;

use std::collections::BTreeSet;

use common::*;
use dossier::diagnostics::{Diagnostics, Severity};
use dossier::serve::dev::{Changes, DevSite};

const BASE: &str = "http://127.0.0.1:1/";

fn content(sources: &[&str]) -> Changes {
    Changes {
        content: sources.iter().map(|s| s.to_string()).collect(),
        ..Changes::default()
    }
}

fn statics() -> Changes {
    Changes {
        statics: true,
        ..Changes::default()
    }
}

fn served(dev: &DevSite, file: &str) -> Option<Vec<u8>> {
    dev.files().get(file).map(|b| b.to_vec())
}

/// `(code, file, line)` of each finding, for comparing reports.
fn positions(d: &Diagnostics) -> BTreeSet<(String, String, Option<usize>)> {
    d.iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.file.display().to_string(),
                d.location.map(|l| l.line),
            )
        })
        .collect()
}

#[test]
fn what_changed_while_the_site_was_broken_is_built_once_it_is_fixed() {
    let site = TestSite::new();
    site.write("static/style.css", "body { color: black }\n");
    site.write("content/japan/index.md", "---\ntitle: Japan\n---\nText.\n");
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");

    // A broken save, then a stylesheet change and a new bundle image while broken.
    site.write("content/japan/index.md", "---\ntitle: [Japan\n---\nText.\n");
    assert!(dev.rebuild(&content(&["japan/index.md"])).is_err());
    site.write("static/style.css", "body { color: navy }\n");
    assert!(dev.rebuild(&statics()).is_err());
    site.write_bytes("content/japan/map.png", b"\x89PNG fake");
    assert!(dev.rebuild(&statics()).is_err());
    assert_eq!(
        served(&dev, "style.css").unwrap(),
        b"body { color: black }\n"
    );

    // The fix names only the page; the rebuild takes everything since.
    site.write(
        "content/japan/index.md",
        "---\ntitle: Japan\n---\nText, fixed.\n",
    );
    dev.rebuild(&content(&["japan/index.md"])).expect("fixed");
    assert_eq!(
        served(&dev, "style.css").unwrap(),
        b"body { color: navy }\n"
    );
    assert_eq!(served(&dev, "japan/map.png").unwrap(), b"\x89PNG fake");
}

#[test]
fn the_preview_reports_checks_lints_as_warnings_on_both_paths() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}check: {{ sources_required: [partners] }}\n"),
    );
    // Pages and sections link to nothing but their text, so links in the
    // text decide who is an orphan.
    for (template, value) in [
        ("page", "page"),
        ("section", "section"),
        ("index", "section"),
    ] {
        site.write(
            &format!("templates/{template}.html"),
            &format!("<!DOCTYPE html><html><head><title>{{{{ {value}.title }}}}</title></head><body>{{{{ {value}.content | safe }}}}</body></html>\n"),
        );
    }
    site.write(
        "content/partners/_index.md",
        "---\ntitle: Partners\n---\n[Japan](@/partners/japan.md) [Canada](@/partners/canada.md)\n",
    );
    site.write("content/partners/japan.md", "---\ntitle: Japan\nsources:\n  - title: S\n    url: https://example.org/s\n---\nText.\n\n#### Deep\n");
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\n---\n![](map.png)\n",
    )
    .write_bytes("content/partners/map.png", &common::png_image(4, 4));
    let check = site.check(&["--format", "json"]);
    let checked: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let expected: BTreeSet<(String, String, Option<usize>)> = checked["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().map(|l| l as usize),
            )
        })
        .collect();
    assert!(
        expected.iter().any(|(c, ..)| c == "E-SOURCES-MISSING"),
        "{expected:?}"
    );
    assert!(
        expected.iter().any(|(c, ..)| c == "E-IMAGE-ALT"),
        "{expected:?}"
    );
    assert!(
        expected.iter().any(|(c, ..)| c == "W-HEADING-SKIP"),
        "{expected:?}"
    );

    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    let first = dev
        .rebuild(&Changes::everything())
        .expect("lints never block");
    assert_eq!(
        positions(&first.warnings),
        expected,
        "preview and check agree"
    );
    assert!(
        first
            .warnings
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
    let alt = first
        .warnings
        .iter()
        .find(|d| d.code == "E-IMAGE-ALT")
        .unwrap();
    assert!(
        alt.notes
            .iter()
            .any(|n| n.contains("dossier check` reports this as an error"))
    );

    // A body edit (the fast path) fixes one finding and adds another. (An
    // image with a web address: a local one goes through the image stage,
    // so through the model.)
    site.write("content/partners/japan.md", "---\ntitle: Japan\nsources:\n  - title: S\n    url: https://example.org/s\n---\nText.\n\n## Deep\n\n![](https://example.org/x.png)\n");
    let edit = dev
        .rebuild(&content(&["partners/japan.md"]))
        .expect("body edit");
    assert!(edit.fast_path);
    let now = positions(&edit.warnings);
    assert!(
        !now.iter()
            .any(|(c, f, _)| c == "W-HEADING-SKIP" && f.ends_with("japan.md")),
        "{now:?}"
    );
    assert!(
        now.contains(&(
            "E-IMAGE-ALT".into(),
            "content/partners/japan.md".into(),
            Some(11)
        )),
        "{now:?}"
    );
    let check = site.check(&["--format", "json"]);
    let checked: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(
        checked["findings"].as_array().unwrap().len(),
        now.len(),
        "{now:?}"
    );

    // An orphan appears when the only link to it goes, through the model.
    site.write(
        "content/partners/_index.md",
        "---\ntitle: Partners\n---\n[Japan](@/partners/japan.md)\n",
    );
    let edit = dev
        .rebuild(&content(&["partners/_index.md"]))
        .expect("section edit");
    assert!(!edit.fast_path);
    assert!(
        edit.warnings
            .iter()
            .any(|d| d.code == "W-ORPHAN" && d.file.ends_with("canada.md")),
        "{:?}",
        positions(&edit.warnings)
    );
    let check = site.check(&["--format", "json"]);
    let checked: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(
        checked["findings"].as_array().unwrap().len(),
        edit.warnings.iter().count()
    );
}

#[test]
fn drafts_are_previewed_with_a_banner_and_their_placeholders_are_warnings() {
    let site = TestSite::new();
    site.write("content/ready.md", "---\ntitle: Ready\n---\nText.\n");
    site.write(
        "content/new.md",
        "---\ntitle: New\ndescription: \"TODO: one sentence\"\ndraft: true\n---\nTODO: write the page.\n",
    );
    let mut dev = DevSite::new(site.root(), true, Some(BASE.into()));
    let rebuilt = dev
        .rebuild(&Changes::everything())
        .expect("a draft with placeholders previews");
    let html = String::from_utf8(served(&dev, "new/index.html").unwrap()).unwrap();
    assert!(
        html.contains("<aside class=\"dossier-draft\" aria-label=\"Draft notice\""),
        "{html}"
    );
    assert!(html.contains("Draft: not published."));
    let ready = String::from_utf8(served(&dev, "ready/index.html").unwrap()).unwrap();
    assert!(!ready.contains("dossier-draft"));
    let placeholder = rebuilt
        .warnings
        .iter()
        .find(|d| d.code == "E-PLACEHOLDER")
        .unwrap();
    assert_eq!(placeholder.severity, Severity::Warning);
    assert_eq!(placeholder.location.map(|l| l.line), Some(3));

    // The build refuses the same placeholder, drafts or not.
    for args in [&[][..], &["--drafts"][..]] {
        let o = site.build(args);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(o.stderr.contains("error[E-PLACEHOLDER]"), "{}", o.stderr);
    }
}

#[test]
fn a_link_to_a_page_just_renamed_suggests_its_new_name() {
    let site = TestSite::new();
    site.write("content/japan.md", "---\ntitle: Japan\n---\nText.\n");
    site.write(
        "content/canada.md",
        "---\ntitle: Canada\n---\nSee [Japan](@/japan.md).\n",
    );
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    site.remove("content/japan.md");
    site.write("content/nippon.md", "---\ntitle: Japan\n---\nText.\n");
    let errors = dev
        .rebuild(&content(&["japan.md", "nippon.md"]))
        .expect_err("the link is broken");
    let broken = errors.iter().find(|d| d.code == "E-LINK-BROKEN").unwrap();
    assert_eq!(broken.file.display().to_string(), "content/canada.md");
    assert_eq!(broken.location.map(|l| (l.line, l.column)), Some((4, 5)));
    assert!(
        broken
            .message
            .contains("was just renamed to content/nippon.md"),
        "{}",
        broken.message
    );
    assert_eq!(
        broken.hint.as_deref(),
        Some("link to the new name: @/nippon.md")
    );
}

#[test]
fn the_shipped_briefing_previews_with_no_findings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dev = DevSite::new(root, true, Some(BASE.into()));
    let rebuilt = dev
        .rebuild(&Changes::everything())
        .expect("the briefing builds");
    assert!(
        rebuilt.warnings.is_empty(),
        "{}",
        rebuilt.warnings.to_plain_string(root)
    );
}

#[test]
fn a_rename_offers_the_alias_that_keeps_the_old_address() {
    let site = TestSite::new();
    site.write("content/korea.md", "---\ntitle: Korea\n---\nText.\n");
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    site.remove("content/korea.md");
    site.write(
        "content/republic-of-korea.md",
        "---\ntitle: Korea\n---\nText.\n",
    );
    let rebuilt = dev
        .rebuild(&content(&["korea.md", "republic-of-korea.md"]))
        .expect("a rename builds");
    let offer = rebuilt
        .warnings
        .iter()
        .find(|d| d.code == "W-RENAMED")
        .unwrap();
    assert_eq!(
        offer.file.display().to_string(),
        "content/republic-of-korea.md"
    );
    assert!(
        offer.message.contains("/korea/ will stop working"),
        "{}",
        offer.message
    );
    assert_eq!(
        offer.hint.as_deref(),
        Some(
            "keep the old address working: add `aliases: [\"/korea/\"]` to this page's front matter"
        )
    );
    // Renamed back and forth with the alias given: nothing to offer.
    site.remove("content/republic-of-korea.md");
    site.write(
        "content/rok.md",
        "---\ntitle: Korea\naliases: [\"/republic-of-korea/\"]\n---\nText.\n",
    );
    let rebuilt = dev
        .rebuild(&content(&["republic-of-korea.md", "rok.md"]))
        .expect("a rename with its alias builds");
    assert!(!rebuilt.warnings.iter().any(|d| d.code == "W-RENAMED"));
}
