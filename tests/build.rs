//! End-to-end features of `dossier build` and `dossier check`, asserted on
//! the HTML the real binary writes.

mod common;

use std::collections::BTreeSet;

use common::*;

/// The `href` values of every `<a>` inside `html`, in order.
fn hrefs(html: &str) -> Vec<String> {
    html.match_indices("href=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').expect("closing quote")].to_string()
        })
        .collect()
}

/// The link texts of the `<li><a …>text</a></li>` items of a list.
fn link_texts(list: &str) -> Vec<String> {
    list.split("<li>")
        .skip(1)
        .map(|item| {
            let start = item.find('>').expect("a tag end") + 1;
            let end = item.find("</a>").expect("</a>");
            item[start..end].to_string()
        })
        .collect()
}

#[test]
fn pages_get_pretty_urls() {
    let site = TestSite::new();
    site.build_ok(&[]);
    let out = snapshot(&site.out());
    for file in [
        "index.html",
        "about/index.html",
        "partners/index.html",
        "partners/japan/index.html",
        "partners/canada/index.html",
        ".dossier-output",
    ] {
        assert!(
            out.contains_key(file),
            "missing {file}; output: {:?}",
            out.keys().collect::<Vec<_>>()
        );
    }
    for wrong in [
        "about.html",
        "partners/japan.html",
        "partners/japan.md",
        "about.md",
    ] {
        assert!(!out.contains_key(wrong), "{wrong} should not be written");
    }
    let japan = site.read_out("partners/japan/index.html");
    assert!(japan.contains("<title>Japan</title>"), "{japan}");
    assert!(
        element(&japan, "div", "class=\"content\"").contains("<p>Japan text.</p>"),
        "{japan}"
    );
}

#[test]
fn build_without_out_writes_root_public() {
    let site = TestSite::new();
    let o = run_output(
        &["build", "--root", &site.root_arg()],
        &RunOptions::default(),
    );
    o.assert_success("build with the default --out");
    assert!(site.path("public/partners/japan/index.html").is_file());
    assert!(site.path("public/.dossier-output").is_file());
}

#[test]
fn build_from_inside_the_site_folder() {
    let site = TestSite::new();
    let o = run_output(
        &["build"],
        &RunOptions {
            current_dir: Some(site.root().to_path_buf()),
            ..RunOptions::default()
        },
    );
    o.assert_success("build in the site folder with no arguments");
    assert!(site.path("public/index.html").is_file());
}

#[test]
fn section_lists_pages_by_weight_then_date_then_title_with_neighbours() {
    let site = TestSite::new();
    site.write("content/order/_index.md", "---\ntitle: Order\n---\n")
        // Written in an order unrelated to the expected one.
        .write(
            "content/order/no-weight.md",
            "---\ntitle: Aaa unweighted\ndate: 2001-01-01\n---\nx\n",
        )
        .write(
            "content/order/w2-undated.md",
            "---\ntitle: Aardvark\nweight: 2\n---\nx\n",
        )
        .write(
            "content/order/w2-b.md",
            "---\ntitle: Beta\nweight: 2\ndate: 2024-01-01\n---\nx\n",
        )
        .write(
            "content/order/w2-a.md",
            "---\ntitle: Alpha\nweight: 2\ndate: 2024-01-01\n---\nx\n",
        )
        .write(
            "content/order/w2-old.md",
            "---\ntitle: Old\nweight: 2\ndate: 2020-06-01\n---\nx\n",
        )
        .write(
            "content/order/w1.md",
            "---\ntitle: Zeta\nweight: 1\ndate: 2025-01-01\n---\nx\n",
        );
    site.build_ok(&[]);

    let section = site.read_out("order/index.html");
    let list = element(&section, "ol", "class=\"pages\"");
    assert_eq!(
        link_texts(list),
        ["Zeta", "Old", "Alpha", "Beta", "Aardvark", "Aaa unweighted"],
        "weight, then date (oldest first, undated last), then title; unweighted last:\n{list}"
    );
    // Links in the list are written relative to /order/.
    assert_eq!(hrefs(list)[0], "../order/w1/index.html", "{list}");

    let neighbours = |file: &str| {
        let html = site.read_out(file);
        element(&html, "nav", "class=\"neighbours\"").to_string()
    };
    let first = neighbours("order/w1/index.html");
    assert!(
        !first.contains("class=\"prev\""),
        "the first page has no previous: {first}"
    );
    assert!(
        first.contains("class=\"next\" href=\"../../order/w2-old/index.html\">Old</a>"),
        "{first}"
    );
    let alpha = neighbours("order/w2-a/index.html");
    assert!(
        alpha.contains("class=\"prev\" href=\"../../order/w2-old/index.html\">Old</a>"),
        "{alpha}"
    );
    assert!(
        alpha.contains("class=\"next\" href=\"../../order/w2-b/index.html\">Beta</a>"),
        "{alpha}"
    );
    let last = neighbours("order/no-weight/index.html");
    assert!(
        last.contains("class=\"prev\" href=\"../../order/w2-undated/index.html\">Aardvark</a>"),
        "{last}"
    );
    assert!(
        !last.contains("class=\"next\""),
        "the last page has no next: {last}"
    );
}

