//! The files dossier writes itself (Atom feed, sitemap, robots.txt, search
//! index, fingerprinted assets, precompressed siblings) and the metadata the
//! briefing site's templates put on every page, asserted on real builds.
//!
//! The XML files are read with a small strict parser (`support/xml.rs`):
//! "parses" below means well-formed XML, not a substring search.

mod common;
#[path = "support/xml.rs"]
mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const BASE: &str = "https://example.org/sub/";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const INDEX_PREFIX: &str = "window.DOSSIER_SEARCH_INDEX = ";

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// The minimal site plus a news section with pages dated in every way
/// (date only, updated only, both, neither) and a dated, tagged draft that is
/// the newest of all, with feed and search switched on.
fn dated_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: \"Test site\"\nbase_url: \"https://example.org/sub/\"\n\
         description: \"A site for testing outputs.\"\nauthor: \"Test editors\"\n\
         feed: true\nsearch: true\n",
    )
    .write("content/news/_index.md", "---\ntitle: News\n---\nThe news.\n")
    .write(
        "content/news/first.md",
        "---\ntitle: First\ndescription: The first item.\ndate: 2026-01-10\n---\nFirst text.\n",
    )
    .write(
        "content/news/second.md",
        "---\ntitle: Second\ndescription: The second item.\ndate: 2026-02-01\nupdated: 2026-03-01\n---\nSecond text.\n\n## A heading\n\nMore.\n",
    )
    .write(
        "content/news/third.md",
        "---\ntitle: Third\ndescription: The third item.\nupdated: 2026-02-15\n---\nThird text.\n",
    )
    .write(
        "content/news/undated.md",
        "---\ntitle: Undated\ndescription: No date at all.\n---\nUndated text.\n",
    )
    .write(
        "content/news/secret.md",
        "---\ntitle: Secret\ndescription: A draft.\ndate: 2026-06-01\ndraft: true\ntags: [Hidden topic]\n---\nSecret text.\n",
    );
    site
}

/// Site paths of the published pages and sections of [`dated_site`].
const DATED_SITE_DOCUMENTS: [&str; 10] = [
    "/",
    "/about/",
    "/news/",
    "/news/first/",
    "/news/second/",
    "/news/third/",
    "/news/undated/",
    "/partners/",
    "/partners/canada/",
    "/partners/japan/",
];

