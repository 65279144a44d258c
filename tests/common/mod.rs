//! Helpers shared by the integration tests: a throw-away site on disk, a way
//! to run the real `dossier` binary with a hard timeout, whole-folder
//! snapshots, and assertions about diagnostics.
//!
//! Every test file includes this module with `mod common;`, and each uses a
//! different subset of it, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod server;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long any single run of dossier may take before the test fails as a
/// hang. A debug build does every case of this suite in well under a second.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub const BIN: &str = env!("CARGO_BIN_EXE_dossier");

// ---------------------------------------------------------------------------
// The minimal valid site
// ---------------------------------------------------------------------------

pub const SITE_YAML: &str = "title: \"Test site\"\nbase_url: \"https://example.org/sub/\"\n";

/// Prints everything the tests look at, wrapped in elements with classes so
/// assertions can find them.
pub const PAGE_HTML: &str = r#"<!DOCTYPE html>
<html lang="{{ config.language }}">
<head><title>{{ page.title }}</title></head>
<body>
<h1 class="page-title">{{ page.title }}</h1>
<div class="content">{{ page.content | safe }}</div>
<nav class="neighbours">{% if page.previous %}<a class="prev" href="{{ page.previous.path }}">{{ page.previous.title }}</a>{% endif %}{% if page.next %}<a class="next" href="{{ page.next.path }}">{{ page.next.title }}</a>{% endif %}</nav>
<ul class="page-tags">{% for t in page.tags %}<li>{{ t }}</li>{% endfor %}</ul>
<p class="base-url">{{ config.base_url }}</p>
<p class="status">{{ page.fields.status | default(value="") }}</p>
</body>
</html>
"#;

pub const SECTION_HTML: &str = r#"<!DOCTYPE html>
<html lang="{{ config.language }}">
<head><title>{{ section.title }}</title></head>
<body>
<h1 class="section-title">{{ section.title }}</h1>
<div class="content">{{ section.content | safe }}</div>
<ol class="pages">{% for p in section.pages %}<li><a href="{{ p.path }}">{{ p.title }}</a></li>{% endfor %}</ol>
<p class="base-url">{{ config.base_url }}</p>
</body>
</html>
"#;

pub const TAXONOMY_LIST_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Tags</title></head>
<body><ul class="terms">{% for t in terms %}<li><a href="{{ t.path }}">{{ t.name }}</a> ({{ t.page_count }})</li>{% endfor %}</ul></body>
</html>
"#;

pub const TAXONOMY_SINGLE_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>{{ term.name }}</title></head>
<body><h1 class="term">{{ term.name }}</h1><ul class="pages">{% for p in term.pages %}<li><a href="{{ p.path }}">{{ p.title }}</a></li>{% endfor %}</ul></body>
</html>
"#;

/// The files of the minimal valid site, in creation order.
pub fn base_files() -> Vec<(String, Vec<u8>)> {
    let text = |path: &str, body: &str| (path.to_string(), body.as_bytes().to_vec());
    vec![
        text("site.yaml", SITE_YAML),
        text(
            "content/_index.md",
            "---\ntitle: Home\n---\nWelcome home.\n",
        ),
        text(
            "content/about.md",
            "---\ntitle: About\n---\nAbout this site.\n",
        ),
        text(
            "content/partners/_index.md",
            "---\ntitle: Partners\n---\nOur partners.\n",
        ),
        text(
            "content/partners/japan.md",
            "---\ntitle: Japan\nweight: 1\ntags: [Asia, NATO partners]\n---\nJapan text.\n",
        ),
        text(
            "content/partners/canada.md",
            "---\ntitle: Canada\nweight: 2\ntags: [NATO partners]\n---\nCanada text.\n",
        ),
        text("templates/index.html", SECTION_HTML),
        text("templates/section.html", SECTION_HTML),
        text("templates/page.html", PAGE_HTML),
        text("templates/taxonomy_list.html", TAXONOMY_LIST_HTML),
        text("templates/taxonomy_single.html", TAXONOMY_SINGLE_HTML),
    ]
}

/// A site in a temporary folder: `<tmp>/site`, so that the temporary folder
/// itself is an ancestor of the root that tests can inspect.
pub struct TestSite {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl TestSite {
    /// The minimal valid site.
    pub fn new() -> TestSite {
        TestSite::from_files(base_files())
    }

