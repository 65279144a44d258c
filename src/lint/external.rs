//! `dossier check --external`: do the web addresses a site cites still answer?
//!
//! Off by default (a build never needs the network). Each distinct URL is
//! asked once, by a bounded pool of workers, with a timeout and a few
//! retries for answers that may be passing (timeouts, 5xx); every page and
//! line that cites a failing URL gets its own finding.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Location};
use crate::load;
use crate::model::Site;

#[derive(Debug, Clone)]
pub struct ExternalOptions {
    pub timeout: Duration,
    pub concurrency: usize,
    /// Further attempts after a timeout or a server error.
    pub retries: u32,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            retries: 2,
        }
    }
}

/// Where a URL is cited.
struct Citation {
    file: PathBuf,
    location: Location,
}

/// Checks every `http(s)` link and source URL of the site.
pub fn check(site: &Site, options: &ExternalOptions) -> Vec<Diagnostic> {
    let mut cited: BTreeMap<String, Vec<Citation>> = BTreeMap::new();
    let documents = site
        .pages
        .iter()
        .map(|p| (&p.source, &p.front, &p.facts))
        .chain(
            site.sections
                .iter()
                .map(|s| (&s.source, &s.front, &s.facts)),
        );
    for (source, front, facts) in documents {
        let file = load::content_path(source);
        for link in &facts.web_links {
            cited.entry(link.url.clone()).or_default().push(Citation {
                file: file.clone(),
                location: link.location,
            });
        }
        for s in &front.sources {
            cited.entry(s.url.clone()).or_default().push(Citation {
                file: file.clone(),
                location: Location::new(front.line_of("sources"), 1),
            });
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent("dossier link checker")
        .build()
        .new_agent();
    let urls: Vec<&String> = cited.keys().collect();
    let outcomes: Vec<Option<String>> = match rayon::ThreadPoolBuilder::new()
        .num_threads(options.concurrency.max(1))
        .build()
    {
        Ok(pool) => pool.install(|| urls.par_iter().map(|u| probe(&agent, u, options)).collect()),
        Err(e) => vec![Some(format!("could not start the link checker: {e}")); urls.len()],
    };
    let mut found = Vec::new();
    for (url, outcome) in urls.iter().zip(outcomes) {
        let Some(problem) = outcome else { continue };
        for c in &cited[*url] {
            found.push(
                Diagnostic::error("E-EXTERNAL-LINK", &c.file, format!("{url} {problem}"))
                    .at(c.location)
                    .hint("check the address in a browser; update it, or link to an archived copy"),
            );
        }
    }
    found
}

/// `None` when the URL answers with success; otherwise what went wrong.
fn probe(agent: &ureq::Agent, url: &str, options: &ExternalOptions) -> Option<String> {
    let mut last = String::new();
    for attempt in 0..=options.retries {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(200 * u64::from(attempt)));
        }
        let mut answer = agent.head(url).call();
        // Some servers refuse HEAD; ask again with GET before judging.
        if matches!(&answer, Ok(r) if matches!(r.status().as_u16(), 405 | 501)) {
            answer = agent.get(url).call();
        }
        match answer {
            Ok(r) if r.status().is_success() => return None,
            Ok(r) if r.status().is_server_error() => {
                last = format!("answered HTTP {}", r.status().as_u16())
            }
            Ok(r) => return Some(format!("answered HTTP {}", r.status().as_u16())),
            Err(ureq::Error::Timeout(_)) => {
                last = format!("did not answer within {} s", options.timeout.as_secs_f64())
            }
            Err(e) => last = format!("could not be reached: {e}"),
        }
    }
    Some(last)
}
