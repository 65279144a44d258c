//! `dossier serve`: incremental rebuilds equal full builds, and the server
//! end to end (pages, live reload, error overlay, recovery, safety).

mod common;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use common::server::{Server, events, next_event};
use common::{TestSite, snapshot};
use dossier::serve::dev::{Changes, DevSite};

const BASE: &str = "http://127.0.0.1:1/";

/// Everything the dev site holds, as a map like `snapshot`.
fn dev_files(site: &DevSite) -> BTreeMap<String, Vec<u8>> {
    site.files()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

/// A full build of the site as it is now, by the real binary, with the dev
/// server's base URL.
fn full_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    // Each full build stands alone: the URL history would refuse the
    // removals of the edit series (the dev server does not keep one).
    let _ = std::fs::remove_file(site.out().join(".dossier-urls"));
    site.build_ok(&["--base-url", BASE]);
    let mut files = snapshot(&site.out());
    files.remove(".dossier-output");
    files.remove(".dossier-urls");
    files.retain(|path, _| !path.ends_with('/'));
    files
}

fn content(sources: &[&str]) -> Changes {
    Changes {
        content: sources.iter().map(|s| s.to_string()).collect(),
        ..Changes::default()
    }
}

fn assert_same(dev: &BTreeMap<String, Vec<u8>>, full: &BTreeMap<String, Vec<u8>>, after: &str) {
    let dev_keys: Vec<&String> = dev.keys().collect();
    let full_keys: Vec<&String> = full.keys().collect();
    assert_eq!(dev_keys, full_keys, "same files after {after}");
    for (path, bytes) in full {
        assert!(
            dev[path] == *bytes,
            "{path} differs from a full build after {after}"
        );
    }
}

#[test]
fn incremental_rebuilds_equal_a_full_build_after_a_series_of_edits() {
    let site = TestSite::new();
    site.write("templates/page.html", "<!DOCTYPE html><html><head><title>{{ page.title }}</title></head><body><nav>{% if page.previous %}<a href=\"{{ page.previous.path }}\">{{ page.previous.title }}</a>{% endif %}{% if page.next %}<a href=\"{{ page.next.path }}\">{{ page.next.title }}</a>{% endif %}</nav><ul>{% for p in section.pages %}<li>{{ p.title }}</li>{% endfor %}</ul>{{ page.content | safe }}{% include \"footer.html\" %}</body></html>\n");
    site.write(
        "templates/footer.html",
        "<footer>{{ config.title }}</footer>\n",
    );
    site.write(
        "content/partners/norway.md",
        "---\ntitle: Norway\nweight: 3\n---\nSee [Japan](@/partners/japan.md).\n",
    );
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    assert_same(&dev_files(&dev), &full_build(&site), "the first build");

    type Edit = Box<dyn Fn(&TestSite)>;
    let steps: Vec<(&str, Edit, Changes)> = vec![
        (
            "a body edit",
            Box::new(|s: &TestSite| {
                s.write("content/partners/japan.md", "---\ntitle: Japan\nweight: 1\ntags: [Asia, NATO partners]\n---\nJapan text, edited.\n\n## New heading\n");
            }),
            content(&["partners/japan.md"]),
        ),
        (
            "a title and order change",
            Box::new(|s: &TestSite| {
                s.write(
                    "content/partners/japan.md",
                    "---\ntitle: Japan (renamed)\nweight: 9\ntags: [Asia]\n---\nJapan text.\n",
                );
            }),
            content(&["partners/japan.md"]),
        ),
        (
            "a slug change that moves a linked page",
            Box::new(|s: &TestSite| {
                s.write(
                    "content/partners/japan.md",
                    "---\ntitle: Japan\nslug: nippon\nweight: 1\n---\nJapan text.\n",
                );
            }),
            content(&["partners/japan.md"]),
        ),
        (
            "an added page",
            Box::new(|s: &TestSite| {
                s.write(
                    "content/partners/india.md",
                    "---\ntitle: India\nweight: 4\ntags: [Asia]\n---\nIndia.\n",
                );
            }),
            content(&["partners/india.md"]),
        ),
        (
            "a removed page",
            Box::new(|s: &TestSite| {
                s.remove("content/partners/canada.md");
            }),
            content(&["partners/canada.md"]),
        ),
        (
            "a renamed page",
            Box::new(|s: &TestSite| {
                let text = std::fs::read_to_string(s.path("content/partners/india.md")).unwrap();
                s.remove("content/partners/india.md");
                s.write("content/partners/bharat.md", &text);
            }),
            content(&["partners/india.md", "partners/bharat.md"]),
        ),
        (
            "a section edit",
            Box::new(|s: &TestSite| {
                s.write(
                    "content/partners/_index.md",
                    "---\ntitle: Our partners\n---\nAll of them.\n",
                );
            }),
            content(&["partners/_index.md"]),
        ),
        (
            "an included template edit",
            Box::new(|s: &TestSite| {
                s.write(
                    "templates/footer.html",
                    "<footer>Made by {{ config.title }}</footer>\n",
                );
            }),
            Changes {
                templates: ["footer.html".to_string()].into_iter().collect(),
                ..Changes::default()
            },
        ),
        (
            "a site.yaml edit",
            Box::new(|s: &TestSite| {
                let yaml = std::fs::read_to_string(s.path("site.yaml")).unwrap();
                s.write("site.yaml", &yaml.replacen("title:", "title: Renamed -", 1));
            }),
            Changes::everything(),
        ),
    ];
    for (what, edit, changes) in steps {
        edit(&site);
        let rebuilt = dev
            .rebuild(&changes)
            .unwrap_or_else(|d| panic!("{what}: {}", d.to_plain_string(site.root())));
        assert!(rebuilt.rendered > 0, "{what} re-rendered something");
        assert_same(&dev_files(&dev), &full_build(&site), what);
    }
}

