//! Filters and functions dossier adds to Tera.
//!
//! They are registered before any template is added, because Tera 2 checks
//! at load time that every filter and function a template calls exists. The
//! functions that look up pages need the site, which does not exist yet at
//! that point: they read it from a [`Lookup`] filled in when rendering starts.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::map::{self, MapRequest, Marker};
use crate::date::Date;

/// Pages and sections by content path, for `get_page` and `get_section`.
#[derive(Default)]
pub struct Lookup {
    pub pages: HashMap<String, LookupPage>,
    pub sections: HashMap<String, Value>,
    /// Per section folder, its pages' text fields, for `world_map`.
    pub map_pages: HashMap<String, Vec<MapPage>>,
    pub base_url: String,
    /// `/style.css` → `/style.3f2a9c1e.css`, for `asset()`.
    pub fingerprints: HashMap<String, String>,
    /// The default language's code. Pages, sections and map pages of other
    /// languages are keyed `fr:partners/japan.md`, `fr:partners`: a
    /// template in French asks for `partners/japan.md` and gets the French
    /// version when there is one.
    pub default_lang: String,
    /// `i18n/<code>.yaml`, for `t()`.
    pub strings: crate::i18n::Strings,
}

impl Lookup {
    /// The key of `key` for a template rendering in `state`'s language.
    fn localized<'k, T>(
        &self,
        map: &'k HashMap<String, T>,
        key: &str,
        state: &State,
    ) -> Option<&'k T> {
        let lang: Option<String> = state.get("lang").ok().flatten();
        if let Some(lang) =
            lang.filter(|l| *l != self.default_lang && !self.default_lang.is_empty())
            && let Some(found) = map.get(&format!("{lang}:{key}"))
        {
            return Some(found);
        }
        // A translation named by its own file (`japan.fr.md`, as
        // `page.source` gives it): that language's entry.
        if let Some((base, code)) = key.strip_suffix(".md").and_then(|k| k.rsplit_once('.'))
            && !code.contains('/')
            && let Some(found) = map.get(&format!("{code}:{base}.md"))
        {
            return Some(found);
        }
        map.get(key)
    }
}

/// A page as `get_page` returns it: the summary plus content and table of
/// contents, assembled only when a template asks (content is shared, not
/// copied, until then).
pub struct LookupPage {
    pub summary: Value,
    pub content: Arc<str>,
    pub toc: Value,
}

impl LookupPage {
    fn full(&self) -> Value {
        let mut map = self.summary.as_map().cloned().unwrap_or_default();
        map.insert("content".into(), Value::safe_string(&self.content));
        map.insert("toc".into(), self.toc.clone());
        Value::from(map)
    }
}

/// What `world_map` needs of a page.
pub struct MapPage {
    pub path: String,
    pub title: String,
    pub fields: HashMap<String, String>,
}

pub type SharedLookup = Arc<RwLock<Lookup>>;

pub fn register(tera: &mut Tera, lookup: &SharedLookup) {
    tera.register_filter("date", date);
    let l = Arc::clone(lookup);
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            // `lang=` asks for another language than the page's (the 404
            // page speaks every language).
            let lang: Option<String> = match kwargs.get::<String>("lang")? {
                Some(asked) => Some(asked),
                None => state.get("lang")?,
            };
            let lookup = l
                .read()
                .map_err(|_| Error::message("site data unavailable"))?;
            let code = lang.unwrap_or_default();
            lookup
                .strings
                .get(&code, key)
                .map(Value::from)
                .map_err(Error::message)
        },
    );
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| slug::slugify(s));
    tera.register_filter("json", json);

    let l = Arc::clone(lookup);
    tera.register_filter("absolute", move |path: &str, _: Kwargs, _: &State| {
        let base = l.read().map(|l| l.base_url.clone()).unwrap_or_default();
        absolute(&base, path)
    });
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let key = content_key(path);
            let lookup = l
                .read()
                .map_err(|_| Error::message("site data unavailable"))?;
            lookup
                .localized(&lookup.pages, key, state)
                .map(LookupPage::full)
                .ok_or_else(|| Error::message(format!("get_page: there is no page content/{key}")))
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function("world_map", WorldMapFunction(l));
    let l = Arc::clone(lookup);
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let key = format!("/{}", path.trim_start_matches('/'));
            let lookup = l
                .read()
                .map_err(|_| Error::message("site data unavailable"))?;
            lookup.fingerprints.get(&key).map(|p| Value::from(p.as_str())).ok_or_else(|| {
                Error::message(format!(
                    "asset: there is no static{key} (asset() takes .css and .js files from static/)"
                ))
            })
        },
    );
    let l = Arc::clone(lookup);
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let key = content_key(path);
            let dir = key.trim_end_matches("_index.md").trim_end_matches('/');
            let lookup = l
                .read()
                .map_err(|_| Error::message("site data unavailable"))?;
            lookup
                .localized(&lookup.sections, dir, state)
                .cloned()
                .ok_or_else(|| {
                    Error::message(format!(
                        "get_section: there is no section content/{dir}{}_index.md",
                        if dir.is_empty() { "" } else { "/" }
                    ))
                })
        },
    );
}

