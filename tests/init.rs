//! `dossier init`: a new site from the briefing's design, whose TODO
//! placeholders fail the build until filled, and `--bare`, which builds at
//! once. Both refuse a folder that is not empty.

mod common;

use std::fs;
use std::path::Path;

use common::run;

/// Replaces every `key: "TODO…"` value the way an editor would: the first
/// allowed value of an enum, a one-item list, a number, an address, text.
/// Also publishes the drafts, so the schema pages go through their templates.
fn fill_placeholders(root: &Path) -> usize {
    let mut filled = 0;
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            if line.starts_with("draft: true") {
                continue;
            }
            let Some((key, value)) = line.split_once(": \"TODO") else {
                out.push_str(line);
                out.push('\n');
                continue;
            };
            filled += 1;
            let hint = value.trim_start_matches(':').trim().trim_end_matches('"');
            let name = key.trim().trim_start_matches("- ");
            let new = if let Some(options) = hint.strip_prefix("one of ") {
                format!("\"{}\"", options.split(", ").next().unwrap())
            } else if hint.starts_with("a list") {
                "[\"Maritime security\"]".to_string()
            } else if name == "updated" || name == "date" {
                "2026-01-01".to_string()
            } else if name == "weight" {
                "1".to_string()
            } else if name == "url" {
                "\"https://example.org/source\"".to_string()
            } else if name == "country_code" {
                "\"JP\"".to_string()
            } else {
                format!("\"The {name}\"")
            };
            out.push_str(&format!("{key}: {new}\n"));
        }
        fs::write(entry.path(), out).unwrap();
    }
    filled
}

#[test]
fn init_gives_the_briefing_design_that_builds_once_its_placeholders_are_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("next-briefing");
    let dir_arg = dir.display().to_string();
    let (code, _, stderr) = run(&["init", &dir_arg]);
    assert_eq!(code, 0, "{stderr}");
    for file in [
        "site.yaml",
        "templates/base.html",
        "templates/partner.html",
        "static/style.css",
        "content/_index.md",
        "content/partners/example-partner.md",
        "content/report/example-theme.md",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let (code, _, stderr) = run(&["build", "--root", &dir_arg]);
    assert_eq!(code, 1, "placeholders fail the build: {stderr}");
    assert!(stderr.contains("error[E-PLACEHOLDER]"), "{stderr}");
    assert!(fill_placeholders(&dir) >= 20);
    let (code, _, stderr) = run(&["build", "--root", &dir_arg]);
    assert_eq!(code, 0, "the filled site builds: {stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(
        dir.join("public/partners/example-partner/index.html")
            .is_file()
    );
    assert!(dir.join("public/report/example-theme/index.html").is_file());
}

#[test]
fn init_bare_builds_at_once_and_a_non_empty_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("minimal");
    let dir_arg = dir.display().to_string();
    let (code, _, stderr) = run(&["init", "--bare", &dir_arg]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&["build", "--root", &dir_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.join("public/about/index.html").is_file());
    // Not over an existing site, in either form; nothing is changed.
    let before = common::snapshot(&dir);
    for args in [vec!["init", &dir_arg], vec!["init", "--bare", &dir_arg]] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("is not empty"), "{stderr}");
    }
    assert_eq!(before, common::snapshot(&dir));
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging folder left"
    );
}