/// Its tag pages (the draft's tag has none).
const DATED_SITE_TAG_PAGES: [&str; 3] = ["/tags/", "/tags/asia/", "/tags/nato-partners/"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file below `dir` of the repository, as (relative path, bytes).
fn repo_files(dir: &str) -> Vec<(String, Vec<u8>)> {
    snapshot(&repo().join(dir))
        .into_iter()
        .filter(|(path, _)| !path.ends_with('/'))
        .map(|(path, bytes)| (format!("{dir}/{path}"), bytes))
        .collect()
}

/// A small site rendered with the briefing site's own templates and static
/// files: the real `base.html` (metadata, JSON-LD, header search) and
/// `search.html`, with simple home, section and page templates in place of
/// the briefing-specific ones.
fn site_with_real_templates(site_yaml: &str, pages: &[(&str, &str)]) -> TestSite {
    let mut files = repo_files("templates");
    files.extend(repo_files("static"));
    files.extend(repo_files("i18n"));
    let text = |p: &str, s: &str| (p.to_string(), s.as_bytes().to_vec());
    let simple = r#"{% extends "base.html" %}
{% block main %}
{%- set it = page if page is defined else section %}
{{ <page_heading title={it.title} lede={it.description}/> }}
{{ <prose html={it.content}/> }}
{% endblock main %}
"#;
    files.push(text("templates/index.html", simple));
    files.push(text("templates/section.html", simple));
    files.push(text("templates/page.html", simple));
    files.push(text("site.yaml", site_yaml));
    files.push(text(
        "content/_index.md",
        "---\ntitle: Home\ndescription: The home page.\n---\nWelcome.\n",
    ));
    files.push(text(
        "content/search.md",
        "---\ntitle: Search\ndescription: Search the site.\ntemplate: search.html\n---\nType a word.\n",
    ));
    for (path, body) in pages {
        files.push(text(path, body));
    }
    TestSite::from_files(files)
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn parse_xml(site: &TestSite, file: &str) -> xml::Element {
    let text = site.read_out(file);
    xml::parse(&text).unwrap_or_else(|e| panic!("{file} is not well-formed XML: {e}\n{text}"))
}

/// The search index: checks the script shape and returns the JSON value.
fn search_index(text: &str) -> Value {
    let json = text.strip_prefix(INDEX_PREFIX).unwrap_or_else(|| {
        panic!("search-index.js should start with `{INDEX_PREFIX}`: {text:.200}")
    });
    let json = json.trim_end().strip_suffix(';').unwrap_or(json.trim_end());
    serde_json::from_str(json).unwrap_or_else(|e| panic!("search index is not JSON: {e}\n{json}"))
}

/// HTML attribute and text escapes undone (what a browser would read).
fn html_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&i| i <= 8);
        let decoded = semi.and_then(|i| match &after[..i] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, semi) {
            (Some(c), Some(i)) => {
                out.push(c);
                rest = &after[i + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The opening tags `<name …>` of `html`, each as its text.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    html.match_indices(&open)
        .filter(|(i, _)| {
            html[i + open.len()..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/')
        })
        .map(|(i, _)| &html[i..i + html[i..].find('>').expect("tag end") + 1])
        .collect()
}

/// The decoded value of attribute `name` in an opening tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(html_decode(&tag[start..end]))
}

/// The `content` of the `<meta>` whose `key` attribute (`name` or
/// `property`) is `value`; every such tag, so duplicates show.
fn metas(html: &str, key: &str, value: &str) -> Vec<String> {
    tags(html, "meta")
        .into_iter()
        .filter(|t| attr(t, key).as_deref() == Some(value))
        .map(|t| attr(t, "content").unwrap_or_default())
        .collect()
}

fn canonicals(html: &str) -> Vec<String> {
    tags(html, "link")
        .into_iter()
        .filter(|t| attr(t, "rel").as_deref() == Some("canonical"))
        .map(|t| attr(t, "href").unwrap_or_default())
        .collect()
}

fn title(html: &str) -> String {
    let start = html.find("<title>").expect("<title>") + "<title>".len();
    let end = html[start..].find("</title>").expect("</title>") + start;
    html_decode(&html[start..end])
}

/// The raw text of every `<script type="application/ld+json">` element: up
/// to the first `</script` (case-insensitive), as an HTML parser ends it.
fn json_ld_scripts(html: &str) -> Vec<&str> {
    let open = "<script type=\"application/ld+json\">";
    let lower = html.to_ascii_lowercase();
    html.match_indices(open)
        .map(|(i, _)| {
            let start = i + open.len();
            let end = lower[start..].find("</script").expect("script end") + start;
            &html[start..end]
        })
        .collect()
}

/// The one JSON-LD value of a page, parsed.
fn json_ld(html: &str, file: &str) -> Value {
    let scripts = json_ld_scripts(html);
    assert_eq!(
        scripts.len(),
        1,
        "{file}: want one JSON-LD script, found {}",
        scripts.len()
    );
    assert!(
        !scripts[0].contains('<'),
        "{file}: JSON-LD has a raw `<`, which could end the script: {}",
        scripts[0]
    );
    serde_json::from_str(scripts[0])
        .unwrap_or_else(|e| panic!("{file}: JSON-LD does not parse: {e}\n{}", scripts[0]))
}

/// Output files (not folders) with their bytes, hidden marker left out.
fn output_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(dir)
        .into_iter()
        .filter(|(p, _)| !p.ends_with('/') && !p.starts_with('.'))
        .collect()
}

/// `style.<8 hex>.css` style names in the output root for `stem`/`ext`.
fn hashed_names(dir: &Path, stem: &str, ext: &str) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|name| {
            name.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .is_some_and(|hash| {
                    hash.len() == 8
                        && hash
                            .chars()
                            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                })
        })
        .collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .expect("valid brotli");
    out
}

