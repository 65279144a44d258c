//! Files for hosts and feed readers, written by dossier itself rather than
//! by templates, so their escaping and format can be guaranteed: the Atom
//! feed (RFC 4287), `sitemap.xml` (sitemaps.org), `robots.txt`, and the
//! search index read by the site's search script.
//!
//! Every date comes from the content; nothing here reads the clock, so the
//! files are as deterministic as the pages.

use std::fmt::Write;

use rayon::prelude::*;

use crate::config::SearchOptions;
use crate::date::Date;
use crate::model::{Page, PageId, Site};

use super::relative::{self, LinkStyle};

/// `&`, `<`, `>`, `"` and `'` escaped for XML text and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids (they cannot come from YAML, but
            // might from Markdown): dropped rather than producing bad XML.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn permalink(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_url, path.trim_start_matches('/'))
}

fn last_modified(page: &Page) -> Option<Date> {
    page.front.updated.or(page.front.date)
}

fn rfc3339(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// A sitemap entry: path, last modified, and (language, path) alternates.
type SitemapEntry = (String, Option<Date>, Vec<(String, String)>);

/// `sitemap.xml`: every published page, section and tag page, sorted by URL.
/// With languages, each page and section lists its versions in every
/// language as `xhtml:link` alternates (itself included, as Google asks).
pub fn sitemap(site: &Site) -> String {
    let groups = site
        .config
        .languages
        .enabled()
        .then(|| super::language_values::Groups::new(site));
    let mut entries: Vec<SitemapEntry> = Vec::new();
    let code = |lang: usize| site.config.languages.code(lang, "").to_string();
    for (id, s) in site.sections.iter().enumerate() {
        let newest = s
            .pages
            .iter()
            .filter_map(|&p| last_modified(&site.pages[p]))
            .max();
        let alternates = groups.as_ref().map_or_else(Vec::new, |g| {
            g.sections[id]
                .iter()
                .enumerate()
                .filter_map(|(lang, v)| v.map(|v| (code(lang), site.sections[v].path.clone())))
                .collect()
        });
        entries.push((
            s.path.clone(),
            s.front.updated.or(s.front.date).or(newest),
            alternates,
        ));
    }
    entries.extend(site.pages.iter().enumerate().map(|(id, p)| {
        let alternates = groups.as_ref().map_or_else(Vec::new, |g| {
            g.pages[id]
                .iter()
                .enumerate()
                .filter_map(|(lang, v)| v.map(|v| (code(lang), site.pages[v].path.clone())))
                .collect()
        });
        (p.path.clone(), last_modified(p), alternates)
    }));
    // The tag list and each tag, in every language, each with its versions.
    for term in site.tag_terms() {
        let alternates: Vec<(String, String)> = match groups {
            Some(_) => site
                .tag_languages()
                .map(|lang| (code(lang), site.tag_path(term, lang)))
                .collect(),
            None => Vec::new(),
        };
        for lang in site.tag_languages() {
            entries.push((site.tag_path(term, lang), None, alternates.clone()));
        }
    }
    entries.sort();
    let mut out = String::from(if groups.is_some() {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    });
    for (path, date, alternates) in entries {
        let _ = write!(
            out,
            "  <url><loc>{}</loc>",
            xml_escape(&permalink(site, &path))
        );
        if let Some(d) = date {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        if alternates.len() > 1 {
            for (lang, path) in &alternates {
                let _ = write!(
                    out,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml_escape(lang),
                    xml_escape(&permalink(site, path))
                );
            }
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(site: &Site) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if site.config.outputs.sitemap {
        let _ = writeln!(out, "Sitemap: {}sitemap.xml", site.config.base_url);
    }
    out
}

/// The Atom feed of the newest dated pages, or `None` when no page has a
/// date (an Atom feed must say when it was last updated, and dossier does
/// not invent dates).
pub fn atom(site: &Site, limit: usize) -> Option<String> {
    atom_in(site, limit, crate::languages::DEFAULT)
}

/// The feed of the pages in `lang` (every page on a one-language site), at
/// the language's base path (`/fr/atom.xml`), titled in the language.
pub fn atom_in(site: &Site, limit: usize, lang: crate::languages::LangId) -> Option<String> {
    let language = site.config.languages.get(lang);
    let mut dated: Vec<(&Page, Date)> = site
        .pages
        .iter()
        .filter(|p| p.lang == lang)
        .filter_map(|p| last_modified(p).map(|d| (p, d)))
        .collect();
    dated.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.path.cmp(&b.0.path)));
    dated.truncate(limit);
    let updated = dated.first()?.1;
    let config = &site.config;
    let title = language
        .and_then(|l| l.title.as_deref())
        .unwrap_or(&config.title);
    let description = language
        .and_then(|l| l.description.as_ref())
        .or(config.description.as_ref());
    let code = language.map_or(config.language.as_str(), |l| l.code.as_str());
    let home = format!(
        "{}{}",
        config.base_url,
        language.map_or("", |l| l.base_path.trim_start_matches('/'))
    );
    let author = config.outputs.author.as_deref().unwrap_or(title);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        xml_escape(code),
        xml_escape(title)
    );
    if let Some(d) = description {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", xml_escape(d));
    }
    let _ = write!(
        out,
        "  <id>{base}</id>\n  <link rel=\"self\" href=\"{base}atom.xml\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{base}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n  <generator>dossier</generator>\n",
        rfc3339(updated),
        xml_escape(author),
        base = xml_escape(&home),
    );
    let absolute = LinkStyle::Prefixed(&config.base_url);
    for (page, date) in dated {
        let url = xml_escape(&permalink(site, &page.path));
        let _ = write!(
            out,
            "  <entry>\n    <title>{}</title>\n    <id>{url}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <updated>{}</updated>\n",
            xml_escape(page.title()),
            rfc3339(date)
        );
        if let Some(published) = page.front.date {
            let _ = writeln!(out, "    <published>{}</published>", rfc3339(published));
        }
        if let Some(d) = &page.front.description {
            let _ = writeln!(out, "    <summary>{}</summary>", xml_escape(d));
        }
        // Links inside the content are site paths; a feed reader needs them absolute.
        let content = relative::rewrite(&page.content, absolute);
        let _ = writeln!(
            out,
            "    <content type=\"html\">{}</content>\n  </entry>",
            xml_escape(&content)
        );
    }
    out.push_str("</feed>\n");
    Some(out)
}

/// The search index as a script that sets a global, so search works from
/// `file://` (where a page may not fetch files) as well as from any host.
pub fn search_index(site: &Site, options: &SearchOptions) -> String {
    SearchEntries::build(site, options).script(site.config.links.index_html)
}

/// The entries of the search index, one per section and page (sections
/// first, as in the index), each serialised and escaped on its own.
///
/// Reading the text out of every page's HTML is most of the cost of the
/// index (over a second for 10,000 pages); keeping the entries lets the dev
/// server redo only the page that was edited and reassemble the rest. The
/// script made from them is byte for byte the one a build writes, because a
/// build makes it the same way.
#[derive(Debug, Clone)]
pub struct SearchEntries {
    /// `None` for a document of an excluded section.
    entries: Vec<Option<String>>,
    sections: usize,
    /// The language of each entry.
    langs: Vec<crate::languages::LangId>,
}

impl SearchEntries {
    /// Every entry, in parallel.
    pub fn build(site: &Site, options: &SearchOptions) -> SearchEntries {
        let sections = site.sections.len();
        let entries = (0..sections + site.pages.len())
            .into_par_iter()
            .map(|i| {
                let document = if i < sections {
                    Searchable::section(site, i)
                } else {
                    Searchable::page(site, i - sections)
                };
                document.entry(options)
            })
            .collect();
        let langs = (site.sections.iter().map(|s| s.lang))
            .chain(site.pages.iter().map(|p| p.lang))
            .collect();
        SearchEntries {
            entries,
            sections,
            langs,
        }
    }

    /// Redoes the entry of `page` (after an edit of its body).
    pub fn refresh_page(&mut self, site: &Site, page: PageId, options: &SearchOptions) {
        if let Some(slot) = self.entries.get_mut(self.sections + page) {
            *slot = Searchable::page(site, page).entry(options);
        }
    }

    /// `window.DOSSIER_SEARCH_INDEX = {"index_html":…,"pages":[…]};`, the
    /// compact JSON serde_json writes for that object (its two keys are in
    /// the same order sorted or not), assembled from the entries.
    pub fn script(&self, index_html: bool) -> String {
        self.script_for(None, index_html)
    }

    /// The index of the pages in `lang` only (`None`: every page), so a
    /// search in French finds French pages.
    pub fn script_for(&self, lang: Option<crate::languages::LangId>, index_html: bool) -> String {
        const START: &str = "window.DOSSIER_SEARCH_INDEX = {\"index_html\":";
        const END: &str = "]};\n";
        let included = || {
            self.entries
                .iter()
                .zip(&self.langs)
                .filter(move |(_, l)| lang.is_none_or(|want| **l == want))
                .filter_map(|(e, _)| e.as_ref())
        };
        let length: usize = included().map(|e| e.len() + 1).sum();
        let mut out = String::with_capacity(START.len() + 16 + length + END.len());
        out.push_str(START);
        out.push_str(if index_html { "true" } else { "false" });
        out.push_str(",\"pages\":[");
        for (i, entry) in included().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(entry);
        }
        out.push_str(END);
        out
    }
}

