//! Text from the input (file names, keys, titles, source lines) made safe to
//! print on a terminal.
//!
//! A file name can hold any byte but `/` and NUL. Printed raw, an escape
//! sequence in it recolours or clears the terminal, and a newline can forge a
//! whole report line (`error[E-FAKE]: …`) that a person or a CI log parser
//! believes. Every control character, and the Unicode controls that reorder
//! text (the "Trojan Source" bidirectional overrides), is shown as a visible
//! escape instead. JSON output needs none of this: serde escapes it.

use std::borrow::Cow;

/// `text` with every character that could act on a terminal written as an
/// escape: `\n`, `\r`, `\t` for those, `\u{1b}` for the others.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped if it must be.
pub(super) fn push_printable(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

/// C0 and C1 controls, DEL, and the bidirectional formatting characters.
pub(super) fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(printable("content/café.md"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_and_bidi_overrides_are_escaped() {
        assert_eq!(
            printable("a\nerror[E-FAKE]: x.md"),
            "a\\nerror[E-FAKE]: x.md"
        );
        assert_eq!(printable("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(printable("x\u{202e}dm.exe"), "x\\u{202e}dm.exe");
        assert_eq!(printable("del\u{7f}"), "del\\u{7f}");
        assert_eq!(printable("c1\u{9b}"), "c1\\u{9b}");
    }
}
