//! CLI Tools → "Apply": writes the configuration file of Claude Code, Codex CLI or OpenClaw
//! on this machine. The new content is the old file with OmniRoute's settings merged in
//! (`json_merge`, `toml_merge`); it is previewed as a diff first, and written atomically
//! (temporary file + rename) after the old file was copied to
//! `<file>.omniroute-backup-<timestamp>`. A file that cannot be read is never overwritten.
//!
//! The home directory is `OMNIROUTE_CLI_HOME` when set (tests), else `HOME`.

mod diff;
mod json_merge;
mod ordered_json;
mod toml_merge;

use app::api::apply_cli_config::CliApplied;
use app::api::preview_cli_config::{CliConfigInput, CliPreview};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What every key placeholder in the dashboard's snippets looks like.
pub(crate) const KEY_PLACEHOLDER: &str = "<your key>";
/// The largest configuration file read (they are a few KiB).
const MAX_FILE: u64 = 1024 * 1024;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Tool {
    Claude,
    Codex,
    OpenClaw,
}

impl Tool {
    fn parse(text: &str) -> Result<Tool, String> {
        match text {
            "claude" => Ok(Tool::Claude),
            "codex" => Ok(Tool::Codex),
            "openclaw" => Ok(Tool::OpenClaw),
            other => Err(format!("There is no Apply for {other:?}: only Claude Code, Codex CLI and OpenClaw keep their configuration in a file here.")),
        }
    }

    /// The file, relative to the home directory.
    fn relative_path(self) -> &'static str {
        match self {
            Tool::Claude => ".claude/settings.json",
            Tool::Codex => ".codex/config.toml",
            Tool::OpenClaw => ".openclaw/openclaw.json",
        }
    }

    fn needs_key(self) -> bool {
        // Codex reads the key from OMNIROUTE_API_KEY in its environment, not from the file.
        self != Tool::Codex
    }
}

/// The home directory the tools' files live under.
pub(crate) fn cli_home() -> Result<PathBuf, String> {
    ["OMNIROUTE_CLI_HOME", "HOME"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| {
            "The server has no HOME directory, so it cannot find the tools' configuration files."
                .to_string()
        })
}

fn check_input(input: &CliConfigInput, tool: Tool) -> Result<(), String> {
    let model = input.model.trim();
    if model.is_empty() {
        return Err("Choose a model first.".to_string());
    }
    if model.chars().any(char::is_control) || model.len() > 200 {
        return Err("The model name is not valid.".to_string());
    }
    if tool.needs_key() {
        let key = input.key.trim();
        if key.is_empty() || key == KEY_PLACEHOLDER {
            return Err("Paste the full API key into the key field first (the server keeps only a hash of it). A placeholder would be refused by the server.".to_string());
        }
        if key.chars().any(|c| c.is_control() || c.is_whitespace()) || key.len() > 500 {
            return Err(
                "The API key contains spaces or control characters; paste it again.".to_string(),
            );
        }
    }
    Ok(())
}

fn read_existing(path: &Path) -> Result<Option<String>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("Cannot read {}: {e}.", path.display())),
    };
    if !meta.is_file() {
        return Err(format!(
            "{} is not a regular file; it was left untouched.",
            path.display()
        ));
    }
    if meta.len() > MAX_FILE {
        return Err(format!(
            "{} is larger than 1 MiB; it was left untouched.",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("Cannot read {}: {e}.", path.display()))?;
    String::from_utf8(bytes).map(Some).map_err(|_| {
        format!(
            "{} is not UTF-8 text; it was left untouched.",
            path.display()
        )
    })
}

struct Planned {
    path: PathBuf,
    old: Option<String>,
    new: String,
}

fn plan(home: &Path, base: &str, input: &CliConfigInput) -> Result<Planned, String> {
    let tool = Tool::parse(&input.tool)?;
    check_input(input, tool)?;
    let path = home.join(tool.relative_path());
    let old = read_existing(&path)?;
    let current = old.as_deref().unwrap_or("");
    let (key, model) = (input.key.trim(), input.model.trim());
    let merged = match tool {
        Tool::Claude => json_merge::merge_claude(current, base, key, model),
        Tool::Codex => toml_merge::merge_codex(current, base, model),
        Tool::OpenClaw => json_merge::merge_openclaw(current, base, key, model),
    };
    let new = merged.map_err(|why| {
        format!(
            "{} cannot be merged: {why}. Fix the file (or move it away) and try again; it was left untouched.",
            path.display()
        )
    })?;
    Ok(Planned { path, old, new })
}

/// The merged file and its diff against the current one; writes nothing.
pub(crate) fn preview(
    home: &Path,
    base: &str,
    input: &CliConfigInput,
) -> Result<CliPreview, String> {
    let p = plan(home, base, input)?;
    let old = p.old.clone().unwrap_or_default();
    Ok(CliPreview {
        path: p.path.display().to_string(),
        exists: p.old.is_some(),
        diff: diff::diff(&old, &p.new),
        unchanged: p.old.as_deref() == Some(p.new.as_str()),
        old,
        new: p.new,
    })
}

fn timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// A backup path next to `path` that does not exist yet.
fn backup_path(path: &Path) -> PathBuf {
    let base = format!("{}.omniroute-backup-{}", path.display(), timestamp());
    let mut candidate = PathBuf::from(&base);
    let mut n = 1;
    while candidate.exists() {
        n += 1;
        candidate = PathBuf::from(format!("{base}-{n}"));
    }
    candidate
}

/// Writes `content` to `path` through a temporary file in the same directory, renamed over
/// it, so the file is never seen half-written. Keeps the old file's permissions; a new file
/// is private to its owner (it may hold a key).
fn write_atomically(path: &Path, content: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .ok_or_else(|| format!("{} has no directory", path.display()))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("Cannot create {}: {e}.", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.omniroute-{}.tmp",
        crate::config::random_hex(6)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(content.as_bytes())?;
        file.sync_all()?;
        match std::fs::metadata(path) {
            Ok(meta) => std::fs::set_permissions(&tmp, meta.permissions())?,
            Err(_) => private(&tmp)?,
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "Cannot write {}: {e}. The old file was left as it was.",
            path.display()
        ));
    }
    Ok(())
}