#[test]
fn a_body_edit_renders_only_that_page_and_the_generated_files() {
    let site = TestSite::new();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    let first = dev.rebuild(&Changes::everything()).unwrap();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\ntags: [Asia, NATO partners]\n---\nOther text.\n",
    );
    let rebuilt = dev.rebuild(&content(&["partners/japan.md"])).unwrap();
    // The page itself, sitemap.xml and robots.txt: not the other pages.
    assert!(
        rebuilt.rendered <= 3,
        "{} of {}",
        rebuilt.rendered,
        first.total
    );
    assert!(first.rendered > rebuilt.rendered);
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_site() {
    let site = TestSite::new();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).unwrap();
    let before = dev_files(&dev);
    site.write("content/partners/japan.md", "---\ntitle: [broken\n---\n");
    let errors = dev.rebuild(&content(&["partners/japan.md"])).unwrap_err();
    assert!(
        errors
            .to_plain_string(site.root())
            .contains("content/partners/japan.md")
    );
    assert_eq!(dev_files(&dev), before);
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan again\n---\nFixed.\n",
    );
    dev.rebuild(&content(&["partners/japan.md"]))
        .expect("recovers");
    assert!(
        String::from_utf8_lossy(&dev_files(&dev)["partners/japan/index.html"])
            .contains("Japan again")
    );
}

