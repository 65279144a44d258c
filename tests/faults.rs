//! Fault injection against the real binary: what happens to the output
//! folder when builds overlap, are killed, race with other writers, or read
//! files that are being written. RELIABILITY.md lists these promises and
//! points here.
//!
//! The sites are generated with enough pages that a build spends a second or
//! more rendering, so the faults land inside the window they aim at (the
//! staging folder exists, the swap has not happened). Where a fault can miss
//! that window on an unlucky run (the build finished first), the test tries
//! again, a bounded number of times, and requires the fault to have landed at
//! least once. No test asserts how long anything took; the only time limits
//! are generous hang bounds.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::*;

/// Pages in the generated sites: enough for a debug build to render for
/// about a second on a slow machine.
const PAGES: usize = 1500;

/// How long anything may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(120);

/// The test site plus a `notes` section of [`PAGES`] pages.
fn big_site() -> TestSite {
    let mut files = base_files();
    files.push((
        "content/notes/_index.md".into(),
        b"---\ntitle: Notes\n---\nAll the notes.\n".to_vec(),
    ));
    for i in 0..PAGES {
        files.push((
            format!("content/notes/n{i:04}.md"),
            format!("---\ntitle: Note {i}\n---\nThe body of note {i}, with *some* text.\n")
                .into_bytes(),
        ));
    }
    TestSite::from_files(files)
}

/// A `dossier build` running in the background; killed if dropped unfinished.
struct Running {
    child: Child,
    stderr: Option<JoinHandle<String>>,
}

