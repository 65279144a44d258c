//! `front_matter::split` and `front_matter::parse` on arbitrary input, with
//! and without a section schema, as a page and as a section.
#![no_main]

use std::path::Path;

use dossier::load::DocKind;
use dossier::load::front_matter;
use dossier_fuzz::{loaded_text, schema_config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The raw bytes as text first: `split` must cope with anything.
    if let Ok(raw) = std::str::from_utf8(data) {
        let _ = front_matter::split(raw);
    }
    let text = loaded_text(data);
    let Ok(split) = front_matter::split(&text) else {
        return;
    };
    assert!(text.ends_with(split.body));
    let Some(yaml) = split.front_matter else {
        return;
    };
    let schema = schema_config().schema_for("partners");
    for (kind, schema) in [
        (DocKind::Page, schema),
        (DocKind::Page, None),
        (DocKind::Section, None),
    ] {
        let mut found = Vec::new();
        let _ = front_matter::parse(yaml, kind, schema, Path::new("content/x.md"), &mut found);
        for d in &found {
            let _ = d.to_string();
        }
    }
});
