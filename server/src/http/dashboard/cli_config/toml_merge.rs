//! Merging OmniRoute's settings into Codex CLI's `~/.codex/config.toml`, line by line: the
//! top-level `model` and `model_provider` keys and the `[model_providers.omniroute]` table are
//! set (replaced where present, added where absent); every other line stays as it was,
//! comments included. The file is checked first with a small TOML reader (statements,
//! strings, brackets, duplicate keys and tables): a file it cannot read is refused, never
//! rewritten.

use std::collections::HashSet;

/// The environment variable Codex reads the key from (`env_key`).
pub(crate) const CODEX_KEY_ENV: &str = "OMNIROUTE_API_KEY";
const TABLE: [&str; 2] = ["model_providers", "omniroute"];

#[derive(Debug, PartialEq)]
enum Kind {
    Blank,
    Header { path: Vec<String>, array: bool },
    KeyValue { key: Vec<String> },
}

/// One statement: lines `first..=last` (a value may span lines).
#[derive(Debug)]
struct Stmt {
    first: usize,
    last: usize,
    kind: Kind,
    /// The table it belongs to (empty: the top level).
    table: Vec<String>,
}

/// A basic TOML string.
pub(crate) fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key path (`a."b c".d`) at the start of `s`; answers it and the rest of `s`.
fn parse_key(s: &str) -> Result<(Vec<String>, &str), String> {
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        let (part, after) = if let Some(r) = rest.strip_prefix('"') {
            let mut escaped = false;
            let end = r
                .char_indices()
                .find(|&(_, c)| {
                    let done = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    done
                })
                .map(|(i, _)| i)
                .ok_or("a quoted key is not closed")?;
            (r[..end].to_string(), &r[end + 1..])
        } else if let Some(r) = rest.strip_prefix('\'') {
            let end = r.find('\'').ok_or("a quoted key is not closed")?;
            (r[..end].to_string(), &r[end + 1..])
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            if end == 0 {
                return Err("a key is missing".to_string());
            }
            (rest[..end].to_string(), &rest[end..])
        };
        parts.push(part);
        rest = after.trim_start();
        match rest.strip_prefix('.') {
            Some(r) => rest = r,
            None => return Ok((parts, rest)),
        }
    }
}

/// Where a scan of a value stands at the end of a line.
#[derive(Default)]
struct ValueScan {
    /// Open `[` and `{`.
    depth: i32,
    /// Inside a multi-line string closed by this delimiter.
    multiline: Option<&'static str>,
}

impl ValueScan {
    fn open(&self) -> bool {
        self.depth > 0 || self.multiline.is_some()
    }

