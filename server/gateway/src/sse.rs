//! An incremental Server-Sent Events parser and writer.
//!
//! The parser accepts chunks split at any byte: inside a UTF-8 character (lines are decoded
//! only once complete), between `\r` and `\n`, across `data:` lines. It understands multi-line
//! `data`, `event`, `id`, comments (`: keep-alive`), and all three line endings. Gemini's
//! `alt=sse` stream is plain SSE (`data: {...}` + blank line, no `[DONE]`), so the same parser
//! serves it. Memory is bounded by the size of one event ([`MAX_EVENT_BYTES`]).

use crate::errors::TranslateError;

/// The largest event we accept (a guard against a runaway upstream).
pub const MAX_EVENT_BYTES: usize = 32 * 1024 * 1024;

/// One dispatched SSE event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, if any.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    pub id: Option<String>,
}

/// What the parser yields: events and comments (comments are kept so keep-alives can be
/// forwarded to the client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseItem {
    Event(SseEvent),
    Comment(String),
}

/// The incremental parser. Feed bytes with [`SseParser::push`], then call
/// [`SseParser::finish`] at end of stream.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    /// The previous chunk ended with `\r`: a leading `\n` belongs to that line ending.
    skip_lf: bool,
    event: Option<String>,
    data: Option<String>,
    id: Option<String>,
    pending_bytes: usize,
    /// The first line must be checked for a UTF-8 byte-order mark.
    started: bool,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses as much as possible of `chunk`, appending complete items to `out`.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<SseItem>) -> Result<(), TranslateError> {
        let mut start = 0;
        let mut i = 0;
        while i < chunk.len() {
            let b = chunk[i];
            if self.skip_lf {
                self.skip_lf = false;
                if b == b'\n' {
                    i += 1;
                    start = i;
                    continue;
                }
            }
            if b == b'\n' || b == b'\r' {
                self.line.extend_from_slice(&chunk[start..i]);
                self.end_line(out)?;
                if b == b'\r' {
                    self.skip_lf = true;
                }
                i += 1;
                start = i;
                continue;
            }
            i += 1;
        }
        self.line.extend_from_slice(&chunk[start..]);
        if self.line.len() + self.pending_bytes > MAX_EVENT_BYTES {
            return Err(TranslateError::StreamProtocol(format!(
                "SSE event larger than {MAX_EVENT_BYTES} bytes"
            )));
        }
        Ok(())
    }

    /// Flushes what is left at end of stream: an unterminated last line and an event that
    /// was not followed by a blank line are still delivered.
    pub fn finish(&mut self, out: &mut Vec<SseItem>) -> Result<(), TranslateError> {
        if !self.line.is_empty() {
            self.end_line(out)?;
        }
        self.dispatch(out);
        Ok(())
    }

    fn end_line(&mut self, out: &mut Vec<SseItem>) -> Result<(), TranslateError> {
        let raw = std::mem::take(&mut self.line);
        let mut bytes: &[u8] = &raw;
        if !self.started {
            self.started = true;
            if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                bytes = rest;
            }
        }
        let line = String::from_utf8_lossy(bytes);
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if let Some(comment) = line.strip_prefix(':') {
            out.push(SseItem::Comment(comment.trim_start().to_string()));
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_ref(), ""),
        };
        match field {
            "data" => {
                self.pending_bytes += value.len() + 1;
                match &mut self.data {
                    Some(d) => {
                        d.push('\n');
                        d.push_str(value);
                    }
                    None => self.data = Some(value.to_string()),
                }
            }
            "event" => self.event = Some(value.to_string()),
            "id" => self.id = Some(value.to_string()),
            _ => {} // `retry` and unknown fields are ignored, as the SSE spec says
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut Vec<SseItem>) {
        self.pending_bytes = 0;
        let event = self.event.take();
        let id = self.id.take();
        match self.data.take() {
            Some(data) => out.push(SseItem::Event(SseEvent { event, data, id })),
            // An `event:` line without data is still meaningful for some upstreams.
            None if event.is_some() => out.push(SseItem::Event(SseEvent {
                event,
                data: String::new(),
                id,
            })),
            None => {}
        }
    }
}

/// Appends one event in wire form. Data containing newlines is split into several `data:`
/// lines, so any string round-trips.
pub fn write_event(out: &mut Vec<u8>, event: Option<&str>, data: &str) {
    if let Some(e) = event {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(e.as_bytes());
        out.push(b'\n');
    }
    for line in data.split('\n') {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
}

/// Appends a JSON event.
pub fn write_json(out: &mut Vec<u8>, event: Option<&str>, value: &serde_json::Value) {
    write_event(out, event, &value.to_string());
}

/// Appends a comment line (a keep-alive every SSE client ignores).
pub fn write_comment(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(b": ");
    out.extend_from_slice(text.replace('\n', " ").as_bytes());
    out.extend_from_slice(b"\n\n");
}

/// Parses a whole SSE text at once (tests and tools).
pub fn parse_all(bytes: &[u8]) -> Result<Vec<SseItem>, TranslateError> {
    let mut p = SseParser::new();
    let mut out = Vec::new();
    p.push(bytes, &mut out)?;
    p.finish(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(items: &[SseItem]) -> Vec<(Option<String>, String)> {
        items
            .iter()
            .filter_map(|i| match i {
                SseItem::Event(e) => Some((e.event.clone(), e.data.clone())),
                SseItem::Comment(_) => None,
            })
            .collect()
    }

    const TEXT: &str = "\u{feff}: hello\r\nevent: a\r\ndata: line1\r\ndata:line2\r\n\r\ndata: é🌦\r\rdata: [DONE]\n\nid: 7\nretry: 10\ndata: x\n\n";

    fn expected() -> Vec<(Option<String>, String)> {
        vec![
            (Some("a".into()), "line1\nline2".into()),
            (None, "é🌦".into()),
            (None, "[DONE]".into()),
            (None, "x".into()),
        ]
    }

    #[test]
    fn parses_all_line_endings_multiline_data_comments_and_bom() {
        let items = parse_all(TEXT.as_bytes()).unwrap();
        assert_eq!(events(&items), expected());
        assert_eq!(items[0], SseItem::Comment("hello".into()));
        let SseItem::Event(last) = &items[items.len() - 1] else {
            panic!("last item is not an event")
        };
        assert_eq!(last.id.as_deref(), Some("7"));
    }

    #[test]
    fn any_split_point_gives_the_same_events() {
        let bytes = TEXT.as_bytes();
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                let mut p = SseParser::new();
                let mut out = Vec::new();
                p.push(&bytes[..i], &mut out).unwrap();
                p.push(&bytes[i..j], &mut out).unwrap();
                p.push(&bytes[j..], &mut out).unwrap();
                p.finish(&mut out).unwrap();
                assert_eq!(events(&out), expected(), "split at {i}/{j}");
            }
        }
    }

    #[test]
    fn unterminated_last_event_is_delivered_at_finish() {
        let mut p = SseParser::new();
        let mut out = Vec::new();
        p.push(b"data: {\"a\":1}", &mut out).unwrap();
        assert!(out.is_empty(), "nothing is complete yet");
        p.finish(&mut out).unwrap();
        assert_eq!(events(&out), vec![(None, "{\"a\":1}".to_string())]);
    }

    #[test]
    fn writer_round_trips_newlines() {
        let mut buf = Vec::new();
        write_event(&mut buf, Some("e"), "a\nb");
        let items = parse_all(&buf).unwrap();
        assert_eq!(events(&items), vec![(Some("e".into()), "a\nb".into())]);
    }
}