    /// An empty site folder (no files at all).
    pub fn empty() -> TestSite {
        let dir = tempfile::Builder::new()
            .prefix("dossier-it-")
            .tempdir()
            .expect("temp dir");
        let root = dir.path().join("site");
        fs::create_dir(&root).expect("site dir");
        TestSite { dir, root }
    }

    /// A site holding exactly `files`, created in the order given.
    pub fn from_files(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> TestSite {
        let site = TestSite::empty();
        for (path, bytes) in files {
            site.write_bytes(&path, &bytes);
        }
        site
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder holding the root (the root's parent).
    pub fn tmp(&self) -> &Path {
        self.dir.path()
    }

    /// A path below the root.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The default output folder, `<root>/public`.
    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Writes (or overwrites) a text file below the root, creating folders.
    pub fn write(&self, relative: &str, text: &str) -> &Self {
        self.write_bytes(relative, text.as_bytes())
    }

    /// Writes (or overwrites) a file of raw bytes below the root.
    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) -> &Self {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self
    }

    pub fn remove(&self, relative: &str) -> &Self {
        let path = self.path(relative);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
        self
    }

    pub fn root_arg(&self) -> String {
        self.root.display().to_string()
    }

    /// `dossier build --root <root> --out <root>/public` plus `extra`.
    pub fn build(&self, extra: &[&str]) -> Output {
        let out = self.out().display().to_string();
        let root = self.root_arg();
        let mut args = vec!["build", "--root", &root, "--out", &out];
        args.extend_from_slice(extra);
        run_output(&args, &RunOptions::default())
    }

    /// `dossier check --root <root>` plus `extra`.
    pub fn check(&self, extra: &[&str]) -> Output {
        let root = self.root_arg();
        let mut args = vec!["check", "--root", &root];
        args.extend_from_slice(extra);
        run_output(&args, &RunOptions::default())
    }

    /// Builds and fails the test unless the build succeeds.
    pub fn build_ok(&self, extra: &[&str]) -> Output {
        let r = self.build(extra);
        r.assert_success("build");
        r
    }

    /// A file of the output, as text.
    pub fn read_out(&self, relative: &str) -> String {
        let path = self.out().join(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read output file {}: {e}\noutput holds: {:?}",
                path.display(),
                snapshot(&self.out()).keys().collect::<Vec<_>>()
            )
        })
    }
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

/// What one run of dossier did.
#[derive(Debug, Clone)]
pub struct Output {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Output {
    pub fn assert_success(&self, what: &str) {
        assert_eq!(
            self.code, 0,
            "{what} should succeed: dossier {:?} exited {}\nstderr:\n{}",
            self.args, self.code, self.stderr
        );
        assert_no_panic(&self.stderr);
    }

    pub fn assert_code(&self, code: i32) {
        assert_eq!(
            self.code, code,
            "dossier {:?} exited {} (expected {code})\nstderr:\n{}",
            self.args, self.code, self.stderr
        );
    }
}

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub env: Vec<(String, String)>,
    pub current_dir: Option<PathBuf>,
    /// Run the child as this user and group (only possible as root).
    pub uid_gid: Option<(u32, u32)>,
    pub timeout: Option<Duration>,
}

/// Runs dossier with `args`: (exit code, stdout, stderr). Fails the test if
/// the process runs longer than [`TIMEOUT`] (it is killed) or dies from a
/// signal (a crash, e.g. a stack overflow).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let o = run_output(args, &RunOptions::default());
    (o.code, o.stdout, o.stderr)
}

/// Like [`run`], with environment, working folder or user.
pub fn run_output(args: &[&str], options: &RunOptions) -> Output {
    try_run(args, options).unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"))
}

/// Like [`run_output`], but reports a failure to start the process (for
/// example, switching user was not permitted) instead of failing the test.
pub fn try_run(args: &[&str], options: &RunOptions) -> std::io::Result<Output> {
    try_run_program(BIN, args, options)
}

/// The machinery behind [`try_run`], for any program (so the timeout itself
/// can be tested with a program that really hangs).
pub fn try_run_program(
    program: &str,
    args: &[&str],
    options: &RunOptions,
) -> std::io::Result<Output> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE");
    for (k, v) in &options.env {
        cmd.env(k, v);
    }
    if let Some(dir) = &options.current_dir {
        cmd.current_dir(dir);
    }
    if let Some((uid, gid)) = options.uid_gid {
        use std::os::unix::process::CommandExt;
        cmd.uid(uid).gid(gid);
    }
    let timeout = options.timeout.unwrap_or(TIMEOUT);
    let started = Instant::now();
    let mut child = cmd.spawn()?;
    // Drain both pipes on their own threads so a chatty child cannot block
    // on a full pipe while we wait for it.
    let mut out_pipe = child.stdout.take().expect("stdout piped");
    let mut err_pipe = child.stderr.take().expect("stderr piped");
    let out_thread = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_thread = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let status = loop {
        match child.try_wait()? {
            Some(status) => break status,
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = err_thread.join().unwrap_or_default();
                panic!(
                    "{program} {args:?} did not finish within {:?} and was killed (a hang)\nstderr so far:\n{}",
                    timeout,
                    tail(&String::from_utf8_lossy(&stderr), 4000)
                );
            }
            None => thread::sleep(Duration::from_millis(5)),
        }
    };
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out_thread.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_thread.join().unwrap_or_default()).into_owned();
    let code = match status.code() {
        Some(c) => c,
        None => {
            use std::os::unix::process::ExitStatusExt;
            panic!(
                "{program} {args:?} was terminated by signal {:?} (a crash)\nstderr:\n{}",
                status.signal(),
                tail(&stderr, 4000)
            );
        }
    };
    Ok(Output {
        args: args.iter().map(|s| s.to_string()).collect(),
        code,
        stdout,
        stderr,
        elapsed,
    })
}

