//! One mistake, one message, at the line where the mistake is, in plain
//! words: what the build and `check` say about broken YAML, about pages
//! whose front matter cannot be read, and about one template error that
//! many pages run into.

mod common;

use common::*;

fn page(front: &str) -> String {
    format!("---\n{front}---\nText.\n")
}

/// `(file:line:col, message)` of each error header in `stderr`.
fn errors_of(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .map(str::to_string)
        .collect()
}

#[test]
fn yaml_mistakes_are_reported_where_they_are_in_plain_words() {
    let cases = [
        (
            "title: A\ntags: [one, two\ndate: 2024-01-01\n",
            (3, 7),
            "the `[` opened here is never closed",
            "the YAML parser noticed it at line 4, column 5",
        ),
        (
            "title: \"B unclosed\ndate: 2024-01-01\nweight: 3\n",
            (2, 8),
            "the quotation mark \" opened here is never closed",
            "the YAML parser noticed it at line 5",
        ),
        (
            "title: C\ndate 2024-01-01\nweight: 3\n",
            (3, 1),
            "`date 2024-01-01` has no `:` between a key and its value",
            "noticed it at line 4",
        ),
        (
            "title: D\n  weight: 3\n",
            (3, 1),
            "this line is indented, so YAML reads it as part of the value above",
            "",
        ),
        (
            "title: F: with colon\n",
            (2, 9),
            "this value contains `: `",
            "",
        ),
    ];
    for (front, (line, col), message, note) in cases {
        let site = TestSite::new();
        site.write("content/a.md", &page(front));
        let o = site.check(&[]);
        assert_eq!(o.code, 1, "{front}\n{}", o.stderr);
        assert_mentions_at(&o.stderr, "content/a.md", line, col);
        assert!(o.stderr.contains(message), "{front}\n{}", o.stderr);
        assert!(o.stderr.contains(note), "{front}\n{}", o.stderr);
        // One mistake, one message: nothing about the title or sources it
        // could not read; and no parser jargon but in the note.
        let found = errors_of(&o.stderr);
        assert_eq!(found.len(), 1, "{front}\n{}", o.stderr);
        assert!(!found[0].contains("expected"), "{}", found[0]);
    }
}

#[test]
fn unreadable_front_matter_is_one_finding_even_where_sources_are_required() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}check: {{ sources_required: [members], max_age_days: 30 }}\n"),
    );
    site.write("content/members/_index.md", "---\ntitle: Members\n---\n");
    site.write("content/members/a.md", &page("title: [A\n"));
    site.write("content/members/b.md", &page("title: [B\n"));
    let o = site.check(&[]);
    assert_eq!(o.code, 1);
    let found = errors_of(&o.stderr);
    assert_eq!(found.len(), 2, "{}", o.stderr);
    assert!(
        found
            .iter()
            .all(|e| e.starts_with("error[E-FRONT-MATTER-YAML]")),
        "{found:?}"
    );
}

#[test]
fn one_template_error_that_many_pages_hit_is_one_finding_listing_them() {
    let site = TestSite::new();
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body>{{ page.title | round }}</body></html>\n",
    );
    for name in ["a", "b", "c", "d", "e", "f", "g"] {
        site.write(
            &format!("content/{name}.md"),
            &page(&format!("title: {name}\n")),
        );
    }
    let o = site.build(&[]);
    assert_eq!(o.code, 1);
    let found = errors_of(&o.stderr);
    assert_eq!(found.len(), 1, "{}", o.stderr);
    assert!(
        mentions_file(&o.stderr, "templates/page.html"),
        "{}",
        o.stderr
    );
    assert!(
        // The seven pages and the base site's three.
        o.stderr.contains("while rendering 10 pages: content/a.md, content/about.md, content/b.md, content/c.md, content/d.md and 5 more"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_broken_site_yaml_does_not_hide_the_contents_own_mistakes() {
    for config in [
        format!("{SITE_YAML}sections: [oops\n"),
        format!("{SITE_YAML}limits: {{ max_file_kb: 3 }}\n"),
    ] {
        let site = TestSite::new();
        site.write("site.yaml", &config);
        site.write("content/a.md", &page("title: [A\n"));
        site.write("content/b.md", "---\ntitle: B\n");
        // Depends on the settings (there might be a schema): not reported.
        site.write("content/c.md", &page("title: C\nregion: Europe\n"));
        let o = site.check(&[]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(mentions_file(&o.stderr, "site.yaml"), "{}", o.stderr);
        assert_mentions_at(&o.stderr, "content/a.md", 2, 8);
        assert_mentions(&o.stderr, "content/b.md", Some(1));
        assert!(!mentions_file(&o.stderr, "content/c.md"), "{}", o.stderr);
        assert_eq!(errors_of(&o.stderr).len(), 3, "{}", o.stderr);
    }
}

#[test]
fn a_value_that_breaks_a_template_is_reported_at_the_contents_line() {
    let site = TestSite::new();
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body>\n<p>{{ page.extra.population | round }}</p>\n</body></html>\n",
    );
    // Typographic quotes make the number text.
    site.write(
        "content/about.md",
        "---\ntitle: About\nextra:\n  population: “5”\n---\nText.\n",
    );
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nextra:\n  population: 5\n---\nText.\n",
    );
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nextra:\n  population: 7\n---\nText.\n",
    );
    let o = site.build(&[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_mentions_at(&o.stderr, "content/about.md", 3, 1);
    assert!(
        o.stderr.contains("`extra` cannot be used by the template"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("the template that failed: templates/page.html:2:"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("typographic quotes"), "{}", o.stderr);
    assert_eq!(errors_of(&o.stderr).len(), 1, "{}", o.stderr);
}
