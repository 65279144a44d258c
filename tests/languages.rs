//! A site in three languages: URLs, translations inherited from their
//! originals, the switcher, alternates, per-language feeds, sitemaps and
//! search indexes, fallback, interface strings, and each mistake's
//! diagnostic at its file and line.

mod common;

use common::*;

const SITE: &str = "title: \"Briefing\"\nbase_url: \"https://example.org/sub/\"\n\
feed: true\nsearch: true\n\
languages:\n  en: {}\n  fr: { title: \"Dossier\", description: \"Un dossier.\" }\n  de: {}\n\
sections:\n  partners:\n    fields:\n      country_code: { type: string, required: true, translatable: false }\n      status: { type: enum, values: [concluded, proposed], required: true }\n      areas: { type: list }\n";

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}">
<head><title>{{ page.title }} | {{ config.title }}</title>
{%- for tr in page.translations %}{% if not tr.missing %}
<link rel="alternate" hreflang="{{ tr.lang }}" href="{{ tr.path }}">{% endif %}{% endfor %}
</head>
<body>
<nav class="switcher">{% for tr in page.translations %}<a class="to-{{ tr.lang }}" hreflang="{{ tr.hreflang }}" lang="{{ tr.lang }}" href="{{ tr.path }}">{{ tr.name }}{% if tr.missing %} ({{ t(key="in_original") }}){% endif %}</a>{% endfor %}</nav>
<p class="label">{{ t(key="nav.home") }}</p>
<p class="date">{{ page.date | date }}</p>
<p class="code">{{ page.fields.country_code }}</p>
<p class="areas">{% if page.fields.areas %}{{ page.fields.areas | join(sep=", ") }}{% endif %}</p>
<p class="fallback">{{ page.fallback }}</p>
<div class="content">{{ page.content | safe }}</div>
<p class="section">{{ page.section.path }}</p>
</body>
</html>
"#;

const SECTION: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}">
<head><title>{{ section.title }}</title></head>
<body>
<nav class="switcher">{% for tr in section.translations %}<a class="to-{{ tr.lang }}" href="{{ tr.path }}">{{ tr.name }}</a>{% endfor %}</nav>
<p class="label">{{ t(key="nav.home") }}</p>
<ol class="pages">{% for p in section.pages %}<li><a href="{{ p.path }}"{% if p.lang != lang %} hreflang="{{ p.lang }}" lang="{{ p.lang }}"{% endif %}>{{ p.title }}{% if p.lang != lang %} ({{ t(key="in_original") }}){% endif %}</a></li>{% endfor %}</ol>
{% set ps = get_section(path="partners/_index.md") %}<p class="partners">{{ ps.path }}</p>
<div class="content">{{ section.content | safe }}</div>
</body>
</html>
"#;

fn site() -> TestSite {
    let text = |path: &str, body: &str| (path.to_string(), body.as_bytes().to_vec());
    TestSite::from_files([
        text("site.yaml", SITE),
        text("templates/index.html", SECTION),
        text("templates/section.html", SECTION),
        text("templates/page.html", PAGE),
        text("templates/taxonomy_list.html", TAXONOMY_LIST_HTML),
        text("templates/taxonomy_single.html", TAXONOMY_SINGLE_HTML),
        text(
            "i18n/en.yaml",
            "nav:\n  home: Home\nin_original: in English\n",
        ),
        text(
            "i18n/fr.yaml",
            "nav:\n  home: Accueil\nin_original: en anglais\n",
        ),
        text(
            "i18n/de.yaml",
            "nav:\n  home: Startseite\nin_original: auf Englisch\n",
        ),
        text(
            "content/_index.md",
            "---\ntitle: Home\n---\nSee [Japan](@/partners/japan.md#areas).\n",
        ),
        text(
            "content/_index.fr.md",
            "---\ntitle: Accueil\n---\nVoir [le Japon](@/partners/japan.md#domaines) et [le Canada](@/partners/canada.md).\n",
        ),
        text(
            "content/partners/_index.md",
            "---\ntitle: Partners\n---\nOur partners.\n",
        ),
        text(
            "content/partners/_index.fr.md",
            "---\ntitle: Partenaires\n---\nNos partenaires.\n",
        ),
        text(
            "content/partners/japan.md",
            "---\ntitle: Japan\ndate: 2026-02-11\nweight: 1\ntags: [Asia]\ncountry_code: JP\nstatus: concluded\nareas: [maritime security]\n---\n## Areas {#areas}\n\nJapan text.\n",
        ),
        text(
            "content/partners/japan.fr.md",
            "---\ntitle: Japon\nareas: [sécurité maritime]\n---\n## Domaines {#domaines}\n\nTexte sur le Japon.\n",
        ),
        text(
            "content/partners/japan.de.md",
            "---\ntitle: Japan (de)\n---\n## Bereiche {#areas}\n\nText über Japan.\n",
        ),
        text(
            "content/partners/canada.md",
            "---\ntitle: Canada\ndate: 2025-01-01\nweight: 2\ncountry_code: CA\nstatus: proposed\n---\nCanada text.\n",
        ),
    ])
}