#[test]
fn tags_get_a_list_page_and_one_page_per_tag() {
    let site = TestSite::new();
    site.build_ok(&[]);
    let list = site.read_out("tags/index.html");
    let terms = element(&list, "ul", "class=\"terms\"");
    assert!(
        terms.contains("<a href=\"../tags/asia/index.html\">Asia</a> (1)"),
        "{terms}"
    );
    assert!(
        terms.contains("<a href=\"../tags/nato-partners/index.html\">NATO partners</a> (2)"),
        "{terms}"
    );

    let nato = site.read_out("tags/nato-partners/index.html");
    assert!(
        nato.contains("<h1 class=\"term\">NATO partners</h1>"),
        "{nato}"
    );
    let pages: BTreeSet<String> = link_texts(element(&nato, "ul", "class=\"pages\""))
        .into_iter()
        .collect();
    assert_eq!(
        pages,
        BTreeSet::from(["Japan".to_string(), "Canada".to_string()])
    );
    assert!(
        nato.contains("href=\"../../partners/japan/index.html\""),
        "{nato}"
    );

    let asia = site.read_out("tags/asia/index.html");
    assert_eq!(
        link_texts(element(&asia, "ul", "class=\"pages\"")),
        ["Japan"]
    );
}

#[test]
fn drafts_are_left_out_unless_drafts_is_given() {
    let site = TestSite::new();
    site.write(
        "content/partners/secret.md",
        "---\ntitle: Secret draft\nweight: 3\ndraft: true\ntags: [Hidden]\n---\nNot yet.\n",
    );
    site.build_ok(&[]);
    let out = snapshot(&site.out());
    assert!(
        !out.keys()
            .any(|k| k.contains("secret") || k.contains("hidden")),
        "{:?}",
        out.keys()
    );
    assert!(
        !site
            .read_out("partners/index.html")
            .contains("Secret draft")
    );
    assert!(!site.read_out("tags/index.html").contains("Hidden"));
    assert!(
        !site
            .read_out("partners/canada/index.html")
            .contains("Secret draft"),
        "no neighbour link to a draft"
    );

    site.build_ok(&["--drafts"]);
    assert!(
        site.read_out("partners/secret/index.html")
            .contains("<h1 class=\"page-title\">Secret draft</h1>")
    );
    assert!(
        site.read_out("partners/index.html")
            .contains("Secret draft")
    );
    assert!(
        site.read_out("tags/hidden/index.html")
            .contains("Secret draft")
    );

    // check honours --drafts the same way (and still writes nothing).
    site.check(&["--drafts"]).assert_success("check --drafts");
}

#[test]
fn bundle_files_are_copied_next_to_their_page() {
    let site = TestSite::new();
    let png: Vec<u8> = png_image(8, 4);
    let pdf = b"%PDF-1.4\n\x00\x01\x02 binary \xff\xfe".to_vec();
    site.write(
        "content/partners/norway/index.md",
        "---\ntitle: Norway\nweight: 5\n---\n![Map](map.png)\n\n[Brief](docs/brief.pdf)\n",
    )
    .write_bytes("content/partners/norway/map.png", &png)
    .write_bytes("content/partners/norway/docs/brief.pdf", &pdf);
    site.build_ok(&[]);
    let out = snapshot(&site.out());
    assert_eq!(
        out.get("partners/norway/map.png"),
        Some(&png),
        "map.png copied byte for byte"
    );
    assert_eq!(
        out.get("partners/norway/docs/brief.pdf"),
        Some(&pdf),
        "nested bundle file copied"
    );
    let html = site.read_out("partners/norway/index.html");
    // The image stage writes its variants next to it too.
    let variant = out
        .keys()
        .find(|k| k.starts_with("partners/norway/map-8w.") && k.ends_with(".png"))
        .unwrap_or_else(|| panic!("no variant: {:?}", out.keys()));
    assert!(
        html.contains(&format!("src=\"../../{variant}\"")),
        "the page's relative image points next to it: {html}"
    );
    assert!(html.contains("href=\"docs/brief.pdf\""), "{html}");
    assert!(
        !out.keys().any(|k| k.ends_with("index.md")),
        "Markdown sources are not copied: {:?}",
        out.keys()
    );
    // The bundle is a page of its section.
    assert!(site.read_out("partners/index.html").contains(">Norway</a>"));
}

