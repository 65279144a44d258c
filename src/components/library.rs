//! The components content may call, read from the site's Tera instance:
//! their typed arguments and defaults (Tera's `ComponentInfo`), whether they
//! take a body (the `{"markdown": …}` metadata) and their doc comment.

use std::collections::HashMap;

use tera::{ComponentArgType, Tera, Value};

/// A component content may call: one whose definition carries the metadata
/// `{"markdown": "body"}` or `{"markdown": "no_body"}`.
#[derive(Debug, Clone)]
pub struct Info {
    pub name: String,
    pub args: Vec<ArgInfo>,
    pub body: bool,
    /// The `{# … #}` comment right before the definition.
    pub doc: String,
    /// The template file that defines it.
    pub file: String,
    /// Its definition may read the site (`get_page`, `get_section`,
    /// `world_map`, or another component that might): the site's values must
    /// be installed before it is expanded. True when unsure.
    pub reads_site: bool,
}

#[derive(Debug, Clone)]
pub struct ArgInfo {
    pub name: String,
    pub ty: Option<ComponentArgType>,
    pub default: Option<Value>,
    pub required: bool,
}

impl Info {
    /// `callout(kind: string = "note", title: string = none)`.
    pub fn signature(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                let mut s = a.name.clone();
                if let Some(t) = a.ty {
                    s.push_str(": ");
                    s.push_str(t.as_str());
                }
                if let Some(d) = &a.default {
                    s.push_str(" = ");
                    s.push_str(&literal_text(d));
                }
                s
            })
            .collect();
        format!("{}({})", self.name, args.join(", "))
    }

    /// How an editor writes a call, with the required arguments.
    pub fn example(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .filter(|a| a.required)
            .map(|a| format!("{}=\"…\"", a.name))
            .collect();
        let call = if args.is_empty() {
            self.name.clone()
        } else {
            format!("{}({})", self.name, args.join(", "))
        };
        if self.body {
            format!("{{% {call} %}}\n…\n{{% end %}}")
        } else {
            format!("{{% {call} /%}}")
        }
    }
}

/// A default value as a component definition writes it.
fn literal_text(v: &Value) -> String {
    if v.is_none() {
        "none".into()
    } else if let Some(s) = v.as_str() {
        format!("{s:?}")
    } else {
        v.to_string()
    }
}

/// The components content may call, and the Tera instance that renders them.
pub struct Library<'t> {
    tera: &'t Tera,
    pub components: Vec<Info>,
    /// What each distinct call rendered to, for this library's lifetime
    /// (one build, or one edit): a call is a function of its component,
    /// arguments and language, and the same call is often written on many
    /// pages (`callout(kind="note")`).
    pub(super) rendered: std::sync::Mutex<HashMap<RenderKey, String>>,
}

/// A call as far as its output depends on it.
pub(super) type RenderKey = (String, Vec<(String, crate::components::Literal)>, String);

impl<'t> Library<'t> {
    /// `sources` maps template names to their text, for doc comments.
    pub fn new(tera: &'t Tera, sources: &HashMap<String, String>) -> Self {
        let mut components: Vec<Info> = tera
            .get_component_names()
            .filter_map(|name| {
                let def = tera.get_component_definition(name)?;
                let body = match def.metadata().get("markdown")?.as_str()? {
                    "body" => true,
                    "no_body" => false,
                    _ => return None,
                };
                let (file, doc) = doc_comment(name, sources);
                Some(Info {
                    name: name.to_string(),
                    // Implicit props (`@lang`) come from the caller's
                    // context, never from an editor's call.
                    args: def
                        .args()
                        .iter()
                        .filter(|a| !a.is_implicit())
                        .map(|a| ArgInfo {
                            name: a.name().to_string(),
                            ty: a.arg_type(),
                            default: a.default().cloned(),
                            required: a.is_required(),
                        })
                        .collect(),
                    body,
                    doc,
                    file,
                    reads_site: reads_site(name, sources),
                })
            })
            .collect();
        components.sort_by(|a, b| a.name.cmp(&b.name));
        Library {
            tera,
            components,
            rendered: Default::default(),
        }
    }

    pub(super) fn tera(&self) -> &'t Tera {
        self.tera
    }

    pub fn get(&self, name: &str) -> Option<&Info> {
        self.components.iter().find(|c| c.name == name)
    }
}

/// The comment `{# … #}` (or `{#- … -#}`) that ends right before
/// `{% component name(`, and the file it is in.
/// Whether the definition of component `name` may read the site's values.
fn reads_site(name: &str, sources: &HashMap<String, String>) -> bool {
    let start = format!("component {name}(");
    let end = format!("endcomponent {name}");
    let definition = sources.values().find_map(|text| {
        let at = text.find(&start)?;
        let len = text[at..].find(&end)?;
        Some(&text[at..at + len])
    });
    definition.is_none_or(|d| {
        ["get_page", "get_section", "world_map", "site.", "<"]
            .iter()
            .any(|reader| d.contains(reader))
    })
}

fn doc_comment(name: &str, sources: &HashMap<String, String>) -> (String, String) {
    let needle = format!("component {name}(");
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort();
    for file in names {
        let text = &sources[file];
        let Some(at) = text.find(&needle) else {
            continue;
        };
        let before = text[..at].trim_end_matches([' ', '-', '%', '{']).trim_end();
        let doc = before
            .strip_suffix("#}")
            .and_then(|b| b.rfind("{#").map(|s| &b[s + 2..]))
            .map(|d| {
                d.trim_matches('-')
                    .lines()
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        return (file.clone(), doc);
    }
    (String::new(), String::new())
}