#[test]
fn serve_shows_edits_errors_and_recovery_and_refuses_traversal() {
    let site = TestSite::new();
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html><body><h1>Nothing here</h1></body></html>\n",
    );
    let server = Server::start(&site);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains("/__dossier/live.js"),
        "the live-reload script is injected"
    );
    assert_eq!(server.get("/partners/japan/").0, 200);
    assert_eq!(
        server.get("/partners/japan").0,
        301,
        "a folder without its slash is redirected"
    );
    let live = events(server.port);
    std::thread::sleep(Duration::from_millis(300));

    // A content edit is served after a reload event.
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\n---\nFreshly edited text.\n",
    );
    assert_eq!(next_event(&live), "reload");
    assert!(
        server
            .get("/partners/japan/")
            .1
            .contains("Freshly edited text.")
    );

    // A template edit.
    let page = std::fs::read_to_string(site.path("templates/page.html")).unwrap();
    site.write(
        "templates/page.html",
        &page.replace("<body>", "<body><p>template v2</p>"),
    );
    assert_eq!(next_event(&live), "reload");
    assert!(server.get("/partners/japan/").1.contains("template v2"));

    // site.yaml.
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replacen("title:", "title: Retitled", 1));
    assert_eq!(next_event(&live), "reload");

    // A broken page: errors for the overlay, the old page still served.
    site.write(
        "content/partners/japan.md",
        "---\ntitle: [unclosed\n---\nBroken.\n",
    );
    assert_eq!(next_event(&live), "errors");
    server.wait_log("still serving the last good version");
    let (_, errors) = server.get("/__dossier/errors");
    let errors: serde_json::Value = serde_json::from_str(&errors).expect("JSON findings");
    assert_eq!(errors[0]["file"], "content/partners/japan.md");
    assert!(errors[0]["line"].as_u64().is_some());
    assert!(
        server
            .get("/partners/japan/")
            .1
            .contains("Freshly edited text.")
    );

    // Fixed: the overlay data clears by itself.
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\n---\nRepaired.\n",
    );
    assert_eq!(next_event(&live), "reload");
    assert_eq!(server.get("/__dossier/errors").1.trim(), "[]");
    assert!(server.get("/partners/japan/").1.contains("Repaired."));

    // Safety.
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/partners/%2E%2E/%2E%2E/site.yaml",
        "/a\\..\\site.yaml",
        "//etc/passwd",
    ] {
        let status = server.get(path).0;
        assert!(status == 400 || status == 404, "{path} gave {status}");
    }
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Nothing here"), "the site's own 404 page");
    assert_eq!(server.request("POST", "/").0, 405);
    assert_eq!(server.request("DELETE", "/").0, 405);
    assert_eq!(server.request("HEAD", "/").0, 200);

    // A tab that disconnects costs nothing: the server keeps answering.
    drop(live);
    std::thread::sleep(Duration::from_millis(200));
    server.drain_log();
    site.write("content/about.md", "---\ntitle: About\n---\nStill fine.\n");
    server.wait_log("rebuilt in");
    assert!(server.get("/about/").1.contains("Still fine."));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = TestSite::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", &port, "--root", &site.root_arg()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("--port"), "{stderr}");
}

