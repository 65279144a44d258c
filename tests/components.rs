//! Components in content end to end: calls from Markdown rendered with the
//! site's own Tera components, every mistake at its file:line:col in one
//! run, escaping, nesting, and links, footnotes, citations, heading ids and
//! the table of contents inside bodies.

mod common;

use common::*;

const CONTENT_COMPONENTS: &str = include_str!("../templates/components/content.html");
const LABELS: &str = include_str!("../templates/components/labels.html");

const PAGE_WITH_TOC: &str = r##"<!DOCTYPE html>
<html lang="en"><head><title>{{ page.title }}</title></head>
<body><nav class="toc">{% for h in page.toc %}<a href="#{{ h.id }}">{{ h.title }}</a>{% for c in h.children %}<a href="#{{ c.id }}">{{ c.title }}</a>{% endfor %}{% endfor %}</nav>
<div class="content">{{ page.content | safe }}</div></body></html>
"##;

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("templates/components/content.html", CONTENT_COMPONENTS)
        // The components' words are interface strings (`t()`).
        .write("i18n/en.yaml", include_str!("../i18n/en.yaml"))
        .write("templates/components/labels.html", LABELS)
        .write("templates/page.html", PAGE_WITH_TOC)
        .write(
            "data/sources.yaml",
            "eeas:\n  title: \"EU partnerships\"\n  publisher: \"EEAS\"\n  url: \"https://eeas.example/sdp\"\n  grade: official\n",
        );
    site
}

fn page(site: &TestSite, body: &str) {
    site.write(
        "content/about.md",
        &format!("---\ntitle: About\n---\n{body}"),
    );
}

#[test]
fn every_component_renders_with_its_body_in_the_same_markdown_pass() {
    let site = site();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\ndescription: \"Signed in 2024.\"\n---\nJapan text.\n\n## Areas {#areas}\n",
    );
    page(
        &site,
        "Intro.\n\
         {% callout(kind=\"since_vote\") %}\n\
         ## Inside the callout\n\
         See [Japan](@/partners/japan.md#areas) and a note.[^n]\n\
         {% keyfacts(title=\"Numbers\") %}\n\
         - Ten partners [@eeas]\n\
         {% end %}\n\
         {% end %}\n\
         \n\
         {% quotation(by=\"A minister\", role=\"Defence\") %}\n\
         “We signed.” [@eeas]\n\
         {% end %}\n\
         {% figure(caption=\"The signing\", credit=\"EEAS\", licence=\"CC BY 4.0\", licence_url=\"https://creativecommons.org/licenses/by/4.0/\") %}\n\
         ![Two people shaking hands](hands.png)\n\
         {% end %}\n\
         {% partner_card(page=\"@/partners/japan.md\") /%}\n\
         \n\
         ```\n{% callout() %}\n```\n\
         \n[^n]: The footnote.\n",
    );
    site.write_bytes("content/hands.png", &png_image(8, 6));
    site.build_ok(&[]);
    let html = site.read_out("about/index.html");
    assert!(html.contains("<div class=\"callout callout-since-vote\" role=\"note\">\n<p class=\"callout-title\"><strong>Since the vote</strong></p>"), "{html}");
    // The heading inside the body has its id, is in the TOC, and the link
    // and footnote inside it work.
    assert!(html.contains("<h2 id=\"inside-the-callout\""), "{html}");
    assert!(
        html.contains("<nav class=\"toc\"><a href=\"#inside-the-callout\">Inside the callout</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"../partners/japan/index.html#areas\">Japan</a>"),
        "{html}"
    );
    assert!(
        html.contains("<li id=\"fn-1\">\n<p>The footnote.</p>"),
        "{html}"
    );
    // Nested: the key facts box sits inside the callout, closed before it.
    let callout = html.find("callout-since-vote").unwrap();
    let keyfacts = html
        .find("<aside class=\"callout keyfacts\" aria-label=\"Numbers\">")
        .unwrap();
    let keyfacts_end = html[keyfacts..].find("</aside>").unwrap() + keyfacts;
    let callout_end = html[callout..].find("</div>").unwrap() + callout;
    assert!(callout < keyfacts && keyfacts_end < callout_end, "{html}");
    // Citations inside bodies are numbered and linked like any other.
    assert!(html.contains("class=\"citation\""), "{html}");
    assert!(
        html.contains("<figcaption>— A minister, Defence</figcaption>"),
        "{html}"
    );
    assert!(
        html.contains("width=\"8\" height=\"6\" alt=\"Two people shaking hands\""),
        "{html}"
    );
    assert!(
        html.contains(
            "Credit: EEAS, <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>."
        ),
        "{html}"
    );
    assert!(html.contains("<aside class=\"callout partner-card\" aria-label=\"Partner: Japan\">\n<p class=\"callout-title\"><a href=\"../partners/japan/index.html\">Japan</a></p>\n<p>Signed in 2024.</p>"), "{html}");
    // Inside a code fence a component line is text.
    assert!(html.contains("<code>{% callout() %}\n</code>"), "{html}");
    assert!(!html.contains('\0'), "a placeholder leaked: {html:?}");
}

