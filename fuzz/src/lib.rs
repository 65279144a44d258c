//! Helpers shared by the fuzz targets: turning fuzz input into the text
//! dossier's loader would produce, and a throw-away site to check.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dossier::config::SiteConfig;

/// Fuzz bytes as the loader hands text on: valid UTF-8 (lossily here, where
/// the loader refuses the file), no NUL bytes (refused as binary), BOM
/// stripped, `\r\n` and lone `\r` turned into `\n`.
pub fn loaded_text(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "")
}

/// A small site configuration with a schema using every field type, parsed
/// once per process.
pub fn schema_config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| SiteConfig::parse(SITE_YAML).expect("the fuzz site.yaml is valid"))
}

pub const SITE_YAML: &str = "\
title: \"Fuzz site\"
base_url: \"https://example.org/sub/\"
taxonomies: [tags]
feed: { limit: 10 }
search: { body_chars: 200 }
check:
  sources_required: [partners]
  max_age_days: 365
sections:
  partners:
    fields:
      status: { type: enum, values: [concluded, proposed], required: true }
      signed: { type: date }
      signatories: { type: list }
      country: { type: string, required: true }
      homepage: { type: url }
      nato: { type: bool }
      sources: { required: true }
";

const PAGE_HTML: &str = r##"<!DOCTYPE html>
<html lang="{{ config.language }}"><head><title>{{ page.title }}</title></head>
<body><h1>{{ page.title }}</h1>
<nav>{% for h in page.toc %}<a href="#{{ h.id }}">{{ h.title }}</a>{% endfor %}</nav>
<main>{{ page.content | safe }}</main>
{% if page.previous %}<a href="{{ page.previous.path }}">{{ page.previous.title }}</a>{% endif %}
{% if page.next %}<a href="{{ page.next.path }}">{{ page.next.title }}</a>{% endif %}
<ul>{% for t in page.tags %}<li>{{ t }}</li>{% endfor %}</ul>
<p>{{ page.fields.status | default(value="") }}</p>
<a href="/">Home</a></body></html>
"##;

const SECTION_HTML: &str = r#"<!DOCTYPE html>
<html lang="{{ config.language }}"><head><title>{{ section.title }}</title></head>
<body><h1>{{ section.title }}</h1><main>{{ section.content | safe }}</main>
<ol>{% for p in section.pages %}<li><a href="{{ p.path }}">{{ p.title }}</a></li>{% endfor %}</ol>
</body></html>
"#;

const TAXONOMY_LIST_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Tags</title></head><body><ul>{% for t in terms %}<li><a href="{{ t.path }}">{{ t.name }}</a></li>{% endfor %}</ul></body></html>
"#;

const TAXONOMY_SINGLE_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>{{ term.name }}</title></head><body><ul>{% for p in term.pages %}<li><a href="{{ p.path }}">{{ p.title }}</a></li>{% endfor %}</ul></body></html>
"#;

/// `dossier check` of `root`, lints on, nothing written.
pub fn check_options(root: &Path, drafts: bool) -> dossier::build::BuildOptions {
    dossier::build::BuildOptions {
        root: root.to_path_buf(),
        out: None,
        drafts,
        base_url: None,
        lint: true,
        external: None,
        compress: false,
    }
}

/// The page the fuzz input replaces: a plain page (its section has no
/// schema), so that most inputs load without errors and reach rendering.
pub const FUZZED_PAGE: &str = "content/notes/fuzzed.md";

/// A site in a temporary folder, made once per process; each run only
/// rewrites [`FUZZED_PAGE`].
pub fn site_root() -> &'static Path {
    static ROOT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, root) = ROOT.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("dossier-fuzz-")
            .tempdir()
            .expect("temp dir");
        let root = dir.path().join("site");
        let files = [
            ("site.yaml", SITE_YAML),
            ("content/_index.md", "---\ntitle: Home\n---\nWelcome. See [Canada](@/partners/canada.md#links).\n"),
            ("content/about.md", "---\ntitle: About\ndate: 2026-01-01\ntags: [Asia]\n---\n## About\n\nText[^1].\n\n[^1]: A note.\n"),
            ("content/partners/_index.md", "---\ntitle: Partners\n---\nOur partners.\n"),
            (
                "content/partners/canada.md",
                "---\ntitle: Canada\nstatus: concluded\ncountry: CA\nsources:\n  - title: S\n    url: https://example.org/s\n---\n## Links\n\nSee [the notes](../notes/_index.md).\n",
            ),
            ("content/notes/_index.md", "---\ntitle: Notes\n---\nSee [the page](fuzzed.md).\n"),
            (FUZZED_PAGE, "---\ntitle: Fuzzed\n---\n"),
            ("templates/index.html", SECTION_HTML),
            ("templates/section.html", SECTION_HTML),
            ("templates/page.html", PAGE_HTML),
            ("templates/taxonomy_list.html", TAXONOMY_LIST_HTML),
            ("templates/taxonomy_single.html", TAXONOMY_SINGLE_HTML),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
        }
        // The fixture itself must pass, or no input would reach rendering.
        if let Err(failure) = dossier::build::run(&check_options(&root, false)) {
            panic!("the fuzz site does not check cleanly: {failure:?}");
        }
        (dir, root)
    });
    root
}
