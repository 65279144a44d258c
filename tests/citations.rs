//! Citations end to end: the source register, `[@id]` in the text, the
//! generated reference lists, cited front matter fields, the sourcing lints,
//! page histories with the changes feed, and the open data exports.

mod common;

use serde_json::Value;

use common::*;

const REGISTER: &str = "\
eeas-sdp:
  title: \"EU Security and Defence Partnerships\"
  publisher: \"European External Action Service\"
  url: \"https://www.eeas.europa.eu/sdp\"
  date: 2025-06-01
  grade: official
press-moldova:
  title: \"Moldova signs <first> partnership\"
  publisher: \"News & Co\"
  url: \"https://news.example/moldova\"
  grade: press
blog:
  title: \"A blog post\"
  publisher: \"Someone\"
  url: \"http://blog.example/post\"
  grade: weak
";

const SITE: &str = "\
title: \"Test site\"
base_url: \"https://example.org/sub/\"
check:
  sourced_sections: [partners]
  reliable_sections: [partners]
open_data: { sections: [partners], timeline: true }
sections:
  partners:
    fields:
      status: { type: enum, values: [concluded, negotiating], required: true }
      signed: { type: date, cite: true }
";

const PARTNER_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>{{ page.title }}</title></head><body>
<div class="content">{{ page.content | safe }}</div>
<p class="signed">{{ page.fields.signed | default(value="") }}{% for s in page.field_sources.signed | default(value=[]) %} <a class="fact-source" href="{{ s.url }}">{{ s.publisher }}</a>{% endfor %}</p>
<ol class="refs">{% for r in page.references %}<li>{{ r.number }} {{ r.id }} {{ r.grade }}</li>{% endfor %}</ol>
<ul class="changes">{% for c in page.changes %}<li>{{ c.date }}: {{ c.note }}</li>{% endfor %}</ul>
<p class="updated">{{ page.updated }}</p>
</body></html>
"#;

const SECTION_TABLE_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>{{ section.title }}</title></head><body>
<div class="content">{{ section.content | safe }}</div>
<table>{% for p in section.pages %}<tr><td>{{ p.title }}</td><td>{{ p.fields.signed | default(value="") }}</td><td>{% for s in p.field_sources.signed | default(value=[]) %}<a href="{{ s.url }}">{{ s.id }}</a>{% endfor %}</td></tr>{% endfor %}</table>
<ul class="site-changes">{% for c in site.changes %}<li>{{ c.date }} {{ c.title }}: {{ c.note }}</li>{% endfor %}</ul>
</body></html>
"#;

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", SITE)
        .write("data/sources.yaml", REGISTER)
        .write("templates/page.html", PARTNER_HTML)
        .write("templates/section.html", SECTION_TABLE_HTML)
        .write(
            "content/partners/_index.md",
            "---\ntitle: Partners\nchanges:\n  - {date: 2026-03-01, note: \"Added <Iceland>\"}\n---\nSee [Moldova](moldova.md) and [Norway](norway.md).\n",
        )
        .write(
            "content/partners/moldova.md",
            "---\ntitle: Moldova\nstatus: concluded\nsigned: 2024-05-21\nsigned_source: press-moldova\nchanges:\n  - {date: 2026-02-12, note: First version}\n  - {date: 2026-03-05, note: Corrected the date}\nupdated: 2026-01-01\n---\nMoldova signed first [@press-moldova, p. 2].\n\nThe EEAS counts eight partners [@eeas-sdp; @press-moldova].\n\n- One item [@eeas-sdp]\n  - nested, covered by its parent\n",
        )
        .write(
            "content/partners/norway.md",
            "---\ntitle: Norway\nstatus: negotiating\n---\nNorway is negotiating [@eeas-sdp].\n",
        )
        .remove("content/partners/japan.md")
        .remove("content/partners/canada.md")
        .write(
            "content/about.md",
            "---\ntitle: About\nevents:\n  - {date: 2025-03-19, title: \"White Paper, \\\"Readiness 2030\\\"\", source: eeas-sdp}\n---\nAbout. [@blog] See [the partners](@/partners/_index.md).\n",
        );
    site
}

fn findings(o: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_str(o.stdout.trim())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", o.stdout, o.stderr));
    v["findings"].as_array().cloned().unwrap_or_default()
}

fn codes(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            format!(
                "{} {}:{}",
                i["code"].as_str().unwrap_or(""),
                i["file"].as_str().unwrap_or(""),
                i["line"]
            )
        })
        .collect()
}