#[test]
fn arguments_are_escaped_and_cannot_break_out() {
    let site = site();
    page(
        &site,
        "{% callout(kind=\"note\", title=\"<script>alert(1)</script> & \\\"x\\\"\") %}\nBody.\n{% end %}\n\
         {% figure(caption=\"a\", credit=\"b\\\"><img src=x onerror=alert(1)>\", licence=\"c\") %}\n![alt](p.png)\n{% end %}\n",
    );
    site.write_bytes("content/p.png", &png_image(8, 6));
    site.build_ok(&[]);
    let html = site.read_out("about/index.html");
    assert!(
        html.contains(
            "<strong>&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; &quot;x&quot;</strong>"
        ) || html
            .contains("<strong>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</strong>"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
}

#[test]
fn every_mistake_is_reported_at_its_place_in_one_run() {
    let site = site();
    page(
        &site,
        "{% calout(kind=\"note\") %}\nA.\n{% end %}\n\
         {% callout(knd=\"note\") %}\nB.\n{% end %}\n\
         {% figure(caption=\"x\") %}\n![a](b.png)\n{% end %}\n\
         {% keyfacts(title=3) %}\nC.\n{% end %}\n\
         {% end %}\n\
         {% callout(kind=\"note\") /%}\n\
         {% partner_card(page=\"@/partners/japn.md\") /%}\n\
         {% callout(kind=note) %}\n\
         {% keyfacts() %}\nnever closed\n",
    );
    let out = site.build(&[]);
    out.assert_code(1);
    let err = out.stderr.clone();
    assert_no_panic(&err);
    // The page's body starts on line 4 (three front matter lines).
    assert!(
        err.contains("error[E-COMPONENT-UNKNOWN]: there is no component `calout`"),
        "{err}"
    );
    assert!(err.contains("did you mean `callout`?"), "{err}");
    assert_mentions_at(&err, "content/about.md", 4, 1);
    assert!(
        err.contains("error[E-COMPONENT-ARGUMENT]: `callout` has no argument `knd`"),
        "{err}"
    );
    assert!(err.contains("did you mean `kind`? The component is callout(kind: string = \"note\", title: string = \"\")"), "{err}");
    assert_mentions_at(&err, "content/about.md", 7, 12);
    assert!(
        err.contains("`figure` needs arguments: `credit`, `licence`"),
        "{err}"
    );
    assert_mentions_at(&err, "content/about.md", 10, 1);
    assert!(
        err.contains(
            "error[E-COMPONENT-TYPE]: `title` of `keyfacts` must be a string, not an integer"
        ),
        "{err}"
    );
    assert_mentions_at(&err, "content/about.md", 13, 13);
    assert!(err.contains("error[E-COMPONENT-END]"), "{err}");
    assert_mentions_at(&err, "content/about.md", 16, 1);
    assert!(
        err.contains("error[E-COMPONENT-BODY]: `callout` takes a Markdown body"),
        "{err}"
    );
    assert_mentions_at(&err, "content/about.md", 17, 1);
    assert!(
        err.contains("`page` names `@/partners/japn.md`, which is not a content file"),
        "{err}"
    );
    assert!(err.contains("did you mean `@/partners/japan.md`?"), "{err}");
    assert_mentions_at(&err, "content/about.md", 18, 17);
    assert!(err.contains("error[E-COMPONENT-SYNTAX]"), "{err}");
    assert_mentions_at(&err, "content/about.md", 19, 17);
    assert!(
        err.contains("error[E-COMPONENT-UNCLOSED]: the body of `keyfacts` is never closed"),
        "{err}"
    );
    assert_mentions_at(&err, "content/about.md", 20, 1);
}

#[test]
fn a_component_that_fails_in_its_template_names_the_call() {
    let site = site();
    page(&site, "{% callout(kind=\"danger\") %}\nA.\n{% end %}\n");
    let out = site.build(&[]);
    out.assert_code(1);
    let err = out.stderr.clone();
    assert!(err.contains("error[E-COMPONENT-RENDER]"), "{err}");
    assert!(
        err.contains("`kind` must be note, warning or since_vote, not `danger`"),
        "{err}"
    );
    assert_mentions_at(&err, "content/about.md", 4, 1);
}

#[test]
fn site_addresses_and_same_page_ids_that_lead_nowhere_are_errors() {
    let site = site();
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\n---\n## Areas {#areas}\n",
    );
    page(
        &site,
        "## Here {#here}\n\
         [ok](/partners/japan/) [ok too](/partners/japan/#areas) [self](#here) [file](/style.css)\n\
         [typo](/partners/japn/)\n\
         [no id](/partners/japan/#area)\n\
         [no id here](#her)\n\
         [tags](/tags/nato-partners/) [home](/)\n",
    );
    let out = site.build(&[]);
    out.assert_code(1);
    let err = out.stderr.clone();
    assert_no_panic(&err);
    let broken = error_headers(&err)
        .into_iter()
        .filter(|(c, _)| c == "E-LINK-BROKEN")
        .count();
    assert_eq!(broken, 3, "{err}");
    assert!(
        err.contains("the link `/partners/japn/` leads to no page of the site"),
        "{err}"
    );
    assert!(err.contains("did you mean `/partners/japan/`?"), "{err}");
    assert_mentions_at(&err, "content/about.md", 6, 1);
    assert!(
        err.contains("/partners/japan/ has no heading or element with the id `area`"),
        "{err}"
    );
    assert!(err.contains("did you mean `#areas`?"), "{err}");
    assert_mentions_at(&err, "content/about.md", 7, 1);
    assert!(
        err.contains("this page has no heading or element with the id `her`"),
        "{err}"
    );
    assert!(err.contains("did you mean `#here`?"), "{err}");
    assert_mentions_at(&err, "content/about.md", 8, 1);
}

#[test]
fn an_unclosed_fence_is_a_warning_at_its_opening_line() {
    let site = site();
    page(
        &site,
        "Text.\n\n```rust\nlet x = 1;\n\n## Swallowed heading\n",
    );
    let out = site.check(&[]);
    let err = out.stderr.clone();
    assert!(err.contains("warning[W-FENCE-UNCLOSED]"), "{err}");
    assert_mentions_at(&err, "content/about.md", 6, 1);
    // A closed fence, even the last thing in the file, is not flagged.
    page(&site, "Text.\n\n~~~~\ncode\n~~~~~\n");
    let err = site.check(&[]).stderr;
    assert!(!err.contains("W-FENCE-UNCLOSED"), "{err}");
}

#[test]
fn sections_can_require_every_image_to_be_credited_in_a_figure() {
    let site = site();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}check:\n  image_credits_required: [partners]\n"),
    );
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\n---\n![Tokyo](tokyo.png)\n\n\
         {% figure(caption=\"Kyoto\", credit=\"A. Photographer\", licence=\"CC BY 4.0\") %}\n![Kyoto](kyoto.png)\n{% end %}\n\n\
         {% figure(caption=\"Osaka\", credit=\" \", licence=\"CC BY 4.0\") %}\n![Osaka](osaka.png)\n{% end %}\n",
    );
    // Outside the configured sections nothing is required.
    page(&site, "![Logo](logo.png)\n");
    for image in [
        "content/logo.png",
        "content/partners/tokyo.png",
        "content/partners/kyoto.png",
        "content/partners/osaka.png",
    ] {
        site.write_bytes(image, &png_image(8, 6));
    }
    let out = site.check(&[]);
    out.assert_code(1);
    let err = out.stderr.clone();
    let credits: Vec<_> = error_headers(&err)
        .into_iter()
        .filter(|(c, _)| c == "E-IMAGE-CREDIT")
        .collect();
    assert_eq!(credits.len(), 2, "{err}");
    assert_mentions_at(&err, "content/partners/japan.md", 4, 1);
    assert_mentions_at(&err, "content/partners/japan.md", 11, 1);
    assert!(!mentions_file(&err, "content/about.md"), "{err}");
}

