//! Addresses that never break: aliases (redirect pages and host redirect
//! maps), the URL history between builds, and links to a page moved into a
//! folder of its own.

mod common;

use common::{TestSite, error_headers};

fn korea(front: &str) -> String {
    format!("---\ntitle: Republic of Korea\n{front}---\nKorea text.\n")
}

#[test]
fn aliases_become_redirect_pages_and_host_redirect_maps() {
    let site = TestSite::new();
    site.write(
        "content/partners/republic-of-korea.md",
        &korea("aliases:\n  - /partners/south-korea/\n  - old/korea.html\n"),
    );
    site.build_ok(&[]);
    let page = site.read_out("partners/south-korea/index.html");
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{page}"
    );
    assert!(
        page.contains("<title>Moved: Republic of Korea</title>"),
        "{page}"
    );
    assert!(
        page.contains(r#"<meta http-equiv="refresh" content="0; url=../../partners/republic-of-korea/index.html">"#),
        "relative, like every link of the output: {page}"
    );
    assert!(
        page.contains(
            r#"<link rel="canonical" href="https://example.org/sub/partners/republic-of-korea/">"#
        ),
        "{page}"
    );
    assert!(
        page.contains(
            r#"<a href="../../partners/republic-of-korea/index.html">Republic of Korea</a>"#
        ),
        "a visible link: {page}"
    );
    let file_alias = site.read_out("old/korea.html");
    assert!(
        file_alias.contains(r#"url=../partners/republic-of-korea/index.html""#),
        "{file_alias}"
    );
    assert_eq!(
        site.read_out("_redirects"),
        "# Written by dossier from the pages' `aliases:`.\n\
         /sub/old/korea.html /sub/partners/republic-of-korea/ 301\n\
         /sub/partners/south-korea/ /sub/partners/republic-of-korea/ 301\n"
    );
    let nginx = site.read_out("redirects.nginx.conf");
    assert!(nginx.contains("map $uri $dossier_redirect {"), "{nginx}");
    assert!(
        nginx.contains("    \"/sub/partners/south-korea/\" \"/sub/partners/republic-of-korea/\";\n    \"/sub/partners/south-korea\" \"/sub/partners/republic-of-korea/\";\n"),
        "{nginx}"
    );
}

#[test]
fn redirect_outputs_can_be_switched_off_and_static_files_win() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("{}redirects: {{ nginx: false }}\n", common::SITE_YAML),
    );
    site.write("static/_redirects", "/mine /x 302\n");
    site.write(
        "content/partners/republic-of-korea.md",
        &korea("aliases: [/partners/south-korea/]\n"),
    );
    site.build_ok(&[]);
    assert_eq!(site.read_out("_redirects"), "/mine /x 302\n");
    assert!(!site.out().join("redirects.nginx.conf").exists());
    assert!(site.out().join("partners/south-korea/index.html").is_file());
    // A site without aliases gets no redirect files at all.
    let plain = TestSite::new();
    plain.build_ok(&[]);
    assert!(!plain.out().join("_redirects").exists());
    assert!(!plain.out().join("redirects.nginx.conf").exists());
}

