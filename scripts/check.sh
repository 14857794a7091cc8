#!/usr/bin/env bash
# Everything CI checks, in the order it fails cheapest: formatting, lints,
# the test suite (the README's test command), and the docs.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --locked
