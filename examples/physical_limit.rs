//! The benchmark's "physical limit": pulldown-cmark alone turning every
//! Markdown body of a site into HTML in memory, on all cores, with the same
//! options dossier uses. Nothing else a build does (front matter, templates,
//! links, writing files) is counted, so a full build's time divided by this
//! one says how much of it is dossier's own work around the parser.
//!
//!   cargo run --release --example physical_limit -- <site root> [runs]
//!
//! Prints the median of `runs` (default 5) passes, in milliseconds, with the
//! bytes of Markdown read; the files are read once, before timing.

use std::time::Instant;

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: physical_limit <site root> [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let bodies: Vec<String> = walkdir::WalkDir::new(std::path::Path::new(&root).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|text| body_of(&text).to_string())
        .collect();
    let bytes: usize = bodies.iter().map(String::len).sum();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let out: usize = bodies
                .par_iter()
                .map(|body| {
                    let mut html_out = String::with_capacity(body.len() * 3 / 2);
                    html::push_html(&mut html_out, Parser::new_ext(body, options));
                    html_out.len()
                })
                .sum();
            std::hint::black_box(out);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "pulldown-cmark alone: {} files, {} bytes of Markdown, median {:.1} ms of {runs} passes",
        bodies.len(),
        bytes,
        times[times.len() / 2]
    );
}

/// The text after a `---` front matter block, or all of it.
fn body_of(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}