// ---------------------------------------------------------------------------
// atom.xml
// ---------------------------------------------------------------------------

#[test]
fn atom_feed_lists_dated_published_pages_newest_first() {
    let site = dated_site();
    site.build_ok(&[]);
    let feed = parse_xml(&site, "atom.xml");
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some(ATOM_NS), "the Atom namespace");
    assert_eq!(feed.text_of("id"), BASE);
    assert_eq!(feed.text_of("title"), "Test site");
    // The newest date of any entry (second.md's `updated`); never the clock.
    assert_eq!(feed.text_of("updated"), "2026-03-01T00:00:00Z");
    assert_eq!(feed.one("author").text_of("name"), "Test editors");
    let self_link = feed
        .all("link")
        .find(|l| l.attr("rel") == Some("self"))
        .expect("a rel=self link");
    assert_eq!(self_link.attr("href"), Some(&*format!("{BASE}atom.xml")));

    // Ordered by `updated`, else `date`: second (03-01), third (02-15),
    // first (01-10). The undated page and the (newer) draft are absent.
    let expected = [
        ("Second", "news/second/", "2026-03-01", "The second item."),
        ("Third", "news/third/", "2026-02-15", "The third item."),
        ("First", "news/first/", "2026-01-10", "The first item."),
    ];
    let entries: Vec<&xml::Element> = feed.all("entry").collect();
    assert_eq!(
        entries
            .iter()
            .map(|e| e.text_of("title"))
            .collect::<Vec<_>>(),
        expected.iter().map(|e| e.0).collect::<Vec<_>>(),
        "entries: one per dated published page, newest first"
    );
    for (entry, (title, path, updated, summary)) in entries.iter().zip(expected) {
        let url = format!("{BASE}{path}");
        assert_eq!(entry.text_of("title"), title);
        assert_eq!(entry.text_of("id"), url, "{title}: id");
        assert_eq!(
            entry.text_of("updated"),
            format!("{updated}T00:00:00Z"),
            "{title}: updated"
        );
        assert_eq!(
            entry.one("link").attr("href"),
            Some(url.as_str()),
            "{title}: link"
        );
        assert_eq!(entry.text_of("summary"), summary, "{title}: summary");
    }
    let text = site.read_out("atom.xml");
    for absent in ["Secret", "Undated", "Hidden topic"] {
        assert!(
            !text.contains(absent),
            "atom.xml mentions {absent}:\n{text}"
        );
    }
}

#[test]
fn atom_feed_limit_keeps_the_newest_entries() {
    let site = dated_site();
    let yaml = fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace("feed: true", "feed: { limit: 2 }"),
    );
    site.build_ok(&[]);
    let feed = parse_xml(&site, "atom.xml");
    let titles: Vec<String> = feed.all("entry").map(|e| e.text_of("title")).collect();
    assert_eq!(titles, ["Second", "Third"]);
}

// ---------------------------------------------------------------------------
// sitemap.xml and robots.txt
// ---------------------------------------------------------------------------

