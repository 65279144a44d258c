//! Checking calls against the components' signatures and splicing their
//! HTML around the bodies (see the module docs of `components`).

use std::path::Path;

use rayon::prelude::*;
use tera::{ComponentArgType, Context, Value};

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::yaml::did_you_mean;

use super::library::Library;
use super::{Call, Calls, Literal, MARK};

/// Stands for the body while a component renders; NUL cannot come from
/// content or arguments, so it cannot be forged.
const SENTINEL: &str = "\0body\0";

/// Checks and renders every call of one body and splices the results into
/// `html` (whose internal links are already resolved). `sources` lists the
/// site's content files, for arguments that name a page (`@/…`). `lang` is
/// the page's language code: components see it as `lang` (for `t()`, dates
/// and `get_page`), as templates do.
pub fn expand(
    html: &str,
    calls: &Calls,
    library: &Library,
    sources: &[&str],
    (file, lang): (&Path, &str),
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let parts: Vec<Option<(String, String)>> = calls
        .calls
        .iter()
        .map(|call| render_call(call, library, sources, (file, lang), diagnostics))
        .collect();
    let mut out = String::with_capacity(html.len() + 256 * parts.len());
    let mut rest = html;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find(MARK) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let mark = &after[..end];
        let (kind, number) = mark.split_at(mark.len().min(1));
        let part = number
            .parse::<usize>()
            .ok()
            .and_then(|i| parts.get(i))
            .and_then(Option::as_ref);
        match (kind, part) {
            ("c", Some((open, _))) => out.push_str(open),
            ("e", Some((_, close))) => out.push_str(close),
            ("c" | "e", None) => {}
            _ => {
                out.push(MARK);
                out.push_str(mark);
                out.push(MARK);
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn render_call(
    call: &Call,
    library: &Library,
    sources: &[&str],
    (file, lang): (&Path, &str),
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(String, String)> {
    let error = |code: &'static str, message: String| {
        Diagnostic::error(code, file, message)
            .at(call.location)
            .underline(call.length)
    };
    if call.body && call.end.is_none() {
        return None; // reported as E-COMPONENT-UNCLOSED while reading
    }
    let Some(info) = library.get(&call.name) else {
        let names = library.components.iter().map(|c| c.name.as_str());
        let mut d = error(
            "E-COMPONENT-UNKNOWN",
            format!("there is no component `{}`", call.name),
        );
        d = match did_you_mean(&call.name, names) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint(format!(
                "components you can use: {}",
                library
                    .components
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        diagnostics.push(d);
        return None;
    };
    let signature = info.signature();
    let before = diagnostics.len();
    if info.body != call.body {
        let message = if info.body {
            format!(
                "`{}` takes a Markdown body, closed by `{{% end %}}`",
                info.name
            )
        } else {
            format!(
                "`{}` takes no body: write it `{{% {}(…) /%}}`",
                info.name, info.name
            )
        };
        diagnostics.push(error("E-COMPONENT-BODY", message).hint(info.example()));
    }
    let mut context = Context::new();
    context.insert("lang", lang);
    for arg in &call.args {
        let at = |code: &'static str, message: String| {
            Diagnostic::error(code, file, message)
                .at(arg.location)
                .underline(arg.length)
        };
        let Some(spec) = info.args.iter().find(|a| a.name == arg.name) else {
            let hint = match did_you_mean(&arg.name, info.args.iter().map(|a| a.name.as_str())) {
                Some(s) => format!("did you mean `{s}`? The component is {signature}"),
                None => format!("the component is {signature}"),
            };
            diagnostics.push(
                at(
                    "E-COMPONENT-ARGUMENT",
                    format!("`{}` has no argument `{}`", info.name, arg.name),
                )
                .hint(hint),
            );
            continue;
        };
        let value = match (spec.ty, &arg.value) {
            (None, v) => Some(v.to_value()),
            (Some(ComponentArgType::String), v @ Literal::Str(_))
            | (Some(ComponentArgType::Bool), v @ Literal::Bool(_))
            | (Some(ComponentArgType::Integer), v @ Literal::Int(_))
            | (Some(ComponentArgType::Array), v @ Literal::Array(_))
            | (Some(ComponentArgType::Float | ComponentArgType::Number), v @ Literal::Float(_))
            | (Some(ComponentArgType::Number), v @ Literal::Int(_)) => Some(v.to_value()),
            (Some(ComponentArgType::Float), Literal::Int(i)) => Some(Value::from(*i as f64)),
            (Some(ty), v) => {
                diagnostics.push(
                    at(
                        "E-COMPONENT-TYPE",
                        format!(
                            "`{}` of `{}` must be {} {ty}, not {} {}",
                            arg.name,
                            info.name,
                            article(ty.as_str()),
                            article(v.kind()),
                            v.kind()
                        ),
                    )
                    .hint(format!("the component is {signature}")),
                );
                None
            }
        };
        if let (Some(value), Literal::Str(s)) = (&value, &arg.value)
            && let Some(target) = s.strip_prefix("@/")
            && sources.binary_search(&target).is_err()
        {
            let mut d = at(
                "E-LINK-BROKEN",
                format!("`{}` names `{s}`, which is not a content file", arg.name),
            );
            if let Some(near) = did_you_mean(target, sources.iter().copied()) {
                d = d.hint(format!("did you mean `@/{near}`?"));
            }
            diagnostics.push(d);
            let _ = value;
            continue;
        }
        if let Some(value) = value {
            context.insert_value(arg.name.clone(), value);
        }
    }
    let missing: Vec<&str> = info
        .args
        .iter()
        .filter(|a| a.required && !call.args.iter().any(|c| c.name == a.name))
        .map(|a| a.name.as_str())
        .collect();
    if !missing.is_empty() {
        diagnostics.push(
            error(
                "E-COMPONENT-ARGUMENT",
                format!(
                    "`{}` needs {}: {}",
                    info.name,
                    if missing.len() == 1 {
                        "an argument"
                    } else {
                        "arguments"
                    },
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .hint(format!("the component is {signature}")),
        );
    }
    if diagnostics.len() > before {
        return None;
    }
    let body = if info.body { SENTINEL } else { "" };
    let key: super::library::RenderKey = (
        info.name.clone(),
        call.args
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect(),
        lang.to_string(),
    );
    let cached = library
        .rendered
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    let rendered = match cached {
        Some(html) => Ok(html),
        // Only what rendered is remembered: a failure is reported at each call.
        None => library
            .tera()
            .render_component(&info.name, &context, Some(body), true)
            .inspect(|html| {
                library
                    .rendered
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, html.clone());
            }),
    };
    let html = match rendered {
        Ok(html) => html,
        Err(e) => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            diagnostics.push(
                error(
                    "E-COMPONENT-RENDER",
                    format!("`{}` failed to render: {message}", info.name),
                )
                .note(format!(
                    "the component is defined in templates/{}",
                    info.file
                )),
            );
            return None;
        }
    };
    if !info.body {
        return Some((html, String::new()));
    }
    let mut pieces = html.split(SENTINEL);
    match (pieces.next(), pieces.next(), pieces.next()) {
        (Some(open), Some(close), None) => Some((open.to_string(), close.to_string())),
        _ => {
            diagnostics.push(
                error(
                    "E-COMPONENT-RENDER",
                    format!(
                        "`{}` must show its body exactly once (`{{{{ body }}}}`)",
                        info.name
                    ),
                )
                .note(format!(
                    "the component is defined in templates/{}",
                    info.file
                )),
            );
            None
        }
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'i']) {
        "an"
    } else {
        "a"
    }
}

/// Expands the component calls of every page and section of `site`, with
/// the components of `templates`. Templates may call `get_page` in a
/// component (the partner card does), so the lookup is installed first.
pub fn expand_site(site: &mut Site, templates: &mut crate::render::Templates) -> Vec<Diagnostic> {
    let any = site
        .pages
        .iter()
        .map(|p| &p.facts)
        .chain(site.sections.iter().map(|s| &s.facts))
        .any(|f| super::has_marks(&f.components));
    if !any {
        return Vec::new();
    }
    // The site's values cost 10 ms at 1,000 pages: built only when a
    // component called reads them (the interface strings always are).
    let reads_site = {
        let library = templates.components();
        let calls_one = |calls: &Calls| {
            calls.calls.iter().any(|call| {
                library
                    .get(&call.name)
                    .is_none_or(|component| component.reads_site)
            })
        };
        site.pages
            .iter()
            .map(|p| &p.facts.components)
            .chain(site.sections.iter().map(|s| &s.facts.components))
            .any(calls_one)
    };
    crate::render::install_lookup(site, templates, reads_site);
    let library = templates.components();
    let sources = content_sources(site);
    let languages = &site.config.languages;
    let default = site.config.language.as_str();
    // Each document's calls are rendered on their own: in parallel, as
    // pages are rendered (a serial loop here cost 20 ms at 1,000 pages).
    let expand_one = |source: &str, content: &str, calls: &Calls, lang| {
        let mut found = Vec::new();
        let file = crate::load::content_path(source);
        let html = expand(
            content,
            calls,
            &library,
            &sources,
            (&file, languages.code(lang, default)),
            &mut found,
        );
        (html, found)
    };
    // (a page, not a section; its index; source; content; calls; language)
    // of every document that calls a component.
    let documents: Vec<(bool, usize, &str, &str, &Calls, _)> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                true,
                i,
                &*p.source,
                &*p.content,
                &p.facts.components,
                p.lang,
            )
        })
        .chain(site.sections.iter().enumerate().map(|(i, s)| {
            (
                false,
                i,
                &*s.source,
                &*s.content,
                &s.facts.components,
                s.lang,
            )
        }))
        .filter(|d| super::has_marks(d.4))
        .collect();
    let expanded: Vec<(bool, usize, (String, Vec<Diagnostic>))> = documents
        .par_iter()
        .map(|&(page, i, source, content, calls, lang)| {
            (page, i, expand_one(source, content, calls, lang))
        })
        .collect();
    drop(documents);
    drop(library);
    let mut diagnostics = Vec::new();
    for (page, i, (html, found)) in expanded {
        if page {
            site.pages[i].content = html.into();
        } else {
            site.sections[i].content = html.into();
        }
        diagnostics.extend(found);
    }
    diagnostics
}

/// The content files of `site` that a page argument (`@/…`) may name, sorted.
fn content_sources(site: &Site) -> Vec<&str> {
    let mut sources: Vec<&str> = site
        .pages
        .iter()
        .map(|p| p.source.as_str())
        .chain(site.sections.iter().map(|s| s.source.as_str()))
        .collect();
    sources.sort_unstable();
    sources
}

/// Expands the calls of one edited body (`source`, with its links already
/// resolved into `html`) against the site as it is: the dev server's fast
/// path, where only that body changed.
pub fn expand_one(
    site: &Site,
    templates: &crate::render::Templates,
    source: &str,
    html: &str,
    calls: &Calls,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let library = templates.components();
    let sources = content_sources(site);
    let file = crate::load::content_path(source);
    let lang = site
        .pages
        .iter()
        .find(|p| p.source == source)
        .map_or(site.config.language.as_str(), |p| {
            site.config.languages.code(p.lang, &site.config.language)
        });
    expand(html, calls, &library, &sources, (&file, lang), diagnostics)
}