/// The bad-input corpus through the dev server: every class is reported
/// with its file, nothing panics or hangs, the last good site stays served,
/// and fixing the input recovers.
#[test]
fn bad_input_through_the_dev_server_keeps_the_last_good_site() {
    let mut alias_bomb = String::from("---\ntitle: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        alias_bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    alias_bomb.push_str("---\nBody.\n");
    let deep_yaml = format!(
        "---\ntitle: Deep\nx: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "invalid UTF-8",
            "content/bad.md",
            b"---\ntitle: x\n---\nbad \xff byte\n".to_vec(),
        ),
        ("binary", "content/bad.md", b"\x00\x01\x02binary".to_vec()),
        ("empty", "content/bad.md", Vec::new()),
        (
            "unterminated front matter",
            "content/bad.md",
            b"---\ntitle: x\nno end\n".to_vec(),
        ),
        (
            "tabs in YAML",
            "content/bad.md",
            b"---\ntitle: x\n\tweight: 1\n---\n".to_vec(),
        ),
        (
            "duplicate keys",
            "content/bad.md",
            b"---\ntitle: a\ntitle: b\n---\n".to_vec(),
        ),
        (
            "wrong types",
            "content/bad.md",
            b"---\ntitle: x\nweight: heavy\n---\n".to_vec(),
        ),
        (
            "impossible date",
            "content/bad.md",
            b"---\ntitle: x\ndate: 2026-02-30\n---\n".to_vec(),
        ),
        (
            "unknown key",
            "content/bad.md",
            b"---\ntitel: x\n---\n".to_vec(),
        ),
        ("alias bomb", "content/bad.md", alias_bomb.into_bytes()),
        (
            "deeply nested YAML",
            "content/bad.md",
            deep_yaml.into_bytes(),
        ),
        (
            "broken link",
            "content/bad.md",
            b"---\ntitle: x\n---\n[x](@/missing.md)\n".to_vec(),
        ),
        (
            "slug that leaves",
            "content/bad.md",
            b"---\ntitle: x\nslug: ../../etc\n---\n".to_vec(),
        ),
        (
            "same URL twice",
            "content/bad.md",
            b"---\ntitle: x\nslug: about\n---\n".to_vec(),
        ),
        (
            "template syntax error",
            "templates/page.html",
            b"{% if %}\n".to_vec(),
        ),
        (
            "template including itself",
            "templates/page.html",
            b"{% include \"page.html\" %}\n".to_vec(),
        ),
    ];
    let site = TestSite::new();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    let good = dev_files(&dev);
    for (class, file, bytes) in cases {
        let original = std::fs::read(site.path(file)).ok();
        site.write_bytes(file, &bytes);
        let changes = if file.starts_with("templates/") {
            Changes {
                templates: [file.trim_start_matches("templates/").to_string()]
                    .into_iter()
                    .collect(),
                ..Changes::default()
            }
        } else {
            content(&[file.trim_start_matches("content/")])
        };
        let started = Instant::now();
        let errors = match dev.rebuild(&changes) {
            Ok(_) => panic!("{class}: the dev server accepted it"),
            Err(e) => e.to_plain_string(site.root()),
        };
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{class}: took {:?}",
            started.elapsed()
        );
        let named = if file == "templates/page.html" {
            "templates/"
        } else {
            file
        };
        assert!(
            errors.contains(named),
            "{class}: the message names {named}:\n{errors}"
        );
        assert_eq!(
            dev_files(&dev),
            good,
            "{class}: the last good site is still served"
        );
        match original {
            Some(bytes) => {
                site.write_bytes(file, &bytes);
            }
            None => {
                site.remove(file);
            }
        }
        dev.rebuild(&changes)
            .unwrap_or_else(|e| panic!("{class}: recovery: {}", e.to_plain_string(site.root())));
        assert_eq!(dev_files(&dev), good, "{class}: recovered to the same site");
    }
}

/// A site whose outputs read page content in every way a template can: the
/// page's own content, table of contents, word count and reading time; the
/// home page shows another page's content through `get_page`; the feed and
/// the search index are on.
fn content_reading_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("{}feed: true\nsearch: true\n", common::SITE_YAML),
    );
    site.write(
        "templates/page.html",
        "<!DOCTYPE html><html><head><title>{{ page.title }}</title></head><body>\
         <p class=\"stats\">{{ page.word_count }} words, {{ page.reading_time }} min</p>\
         <ol class=\"toc\">{% for h in page.toc %}<li><a href=\"#{{ h.id }}\">{{ h.title }}</a></li>{% endfor %}</ol>\
         {{ page.content | safe }}\
         {% if page.previous %}<a href=\"{{ page.previous.path }}\">{{ page.previous.title }}</a>{% endif %}\
         {% if page.word_count == 777 %}{{ \"thirteen\" | date }}{% endif %}\
         </body></html>\n",
    );
    site.write(
        "templates/index.html",
        "<!DOCTYPE html><html><head><title>{{ section.title }}</title></head><body>\
         {% set featured = get_page(path=\"@/partners/japan.md\") %}\
         <div class=\"featured\">{{ featured.content | safe }}\
         <ul>{% for h in featured.toc %}<li>{{ h.title }}</li>{% endfor %}</ul></div>\
         </body></html>\n",
    );
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\nweight: 1\ndate: 2025-03-01\ntags: [Asia, NATO partners]\n---\nJapan text.\n\n## Areas\n\nWork areas.\n",
    );
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\nweight: 2\ndate: 2025-02-01\ntags: [NATO partners]\n---\nCanada text, see [areas](@/partners/japan.md#areas).\n",
    );
    site
}