#[test]
fn sitemap_lists_exactly_the_published_pages_sections_and_tag_pages() {
    let site = dated_site();
    site.build_ok(&[]);
    let urlset = parse_xml(&site, "sitemap.xml");
    assert_eq!(urlset.name, "urlset");
    assert_eq!(
        urlset.attr("xmlns"),
        Some(SITEMAP_NS),
        "the sitemaps.org namespace"
    );
    let mut listed: BTreeMap<String, Option<String>> = BTreeMap::new();
    for url in urlset.all("url") {
        let loc = url.text_of("loc");
        let lastmod = url.all("lastmod").next().map(xml::Element::text);
        assert!(
            listed.insert(loc.clone(), lastmod).is_none(),
            "{loc} is listed twice"
        );
    }
    let expected: BTreeSet<String> = DATED_SITE_DOCUMENTS
        .iter()
        .chain(&DATED_SITE_TAG_PAGES)
        .map(|p| format!("{BASE}{}", p.trim_start_matches('/')))
        .collect();
    assert_eq!(
        listed.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "sitemap URLs: every published page, section and tag page, absolute, and nothing else"
    );
    // Pages: lastmod is `updated`, else `date`, and absent without either.
    let lastmod = |path: &str| listed[&format!("{BASE}{path}")].clone();
    assert_eq!(lastmod("news/first/").as_deref(), Some("2026-01-10"));
    assert_eq!(lastmod("news/second/").as_deref(), Some("2026-03-01"));
    assert_eq!(lastmod("news/third/").as_deref(), Some("2026-02-15"));
    for undated in [
        "news/undated/",
        "about/",
        "partners/japan/",
        "partners/canada/",
    ] {
        assert_eq!(
            lastmod(undated),
            None,
            "{undated} has no date, so no lastmod"
        );
    }
    // A section is as new as its newest page.
    assert_eq!(lastmod("news/").as_deref(), Some("2026-03-01"));
    for (loc, date) in &listed {
        if let Some(d) = date {
            let ok = d.len() == 10
                && d.char_indices().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            assert!(ok, "{loc}: lastmod {d} is not YYYY-MM-DD");
        }
    }
    let text = site.read_out("sitemap.xml");
    assert!(
        !text.contains("secret") && !text.contains("hidden-topic"),
        "a draft leaked:\n{text}"
    );
}

#[test]
fn robots_txt_points_to_the_sitemap() {
    let site = dated_site();
    site.build_ok(&[]);
    let robots = site.read_out("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == format!("Sitemap: {BASE}sitemap.xml")),
        "robots.txt should name the sitemap:\n{robots}"
    );
    assert!(robots.lines().any(|l| l == "User-agent: *"), "{robots}");
}

#[test]
fn a_robots_txt_in_static_replaces_the_generated_one() {
    let site = dated_site();
    let own = "User-agent: *\nDisallow: /private/\n";
    site.write("static/robots.txt", own);
    site.build_ok(&[]);
    assert_eq!(site.read_out("robots.txt"), own);
}

// ---------------------------------------------------------------------------
// search-index.js
// ---------------------------------------------------------------------------

#[test]
fn search_index_has_one_entry_per_published_page_and_section() {
    let site = dated_site();
    site.build_ok(&[]);
    let index = search_index(&site.read_out("search-index.js"));
    assert_eq!(index["index_html"], Value::Bool(true));
    let pages = index["pages"].as_array().expect("pages array");
    let urls: Vec<&str> = pages.iter().map(|p| p["u"].as_str().expect("u")).collect();
    let unique: BTreeSet<&str> = urls.iter().copied().collect();
    assert_eq!(unique.len(), urls.len(), "an entry is repeated: {urls:?}");
    let expected: BTreeSet<&str> = DATED_SITE_DOCUMENTS
        .iter()
        .map(|p| p.trim_start_matches('/'))
        .collect();
    assert_eq!(
        unique, expected,
        "one entry per published page and section, relative to the root"
    );
    for p in pages {
        for key in ["t", "u", "s", "d", "b"] {
            assert!(p[key].is_string(), "{key} should be a string in {p}");
        }
        assert!(
            p["h"]
                .as_array()
                .is_some_and(|h| h.iter().all(Value::is_string)),
            "h in {p}"
        );
    }
    let second = pages.iter().find(|p| p["u"] == "news/second/").unwrap();
    assert_eq!(second["t"], "Second");
    assert_eq!(second["s"], "News");
    assert_eq!(second["d"], "The second item.");
    assert_eq!(second["h"], serde_json::json!(["A heading"]));
    assert!(
        second["b"].as_str().unwrap().contains("Second text."),
        "{second}"
    );
    assert!(
        !site.read_out("search-index.js").contains("Secret"),
        "the draft is indexed"
    );
}

// ---------------------------------------------------------------------------
// Fingerprinted assets
// ---------------------------------------------------------------------------

const ASSET_PAGE: &str = r#"<!DOCTYPE html>
<html><head><title>{{ page.title }}</title>
<link rel="stylesheet" href="{{ asset(path="/style.css") }}">
<script src="{{ asset(path="/app.js") }}" defer></script>
</head><body>{{ page.content }}</body></html>
"#;

