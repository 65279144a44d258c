#!/usr/bin/env python3
"""Save-to-reloaded time of `dossier serve` for a one-page edit.

  python3 bench/serve_bench.py                    # the shipped site and a generated 10,000-page site
  python3 bench/serve_bench.py --pages 1000 --edits 20

For each site (copied to a temporary folder, so the repository is never touched): starts
`dossier serve --port 0`, opens the live-reload stream like a browser tab, then EDITS times
appends a marker paragraph to one page and measures, from the moment the file is written,
until (a) the `reload` event arrives and (b) the page served contains the marker. The
edit-to-event time includes the watcher's debounce (30 ms). Prints median and min-max.
Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def start(binary: Path, root: Path):
    proc = subprocess.Popen([str(binary), "serve", "--port", "0", "--root", str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    port = None
    deadline = time.monotonic() + 600
    while port is None and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            raise SystemExit("dossier serve stopped:\n" + "".join(lines))
        lines.append(line)
        if "http://127.0.0.1:" in line:
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    return proc, port


class Events:
    """A live-reload connection; records the time each `reload` arrives."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        # The dev server answers only to Host headers that name it.
        self.sock.sendall(
            f"GET /__dossier/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
        )
        self.reloads: list[float] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        while True:
            data = self.sock.recv(65536)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.strip() == b"event: reload":
                    with self.cond:
                        self.reloads.append(time.monotonic())
                        self.cond.notify_all()

    def wait_after(self, t0: float, timeout: float = 120) -> float:
        with self.cond:
            ok = self.cond.wait_for(lambda: any(t >= t0 for t in self.reloads), timeout)
            if not ok:
                raise SystemExit("no reload event")
            return min(t for t in self.reloads if t >= t0)


def fetch(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    body = conn.getresponse().read().decode("utf-8", "replace")
    conn.close()
    return body


def measure(binary: Path, root: Path, page: Path, url: str, edits: int) -> tuple[list[float], list[float]]:
    proc, port = start(binary, root)
    try:
        events = Events(port)
        time.sleep(0.5)
        to_event, to_served = [], []
        for i in range(edits):
            marker = f"serve-bench-marker-{i}-{time.monotonic_ns()}"
            t0 = time.monotonic()
            with open(page, "a", encoding="utf-8") as f:
                f.write(f"\n\n{marker}\n")
            t_event = events.wait_after(t0)
            while marker not in fetch(port, url):
                time.sleep(0.001)
            t_served = time.monotonic()
            to_event.append(t_event - t0)
            to_served.append(t_served - t0)
            time.sleep(0.3)
        return to_event, to_served
    finally:
        proc.terminate()
        proc.wait()


def row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"| {name} | {statistics.median(ms):.0f} ms | {min(ms):.0f}–{max(ms):.0f} ms |"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000, help="size of the generated site (0 to skip it)")
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--generator", type=Path, default=REPO.parent / "shared" / "bench" / "gen_corpus.py")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = REPO / "target" / "release" / "dossier"
    work = Path(tempfile.mkdtemp(prefix="dossier-serve-bench-"))
    try:
        print(f"machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; {a.edits} edits each\n")
        print("| site | median | min–max |")
        print("|---|---:|---:|")
        shipped = work / "shipped"
        shutil.copytree(REPO, shipped, ignore=shutil.ignore_patterns("target", "public", "node_modules", ".git", "fuzz"))
        ev, sv = measure(binary, shipped, shipped / "content/partners/japan.md", "/partners/japan/", a.edits)
        print(row("shipped site: edit → reload event", ev))
        print(row("shipped site: edit → new page served", sv))
        if a.pages:
            corpus = work / f"n{a.pages}"
            subprocess.run([sys.executable, str(a.generator), "--engine", "neutral", "--nav", "prevnext",
                            "--pages", str(a.pages), "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
            # One engine: the generator writes the site directly into --out.
            root = corpus / "neutral" if (corpus / "neutral").is_dir() else corpus
            page = sorted((root / "content").glob("*/p*.md"))[0]
            url = f"/{page.parent.name}/{page.stem}/"
            ev, sv = measure(binary, root, page, url, a.edits)
            print(row(f"{a.pages:,} pages: edit → reload event", ev))
            print(row(f"{a.pages:,} pages: edit → new page served", sv))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
