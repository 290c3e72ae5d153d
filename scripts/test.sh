#!/usr/bin/env bash
# Set up, build, and run every test: formatting, clippy (warnings are errors), the Rust unit
# and integration tests (they spawn the real binary), and the browser tests in Chromium.
# Ends with one line: "N passed, M failed".
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"

LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT
status=0

echo "== cargo fmt --check"
cargo fmt --all -- --check || status=1

echo "== cargo clippy"
# frontend is the wasm entry point: built (and checked) by build.sh for wasm32; on the host
# its `hydrate` feature would be unified with the server's `ssr`.
cargo clippy --workspace --exclude frontend --all-targets --quiet -- -D warnings || status=1

echo "== cargo test"
set +e
cargo test --workspace --exclude frontend --no-fail-fast 2>&1 | tee "$LOG_DIR/cargo-test.log"
rust_status=${PIPESTATUS[0]}
set -e
(( rust_status == 0 )) || status=1

echo "== browser tests (end2end)"
set +e
OMNIROUTE_BIN="$TARGET_DIR/debug/omniroute" node end2end/run.mjs 2>&1 | tee "$LOG_DIR/e2e.log"
e2e_status=${PIPESTATUS[0]}
set -e
(( e2e_status == 0 )) || status=1

read -r rp rf < <(awk '/^test result:/ { for (i=1;i<=NF;i++) { if ($(i+1) ~ /^passed/) p+=$i; if ($(i+1) ~ /^failed/) f+=$i } } END { print p+0, f+0 }' "$LOG_DIR/cargo-test.log")
read -r ep ef < <(awk '/ passed, .* failed$/ { p=$1; f=$3 } END { print p+0, f+0 }' "$LOG_DIR/e2e.log")
# a run that never reached its summary counts as a failure
(( rust_status == 0 || rf > 0 )) || rf=1
(( e2e_status == 0 || ef > 0 )) || ef=1
echo "rust: $rp passed, $rf failed; browser: $ep passed, $ef failed"
echo "$((rp + ep)) passed, $((rf + ef)) failed"
exit $status