#[test]
fn citations_render_as_numbered_links_to_a_generated_reference_list() {
    let site = site();
    site.build_ok(&[]);
    let html = site.read_out("partners/moldova/index.html");
    // Source 1 is the first cited (press-moldova), then eeas-sdp.
    assert!(html.contains("<sup class=\"citation\">[<a href=\"#cite-1\" id=\"cite-ref-1\"><span class=\"visually-hidden\">source </span>1</a>, p. 2]</sup>"), "{html}");
    assert!(
        html.contains("<a href=\"#cite-2\" id=\"cite-ref-2\">"),
        "{html}"
    );
    assert!(
        html.contains("id=\"cite-ref-1-2\""),
        "second use of source 1: {html}"
    );
    let list = &html[html
        .find("<section class=\"references\"")
        .expect("a reference list")..];
    let first = list.find("id=\"cite-1\"").unwrap();
    let second = list.find("id=\"cite-2\"").unwrap();
    assert!(first < second);
    assert!(
        list.contains("Moldova signs &lt;first&gt; partnership</a>, News &amp; Co"),
        "{list}"
    );
    assert!(
        list.contains("href=\"#cite-ref-1-2\""),
        "a back-link to each use: {list}"
    );
    assert!(list.contains("Cited at p. 2"));
    assert!(list.contains("(official source)"));
    assert!(
        html.contains("<li>1 press-moldova press</li><li>2 eeas-sdp official</li>"),
        "page.references: {html}"
    );
    // The cited field shows its source, on the page and in the section's table.
    assert!(html.contains("2024-05-21 <a class=\"fact-source\" href=\"https://news.example/moldova\">News &amp; Co</a>"), "{html}");
    let section = site.read_out("partners/index.html");
    assert!(
        section.contains(
            "<td>2024-05-21</td><td><a href=\"https://news.example/moldova\">press-moldova</a></td>"
        ),
        "{section}"
    );
    // A page citing nothing has no list.
    assert!(
        !site
            .read_out("partners/index.html")
            .contains("class=\"references\"")
    );
}

#[test]
fn unknown_ids_are_errors_at_their_line_and_column_with_a_suggestion() {
    let site = site();
    site.write(
        "content/partners/norway.md",
        "---\ntitle: Norway\nstatus: concluded\nsigned: 2024-05-28\nsigned_source: eeas-spd\n---\nText [@eeas-sdp] and\n[@eeas-sdp; @press-moldva].\n\nBad [@eeas-sdp; x].\n",
    );
    let o = site.build(&["--format", "json"]);
    o.assert_code(1);
    let items = findings(&o);
    let unknown: Vec<&Value> = items
        .iter()
        .filter(|i| i["code"] == "E-CITATION-UNKNOWN")
        .collect();
    assert_eq!(unknown.len(), 2, "{:?}", codes(&items));
    let text = unknown
        .iter()
        .find(|i| i["line"] == 8)
        .expect("the text citation");
    assert_eq!(text["column"], 14);
    assert!(text["hint"].as_str().unwrap().contains("`press-moldova`"));
    let field = unknown
        .iter()
        .find(|i| i["line"] == 5)
        .expect("the field citation");
    assert!(field["hint"].as_str().unwrap().contains("`eeas-sdp`"));
    let syntax = items
        .iter()
        .find(|i| i["code"] == "E-CITATION-SYNTAX")
        .expect("a syntax error");
    assert_eq!(
        (syntax["line"].as_u64(), syntax["column"].as_u64()),
        (Some(10), Some(17))
    );
    assert!(
        !site.out().join("index.html").exists(),
        "nothing was published"
    );
}

#[test]
fn a_cited_field_without_its_source_is_an_error() {
    let site = site();
    site.write(
        "content/partners/norway.md",
        "---\ntitle: Norway\nstatus: concluded\nsigned: 2024-05-28\n---\nText [@eeas-sdp].\n",
    );
    let o = site.build(&["--format", "json"]);
    o.assert_code(1);
    let items = findings(&o);
    let d = items
        .iter()
        .find(|i| i["code"] == "E-CITATION-REQUIRED")
        .expect("E-CITATION-REQUIRED");
    assert_eq!(d["line"], 4);
    assert!(d["hint"].as_str().unwrap().contains("signed_source"));
}