#[test]
fn static_files_are_copied_to_the_output_root() {
    let site = TestSite::new();
    let logo: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0, 0, 0xff, 1, 2, 3];
    site.write("static/style.css", "body { color: #123; }\n")
        .write_bytes("static/img/logo.png", &logo)
        .write(
            "static/.well-known/security.txt",
            "Contact: mailto:x@example.org\n",
        )
        .write("static/.hidden-notes", "private\n");
    site.build_ok(&[]);
    let out = snapshot(&site.out());
    assert_eq!(
        out.get("style.css").map(Vec::as_slice),
        Some(&b"body { color: #123; }\n"[..])
    );
    assert_eq!(out.get("img/logo.png"), Some(&logo));
    assert!(
        out.contains_key(".well-known/security.txt"),
        "{:?}",
        out.keys()
    );
    assert!(
        !out.contains_key(".hidden-notes"),
        "hidden files in static/ are skipped"
    );
}

#[test]
fn a_file_without_front_matter_takes_its_title_from_a_leading_heading() {
    let site = TestSite::new();
    site.write(
        "content/notes.md",
        "# Field Notes\n\nSome *text* here.\n\n## Details\n\nMore.\n",
    );
    site.build_ok(&[]);
    let html = site.read_out("notes/index.html");
    assert!(html.contains("<title>Field Notes</title>"), "{html}");
    assert!(
        html.contains("<h1 class=\"page-title\">Field Notes</h1>"),
        "{html}"
    );
    let content = element(&html, "div", "class=\"content\"");
    assert!(
        !content.contains("<h1"),
        "the heading became the title and is not repeated: {content}"
    );
    assert!(!content.contains("Field Notes"), "{content}");
    assert!(
        content
            .contains("<h2 id=\"details\">Details <a class=\"heading-anchor\" href=\"#details\""),
        "{content}"
    );
    assert!(content.contains("<em>text</em>"), "{content}");
    assert_eq!(html.matches("<h1").count(), 1, "exactly one h1: {html}");
}

#[test]
fn bom_and_crlf_files_are_read_like_plain_ones() {
    let site = TestSite::new();
    site.write_bytes(
        "content/windows.md",
        b"\xEF\xBB\xBF---\r\ntitle: Windows file\r\nweight: 4\r\ntags: [Crlf tag]\r\n---\r\nLine one.\r\n\r\n## Part two\r\n\r\nLine two.\r\n",
    )
    .write_bytes(
        "content/windows-heading.md",
        b"\xEF\xBB\xBF# Heading From BOM File\r\n\r\nBody text.\r\n",
    );
    site.build_ok(&[]);
    let html = site.read_out("windows/index.html");
    assert!(html.contains("<title>Windows file</title>"), "{html}");
    let content = element(&html, "div", "class=\"content\"");
    assert!(content.contains("<p>Line one.</p>"), "{content}");
    assert!(
        content.contains(
            "<h2 id=\"part-two\">Part two <a class=\"heading-anchor\" href=\"#part-two\""
        ),
        "{content}"
    );
    assert!(!html.contains('\r'), "no carriage returns in the output");
    assert!(!html.contains('\u{feff}'), "no BOM in the output");
    assert!(
        site.read_out("tags/crlf-tag/index.html")
            .contains("Windows file")
    );

    let heading = site.read_out("windows-heading/index.html");
    assert!(
        heading.contains("<title>Heading From BOM File</title>"),
        "{heading}"
    );
    assert!(
        !element(&heading, "div", "class=\"content\"").contains("<h1"),
        "{heading}"
    );
}