#[test]
fn asset_names_follow_the_content_and_only_the_content() {
    let site = TestSite::new();
    site.write("templates/page.html", ASSET_PAGE)
        .write("static/style.css", "body { color: #123456; }\n")
        .write("static/app.js", "console.log('hi');\n");
    site.build_ok(&[]);
    let first = hashed_names(&site.out(), "style", "css");
    assert_eq!(
        first.len(),
        1,
        "one hashed stylesheet: {:?}",
        entries(&site.out())
    );
    let js = hashed_names(&site.out(), "app", "js");
    assert_eq!(js.len(), 1, "one hashed script: {:?}", entries(&site.out()));
    // The hashed copy is the source, byte for byte, and pages link to it.
    assert_eq!(
        fs::read(site.out().join(&first[0])).unwrap(),
        fs::read(site.path("static/style.css")).unwrap()
    );
    assert_eq!(
        fs::read(site.out().join(&js[0])).unwrap(),
        fs::read(site.path("static/app.js")).unwrap()
    );
    let japan = site.read_out("partners/japan/index.html");
    assert!(
        japan.contains(&format!("href=\"../../{}\"", first[0])),
        "{japan}"
    );
    assert!(
        japan.contains(&format!("src=\"../../{}\"", js[0])),
        "{japan}"
    );

    // The same content gives the same name.
    site.build_ok(&[]);
    assert_eq!(hashed_names(&site.out(), "style", "css"), first);

    // One byte changed: a new name, with the new bytes; the script keeps its name.
    site.write("static/style.css", "body { color: #123457; }\n");
    site.build_ok(&[]);
    let second = hashed_names(&site.out(), "style", "css");
    assert_eq!(second.len(), 1, "{:?}", entries(&site.out()));
    assert_ne!(second, first, "a changed stylesheet must get a new name");
    assert_eq!(
        fs::read(site.out().join(&second[0])).unwrap(),
        b"body { color: #123457; }\n"
    );
    assert_eq!(hashed_names(&site.out(), "app", "js"), js);
    assert!(
        site.read_out("partners/japan/index.html")
            .contains(&second[0])
    );
}

// ---------------------------------------------------------------------------
// --compress
// ---------------------------------------------------------------------------

#[test]
fn compress_writes_gz_and_br_siblings_of_text_files_only() {
    let site = dated_site();
    let png: &[u8] = &png_image(1, 1);
    site.write("static/style.css", "body { margin: 0; }\n")
        .write("static/app.js", "console.log('x');\n")
        .write_bytes("static/logo.png", png)
        .write(
            "content/gallery/index.md",
            "---\ntitle: Gallery\n---\n![A pixel](pixel.png)\n",
        )
        .write_bytes("content/gallery/pixel.png", png);
    site.build_ok(&["--compress"]);
    let files = output_files(&site.out());
    let mut text_files = 0;
    for (path, bytes) in &files {
        if path.ends_with(".gz") || path.ends_with(".br") {
            let original = &path[..path.len() - 3];
            assert!(
                files.contains_key(original),
                "{path} has no original {original}"
            );
            continue;
        }
        let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let gz = files.get(&format!("{path}.gz"));
        let br = files.get(&format!("{path}.br"));
        match ext {
            "html" | "css" | "js" | "xml" | "txt" => {
                text_files += 1;
                let gz = gz.unwrap_or_else(|| panic!("{path} has no .gz sibling"));
                let br = br.unwrap_or_else(|| panic!("{path} has no .br sibling"));
                assert_eq!(
                    &gunzip(gz),
                    bytes,
                    "{path}.gz does not decompress to {path}"
                );
                assert_eq!(
                    &unbrotli(br),
                    bytes,
                    "{path}.br does not decompress to {path}"
                );
            }
            "png" | "webp" => {
                assert!(
                    gz.is_none() && br.is_none(),
                    "binary {path} should not be compressed"
                );
            }
            _ => {}
        }
    }
    // Pages, the feed, sitemap, robots.txt, search index and both assets
    // (plain and hashed) were all seen.
    assert!(
        text_files >= 16,
        "only {text_files} text files checked: {:?}",
        files.keys()
    );
    for needed in [
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "search-index.js",
        "index.html",
    ] {
        assert!(
            files.contains_key(&format!("{needed}.br")),
            "no {needed}.br"
        );
    }
    assert!(files.contains_key("logo.png") && files.contains_key("gallery/pixel.png"));
}