/// Front matter of `content_reading_site`'s Japan page, followed by `body`.
fn japan(body: &str) -> String {
    format!(
        "---\ntitle: Japan\nweight: 1\ndate: 2025-03-01\ntags: [Asia, NATO partners]\n---\n{body}"
    )
}

fn canada(body: &str) -> String {
    format!("---\ntitle: Canada\nweight: 2\ndate: 2025-02-01\ntags: [NATO partners]\n---\n{body}")
}

fn words(n: usize) -> String {
    (0..n).map(|i| format!("word{i} ")).collect()
}

#[test]
fn body_edits_take_the_fast_path_and_equal_a_full_build() {
    let site = content_reading_site();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    assert_same(&dev_files(&dev), &full_build(&site), "the first build");

    type Edit = Box<dyn Fn(&TestSite)>;
    // (what, edit, changed sources, whether it is a body edit only)
    let steps: Vec<(&str, Edit, Vec<&str>, bool)> = vec![
        (
            "a body edit of a page get_page reads",
            Box::new(|s| {
                s.write(
                    "content/partners/japan.md",
                    &japan("Japan text, edited.\n\n## Areas\n\nWork areas.\n"),
                );
            }),
            vec!["partners/japan.md"],
            true,
        ),
        (
            "a second body edit of the same page, adding a heading and a link to it",
            Box::new(|s| {
                s.write("content/partners/japan.md", &japan("Edited again; see [below](#history) and [there](@/partners/japan.md#history).\n\n## Areas\n\nWork areas.\n\n## History\n\nSince 1952.\n"));
            }),
            vec!["partners/japan.md"],
            true,
        ),
        (
            "a body edit of another page linking to the new heading",
            Box::new(|s| {
                s.write("content/partners/canada.md", &canada("Canada text, see [history](@/partners/japan.md#history) and [areas](@/partners/japan.md#areas).\n"));
            }),
            vec!["partners/canada.md"],
            true,
        ),
        (
            "body edits of two pages at once",
            Box::new(|s| {
                s.write("content/partners/japan.md", &japan("Both edited.\n\n## Areas\n\nWork areas.\n\n## History\n\nSince 1952.\n\n## Outlook\n"));
                s.write("content/partners/canada.md", &canada("Canada, both edited: [outlook](@/partners/japan.md#outlook), [areas](@/partners/japan.md#areas), [history](@/partners/japan.md#history).\n"));
            }),
            vec!["partners/japan.md", "partners/canada.md"],
            true,
        ),
        (
            "a body edit that changes the word count and reading time",
            Box::new(|s| {
                s.write(
                    "content/about.md",
                    &format!("---\ntitle: About\n---\n{}\n", words(450)),
                );
            }),
            vec!["about.md"],
            true,
        ),
        (
            "an edit that touches nothing",
            Box::new(|_| {}),
            vec!["about.md"],
            true,
        ),
        (
            "a title change after body edits",
            Box::new(|s| {
                s.write("content/partners/canada.md", &canada("Canada, both edited: [outlook](@/partners/japan.md#outlook), [areas](@/partners/japan.md#areas), [history](@/partners/japan.md#history).\n").replace("title: Canada", "title: Canada (renamed)"));
            }),
            vec!["partners/canada.md"],
            false,
        ),
        (
            "a body edit after the fallback",
            Box::new(|s| {
                s.write("content/partners/canada.md", &canada("Canada, shorter now: [areas](@/partners/japan.md#areas), [history](@/partners/japan.md#history), [outlook](@/partners/japan.md#outlook).\n").replace("title: Canada", "title: Canada (renamed)"));
            }),
            vec!["partners/canada.md"],
            true,
        ),
        (
            "a removed heading no page links to any more",
            Box::new(|s| {
                s.write("content/partners/japan.md", &japan("Outlook dropped.\n\n## Areas\n\nWork areas.\n\n## History\n\nSince 1952.\n"));
                s.write("content/partners/canada.md", &canada("Canada: [areas](@/partners/japan.md#areas), [history](@/partners/japan.md#history).\n").replace("title: Canada", "title: Canada (renamed)"));
            }),
            vec!["partners/japan.md", "partners/canada.md"],
            false,
        ),
        (
            "a date change",
            Box::new(|s| {
                s.write("content/partners/japan.md", &japan("Outlook dropped.\n\n## Areas\n\nWork areas.\n\n## History\n\nSince 1952.\n").replace("2025-03-01", "2025-04-01"));
            }),
            vec!["partners/japan.md"],
            false,
        ),
        (
            "a body edit of a section page",
            Box::new(|s| {
                s.write(
                    "content/partners/_index.md",
                    "---\ntitle: Partners\n---\nOur partners, edited.\n",
                );
            }),
            vec!["partners/_index.md"],
            false,
        ),
    ];
    for (what, edit, sources, body_only) in steps {
        edit(&site);
        let rebuilt = dev
            .rebuild(&content(&sources))
            .unwrap_or_else(|d| panic!("{what}: {}", d.to_plain_string(site.root())));
        assert_eq!(rebuilt.fast_path, body_only, "{what}: fast path");
        assert_same(&dev_files(&dev), &full_build(&site), what);
    }
}

