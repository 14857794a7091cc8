#!/usr/bin/env bash
# Peer benchmark: time recension against datasketch (clustering, with
# `recension cluster` and the same shingles), collatex (character collation)
# and dinglehopper (CER) on the same inputs, and print the ratio table (wall
# time, CPU time = user + system, and peak RSS from GNU time; accuracy from
# scripts/score.py where a truth exists: pairwise F1 and fragment attachment
# for clustering). A recension-only row times the full `report` pipeline.
# A scale section then times recension's `cluster`, `report`, `audit` and `clean`
# alone at three corpus sizes (4 witnesses x 25,000 / 75,000 / 250,000
# paragraphs: about 100k, 300k and 1M paragraphs).
#
#   scripts/bench.sh            # large generated corpus: 4 witnesses x 250,000 paragraphs, and the scale section
#   scripts/bench.sh --quick    # small generated corpus: 4 witnesses x 2,000 paragraphs; scale at 2,000 and 6,000
#   scripts/bench.sh --scale    # the scale section only (no peers, no virtual environment)
#   scripts/bench.sh --help     # all options (passed to scripts/bench_run.py)
#
# It builds the release binary, creates a virtual environment with the peers
# under target/bench-venv (pip, pinned versions; not with --scale), installs
# GNU time when it is missing and we are root, then runs scripts/bench_run.py.
# Outputs go to target/bench/ (results.md holds the tables).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)

# Versions checked to install and run with Python 3.11 on 2026-11-21.
# collatex imports Levenshtein without declaring it as a dependency.
peers=(datasketch==2.0.0 rensa==0.5.0 collatex==2.3 Levenshtein==0.27.5 dinglehopper==0.11.0)
venv="$repo/target/bench-venv"

scale_only=false
for arg in "$@"; do
    if [[ $arg == -h || $arg == --help ]]; then
        exec python3 scripts/bench_run.py --help
    fi
    if [[ $arg == --scale ]]; then
        scale_only=true # no peers run, so no virtual environment is needed
    fi
done

if ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    if [[ $(id -u) -eq 0 ]]; then
        echo "bench: installing GNU time" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2
    else
        echo "bench: GNU time (/usr/bin/time) is missing; install the 'time' package" >&2
        exit 2
    fi
fi

echo "bench: building the release binary" >&2
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$repo/target}/release/recension"

stamp="$venv/.bench-requirements"
if [[ $scale_only == false ]] && [[ ! -x $venv/bin/python || ! -f $stamp || "$(cat "$stamp")" != "${peers[*]}" ]]; then
    echo "bench: creating $venv with ${peers[*]}" >&2
    python3 -m venv --clear "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${peers[@]}" >&2
    echo "${peers[*]}" >"$stamp"
fi

exec python3 scripts/bench_run.py --bin "$bin" --venv "$venv" "$@"
