//! Slug strategies (`slugify:` strict, safe, off), names made only of
//! punctuation, names in any script, and a corpus "tried as a new user
//! would": Markdown files without front matter, in many languages, with
//! file names of punctuation.

mod common;

use std::collections::BTreeSet;

use common::{SITE_YAML, TestSite};

fn with_slugify(site: &TestSite, yaml: &str) {
    site.write("site.yaml", &format!("{SITE_YAML}{yaml}"));
}

/// Every relative `href` of `html` (written at `page`, a folder of the
/// output) that names a local file, decoded, as a path below the output.
fn local_links(html: &str, page: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| !h.starts_with("http") && !h.starts_with('#') && !h.is_empty())
        .map(|h| {
            let h = h.split('#').next().unwrap_or("");
            let decoded = percent_encoding::percent_decode_str(h)
                .decode_utf8()
                .unwrap()
                .into_owned();
            let mut parts: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
            for seg in decoded.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "" | "." => {}
                    s => parts.push(s),
                }
            }
            parts.join("/")
        })
        .collect()
}

#[test]
fn strict_is_the_default_and_names_of_punctuation_now_build() {
    let site = TestSite::new();
    site.write("content/[.md", "# Bracket\n");
    site.write("content/%.md", "# Percent\n");
    site.write("content/Michał Szczerba.md", "# Michał\n");
    site.build_ok(&[]);
    assert!(site.out().join("left-square-bracket/index.html").is_file());
    assert!(site.out().join("percent-sign/index.html").is_file());
    assert!(site.out().join("michal-szczerba/index.html").is_file());
    // Under strict, `_`/`-` variants still share a URL: an error naming both.
    site.write("content/a_b.md", "# A\n");
    site.write("content/a-b.md", "# B\n");
    let out = site.build(&[]);
    out.assert_code(1);
    assert!(out.stderr.contains("E-URL-CONFLICT"), "{}", out.stderr);
}

#[test]
fn safe_keeps_unicode_and_tells_variants_apart() {
    let site = TestSite::new();
    with_slugify(&site, "slugify: safe\n");
    for (name, title) in [
        ("qm-move_disk", "underscore"),
        ("qm-move-disk", "dash"),
        ("clang++", "clang plus plus"),
        ("clang", "clang"),
        ("東京", "Tokyo"),
        ("Ελλάδα", "Greece"),
        ("العربية", "Arabic"),
    ] {
        site.write(&format!("content/notes/{name}.md"), &format!("# {title}\n"));
    }
    site.write("content/notes/_index.md", "---\ntitle: Notes\n---\n");
    site.build_ok(&[]);
    for folder in [
        "qm-move_disk",
        "qm-move-disk",
        "clang++",
        "clang",
        "東京",
        "ελλάδα",
        "العربية",
    ] {
        assert!(
            site.out()
                .join("notes")
                .join(folder)
                .join("index.html")
                .is_file(),
            "{folder}: {:?}",
            common::entries(&site.out().join("notes"))
        );
    }
    let listing = site.read_out("notes/index.html");
    assert!(
        listing.contains("href=\"../notes/%E6%9D%B1%E4%BA%AC/index.html\""),
        "links are percent-encoded: {listing}"
    );
    for target in local_links(&listing, "notes/") {
        assert!(
            site.out().join(&target).is_file(),
            "{target} is linked but missing"
        );
    }
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains("https://example.org/sub/notes/%E6%9D%B1%E4%BA%AC/"),
        "{sitemap}"
    );
}

#[test]
fn off_keeps_names_as_they_are_and_sections_choose_their_own() {
    let site = TestSite::new();
    with_slugify(
        &site,
        "slugify: off\nsections:\n  wiki:\n    slugify: safe\n  strict:\n    slugify: strict\n",
    );
    site.write("content/Hello World.md", "# Hello\n");
    site.write("content/wiki/_index.md", "---\ntitle: Wiki\n---\n");
    site.write("content/wiki/Read Me.md", "# Read me\n");
    site.write("content/strict/_index.md", "---\ntitle: Strict\n---\n");
    site.write("content/strict/Read_Me.md", "# Read me\n");
    site.build_ok(&[]);
    assert!(site.out().join("Hello World/index.html").is_file());
    assert!(site.out().join("wiki/read-me/index.html").is_file());
    assert!(site.out().join("strict/read-me/index.html").is_file());
    let home = site.read_out("index.html");
    assert!(home.contains("href=\"Hello%20World/index.html\""), "{home}");
}