    /// Reads one line (or the part of it after `=`) of a value.
    fn line(&mut self, text: &str) -> Result<(), String> {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if let Some(delim) = self.multiline {
                let quote = if delim == "\"\"\"" { '"' } else { '\'' };
                if quote == '"' && chars[i] == '\\' {
                    i += 2;
                    continue;
                }
                if chars[i] == quote
                    && chars.get(i + 1) == Some(&quote)
                    && chars.get(i + 2) == Some(&quote)
                {
                    self.multiline = None;
                    i += 3;
                    // up to two more quotes belong to the string's content
                    while chars.get(i) == Some(&quote) {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
                continue;
            }
            match chars[i] {
                '#' => return Ok(()),
                q @ ('"' | '\'') => {
                    if chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q) {
                        self.multiline = Some(if q == '"' { "\"\"\"" } else { "'''" });
                        i += 3;
                        continue;
                    }
                    i += 1;
                    loop {
                        match chars.get(i) {
                            None => return Err("a string is not closed on its line".to_string()),
                            Some('\\') if q == '"' => i += 2,
                            Some(c) if *c == q => break,
                            Some(_) => i += 1,
                        }
                    }
                    i += 1;
                }
                '[' | '{' => {
                    self.depth += 1;
                    i += 1;
                }
                ']' | '}' => {
                    self.depth -= 1;
                    if self.depth < 0 {
                        return Err("a closing bracket has no opening one".to_string());
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        Ok(())
    }
}

/// The start of a value: a string, array, inline table, or a bare number/boolean/date.
fn check_value_start(value: &str) -> Result<(), String> {
    let value = value.trim();
    match value.chars().next() {
        None | Some('#') => Err("a key has no value".to_string()),
        Some('"' | '\'' | '[' | '{') => Ok(()),
        Some(_) => {
            let bare = value.split('#').next().unwrap_or("").trim();
            if bare.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-' | '.' | ':' | ' ')
            }) {
                Ok(())
            } else {
                Err(format!(
                    "{bare:?} is not a TOML value (strings need quotes)"
                ))
            }
        }
    }
}

fn parse_header(line: &str) -> Result<Kind, String> {
    let (array, inner) = match line.strip_prefix("[[") {
        Some(r) => (true, r),
        None => (false, line.strip_prefix('[').unwrap_or(line)),
    };
    let (path, rest) = parse_key(inner)?;
    let close = if array { "]]" } else { "]" };
    let rest = rest
        .strip_prefix(close)
        .ok_or("a table header is not closed")?
        .trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return Err("text follows a table header".to_string());
    }
    Ok(Kind::Header { path, array })
}

fn statements(lines: &[&str]) -> Result<Vec<Stmt>, String> {
    let mut out = Vec::new();
    let mut table: Vec<String> = Vec::new();
    let mut tables_seen: HashSet<Vec<String>> = HashSet::new();
    let mut keys_seen: HashSet<(Vec<String>, Vec<String>)> = HashSet::new();
    let mut i = 0;
    while i < lines.len() {
        let at = |e: String| format!("line {}: {e}", i + 1);
        let text = lines[i].trim();
        if text.is_empty() || text.starts_with('#') {
            out.push(Stmt {
                first: i,
                last: i,
                kind: Kind::Blank,
                table: table.clone(),
            });
            i += 1;
            continue;
        }
        if text.starts_with('[') {
            let kind = parse_header(text).map_err(at)?;
            if let Kind::Header { path, array } = &kind {
                if !array && !tables_seen.insert(path.clone()) {
                    return Err(at(format!("the table [{}] appears twice", path.join("."))));
                }
                table = path.clone();
            }
            out.push(Stmt {
                first: i,
                last: i,
                kind,
                table: table.clone(),
            });
            i += 1;
            continue;
        }
        let (key, rest) = parse_key(text).map_err(at)?;
        let value = rest
            .strip_prefix('=')
            .ok_or_else(|| at("expected `key = value`".to_string()))?;
        check_value_start(value).map_err(at)?;
        if !keys_seen.insert((table.clone(), key.clone())) {
            return Err(at(format!("the key {} appears twice", key.join("."))));
        }
        let first = i;
        let mut scan = ValueScan::default();
        scan.line(value).map_err(at)?;
        while scan.open() {
            i += 1;
            let Some(next) = lines.get(i) else {
                return Err(format!(
                    "line {}: the value of {} is not closed by the end of the file",
                    first + 1,
                    key.join(".")
                ));
            };
            scan.line(next)
                .map_err(|e| format!("line {}: {e}", i + 1))?;
        }
        out.push(Stmt {
            first,
            last: i,
            kind: Kind::KeyValue { key },
            table: table.clone(),
        });
        i += 1;
    }
    Ok(out)
}

fn is_key(s: &Stmt, name: &str) -> bool {
    matches!(&s.kind, Kind::KeyValue { key } if key.len() == 1 && key[0] == name)
}

/// Sets Codex CLI's provider `omniroute` (the Responses API on `{base}/v1`, the key read from
/// the `OMNIROUTE_API_KEY` environment variable) and makes it and `model` the defaults.
pub(crate) fn merge_codex(existing: &str, base: &str, model: &str) -> Result<String, String> {
    let eol = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = existing.lines().collect();
    let stmts = statements(&lines)?;

    // model_providers written as dotted keys or inline tables cannot be merged line by line.
    for s in &stmts {
        if let Kind::KeyValue { key } = &s.kind {
            let full: Vec<&str> = s
                .table
                .iter()
                .chain(key.iter())
                .map(String::as_str)
                .collect();
            let defines_ours = full.len() >= 2 && full[..2] == TABLE && s.table.len() < 2;
            if defines_ours || full == ["model_providers"] {
                return Err(format!(
                    "line {}: model_providers is written with dotted keys or an inline table; move it into [model_providers.<name>] tables, or edit it by hand",
                    s.first + 1
                ));
            }
        }
        if let Kind::Header { path, array: true } = &s.kind {
            if path.len() >= 2 && path[..2] == TABLE {
                return Err(format!(
                    "line {}: [[model_providers.omniroute]] is an array of tables",
                    s.first + 1
                ));
            }
        }
    }

    // (first line, last line + 1, replacement, document order for ties)
    let mut edits: Vec<(usize, usize, Vec<String>, u8)> = Vec::new();

    // Top level: the statements before the first header.
    let top: Vec<&Stmt> = stmts
        .iter()
        .take_while(|s| !matches!(s.kind, Kind::Header { .. }))
        .collect();
    let top_values = [
        ("model", toml_string(model)),
        ("model_provider", toml_string("omniroute")),
    ];
    let mut missing_top = Vec::new();
    for (name, value) in &top_values {
        let line = format!("{name} = {value}");
        match top.iter().find(|s| is_key(s, name)) {
            Some(s) => edits.push((s.first, s.last + 1, vec![line], 0)),
            None => missing_top.push(line),
        }
    }
    if !missing_top.is_empty() {
        let at = top
            .iter()
            .filter(|s| matches!(s.kind, Kind::KeyValue { .. }))
            .map(|s| s.last + 1)
            .next_back()
            .unwrap_or(0);
        let next_is_header = stmts
            .iter()
            .any(|s| s.first == at && matches!(s.kind, Kind::Header { .. }));
        if next_is_header {
            missing_top.push(String::new());
        }
        edits.push((at, at, missing_top, 0));
    }

    // The [model_providers.omniroute] table.
    let table_values = [
        ("name", toml_string("OmniRoute")),
        ("base_url", toml_string(&format!("{base}/v1"))),
        ("env_key", toml_string(CODEX_KEY_ENV)),
        ("wire_api", toml_string("responses")),
    ];
    let header = stmts.iter().position(
        |s| matches!(&s.kind, Kind::Header { path, array: false } if path.as_slice() == TABLE),
    );
    match header {
        Some(h) => {
            let region: Vec<&Stmt> = stmts[h + 1..]
                .iter()
                .take_while(|s| !matches!(s.kind, Kind::Header { .. }))
                .collect();
            let mut missing = Vec::new();
            for (name, value) in &table_values {
                let line = format!("{name} = {value}");
                match region.iter().find(|s| is_key(s, name)) {
                    Some(s) => edits.push((s.first, s.last + 1, vec![line], 1)),
                    None => missing.push(line),
                }
            }
            if !missing.is_empty() {
                let at = region
                    .iter()
                    .filter(|s| matches!(s.kind, Kind::KeyValue { .. }))
                    .map(|s| s.last + 1)
                    .next_back()
                    .unwrap_or(stmts[h].last + 1);
                edits.push((at, at, missing, 1));
            }
        }
        None => {
            let mut block = vec!["[model_providers.omniroute]".to_string()];
            block.extend(table_values.iter().map(|(n, v)| format!("{n} = {v}")));
            edits.push((lines.len(), lines.len(), block, 2));
        }
    }

    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.3)));
    for (first, end, replacement, _) in edits {
        out.splice(first..end, replacement);
    }
    if header.is_none() {
        // The appended table is the last block: one blank line before it.
        let at = out.len() - (table_values.len() + 1);
        if at > 0 && !out[at - 1].trim().is_empty() {
            out.insert(at, String::new());
        }
    }
    let mut text = out.join(eol);
    text.push_str(eol);
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://localhost:20128";

    #[test]
    fn into_an_empty_file() {
        let out = merge_codex("", BASE, "openai/gpt-4o").unwrap();
        assert_eq!(
            out,
            "model = \"openai/gpt-4o\"\nmodel_provider = \"omniroute\"\n\n[model_providers.omniroute]\nname = \"OmniRoute\"\nbase_url = \"http://localhost:20128/v1\"\nenv_key = \"OMNIROUTE_API_KEY\"\nwire_api = \"responses\"\n"
        );
        assert_eq!(merge_codex(&out, BASE, "openai/gpt-4o").unwrap(), out);
    }

    #[test]
    fn keeps_everything_else() {
        let existing = "# my codex config\nmodel = \"o3\" # old\napproval_policy = \"on-request\"\nnotes = \"\"\"\n[not a table]\nmodel = 1\n\"\"\"\nlist = [\n  \"a\", # c\n  \"b\",\n]\n\n[model_providers.other]\nname = \"Other\"\nbase_url = \"https://x/v1\"\n\n[model_providers.omniroute]\nbase_url = \"http://old:1/v1\"\nquery_params = { a = \"1\" }\n\n[profiles.fast]\nmodel = \"gpt-4o-mini\"\n";
        let out = merge_codex(existing, BASE, "ds/deepseek-chat").unwrap();
        let expected = "# my codex config\nmodel = \"ds/deepseek-chat\"\napproval_policy = \"on-request\"\nnotes = \"\"\"\n[not a table]\nmodel = 1\n\"\"\"\nlist = [\n  \"a\", # c\n  \"b\",\n]\nmodel_provider = \"omniroute\"\n\n[model_providers.other]\nname = \"Other\"\nbase_url = \"https://x/v1\"\n\n[model_providers.omniroute]\nbase_url = \"http://localhost:20128/v1\"\nquery_params = { a = \"1\" }\nname = \"OmniRoute\"\nenv_key = \"OMNIROUTE_API_KEY\"\nwire_api = \"responses\"\n\n[profiles.fast]\nmodel = \"gpt-4o-mini\"\n";
        assert_eq!(out, expected);
        assert_eq!(merge_codex(&out, BASE, "ds/deepseek-chat").unwrap(), out);
    }

    #[test]
    fn top_keys_go_before_the_first_table() {
        let out = merge_codex("[tui]\nnotifications = true\n", BASE, "m").unwrap();
        assert!(
            out.starts_with("model = \"m\"\nmodel_provider = \"omniroute\"\n\n[tui]\nnotifications = true\n\n[model_providers.omniroute]\n"),
            "{out}"
        );
        let crlf = merge_codex("a = 1\r\n", BASE, "m").unwrap();
        assert!(crlf.starts_with("a = 1\r\nmodel = \"m\"\r\n"), "{crlf:?}");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for (bad, why) in [
            ("model = \"unclosed\n", "not closed"),
            ("list = [1, 2\n", "not closed by the end"),
            ("just some words\n", "expected `key = value`"),
            ("model = gpt 4o!\n", "not a TOML value"),
            ("[a\nx = 1\n", "not closed"),
            ("[a]\n[a]\n", "appears twice"),
            ("x = 1\nx = 2\n", "appears twice"),
            ("model_providers.omniroute.name = \"x\"\n", "dotted keys"),
            (
                "[model_providers]\nomniroute = { name = \"x\" }\n",
                "dotted keys",
            ),
            ("notes = '''\nopen\n", "not closed by the end"),
        ] {
            let err = merge_codex(bad, BASE, "m").unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