#[test]
fn internal_links_are_resolved_and_written_relative_to_the_page() {
    let site = TestSite::new();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\ntags: [Asia]\n---\nJapan text.\n\n## History {#history}\n\nOld.\n\n## Areas of work\n\nNew.\n",
    )
    .write(
        "content/links.md",
        "---\ntitle: Links\n---\nSee [about](@/about.md), [history](@/partners/japan.md#history), \
         [areas](@/partners/japan.md#areas-of-work), [the section](@/partners/_index.md) \
         and [home](@/_index.md).\n",
    )
    .write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nweight: 2\n---\nCompare [Japan](japan.md), [its history](japan.md#history) \
         and [about](../about.md).\n",
    );
    site.build_ok(&[]);

    let links = site.read_out("links/index.html");
    let content = element(&links, "div", "class=\"content\"");
    assert_eq!(
        hrefs(content),
        [
            "../about/index.html",
            "../partners/japan/index.html#history",
            "../partners/japan/index.html#areas-of-work",
            "../partners/index.html",
            "../index.html",
        ],
        "{content}"
    );
    let canada = site.read_out("partners/canada/index.html");
    let content = element(&canada, "div", "class=\"content\"");
    assert_eq!(
        hrefs(content),
        [
            "../../partners/japan/index.html",
            "../../partners/japan/index.html#history",
            "../../about/index.html",
        ],
        "{content}"
    );
    // The targets exist where the links say.
    let japan = site.read_out("partners/japan/index.html");
    assert!(japan.contains("id=\"history\""), "{japan}");
    assert!(japan.contains("id=\"areas-of-work\""), "{japan}");
    assert!(
        !links.contains("@/") && !canada.contains(".md\""),
        "no unresolved link left"
    );
}

#[test]
fn heading_ids_are_unique_within_a_page() {
    let site = TestSite::new();
    site.write(
        "content/dupes.md",
        "---\ntitle: Dupes\n---\n## Areas\n\na\n\n## Areas\n\nb\n\n### Areas\n\nc\n\n## Other {#areas-1}\n\nd\n\n\
         See [second](#areas-1) and [from elsewhere](@/dupes.md#areas-2).\n",
    );
    site.build_ok(&[]);
    let html = site.read_out("dupes/index.html");
    let content = element(&html, "div", "class=\"content\"");
    let ids: Vec<&str> = content
        .match_indices(" id=\"")
        .map(|(i, m)| {
            let rest = &content[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(ids.len(), 4, "four headings: {content}");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "heading ids must be unique: {ids:?}"
    );
    assert_eq!(ids[0], "areas", "{ids:?}");
}

#[test]
fn footnotes_are_numbered_and_gathered_at_the_end() {
    let site = TestSite::new();
    site.write(
        "content/notes.md",
        "---\ntitle: Notes\n---\nFirst claim.[^src] Second claim.[^other]\n\n[^other]: The other source.\n\n\
         [^src]: The main source.\n\nClosing paragraph.\n",
    );
    site.build_ok(&[]);
    let html = site.read_out("notes/index.html");
    let content = element(&html, "div", "class=\"content\"");
    let notes_at = content
        .find("class=\"footnotes\"")
        .expect("a footnotes block");
    let closing_at = content
        .find("Closing paragraph.")
        .expect("closing paragraph");
    assert!(
        closing_at < notes_at,
        "footnotes come after all the text: {content}"
    );
    let main = content.find("The main source.").expect("note text kept");
    let other = content.find("The other source.").expect("note text kept");
    assert!(
        notes_at < main && main < other,
        "numbered by first reference: {content}"
    );
    assert!(content.contains("href=\"#fn-1\""), "{content}");
    assert!(content.contains("href=\"#fn-2\""), "{content}");
    assert!(content.contains("id=\"fn-1\""), "{content}");
    assert!(
        content.contains("href=\"#fnref-1\""),
        "a link back: {content}"
    );
}

#[test]
fn schema_fields_reach_templates() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}sections:\n  partners:\n    fields:\n      status: {{ type: enum, values: [concluded, negotiating], required: true }}\n      signed: {{ type: date }}\n"
        ),
    )
    .write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\nstatus: concluded\nsigned: 2024-11-01\n---\nx\n",
    )
    .write("content/partners/canada.md", "---\ntitle: Canada\nweight: 2\nstatus: negotiating\n---\ny\n")
    .write(
        "templates/page.html",
        &PAGE_HTML.replace(
            "</body>",
            "<p class=\"signed\">{% if page.fields.signed %}{{ page.fields.signed }}{% else %}unsigned{% endif %}</p>\n</body>",
        ),
    );
    site.build_ok(&[]);
    let japan = site.read_out("partners/japan/index.html");
    assert!(
        japan.contains("<p class=\"status\">concluded</p>"),
        "{japan}"
    );
    assert!(
        japan.contains("<p class=\"signed\">2024-11-01</p>"),
        "{japan}"
    );
    let canada = site.read_out("partners/canada/index.html");
    assert!(
        canada.contains("<p class=\"status\">negotiating</p>"),
        "{canada}"
    );
    assert!(
        canada.contains("<p class=\"signed\">unsigned</p>"),
        "an optional field not given is none: {canada}"
    );
}

