//! Values from front matter reach HTML escaped; Markdown raw HTML does not.

mod common;

use common::*;

const XSS_TITLE: &str = r#"<script>alert(1)</script> "quotes" &amp; 'apos'"#;
const XSS_DESCRIPTION: &str = r#"<script>alert(2)</script> "described" &amp; 'single'"#;
/// Without a `/`: a tag with one is refused (see the last test).
const XSS_TAG: &str = r#"<img src=x onerror=alert(3)> "tq" &amp; 'ta'"#;
const XSS_STATUS: &str = r#"<script>alert(4)</script> "status" &amp; 'state'"#;

/// A YAML double-quoted scalar holding `s`.
fn yaml_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

const PAGE: &str = r#"<!DOCTYPE html>
<html>
<head>
<title>{{ page.title }}</title>
<meta name="description" content="{{ page.description }}">
<meta property="og:title" content='{{ page.title }}'>
<script type="application/ld+json">{"headline": {{ page.title | json }}, "status": {{ page.fields.status | json }}}</script>
</head>
<body>
<h1 class="page-title">{{ page.title }}</h1>
<p class="status" data-status="{{ page.fields.status }}">{{ page.fields.status }}</p>
<ul class="page-tags">{% for t in page.tags %}<li><a href="/tags/{{ t | slugify }}/" title="{{ t }}">{{ t }}</a></li>{% endfor %}</ul>
<div class="content">{{ page.content | safe }}</div>
</body>
</html>
"#;

fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}sections:\n  partners:\n    fields:\n      status: {{ type: string }}\n"),
    )
    .write("templates/xss.html", PAGE)
    .write(
        "content/partners/xss.md",
        &format!(
            "---\ntitle: {}\ndescription: {}\ntags: [{}]\nstatus: {}\nweight: 3\ntemplate: xss.html\n---\n\
             Text with a < b & c, `<script>alert(5)</script>` as code, and a \
             [link](@/about.md \"tip \\\"quoted\\\" <b>\").\n",
            yaml_quoted(XSS_TITLE),
            yaml_quoted(XSS_DESCRIPTION),
            yaml_quoted(XSS_TAG),
            yaml_quoted(XSS_STATUS),
        ),
    )
    // Raw HTML in a Markdown body is passed through as written: that is
    // CommonMark behaviour (the body is the editor's own HTML, trusted like
    // the templates), unlike values from front matter, which are data.
    .write(
        "content/raw.md",
        "---\ntitle: Raw\n---\nBefore.\n\n<div class=\"raw-block\"><script>alert(\"body\")</script></div>\n\nInline <kbd>Ctrl</kbd> too.\n",
    );
    site
}

