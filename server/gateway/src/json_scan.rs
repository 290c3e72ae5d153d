//! Byte-preserving edits of top-level JSON fields.
//!
//! Same-format pass-through must change only the `model` field and keep every other byte
//! (key order, number formatting, unknown fields). Re-serialising through `serde_json::Value`
//! would reorder keys and cost a full parse of possibly megabytes of prompt, so we scan the
//! top level once and splice.

use std::ops::Range;

/// A top-level field: its decoded key and the byte range of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopField {
    pub key: String,
    pub value: Range<usize>,
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Returns the index just past the string starting at `i` (which must be `"`).
fn skip_string(b: &[u8], i: usize) -> Result<usize, String> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Ok(j + 1),
            _ => j += 1,
        }
    }
    Err("unterminated string".into())
}

/// Returns the index just past the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Result<usize, String> {
    match b.get(i) {
        None => Err("unexpected end of input".into()),
        Some(b'"') => skip_string(b, i),
        Some(b'{') | Some(b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            Err("unterminated object or array".into())
        }
        Some(_) => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            if j == i {
                Err(format!("unexpected character at byte {i}"))
            } else {
                Ok(j)
            }
        }
    }
}

/// Lists the top-level fields of a JSON object. The caller validates the JSON as a whole.
pub fn top_level_fields(b: &[u8]) -> Result<(usize, Vec<TopField>), String> {
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return Err("expected a JSON object".into());
    }
    let open = i;
    i += 1;
    let mut fields = Vec::new();
    loop {
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b'}') => return Ok((open, fields)),
            Some(b'"') => {}
            _ => return Err(format!("expected a key at byte {i}")),
        }
        let key_end = skip_string(b, i)?;
        let key: String = serde_json::from_slice(&b[i..key_end]).map_err(|e| e.to_string())?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return Err(format!("expected ':' at byte {i}"));
        }
        i = skip_ws(b, i + 1);
        let end = skip_value(b, i)?;
        fields.push(TopField { key, value: i..end });
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => return Ok((open, fields)),
            _ => return Err(format!("expected ',' or '}}' at byte {i}")),
        }
    }
}

/// Sets top-level `key` to the raw JSON `value`: replaced in place when present, inserted
/// first otherwise. All other bytes are untouched.
pub fn set_top_level(body: &[u8], key: &str, value: &str) -> Result<Vec<u8>, String> {
    let (open, fields) = top_level_fields(body)?;
    let mut out = Vec::with_capacity(body.len() + key.len() + value.len() + 8);
    if let Some(f) = fields.iter().find(|f| f.key == key) {
        out.extend_from_slice(&body[..f.value.start]);
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(&body[f.value.end..]);
    } else {
        out.extend_from_slice(&body[..=open]);
        out.extend_from_slice(serde_json::Value::from(key).to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
        if !fields.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(&body[open + 1..]);
    }
    Ok(out)
}

/// The raw bytes of a top-level field's value.
pub fn get_top_level<'a>(body: &'a [u8], key: &str) -> Result<Option<&'a [u8]>, String> {
    let (_, fields) = top_level_fields(body)?;
    Ok(fields
        .into_iter()
        .find(|f| f.key == key)
        .map(|f| &body[f.value]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_top_level_value() {
        let body = br#"{"a":{"model":"inner"}, "model" : "old\"x", "s":"}{,\"model\""}"#;
        let out = set_top_level(body, "model", r#""new""#).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":{"model":"inner"}, "model" : "new", "s":"}{,\"model\""}"#
        );
    }

    #[test]
    fn inserts_when_absent_and_handles_empty_objects() {
        assert_eq!(
            set_top_level(b"{}", "model", "1").unwrap(),
            br#"{"model":1}"#
        );
        assert_eq!(
            set_top_level(br#" {"b":[1,{"c":2}]}"#, "model", "1").unwrap(),
            br#" {"model":1,"b":[1,{"c":2}]}"#
        );
    }

    #[test]
    fn rejects_non_objects() {
        assert!(set_top_level(b"[1]", "model", "1").is_err());
        assert!(top_level_fields(br#"{"a":"#).is_err());
    }
}