// ---------------------------------------------------------------------------
// Hostile strings
// ---------------------------------------------------------------------------

const HOSTILE_TITLE: &str = r#"<script>alert("t")</script> & ]]> "quoted" 'single'"#;
const HOSTILE_DESCRIPTION: &str = r#"</script><script>alert(1)</script> & ]]> <!-- "d" 'e'"#;
const HOSTILE_AUTHOR: &str = r#"Ed </script> & "Co" ]]>"#;
/// A base URL with `&` in its path: every absolute URL must escape it.
const HOSTILE_BASE: &str = "https://example.org/R&D/";

fn yaml_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn hostile_site() -> TestSite {
    let yaml = format!(
        "title: {}\nbase_url: {}\nlanguage: en\ndescription: {}\nauthor: {}\nfeed: true\nsearch: true\n\
         extra:\n  reviewed: \"2026-11-28\"\n",
        yaml_quoted(&format!("Site {HOSTILE_TITLE}")),
        yaml_quoted(HOSTILE_BASE),
        yaml_quoted(HOSTILE_DESCRIPTION),
        yaml_quoted(HOSTILE_AUTHOR),
    );
    let page = format!(
        "---\ntitle: {}\ndescription: {}\ndate: 2026-02-11\nupdated: 2026-03-01\n---\nText.\n",
        yaml_quoted(HOSTILE_TITLE),
        yaml_quoted(HOSTILE_DESCRIPTION)
    );
    site_with_real_templates(
        &yaml,
        &[
            ("content/news/_index.md", "---\ntitle: News\n---\nNews.\n"),
            ("content/news/hostile.md", &page),
        ],
    )
}

