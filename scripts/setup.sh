#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test Harbor. Idempotent:
# installs only what is missing. Needs root (or sudo) for apt-get.
set -euo pipefail

need_apt=()
for pkg in build-essential pkg-config libssl-dev sqlite3 libxml2-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: no Rust toolchain. Install Rust 1.90 or newer with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  echo "==> installing cargo-nextest"
  cargo install cargo-nextest --locked
fi
rustup component add clippy rustfmt >/dev/null 2>&1 || true