/// What the search index shows of a section or page.
struct Searchable<'a> {
    path: &'a str,
    title: Option<&'a str>,
    description: Option<&'a str>,
    toc: &'a [crate::load::TocEntry],
    content: &'a str,
    dir: &'a str,
    section_title: Option<&'a str>,
}

impl<'a> Searchable<'a> {
    fn section(site: &'a Site, id: usize) -> Self {
        let s = &site.sections[id];
        Searchable {
            path: &s.path,
            title: s.front.title.as_deref(),
            description: s.front.description.as_deref(),
            toc: &s.toc,
            content: &s.content,
            dir: &s.dir,
            section_title: None,
        }
    }

    fn page(site: &'a Site, id: PageId) -> Self {
        let p = &site.pages[id];
        let section = &site.sections[p.section];
        Searchable {
            path: &p.path,
            title: p.front.title.as_deref(),
            description: p.front.description.as_deref(),
            toc: &p.toc,
            content: &p.content,
            dir: &section.dir,
            // Top-level pages belong to the home, which is not a section to name.
            section_title: (p.section != crate::model::HOME)
                .then_some(section.front.title.as_deref())
                .flatten(),
        }
    }

    /// The entry as JSON escaped for a script, or `None` when its section
    /// is excluded.
    fn entry(&self, options: &SearchOptions) -> Option<String> {
        if options.exclude.iter().any(|e| e == self.dir) {
            return None;
        }
        let mut headings = Vec::new();
        collect_headings(self.toc, &mut headings);
        let mut body = text_of(self.content);
        if let Some((cut, _)) = body.char_indices().nth(options.body_chars) {
            body.truncate(cut);
        }
        let entry = serde_json::json!({
            "t": self.title.unwrap_or_default(),
            "u": self.path.trim_start_matches('/'),
            "s": self.section_title.unwrap_or_default(),
            "d": self.description.unwrap_or_default(),
            "h": headings,
            "b": body,
        });
        let json = serde_json::to_string(&entry).unwrap_or_else(|_| "{}".into());
        Some(escape_for_script(&json))
    }
}