/// `world_map(section="partners")`: the inline SVG map. Optional arguments:
/// `code_field` (default `country_code`), `class_field` (default `status`),
/// `labels` (a map from class values to words for the link labels),
/// `bounds` (`[west, south, east, north]` degrees), `label` (the map's
/// accessible name), `patterns` (emit the pattern definitions; default true,
/// set false for a second map on the same page).
struct WorldMapFunction(SharedLookup);

impl tera::Function<TeraResult<Value>> for WorldMapFunction {
    fn call(&self, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
        let section: &str = kwargs.must_get("section")?;
        let code_field: &str = kwargs.get("code_field")?.unwrap_or("country_code");
        let class_field: &str = kwargs.get("class_field")?.unwrap_or("status");
        let label: &str = kwargs.get("label")?.unwrap_or("Map of partner countries");
        let patterns: bool = kwargs.get("patterns")?.unwrap_or(true);
        let labels: Option<&tera::Map> = kwargs.get("labels")?;
        let order: Vec<String> = kwargs.get("order")?.unwrap_or_default();
        let bounds = match kwargs.get::<Vec<f64>>("bounds")? {
            None => None,
            Some(b) if b.len() == 4 => Some([b[0], b[1], b[2], b[3]]),
            Some(_) => {
                return Err(Error::message(
                    "world_map: `bounds` is [west, south, east, north]",
                ));
            }
        };
        let lookup = self
            .0
            .read()
            .map_err(|_| Error::message("site data unavailable"))?;
        let pages = lookup
            .localized(&lookup.map_pages, section.trim_matches('/'), state)
            .ok_or_else(|| {
                Error::message(format!(
                    "world_map: there is no section content/{section}/_index.md"
                ))
            })?;
        let markers: Vec<Marker> = pages
            .iter()
            .filter_map(|p| {
                let code = p.fields.get(code_field)?;
                let class = p.fields.get(class_field).cloned();
                let word = class.as_deref().map(|c| {
                    labels
                        .and_then(|l| l.get(&tera::value::Key::Str(c)))
                        .and_then(Value::as_str)
                        .map_or_else(|| c.replace('_', " "), str::to_string)
                });
                Some(Marker {
                    code: code.clone(),
                    href: p.path.clone(),
                    label: match word {
                        Some(w) => format!("{}: {w}", p.title),
                        None => p.title.clone(),
                    },
                    class,
                })
            })
            .collect();
        let request = MapRequest {
            order: &order,
            markers: &markers,
            bounds,
            label,
            patterns,
        };
        map::draw(&request)
            .map(|svg| Value::safe_string(&svg))
            .map_err(|e| Error::message(format!("world_map: {e}")))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `@/partners/japan.md` and `/partners/japan.md` → `partners/japan.md`.
fn content_key(path: &str) -> &str {
    path.trim_start_matches('@').trim_start_matches('/')
}

fn absolute(base: &str, path: &str) -> String {
    if path.contains("://") {
        path.to_string()
    } else {
        format!("{base}{}", path.trim_start_matches('/'))
    }
}

/// `{{ page.date | date(format="%-d %B %Y") }}`; the default format is
/// the page's language's long date: `11 February 2026`, `11 février 2026`,
/// `11. Februar 2026` (month names in the language either way).
fn date(value: &str, kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let format: Option<&str> = kwargs.get("format")?;
    let lang: Option<String> = state.get("lang")?;
    let date = Date::parse(value).map_err(Error::message)?;
    crate::i18n::format_date(date, lang.as_deref().unwrap_or("en"), format).map_err(Error::message)
}

/// Serialises any value as JSON, for `<script type="application/ld+json">`.
/// `<`, `>` and `&` are escaped so the result can never close the script.
fn json(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let text = serde_json::to_string(&value).map_err(|e| Error::message(e.to_string()))?;
    let safe = text
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    Ok(Value::safe_string(&safe))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    fn render(template: &str, ctx: &Context) -> String {
        let mut tera = Tera::new();
        let lookup = SharedLookup::default();
        lookup.write().unwrap().base_url = "https://x.org/sub/".into();
        lookup.write().unwrap().pages.insert(
            "a.md".into(),
            LookupPage {
                summary: Value::from(tera::Map::new()),
                content: Arc::from("<p>A page</p>"),
                toc: Value::from(Vec::<Value>::new()),
            },
        );
        register(&mut tera, &lookup);
        tera.add_raw_template("t.html", template).unwrap();
        tera.render("t.html", ctx).unwrap()
    }

    #[test]
    fn filters_and_functions() {
        let mut ctx = Context::new();
        ctx.insert("d", "2026-02-11");
        ctx.insert("s", "</script><b>");
        assert_eq!(render("{{ d | date }}", &ctx), "11 February 2026");
        assert_eq!(render("{{ d | date(format=\"%Y\") }}", &ctx), "2026");
        assert_eq!(
            render("{{ \"Republic of Korea\" | slugify }}", &ctx),
            "republic-of-korea"
        );
        assert_eq!(
            render("{{ \"/a/\" | absolute }}", &ctx),
            "https://x.org/sub/a/"
        );
        assert_eq!(
            render("{{ s | json }}", &ctx),
            "\"\\u003c/script\\u003e\\u003cb\\u003e\""
        );
        assert_eq!(
            render(
                "{% set p = get_page(path=\"@/a.md\") %}{{ p.content }}",
                &ctx
            ),
            "<p>A page</p>"
        );
    }
}