#[test]
fn names_that_safe_still_folds_together_are_one_clear_error() {
    // `safe` drops `#` and lower-cases: `c#.md` and `C.md` share /c/.
    let site = TestSite::new();
    with_slugify(&site, "slugify: safe\n");
    site.write("content/c#.md", "# C sharp\n");
    site.write("content/C.md", "# C\n");
    let out = site.build(&[]);
    out.assert_code(1);
    assert!(
        out.stderr.contains("error[E-URL-CONFLICT]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("content/C.md") && out.stderr.contains("content/c#.md"),
        "{}",
        out.stderr
    );
    site.write("content/c#.md", "---\ntitle: C sharp\nslug: c-sharp\n---\n");
    site.build_ok(&[]);
}

#[test]
fn a_bad_slugify_value_is_an_error_at_its_line() {
    let site = TestSite::new();
    with_slugify(&site, "slugify: loose\n");
    let out = site.build(&[]);
    out.assert_code(1);
    common::assert_mentions_at(&out.stderr, "site.yaml", 3, 1);
    assert!(
        out.stderr.contains("use strict, safe or off"),
        "{}",
        out.stderr
    );
}

/// The corpus: pages without front matter (titles from `# Heading`), in
/// several scripts, names of punctuation, `_`/`-`/`+` variants, names at
/// the 255-byte limit, folders with such names, and links between them.
fn corpus(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = [
        "[",
        "((",
        "!",
        "%",
        "]]",
        "?",
        "#",
        "&",
        "@",
        "~",
        "+",
        "x...y",
        "a.b",
        "_",
        "-x-",
        "'quoted'",
        "qm-move_disk",
        "qm-move-disk",
        "qm+move+disk",
        "clang++",
        "clang",
        "c#",
        "東京",
        "日本語のページ",
        "ひらがな",
        "カタカナ",
        "العربية",
        "مرحبا بالعالم",
        "Ελληνικά",
        "Αθήνα",
        "Ωμέγα",
        "Привет мир",
        "हिन्दी",
        "한국어",
        "עברית",
        "Ärger",
        "naïve café",
        "emoji 🙂",
        "tab\tname",
        "x y  z",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    names.push("a".repeat(252)); // 252 + ".md" = 255 bytes, the longest file name
    names.push("東".repeat(84)); // 252 bytes of CJK + ".md"
    names.push(format!("{}é", "b".repeat(250))); // 252 bytes ending in a 2-byte letter
    for dir in ["", "文書/", "[folder]/", "Ελληνικά/"] {
        for (i, name) in names.iter().enumerate() {
            let other = &names[(i + 1) % names.len()];
            // Encoded only where Markdown needs it; Unicode as it is.
            const LINK: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
                .add(b' ')
                .add(b'(')
                .add(b')')
                .add(b'<')
                .add(b'>')
                .add(b'%')
                .add(b'#')
                .add(b'?')
                .add(b'[')
                .add(b']')
                .add(b'\\');
            let file = format!("{other}.md");
            let link = percent_encoding::utf8_percent_encode(&file, LINK);
            site.write(
                &format!("content/{dir}{name}.md"),
                &format!("# Page {name}\n\nText in {name}. Next: [{other}]({link}).\n"),
            );
        }
    }
    names
}

#[test]
fn a_corpus_of_any_file_names_builds_with_slugify_safe() {
    let site = TestSite::new();
    with_slugify(&site, "slugify: safe\n");
    let names = corpus(&site);
    let out = site.build(&[]);
    out.assert_success("the corpus build");
    let pages: BTreeSet<String> = common::snapshot(&site.out())
        .into_keys()
        .filter(|f| f.ends_with("/index.html"))
        .collect();
    // Every file is a page of its own: no two names collided.
    // 4 folders × names, plus the base site's pages and tag pages.
    let expected = names.len() * 4 + 4 + 3;
    assert_eq!(pages.len(), expected, "{pages:#?}");
    assert!(pages.contains("number-sign/index.html"), "{pages:#?}");
    for name in pages.iter() {
        for part in name.split('/') {
            assert!(part.len() <= 255, "{part}");
            assert!(!part.starts_with('.'), "{name}");
        }
    }
    // Every link between the pages resolves to a file that exists.
    for page in &pages {
        let html = site.read_out(page);
        let folder = page.trim_end_matches("index.html");
        let links = local_links(&html, folder);
        assert!(
            !html.contains("href=\"#\""),
            "{page}: a link did not resolve"
        );
        for target in links {
            let path = site.out().join(&target);
            assert!(path.exists(), "{page} links to {target}, which is missing");
        }
    }
}

#[test]
fn plain_markdown_without_a_title_takes_its_file_name_with_a_warning() {
    let site = TestSite::new();
    site.write(
        "content/notes/qm-move_disk.md",
        "Moves a disk between VMs.\n",
    );
    site.write("content/notes/folder-note/index.md", "Text of a bundle.\n");
    let o = site.build(&[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("warning[W-TITLE-FROM-NAME]"),
        "{}",
        o.stderr
    );
    assert!(
        site.read_out("notes/qm-move-disk/index.html")
            .contains("qm-move_disk")
    );
    assert!(
        site.read_out("notes/folder-note/index.html")
            .contains("folder-note")
    );
    // An empty file still has nothing to publish.
    site.write("content/notes/empty.md", "");
    let o = site.build(&[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("the file is empty"), "{}", o.stderr);
}
