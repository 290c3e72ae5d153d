#!/usr/bin/env bash
# Installs what building and testing need, and nothing that is already there (idempotent,
# a few seconds when everything is present). For a fresh Debian 12 machine with rustup.
#   WITH_E2E=0 scripts/setup.sh   skips Chromium and the browser-test packages.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

need_apt=()
# 1. the wasm32 standard library: rustup's prebuilt one, or Debian's rustc-web + build-std.
if ! has_wasm_std; then
  timeout 300 rustup target add wasm32-unknown-unknown || true
fi
if ! has_wasm_std; then
  for p in rustc-web cargo-web rust-web-src lld; do dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p"); done
fi
# 2. Chromium for the browser tests (Debian's; no browser download from elsewhere).
if [[ "${WITH_E2E:-1}" == 1 ]]; then
  for p in chromium; do dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p"); done
fi
if ((${#need_apt[@]})); then
  echo "setup: apt-get install ${need_apt[*]}"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# Not Debian's `binaryen` (108): its wasm-opt corrupts wasm-bindgen's externref table.

# 3. wasm-bindgen CLI, exactly the version in Cargo.lock (no --locked: a locked dependency of
#    the CLI is missing from the registry). About 5 minutes on 2 cores, once.
want=$(wasm_bindgen_locked_version)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$want" ]]; then
  echo "setup: cargo install wasm-bindgen-cli $want (have: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want"
fi

# 4. wasm-opt from npm's binaryen (a current one; runs on node), and playwright-core, which
#    drives /usr/bin/chromium and never downloads a browser.
npm_ci() { # dir: install only when the lock file changed since the last install
  local dir=$1 stamp="$1/node_modules/.lock-stamp"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_ci scripts/tools
if [[ "${WITH_E2E:-1}" == 1 ]]; then npm_ci end2end; fi

cargo fetch --quiet
echo "setup: ready"
