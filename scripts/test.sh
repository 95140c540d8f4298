#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every check and test of Harbor:
# formatting, clippy (warnings are errors), the UI's checks and unit tests, the whole Rust
# test suite with cargo-nextest, then the desktop app's end-to-end tests in a real window
# under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"

bash scripts/setup.sh

echo "==> the UI: npm ci, generated types up to date, unit tests (vitest), build"
(
  cd ui
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent check:types
  npx vitest run
  npm run --silent build
)

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The benchmark needs its feature to build; lint it too.
cargo clippy -p harbor --benches --features plaintext-bench --locked -- -D warnings
# The PSO's fault injection is compiled only with its test feature; lint that code too.
cargo clippy -p harbor-pso --all-targets --features fault-injection --locked -- -D warnings

echo "==> build the test copy of harbor-pso that injects faults (fault-injection), for the client's error-handling tests"
cargo build --workspace --bins --locked --features harbor-pso/fault-injection
mkdir -p "$target/debug/pso-faults"
cp "$target/debug/harbor-pso" "$target/debug/pso-faults/harbor-pso"

echo "==> build the binaries the end-to-end tests drive (harbor-pso without fault injection)"
cargo build --workspace --bins --locked

echo "==> build the desktop app with the UI embedded (custom-protocol), for its end-to-end tests"
# e2e-dialogs: the tests answer the shell's save dialog from a file (never in a build for
# people; see src-tauri/src/dialog.rs).
cargo build -p harbor-desktop --features custom-protocol,e2e-dialogs --locked
mkdir -p "$target/desktop-e2e"
cp "$target/debug/harbor-desktop" "$target/desktop-e2e/harbor-desktop"

echo "==> tests"
cargo nextest run --workspace --locked --no-fail-fast

echo "==> desktop end-to-end tests: the real window under Xvfb, driven by tauri-driver"
export PATH="$HOME/.cargo/bin:$PATH"
HARBOR_DESKTOP_BIN="$target/desktop-e2e/harbor-desktop" \
  xvfb-run -a -s "-screen 0 1920x1080x24" \
  cargo nextest run --workspace --locked --no-fail-fast --run-ignored only --test-threads 1 \
  -E 'package(harbor-desktop-e2e)'
# (--workspace with a filter, not -p: -p resolves features for that package alone and
# rebuilds half the dependency tree.)
