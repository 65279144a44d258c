//! Escaping text for HTML attributes and text, in the one way dossier
//! writes HTML of its own (link placeholders, resolved links, the map).

/// Appends `text` with `&`, `<`, `>` and `"` escaped: safe inside a
/// double-quoted attribute and in element text.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// `text` escaped as by [`escape_into`].
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<a href=\"x\">&</a>'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'"
        );
    }
}
