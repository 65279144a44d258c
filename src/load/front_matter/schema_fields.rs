//! The fields a section's schema (`site.yaml` `sections:`) adds to its
//! pages' front matter: typed, required, or requiring a citation.

use serde_yaml::{Mapping, Value};

use super::{FieldValue, Reader, expect_url, placeholder_in};
use crate::config::{FieldKind, FieldSpec};
use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::yaml::{did_you_mean, expect_bool, expect_string, expect_string_list};

impl Reader<'_> {
    /// A field with `cite: true` that is given needs `<field>_source:`.
    pub(super) fn require_citations(&mut self, m: &Mapping, specs: &[FieldSpec]) {
        for spec in specs.iter().filter(|s| s.cite) {
            let given = m.get(spec.name.as_str()).is_some_and(|v| !v.is_null());
            let key = format!("{}_source", spec.name);
            if given && !m.contains_key(key.as_str()) {
                self.error(
                    "E-CITATION-REQUIRED",
                    &spec.name,
                    format!(
                        "`{}` needs a source: this section's schema requires one",
                        spec.name
                    ),
                    Some(format!(
                        "add `{key}: <id>` with the id of its source in data/sources.yaml"
                    )),
                );
            }
        }
    }

    pub(super) fn read_schema_fields(
        &mut self,
        m: &Mapping,
        specs: &[FieldSpec],
    ) -> Vec<(String, FieldValue)> {
        let mut fields = Vec::new();
        let mut missing = Vec::new();
        for spec in specs {
            let value = m.get(spec.name.as_str()).filter(|v| !v.is_null());
            if value.is_some_and(|v| placeholder_in(v).is_some()) {
                // Already reported as a placeholder by `read`.
                fields.push((spec.name.clone(), FieldValue::Absent));
                continue;
            }
            if spec.kind == FieldKind::Common {
                if spec.required && !common_is_present(m, &spec.name) {
                    missing.push(spec);
                }
                continue;
            }
            let typed = match value {
                None => {
                    if spec.required {
                        missing.push(spec);
                    }
                    FieldValue::Absent
                }
                Some(v) => match typed_field(&spec.kind, v) {
                    Ok(t) => t,
                    Err(message) => {
                        self.error(
                            "E-SCHEMA-TYPE",
                            &spec.name,
                            format!("`{}`: {message}", spec.name),
                            Some(format!(
                                "this section's schema expects {}",
                                spec.kind.describe()
                            )),
                        );
                        FieldValue::Absent
                    }
                },
            };
            fields.push((spec.name.clone(), typed));
        }
        if !missing.is_empty() {
            self.report_missing(&missing);
        }
        fields
    }

    /// One diagnostic for all missing fields, with a line to add for each.
    fn report_missing(&mut self, missing: &[&FieldSpec]) {
        let names: Vec<String> = missing.iter().map(|f| format!("`{}`", f.name)).collect();
        let lines: Vec<String> = missing
            .iter()
            .map(|f| match (&f.kind, f.name.as_str()) {
                (FieldKind::Common, "sources") => {
                    "sources:\n  - title: …\n    url: https://…".to_string()
                }
                (FieldKind::Common, name) => format!("{name}: …"),
                (kind, name) => format!("{name}: …  ({})", kind.describe()),
            })
            .collect();
        let plural = if missing.len() == 1 {
            "field"
        } else {
            "fields"
        };
        self.diagnostics.push(
            Diagnostic::error(
                "E-SCHEMA-MISSING",
                self.file,
                format!("missing required {plural} {}: this section's schema in site.yaml requires them", names.join(", ")),
            )
            .at_line(1)
            .underline(3)
            .hint(format!("add to the front matter:\n{}", lines.join("\n"))),
        );
    }
}

/// The schema field a `<field>_source` key gives the source of, if that
/// field requires a citation.
pub(super) fn cited_field(key: &str, specs: &[FieldSpec]) -> Option<String> {
    let field = key.strip_suffix("_source")?;
    specs
        .iter()
        .find(|s| s.cite && s.name == field)
        .map(|s| s.name.clone())
}

fn common_is_present(m: &Mapping, key: &str) -> bool {
    match m.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Sequence(s)) => !s.is_empty(),
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

fn typed_field(kind: &FieldKind, v: &Value) -> Result<FieldValue, String> {
    Ok(match kind {
        FieldKind::String => FieldValue::Text(expect_string(v)?),
        FieldKind::Bool => FieldValue::Bool(expect_bool(v)?),
        FieldKind::Date => FieldValue::Date(expect_date(v)?),
        FieldKind::Url => FieldValue::Text(expect_url(v)?),
        FieldKind::List => FieldValue::List(expect_string_list(v)?),
        FieldKind::Enum(values) => {
            let s = expect_string(v)?;
            if !values.contains(&s) {
                let close = did_you_mean(&s, values.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "`{s}` is not allowed{close}; use one of: {}",
                    values.join(", ")
                ));
            }
            FieldValue::Text(s)
        }
        FieldKind::Common => FieldValue::Absent,
    })
}

pub(super) fn expect_date(v: &Value) -> Result<Date, String> {
    Date::parse(&expect_string(v)?)
}
