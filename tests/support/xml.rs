//! A small, strict XML 1.0 reader for the tests of dossier's own XML files
//! (`atom.xml`, `sitemap.xml`). No XML crate is a dependency, and these files
//! are simple, so this checks well-formedness itself: one root element,
//! matching and properly nested tags, quoted and unique attributes, only the
//! five predefined entities and character references, no `<` or `]]>` in
//! character data, and nothing but white space, comments and processing
//! instructions outside the root. DTDs are refused (dossier writes none).
//! Namespaces are not resolved: `xmlns` is an attribute like any other.
#![allow(dead_code)]

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements named `name`, in order.
    pub fn all<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a Element> + use<'a, 'n> {
        self.children.iter().filter_map(move |n| match n {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// The one child element named `name`; panics if there is none or more.
    pub fn one(&self, name: &str) -> &Element {
        let found: Vec<&Element> = self.all(name).collect();
        assert_eq!(
            found.len(),
            1,
            "<{}> should have exactly one <{name}>, has {}",
            self.name,
            found.len()
        );
        found[0]
    }

    /// The text of the child element `name` (see [`Element::one`]).
    pub fn text_of(&self, name: &str) -> String {
        self.one(name).text()
    }

    /// All character data inside this element, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => out.push_str(&e.text()),
            }
        }
        out
    }
}

