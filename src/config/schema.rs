//! Section schemas: the fields a section's pages must and may declare, and
//! their types, as written under `sections:` in `site.yaml`.

use serde_yaml::Value;

use super::{sub_mapping, unknown_sub_key};
use crate::yaml::{self, expect_bool, expect_string, key_text};

/// What pages of one section must and may declare.
#[derive(Debug, Clone, Default)]
pub struct SectionSchema {
    /// Template for the section's pages when a page names none.
    pub page_template: Option<String>,
    /// Declared fields, in the order written.
    pub fields: Vec<FieldSpec>,
    /// How this section's file and folder names become URLs, if not the
    /// site's strategy.
    pub slugify: Option<super::Slugify>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub name: String,
    pub kind: FieldKind,
    pub required: bool,
    /// `cite: true`: when the field is given, the page must name its source
    /// (`<name>_source: <register id>`), shown wherever the fact is.
    pub cite: bool,
    /// `hint: "…"`: a line of help for whoever fills the field in, shown
    /// under it in the editor's form (`serve --edit`). Not used by the build.
    pub hint: Option<String>,
    /// Whether a translation gives its own value (`translatable: false`
    /// makes a text field language-neutral: declared once, in the original,
    /// and inherited). Text and lists are translatable by default; dates,
    /// enums, booleans and addresses never are.
    pub translatable: bool,
}

/// The type of a schema field. `Common` marks a built-in front matter key
/// (such as `sources`) that the schema only makes required.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    String,
    Bool,
    Date,
    Url,
    List,
    Enum(Vec<String>),
    Common,
}

impl FieldKind {
    pub fn describe(&self) -> String {
        match self {
            FieldKind::String => "text".into(),
            FieldKind::Bool => "true or false".into(),
            FieldKind::Date => "a date (YYYY-MM-DD)".into(),
            FieldKind::Url => "a web address (https://…)".into(),
            FieldKind::List => "a list".into(),
            FieldKind::Enum(values) => format!("one of: {}", values.join(", ")),
            FieldKind::Common => "a common front matter field".into(),
        }
    }
}

/// Front matter keys every page understands. Schema fields may not reuse
/// them except to make them required.
pub const COMMON_PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "weight",
    "slug",
    "template",
    "tags",
    "sources",
    "aliases",
    "changes",
    "events",
    "extra",
    "translated_from",
];

pub(super) fn read_schema(v: &Value) -> Result<SectionSchema, String> {
    let mut schema = SectionSchema::default();
    for (k, v) in sub_mapping(v)? {
        match key_text(k).as_str() {
            "page_template" => schema.page_template = Some(expect_string(v)?),
            "fields" => {
                for (name, spec) in sub_mapping(v)? {
                    let name = key_text(name);
                    let field =
                        read_field(&name, spec).map_err(|e| format!("field `{name}`: {e}"))?;
                    schema.fields.push(field);
                }
            }
            "slugify" => schema.slugify = Some(super::Slugify::parse(&expect_string(v)?)?),
            other => {
                return Err(unknown_sub_key(
                    other,
                    &["page_template", "fields", "slugify"],
                ));
            }
        }
    }
    Ok(schema)
}

fn read_field(name: &str, spec: &Value) -> Result<FieldSpec, String> {
    let common = COMMON_PAGE_KEYS.contains(&name);
    let mut kind_name: Option<String> = None;
    let mut values: Option<Vec<String>> = None;
    let mut required = false;
    let mut cite = false;
    let mut hint = None;
    let mut translatable: Option<bool> = None;
    for (k, v) in sub_mapping(spec)? {
        match key_text(k).as_str() {
            "type" => kind_name = Some(expect_string(v)?),
            "values" => values = Some(yaml::expect_string_list(v)?),
            "required" => required = expect_bool(v)?,
            "cite" => cite = expect_bool(v)?,
            "hint" => {
                let text = expect_string(v)?;
                if text.trim().is_empty() || text.contains('\n') {
                    return Err("`hint` is one line of text; leave it out rather than empty".into());
                }
                hint = Some(text.trim().to_string());
            }
            "translatable" => translatable = Some(expect_bool(v)?),
            other => {
                return Err(unknown_sub_key(
                    other,
                    &["type", "values", "required", "cite", "hint", "translatable"],
                ));
            }
        }
    }
    let kind = match (kind_name.as_deref(), common) {
        (None, true) => FieldKind::Common,
        (Some(_), true) => {
            return Err(format!(
                "`{name}` is a common front matter key; a schema may only mark it `required: true` and give it a `hint`"
            ));
        }
        (Some("string"), _) => FieldKind::String,
        (Some("bool"), _) => FieldKind::Bool,
        (Some("date"), _) => FieldKind::Date,
        (Some("url"), _) => FieldKind::Url,
        (Some("list"), _) => FieldKind::List,
        (Some("enum"), _) => match values.take() {
            Some(v) if !v.is_empty() => FieldKind::Enum(v),
            _ => return Err("an enum needs `values: [a, b, …]`".into()),
        },
        (Some(other), _) => {
            return Err(format!(
                "unknown type `{other}`: use string, bool, date, url, list or enum"
            ));
        }
        (None, false) => {
            return Err("needs a `type` (string, bool, date, url, list or enum)".into());
        }
    };
    if !matches!(kind, FieldKind::Enum(_)) && values.is_some() {
        return Err("`values` only applies to `type: enum`".into());
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err("field names use letters, digits and `_` only".into());
    }
    if cite && kind == FieldKind::Common {
        return Err("`cite` applies to the section's own fields, not to common keys".into());
    }
    let text = matches!(kind, FieldKind::String | FieldKind::List);
    if translatable == Some(true) && !text {
        return Err("only text and list fields can be `translatable`".into());
    }
    Ok(FieldSpec {
        name: name.to_string(),
        translatable: text && translatable != Some(false),
        kind,
        required,
        cite,
        hint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(yaml: &str) -> Result<FieldSpec, String> {
        let value: Value = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
        let (name, spec) = value
            .as_mapping()
            .and_then(|m| m.iter().next())
            .ok_or("empty")?;
        read_field(&key_text(name), spec)
    }

    #[test]
    fn a_hint_is_one_line_of_help_on_any_field() {
        let f = field("country_code: { type: string, hint: \"Two letters, e.g. JP\" }").unwrap();
        assert_eq!(f.hint.as_deref(), Some("Two letters, e.g. JP"));
        assert_eq!(field("signed: { type: date }").unwrap().hint, None);
        // A common key may take a hint too.
        let f = field("sources: { required: true, hint: \"At least one\" }").unwrap();
        assert_eq!(
            (f.kind, f.hint.as_deref()),
            (FieldKind::Common, Some("At least one"))
        );
        assert!(
            field("a: { type: string, hint: \"\" }")
                .unwrap_err()
                .contains("one line")
        );
        assert!(field("a: { type: string, hint: [x] }").is_err());
        let typo = field("a: { type: string, hnit: x }").unwrap_err();
        assert!(typo.contains("did you mean `hint`"), "{typo}");
    }
}
