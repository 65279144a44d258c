//! The same site must give byte-identical output whatever the number of
//! threads and whatever order its files were created in (which changes the
//! order a directory lists them in on some file systems).

mod common;

use common::*;

const PAGES: usize = 200;

const TAGS: [&str; 12] = [
    "Ukraine",
    "NATO allies",
    "Indo-Pacific",
    "Defence industry",
    "Cyber",
    "Space",
    "Maritime",
    "Sanctions",
    "Candidate countries",
    "Research",
    "Training",
    "Mobility",
];

/// The base site plus ~200 generated pages with tags, internal links,
/// footnotes, ties in the sort order, a bundle with files, static files,
/// and templates that list the whole site on every page.
fn files() -> Vec<(String, Vec<u8>)> {
    // Each path appears once (the page template is replaced below), so the
    // reversed list creates exactly the same files.
    let mut files: Vec<_> = base_files()
        .into_iter()
        .filter(|(p, _)| p != "templates/page.html")
        .collect();
    let text = |p: String, s: String| (p, s.into_bytes());
    files.push(text(
        "content/gen/_index.md".into(),
        "---\ntitle: Generated\n---\nMany pages.\n".into(),
    ));
    files.push(text(
        "content/gen/by-date/_index.md".into(),
        "---\ntitle: By date\nsort_by: date\n---\n".into(),
    ));
    for i in 0..PAGES {
        // Ties on purpose: weights repeat, dates repeat, some titles repeat.
        let weight = if i % 5 == 0 {
            String::new()
        } else {
            format!("weight: {}\n", i % 4)
        };
        let date = if i % 3 == 0 {
            String::new()
        } else {
            format!("date: 2024-0{}-1{}\n", 1 + i % 9, i % 2)
        };
        let title = if i % 10 == 0 {
            "Same title".to_string()
        } else {
            format!("Page {i:03}")
        };
        let tags: Vec<&str> = (0..1 + i % 3)
            .map(|k| TAGS[(i * 7 + k * 5) % TAGS.len()])
            .collect();
        let next = (i + 1) % PAGES;
        let far = (i + 37) % PAGES;
        let folder = if i % 4 == 0 { "gen/by-date" } else { "gen" };
        let far_folder = if far.is_multiple_of(4) {
            "gen/by-date"
        } else {
            "gen"
        };
        let next_folder = if next.is_multiple_of(4) {
            "gen/by-date"
        } else {
            "gen"
        };
        let body = format!(
            "Intro of page {i}, citing a source.[^a] And another.[^b]\n\n\
             ## Overview\n\nSee [the next page](@/{next_folder}/p{next:03}.md) and \
             [its overview](@/{far_folder}/p{far:03}.md#overview), or [home](@/_index.md).\n\n\
             ## Overview\n\nA second heading with the same text.\n\n\
             | a | b |\n|---|---|\n| {i} | {far} |\n\n\
             [^b]: Second note of page {i}.\n\n[^a]: First note of page {i}.\n"
        );
        files.push(text(
            format!("content/{folder}/p{i:03}.md"),
            format!(
                "---\ntitle: \"{title}\"\n{weight}{date}tags: [{}]\n---\n{body}",
                tags.join(", ")
            ),
        ));
    }
    files.push(text(
        "content/gen/bundle/index.md".into(),
        "---\ntitle: Bundle\n---\n![chart](chart.svg)\n".into(),
    ));
    files.push(text(
        "content/gen/bundle/chart.svg".into(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n".into(),
    ));
    files.push(text(
        "static/css/site.css".into(),
        "body { margin: 0 }\n".into(),
    ));
    files.push(text("static/robots.txt".into(), "User-agent: *\n".into()));
    // Every page lists every tag and every page of the site: plenty of
    // shared lists whose order must not depend on threads.
    files.push(text(
        "templates/page.html".into(),
        PAGE_HTML.replace(
            "</body>",
            "<ul class=\"all-tags\">{% for t in site.tags %}<li><a href=\"{{ t.path }}\">{{ t.name }}</a> {{ t.page_count }}</li>{% endfor %}</ul>\n\
             <ul class=\"all-pages\">{% for p in site.pages %}<li><a href=\"{{ p.path }}\">{{ p.title }}</a></li>{% endfor %}</ul>\n\
             <ol class=\"toc\">{% for h in page.toc %}<li><a href=\"#{{ h.id }}\">{{ h.title }}</a></li>{% endfor %}</ol>\n</body>",
        ),
    ));
    let mut paths: Vec<&String> = files.iter().map(|(p, _)| p).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), files.len(), "no path is written twice");
    files
}

fn build_into(
    site: &TestSite,
    out_name: &str,
    threads: Option<&str>,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = site.tmp().join(out_name);
    let mut options = RunOptions::default();
    if let Some(n) = threads {
        options.env.push(("RAYON_NUM_THREADS".into(), n.into()));
    }
    let o = run_output(
        &[
            "build",
            "--root",
            &site.root_arg(),
            "--out",
            &out.display().to_string(),
        ],
        &options,
    );
    o.assert_success(&format!("build with RAYON_NUM_THREADS={threads:?}"));
    snapshot(&out)
}

#[test]
fn output_is_identical_across_threads_and_file_creation_order() {
    let files = files();
    let site = TestSite::from_files(files.clone());
    let one = build_into(&site, "out-1", Some("1"));
    let eight = build_into(&site, "out-8", Some("8"));

    let mut reversed = files;
    reversed.reverse();
    let site_reversed = TestSite::from_files(reversed);
    let rev = build_into(&site_reversed, "out-rev", Some("8"));
    let again = build_into(&site, "out-again", None);

    // The site really is big, tagged, linked and footnoted.
    let pages = one
        .keys()
        .filter(|k| k.starts_with("gen/") && k.ends_with("/index.html"))
        .count();
    assert!(pages > PAGES, "{pages} generated pages written");
    assert!(one.keys().filter(|k| k.starts_with("tags/")).count() > TAGS.len());
    let p5 = String::from_utf8(one["gen/p005/index.html"].clone()).unwrap();
    assert!(
        p5.contains("href=\"../../gen/p006/index.html\""),
        "links resolved"
    );
    assert!(p5.contains("class=\"footnotes\""), "footnotes rendered");

    assert_same_snapshot(&one, &eight, "RAYON_NUM_THREADS=1 vs 8");
    assert_same_snapshot(&one, &rev, "files created in order vs in reverse order");
    assert_same_snapshot(&one, &again, "default thread count");
}