#[test]
fn the_same_call_on_many_pages_renders_each_in_its_own_body_and_each_failure_is_reported() {
    let site = site();
    // Each distinct call is rendered once per build: the same call on two
    // pages must still frame each page's own body.
    for (name, text) in [("a", "First body."), ("b", "Second body.")] {
        site.write(
            &format!("content/{name}.md"),
            &format!(
                "---\ntitle: {name}\n---\n{{% callout(kind=\"note\") %}}\n{text}\n{{% end %}}\n"
            ),
        );
    }
    site.build_ok(&[]);
    for (name, text, other) in [
        ("a", "First body.", "Second body."),
        ("b", "Second body.", "First body."),
    ] {
        let html = site.read_out(&format!("{name}/index.html"));
        assert!(
            html.contains("callout-note") && html.contains(text) && !html.contains(other),
            "{name}: {html}"
        );
    }
    // A call that fails is not remembered: the same mistake on two pages is
    // reported at each.
    for name in ["a", "b"] {
        site.write(
            &format!("content/{name}.md"),
            &format!("---\ntitle: {name}\n---\n{{% callout(kind=\"danger\") %}}\nx\n{{% end %}}\n"),
        );
    }
    let out = site.build(&[]);
    out.assert_code(1);
    assert_mentions_at(&out.stderr, "content/a.md", 4, 1);
    assert_mentions_at(&out.stderr, "content/b.md", 4, 1);
}
