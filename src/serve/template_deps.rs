//! Which templates depend on which, and which read what: what the dev
//! server needs to know to re-render only the outputs a template edit can
//! change. Found by scanning each template's text for the names of other
//! templates in its tags (`extends`, `include`, `import`) and for the
//! components it uses: over-approximating is safe (something is re-rendered
//! for nothing), missing a dependency is not.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use crate::render;

/// Every template's text, by name.
pub fn template_sources(root: &Path) -> BTreeMap<String, String> {
    let dir = root.join(render::TEMPLATES_DIR);
    walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((name, text))
        })
        .collect()
}

/// For each template, every template it depends on, transitively: those it
/// names in a tag (`extends`, `include`, `import`…) and those defining a
/// component it uses (`{{ <name … /> }}`). A superset is safe; a miss would
/// not be.
pub fn dependencies(sources: &BTreeMap<String, String>) -> HashMap<String, BTreeSet<String>> {
    let code: BTreeMap<&str, String> = sources
        .iter()
        .map(|(n, t)| (n.as_str(), strip_comments(t)))
        .collect();
    let components: Vec<(String, &str)> = code
        .iter()
        .flat_map(|(name, text)| {
            text.match_indices("{% component ")
                .filter_map(move |(i, m)| {
                    let rest = &text[i + m.len()..];
                    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
                    Some((rest[..end].to_string(), *name))
                })
        })
        .collect();
    let direct: HashMap<&str, BTreeSet<String>> = code
        .iter()
        .map(|(name, text)| {
            let mut named: BTreeSet<String> = sources
                .keys()
                .filter(|other| other.as_str() != *name && names_in_tags(text, other))
                .cloned()
                .collect();
            for (component, defined_in) in &components {
                if defined_in != name && text.contains(&format!("<{component}")) {
                    named.insert(defined_in.to_string());
                }
            }
            (*name, named)
        })
        .collect();
    sources
        .keys()
        .map(|name| {
            let mut seen: BTreeSet<String> = BTreeSet::new();
            let mut stack: Vec<String> = direct
                .get(name.as_str())
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            while let Some(next) = stack.pop() {
                if seen.insert(next.clone()) {
                    stack.extend(direct.get(next.as_str()).into_iter().flatten().cloned());
                }
            }
            seen.remove(name);
            (name.clone(), seen)
        })
        .collect()
}

/// Template text without `{# … #}` comments (which may mention anything).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        match rest[start..].find("#}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

fn names_in_tags(text: &str, name: &str) -> bool {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    text.split("{%").skip(1).any(|tag| {
        let tag = tag.split("%}").next().unwrap_or_default();
        quoted.iter().any(|q| tag.contains(q.as_str()))
    })
}

/// Templates whose code (or that of a template they use) contains one of
/// `needles`.
pub fn reading(
    sources: &BTreeMap<String, String>,
    deps: &HashMap<String, BTreeSet<String>>,
    needles: &[&str],
) -> HashSet<String> {
    let reads = |name: &String| {
        sources.get(name).is_some_and(|text| {
            let code = strip_comments(text);
            needles.iter().any(|needle| code.contains(needle))
        })
    };
    sources
        .keys()
        .filter(|name| reads(name) || deps.get(*name).is_some_and(|d| d.iter().any(reads)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_dependencies_are_transitive() {
        let sources: BTreeMap<String, String> = [
            ("base.html", "<html>{% block main %}{% endblock main %}</html>"),
            ("page.html", "{% extends \"base.html\" %}{% block main %}{% include \"parts/nav.html\" %}{% endblock main %}"),
            ("parts/nav.html", "{% for p in site.pages %}{{ p.title }}{% endfor %}"),
            ("other.html", "{# not site.yaml #}{{ <badge x=1/> }}"),
            ("components/badge.html", "{% component badge(x) %}{{ x }}{% endcomponent %}"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let deps = dependencies(&sources);
        assert_eq!(
            deps["page.html"],
            ["base.html", "parts/nav.html"]
                .into_iter()
                .map(String::from)
                .collect()
        );
        assert_eq!(
            deps["other.html"],
            ["components/badge.html".to_string()].into_iter().collect()
        );
        let wide = reading(&sources, &deps, &["site."]);
        assert!(wide.contains("page.html") && wide.contains("parts/nav.html"));
        assert!(!wide.contains("other.html") && !wide.contains("base.html"));
    }
}