#[test]
fn each_language_gets_its_urls_and_inherits_the_facts() {
    let site = site();
    site.build_ok(&[]);
    let fr = site.read_out("fr/partners/japan/index.html");
    assert!(fr.contains("<html lang=\"fr\">"), "{fr}");
    assert!(fr.contains("<title>Japon | Dossier</title>"), "{fr}");
    assert!(fr.contains("<p class=\"code\">JP</p>"), "inherited: {fr}");
    assert!(
        fr.contains("<p class=\"areas\">sécurité maritime</p>"),
        "{fr}"
    );
    assert!(fr.contains("<p class=\"date\">11 février 2026</p>"), "{fr}");
    assert!(fr.contains("<p class=\"label\">Accueil</p>"), "{fr}");
    assert!(
        fr.contains("<p class=\"section\">/fr/partners/</p>"),
        "{fr}"
    );
    let de = site.read_out("de/partners/japan/index.html");
    assert!(
        de.contains("<p class=\"date\">11. Februar 2026</p>"),
        "{de}"
    );
    assert!(
        de.contains("<p class=\"areas\">maritime security</p>"),
        "untranslated text field inherited: {de}"
    );
    let en = site.read_out("partners/japan/index.html");
    assert!(
        en.contains("<p class=\"date\">11 February 2026</p>"),
        "{en}"
    );
    assert!(en.contains("<html lang=\"en\">"), "{en}");
}

#[test]
fn the_switcher_and_alternates_point_at_each_language() {
    let site = site();
    site.build_ok(&[]);
    let en = site.read_out("partners/japan/index.html");
    // Links are written relative to the page.
    assert!(
        en.contains("hreflang=\"fr\" href=\"../../fr/partners/japan/index.html\""),
        "{en}"
    );
    assert!(en.contains("class=\"to-de\" hreflang=\"de\" lang=\"de\" href=\"../../de/partners/japan/index.html\""), "{en}");
    // Canada has no translation: the switcher sends French readers to the
    // French home, saying so, and no alternate is claimed.
    let canada = site.read_out("partners/canada/index.html");
    assert!(canada.contains("class=\"to-fr\" hreflang=\"fr\" lang=\"fr\" href=\"../../fr/index.html\">Français (in English)</a>"), "{canada}");
    assert!(
        !canada.contains("rel=\"alternate\" hreflang=\"fr\""),
        "{canada}"
    );
}

#[test]
fn a_page_without_translation_is_linked_in_its_own_language() {
    let site = site();
    site.build_ok(&[]);
    // Fallback `link`: no French Canada page; the French list links the
    // original, marked.
    assert!(!site.out().join("fr/partners/canada").exists());
    let list = site.read_out("fr/partners/index.html");
    assert!(
        list.contains("href=\"../../fr/partners/japan/index.html\">Japon</a>"),
        "{list}"
    );
    assert!(list.contains("href=\"../../partners/canada/index.html\" hreflang=\"en\" lang=\"en\">Canada (en anglais)</a>"), "{list}");
    // The German home is the original's text, and German readers of the
    // home get the German Japan page in its list.
    let de_home = site.read_out("de/index.html");
    assert!(
        de_home.contains("<p class=\"label\">Startseite</p>"),
        "{de_home}"
    );
    // Links in a translation go to the translation; to the original (with
    // hreflang) when there is none.
    let fr_home = site.read_out("fr/index.html");
    assert!(
        fr_home.contains("href=\"../fr/partners/japan/index.html#domaines\""),
        "{fr_home}"
    );
    assert!(
        fr_home.contains("href=\"../partners/canada/index.html\" hreflang=\"en\""),
        "{fr_home}"
    );
    assert!(
        fr_home.contains("<p class=\"partners\">/fr/partners/</p>"),
        "get_section in French: {fr_home}"
    );
}