#[cfg(unix)]
fn private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn private(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Writes the merged file if the current one still holds `expected_old` (what the preview
/// showed), after backing the current one up.
pub(crate) fn apply(
    home: &Path,
    base: &str,
    input: &CliConfigInput,
    expected_old: &str,
) -> Result<CliApplied, String> {
    let p = plan(home, base, input)?;
    if p.old.as_deref().unwrap_or("") != expected_old {
        return Err(format!(
            "{} changed since the preview; preview again before applying.",
            p.path.display()
        ));
    }
    let path = p.path.display().to_string();
    if p.old.as_deref() == Some(p.new.as_str()) {
        return Ok(CliApplied {
            path,
            backup: None,
            unchanged: true,
        });
    }
    let backup = match &p.old {
        Some(_) => {
            let to = backup_path(&p.path);
            std::fs::copy(&p.path, &to).map_err(|e| {
                format!(
                    "Cannot back up {path} to {}: {e}; nothing was written.",
                    to.display()
                )
            })?;
            Some(to.display().to_string())
        }
        None => None,
    };
    write_atomically(&p.path, &p.new)?;
    tracing::info!(
        "CLI Tools: wrote {path} (backup: {})",
        backup.as_deref().unwrap_or("none, it was new")
    );
    Ok(CliApplied {
        path,
        backup,
        unchanged: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(tool: &str, key: &str) -> CliConfigInput {
        CliConfigInput {
            tool: tool.into(),
            key: key.into(),
            model: "openai/gpt-4o".into(),
        }
    }

    #[test]
    fn apply_merges_backs_up_and_writes() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".claude");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("settings.json");
        let old = "{\n  \"theme\": \"dark\"\n}\n";
        std::fs::write(&file, old).unwrap();

        let base = "http://127.0.0.1:20128";
        let preview = preview(home.path(), base, &input("claude", "sk-or-x")).unwrap();
        assert!(preview.exists && !preview.unchanged);
        assert!(preview
            .diff
            .iter()
            .any(|l| l.kind == "add" && l.text.contains("ANTHROPIC_BASE_URL")));
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            old,
            "preview writes nothing"
        );

        // a file changed since the preview is not overwritten
        let err = apply(home.path(), base, &input("claude", "sk-or-x"), "{}").unwrap_err();
        assert!(err.contains("changed since the preview"), "{err}");

        let done = apply(home.path(), base, &input("claude", "sk-or-x"), &preview.old).unwrap();
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(written, preview.new);
        assert!(written.contains("\"theme\": \"dark\""));
        let backup = done.backup.unwrap();
        assert!(backup.contains("settings.json.omniroute-backup-"));
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), old);
        // no temporary file is left behind
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");

        // applying the same again changes nothing and makes no backup
        let again = apply(home.path(), base, &input("claude", "sk-or-x"), &written).unwrap();
        assert!(again.unchanged && again.backup.is_none());
    }

    #[test]
    fn malformed_files_are_refused_and_left_alone() {
        let home = tempfile::tempdir().unwrap();
        for (tool, rel, bad) in [
            ("claude", ".claude/settings.json", "{\"theme\": "),
            ("openclaw", ".openclaw/openclaw.json", "not json"),
            ("codex", ".codex/config.toml", "model = \"o3\nbroken"),
        ] {
            let file = home.path().join(rel);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, bad).unwrap();
            let err = apply(home.path(), "http://h:1", &input(tool, "sk-or-x"), bad).unwrap_err();
            assert!(
                err.contains("cannot be merged") && err.contains("left untouched"),
                "{tool}: {err}"
            );
            assert_eq!(
                std::fs::read_to_string(&file).unwrap(),
                bad,
                "{tool} untouched"
            );
            let entries = std::fs::read_dir(file.parent().unwrap()).unwrap().count();
            assert_eq!(entries, 1, "{tool}: no backup or temporary file");
        }
    }

    #[test]
    fn a_new_file_is_created_without_a_backup() {
        let home = tempfile::tempdir().unwrap();
        let done = apply(home.path(), "http://h:1", &input("codex", ""), "").unwrap();
        assert!(done.backup.is_none());
        let text = std::fs::read_to_string(home.path().join(".codex/config.toml")).unwrap();
        assert!(
            text.contains("wire_api = \"responses\"")
                && text.contains("base_url = \"http://h:1/v1\"")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(home.path().join(".codex/config.toml"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn keys_are_required_where_the_file_holds_one() {
        let home = tempfile::tempdir().unwrap();
        for key in ["", KEY_PLACEHOLDER, "sk or"] {
            assert!(
                preview(home.path(), "http://h:1", &input("claude", key)).is_err(),
                "{key:?}"
            );
        }
        assert!(preview(home.path(), "http://h:1", &input("cursor", "k")).is_err());
        let mut no_model = input("codex", "");
        no_model.model = " ".into();
        assert!(preview(home.path(), "http://h:1", &no_model).is_err());
    }
}