#[test]
fn bad_and_colliding_aliases_are_errors_at_their_line() {
    let site = TestSite::new();
    site.write(
        "content/partners/republic-of-korea.md",
        &korea("aliases:\n  - /partners/japan/\n  - /a/../b/\n  - /tags/\n  - /old/\n"),
    );
    site.write(
        "content/other.md",
        "---\ntitle: Other\naliases: [\"/old/\"]\n---\n",
    );
    let out = site.build(&[]);
    out.assert_code(1);
    let file = "content/partners/republic-of-korea.md";
    common::assert_mentions_at(&out.stderr, file, 4, 1);
    assert!(
        out.stderr
            .contains("is the address of content/partners/japan.md"),
        "{}",
        out.stderr
    );
    common::assert_mentions_at(&out.stderr, file, 5, 1);
    common::assert_mentions_at(&out.stderr, file, 6, 1);
    common::assert_mentions_at(&out.stderr, file, 7, 1);
    assert!(
        out.stderr.contains("also given at content/other.md:3"),
        "{}",
        out.stderr
    );
    let codes: Vec<String> = error_headers(&out.stderr)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(codes, ["E-ALIAS"; 4], "{}", out.stderr);
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn a_url_removed_without_an_alias_fails_the_next_build() {
    let site = TestSite::new();
    site.write(
        "content/partners/south-korea.md",
        "---\ntitle: South Korea\n---\nText.\n",
    );
    // The first build has no history and passes.
    site.build_ok(&[]);
    let record = site.read_out(".dossier-urls");
    assert!(
        record.contains("/partners/south-korea/\tpartners/south-korea.md\tSouth Korea\n"),
        "{record}"
    );
    assert!(
        !record.contains("/tags/"),
        "tag pages are not recorded: {record}"
    );
    let before = common::snapshot(&site.out());

    // Renamed without an alias: an error at the page it moved to.
    site.remove("content/partners/south-korea.md");
    site.write("content/partners/republic-of-korea.md", &korea(""));
    let out = site.build(&[]);
    out.assert_code(1);
    assert!(
        out.stderr.contains("error[E-URL-REMOVED]"),
        "{}",
        out.stderr
    );
    common::assert_mentions(
        &out.stderr,
        "content/partners/republic-of-korea.md",
        Some(1),
    );
    assert!(
        out.stderr
            .contains("/partners/south-korea/ (\"South Korea\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("aliases: [\"/partners/south-korea/\"]"),
        "{}",
        out.stderr
    );
    common::assert_same_snapshot(&before, &common::snapshot(&site.out()), "failed build");
    // `check` compares with the built output too.
    let checked = site.check(&[]);
    assert!(
        checked.stderr.contains("error[E-URL-REMOVED]"),
        "{}",
        checked.stderr
    );

    // An alias clears it.
    site.write(
        "content/partners/republic-of-korea.md",
        &korea("aliases: [/partners/south-korea/]\n"),
    );
    site.build_ok(&[]);
    assert!(
        site.read_out(".dossier-urls")
            .contains("/partners/south-korea/\t")
    );

    // Removing the alias again is a removal too; a retirement clears it.
    site.write("content/partners/republic-of-korea.md", &korea(""));
    let out = site.build(&[]);
    out.assert_code(1);
    assert!(out.stderr.contains("E-URL-REMOVED"), "{}", out.stderr);
    site.write(
        "site.yaml",
        &format!(
            "{}retired:\n  - {{ path: /partners/south-korea/, reason: \"merged\" }}\n",
            common::SITE_YAML
        ),
    );
    site.build_ok(&[]);
    assert!(!site.read_out(".dossier-urls").contains("south-korea"));
}

#[test]
fn a_removed_url_with_no_likely_new_home_is_reported_at_site_yaml() {
    let site = TestSite::new();
    site.build_ok(&[]);
    site.remove("content/about.md");
    let out = site.build(&[]);
    out.assert_code(1);
    common::assert_mentions(&out.stderr, "site.yaml", Some(1));
    assert!(
        out.stderr
            .contains("the URL /about/ (\"About\", from content/about.md)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("retired: [\"/about/\"]"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_page_turned_draft_is_not_a_removal_but_deleting_it_later_is() {
    let site = TestSite::new();
    site.build_ok(&[]);
    site.write("content/about.md", "---\ntitle: About\ndraft: true\n---\n");
    site.build_ok(&[]);
    assert!(
        site.read_out(".dossier-urls").contains("/about/\tabout.md"),
        "carried over"
    );
    site.remove("content/about.md");
    site.build(&[]).assert_code(1);
}

#[test]
fn a_page_moved_into_a_folder_keeps_its_url_and_its_links() {
    let site = TestSite::new();
    site.write("content/about.md", "---\ntitle: About\n---\nSee [Canada](@/partners/canada.md#top) and [Japan](@/partners/japan/index.md).\n");
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\n---\n## Top\n",
    );
    site.build_ok(&[]);
    let old = site.read_out("about/index.html");
    site.remove("content/partners/canada.md");
    site.write(
        "content/partners/canada/index.md",
        "---\ntitle: Canada\n---\n## Top\n",
    );
    site.write_bytes("content/partners/canada/map.png", b"png");
    site.build_ok(&[]);
    assert_eq!(
        site.read_out("about/index.html"),
        old,
        "same links, same URL"
    );
    assert!(
        old.contains("href=\"../partners/canada/index.html#top\""),
        "{old}"
    );
    assert!(
        old.contains("href=\"../partners/japan/index.html\""),
        "{old}"
    );
    assert!(site.out().join("partners/canada/map.png").is_file());
}