#[test]
fn fallback_render_publishes_every_page_in_every_language() {
    let site = site();
    site.write("site.yaml", &format!("{SITE}language_fallback: render\n"));
    site.build_ok(&[]);
    let canada = site.read_out("fr/partners/canada/index.html");
    assert!(
        canada.contains("<p class=\"fallback\">true</p>"),
        "{canada}"
    );
    assert!(canada.contains("Canada text."), "{canada}");
    assert!(site.out().join("de/partners/canada/index.html").exists());
}

#[test]
fn feeds_sitemaps_and_search_indexes_per_language() {
    let site = site();
    site.build_ok(&[]);
    let feed = site.read_out("fr/atom.xml");
    assert!(feed.contains("xml:lang=\"fr\""), "{feed}");
    assert!(feed.contains("<title>Dossier</title>"), "{feed}");
    assert!(
        feed.contains("https://example.org/sub/fr/partners/japan/"),
        "{feed}"
    );
    assert!(!feed.contains("canada"), "{feed}");
    let en_feed = site.read_out("atom.xml");
    assert!(!en_feed.contains("/fr/"), "{en_feed}");
    let index = site.read_out("fr/search-index.js");
    assert!(index.contains("Texte sur le Japon"), "{index}");
    assert!(!index.contains("Japan text"), "{index}");
    let en_index = site.read_out("search-index.js");
    assert!(
        en_index.contains("Japan text") && !en_index.contains("Texte sur"),
        "{en_index}"
    );
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/sub/fr/partners/japan/\"/>"),
        "{sitemap}"
    );
}

