//! Reading one component line: `{% callout(kind="note", title="Since the vote") %}`,
//! `{% partner_card(page="@/partners/japan.md") /%}` or `{% end %}`.
//!
//! The grammar is deliberately small (names, `key=literal` pairs, literals
//! of Tera's own kinds), so that what an editor types by hand either means
//! one thing or is an error at the character where it stops making sense.

/// A literal argument value, as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    Str(String),
    Int(i64),
    /// Kept as written (checked to be a number), so calls compare exactly.
    Float(String),
    Bool(bool),
    Array(Vec<Literal>),
}

impl Literal {
    /// The kind's name as Tera's component types spell it.
    pub fn kind(&self) -> &'static str {
        match self {
            Literal::Str(_) => "string",
            Literal::Int(_) => "integer",
            Literal::Float(_) => "float",
            Literal::Bool(_) => "bool",
            Literal::Array(_) => "array",
        }
    }

    pub fn to_value(&self) -> tera::Value {
        match self {
            Literal::Str(s) => tera::Value::from(s.as_str()),
            Literal::Int(i) => tera::Value::from(*i),
            Literal::Float(f) => tera::Value::from(f.parse::<f64>().unwrap_or_default()),
            Literal::Bool(b) => tera::Value::from(*b),
            Literal::Array(items) => {
                let values: Vec<tera::Value> = items.iter().map(Literal::to_value).collect();
                tera::Value::from(values.as_slice())
            }
        }
    }
}

/// One `key=value` argument; `at` is its byte offset in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArg {
    pub name: String,
    pub value: Literal,
    pub at: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// `{% name(args) %}` (`body`) or `{% name(args) /%}`.
    Call {
        name: String,
        args: Vec<ParsedArg>,
        body: bool,
    },
    End,
}

/// A syntax error at byte offset `at` of the line.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
}

/// Whether `line` (indentation already removed) is meant as a component
/// line: it starts with `{%` and ends with `%}`.
pub fn is_candidate(line: &str) -> bool {
    let line = line.trim_end();
    line.starts_with("{%") && line.ends_with("%}") && line.len() >= 4
}