impl Running {
    fn start(site: &TestSite, out: &Path) -> Running {
        let mut child = Command::new(BIN)
            .args(["build", "--root", &site.root_arg(), "--out"])
            .arg(out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .env("NO_COLOR", "1")
            .spawn()
            .expect("start dossier");
        let mut pipe = child.stderr.take().expect("stderr piped");
        let stderr = thread::spawn(move || {
            let mut s = String::new();
            let _ = pipe.read_to_string(&mut s);
            s
        });
        Running {
            child,
            stderr: Some(stderr),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the build to end: (exit code, stderr). A signal is a crash.
    fn finish(mut self) -> (i32, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(started.elapsed() < HANG, "dossier build hangs");
            thread::sleep(Duration::from_millis(5));
        };
        let stderr = self.stderr.take().expect("once").join().unwrap_or_default();
        assert_no_panic(&stderr);
        let code = status
            .code()
            .unwrap_or_else(|| panic!("dossier died from a signal:\n{stderr}"));
        (code, stderr)
    }

    /// kill -9, as an out-of-memory killer or a power cut would.
    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reap");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Polls `ready` until it holds; false if `running` ended first.
fn wait_while_running(running: &mut Running, mut ready: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    loop {
        if ready() {
            return true;
        }
        if !running.is_running() {
            return false;
        }
        assert!(started.elapsed() < HANG, "waited too long");
        thread::sleep(Duration::from_millis(2));
    }
}

/// Entries beside `out` made by dossier (`.<out>.dossier-…`).
fn dossier_entries_beside(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let prefix = format!(".{name}.dossier-");
    entries(out.parent().unwrap())
        .into_iter()
        .filter(|e| e.starts_with(&prefix))
        .collect()
}

/// The staging folder of a running build into `out`, once it holds some
/// rendered pages (rendering is under way, the swap is still to come).
fn rendering(out: &Path) -> Option<PathBuf> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let prefix = format!(".{name}.dossier-tmp-");
    let dir = entries(out.parent().unwrap())
        .into_iter()
        .find(|e| e.starts_with(&prefix))?;
    let staging = out.parent().unwrap().join(dir);
    let pages = fs::read_dir(staging.join("notes")).ok()?.count();
    (pages >= 50).then_some(staging)
}

/// Every file below `dir` (not folders), by relative path.
fn files(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_keys()
        .filter(|k| !k.ends_with('/'))
        .collect()
}

#[test]
fn concurrent_builds_one_refuses_and_the_winner_is_complete() {
    let site = big_site();
    let reference = site.path("reference");
    let o = run_output(
        &[
            "build",
            "--root",
            &site.root_arg(),
            "--out",
            &reference.display().to_string(),
        ],
        &RunOptions::default(),
    );
    o.assert_success("reference build");
    let out = site.out();
    let mut refused = 0;
    for _attempt in 0..3 {
        let mut first = Running::start(&site, &out);
        wait_while_running(&mut first, || rendering(&out).is_some());
        let second = site.build(&[]);
        let first_pid = first.pid();
        let (code, stderr) = first.finish();
        assert_eq!(code, 0, "the first build must succeed:\n{stderr}");
        if second.code == 0 {
            // The first build had already finished: no overlap this time.
            continue;
        }
        refused += 1;
        second.assert_code(2);
        assert!(
            second.stderr.contains("E-OUTPUT-BUSY")
                && second.stderr.contains(&format!("(PID {first_pid})"))
                && second.stderr.contains(&out.display().to_string()),
            "the refusal names the other build and the output:\n{}",
            second.stderr
        );
        assert_same_snapshot(
            &snapshot(&reference),
            &snapshot(&out),
            "the winner's output is a clean build's",
        );
        assert!(
            dossier_entries_beside(&out).is_empty(),
            "left beside the output: {:?}",
            dossier_entries_beside(&out)
        );
        break;
    }
    assert!(
        refused > 0,
        "the second build never overlapped the first in 3 attempts"
    );
}

#[test]
fn a_killed_builds_leftovers_are_cleared_by_the_next_build() {
    let site = big_site();
    let out = site.out();
    site.build_ok(&[]);
    let clean = files(&out);
    let mut killed = false;
    for _attempt in 0..3 {
        let mut build = Running::start(&site, &out);
        if !wait_while_running(&mut build, || rendering(&out).is_some()) {
            build.finish();
            continue;
        }
        let pid = build.pid();
        build.kill();
        let left = dossier_entries_beside(&out);
        assert!(
            left.contains(&format!(".public.dossier-tmp-{pid}"))
                && left.contains(&format!(".public.dossier-{pid}.lock")),
            "a killed build leaves its staging folder and lock file: {left:?}"
        );
        killed = true;
        break;
    }
    assert!(killed, "the build ended before it could be killed, 3 times");
    assert_eq!(files(&out), clean, "a killed build changes nothing");
    let o = site.build_ok(&[]);
    assert!(!o.stderr.contains("W-OUTPUT-LEFTOVER"), "{}", o.stderr);
    assert!(
        dossier_entries_beside(&out).is_empty(),
        "the next build removes the leftovers: {:?}",
        dossier_entries_beside(&out)
    );
    assert_eq!(files(&out), clean);
}

#[test]
fn live_and_unowned_staging_folders_are_left_alone() {
    let site = TestSite::new();
    let beside = site.root();
    let folder = |pid: u32| {
        let dir = beside.join(format!(".public.dossier-tmp-{pid}"));
        fs::create_dir_all(dir.join("notes")).unwrap();
        fs::write(dir.join("notes/index.html"), "half a site").unwrap();
        dir
    };
    let lock_file = |pid: u32| beside.join(format!(".public.dossier-{pid}.lock"));
    // A live build: its lock is held (by this test process, as a build
    // would hold it).
    let live = folder(4_000_001);
    let held = fs::File::create(lock_file(4_000_001)).unwrap();
    held.lock().unwrap();
    // A dead build: the lock file is there, nobody holds it.
    let dead = folder(4_000_002);
    fs::write(lock_file(4_000_002), "4000002\n").unwrap();
    // No lock file at all: nothing shows dossier made it.
    let unowned = folder(4_000_003);

    let o = site.build_ok(&[]);
    assert!(
        live.join("notes/index.html").is_file(),
        "a live build's folder stays"
    );
    assert!(lock_file(4_000_001).is_file());
    assert!(
        !dead.exists() && !lock_file(4_000_002).exists(),
        "a dead build's leftovers go"
    );
    assert!(
        unowned.join("notes/index.html").is_file(),
        "an unowned folder stays"
    );
    assert!(
        o.stderr.contains("W-OUTPUT-LEFTOVER") && o.stderr.contains(".public.dossier-tmp-4000003"),
        "the unowned folder is reported:\n{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains(".public.dossier-tmp-4000001"),
        "{}",
        o.stderr
    );
    drop(held);
}

#[test]
fn a_file_saved_into_the_output_mid_build_stops_the_swap() {
    let site = big_site();
    let out = site.out();
    site.build_ok(&[]);
    let before = snapshot(&out);
    let foreign = out.join("notes-to-self.txt");
    let mut refused = false;
    for _attempt in 0..3 {
        let mut build = Running::start(&site, &out);
        if !wait_while_running(&mut build, || rendering(&out).is_some()) {
            build.finish();
            continue;
        }
        fs::write(&foreign, "mine, not dossier's").unwrap();
        let (code, stderr) = build.finish();
        if code == 0 {
            // Only possible if the swap came first; then the file is in the
            // new output, not lost.
            assert_eq!(fs::read_to_string(&foreign).unwrap(), "mine, not dossier's");
            fs::remove_file(&foreign).unwrap();
            continue;
        }
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("E-OUTPUT-CHANGED") && stderr.contains(&foreign.display().to_string()),
            "the refusal names the foreign file:\n{stderr}"
        );
        let mut expected = before.clone();
        expected.insert("notes-to-self.txt".into(), b"mine, not dossier's".to_vec());
        assert_same_snapshot(
            &expected,
            &snapshot(&out),
            "the old site and the foreign file are both kept",
        );
        assert!(
            dossier_entries_beside(&out).is_empty(),
            "the new build is discarded: {:?}",
            dossier_entries_beside(&out)
        );
        refused = true;
        break;
    }
    assert!(refused, "the file was never written while the build ran");
}

/// On Linux the swap is one atomic exchange: a reader that keeps opening
/// the home page never finds it missing, however many swaps it sees.
#[cfg(target_os = "linux")]
#[test]
fn readers_never_see_the_output_missing_during_swaps() {
    let site = TestSite::new();
    for i in 0..200 {
        site.write(
            &format!("content/partners/p{i:03}.md"),
            &format!("---\ntitle: Partner {i}\n---\nText.\n"),
        );
    }
    site.build_ok(&[]);
    let index = site.out().join("index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let looks = Arc::new(AtomicUsize::new(0));
    let reader = {
        let (stop, looks, index) = (stop.clone(), looks.clone(), index.clone());
        thread::spawn(move || {
            let mut missing = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if let Err(e) = fs::metadata(&index) {
                    missing.push(format!("stat: {e}"));
                }
                if let Err(e) = fs::File::open(&index) {
                    missing.push(format!("open: {e}"));
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
            missing
        })
    };
    for _ in 0..8 {
        site.build_ok(&[]);
    }
    stop.store(true, Ordering::Relaxed);
    let missing = reader.join().expect("reader thread");
    assert!(looks.load(Ordering::Relaxed) > 0);
    assert!(
        missing.is_empty(),
        "out/index.html was missing {} times during swaps, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

/// A writer that keeps rewriting one page (truncate, then a slow write in
/// small pieces) while builds run: every build either publishes the whole
/// page or fails naming it. It never publishes a torn page with exit 0.
#[test]
fn a_page_rewritten_during_the_build_is_never_published_torn() {
    const WORDS: usize = 4000;
    let site = big_site();
    let page = site.path("content/notes/torn.md");
    let mut text = String::from("---\ntitle: Torn\n---\n");
    for i in 0..WORDS {
        text.push_str(&format!("word{i} "));
    }
    text.push_str("\n\nTHE-END\n");
    fs::write(&page, &text).unwrap();
    site.build_ok(&[]);

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, page, text) = (stop.clone(), page.clone(), text.clone());
        thread::spawn(move || {
            let header = text.find("\n---\n").unwrap() + 5;
            while !stop.load(Ordering::Relaxed) {
                let mut f = fs::File::create(&page).unwrap();
                f.write_all(&text.as_bytes()[..header]).unwrap();
                for chunk in text.as_bytes()[header..].chunks(1024) {
                    f.write_all(chunk).unwrap();
                    thread::sleep(Duration::from_micros(300));
                }
            }
        })
    };
    let mut detected = 0;
    for _ in 0..3 {
        let o = site.build(&[]);
        assert_no_panic(&o.stderr);
        if o.code == 0 {
            let html = site.read_out("notes/torn/index.html");
            assert!(
                html.contains("THE-END") && html.contains(&format!("word{} ", WORDS - 1)),
                "exit 0 with a torn page"
            );
        } else {
            o.assert_code(1);
            assert_mentions(&o.stderr, "content/notes/torn.md", None);
            assert_left_unchanged_summary(&o.stderr, &site.out());
            if o.stderr.contains("E-CONTENT-CHANGED") {
                detected += 1;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer thread");
    assert!(
        detected > 0,
        "a page being rewritten throughout was never noticed"
    );
    let html = site.read_out("notes/torn/index.html");
    assert!(html.contains("THE-END"), "the published page is whole");
    fs::write(&page, &text).unwrap();
    site.build_ok(&[]);
    assert!(site.read_out("notes/torn/index.html").contains("THE-END"));
}
