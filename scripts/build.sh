#!/usr/bin/env bash
# Builds the wasm bundle, the site (JS glue, wasm, CSS, public files, gzip variants) and the
# `omniroute` binary, which embeds the site. No cargo-leptos or trunk needed.
#   scripts/build.sh            debug server (the wasm is always size-optimised)
#   scripts/build.sh --release  release server, and wasm-opt -Oz on the bundle
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
RELEASE=0; [[ "${1:-}" == "--release" ]] && RELEASE=1
SITE="$OMNIROUTE_SITE_DIR"; PKG="$SITE/pkg"

# 1. frontend -> wasm. A separate target dir keeps host and wasm builds from fighting over
#    locks and flags.
if [[ "${WASM_TOOLCHAIN:-auto}" != debian ]] && has_wasm_std; then
  WASM_CARGO=(cargo); BUILD_STD=()
else
  [[ -x /usr/bin/cargo && -d /usr/lib/rustlib/src/rust/library ]] || {
    echo "no wasm32 std: run scripts/setup.sh" >&2; exit 1; }
  WASM_CARGO=(env RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
              CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld /usr/bin/cargo)
  BUILD_STD=(-Z build-std=std,panic_abort)
  echo "wasm: Debian $(/usr/bin/rustc --version) with -Zbuild-std"
fi
"${WASM_CARGO[@]}" build -p frontend --lib --target wasm32-unknown-unknown \
  --profile wasm-release --target-dir "$TARGET_DIR/front" "${BUILD_STD[@]}"
WASM="$TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/frontend.wasm"

# 2. wasm-bindgen: the CLI must equal the crate version in Cargo.lock.
want=$(wasm_bindgen_locked_version); have=$(wasm-bindgen --version | awk '{print $2}')
[[ "$want" == "$have" ]] || { echo "wasm-bindgen CLI $have != crate $want: run scripts/setup.sh" >&2; exit 1; }
STAGE="$TARGET_DIR/site.new"; rm -rf "$STAGE"; mkdir -p "$STAGE/pkg"
wasm-bindgen --target web --out-name "$OUTPUT_NAME" --out-dir "$STAGE/pkg" --no-typescript "$WASM"
# leptos loads /pkg/<name>.wasm when LEPTOS_OUTPUT_NAME was set at compile time
mv "$STAGE/pkg/${OUTPUT_NAME}_bg.wasm" "$STAGE/pkg/$OUTPUT_NAME.wasm"

# 3. wasm-opt in release, from npm's binaryen (Debian's 108 breaks the bundle: refused).
if [[ $RELEASE == 1 ]]; then
  WASM_OPT="$ROOT/scripts/tools/node_modules/.bin/wasm-opt"
  [[ -x "$WASM_OPT" ]] || WASM_OPT=$(command -v wasm-opt || true)
  v=$([[ -n "$WASM_OPT" ]] && "$WASM_OPT" --version | grep -oE '[0-9]+' | head -1 || echo 0)
  if (( v >= 116 )); then
    "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      "$STAGE/pkg/$OUTPUT_NAME.wasm" -o "$STAGE/pkg/$OUTPUT_NAME.wasm"
  else
    echo "warning: no wasm-opt >= 116 (run scripts/setup.sh); the bundle is not optimised" >&2
  fi
fi

# 4. stylesheet, public files, gzip variants (served to browsers that accept gzip).
cp style/main.css "$STAGE/pkg/$OUTPUT_NAME.css"
cp -r public/. "$STAGE/"
find "$STAGE" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \) \
  -exec gzip -9 -k -f -n {} \;
# Replace the site only when its content changed, so the server is not re-embedded for nothing.
if [[ -d "$SITE" ]] && diff -rq "$STAGE" "$SITE" >/dev/null 2>&1; then
  rm -rf "$STAGE"
else
  rm -rf "$SITE"; mv "$STAGE" "$SITE"
fi

# 5. the server (host toolchain), which embeds $SITE.
if [[ $RELEASE == 1 ]]; then cargo build -p server --release; else cargo build -p server; fi
echo "built: $SITE and $TARGET_DIR/$([[ $RELEASE == 1 ]] && echo release || echo debug)/omniroute"