#[test]
fn front_matter_values_are_escaped_everywhere() {
    let site = site();
    site.build_ok(&[]);
    let out = snapshot(&site.out());
    // No output file other than the raw-HTML page contains a live script
    // from the hostile values, in text or in an attribute.
    for (file, bytes) in &out {
        if file.starts_with("raw/") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for n in 1..=5 {
            assert!(
                !text.contains(&format!("<script>alert({n})")),
                "{file} contains a raw <script>alert({n}):\n{text}"
            );
        }
        assert!(
            !text.contains("</script> "),
            "{file}: a closing script tag from a value:\n{text}"
        );
        assert!(
            !text.contains("<img src=x"),
            "{file}: a raw <img> from the tag:\n{text}"
        );
    }

    let html = site.read_out("partners/xss/index.html");
    // In text.
    assert!(
        html.contains("<h1 class=\"page-title\">&lt;script&gt;alert(1)&lt;"),
        "title escaped in the h1:\n{html}"
    );
    assert!(html.contains("<title>&lt;script&gt;alert(1)"), "{html}");
    assert!(
        html.contains("&quot;quotes&quot;"),
        "double quotes escaped:\n{html}"
    );
    assert!(
        html.contains("&amp;amp;"),
        "a literal `&amp;` is escaped once more, not decoded:\n{html}"
    );
    // In double-quoted attributes.
    let description = attribute(&html, "<meta name=\"description\" content=\"");
    assert!(
        description.starts_with("&lt;script&gt;alert(2)&lt;"),
        "{description}"
    );
    assert!(
        description.contains("&quot;described&quot;"),
        "{description}"
    );
    assert!(description.contains("&amp;amp;"), "{description}");
    let status = attribute(&html, "data-status=\"");
    assert!(
        status.starts_with("&lt;script&gt;alert(4)&lt;"),
        "schema field escaped: {status}"
    );
    assert!(
        html.contains(">&lt;script&gt;alert(4)&lt;"),
        "schema field escaped in text:\n{html}"
    );
    // In a single-quoted attribute, `'` must be escaped too, or the value
    // ends early and the rest of the title becomes markup.
    let og_start = html
        .find("<meta property=\"og:title\" content='")
        .expect("og:title")
        + 35;
    let og_end = og_start + html[og_start..].find('>').expect("tag end");
    let og = &html[og_start..og_end];
    assert!(
        og.ends_with('\'') && !og[..og.len() - 1].contains('\''),
        "a `'` in the title is not escaped, breaking out of a single-quoted attribute: content='{og}"
    );
    assert!(
        html.contains("&#39;apos&#39;")
            || html.contains("&#x27;apos&#x27;")
            || html.contains("&apos;apos&apos;"),
        "`'` escaped in text:\n{html}"
    );
    // The tag, in text and attributes.
    assert!(
        html.contains("title=\"&lt;img src=x onerror=alert(3)&gt; &quot;tq&quot; &amp;amp;"),
        "{html}"
    );
    assert!(
        html.contains(">&lt;img src=x onerror=alert(3)&gt;"),
        "{html}"
    );
    // JSON inside <script>: no `<` at all, so no `</script>` can end it early.
    let ld_start = html
        .find("<script type=\"application/ld+json\">")
        .expect("ld+json")
        + 35;
    let ld =
        &html[ld_start..ld_start + html[ld_start..].find("</script>").expect("end of ld+json")];
    assert!(!ld.contains('<'), "json filter output contains `<`: {ld}");
    assert!(ld.contains("alert(1)") && ld.contains("alert(4)"), "{ld}");
    // The Markdown body: text and code are escaped by the Markdown renderer.
    let content = element(&html, "div", "class=\"content\"");
    assert!(content.contains("a &lt; b &amp; c"), "{content}");
    assert!(
        content.contains("<code>&lt;script&gt;alert(5)&lt;/script&gt;</code>"),
        "{content}"
    );
    assert!(
        content.contains("title=\"tip &quot;quoted&quot; &lt;b&gt;\""),
        "link title escaped: {content}"
    );

    // Lists and tag pages print the same values: escaped there too.
    let section = site.read_out("partners/index.html");
    assert!(section.contains(">&lt;script&gt;alert(1)&lt;"), "{section}");
    let tags = site.read_out("tags/index.html");
    assert!(
        tags.contains(">&lt;img src=x onerror=alert(3)&gt;"),
        "{tags}"
    );
    let tag_page = out
        .keys()
        .find(|k| k.starts_with("tags/") && k.contains("alert") && k.ends_with("index.html"))
        .expect("a page for the hostile tag, under a slug");
    assert!(
        tag_page
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-/._".contains(c)),
        "the tag's URL is a plain slug: {tag_page}"
    );
}

#[test]
fn markdown_raw_html_is_passed_through() {
    let site = site();
    site.build_ok(&[]);
    let raw = site.read_out("raw/index.html");
    let content = &raw[raw.find("<div class=\"content\">").expect("content")..];
    assert!(
        content.contains("<div class=\"raw-block\"><script>alert(\"body\")</script></div>"),
        "raw HTML blocks are kept as written (CommonMark): {content}"
    );
    assert!(
        content.contains("<kbd>Ctrl</kbd>"),
        "inline HTML too: {content}"
    );
}

/// The value of the attribute that starts right after `prefix`.
fn attribute<'a>(html: &'a str, prefix: &str) -> &'a str {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no `{prefix}` in:\n{html}"))
        + prefix.len();
    &html[start..start + html[start..].find('"').expect("closing quote")]
}

/// A tag is a name, like a title: `<script>alert(1)</script>` (or an
/// ordinary `Research/Innovation`) should become a tag page under a plain
/// slug with the name shown escaped, as titles are.
#[test]
fn a_tag_holding_a_script_tag_is_escaped() {
    let site = TestSite::new();
    site.write(
        "content/tagged.md",
        "---\ntitle: Tagged\ntags: [\"<script>alert(1)</script>\"]\n---\nx\n",
    );
    site.build_ok(&[]);
    let tags = site.read_out("tags/index.html");
    assert!(
        tags.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{tags}"
    );
    assert!(!tags.contains("<script>alert(1)"), "{tags}");
}