#[test]
fn base_url_can_be_overridden_on_the_command_line() {
    let site = TestSite::new();
    site.build_ok(&[]);
    assert!(
        site.read_out("about/index.html")
            .contains("<p class=\"base-url\">https://example.org/sub/</p>")
    );
    site.build_ok(&["--base-url", "https://preview.example.net/pr-7"]);
    let about = site.read_out("about/index.html");
    assert!(
        about.contains("<p class=\"base-url\">https://preview.example.net/pr-7/</p>"),
        "the override is used, with a trailing slash: {about}"
    );
    assert!(!about.contains("example.org"), "{about}");
    assert!(
        site.read_out("index.html")
            .contains("https://preview.example.net/pr-7/")
    );
}

#[test]
fn check_renders_everything_and_writes_nothing() {
    let site = TestSite::new();
    let before = snapshot(site.tmp());
    let o = site.check(&[]);
    o.assert_success("check");
    assert!(
        !site.out().exists(),
        "check must not create the output folder"
    );
    assert_same_snapshot(&before, &snapshot(site.tmp()), "check changed files");

    // check does catch what a build would catch, including render errors.
    site.write(
        "templates/page.html",
        "<p>{{ page.title | nope_filter }}</p>\n",
    );
    let before = snapshot(site.tmp());
    let o = site.check(&[]);
    o.assert_code(1);
    assert_mentions(&o.stderr, "templates/page.html", Some(1));
    assert_same_snapshot(&before, &snapshot(site.tmp()), "failed check changed files");
}

#[test]
fn a_second_build_replaces_the_output_whole() {
    let site = TestSite::new();
    site.build_ok(&[]);
    assert!(site.out().join("about/index.html").is_file());
    site.remove("content/about.md");
    // Retired: without that, the URL history stops a build that drops a URL.
    site.write(
        "site.yaml",
        &format!("{}retired: [/about/]\n", common::SITE_YAML),
    );
    site.build_ok(&[]);
    assert!(
        !site.out().join("about").exists(),
        "a page that is gone is gone from the output"
    );
    assert!(site.out().join(".dossier-output").is_file());
    let beside: BTreeSet<String> = entries(site.root());
    assert_eq!(
        beside,
        ["content", "public", "site.yaml", "templates"]
            .into_iter()
            .map(String::from)
            .collect(),
        "no staging or old folders left beside the output"
    );
}

#[test]
fn version_and_help_exit_zero() {
    let (code, stdout, stderr) = run(&["--version"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
    let (code, stdout, stderr) = run(&["--help"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("build") && stdout.contains("check"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["build", "--help"]);
    assert_eq!(code, 0);
    for flag in ["--root", "--out", "--drafts", "--base-url"] {
        assert!(stdout.contains(flag), "build --help lists {flag}: {stdout}");
    }
}

#[test]
fn usage_errors_exit_two() {
    let (code, _, stderr) = run(&["publish"]);
    assert_eq!(code, 2, "unknown subcommand: {stderr}");
    let (code, _, stderr) = run(&[]);
    assert_eq!(code, 2, "no subcommand: {stderr}");
    let (code, _, stderr) = run(&["build", "--frobnicate"]);
    assert_eq!(code, 2, "unknown flag: {stderr}");
    let site = TestSite::new();
    let missing = site.tmp().join("no-such-site");
    let (code, _, stderr) = run(&["build", "--root", &missing.display().to_string()]);
    assert_eq!(code, 2, "missing root: {stderr}");
    assert!(stderr.contains("no-such-site"), "{stderr}");
    assert!(!missing.exists(), "nothing created for a missing root");
    let (code, _, stderr) = run(&["check", "--root", &missing.display().to_string()]);
    assert_eq!(code, 2, "check with a missing root: {stderr}");
}

/// The helpers' own guarantees: a hang or a crash fails the test instead of
/// blocking the suite or passing silently.
#[test]
fn the_run_helper_fails_on_a_hang_and_on_a_crash() {
    use std::time::{Duration, Instant};
    let panic_text = |r: std::thread::Result<std::io::Result<Output>>| -> String {
        let payload = r.expect_err("the helper must fail the test");
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    };
    let started = Instant::now();
    let hang = std::panic::catch_unwind(|| {
        try_run_program(
            "sleep",
            &["30"],
            &RunOptions {
                timeout: Some(Duration::from_millis(300)),
                ..RunOptions::default()
            },
        )
    });
    let message = panic_text(hang);
    assert!(message.contains("did not finish"), "{message}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the hung process was killed promptly"
    );

    let crash = std::panic::catch_unwind(|| {
        try_run_program("sh", &["-c", "kill -SEGV $$"], &RunOptions::default())
    });
    let message = panic_text(crash);
    assert!(message.contains("terminated by signal"), "{message}");
}
