//! `dossier import zola|hugo`: small Zola and Hugo sites written here, with
//! front matter using every key the mapping covers, imported and built.

mod common;

use std::fs;
use std::path::Path;

use common::{run, snapshot};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

/// Imports `src` into `out`, checks the source is untouched and the result
/// builds; returns (stderr of the import, the report).
fn import_and_build(generator: &str, src: &Path, out: &Path) -> (String, String) {
    let before = snapshot(src);
    let (code, _, stderr) = run(&[
        "import",
        generator,
        &src.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(before, snapshot(src), "the source site is never modified");
    let (code, _, build) = run(&["build", "--root", &out.display().to_string()]);
    assert_eq!(
        code, 0,
        "the imported site builds:\n{build}\nimport said:\n{stderr}"
    );
    let report = fs::read_to_string(out.join("IMPORT-REPORT.md")).unwrap();
    assert!(report.contains("templates are not converted"), "{report}");
    (stderr, report)
}

#[test]
fn a_zola_site_imports_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("zola-site");
    write(
        &src,
        &[
            (
                "config.toml",
                "title = \"Zola blog\"\nbase_url = \"https://zola.example.org\"\ndefault_language = \"fr\"\ncompile_sass = true\n\n[extra]\nauthor = \"Ann\"\n",
            ),
            (
                "content/_index.md",
                "+++\ntitle = \"Home\"\nsort_by = \"date\"\npaginate_by = 5\n+++\nWelcome, see [the post](@/blog/post.md).\n",
            ),
            (
                "content/blog/_index.md",
                "+++\ntitle = \"Blog\"\nsort_by = \"update_date\"\ntemplate = \"blog.html\"\npage_template = \"post.html\"\n+++\n",
            ),
            (
                "content/blog/post.md",
                "+++\ntitle = \"A post\"\ndescription = \"About it\"\ndate = 2024-01-01T10:00:00Z\nupdated = 2024-02-01\ndraft = false\nweight = 2\nslug = \"the-post\"\naliases = [\"/old/post/\", \"2023/post.html\"]\ntemplate = \"special.html\"\nin_search_index = false\n\n[taxonomies]\ntags = [\"rust\", \"web\"]\ncategories = [\"tech\"]\n\n[extra]\nhero = \"hero.png\"\n+++\nIntro.\n\n{{ youtube(id=\"abc\") }}\n\nMore, and {% note() %}a note{% end %}.\n",
            ),
            (
                "content/blog/bundle/index.md",
                "+++\ntitle = \"Bundle\"\n+++\n![A map](map.png)\n",
            ),
            ("content/blog/bundle/map.png", "png"),
            ("static/logo.svg", "<svg/>"),
        ],
    );
    // The page shows it: a real image (the build checks).
    fs::write(
        src.join("content/blog/bundle/map.png"),
        common::png_image(4, 4),
    )
    .unwrap();
    let out = tmp.path().join("imported");
    let (report, file_report) = import_and_build("zola", &src, &out);
    assert!(
        file_report.contains("- `content/blog/post.md:22`: shortcode"),
        "{file_report}"
    );
    let stderr = report.clone();
    let post = fs::read_to_string(out.join("content/blog/post.md")).unwrap();
    for expected in [
        "title: A post",
        "date: 2024-01-01",
        "updated: 2024-02-01",
        "slug: the-post",
        "- /old/post/",
        "- /2023/post.html",
        "- rust",
        "hero: hero.png",
        "categories:",
        "in_search_index: false",
    ] {
        assert!(post.contains(expected), "{expected} in:\n{post}");
    }
    assert!(
        out.join("public/the-post").exists()
            || out.join("public/blog/the-post/index.html").is_file()
    );
    assert!(
        out.join("public/old/post/index.html").is_file(),
        "aliases became redirects"
    );
    assert!(out.join("public/2023/post.html").is_file());
    assert!(out.join("public/blog/bundle/map.png").is_file());
    assert!(out.join("public/logo.svg").is_file());
    assert!(
        report
            .contains("content/blog/post.md:22: shortcode `youtube(id=\"abc\")` is not converted"),
        "{report}"
    );
    assert!(
        report.contains("content/blog/post.md:24: shortcode `note()`"),
        "{report}"
    );
    assert!(report.contains("content/blog/post.md:11: `in_search_index` has no dossier equivalent; moved to `extra.in_search_index`"), "{report}");
    assert!(
        report
            .contains("content/blog/post.md:13: taxonomy `categories` moved to `extra.categories`"),
        "{report}"
    );
    assert!(
        report.contains("content/blog/_index.md:3: sort_by `update_date`"),
        "{report}"
    );
    assert!(
        report.contains("content/_index.md:4: `paginate_by`"),
        "{report}"
    );
    assert!(report.contains("compile_sass"), "{report}");
    assert!(stderr.contains("note: "), "{stderr}");
    let site = fs::read_to_string(out.join("site.yaml")).unwrap();
    assert!(
        site.contains("base_url: https://zola.example.org") && site.contains("language: fr"),
        "{site}"
    );
    // Never over a non-empty folder.
    let (code, _, stderr) = run(&[
        "import",
        "zola",
        &src.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not empty"), "{stderr}");
}

#[test]
fn a_hugo_site_imports_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("hugo-site");
    write(
        &src,
        &[
            (
                "hugo.toml",
                "baseURL = \"https://hugo.example.org/\"\nlanguageCode = \"en-gb\"\ntitle = \"Hugo site\"\ntheme = \"ananke\"\n\n[params]\ncolour = \"blue\"\n",
            ),
            (
                "content/_index.md",
                "---\ntitle: Home\n---\nHello. Read {{< ref \"/posts/second.md\" >}} or [the first]({{< relref \"posts/first.md\" >}}).\n",
            ),
            (
                "content/posts/first.md",
                "---\ntitle: First post\nlinkTitle: First\ndescription: The first\ndate: 2024-03-01T09:00:00+01:00\nlastmod: 2024-03-05\ndraft: false\nweight: 1\nslug: first\naliases:\n  - /old/first/\n  - earlier-first\ntags: [go, web]\ncategories: [news]\nparams:\n  mood: happy\nlayout: wide\nauthor: Bob\n---\nBody.\n\n{{< figure src=\"a.png\" >}}\n\n{{% notice %}}Hi{{% /notice %}}\n",
            ),
            (
                "content/posts/second/index.md",
                "+++\ntitle = \"Second\"\ndate = 2024-04-01\n+++\n![pic](pic.jpg)\n",
            ),
            ("content/posts/second/pic.jpg", "jpg"),
            ("static/robots-extra.txt", "x"),
            ("assets/main.scss", "body {}"),
        ],
    );
    fs::write(
        src.join("content/posts/second/pic.jpg"),
        common::jpeg_image(4, 4),
    )
    .unwrap();
    let out = tmp.path().join("imported");
    let (report, _) = import_and_build("hugo", &src, &out);
    let first = fs::read_to_string(out.join("content/posts/first.md")).unwrap();
    for expected in [
        "title: First post",
        "date: 2024-03-01",
        "updated: 2024-03-05",
        "- /old/first/",
        "- /posts/earlier-first",
        "- go",
        "link_title: First",
        "mood: happy",
        "categories:",
        "author: Bob",
        "layout: wide",
    ] {
        assert!(first.contains(expected), "{expected} in:\n{first}");
    }
    let home = fs::read_to_string(out.join("content/_index.md")).unwrap();
    assert!(
        home.contains("Read @/posts/second.md or [the first](posts/first.md)"),
        "{home}"
    );
    assert!(
        out.join("content/posts/_index.md").is_file(),
        "Hugo's implicit section"
    );
    assert!(out.join("public/posts/first/index.html").is_file());
    assert!(out.join("public/old/first/index.html").is_file());
    assert!(out.join("public/posts/earlier-first/index.html").is_file());
    assert!(out.join("public/posts/second/pic.jpg").is_file());
    assert!(out.join("public/main.scss").is_file());
    assert!(
        report.contains("content/posts/first.md:22: shortcode `figure src=\"a.png\"`"),
        "{report}"
    );
    assert!(
        report.contains("content/posts/first.md:24: shortcode `notice`"),
        "{report}"
    );
    assert!(
        report.contains("content/posts/first.md:18: `author` has no dossier equivalent"),
        "{report}"
    );
    assert!(report.contains("theme"), "{report}");
    assert!(report.contains("assets/"), "{report}");
}
