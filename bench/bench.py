#!/usr/bin/env python3
"""Full-build benchmark of dossier, side by side with Hugo when it is installed.

  python3 bench/bench.py                      # 1,000 and 10,000 pages, NAV=prevnext, 5 runs
  python3 bench/bench.py --sizes 5 1000 --nav full --runs 7
  python3 bench/bench.py --no-hugo            # dossier alone
  python3 bench/bench.py --out-dir /dev/shm/dossier-bench   # outputs in memory: the engines' work alone

The corpus is the shared harness's generated site (../shared/bench/gen_corpus.py, or
--generator PATH): one logical site written in dossier's layout ("neutral") and Hugo's.
Each timed run is one whole process, start-up included, into an output folder of its own
that does not exist yet. dossier and Hugo alternate run by run, so drift of a shared machine
hits both, and the ratio is taken per pair. Wall time comes from a monotonic clock around
spawn..wait4; peak memory is the child's ru_maxrss.

Nothing is deleted while timing: on ext4, creating files shortly after many were deleted is
slow (the kernel skips inodes freed in the last 60 s, 300 s while their table is dirty, and
scans past each one: `recently_deleted` in `find_inode_bit`), which inflated both engines'
times up to tenfold between runs. Outputs are kept until the end; leftovers of an earlier run
are deleted first, followed by a sync and a 65 s pause (`--settle`).

Prints, per size: median wall time with min-max, pages per second, peak RSS (MiB), and the
median of the paired dossier/Hugo ratios; then the physical limit, pulldown-cmark alone
rendering the same Markdown in memory on the same cores (examples/physical_limit.rs), and
dossier's full build as a multiple of it. Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_once(argv: list[str]) -> dict:
    t0 = time.monotonic()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        raise SystemExit(f"command failed with exit {rc}: {' '.join(argv)}")
    return {"wall": wall, "peak": ru.ru_maxrss / 1024.0, "cpu": ru.ru_utime + ru.ru_stime}


def settle(outs: Path, seconds: int) -> None:
    """Removes an earlier run's outputs, then waits until ext4 stops
    treating their inodes as recently deleted (see the module docs)."""
    if outs.exists() and any(outs.iterdir()):
        shutil.rmtree(outs)
        os.sync()
        print(f"(removed earlier outputs; waiting {seconds} s for the file system to settle)\n", flush=True)
        time.sleep(seconds)
    outs.mkdir(parents=True, exist_ok=True)


def physical_limit(site: Path) -> tuple[float, str]:
    """(median ms, its report line) of pulldown-cmark alone on `site`'s Markdown."""
    line = subprocess.run([str(REPO / "target" / "release" / "examples" / "physical_limit"), str(site), "7"],
                          capture_output=True, text=True, check=True).stdout.strip()
    return float(line.split("median ")[1].split(" ms")[0]), line


def fmt_row(name: str, runs: list[dict], pages: int) -> str:
    walls = [r["wall"] for r in runs]
    med = statistics.median(walls)
    peak = max(r["peak"] for r in runs)
    return (f"| {name} | {med:.3f} s | {min(walls):.3f}–{max(walls):.3f} s | "
            f"{pages / med:,.0f} | {peak:.0f} MiB |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--nav", choices=["prevnext", "full"], default="prevnext")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "dossier-bench")
    ap.add_argument("--generator", type=Path, default=REPO.parent / "shared" / "bench" / "gen_corpus.py")
    ap.add_argument("--dossier", type=Path, default=REPO / "target" / "release" / "dossier")
    ap.add_argument("--hugo", default=shutil.which("hugo"))
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--settle", type=int, default=65, help="seconds to wait after deleting old outputs")
    ap.add_argument("--keep", action="store_true", help="keep the outputs afterwards")
    ap.add_argument("--out-dir", type=Path, help="where outputs go (default WORK/out); "
                    "/dev/shm/... takes the disk out of the figures")
    a = ap.parse_args()

    if not a.generator.exists():
        sys.exit(f"corpus generator not found at {a.generator} (pass --generator)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "physical_limit"], cwd=REPO, check=True)
    hugo = None if a.no_hugo else a.hugo
    if hugo:
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
        print(f"hugo: {version}")
    else:
        print("hugo: not found, dossier alone (apt-get install hugo to compare)")
    print(f"dossier: {subprocess.run([a.dossier, '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; nav={a.nav}, runs={a.runs}, "
          f"outputs in {a.out_dir or a.work / 'out'}\n")

    outs = a.out_dir or a.work / "out"
    settle(outs, a.settle)
    print("| engine | pages | median wall | min–max | pages/s | peak RSS | dossier/Hugo (paired median) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    limits: list[tuple[int, float, tuple[float, str]]] = []
    for n in a.sizes:
        corpus = a.work / f"{a.nav}-n{n}"
        if not (corpus / "neutral" / "site.yaml").exists():
            # Always both layouts: with a single engine the generator would
            # write it at the top instead of in neutral/.
            engines = "neutral,hugo"
            subprocess.run([sys.executable, str(a.generator), "--engine", engines, "--pages", str(n),
                            "--nav", a.nav, "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
        d_runs, h_runs = [], []
        for i in range(a.warmup + a.runs):
            d_out, h_out = outs / f"dossier-{n}-{i}", outs / f"hugo-{n}-{i}"
            d = run_once([str(a.dossier), "build", "--root", str(corpus / "neutral"), "--out", str(d_out)])
            h = None
            if hugo:
                h = run_once([hugo, "--source", str(corpus / "hugo"), "--destination", str(h_out), "--quiet"])
            if i >= a.warmup:
                d_runs.append(d)
                if h:
                    h_runs.append(h)
        html = sum(1 for _ in d_out.rglob("*.html"))
        ratio = ""
        if h_runs:
            ratio = f"{statistics.median(d['wall'] / h['wall'] for d, h in zip(d_runs, h_runs)):.3f}"
        print(fmt_row("dossier", d_runs, html).replace("| dossier |", f"| dossier | {html:,} |", 1) + f" {ratio} |")
        if h_runs:
            print(fmt_row("hugo", h_runs, html).replace("| hugo |", f"| hugo | {html:,} |", 1) + " |")
        limits.append((n, statistics.median(d["wall"] for d in d_runs), physical_limit(corpus / "neutral")))
    # The physical limit: pulldown-cmark alone on the same Markdown, in memory, on the same
    # cores (examples/physical_limit.rs); a full build as a multiple of it.
    print()
    for n, wall, (limit_ms, line) in limits:
        print(f"{n:,} pages: {line}; dossier's full build is {wall * 1000 / limit_ms:.1f}x that")
    if not a.keep:
        shutil.rmtree(outs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
