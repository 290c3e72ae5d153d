#!/usr/bin/env bash
# Set up, build (release) and run the gateway. Arguments go to `omniroute`, e.g. --port 3000.
# Data lives in DATA_DIR (default ~/.omniroute).
set -euo pipefail
source "$(dirname "$0")/env.sh"
WITH_E2E=0 "$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" --release
exec "$TARGET_DIR/release/omniroute" "$@"
