#!/usr/bin/env bash
# Fuzz every target in fuzz/ with cargo-fuzz (libFuzzer), one after the
# other, each for SECONDS seconds (default 60) on one worker:
#
#   scripts/fuzz.sh                 # 60 s per target
#   scripts/fuzz.sh 900             # 15 min per target
#   scripts/fuzz.sh 300 segment     # one target
#
# Needs the nightly toolchain; installs cargo-fuzz if missing. Corpora grow
# in fuzz/corpus/<target> (seeded from data/sample, cut small), crashing
# inputs land in fuzz/artifacts/<target>. Exits 1 if any target crashed.
# Replay a crash with `cargo +nightly fuzz run <target> <file>`, shrink it
# with `cargo +nightly fuzz tmin <target> <file>`, and keep it as a test in
# tests/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ingest_decode segment normalize align compare)
fi
# Inputs stay small so that each run tries many of them; 4 KiB holds a few
# paragraphs of each sample.
max_len=4096

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

samples=(data/sample/*.txt)

# Writes the seed inputs of one target into its corpus (once).
seed() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir")" ] && return
  local i=0 file
  case $target in
    align | compare)
      # Versions of the same text, separated by 0xFF (see fuzz/checks.rs).
      for file in "${samples[@]:1}"; do
        head -c 700 "$file" | head -n -1
        printf '\xff'
      done >"$dir/seed-versions"
      {
        head -c 1200 "${samples[2]}" | head -n -1
        printf '\xff'
        head -c 1200 "${samples[4]}" | head -n -1
      } >"$dir/seed-pair"
      ;;
    ingest_decode)
      for file in tests/fixtures/encodings/*; do
        head -c 1024 "$file" >"$dir/seed-$(basename "$file")"
      done
      ;;
  esac
  # Whole lines only, so that the text stays valid UTF-8.
  for file in "${samples[@]}"; do
    head -c 2048 "$file" | head -n -1 >"$dir/seed-head-$i"
    tail -c 2048 "$file" | tail -n +2 >"$dir/seed-tail-$i"
    i=$((i + 1))
  done
}

# cargo-fuzz builds with its own flags (nightly, sanitizer): keep its
# build apart from the stable one so neither invalidates the other.
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$PWD/fuzz/target}

failed=()
for target in "${targets[@]}"; do
  seed "$target"
  mkdir -p "fuzz/artifacts/$target"
  echo "== $target: ${seconds}s" >&2
  # Without -jobs/-fork, libFuzzer fuzzes in this one process, on one
  # core (-jobs=1 would do the same in a child whose output goes to a log
  # file). An input that takes over 30 s counts as a failure (a hang).
  if ! cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=30 \
    -print_final_stats=1; then
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "crashed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
