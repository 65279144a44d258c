//! `yaml::parse_mapping` (front matter and site.yaml), `SiteConfig::parse`
//! and `Date::parse` on arbitrary text.
#![no_main]

use dossier::config::SiteConfig;
use dossier::date::Date;
use dossier::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match yaml::parse_mapping(text, 2) {
        Ok(mapping) => {
            for (key, value) in &mapping {
                let _ = yaml::key_line(text, &yaml::key_text(key), 2);
                let _ = yaml::to_json(value);
            }
        }
        Err(e) => assert!(e.location.line >= 2, "{e:?}"),
    }
    let _ = SiteConfig::parse(text);
    if let Ok(date) = Date::parse(text) {
        assert_eq!(date.to_string(), text.trim());
    }
});
