#!/usr/bin/env python3
"""What a feature costs a build: the same site without and with it, built alternately.

  python3 bench/features.py images       # 1,000 pages, 100 cached PNG images, 7 paired runs
  python3 bench/features.py languages    # 1,000 pages, then the same in en, fr and de (3,000)
  python3 bench/features.py components   # 1,000 pages, then each calling two components
  python3 bench/features.py all --runs 9 --out-dir /dev/shm/dossier-features

Each feature makes two copies of the shared harness's generated site
(../shared/bench/gen_corpus.py): `base`, and `feature`, the same site using the feature:

- images: the first N pages each show one image from static/images/ (PNG, 1600 x 1000 by
  default: the heavier case, since PNG images get WebP variants too, six files each with the
  default widths). The images are made here (a gradient with stripes, written with zlib), so
  nothing needs installing. The feature site is built once first (the cold build, printed,
  fills .dossier-cache/images/): the timed runs are warm-cache rebuilds.
- languages: `languages: [en, fr, de]`, and beside every page and section a `.fr.md` and a
  `.de.md` with its own title and the original's body: three times the pages. The issue's
  budget is 3.3 times the one-language time.
- components: both copies have the shipped components (templates/components/content.html, the
  labels.html it uses, and i18n/en.yaml) and the same text, each page starting with its first paragraph and a two-item
  list. In `feature` the paragraph is inside a `callout` and the list inside a `keyfacts` box;
  in `base` they stand as plain Markdown. The callout call is the same on every page, each
  keyfacts call has its own title. The budget is 10% over the plain pages.

Every timed run is one whole process into an output folder of its own that does not exist yet
(see bench.py on why nothing is deleted while timing); the first round warms the page cache
and is not counted. Prints the median wall time of each copy, min-max, and the median of the
paired ratios feature/base. Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import os
import re
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


def split_front(text: str) -> tuple[str, str]:
    """(front matter without its fences, body) of a generated page."""
    _, front, body = text.split("---\n", 2)
    return front, body


def add_images(base: Path, site: Path, a: argparse.Namespace) -> str:
    pages = pages_of(site)
    if len(pages) < a.images:
        sys.exit(f"only {len(pages)} pages for {a.images} images")
    (site / "static" / "images").mkdir(parents=True, exist_ok=True)
    width, height = a.size
    for i, page in enumerate(pages[: a.images]):
        (site / "static" / "images" / f"photo-{i:03}.png").write_bytes(png(width, height, i))
        with page.open("a", encoding="utf-8") as f:
            f.write(f"\n\n![Photo number {i}](/images/photo-{i:03}.png)\n")
    return f"{a.images} images of {width} x {height} on the first {a.images} pages"


def add_languages(base: Path, site: Path, a: argparse.Namespace) -> str:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [en, fr, de]\n", encoding="utf-8")
    count = 0
    for page in sorted((site / "content").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        title = ""
        body = text
        if text.startswith("---\n"):
            front, body = split_front(text)
            found = re.search(r"^title: (.*)$", front, re.M)
            title = found.group(1).strip('"') if found else ""
        for code in ("fr", "de"):
            page.with_name(f"{page.stem}.{code}.md").write_text(
                f'---\ntitle: "{title} ({code})"\n---\n{body}', encoding="utf-8")
            count += 1
    return f"{count} translations (fr and de of every page and section)"


# The words around each component call are the same in both copies: only the calls differ.
COMPONENT_PAGE = ("{open_callout}{first}{close}\n\n{open_keyfacts}- Signed: 11 February 2026\n"
                  "- Pages: 1,000\n{close}\n\n{rest}")


def install_components(site: Path) -> None:
    (site / "templates" / "components").mkdir(parents=True, exist_ok=True)
    for name in ("content.html", "labels.html"):
        shutil.copy(REPO / "templates" / "components" / name, site / "templates" / "components")
    (site / "i18n").mkdir(exist_ok=True)
    shutil.copy(REPO / "i18n" / "en.yaml", site / "i18n")


def write_component_pages(site: Path, calls: bool) -> None:
    for n, page in enumerate(pages_of(site)):
        front, body = split_front(page.read_text(encoding="utf-8"))
        first, _, rest = body.strip("\n").partition("\n\n")
        parts = {"first": first + "\n", "rest": rest, "open_callout": "", "open_keyfacts": "", "close": ""}
        if calls:
            # The callout is the same call on every page, the key facts box a
            # different one on each (dossier renders each distinct call once).
            parts.update(open_callout='{% callout(kind="note") %}\n',
                         open_keyfacts=f'{{% keyfacts(title="Key facts {n}") %}}\n', close="{% end %}\n")
        page.write_text(f"---\n{front}---\n" + COMPONENT_PAGE.format(**parts), encoding="utf-8")


def add_components(base: Path, site: Path, a: argparse.Namespace) -> str:
    for copy, calls in ((base, False), (site, True)):
        install_components(copy)
        write_component_pages(copy, calls)
    return "each page calls callout and keyfacts (the base copy: the same text without the calls)"


FEATURES = {"images": add_images, "languages": add_languages, "components": add_components}


def bench_feature(name: str, a: argparse.Namespace, corpus: Path) -> None:
    work = a.work / name
    base, feature = work / "base", work / "feature"
    for site in (base, feature):
        if site.exists():
            shutil.rmtree(site)
        shutil.copytree(corpus, site)
    what = FEATURES[name](base, feature, a)
    outs = (a.out_dir or a.work / "out") / name
    settle(outs, a.settle)
    print(f"## {name}: {len(pages_of(base))} pages; {what}; outputs in {outs}\n")
    cold = run_once([str(a.dossier), "build", "--root", str(feature), "--out", str(outs / "cold")])
    print(f"first build of the feature site: {cold['wall']:.3f} s\n")
    runs: dict[str, list[dict]] = {"base": [], name: []}
    for i in range(a.runs + 1):
        for label, site in (("base", base), (name, feature)):
            r = run_once([str(a.dossier), "build", "--root", str(site), "--out", str(outs / f"{label}-{i}")])
            if i > 0:  # the first round warms the page cache
                runs[label].append(r)
    print("| site | median wall | min–max | peak RSS |")
    print("|---|---:|---:|---:|")
    for label, rs in runs.items():
        walls = [r["wall"] for r in rs]
        print(f"| {label} | {statistics.median(walls) * 1000:.1f} ms | "
              f"{min(walls) * 1000:.1f}–{max(walls) * 1000:.1f} ms | "
              f"{statistics.median(r['peak'] for r in rs):.0f} MiB |")
    ratios = [f["wall"] / b["wall"] for b, f in zip(runs["base"], runs[name])]
    print(f"\npaired ratio {name}/base: median {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})\n")
    shutil.rmtree(outs, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("feature", choices=[*FEATURES, "all"])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--images", type=int, default=100)
    ap.add_argument("--size", type=int, nargs=2, default=[1600, 1000], metavar=("W", "H"))
    ap.add_argument("--nav", choices=["prevnext", "full"], default="prevnext",
                    help="what each page lists of its section, as in bench.py")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "dossier-features")
    ap.add_argument("--generator", type=Path, default=REPO.parent / "shared" / "bench" / "gen_corpus.py")
    ap.add_argument("--dossier", type=Path, default=REPO / "target" / "release" / "dossier")
    ap.add_argument("--settle", type=int, default=65, help="seconds to wait after deleting old outputs")
    ap.add_argument("--out-dir", type=Path, help="where outputs go (default WORK/out)")
    ap.add_argument("--no-build", action="store_true", help="use --dossier as it is (no cargo build)")
    a = ap.parse_args()

    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    corpus = a.work / f"{a.nav}-n{a.pages}"
    if not (corpus / "site.yaml").exists():
        if not a.generator.exists():
            sys.exit(f"corpus generator not found at {a.generator} (pass --generator)")
        subprocess.run([sys.executable, str(a.generator), "--engine", "neutral", "--pages", str(a.pages),
                        "--nav", a.nav, "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    print(f"dossier: {a.dossier}; machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}\n")
    for name in (FEATURES if a.feature == "all" else [a.feature]):
        bench_feature(name, a, corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