/// The last `n` bytes of `s` (on a character boundary), for messages.
pub fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

// ---------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------

/// Every file below `dir` (hidden ones included), by path relative to `dir`
/// with `/` separators, with its bytes. Folders appear as `path/` with no
/// bytes, so an empty folder created or removed also counts as a change.
/// Symlinks are recorded by their target, never followed. A missing `dir`
/// is an empty map.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut map);
    }
    map
}

fn walk(base: &Path, dir: &Path, map: &mut BTreeMap<String, Vec<u8>>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry"))
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = path
            .strip_prefix(base)
            .expect("below base")
            .to_string_lossy()
            .replace('\\', "/");
        let ft = entry.file_type().expect("file type");
        if ft.is_symlink() {
            let target = fs::read_link(&path).expect("read_link");
            map.insert(
                format!("{rel} -> symlink"),
                target.to_string_lossy().as_bytes().to_vec(),
            );
        } else if ft.is_dir() {
            map.insert(format!("{rel}/"), Vec::new());
            walk(base, &path, map);
        } else {
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            map.insert(rel, bytes);
        }
    }
}

/// Names of the entries directly inside `dir`.
pub fn entries(dir: &Path) -> BTreeSet<String> {
    match fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// Fails with a readable list of differences if two snapshots differ.
pub fn assert_same_snapshot(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    if before == after {
        return;
    }
    let mut diffs = Vec::new();
    let mut first_change = None;
    for (k, v) in before {
        match after.get(k) {
            None => diffs.push(format!("removed: {k}")),
            Some(w) if w != v => {
                diffs.push(format!("changed: {k}"));
                first_change.get_or_insert_with(|| first_difference(k, v, w));
            }
            _ => {}
        }
    }
    if let Some(detail) = first_change {
        diffs.insert(0, detail);
    }
    for k in after.keys() {
        if !before.contains_key(k) {
            diffs.push(format!("added: {k}"));
        }
    }
    panic!(
        "{what}: {} difference(s):\n  {}",
        diffs.len(),
        diffs.join("\n  ")
    );
}

/// Where two versions of a file first differ, with some context.
fn first_difference(name: &str, a: &[u8], b: &[u8]) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(120);
    let show = |v: &[u8]| {
        String::from_utf8_lossy(&v[from.min(v.len())..(at + 120).min(v.len())]).into_owned()
    };
    format!(
        "first difference in {name} at byte {at}:\n    before: …{}…\n    after:  …{}…",
        show(a),
        show(b)
    )
}

// ---------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------

/// No Rust panic message reached stderr.
pub fn assert_no_panic(stderr: &str) {
    assert!(
        !stderr.contains("panicked"),
        "dossier panicked:\n{}",
        tail(stderr, 4000)
    );
}