#[test]
fn hostile_strings_are_escaped_in_every_output() {
    let site = hostile_site();
    site.build_ok(&[]);
    let page_url = format!("{HOSTILE_BASE}news/hostile/");

    // atom.xml: well-formed, and the text reads back exactly.
    let atom_text = site.read_out("atom.xml");
    assert!(
        !atom_text.contains("<script") && !atom_text.contains("</script"),
        "{atom_text}"
    );
    let feed = parse_xml(&site, "atom.xml");
    assert_eq!(feed.text_of("title"), format!("Site {HOSTILE_TITLE}"));
    assert_eq!(feed.text_of("id"), HOSTILE_BASE);
    assert_eq!(feed.one("author").text_of("name"), HOSTILE_AUTHOR);
    let entry = feed.one("entry");
    assert_eq!(entry.text_of("title"), HOSTILE_TITLE);
    assert_eq!(entry.text_of("summary"), HOSTILE_DESCRIPTION);
    assert_eq!(entry.text_of("id"), page_url);
    assert_eq!(entry.one("link").attr("href"), Some(page_url.as_str()));

    // sitemap.xml: the URLs, `&` escaped, read back exactly.
    let sitemap_text = site.read_out("sitemap.xml");
    assert!(
        sitemap_text.contains("R&amp;D") && !sitemap_text.contains("R&D"),
        "{sitemap_text}"
    );
    let locs: BTreeSet<String> = parse_xml(&site, "sitemap.xml")
        .all("url")
        .map(|u| u.text_of("loc"))
        .collect();
    assert!(locs.contains(&page_url), "{locs:?}");
    assert!(locs.iter().all(|l| l.starts_with(HOSTILE_BASE)), "{locs:?}");

    // robots.txt is plain text: the URL as it is.
    assert!(
        site.read_out("robots.txt")
            .contains(&format!("Sitemap: {HOSTILE_BASE}sitemap.xml"))
    );

    // search-index.js: parses back to the same strings, and no `<` at all,
    // so no `</script>` can end a script element that inlines it.
    let index_text = site.read_out("search-index.js");
    assert!(
        !index_text.contains('<'),
        "raw `<` in search-index.js: {index_text}"
    );
    let index = search_index(&index_text);
    let entry = index["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["u"] == "news/hostile/")
        .expect("the page is indexed");
    assert_eq!(entry["t"], HOSTILE_TITLE);
    assert_eq!(entry["d"], HOSTILE_DESCRIPTION);

    // The page: head metadata escaped, JSON-LD parses back to the same strings.
    let html = site.read_out("news/hostile/index.html");
    assert!(
        !html.contains("<script>alert"),
        "a live script from front matter:\n{html}"
    );
    assert_eq!(
        title(&html),
        format!("{HOSTILE_TITLE} | Site {HOSTILE_TITLE}")
    );
    assert_eq!(metas(&html, "name", "description"), [HOSTILE_DESCRIPTION]);
    assert_eq!(metas(&html, "property", "og:title"), [HOSTILE_TITLE]);
    assert_eq!(
        metas(&html, "property", "og:description"),
        [HOSTILE_DESCRIPTION]
    );
    assert_eq!(metas(&html, "name", "twitter:title"), [HOSTILE_TITLE]);
    assert_eq!(metas(&html, "property", "og:url"), [page_url.as_str()]);
    assert_eq!(canonicals(&html), [page_url.as_str()]);
    let ld = json_ld(&html, "news/hostile/index.html");
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["headline"], HOSTILE_TITLE);
    assert_eq!(ld["description"], HOSTILE_DESCRIPTION);
    assert_eq!(ld["url"], page_url.as_str());
    assert_eq!(ld["publisher"]["name"], HOSTILE_AUTHOR);
    assert_eq!(ld["datePublished"], "2026-02-11");
    assert_eq!(ld["dateModified"], "2026-03-01");

    // The same for every other page (sections, search, tags, 404).
    for (file, bytes) in output_files(&site.out()) {
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let ld = json_ld(&html, &file);
        assert_eq!(ld["publisher"]["name"], HOSTILE_AUTHOR, "{file}");
        assert_eq!(
            ld["isPartOf"]["name"],
            format!("Site {HOSTILE_TITLE}"),
            "{file}"
        );
        assert!(
            !html.contains("<script>alert"),
            "{file}: a live script:\n{html}"
        );
    }
}

// ---------------------------------------------------------------------------
// The briefing site's templates: metadata, feed link, search
// ---------------------------------------------------------------------------

#[test]
fn feed_link_and_search_follow_the_site_settings() {
    let on = site_with_real_templates(
        "title: T\nbase_url: \"https://example.org/\"\ndescription: D\nfeed: true\nsearch: true\nextra:\n  reviewed: \"2026-11-28\"\n",
        &[("content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nA.\n")],
    );
    on.build_ok(&[]);
    let a = on.read_out("a/index.html");
    assert!(
        a.contains("type=\"application/atom+xml\" href=\"../atom.xml\""),
        "{a}"
    );
    assert!(
        a.contains("<form class=\"site-search\" role=\"search\" action=\"../search/index.html\""),
        "{a}"
    );
    let search = on.read_out("search/index.html");
    let scripts: Vec<&str> = tags(&search, "script")
        .into_iter()
        .filter(|t| t.contains(" src="))
        .collect();
    assert_eq!(scripts.len(), 1, "{search}");
    let src = attr(scripts[0], "src").unwrap();
    assert!(
        hashed_names(&on.out(), "search", "js")
            .iter()
            .any(|n| src == format!("../{n}")),
        "search page loads {src}"
    );
    assert_eq!(attr(scripts[0], "data-root").as_deref(), Some("../"));
    assert!(
        !a.contains("search."),
        "only the search page loads search.js:\n{a}"
    );

    let off = site_with_real_templates(
        "title: T\nbase_url: \"https://example.org/\"\ndescription: D\nfeed: false\nsearch: false\nextra:\n  reviewed: \"2026-11-28\"\n",
        &[("content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nA.\n")],
    );
    off.build_ok(&[]);
    let out = output_files(&off.out());
    assert!(!out.contains_key("atom.xml") && !out.contains_key("search-index.js"));
    let a = off.read_out("a/index.html");
    assert!(
        !a.contains("application/atom+xml"),
        "feed link without a feed:\n{a}"
    );
    assert!(
        !a.contains("role=\"search\""),
        "search form without search:\n{a}"
    );
    // Without search, the search page still lists every page A to Z.
    let search = off.read_out("search/index.html");
    assert!(!search.contains("<script src"), "{search}");
    for t in ["Home", "A", "Search"] {
        assert!(
            search.contains(&format!(">{t}</a>")),
            "A-Z list lacks {t}:\n{search}"
        );
    }
}