#[test]
fn a_body_edit_renders_the_page_its_get_page_readers_and_the_content_files() {
    let site = content_reading_site();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nAbout, edited.\n",
    );
    let rebuilt = dev.rebuild(&content(&["about.md"])).unwrap();
    assert!(rebuilt.fast_path);
    // about/index.html, index.html (get_page), atom.xml, search-index.js.
    assert_eq!(rebuilt.rendered, 4);
}

/// The error positions of a failed rebuild, `file:line:column`.
fn error_positions(errors: &dossier::diagnostics::Diagnostics) -> Vec<String> {
    errors
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.position())
        .collect()
}

#[test]
fn a_broken_link_in_a_body_edit_is_reported_and_the_last_good_site_kept() {
    let site = content_reading_site();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    site.write(
        "content/partners/japan.md",
        &japan("Fine.\n\n## Areas\n\nWork areas.\n"),
    );
    assert!(
        dev.rebuild(&content(&["partners/japan.md"]))
            .unwrap()
            .fast_path
    );
    let good = dev_files(&dev);

    // The front matter takes lines 1 to 6; the links are on line 11.
    site.write(
        "content/partners/japan.md",
        &japan("Fine.\n\n## Areas\n\nSee [x](@/partners/nowhere.md) and [y](@/partners/canada.md#nope).\n"),
    );
    let errors = dev.rebuild(&content(&["partners/japan.md"])).unwrap_err();
    assert_eq!(
        error_positions(&errors),
        [
            "content/partners/japan.md:11:5",
            "content/partners/japan.md:11:36"
        ],
        "{}",
        errors.to_plain_string(site.root())
    );
    assert_eq!(dev_files(&dev), good, "the last good site is kept");

    // Another page's body edit does not hide the error, as a full build would not.
    site.write("content/partners/canada.md", &canada("Canada, edited.\n"));
    let errors = dev.rebuild(&content(&["partners/canada.md"])).unwrap_err();
    assert_eq!(error_positions(&errors).len(), 2);
    assert_eq!(dev_files(&dev), good, "the last good site is still kept");

    // Fixed: both edits show, as in a full build.
    site.write(
        "content/partners/japan.md",
        &japan("Fixed.\n\n## Areas\n\nSee [Canada](@/partners/canada.md).\n"),
    );
    let rebuilt = dev.rebuild(&content(&["partners/japan.md"])).unwrap();
    assert!(rebuilt.fast_path);
    assert_same(&dev_files(&dev), &full_build(&site), "the fix");
}

