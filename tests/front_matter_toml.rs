//! TOML front matter between `+++` lines: the same keys, checks and error
//! positions as YAML.

mod common;

use common::{TestSite, assert_mentions_at, error_headers};

#[test]
fn toml_front_matter_reads_every_key() {
    let site = TestSite::new();
    site.write(
        "content/partners/korea.md",
        "+++\ntitle = \"Republic of Korea\"\ndescription = \"Korea's partnership.\"\ndate = 2024-11-01\nupdated = 2025-01-02T10:00:00Z\nweight = 3\ntags = [\"Asia\"]\naliases = [\"/partners/south-korea/\"]\n\n[extra]\nflag = \"kr\"\n\n[[sources]]\ntitle = \"EEAS\"\nurl = \"https://eeas.europa.eu/korea\"\ndate = 2024-11-01\n+++\n\nKorea text.\n",
    );
    site.build_ok(&[]);
    let page = site.read_out("partners/korea/index.html");
    assert!(
        page.contains("<h1 class=\"page-title\">Republic of Korea</h1>"),
        "{page}"
    );
    assert!(page.contains("<li>Asia</li>"), "{page}");
    assert!(page.contains("Korea text."), "{page}");
    assert!(site.out().join("partners/south-korea/index.html").is_file());
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains("2025-01-02"),
        "updated, time of day dropped: {sitemap}"
    );
}

#[test]
fn toml_mistakes_are_reported_at_their_lines_like_yaml() {
    let site = TestSite::new();
    site.write(
        "content/a.md",
        "+++\ntitel = \"A\"\ndate = \"2026-02-30\"\nweight = \"heavy\"\n+++\n",
    );
    site.write("content/b.md", "+++\ntitle = \"B\"\nweight = = 3\n+++\n");
    site.write("content/c.md", "+++\ntitle = \"C\"\n");
    let out = site.build(&[]);
    out.assert_code(1);
    assert_mentions_at(&out.stderr, "content/a.md", 2, 1);
    assert!(
        out.stderr.contains("did you mean `title`"),
        "{}",
        out.stderr
    );
    assert_mentions_at(&out.stderr, "content/a.md", 3, 1);
    assert!(
        out.stderr.contains("not a real calendar date"),
        "{}",
        out.stderr
    );
    assert_mentions_at(&out.stderr, "content/a.md", 4, 1);
    assert!(out.stderr.contains("content/b.md:3:"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("front matter starts with `+++` but is never closed"),
        "{}",
        out.stderr
    );
    let codes: Vec<String> = error_headers(&out.stderr)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert!(
        codes.contains(&"E-FRONT-MATTER-TOML".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"E-FRONT-MATTER-UNKNOWN-KEY".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"E-FRONT-MATTER-UNTERMINATED".to_string()),
        "{codes:?}"
    );
}

#[test]
fn section_schemas_apply_to_toml_pages() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!(
            "{}sections:\n  partners:\n    fields:\n      status: {{ type: enum, values: [concluded, proposed], required: true }}\n",
            common::SITE_YAML
        ),
    );
    for p in ["japan", "canada"] {
        site.write(
            &format!("content/partners/{p}.md"),
            "+++\ntitle = \"P\"\nstatus = \"concluded\"\n+++\n",
        );
    }
    site.write(
        "content/partners/korea.md",
        "+++\ntitle = \"Korea\"\nstatus = \"concluded-ish\"\n+++\n",
    );
    let out = site.build(&[]);
    out.assert_code(1);
    assert_mentions_at(&out.stderr, "content/partners/korea.md", 3, 1);
    assert!(
        out.stderr.contains("did you mean `concluded`"),
        "{}",
        out.stderr
    );
}
