#!/usr/bin/env bash
# Runs dossier's fuzz targets (fuzz/, cargo-fuzz + libFuzzer), each for a
# bounded time, and fails if any of them finds a crash, a hang or a leak.
#
#   bash .ci/fuzz.sh                  # every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=600 bash .ci/fuzz.sh markdown site
#
# Environment:
#   FUZZ_SECONDS   time per target in seconds (default 60)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a hang (default 10)
#   FUZZ_RSS_MB    memory limit in MiB (default 2048)
#   FUZZ_SANITIZER address (default) or none (safe Rust only: several
#                  times more executions per second)
#
# cargo-fuzz needs nightly Rust for its -Z flags (sanitizers, coverage
# instrumentation). With only stable installed, RUSTC_BOOTSTRAP=1 lets the
# stable compiler accept them; libFuzzer itself is built with the system
# C++ compiler. Crashes are written to fuzz/artifacts/<target>/. Not part of
# .ci/run: see FUZZING.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
timeout="${FUZZ_TIMEOUT:-10}"
rss_mb="${FUZZ_RSS_MB:-2048}"
sanitizer="${FUZZ_SANITIZER:-address}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi
if ! command -v c++ >/dev/null 2>&1; then
    echo "fuzz.sh: libFuzzer needs a C++ compiler (apt-get install g++)" >&2
    exit 2
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

echo "== building ${targets[*]}"
for target in "${targets[@]}"; do
    cargo fuzz build --sanitizer "$sanitizer" "$target"
done

failed=()
for target in "${targets[@]}"; do
    echo "== fuzzing $target for ${seconds}s"
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    if ! cargo fuzz run --sanitizer "$sanitizer" "$target" -- \
        -max_total_time="$seconds" \
        -timeout="$timeout" \
        -rss_limit_mb="$rss_mb" \
        -print_final_stats=1; then
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: crashes found by: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${seconds}s each, no crash"
