#!/usr/bin/env python3
"""What images cost a rebuild: the same site with and without 100 images, warm cache.

  python3 bench/images_bench.py                          # 1,000 pages, 100 images, 7 runs
  python3 bench/images_bench.py --pages 1000 --images 100 --runs 9 --out-dir /dev/shm/dossier-img

Two copies of the shared harness's generated site (../shared/bench/gen_corpus.py): `plain`, and
`images`, where the first N pages each show one image from static/images/ (PNG, 1600 x 1000
by default: the heavier case, since PNG images get WebP variants too, six files each with
the default widths). The images are made here (a gradient with stripes, written with zlib), so
nothing needs to be installed.

The `images` site is built once first (the cold build: its time is printed, and it fills
.dossier-cache/images/), then the two sites are built alternately, each run into an output
folder of its own that does not exist yet (see bench.py on why nothing is deleted while
timing). Prints the median wall time of each, min-max, the median of the paired ratios
images/plain, and the extra time. Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import REPO, run_once, settle  # noqa: E402


def png(width: int, height: int, seed: int) -> bytes:
    """A smooth RGB image with stripes, deflated: photo-sized, not photo-like noise."""
    base = bytes((x * 255 // width + seed * 7) % 256 for x in range(width))
    rows = []
    for y in range(height):
        g = (y * 255 // height) & 0xFF
        shift = (y * 3 + seed) % width
        red = base[shift:] + base[:shift]
        stripe = 40 if (y // 25) % 2 else 0
        row = bytearray(width * 3)
        row[0::3] = red
        row[1::3] = bytes([g]) * width
        row[2::3] = bytes([(seed * 31 + stripe) % 256]) * width
        rows.append(b"\x00" + bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6))
            + chunk(b"IEND", b""))


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--images", type=int, default=100)
    ap.add_argument("--size", type=int, nargs=2, default=[1600, 1000], metavar=("W", "H"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "dossier-img-bench")
    ap.add_argument("--generator", type=Path, default=REPO.parent / "shared" / "bench" / "gen_corpus.py")
    ap.add_argument("--dossier", type=Path, default=REPO / "target" / "release" / "dossier")
    ap.add_argument("--settle", type=int, default=65, help="seconds to wait after deleting old outputs")
    ap.add_argument("--out-dir", type=Path, help="where outputs go (default WORK/out)")
    ap.add_argument("--no-build", action="store_true", help="use --dossier as it is (no cargo build)")
    a = ap.parse_args()

    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    corpus = a.work / f"corpus-n{a.pages}"
    if not (corpus / "site.yaml").exists():
        if not a.generator.exists():
            sys.exit(f"corpus generator not found at {a.generator} (pass --generator)")
        subprocess.run([sys.executable, str(a.generator), "--engine", "neutral", "--pages", str(a.pages),
                        "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    plain, with_images = a.work / "plain", a.work / "images"
    for site in (plain, with_images):
        if site.exists():
            shutil.rmtree(site)
        shutil.copytree(corpus, site)
    pages = pages_of(with_images)
    if len(pages) < a.images:
        sys.exit(f"only {len(pages)} pages for {a.images} images")
    (with_images / "static" / "images").mkdir(parents=True, exist_ok=True)
    width, height = a.size
    for i, page in enumerate(pages[: a.images]):
        (with_images / "static" / "images" / f"photo-{i:03}.png").write_bytes(png(width, height, i))
        with page.open("a", encoding="utf-8") as f:
            f.write(f"\n\n![Photo number {i}](/images/photo-{i:03}.png)\n")

    outs = a.out_dir or a.work / "out"
    settle(outs, a.settle)
    print(f"dossier: {a.dossier}; machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; "
          f"{len(pages_of(plain))} pages, {a.images} images of {width} x {height}; outputs in {outs}\n")
    cold = run_once([str(a.dossier), "build", "--root", str(with_images), "--out", str(outs / "cold")])
    cache = with_images / ".dossier-cache" / "images"
    entries = len(list(cache.iterdir())) if cache.exists() else 0
    print(f"cold build with images (cache empty): {cold['wall']:.3f} s; cache entries: {entries}\n")
    runs: dict[str, list[dict]] = {"plain": [], "images": []}
    for i in range(a.runs + 1):
        for name, site in (("plain", plain), ("images", with_images)):
            r = run_once([str(a.dossier), "build", "--root", str(site), "--out", str(outs / f"{name}-{i}")])
            if i > 0:  # the first round warms the page cache
                runs[name].append(r)
    print("| site | median wall | min–max |")
    print("|---|---:|---:|")
    for name, rs in runs.items():
        walls = [r["wall"] for r in rs]
        print(f"| {name} | {statistics.median(walls) * 1000:.1f} ms | "
              f"{min(walls) * 1000:.1f}–{max(walls) * 1000:.1f} ms |")
    ratios = [i["wall"] / p["wall"] for p, i in zip(runs["plain"], runs["images"])]
    med_plain = statistics.median(r["wall"] for r in runs["plain"])
    med_images = statistics.median(r["wall"] for r in runs["images"])
    print(f"\npaired ratio images/plain: median {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f}); "
          f"extra {100 * (med_images / med_plain - 1):+.1f}% ({(med_images - med_plain) * 1000:+.1f} ms)")
    shutil.rmtree(outs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
