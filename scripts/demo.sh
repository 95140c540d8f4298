#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Harbor and walks through it on a demo vault
# (./demo-vault, created on the first run and reused afterwards). Until the desktop app
# lands, Harbor is its `harbor` command.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "==> building harbor"
cargo build --release --locked -p harbor-cli
harbor="$PWD/target/release/harbor"
[ -n "${CARGO_TARGET_DIR:-}" ] && harbor="$CARGO_TARGET_DIR/release/harbor"

export HARBOR_VAULT="$PWD/demo-vault"
if [ ! -f "$HARBOR_VAULT/vault.db" ]; then
  "$harbor" demo vault --out "$HARBOR_VAULT"
fi
export HARBOR_USER=qa.lee HARBOR_PASSPHRASE=demo-station-night-shift

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$harbor" record list --limit 15
step "$harbor" record list --kind call_review --status not_started --limit 10
step "$harbor" triggers list
step "$harbor" search capnography
first=$("$harbor" --json record list --kind call_review --pses-state in_pses --limit 1 | sed -n 's/.*"id": "\([^"]*\)".*/\1/p' | head -n 1)
step "$harbor" record history "$first"
step "$harbor" record template case_note
HARBOR_USER=peer.ruiz step "$harbor" dropout "$first" --reason "trying as a reviewer" || echo "(refused, exit $?: a reviewer may not drop records out)"
HARBOR_USER=admin step "$harbor" audit log --limit 15
HARBOR_USER=admin step "$harbor" audit verify
HARBOR_USER=admin step "$harbor" vault check

cat <<MSG

The demo vault is in $HARBOR_VAULT. Try it yourself:

  export HARBOR_VAULT="$HARBOR_VAULT" HARBOR_USER=qa.lee HARBOR_PASSPHRASE=demo-station-night-shift
  $harbor --help
  $harbor record template call_review > review.json   # edit, then:
  $harbor record create call_review --file review.json

Users: admin, qa.lee (quality officer), dr.okafor (medical director), peer.ruiz (reviewer);
every demo passphrase is demo-station-night-shift.
MSG