/// Parses a candidate line (see [`is_candidate`]).
pub fn parse(line: &str) -> Result<Line, SyntaxError> {
    let mut p = Parser {
        s: line.trim_end(),
        i: 2,
    };
    p.ws();
    let name = p.ident();
    if name.is_empty() {
        return Err(p.error("expected a component name after `{%`"));
    }
    p.ws();
    if name == "end" && p.rest().starts_with("%}") {
        return p.finish(Line::End);
    }
    let mut args = Vec::new();
    if p.eat('(') {
        loop {
            p.ws();
            if p.eat(')') {
                break;
            }
            let at = p.i;
            let key = p.ident();
            if key.is_empty() {
                return Err(p.error("expected an argument name, like `title=\"…\"`, or `)`"));
            }
            p.ws();
            if !p.eat('=') {
                return Err(p.error(&format!(
                    "expected `=` after `{key}`: arguments are written `{key}=value`"
                )));
            }
            p.ws();
            let value = p.literal()?;
            if args.iter().any(|a: &ParsedArg| a.name == key) {
                return Err(SyntaxError {
                    at,
                    message: format!("the argument `{key}` is given twice"),
                });
            }
            args.push(ParsedArg {
                name: key,
                value,
                at,
                len: p.i - at,
            });
            p.ws();
            if p.eat(',') {
                continue;
            }
            if p.eat(')') {
                break;
            }
            return Err(p.error("expected `,` or `)` after an argument"));
        }
        p.ws();
    } else if !p.rest().starts_with("%}") && !p.rest().starts_with("/%}") {
        return Err(p.error(&format!(
            "expected `(` after `{name}`: arguments go in brackets, `{name}(key=\"value\")`"
        )));
    }
    let body = !p.eat('/');
    p.finish(Line::Call { name, args, body })
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.s.get(self.i..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.i += c.len_utf8();
        }
    }

    fn ident(&mut self) -> String {
        let start = self.i;
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            if self.i == start && c.is_ascii_digit() {
                break;
            }
            self.i += 1;
        }
        self.s.get(start..self.i).unwrap_or("").to_string()
    }

    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            at: self.i,
            message: message.to_string(),
        }
    }

    fn finish(&mut self, line: Line) -> Result<Line, SyntaxError> {
        self.ws();
        if self.rest() == "%}" {
            Ok(line)
        } else {
            Err(self.error("expected `%}` to end the component line"))
        }
    }

    fn literal(&mut self) -> Result<Literal, SyntaxError> {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.i += 1;
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => {
                            return Err(self.error(&format!(
                                "this text is never closed: add a {q} at its end"
                            )));
                        }
                        Some(c) if c == q => {
                            self.i += 1;
                            return Ok(Literal::Str(text));
                        }
                        Some('\\') => {
                            self.i += 1;
                            match self.peek() {
                                Some(c @ ('"' | '\'' | '\\')) => text.push(c),
                                Some('n') => text.push('\n'),
                                _ => {
                                    return Err(self.error(
                                        "unknown escape: write `\\\"`, `\\'`, `\\\\` or `\\n`",
                                    ));
                                }
                            }
                            self.i += 1;
                        }
                        Some(c) => {
                            text.push(c);
                            self.i += c.len_utf8();
                        }
                    }
                }
            }
            Some('[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.eat(']') {
                        return Ok(Literal::Array(items));
                    }
                    items.push(self.literal()?);
                    self.ws();
                    if self.eat(',') {
                        continue;
                    }
                    if self.eat(']') {
                        return Ok(Literal::Array(items));
                    }
                    return Err(self.error("expected `,` or `]` in the list"));
                }
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.i;
                self.i += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '_')
                {
                    self.i += 1;
                }
                let text = self.s.get(start..self.i).unwrap_or("").replace('_', "");
                if text.contains('.') {
                    text.parse::<f64>()
                        .map(|_| Literal::Float(text.clone()))
                        .map_err(|_| SyntaxError {
                            at: start,
                            message: format!("`{text}` is not a number"),
                        })
                } else {
                    text.parse().map(Literal::Int).map_err(|_| SyntaxError {
                        at: start,
                        message: format!("`{text}` is not a whole number"),
                    })
                }
            }
            _ => {
                let at = self.i;
                let word = self.ident();
                match word.as_str() {
                    "true" => Ok(Literal::Bool(true)),
                    "false" => Ok(Literal::Bool(false)),
                    "" => Err(self.error(
                        "expected a value: text in quotes, a number, true/false or a [list]",
                    )),
                    _ => Err(SyntaxError {
                        at,
                        message: format!("`{word}` is not a value: put text in quotes, \"{word}\""),
                    }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_calls_ends_and_bodiless_calls() {
        assert_eq!(parse("{% end %}"), Ok(Line::End));
        assert_eq!(parse("{%end%}"), Ok(Line::End));
        let Ok(Line::Call { name, args, body }) = parse(
            r#"{% callout(kind="note", title='It\'s "new"', n=-3, x=1.5, on=true, l=["a", 2],) %}"#,
        ) else {
            panic!("not a call");
        };
        assert_eq!(name, "callout");
        assert!(body);
        let values: Vec<_> = args
            .iter()
            .map(|a| (a.name.as_str(), a.value.clone()))
            .collect();
        assert_eq!(
            values,
            vec![
                ("kind", Literal::Str("note".into())),
                ("title", Literal::Str("It's \"new\"".into())),
                ("n", Literal::Int(-3)),
                ("x", Literal::Float("1.5".into())),
                ("on", Literal::Bool(true)),
                (
                    "l",
                    Literal::Array(vec![Literal::Str("a".into()), Literal::Int(2)])
                ),
            ]
        );
        assert_eq!(args[0].at, 11);
        assert_eq!(
            parse("{% partner_card(page=\"@/p.md\") /%}"),
            Ok(Line::Call {
                name: "partner_card".into(),
                args: vec![ParsedArg {
                    name: "page".into(),
                    value: Literal::Str("@/p.md".into()),
                    at: 16,
                    len: 13
                }],
                body: false
            })
        );
        assert!(matches!(
            parse("{% keyfacts %}"),
            Ok(Line::Call { body: true, .. })
        ));
    }

    #[test]
    fn mistakes_are_placed_where_they_are() {
        let e = parse("{% callout(kind=note) %}").unwrap_err();
        assert_eq!(e.at, 16);
        assert!(e.message.contains("\"note\""), "{}", e.message);
        let e = parse("{% callout(kind=\"note) %}").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
        let e = parse("{% callout(kind=\"a\" title=\"b\") %}").unwrap_err();
        assert_eq!(e.at, 20);
        let e = parse("{% callout(kind=\"a\", kind=\"b\") %}").unwrap_err();
        assert!(e.message.contains("twice"), "{}", e.message);
        let e = parse("{% callout kind=\"a\" %}").unwrap_err();
        assert!(e.message.contains("expected `(`"), "{}", e.message);
        let e = parse("{% %}").unwrap_err();
        assert!(e.message.contains("component name"), "{}", e.message);
        assert!(parse("{% end x %}").is_err());
        assert!(parse("{% a(n=99999999999999999999) %}").is_err());
    }

    #[test]
    fn candidates_are_whole_lines_in_braces() {
        assert!(is_candidate("{% end %}  "));
        assert!(!is_candidate("text {% end %}"));
        assert!(!is_candidate("{% end"));
        assert!(!is_candidate("{%}"));
    }
}