/// Builds this repository's own site and checks every page's metadata.
#[test]
fn every_page_of_the_briefing_site_has_its_metadata() {
    let tmp = tempfile::Builder::new()
        .prefix("dossier-outputs-")
        .tempdir()
        .unwrap();
    let out = tmp.path().join("public");
    let root = repo();
    let (code, _, stderr) = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "the briefing site should build:\n{stderr}");
    let yaml = fs::read_to_string(root.join("site.yaml")).unwrap();
    let base = yaml
        .lines()
        .find_map(|l| l.strip_prefix("base_url:"))
        .map(|v| v.trim().trim_matches('"').to_string())
        .expect("base_url in site.yaml");

    let mut titles: BTreeMap<String, String> = BTreeMap::new();
    let mut pages = 0;
    for (file, bytes) in output_files(&out) {
        if !file.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let title = title(&html);
        assert!(!title.trim().is_empty(), "{file}: empty <title>");
        if let Some(other) = titles.insert(title.clone(), file.clone()) {
            panic!("{file} and {other} share the <title> {title:?}");
        }
        let description = metas(&html, "name", "description");
        assert!(
            description.len() == 1 && !description[0].trim().is_empty(),
            "{file}: want one non-empty meta description, got {description:?}"
        );
        for (key, name) in [
            ("property", "og:title"),
            ("property", "og:description"),
            ("property", "og:type"),
            ("property", "og:site_name"),
            ("property", "og:locale"),
            ("name", "twitter:card"),
            ("name", "twitter:title"),
            ("name", "twitter:description"),
        ] {
            let found = metas(&html, key, name);
            assert!(
                found.len() == 1 && !found[0].is_empty(),
                "{file}: want one {name}, got {found:?}"
            );
        }
        assert_eq!(metas(&html, "name", "twitter:card"), ["summary"], "{file}");
        let ld = json_ld(&html, &file);
        assert_eq!(ld["@context"], "https://schema.org", "{file}");

        // 404.html is served at any address: it has no canonical URL.
        if file == "404.html" {
            assert!(canonicals(&html).is_empty(), "404.html has a canonical URL");
            continue;
        }
        let url = format!("{base}{}", file.trim_end_matches("index.html"));
        assert_eq!(canonicals(&html), [url.as_str()], "{file}: canonical");
        assert_eq!(
            metas(&html, "property", "og:url"),
            [url.as_str()],
            "{file}: og:url"
        );
        assert_eq!(ld["url"], url.as_str(), "{file}: JSON-LD url");
        // Translations live under their language's folder (`fr/…`).
        let unprefixed = ["fr/", "de/"]
            .iter()
            .find_map(|lang| file.strip_prefix(lang))
            .unwrap_or(&file);
        let is_page = !unprefixed.starts_with("tags/")
            && unprefixed != "index.html"
            && !fs::exists(
                root.join("content")
                    .join(unprefixed.trim_end_matches("/index.html"))
                    .join("_index.md"),
            )
            .unwrap();
        let (want_type, want_og) = if is_page {
            ("Article", "article")
        } else {
            ("WebPage", "website")
        };
        assert_eq!(ld["@type"], want_type, "{file}: JSON-LD @type");
        assert_eq!(
            metas(&html, "property", "og:type"),
            [want_og],
            "{file}: og:type"
        );
        if is_page {
            assert!(
                ld["headline"].is_string() && ld["publisher"]["@type"] == "Organization",
                "{file}: {ld}"
            );
        }
    }
    assert!(pages >= 30, "only {pages} pages built");
}
