//! What the aliases of pages become in the output: a small HTML page at each
//! old address (it works on any host and from disk), and, for hosts that
//! answer with a real redirect, the maps they read: `_redirects` (Netlify,
//! Cloudflare Pages) and `redirects.nginx.conf` (an nginx `map`). Which are
//! written is `redirects:` in `site.yaml`; the host files only when the site
//! has aliases, and never over a file of the same name in `static/`.

use crate::diagnostics::Diagnostic;
use crate::html::escape;
use crate::model::aliases::Alias;
use crate::model::{Site, urls};

use super::relative::{self, LinkStyle};
use super::{Sink, StaticFiles};

/// Read by Netlify and Cloudflare Pages at the root of the published folder.
pub const NETLIFY_FILE: &str = "_redirects";
/// For nginx's `include`, inside the `http` block.
pub const NGINX_FILE: &str = "redirects.nginx.conf";

/// Writes every redirect output the site asks for. Returns the problems.
pub fn write(site: &Site, statics: &StaticFiles, sink: &Sink) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let config = site.config.outputs.redirects;
    if site.aliases.is_empty() {
        return errors;
    }
    let mut put = |file: &str, text: &str| {
        if let Err(e) = sink(file, text.as_bytes()) {
            errors.push(
                Diagnostic::error(
                    "E-WRITE",
                    file,
                    format!("cannot write the redirect file: {e}"),
                )
                .hint("check free disk space and permissions of the output folder"),
            );
        }
    };
    if config.pages {
        for alias in &site.aliases {
            put(&urls::output_file(&alias.from), &page(site, alias));
        }
    }
    if config.netlify && !statics.files.contains(NETLIFY_FILE) {
        put(NETLIFY_FILE, &netlify(site));
    }
    if config.nginx && !statics.files.contains(NGINX_FILE) {
        put(NGINX_FILE, &nginx(site));
    }
    errors
}

/// The redirect page at `alias.from`: valid HTML in the site's language,
/// sending browsers on at once (`refresh`), telling search engines where the
/// page is (`canonical`), and showing a link for readers and for browsers
/// that do not follow the refresh. Its links are relative like every page's.
pub fn page(site: &Site, alias: &Alias) -> String {
    let folder = match alias.from.rfind('/') {
        Some(i) => &alias.from[..=i],
        None => "/",
    };
    let style = if site.config.links.relative {
        LinkStyle::RelativeTo {
            page: folder,
            index_html: site.config.links.index_html,
        }
    } else {
        LinkStyle::Absolute
    };
    let href = escape(&relative::link(&alias.to, style));
    let canonical = escape(&format!(
        "{}{}",
        site.config.base_url,
        alias.to.trim_start_matches('/')
    ));
    let title = if alias.title.is_empty() {
        alias.to.clone()
    } else {
        alias.title.clone()
    };
    let title = escape(&title);
    let lang = escape(&site.config.language);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Moved: {title}</title>\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n\
         </head>\n<body>\n<main>\n<h1>This page has moved</h1>\n\
         <p>It is now at <a href=\"{href}\">{title}</a>.</p>\n\
         </main>\n</body>\n</html>\n"
    )
}

/// The path below the host's root: `base_url`'s own path, then the site path.
fn served_at(site: &Site, path: &str) -> String {
    let base = site
        .config
        .base_url
        .split_once("://")
        .map_or("", |(_, r)| r);
    let prefix = base.find('/').map_or("/", |i| &base[i..]);
    format!("{}{}", prefix.trim_end_matches('/'), path)
}

/// `_redirects`: `from to 301`, one alias a line (the paths are the encoded
/// site paths under `base_url`'s path, as the host sees them).
pub fn netlify(site: &Site) -> String {
    let mut out = String::from("# Written by dossier from the pages' `aliases:`.\n");
    for alias in &site.aliases {
        out.push_str(&format!(
            "{} {} 301\n",
            served_at(site, &alias.from),
            served_at(site, &alias.to)
        ));
    }
    out
}

/// An nginx `map` from the decoded request path (`$uri`, which nginx
/// decodes) to the new address, with a folder alias matched with and
/// without its final `/`.
pub fn nginx(site: &Site) -> String {
    let mut out = String::from(
        "# Written by dossier from the pages' `aliases:`.\n\
         # In nginx's http block:   include /path/to/redirects.nginx.conf;\n\
         # In the server block:     if ($dossier_redirect) { return 301 $dossier_redirect; }\n\
         map $uri $dossier_redirect {\n    default \"\";\n",
    );
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    for alias in &site.aliases {
        let from = urls::decode(&served_at(site, &alias.from));
        let to = quoted(&served_at(site, &alias.to));
        out.push_str(&format!("    {} {to};\n", quoted(&from)));
        if let Some(bare) = from.strip_suffix('/').filter(|b| !b.is_empty()) {
            out.push_str(&format!("    {} {to};\n", quoted(bare)));
        }
    }
    out.push_str("}\n");
    out
}
