#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every check and test of Harbor:
# formatting, clippy (warnings are errors), then the whole test suite with cargo-nextest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The benchmark needs its feature to build; lint it too.
cargo clippy -p harbor --benches --features plaintext-bench --locked -- -D warnings

echo "==> build the harbor binary the end-to-end tests drive"
cargo build --workspace --bins --locked

echo "==> tests"
cargo nextest run --workspace --locked --no-fail-fast
