#!/usr/bin/env bash
# Measures `harbor vault rekey` on a vault of about 300 MB (three 100 MB attachments of
# random bytes on one record, plus the schema), with the `harbor` binary given as $1
# (default: target/release/harbor). Prints the vault's size and the wall time of each of
# three re-keys. docs/benchmarks.md ("Re-key") records the numbers.
set -euo pipefail
bin=${1:-target/release/harbor}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HARBOR_VAULT=$work/vault HARBOR_USER=admin HARBOR_PASSPHRASE=tidal-orchid-ledger-42
"$bin" init --admin admin --kdf-memory-kib 19456 --kdf-iterations 2 --kdf-parallelism 1 >/dev/null
id=$(echo '{"call": {"pcr_number": "BENCH-1", "call_date": "2026-11-02"}}' |
  "$bin" --json record create call_review --file - | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
for i in 1 2 3; do
  head -c 100000000 /dev/urandom >"$work/blob-$i.bin"
  "$bin" attach "$id" "$work/blob-$i.bin" >/dev/null
  rm "$work/blob-$i.bin"
done
echo "vault.db: $(stat -c %s "$HARBOR_VAULT/vault.db") bytes"
for run in 1 2 3; do
  start=$(date +%s.%N)
  "$bin" vault rekey >/dev/null
  end=$(date +%s.%N)
  echo "rekey $run: $(echo "$end - $start" | bc) s"
done
"$bin" vault check >/dev/null && echo "vault check: ok"