#[test]
fn register_mistakes_are_reported_at_their_line() {
    let site = site();
    site.write(
        "data/sources.yaml",
        "a:\n  title: T\n  publisher: P\n  url: https://x.org/\n  grade: oficial\nb:\n  titel: T\n",
    );
    let o = site.build(&["--format", "json"]);
    o.assert_code(1);
    let items = findings(&o);
    assert_eq!(
        codes(&items),
        [
            "E-REGISTER data/sources.yaml:5",
            "E-REGISTER data/sources.yaml:7"
        ]
    );
    assert!(
        items[0]["hint"]
            .as_str()
            .unwrap()
            .contains("did you mean `official`")
    );
    assert!(
        items[1]["hint"]
            .as_str()
            .unwrap()
            .contains("did you mean `title`")
    );
}

#[test]
fn the_sourcing_lints_fire_where_they_should_and_only_there() {
    let site = site();
    site.write("data/sources.yaml", &format!("{REGISTER}unused:\n  title: U\n  publisher: P\n  url: https://u.example/\n  grade: press\n"));
    site.write(
        "content/partners/norway.md",
        "---\ntitle: Norway\nstatus: negotiating\nsources: [blog]\n---\nNorway is negotiating [@eeas-sdp].\n\nAn unsourced claim.\n\n- an unsourced item\n\n> A quotation with no source.\n\n> “Quoted” [@eeas-sdp]\n\nSee [Moldova](moldova.md).\n",
    );
    let o = site.check(&["--format", "json"]);
    let items = findings(&o);
    let mut got = codes(&items);
    got.sort();
    assert_eq!(
        got,
        [
            "E-SOURCE-UNRELIABLE content/partners/norway.md:4",
            "W-QUOTE-UNSOURCED content/partners/norway.md:12",
            "W-SOURCE-HTTP data/sources.yaml:12",
            "W-SOURCE-UNUSED data/sources.yaml:17",
            "W-UNSOURCED content/partners/norway.md:10",
            "W-UNSOURCED content/partners/norway.md:8",
        ],
        "about.md cites the weak source outside the reliable section and is not in a sourced section"
    );
    o.assert_code(1);
    // Levels come from `lints:`.
    site.write(
        "site.yaml",
        &format!(
            "{SITE}lints:\n  W-UNSOURCED: error\n  E-SOURCE-UNRELIABLE: off\n  W-SOURCE-HTTP: off\n"
        ),
    );
    let items = findings(&site.check(&["--format", "json"]));
    let unsourced: Vec<&Value> = items
        .iter()
        .filter(|i| i["code"] == "W-UNSOURCED")
        .collect();
    assert_eq!(unsourced.len(), 2);
    assert!(unsourced.iter().all(|i| i["severity"] == "error"));
    assert!(
        !items
            .iter()
            .any(|i| i["code"] == "E-SOURCE-UNRELIABLE" || i["code"] == "W-SOURCE-HTTP")
    );
}

#[test]
fn page_histories_feed_updated_the_sitemap_and_the_changes_feed() {
    let site = site();
    site.build_ok(&[]);
    let page = site.read_out("partners/moldova/index.html");
    assert!(
        page.contains("<li>2026-02-12: First version</li><li>2026-03-05: Corrected the date</li>")
    );
    assert!(
        page.contains("<p class=\"updated\">2026-03-05</p>"),
        "the last change is the update date: {page}"
    );
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://example.org/sub/partners/moldova/</loc><lastmod>2026-03-05</lastmod>"
        ),
        "{sitemap}"
    );
    let section = site.read_out("partners/index.html");
    let order: Vec<usize> = [
        "2026-03-05 Moldova",
        "2026-03-01 Partners",
        "2026-02-12 Moldova",
    ]
    .iter()
    .map(|s| {
        section
            .find(s)
            .unwrap_or_else(|| panic!("{s} in {section}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {section}"
    );
    let feed = site.read_out("changes.xml");
    assert!(feed.contains("<updated>2026-03-05T00:00:00Z</updated>"));
    assert!(
        feed.contains("<title>Partners: Added &lt;Iceland&gt;</title>"),
        "escaped: {feed}"
    );
    assert!(
        feed.contains("<id>https://example.org/sub/partners/moldova/#change-2026-03-05-1</id>")
    );
    assert_eq!(feed.matches("<entry>").count(), 3);
}

#[test]
fn the_csv_and_json_exports_round_trip_to_the_facts_of_the_table() {
    let site = site();
    site.build_ok(&[]);
    let csv_text = site.read_out("data/partners.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "title",
            "url",
            "status",
            "signed",
            "signed_sources",
            "signed_source_urls"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec![
                "Moldova",
                "https://example.org/sub/partners/moldova/",
                "concluded",
                "2024-05-21",
                "press-moldova",
                "https://news.example/moldova"
            ],
            vec![
                "Norway",
                "https://example.org/sub/partners/norway/",
                "negotiating",
                "",
                "",
                ""
            ],
        ]
    );
    let json: Value = serde_json::from_str(&site.read_out("data/partners.json")).unwrap();
    let from_json: Vec<Vec<String>> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let ids: Vec<String> = r["field_sources"]["signed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            let urls: Vec<String> = ids
                .iter()
                .map(|id| json["sources"][id]["url"].as_str().unwrap().to_string())
                .collect();
            vec![
                r["title"].as_str().unwrap().to_string(),
                r["url"].as_str().unwrap().to_string(),
                r["fields"]["status"].as_str().unwrap().to_string(),
                r["fields"]["signed"].as_str().unwrap_or("").to_string(),
                ids.join("; "),
                urls.join(" "),
            ]
        })
        .collect();
    assert_eq!(from_json, rows, "the JSON holds the same facts as the CSV");
    // The same facts as the table the section page shows.
    let section = site.read_out("partners/index.html");
    for row in &rows {
        assert!(
            section.contains(&format!("<td>{}</td><td>{}</td>", row[0], row[3])),
            "{section}"
        );
    }
    let timeline = site.read_out("data/timeline.csv");
    let mut reader = csv::Reader::from_reader(timeline.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0][..3],
        ["2024-05-21".to_string(), "Moldova".into(), "signed".into()]
    );
    assert_eq!(
        rows[1][1], "White Paper, \"Readiness 2030\"",
        "quotes and commas survive CSV"
    );
    assert_eq!(rows[1][4], "eeas-sdp");
    let json: Value = serde_json::from_str(&site.read_out("data/timeline.json")).unwrap();
    assert_eq!(json["rows"][1]["title"], rows[1][1].as_str());
}