#[test]
fn a_body_edit_that_breaks_a_template_keeps_the_last_good_site() {
    let site = content_reading_site();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    let good = dev_files(&dev);
    // page.html gives the date filter something that is not a date when a
    // page has 777 words.
    site.write(
        "content/about.md",
        &format!("---\ntitle: About\n---\n{}\n", words(777)),
    );
    let errors = dev.rebuild(&content(&["about.md"])).unwrap_err();
    let text = errors.to_plain_string(site.root());
    assert!(text.contains("templates/page.html"), "{text}");
    assert!(text.contains("content/about.md"), "{text}");
    assert_eq!(dev_files(&dev), good, "the last good site is kept");

    // The page is still broken: editing another page reports it again.
    site.write("content/partners/canada.md", &canada("Canada, edited.\n"));
    assert!(dev.rebuild(&content(&["partners/canada.md"])).is_err());
    assert_eq!(dev_files(&dev), good);

    site.write(
        "content/about.md",
        &format!("---\ntitle: About\n---\n{}\n", words(778)),
    );
    let rebuilt = dev.rebuild(&content(&["about.md"])).unwrap();
    assert!(rebuilt.fast_path);
    assert_same(&dev_files(&dev), &full_build(&site), "the fix");
}

#[test]
fn a_removed_heading_that_another_page_links_to_is_an_error_there() {
    let site = content_reading_site();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    let good = dev_files(&dev);
    // canada.md links to #areas.
    site.write("content/partners/japan.md", &japan("No headings now.\n"));
    let errors = dev.rebuild(&content(&["partners/japan.md"])).unwrap_err();
    assert_eq!(
        error_positions(&errors),
        ["content/partners/canada.md:7:18"],
        "{}",
        errors.to_plain_string(site.root())
    );
    assert_eq!(dev_files(&dev), good);
    site.write("content/partners/japan.md", &japan("Back.\n\n## Areas\n"));
    dev.rebuild(&content(&["partners/japan.md"])).unwrap();
    assert_same(&dev_files(&dev), &full_build(&site), "the fix");
}

#[test]
fn body_edits_after_a_template_edit_equal_a_full_build() {
    let site = content_reading_site();
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    let page = std::fs::read_to_string(site.path("templates/page.html")).unwrap();
    site.write(
        "templates/page.html",
        &page.replace("<body>", "<body><p>v2</p>"),
    );
    let templates = Changes {
        templates: ["page.html".to_string()].into_iter().collect(),
        ..Changes::default()
    };
    assert!(!dev.rebuild(&templates).unwrap().fast_path);
    assert_same(&dev_files(&dev), &full_build(&site), "the template edit");
    site.write(
        "content/partners/japan.md",
        &japan("After the template edit.\n\n## Areas\n"),
    );
    assert!(
        dev.rebuild(&content(&["partners/japan.md"]))
            .unwrap()
            .fast_path
    );
    assert_same(&dev_files(&dev), &full_build(&site), "the body edit");
}