/// True if `stderr` names `file` as a whole path (followed by `:`, a space or
/// the end of a line, not as the prefix of a longer name).
pub fn mentions_file(stderr: &str, file: &str) -> bool {
    stderr.match_indices(file).any(|(i, _)| {
        let before_ok = i == 0 || !is_path_char(stderr[..i].chars().next_back().unwrap_or(' '));
        let after = stderr[i + file.len()..].chars().next();
        let after_ok = match after {
            None => true,
            Some(c) => c == ':' || c == ',' || c == ')' || c == '`' || c.is_whitespace(),
        };
        before_ok && after_ok
    })
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-')
}

/// Asserts that stderr names `file`, and with `line`, names it as
/// `file:LINE:` (the codespan locus `┌─ file:LINE:COL` or the note
/// `in file:LINE:COL`).
pub fn assert_mentions(stderr: &str, file: &str, line: Option<usize>) {
    assert!(
        mentions_file(stderr, file),
        "stderr does not name {file}:\n{}",
        tail(stderr, 4000)
    );
    if let Some(line) = line {
        let needle = format!("{file}:{line}:");
        assert!(
            stderr.contains(&needle),
            "stderr does not point at {file}:{line} (looked for `{needle}`):\n{}",
            tail(stderr, 4000)
        );
    }
}

/// Asserts stderr points at exactly `file:line:col`.
pub fn assert_mentions_at(stderr: &str, file: &str, line: usize, col: usize) {
    let needle = format!("{file}:{line}:{col}");
    let found = stderr
        .match_indices(&needle)
        .any(|(i, _)| !stderr[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit()));
    assert!(
        found,
        "stderr does not point at `{needle}`:\n{}",
        tail(stderr, 4000)
    );
}

/// Every `error[CODE]: …` header of stderr, as (code, message).
pub fn error_headers(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("error[")?;
            let (code, message) = rest.split_once("]: ")?;
            Some((code.to_string(), message.to_string()))
        })
        .collect()
}

/// The report shape: at least one `error[CODE]: message` header, each
/// followed (before the next header) by a locus line `┌─ path:L:C` or a
/// note `= in path`.
pub fn assert_report_shape(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let headers: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("error[") && l.contains("]: "))
        .map(|(i, _)| i)
        .collect();
    assert!(
        !headers.is_empty(),
        "no `error[CODE]: message` header in stderr:\n{}",
        tail(stderr, 4000)
    );
    for (n, &h) in headers.iter().enumerate() {
        let end = headers.get(n + 1).copied().unwrap_or(lines.len());
        let has_locus = lines[h + 1..end].iter().any(|l| {
            let t = l.trim_start();
            t.starts_with("┌─ ") || t.starts_with("= in ")
        });
        assert!(
            has_locus,
            "diagnostic `{}` has no `┌─ file:line:col` locus or `= in file` note:\n{}",
            lines[h],
            tail(stderr, 4000)
        );
    }
}

/// The closing line of a failed build: `error: N errors in M files; <out>
/// was left unchanged`.
pub fn assert_left_unchanged_summary(stderr: &str, out: &Path) {
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert!(
        last.starts_with("error: ")
            && last.contains(" in ")
            && last.ends_with(&format!("{} was left unchanged", out.display())),
        "last stderr line should be `error: N errors in M files; {} was left unchanged`, was `{last}`",
        out.display()
    );
}

/// The text of the first element of `html` whose opening tag contains
/// `marker` (e.g. `class="pages"`), up to its matching close tag name.
pub fn element<'a>(html: &'a str, tag: &str, marker: &str) -> &'a str {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut from = 0;
    while let Some(i) = html[from..].find(&open).map(|i| i + from) {
        let tag_end = html[i..].find('>').map(|j| i + j + 1).expect("tag end");
        if html[i..tag_end].contains(marker) {
            let end = html[tag_end..]
                .find(&close)
                .map(|j| tag_end + j)
                .expect("close tag");
            return &html[tag_end..end];
        }
        from = tag_end;
    }
    panic!("no <{tag} …{marker}…> in:\n{html}");
}

/// A real PNG image (a small gradient), for pages that show an image: the
/// build checks that every image it shows exists and is one.
pub fn png_image(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 40) as u8, (y * 40) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode a PNG");
    out.into_inner()
}

/// A real JPEG image, as [`png_image`].
pub fn jpeg_image(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 40) as u8, (y * 40) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode a JPEG");
    out.into_inner()
}
