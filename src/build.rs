//! The pipeline, end to end: `config → load → model → render → write`.
//!
//! This is the only module that knows every stage. It runs them in order,
//! gathers every diagnostic, and decides whether the output is replaced:
//! only when no stage reported an error.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::SiteConfig;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::lint::{self, LinkGraph, external::ExternalOptions};
use crate::render::{self, Templates};
use crate::write::{self, Output};
use crate::{history, images, load, model};

/// What to build, from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where the site goes; `None` renders everything and writes nothing
    /// (`dossier check`).
    pub out: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Run the content lints (`dossier check`).
    pub lint: bool,
    /// Also check web addresses (`dossier check --external`).
    pub external: Option<ExternalOptions>,
    /// Write `.gz`/`.br` siblings (`--compress`; also `compress: true` in site.yaml).
    pub compress: bool,
    /// The output folder whose URL history (`.dossier-urls`) this run
    /// compares the site with: the output itself for `build`, the default
    /// or given output for `check`. `None` compares with nothing.
    pub history: Option<PathBuf>,
}

/// A finished run: what it found and what it made.
#[derive(Debug)]
pub struct Outcome {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub seconds: f64,
}

/// Why a run failed. Usage problems (a bad `--out`) exit 2, content problems 1.
#[derive(Debug)]
pub enum Failure {
    Usage(Diagnostic),
    Content(Diagnostics),
}

