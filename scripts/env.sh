# Shared by the scripts: where things are. Source it; it changes nothing on disk.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export OMNIROUTE_SITE_DIR="$TARGET_DIR/site"   # read by server/build.rs, which embeds the site
OUTPUT_NAME=omniroute                           # = LEPTOS_OUTPUT_NAME in .cargo/config.toml
export PATH="$HOME/.cargo/bin:$PATH"
wasm_bindgen_locked_version() {
  awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$ROOT/Cargo.lock"
}
has_wasm_std() { [[ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]]; }