/// Parses a whole document and returns its root element, or a message with
/// the byte offset of the first well-formedness error.
pub fn parse(doc: &str) -> Result<Element, String> {
    let mut p = Parser { s: doc, i: 0 };
    if p.s.starts_with('\u{feff}') {
        p.i = 3;
    }
    if p.s[p.i..].starts_with("<?xml") {
        p.pi()?;
    }
    p.misc()?;
    if !p.rest().starts_with('<') {
        return Err(p.err("expected the root element"));
    }
    let root = p.element()?;
    p.misc()?;
    if p.i != p.s.len() {
        return Err(p.err("content after the root element"));
    }
    Ok(root)
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn err(&self, what: &str) -> String {
        let near: String = self.rest().chars().take(40).collect();
        format!("XML error at byte {}: {what} (near {near:?})", self.i)
    }

    fn skip_ws(&mut self) {
        let n = self.rest().len()
            - self
                .rest()
                .trim_start_matches([' ', '\t', '\r', '\n'])
                .len();
        self.i += n;
    }

    /// White space, comments and processing instructions.
    fn misc(&mut self) -> Result<(), String> {
        loop {
            self.skip_ws();
            if self.rest().starts_with("<!--") {
                self.comment()?;
            } else if self.rest().starts_with("<?") {
                self.pi()?;
            } else if self.rest().starts_with("<!DOCTYPE") {
                return Err(self.err("a DTD (dossier writes none)"));
            } else {
                return Ok(());
            }
        }
    }

    fn comment(&mut self) -> Result<(), String> {
        let end = self.rest()[4..]
            .find("-->")
            .ok_or_else(|| self.err("unterminated comment"))?;
        if self.rest()[4..4 + end].contains("--") {
            return Err(self.err("`--` inside a comment"));
        }
        self.i += 4 + end + 3;
        Ok(())
    }

    fn pi(&mut self) -> Result<(), String> {
        let end = self
            .rest()
            .find("?>")
            .ok_or_else(|| self.err("unterminated processing instruction"))?;
        self.i += end + 2;
        Ok(())
    }

    fn name(&mut self) -> Result<String, String> {
        let rest = self.rest();
        let mut chars = rest.char_indices();
        match chars.next() {
            Some((_, c)) if c.is_alphabetic() || c == '_' || c == ':' => {}
            _ => return Err(self.err("expected a name")),
        }
        let end = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.')))
            .map_or(rest.len(), |(i, _)| i);
        self.i += end;
        Ok(rest[..end].to_string())
    }

    fn element(&mut self) -> Result<Element, String> {
        self.i += 1; // '<'
        let name = self.name()?;
        let mut attributes: Vec<(String, String)> = Vec::new();
        loop {
            let before = self.i;
            self.skip_ws();
            if self.rest().starts_with("/>") {
                self.i += 2;
                return Ok(Element {
                    name,
                    attributes,
                    children: Vec::new(),
                });
            }
            if self.rest().starts_with('>') {
                self.i += 1;
                break;
            }
            if self.i == before {
                return Err(self.err("expected white space before an attribute"));
            }
            let attr = self.name()?;
            self.skip_ws();
            if !self.rest().starts_with('=') {
                return Err(self.err("expected `=` after an attribute name"));
            }
            self.i += 1;
            self.skip_ws();
            let quote = self
                .rest()
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
                .ok_or_else(|| self.err("attribute value not quoted"))?;
            self.i += 1;
            let end = self
                .rest()
                .find(quote)
                .ok_or_else(|| self.err("unterminated attribute value"))?;
            let raw = &self.rest()[..end];
            if raw.contains('<') {
                return Err(self.err("`<` in an attribute value"));
            }
            let value = self.decode(raw)?;
            self.i += end + 1;
            if attributes.iter().any(|(n, _)| *n == attr) {
                return Err(self.err(&format!("duplicate attribute {attr}")));
            }
            attributes.push((attr, value));
        }
        let mut children = Vec::new();
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return Err(self.err(&format!("<{name}> is never closed")));
            }
            if rest.starts_with("</") {
                self.i += 2;
                let closing = self.name()?;
                self.skip_ws();
                if closing != name || !self.rest().starts_with('>') {
                    return Err(self.err(&format!("</{closing}> closes <{name}>")));
                }
                self.i += 1;
                return Ok(Element {
                    name,
                    attributes,
                    children,
                });
            } else if rest.starts_with("<!--") {
                self.comment()?;
            } else if rest.starts_with("<![CDATA[") {
                let end = rest
                    .find("]]>")
                    .ok_or_else(|| self.err("unterminated CDATA section"))?;
                children.push(Node::Text(rest[9..end].to_string()));
                self.i += end + 3;
            } else if rest.starts_with("<?") {
                self.pi()?;
            } else if rest.starts_with('<') {
                children.push(Node::Element(self.element()?));
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let raw = &rest[..end];
                if raw.contains("]]>") {
                    return Err(self.err("`]]>` in character data"));
                }
                let text = self.decode(raw)?;
                children.push(Node::Text(text));
                self.i += end;
            }
        }
    }

    /// Entity and character references decoded; a bare `&` is an error, as
    /// are characters XML 1.0 does not allow.
    fn decode(&self, raw: &str) -> Result<String, String> {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let after = &rest[amp + 1..];
            let semi = after
                .find(';')
                .ok_or_else(|| self.err("`&` that starts no reference"))?;
            let name = &after[..semi];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.err(&format!("bad character reference &{n};")))?,
                n if n.starts_with('#') => n[1..]
                    .parse::<u32>()
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.err(&format!("bad character reference &{n};")))?,
                n => return Err(self.err(&format!("unknown entity &{n};"))),
            };
            out.push(c);
            rest = &after[semi + 1..];
        }
        out.push_str(rest);
        if let Some(c) = out
            .chars()
            .find(|&c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        {
            return Err(self.err(&format!(
                "character U+{:04X} is not allowed in XML",
                c as u32
            )));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_document() {
        let root = parse(
            "<?xml version=\"1.0\"?>\n<a xmlns=\"urn:x\" k='v &amp; w'><b>1 &lt; 2</b><!-- c --><b/><c><![CDATA[<x>]]></c></a>\n",
        )
        .unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("xmlns"), Some("urn:x"));
        assert_eq!(root.attr("k"), Some("v & w"));
        assert_eq!(root.all("b").count(), 2);
        assert_eq!(root.text_of("c"), "<x>");
        assert_eq!(root.all("b").next().unwrap().text(), "1 < 2");
    }

    #[test]
    fn refuses_what_is_not_well_formed() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a><b></a></b>",
            "<a>x & y</a>",
            "<a>]]></a>",
            "<a k=v/>",
            "<a k='1' k='2'/>",
            "<a k='<'/>",
            "<a>&bogus;</a>",
            "<a/><b/>",
            "<a/>text",
            "<a>\u{1}</a>",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }
}