pub fn run(options: &BuildOptions) -> Result<Outcome, Failure> {
    let started = Instant::now();
    let root = &options.root;
    if !root.is_dir() {
        return Err(Failure::Usage(
            Diagnostic::error("E-ROOT", root, "the site folder does not exist")
                .hint("pass --root with the folder that holds site.yaml"),
        ));
    }
    let mut diagnostics = Diagnostics::new();
    // The output is claimed (locked) for the whole build, before anything
    // is read: a second build into it refuses at once.
    let output = match &options.out {
        Some(out) => {
            let (output, warnings) = Output::claim(root, out).map_err(Failure::Usage)?;
            diagnostics.extend(warnings);
            Some(output)
        }
        None => None,
    };
    let config = SiteConfig::load(root).map(|mut c| {
        if let Some(url) = &options.base_url {
            c.base_url = format!("{}/", url.trim_end_matches('/'));
        }
        c
    });
    let mut timer = StageTimer::new();
    let (templates, content) = rayon::join(
        || Templates::load(root),
        || config.as_ref().ok().map(|c| load::load(root, c)),
    );
    let config = match config {
        Ok(c) => Some(c),
        Err(found) => {
            // A broken site.yaml must not hide the content's own mistakes.
            diagnostics.extend(found);
            diagnostics.extend(load::check_without_settings(root));
            if let Err(found) = templates {
                diagnostics.extend(found);
            }
            return Err(Failure::Content(diagnostics.sorted()));
        }
    };
    let mut templates = match templates {
        Ok(t) => Some(t),
        Err(found) => {
            diagnostics.extend(found);
            None
        }
    };
    let (Some(config), Some((content, read_stamps, found))) = (config, content) else {
        return Err(Failure::Content(diagnostics.sorted()));
    };
    diagnostics.extend(found);
    timer.stage("load");
    let (mut site, found) = model::build(config, content, options.drafts);
    timer.stage("model");
    diagnostics.extend(found);
    if let Some(templates) = templates.as_mut() {
        diagnostics.extend(crate::components::expand_site(&mut site, templates));
    }
    timer.stage("components");
    let (static_files, found) = write::static_files(root);
    diagnostics.extend(found);
    // Images are found and measured now (so `check` reports missing and
    // broken ones); their variants are made once there is an output.
    let (image_plan, found) = images::plan(root, &mut site, &static_files);
    diagnostics.extend(found);
    timer.stage("images: plan");
    // Lint findings do not stop rendering: `check` should still find
    // template and link problems in the same run.
    let blocked = diagnostics.has_errors();
    let mut carried = Vec::new();
    if let Some(dir) = &options.history {
        match history::read(dir) {
            Ok(Some(previous)) => {
                let (removed, kept) = history::compare(&previous, &site);
                diagnostics.extend(removed);
                carried = kept;
            }
            Ok(None) => {}
            Err(warning) => diagnostics.push(warning),
        }
    }
    if options.lint {
        diagnostics.extend(lint::run_content(&site, Date::today()));
    }
    if let Some(external) = &options.external {
        let mut external = external.clone();
        if let Some(secs) = site.config.check.external_timeout_secs {
            external.timeout = std::time::Duration::from_secs(secs);
        }
        let found = lint::external::check(&site, &external);
        diagnostics.extend(lint::apply_policy(found, &site.config));
    }
    let Some(templates) = templates.as_mut().filter(|_| !blocked) else {
        return Err(Failure::Content(diagnostics.sorted()));
    };

    let fingerprints = match write::fingerprints(&static_files) {
        Ok(f) => f,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "E-STATIC",
                "static",
                format!("cannot read a static file: {e}"),
            ));
            return Err(Failure::Content(diagnostics.sorted()));
        }
    };
    let compress = options.compress || site.config.outputs.compress;
    let staging = match (&output, &options.out) {
        (Some(output), Some(out)) => Some(output.stage(compress).map_err(|e| {
            Failure::Usage(
                Diagnostic::error(
                    "E-OUTPUT",
                    out,
                    format!("cannot create the staging folder: {e}"),
                )
                .hint("check that the parent folder exists and is writable"),
            )
        })?),
        _ => None,
    };
    let files = std::sync::atomic::AtomicUsize::new(0);
    let graph = LinkGraph::default();
    let sink = |relative: &str, bytes: &[u8]| {
        files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if options.lint {
            graph.record(relative, bytes);
        }
        match &staging {
            Some(s) => s.write(relative, bytes),
            None => Ok(()),
        }
    };
    if let Some(s) = &staging {
        let copies = static_files
            .iter()
            .map(|(from, to)| (from.as_path(), to.as_str(), Path::new("static").join(to)))
            .chain(fingerprints.iter().filter_map(|(original, hashed)| {
                let (from, _) = static_files.iter().find(|(_, rel)| rel == original)?;
                Some((
                    from.as_path(),
                    hashed.as_str(),
                    Path::new("static").join(original),
                ))
            }))
            .chain(site.assets.iter().map(|a| {
                let shown = a
                    .absolute
                    .strip_prefix(root)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| a.absolute.clone());
                (a.absolute.as_path(), a.output.as_str(), shown)
            }));
        for (from, to, shown) in copies {
            if let Err(e) = s.copy(from, to) {
                diagnostics.push(Diagnostic::error(
                    "E-WRITE",
                    shown,
                    format!("cannot copy: {e}"),
                ));
            }
            files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
    let mut image_cache = None;
    if let Some(s) = &staging {
        let cache = images::Cache::at(root);
        let (made, found, stats) = images::process(&image_plan, &cache);
        diagnostics.extend(found);
        diagnostics.extend(write_images(s, &made));
        files.fetch_add(made.len(), std::sync::atomic::Ordering::Relaxed);
        if std::env::var_os("DOSSIER_TIMINGS").is_some() {
            eprintln!(
                "images: {} variants, {} from the cache, {} encoded",
                stats.variants, stats.from_cache, stats.encoded
            );
        }
        let used: std::collections::HashSet<String> =
            made.into_iter().map(|m| m.cache_name).collect();
        image_cache = Some((cache, used));
        timer.stage("images: make");
    }
    let statics = render::StaticFiles {
        fingerprints: fingerprints
            .iter()
            .map(|(original, hashed)| (format!("/{original}"), format!("/{hashed}")))
            .collect(),
        files: static_files.iter().map(|(_, rel)| rel.clone()).collect(),
    };
    timer.stage("prepare output");
    diagnostics.extend(render::render_site(
        &site,
        templates,
        &statics,
        &|_| true,
        &sink,
    ));
    diagnostics.extend(render::redirects::write(&site, &statics, &sink));
    timer.stage("render + write");
    if options.lint {
        diagnostics.extend(lint::run_links(&site, &graph));
    }
    if staging.is_some() {
        // A source saved while the build ran: what was read may be torn, or
        // at least is not what is on disk now. Publish neither.
        diagnostics.extend(read_stamps.changed());
    }
    if diagnostics.has_errors() {
        return Err(Failure::Content(diagnostics.sorted()));
    }
    if let (Some(staging), Some(output)) = (staging, &output) {
        let mut record = history::published(&site);
        record.extend(carried);
        record.sort_by(|a, b| a.path.cmp(&b.path));
        record.dedup_by(|a, b| a.path == b.path);
        if let Err(e) = staging.write(history::HISTORY_FILE, history::render(&record).as_bytes()) {
            diagnostics.push(Diagnostic::error(
                "E-WRITE",
                history::HISTORY_FILE,
                format!("cannot write the URL history: {e}"),
            ));
            return Err(Failure::Content(diagnostics.sorted()));
        }
        output.commit(staging).map_err(Failure::Usage)?;
        timer.stage("swap");
        // Only a published build decides what the cache keeps.
        if let Some((cache, used)) = &image_cache
            && let Err(e) = cache.prune(used)
        {
            diagnostics.push(Diagnostic::warning(
                "W-IMAGE-CACHE",
                images::CACHE_DIR,
                format!("old entries of the image cache could not be removed: {e}"),
            ));
        }
    }
    Ok(Outcome {
        diagnostics: diagnostics.sorted(),
        pages: site.pages.len() + site.sections.len(),
        files: files.into_inner(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Writes the image variants into the staging folder, in parallel: hard
/// links to the cache's entries where the file system allows (a warm
/// rebuild then copies no image bytes; entries are never written again, a
/// new version being a new key, so a link cannot change under the output).
fn write_images(staging: &write::Staging, made: &[images::Made]) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    made.par_iter()
        .filter_map(|m| {
            let written = match &m.data {
                images::Data::Cached(path) => staging.link_or_copy(path, &m.output),
                images::Data::Bytes(bytes) => staging.write(&m.output, bytes),
            };
            written.err().map(|e| {
                Diagnostic::error("E-WRITE", &m.output, format!("cannot write an image: {e}"))
                    .hint("another file in the site may have this name; rename it")
            })
        })
        .collect()
}

/// Per-stage wall times on stderr when `DOSSIER_TIMINGS` is set: what the
/// benchmark notes in BENCHMARKS.md are read from.
pub(crate) struct StageTimer {
    last: Option<Instant>,
}

impl StageTimer {
    pub(crate) fn new() -> Self {
        StageTimer {
            last: std::env::var_os("DOSSIER_TIMINGS").map(|_| Instant::now()),
        }
    }

    pub(crate) fn stage(&mut self, name: &str) {
        if let Some(last) = self.last {
            eprintln!(
                "timing: {name:<15} {:>8.1} ms",
                last.elapsed().as_secs_f64() * 1000.0
            );
            self.last = Some(Instant::now());
        }
    }
}
