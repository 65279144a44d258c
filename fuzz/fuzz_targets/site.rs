//! A whole `dossier check` (lints on, nothing written) of a small site
//! whose page `content/notes/fuzzed.md` is the fuzz input.
#![no_main]

use dossier::build;
use dossier_fuzz::{FUZZED_PAGE, check_options, site_root};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let root = site_root();
    std::fs::write(root.join(FUZZED_PAGE), data).expect("write the page");
    let drafts = data.first().is_some_and(|b| b & 1 != 0);
    let diagnostics = match build::run(&check_options(root, drafts)) {
        Ok(outcome) => outcome.diagnostics,
        Err(build::Failure::Content(d)) => d,
        Err(build::Failure::Usage(d)) => panic!("usage failure on a valid site: {d}"),
    };
    // Reporting must cope with whatever the page holds (snippets are drawn
    // from the file on disk).
    let _ = diagnostics.to_plain_string(root);
    let _ = diagnostics.to_json();
});