#[test]
fn an_undeclared_language_code_is_an_error_with_a_suggestion() {
    let site = site();
    site.write("content/partners/japan.fe.md", "---\ntitle: X\n---\nx\n");
    let r = site.build(&[]);
    r.assert_code(1);
    assert_mentions(&r.stderr, "content/partners/japan.fe.md", Some(1));
    assert!(
        r.stderr.contains("E-LANG-UNKNOWN") && r.stderr.contains("did you mean `.fr`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_dotted_name_is_a_plain_page_without_languages() {
    let site = TestSite::new();
    site.write("content/notes.fr.md", "---\ntitle: Notes\n---\nx\n");
    site.build_ok(&[]);
    assert!(
        site.out().join("notes-fr/index.html").exists()
            || site.out().join("notes.fr/index.html").exists()
    );
}

#[test]
fn a_translation_repeating_a_fact_differently_names_both_files() {
    let site = site();
    site.write(
        "content/partners/japan.de.md",
        "---\ntitle: Japan (de)\nstatus: proposed\n---\nText.\n",
    );
    let r = site.build(&[]);
    r.assert_code(1);
    assert_mentions(&r.stderr, "content/partners/japan.de.md", Some(3));
    assert!(r.stderr.contains("E-LANG-NEUTRAL"), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/partners/japan.md:7"),
        "{}",
        r.stderr
    );
    // The same value repeated is harmless.
    site.write(
        "content/partners/japan.de.md",
        "---\ntitle: Japan (de)\nstatus: concluded\n---\nText.\n",
    );
    site.build_ok(&[]);
}

#[test]
fn a_translation_without_an_original_is_an_error() {
    let site = site();
    site.write(
        "content/partners/chile.fr.md",
        "---\ntitle: Chili\n---\nx\n",
    );
    let r = site.build(&[]);
    r.assert_code(1);
    assert_mentions(&r.stderr, "content/partners/chile.fr.md", Some(1));
    assert!(r.stderr.contains("E-LANG-ORPHAN"), "{}", r.stderr);
}

#[test]
fn a_broken_anchor_is_checked_in_the_language_linked() {
    let site = site();
    // The French Japan page has #domaines, not #areas.
    site.write(
        "content/partners/_index.fr.md",
        "---\ntitle: Partenaires\n---\nVoir [le Japon](@/partners/japan.md#areas).\n",
    );
    let r = site.build(&[]);
    r.assert_code(1);
    assert_mentions(&r.stderr, "content/partners/_index.fr.md", Some(4));
    assert!(
        r.stderr
            .contains("japan.fr.md has no heading with id `areas`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_interface_string_names_the_key_and_file() {
    let site = site();
    site.write(
        "i18n/de.yaml",
        "nav:\n  hom: Startseite\nin_original: auf Englisch\n",
    );
    let r = site.build(&[]);
    r.assert_code(1);
    assert!(r.stderr.contains("E-I18N-MISSING"), "{}", r.stderr);
    assert_mentions(&r.stderr, "i18n/de.yaml", Some(2));
    assert!(r.stderr.contains("`nav.home`"), "{}", r.stderr);
    // A key no file has: the render error names it, with a suggestion.
    let site = site_with_page_template("{{ t(key=\"nav.hom\") }}");
    let r = site.build(&[]);
    r.assert_code(1);
    assert!(
        r.stderr.contains("nav.hom") && r.stderr.contains("did you mean `nav.home`"),
        "{}",
        r.stderr
    );
}

fn site_with_page_template(body: &str) -> TestSite {
    let site = site();
    site.write("templates/page.html", body);
    site
}

#[test]
fn without_translations_the_site_is_still_whole() {
    let site = site();
    for f in [
        "content/_index.fr.md",
        "content/partners/_index.fr.md",
        "content/partners/japan.fr.md",
        "content/partners/japan.de.md",
    ] {
        site.remove(f);
    }
    site.build_ok(&[]);
    assert!(!site.out().join("fr/index.html").exists());
    let en = site.read_out("partners/japan/index.html");
    assert!(en.contains("class=\"to-fr\" hreflang=\"en\" lang=\"fr\" href=\"../../partners/japan/index.html\">Français (in English)"), "{en}");
}

#[test]
fn a_stale_translation_is_reported_until_marked_current() {
    let site = site();
    let r = site.check(&[]);
    assert!(r.stderr.contains("W-TRANSLATION-STALE"), "{}", r.stderr);
    assert_mentions(&r.stderr, "content/partners/japan.fr.md", Some(1));
    // Mark every translation as current: the warnings go.
    let root = site.root_arg();
    for f in [
        "content/_index.fr.md",
        "content/partners/_index.fr.md",
        "content/partners/japan.fr.md",
        "content/partners/japan.de.md",
    ] {
        let (code, out, err) = run(&["translations", "--root", &root, "--mark-current", f]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("translated_from: "), "{out}");
    }
    let fr = std::fs::read_to_string(site.path("content/partners/japan.fr.md")).unwrap();
    assert!(
        fr.starts_with("---\ntitle: Japon\nareas: [sécurité maritime]\ntranslated_from: "),
        "{fr}"
    );
    let r = site.check(&[]);
    assert!(!r.stderr.contains("W-TRANSLATION-STALE"), "{}", r.stderr);
    let (_, listed, _) = run(&["translations", "--root", &root]);
    assert!(
        listed.contains("content/partners/japan.fr.md\tcontent/partners/japan.md\tup to date"),
        "{listed}"
    );
    // The original changes: its translations are stale, at their mark.
    site.write(
        "content/partners/japan.md",
        "---\ntitle: Japan\ndate: 2026-02-11\nweight: 1\ntags: [Asia]\ncountry_code: JP\nstatus: concluded\nareas: [maritime security]\n---\n## Areas {#areas}\n\nJapan text, revised.\n",
    );
    let r = site.check(&[]);
    assert_mentions(&r.stderr, "content/partners/japan.fr.md", Some(4));
    assert!(
        r.stderr.contains("W-TRANSLATION-STALE") && r.stderr.contains("has changed since"),
        "{}",
        r.stderr
    );
    // Its level is configurable like any lint.
    site.write(
        "site.yaml",
        &format!("{SITE}lints: {{W-TRANSLATION-STALE: off}}\n"),
    );
    assert!(!site.check(&[]).stderr.contains("W-TRANSLATION-STALE"));
}

#[test]
fn a_figure_missing_from_a_translation_is_reported() {
    let site = site();
    site.write(
        "content/partners/canada.md",
        "---\ntitle: Canada\ndate: 2025-01-01\nweight: 2\ncountry_code: CA\nstatus: proposed\n---\nAdopted on 11 February 2026 by 440 votes to 119.\n",
    );
    site.write(
        "content/partners/canada.fr.md",
        "---\ntitle: Canada\n---\nAdopté le 11 février 2026 par 440 voix contre 191.\n",
    );
    site.write(
        "content/partners/canada.de.md",
        "---\ntitle: Kanada\n---\nAm 11. Februar 2026 mit 440 zu 119 Stimmen angenommen.\n",
    );
    let r = site.check(&[]);
    assert!(r.stderr.contains("W-TRANSLATION-FIGURES"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the figure 119 (content/partners/canada.md:8)"),
        "{}",
        r.stderr
    );
    assert_mentions(&r.stderr, "content/partners/canada.fr.md", Some(4));
    let figures: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("W-TRANSLATION-FIGURES"))
        .collect();
    assert_eq!(figures.len(), 1, "only the French one: {}", r.stderr);
}

#[test]
fn new_with_lang_scaffolds_only_what_a_translation_writes() {
    let site = site();
    site.remove("content/partners/japan.de.md");
    let root = site.root_arg();
    let (code, out, err) = run(&["new", "partner", "Japan", "--lang", "de", "--root", &root]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "content/partners/japan.de.md");
    let text = std::fs::read_to_string(site.path("content/partners/japan.de.md")).unwrap();
    assert_eq!(
        text,
        "---\ntitle: \"TODO: in Deutsch: Japan\"\nareas:\n  - \"TODO: in Deutsch: maritime security\"\n---\n\n## TODO: translate the heading {#areas}\n\nTODO: translate this paragraph (keep its [@citations] and @/links as they are).\n"
    );
    // Until translated it does not build; an existing one is never overwritten.
    site.build(&[]).assert_code(1);
    let (code, _, err) = run(&["new", "partner", "Japan", "--lang", "de", "--root", &root]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = run(&["new", "partner", "Japan", "--lang", "fi", "--root", &root]);
    assert_eq!(code, 1);
    assert!(err.contains("use one of: fr, de"), "{err}");
}

#[test]
fn a_translation_uses_its_originals_template_even_without_its_section_translated() {
    let site = site();
    site.remove("content/partners/_index.fr.md");
    site.write(
        "site.yaml",
        &SITE.replace(
            "  partners:\n    fields:",
            "  partners:\n    page_template: partner.html\n    fields:",
        ),
    );
    site.write(
        "templates/partner.html",
        "PARTNER {{ lang }} {{ page.title }}",
    );
    site.build_ok(&[]);
    assert_eq!(
        site.read_out("fr/partners/japan/index.html"),
        "PARTNER fr Japon"
    );
    assert_eq!(
        site.read_out("partners/japan/index.html"),
        "PARTNER en Japan"
    );
}

#[test]
fn components_in_a_translation_speak_its_language() {
    let site = site();
    site.write(
        "templates/components/content.html",
        "{% component callout(kind: string = \"note\", @lang = \"en\") {\"markdown\": \"body\"} %}<div class=\"callout\"><strong>{{ t(key=\"nav.home\") }}</strong>{{ body }}</div>{%- endcomponent callout %}\n\
         {% component partner_card(page: string, @lang = \"en\") {\"markdown\": \"no_body\"} %}{%- set p = get_page(path=page) %}<aside class=\"card\">{{ p.title }}</aside>{%- endcomponent partner_card %}\n",
    )
    .write(
        "content/partners/japan.fr.md",
        "---\ntitle: Japon\nareas: [sécurité maritime]\n---\n## Domaines {#domaines}\n\n{% callout() %}\nTexte sur le Japon.\n{% end %}\n\n{% partner_card(page=\"@/partners/japan.md\") /%}\n",
    );
    site.build_ok(&[]);
    let fr = site.read_out("fr/partners/japan/index.html");
    assert!(
        fr.contains("<div class=\"callout\"><strong>Accueil</strong>"),
        "the French interface string: {fr}"
    );
    assert!(
        fr.contains("<aside class=\"card\">Japon</aside>"),
        "get_page in a component finds the French page: {fr}"
    );
}

#[test]
fn a_translation_gives_event_titles_and_inherits_their_dates_and_sources() {
    let site = site_with_page_template(
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><head><title>{{ page.title }}</title></head><body><ul>{% for e in page.events %}<li>{{ e.date }} {{ e.title }} {% for s in e.sources %}{{ s.id }}{% endfor %}</li>{% endfor %}</ul></body></html>\n",
    );
    site.write(
        "data/sources.yaml",
        "eeas:\n  title: \"EEAS\"\n  publisher: \"EEAS\"\n  url: \"https://eeas.example/\"\n  grade: official\n",
    )
    .write(
        "content/about.md",
        "---\ntitle: About\nevents:\n  - {date: 2026-02-11, title: \"Report adopted\", source: eeas}\n  - {date: 2026-03-24, title: \"Ghana signs\", source: eeas}\n---\nAbout [@eeas].\n",
    )
    .write(
        "content/about.fr.md",
        "---\ntitle: À propos\nevents:\n  - title: \"Rapport adopté\"\n  - title: \"Le Ghana signe\"\n---\nÀ propos [@eeas].\n",
    );
    site.build_ok(&[]);
    let fr = site.read_out("fr/about/index.html");
    assert!(
        fr.contains("<li>2026-02-11 Rapport adopté eeas</li>"),
        "{fr}"
    );
    assert!(
        fr.contains("<li>2026-03-24 Le Ghana signe eeas</li>"),
        "{fr}"
    );
    let en = site.read_out("about/index.html");
    assert!(
        en.contains("<li>2026-02-11 Report adopted eeas</li>"),
        "{en}"
    );

    // One title too few: an error at the translation's `events:`.
    site.write(
        "content/about.fr.md",
        "---\ntitle: À propos\nevents:\n  - title: \"Rapport adopté\"\n---\nÀ propos [@eeas].\n",
    );
    let out = site.build(&[]);
    out.assert_code(1);
    assert!(
        out.stderr
            .contains("`events` gives 1 title, but the original, content/about.md, has 2"),
        "{}",
        out.stderr
    );
    assert_mentions(&out.stderr, "content/about.fr.md", Some(3));
}

#[test]
fn the_engines_citation_words_are_in_the_pages_language() {
    let site = site();
    site.write(
        "data/sources.yaml",
        "eeas-sdp:\n  title: \"EU Security and Defence Partnerships\"\n  publisher: \"EEAS\"\n  url: \"https://www.eeas.europa.eu/sdp\"\n  date: 2025-06-01\n  grade: official\n  note: \"Updated often.\"\n",
    )
    .write(
        "content/partners/japan.md",
        "---\ntitle: Japan\ndate: 2026-02-11\nweight: 1\ntags: [Asia]\ncountry_code: JP\nstatus: concluded\nareas: [maritime security]\n---\n## Areas {#areas}\n\nJapan text [@eeas-sdp, p. 3].\n",
    )
    .write(
        "content/partners/japan.fr.md",
        "---\ntitle: Japon\nareas: [sécurité maritime]\n---\n## Domaines {#domaines}\n\nTexte sur le Japon [@eeas-sdp, p. 3].\n",
    )
    .write(
        "content/partners/japan.de.md",
        "---\ntitle: Japan (de)\n---\n## Bereiche {#areas}\n\nText über Japan [@eeas-sdp, p. 3].\n",
    )
    // A site's own words win over dossier's.
    .write(
        "i18n/de.yaml",
        "nav:\n  home: Startseite\nin_original: auf Englisch\ncitations:\n  heading: Belege\n",
    )
    .write(
        "i18n/en.yaml",
        "nav:\n  home: Home\nin_original: in English\ncitations:\n  heading: Sources\n",
    )
    .write(
        "i18n/fr.yaml",
        "nav:\n  home: Accueil\nin_original: en anglais\ncitations:\n  heading: Sources\n",
    );
    site.build_ok(&[]);
    let en = site.read_out("partners/japan/index.html");
    for english in [
        "<span class=\"visually-hidden\">source </span>1",
        "1 June 2025",
        "(official source)",
        ". Updated often.",
        "Cited at p. 3",
        "back to citation 1 of source 1",
    ] {
        assert!(en.contains(english), "{english}: {en}");
    }
    let fr = site.read_out("fr/partners/japan/index.html");
    for french in [
        "<span class=\"visually-hidden\">source </span>1",
        ">Sources</h2>",
        "1er juin 2025",
        "(source officielle)",
        ". <span lang=\"en\">Updated often.</span>",
        "Passages cités\u{a0}: p. 3",
        "retour à la citation 1 de la source 1",
    ] {
        assert!(fr.contains(french), "{french}: {fr}");
    }
    let de = site.read_out("de/partners/japan/index.html");
    for german in [
        "<span class=\"visually-hidden\">Quelle </span>1",
        ">Belege</h2>",
        "1. Juni 2025",
        "(amtliche Quelle)",
        "Zitierte Stellen: p. 3",
        "zurück zur Zitierstelle 1 der Quelle 1",
    ] {
        assert!(de.contains(german), "{german}: {de}");
    }
    for page in [&fr, &de] {
        for english in ["Cited at", "back to citation", "official source"] {
            assert!(!page.contains(english), "{english} left in: {page}");
        }
    }
}

#[test]
fn each_language_has_its_tag_pages_listing_its_pages() {
    let site = site();
    site.write(
        "i18n/en.yaml",
        "nav:\n  home: Home\nin_original: in English\ntags:\n  asia: Asia\n",
    )
    .write(
        "i18n/fr.yaml",
        "nav:\n  home: Accueil\nin_original: en anglais\ntags:\n  asia: Asie\n",
    )
    .write(
        "i18n/de.yaml",
        "nav:\n  home: Startseite\nin_original: auf Englisch\ntags:\n  asia: Asien\n",
    )
    // A link to a tag page of another language is checked like any address.
    .write(
        "content/_index.fr.md",
        "---\ntitle: Accueil\n---\nVoir [le Japon](@/partners/japan.md#domaines), [le Canada](@/partners/canada.md) et [l’Asie](/fr/tags/asia/).\n",
    )
    // Canada, untranslated, is listed on the French tag page as the original.
    .write(
        "content/partners/canada.md",
        "---\ntitle: Canada\ndate: 2025-01-01\nweight: 2\ntags: [Asia]\ncountry_code: CA\nstatus: proposed\n---\nCanada text.\n",
    );
    site.build_ok(&[]);
    let fr = site.read_out("fr/tags/asia/index.html");
    assert!(fr.contains("<h1 class=\"term\">Asie</h1>"), "{fr}");
    assert!(
        fr.contains("<a href=\"../../../fr/partners/japan/index.html\">Japon</a>"),
        "the French version of a page: {fr}"
    );
    assert!(
        fr.contains("<a href=\"../../../partners/canada/index.html\">Canada</a>"),
        "the original where there is no translation: {fr}"
    );
    let de_list = site.read_out("de/tags/index.html");
    assert!(
        de_list.contains(">Asien</a> (2)") && de_list.contains("de/tags/asia/index.html\""),
        "{de_list}"
    );
    let en = site.read_out("tags/asia/index.html");
    assert!(
        en.contains("<h1 class=\"term\">Asia</h1>") && en.contains(">Japan</a>"),
        "{en}"
    );
    let sitemap = site.read_out("sitemap.xml");
    for path in ["tags/asia/", "fr/tags/asia/", "de/tags/", "fr/tags/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/sub/{path}</loc>")),
            "{path}: {sitemap}"
        );
    }
    assert!(
        sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://example.org/sub/de/tags/asia/\"/>"),
        "{sitemap}"
    );
}

#[test]
fn t_can_ask_for_another_language_as_the_404_page_does() {
    let site = site();
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><head><title>404</title></head><body>{% for l in languages %}<p lang=\"{{ l.code }}\"><a href=\"{{ l.path }}\">{{ t(key=\"nav.home\", lang=l.code) }}</a></p>{% endfor %}</body></html>\n",
    );
    site.build_ok(&[]);
    let page = site.read_out("404.html");
    for (code, home, word) in [
        ("en", "/sub/", "Home"),
        ("fr", "/sub/fr/", "Accueil"),
        ("de", "/sub/de/", "Startseite"),
    ] {
        assert!(
            page.contains(&format!(
                "<p lang=\"{code}\"><a href=\"{home}\">{word}</a></p>"
            )),
            "{code}: {page}"
        );
    }
}
