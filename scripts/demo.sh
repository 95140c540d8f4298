#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Harbor (the desktop app, the `harbor` command
# and the reference PSO) and opens the desktop app on a demo vault: generated calls
# imported and flagged, reviews, a case note, an investigation, and a local `harbor-pso`
# enrolled, with one record queued, so that a submission works out of the box.
# The demo vault (./demo-vault) and PSO (./demo-pso) are created on the first run and
# reused afterwards. With HARBOR_DEMO_NO_WINDOW=1 it prepares everything but opens no
# window (and stops the PSO again).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
target="${CARGO_TARGET_DIR:-$root/target}"

bash scripts/setup.sh

echo "==> building the UI"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
echo "==> building harbor, harbor-pso and the desktop app (release)"
cargo build --release --locked -p harbor-cli -p harbor-pso
cargo build --release --locked -p harbor-desktop --features custom-protocol
harbor="$target/release/harbor"
pso="$target/release/harbor-pso"
app="$target/release/harbor-desktop"

passphrase=demo-station-night-shift
export HARBOR_VAULT="$root/demo-vault"
pso_data="$root/demo-pso"
pso_listen="127.0.0.1:${HARBOR_DEMO_PSO_PORT:-8787}"
pso_url="https://$pso_listen/"

if [ ! -f "$HARBOR_VAULT/vault.db" ]; then
  echo "==> creating the demo vault in $HARBOR_VAULT"
  "$harbor" demo vault --out "$HARBOR_VAULT"
fi

# The local PSO: created once; started for as long as the app is open.
if [ ! -d "$pso_data" ]; then
  echo "==> creating a local PSO in $pso_data"
  "$pso" init --data "$pso_data" >/dev/null
fi
echo "==> starting the local PSO on $pso_url"
"$pso" serve --listen "$pso_listen" --self-signed --data "$pso_data" >"$pso_data/serve.log" 2>&1 &
pso_pid=$!
trap 'kill "$pso_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  grep -q "listening on" "$pso_data/serve.log" 2>/dev/null && break
  kill -0 "$pso_pid" 2>/dev/null || { cat "$pso_data/serve.log" >&2; echo "error: the PSO did not start (is $pso_listen in use? set HARBOR_DEMO_PSO_PORT)" >&2; exit 1; }
  sleep 0.1
done

# Enrol the demo vault once, set a monthly cadence, and queue one review for the PSO.
if [ ! -f "$pso_data/.demo-enrolled" ]; then
  echo "==> enrolling the demo vault with the local PSO"
  token=$("$pso" agency add "Demo County EMS" --data "$pso_data" | sed -n 's/^enrolment token (shown once): //p')
  HARBOR_USER=admin HARBOR_PASSPHRASE=$passphrase \
    "$harbor" pso enroll --url "$pso_url" --token "$token" --ca-cert "$pso_data/tls/cert.pem"
  HARBOR_USER=qa.lee HARBOR_PASSPHRASE=$passphrase "$harbor" pso cadence monthly
  first=$(HARBOR_USER=qa.lee HARBOR_PASSPHRASE=$passphrase "$harbor" --json record list --kind call_review --status closed --limit 1 |
    sed -n 's/.*"id": "\([^"]*\)".*/\1/p' | head -n 1)
  if [ -n "$first" ]; then
    HARBOR_USER=qa.lee HARBOR_PASSPHRASE=$passphrase "$harbor" promote "$first" --profile nonidentifiable --yes >/dev/null
  fi
  touch "$pso_data/.demo-enrolled"
fi

cat <<MSG

Harbor's demo vault is $HARBOR_VAULT; its PSO runs at $pso_url.
Sign in as qa.lee (quality officer), dr.okafor (medical director), peer.ruiz (reviewer)
or admin. Every demo passphrase is:

    $passphrase

Try: the dashboard; Call reviews (Alt+2) and a flagged call; Promote to PSWP (Alt+6);
Submissions (Alt+7) > Submit now, and see the PSO's receipt. Ctrl+L locks.
MSG

if [ -n "${HARBOR_DEMO_NO_WINDOW:-}" ]; then
  echo "(HARBOR_DEMO_NO_WINDOW is set: not opening the window.)"
  exit 0
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "error: no display to open the window on. Run this from a desktop session (or under xvfb-run to try it headless)." >&2
  exit 1
fi
echo "==> opening Harbor (close the window to stop the demo PSO too)"
"$app"