#[test]
fn the_preview_serves_the_open_data_and_reports_the_register_lints() {
    use dossier::serve::dev::{Changes, DevSite};
    let site = site();
    site.write("data/sources.yaml", &format!("{REGISTER}unused:\n  title: U\n  publisher: P\n  url: https://u.example/\n  grade: press\n"));
    let checked: Vec<String> = codes(&findings(&site.check(&["--format", "json"])))
        .into_iter()
        .filter(|c| c.contains("data/sources.yaml"))
        .collect();
    assert_eq!(
        checked,
        [
            "W-SOURCE-HTTP data/sources.yaml:12",
            "W-SOURCE-UNUSED data/sources.yaml:17"
        ]
    );

    let mut dev = DevSite::new(site.root(), false, None);
    let first = dev.rebuild(&Changes::everything()).expect("first build");
    let mut previewed: Vec<String> = first
        .warnings
        .iter()
        .filter(|d| d.file.ends_with("sources.yaml"))
        .map(|d| {
            format!(
                "{} data/sources.yaml:{}",
                d.code,
                d.location.map_or(0, |l| l.line)
            )
        })
        .collect();
    previewed.sort();
    assert_eq!(
        previewed, checked,
        "the preview and check agree on the register"
    );

    let served = |dev: &DevSite, file: &str| {
        dev.files()
            .get(file)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("{file} is not served"))
    };
    for file in [
        "data/partners.csv",
        "data/partners.json",
        "data/timeline.csv",
        "data/timeline.json",
    ] {
        served(&dev, file);
    }
    assert!(served(&dev, "data/partners.csv").contains("2024-05-21"));

    // A front matter edit changes the table's facts: the exports follow,
    // and a body edit (the fast path) keeps them.
    site.write(
        "content/partners/moldova.md",
        "---\ntitle: Moldova\nstatus: concluded\nsigned: 2024-05-22\nsigned_source: press-moldova\n---\nMoldova signed first [@press-moldova].\n",
    );
    let changes = Changes {
        content: ["partners/moldova.md".to_string()].into_iter().collect(),
        ..Changes::default()
    };
    dev.rebuild(&changes).expect("front matter edit");
    let csv = served(&dev, "data/partners.csv");
    assert!(
        csv.contains("2024-05-22") && !csv.contains("2024-05-21"),
        "{csv}"
    );
    site.write(
        "content/partners/moldova.md",
        "---\ntitle: Moldova\nstatus: concluded\nsigned: 2024-05-22\nsigned_source: press-moldova\n---\nMoldova signed first, edited [@press-moldova].\n",
    );
    let edit = dev.rebuild(&changes).expect("body edit");
    assert!(edit.fast_path);
    assert!(served(&dev, "data/timeline.json").contains("2024-05-22"));
}
