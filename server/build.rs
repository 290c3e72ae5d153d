//! Embeds the built site (the wasm bundle, its JS glue, the stylesheet, public assets) into the
//! binary, so `omniroute` finds its assets wherever it is run from.
//!
//! The site is what `scripts/build.sh` (or cargo-leptos) writes to `$OMNIROUTE_SITE_DIR`
//! (default `<workspace>/target/site`). `.gz` siblings made by the build script are embedded
//! too and served to clients that accept gzip. Built without a site, the binary serves
//! assets from `LEPTOS_SITE_ROOT` on disk at run time instead.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=OMNIROUTE_SITE_DIR");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let site = match std::env::var("OMNIROUTE_SITE_DIR") {
        Ok(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => manifest.join("..").join("target").join("site"),
    };
    // An existing (possibly empty) directory keeps cargo from re-running this on every build.
    let _ = std::fs::create_dir_all(&site);
    println!("cargo:rerun-if-changed={}", site.display());

    let mut files = Vec::new();
    collect(&site, &mut files);
    files.sort();

    let mut out = String::from("pub static ASSETS: &[EmbeddedAsset] = &[\n");
    for file in &files {
        if file.extension().is_some_and(|e| e == "gz") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", file.display());
        let Ok(rel) = file.strip_prefix(&site) else {
            continue;
        };
        let url = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
        let mut gz = file.clone().into_os_string();
        gz.push(".gz");
        let gz = PathBuf::from(gz);
        let gzip = if gz.is_file() {
            println!("cargo:rerun-if-changed={}", gz.display());
            format!("Some(include_bytes!({:?}))", gz.display().to_string())
        } else {
            "None".to_string()
        };
        let _ = writeln!(
            out,
            "    EmbeddedAsset {{ path: {url:?}, body: include_bytes!({:?}), gzip: {gzip} }},",
            file.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(out_dir.join("site_assets.rs"), out) {
        panic!("cannot write site_assets.rs: {e}");
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}