#[test]
fn components_in_bodies_equal_a_full_build_on_both_paths() {
    let site = content_reading_site();
    site.write(
        "templates/components/content.html",
        include_str!("../templates/components/content.html"),
    )
    .write(
        "templates/components/labels.html",
        include_str!("../templates/components/labels.html"),
    )
    .write("i18n/en.yaml", include_str!("../i18n/en.yaml"));
    site.write(
        "content/partners/japan.md",
        &japan("{% callout(kind=\"note\") %}\nInside, see [Canada](@/partners/canada.md).\n{% end %}\n\n## Areas\n\nWork areas.\n"),
    );
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    assert_same(&dev_files(&dev), &full_build(&site), "the first build");

    site.write(
        "content/partners/canada.md",
        &canada("{% keyfacts(title=\"Canada & co\") %}\n- [Areas](@/partners/japan.md#areas)\n{% end %}\n{% partner_card(page=\"@/partners/japan.md\") /%}\n"),
    );
    let rebuilt = dev
        .rebuild(&content(&["partners/canada.md"]))
        .unwrap_or_else(|d| panic!("{}", d.to_plain_string(site.root())));
    assert!(
        rebuilt.fast_path,
        "a body edit with components takes the fast path"
    );
    assert_same(
        &dev_files(&dev),
        &full_build(&site),
        "a body edit adding components",
    );

    // A mistake in a body edit is reported; the last good site stays.
    let before = dev_files(&dev);
    site.write(
        "content/partners/canada.md",
        &canada("{% keyfact %}\nx\n{% end %}\n"),
    );
    let errors = dev
        .rebuild(&content(&["partners/canada.md"]))
        .expect_err("an unknown component is an error");
    let text = errors.to_plain_string(site.root());
    assert!(
        text.contains("E-COMPONENT-UNKNOWN") && text.contains("did you mean `keyfacts`?"),
        "{text}"
    );
    assert_eq!(dev_files(&dev), before);

    // Editing the component's template re-renders the pages that use it.
    site.write(
        "content/partners/canada.md",
        &canada("{% keyfacts(title=\"Canada & co\") %}\n- [Areas](@/partners/japan.md#areas)\n{% end %}\n"),
    );
    dev.rebuild(&content(&["partners/canada.md"]))
        .expect("fixed");
    site.write(
        "templates/components/content.html",
        &include_str!("../templates/components/content.html").replace(
            "class=\"callout keyfacts\"",
            "class=\"callout keyfacts edited\"",
        ),
    );
    dev.rebuild(&Changes {
        templates: ["components/content.html".to_string()]
            .into_iter()
            .collect(),
        ..Changes::default()
    })
    .unwrap_or_else(|d| panic!("{}", d.to_plain_string(site.root())));
    let files = dev_files(&dev);
    let canada_page = String::from_utf8_lossy(&files["partners/canada/index.html"]).to_string();
    assert!(
        canada_page.contains("class=\"callout keyfacts edited\""),
        "{canada_page}"
    );
    assert_same(&files, &full_build(&site), "a component template edit");
}

#[test]
fn a_translation_body_edit_takes_the_fast_path_and_equals_a_full_build() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: \"Test site\"\nbase_url: \"https://example.org/sub/\"\nfeed: true\nsearch: true\nlanguages: [en, fr, de]\n",
    )
    .write(
        "content/partners/japan.md",
        "---\ntitle: Japan\ndate: 2026-02-11\nweight: 1\ntags: [Asia, NATO partners]\n---\nJapan text.\n",
    )
    .write(
        "content/partners/japan.fr.md",
        "---\ntitle: Japon\n---\n## Domaines {#d}\n\nTexte.\n",
    )
    .write("content/partners/_index.fr.md", "---\ntitle: Partenaires\n---\nNos partenaires.\n");
    let mut dev = DevSite::new(site.root(), false, Some(BASE.into()));
    dev.rebuild(&Changes::everything()).expect("first build");
    assert_same(&dev_files(&dev), &full_build(&site), "the first build");
    site.write(
        "content/partners/japan.fr.md",
        "---\ntitle: Japon\n---\n## Domaines {#d}\n\nTexte revu, plus long.\n",
    );
    let rebuilt = dev.rebuild(&content(&["partners/japan.fr.md"])).unwrap();
    assert!(
        rebuilt.fast_path,
        "a translation's body edit is a body edit"
    );
    let files = dev_files(&dev);
    assert!(String::from_utf8_lossy(&files["fr/partners/japan/index.html"]).contains("Texte revu"));
    assert_same(&files, &full_build(&site), "a translation's body edit");
    // Its front matter edited: through the model, and still right.
    site.write(
        "content/partners/japan.fr.md",
        "---\ntitle: Le Japon\n---\n## Domaines {#d}\n\nTexte revu.\n",
    );
    let rebuilt = dev.rebuild(&content(&["partners/japan.fr.md"])).unwrap();
    assert!(!rebuilt.fast_path);
    assert_same(
        &dev_files(&dev),
        &full_build(&site),
        "a translation's title edit",
    );
    // The original's body edited: the fast path, and still right.
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\ndate: 2026-02-11\nweight: 1\ntags: [Asia, NATO partners]\n---\nJapan text, edited.\n",
    );
    let rebuilt = dev.rebuild(&content(&["partners/japan.md"])).unwrap();
    assert!(rebuilt.fast_path);
    assert_same(
        &dev_files(&dev),
        &full_build(&site),
        "the original's body edit",
    );
}