/// JSON made safe inside a `<script>`: no `</script>`, and no line
/// separators that older JavaScript engines took for line ends. Each
/// replacement is of one character, so escaping entries one by one gives
/// the same text as escaping the whole index.
fn escape_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn collect_headings(toc: &[crate::load::TocEntry], out: &mut Vec<String>) {
    for entry in toc {
        out.push(entry.title.clone());
        collect_headings(&entry.children, out);
    }
}

/// The readable text of rendered HTML: tags dropped, entities decoded,
/// white space collapsed.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        // Block-level tags separate words; inline ones (`<em>`) do not, so
        // "Korea." stays "Korea." rather than "Korea .".
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if BLOCK_TAGS.contains(&name.as_str()) {
            text.push(' ');
        }
        rest = &after[end.min(after.len())..];
    }
    text.push_str(rest);
    let decoded = decode_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "caption",
    "blockquote",
    "pre",
    "section",
    "figure",
    "figcaption",
    "sup",
    "img",
];

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &after[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_covers_markup_and_control_characters() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }

    /// The index as it was written before it was assembled from entries
    /// (the code of that version): one JSON value, escaped at once.
    fn whole_index(site: &Site, body_chars: usize, exclude: &[String]) -> String {
        let mut entries = Vec::new();
        let documents = site
            .sections
            .iter()
            .map(|s| {
                (
                    s.path.as_str(),
                    s.front.title.as_deref(),
                    s.front.description.as_deref(),
                    &s.toc,
                    &*s.content,
                    &s.dir,
                    None,
                )
            })
            .chain(site.pages.iter().map(|p| {
                let section = &site.sections[p.section];
                (
                    p.path.as_str(),
                    p.front.title.as_deref(),
                    p.front.description.as_deref(),
                    &p.toc,
                    &*p.content,
                    &section.dir,
                    (p.section != crate::model::HOME)
                        .then_some(section.front.title.as_deref())
                        .flatten(),
                )
            }));
        for (path, title, description, toc, content, dir, section_title) in documents {
            if exclude.iter().any(|e| e == dir) {
                continue;
            }
            let mut headings = Vec::new();
            collect_headings(toc, &mut headings);
            let mut body = text_of(content);
            if let Some((cut, _)) = body.char_indices().nth(body_chars) {
                body.truncate(cut);
            }
            entries.push(serde_json::json!({
                "t": title.unwrap_or_default(),
                "u": path.trim_start_matches('/'),
                "s": section_title.unwrap_or_default(),
                "d": description.unwrap_or_default(),
                "h": headings,
                "b": body,
            }));
        }
        let index = serde_json::json!({
            "index_html": site.config.links.index_html,
            "pages": entries,
        });
        let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".into());
        format!(
            "window.DOSSIER_SEARCH_INDEX = {};\n",
            json.replace('<', "\\u003c")
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029")
        )
    }

    fn searchable_site() -> Site {
        use crate::load::{Content, DocKind, Document, FrontMatter, Rendered, TocEntry};
        let doc = |source: &str, title: &str, html: &str| Document {
            source: source.into(),
            kind: if source.ends_with("_index.md") {
                DocKind::Section
            } else {
                DocKind::Page
            },
            front: FrontMatter {
                title: Some(title.into()),
                description: Some("A <b> \u{2028} description".into()),
                ..FrontMatter::default()
            },
            body: Rendered {
                html: html.into(),
                toc: vec![TocEntry {
                    level: 2,
                    id: "h".into(),
                    title: "Heading </script>".into(),
                    children: Vec::new(),
                }],
                ..Rendered::default()
            },
            untitled: false,
            lang: 0,
        };
        let content = Content {
            documents: vec![
                doc("_index.md", "Home", "<p>Home &amp; away</p>"),
                doc("a.md", "A \u{2029}", "<p>Text with &lt;tags&gt;</p>"),
                doc("hidden/_index.md", "Hidden", "<p>Hidden</p>"),
                doc("hidden/x.md", "X", "<p>Also hidden</p>"),
                doc("partners/_index.md", "Partners", "<p>All</p>"),
                doc("partners/japan.md", "Japan", "<p>Long text here</p>"),
            ],
            assets: Vec::new(),
            moved: Default::default(),
        };
        let config =
            crate::config::SiteConfig::parse("title: T\nbase_url: https://x.org/\n").unwrap();
        crate::model::build(config, content, false).0
    }

    #[test]
    fn the_index_assembled_from_entries_is_the_whole_index() {
        let site = searchable_site();
        for options in [
            SearchOptions {
                body_chars: 3000,
                exclude: Vec::new(),
            },
            SearchOptions {
                body_chars: 5,
                exclude: vec!["hidden".into()],
            },
        ] {
            assert_eq!(
                search_index(&site, &options),
                whole_index(&site, options.body_chars, &options.exclude)
            );
        }
    }

    #[test]
    fn refreshing_one_entry_equals_rebuilding_all() {
        let mut site = searchable_site();
        let options = SearchOptions {
            body_chars: 3000,
            exclude: Vec::new(),
        };
        let mut entries = SearchEntries::build(&site, &options);
        let japan = site
            .pages
            .iter()
            .position(|p| p.source == "partners/japan.md")
            .unwrap();
        site.pages[japan].content = "<p>Edited <em>text</em></p>".into();
        entries.refresh_page(&site, japan, &options);
        assert_eq!(entries.script(true), search_index(&site, &options));
    }

    #[test]
    fn text_of_strips_tags_and_decodes() {
        assert_eq!(
            text_of(
                "<h2 id=\"a\">Fish &amp; chips</h2>\n<p>It&#39;s <em>good</em>&nbsp;&#x263A; &bogus; &</p>"
            ),
            "Fish & chips It's good ☺ &bogus; &"
        );
        assert_eq!(
            text_of("<p>See <a href=\"/k/\">Korea</a>.</p><ul><li>one</li><li>two</li></ul>"),
            "See Korea. one two"
        );
    }
}
