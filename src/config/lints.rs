//! `lints:` in `site.yaml`: the severity of each content lint.
//!
//! Codes are checked against the registry in [`crate::diagnostics::LINTS`],
//! which sits below both this module and `lint/`: configuration names the
//! lints without depending on the code that runs them.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::sub_mapping;
use crate::diagnostics::LINTS;
use crate::yaml::{did_you_mean, expect_string, key_text};

/// A lint's severity as set in `site.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintLevel {
    Error,
    Warning,
    Off,
}

pub(super) fn read_lints(v: &Value) -> Result<BTreeMap<String, LintLevel>, String> {
    let known: Vec<&str> = LINTS.iter().map(|(code, _)| *code).collect();
    let mut lints = BTreeMap::new();
    for (k, v) in sub_mapping(v)? {
        let code = key_text(k);
        if !known.contains(&code.as_str()) {
            let hint = did_you_mean(&code, known.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_else(|| format!(" (lints: {})", known.join(", ")));
            return Err(format!("`{code}` is not a lint{hint}"));
        }
        let level = match expect_string(v)?.as_str() {
            "error" => LintLevel::Error,
            "warning" => LintLevel::Warning,
            "off" => LintLevel::Off,
            other => return Err(format!("`{code}: {other}`: use error, warning or off")),
        };
        lints.insert(code, level);
    }
    Ok(lints)
}
