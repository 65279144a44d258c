//! The page served for every site path until the first build succeeds.
//!
//! Without it a tab opened on a site that does not build yet would see a
//! bare "not found". This page lists the errors itself (so it says what is
//! wrong even without JavaScript), loads the live script, which covers it
//! with the overlay, and is replaced by the site at the first good rebuild
//! (the script reloads on `reload`).

use crate::html::escape;

pub fn page(findings: &str, script: &str) -> String {
    let findings: Vec<serde_json::Value> = serde_json::from_str(findings).unwrap_or_default();
    let mut items = String::new();
    for f in &findings {
        let field = |name: &str| f.get(name).and_then(|v| v.as_str()).unwrap_or("");
        let mut place = field("file").to_string();
        if let Some(line) = f.get("line").and_then(|v| v.as_u64()) {
            place.push_str(&format!(":{line}"));
        }
        items.push_str(&format!(
            "<li><code>{}</code> {}: {}</li>\n",
            escape(field("code")),
            escape(&place),
            escape(field("message"))
        ));
    }
    let list = if items.is_empty() {
        "<p>The first build is not finished, or failed without a message; see the terminal.</p>\n"
            .to_string()
    } else {
        format!("<ul>\n{items}</ul>\n")
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The site could not be built (dossier serve)</title>\n\
         <style>body{{font:1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0}}\
         main{{max-width:48rem;margin:0 auto;padding:1.5rem 1rem}}a{{color:#0645ad}}</style>\n\
         </head>\n<body>\n<main>\n<h1>The site could not be built yet</h1>\n\
         <p>dossier serve found these errors. Fix them and save: this page turns into the site as soon as it builds.</p>\n\
         {list}<p>What each code means: <a href=\"/__dossier/guide/\">the editors' guide</a>.</p>\n\
         </main>\n<script src=\"{script}\"></script>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_errors_are_listed_escaped() {
        let page = page(
            r#"[{"severity":"error","code":"E-CONFIG","file":"site.yaml","line":3,"message":"bad <key>"}]"#,
            "/live.js",
        );
        assert!(page.contains("<li><code>E-CONFIG</code> site.yaml:3: bad &lt;key&gt;</li>"));
        assert!(page.contains("<script src=\"/live.js\"></script>"));
        assert!(page.contains("<html lang=\"en\">"));
        assert!(super::page("[]", "/x").contains("see the terminal"));
    }
}
