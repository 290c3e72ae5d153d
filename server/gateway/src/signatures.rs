//! A bounded in-memory store of reasoning signatures, keyed by tool-call id.
//!
//! Two round trips need state the client does not echo:
//! * Gemini 3 rejects a replayed `functionCall` part without its `thoughtSignature`, and
//!   OpenAI-format clients drop unknown fields. We record `call id -> thoughtSignature` when a
//!   Gemini response is translated and re-attach it when the call comes back.
//! * Anthropic extended thinking with tools requires the signed thinking blocks of the
//!   assistant turn to be sent back; OpenAI/Responses clients may only echo `tool_calls`. We
//!   record `call id -> thinking blocks` and restore them into the assistant turn.
//!
//! The store is FIFO-evicted by entry count and total bytes, so memory stays bounded; a
//! miss only means the upstream may reject the replay, exactly as without the store.
//! It is shared by reference (`&SignatureStore`); the lock is held only for a map operation.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use crate::ir::Part;

#[derive(Debug, Clone, Default, PartialEq)]
struct Entry {
    thought_signature: Option<String>,
    /// `Part::Thinking` / `Part::RedactedThinking` blocks of the assistant turn.
    thinking: Vec<Part>,
}

impl Entry {
    fn bytes(&self, key: &str) -> usize {
        key.len()
            + self.thought_signature.as_ref().map_or(0, String::len)
            + self
                .thinking
                .iter()
                .map(|p| match p {
                    Part::Thinking { text, signature } => {
                        text.len() + signature.as_ref().map_or(0, String::len)
                    }
                    Part::RedactedThinking { data } => data.len(),
                    _ => 0,
                })
                .sum::<usize>()
    }
}

#[derive(Debug, Default)]
struct Inner {
    map: HashMap<String, Entry>,
    order: VecDeque<String>,
    bytes: usize,
}

/// See the module docs. Create one per process and pass it to the translators.
#[derive(Debug)]
pub struct SignatureStore {
    max_entries: usize,
    max_bytes: usize,
    inner: Mutex<Inner>,
}

impl Default for SignatureStore {
    /// 4096 entries or 64 MiB, whichever is reached first.
    fn default() -> Self {
        Self::new(4096, 64 * 1024 * 1024)
    }
}

impl SignatureStore {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        SignatureStore {
            max_entries: max_entries.max(1),
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn update(&self, call_id: &str, f: impl FnOnce(&mut Entry)) {
        if call_id.is_empty() {
            return;
        }
        // A poisoned lock only means another thread panicked mid-insert; the map is still
        // structurally sound, so keep using it.
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let inner = &mut *g;
        let old = inner.map.remove(call_id);
        let is_new = old.is_none();
        let mut entry = old.unwrap_or_default();
        let before = entry.bytes(call_id);
        f(&mut entry);
        let after = entry.bytes(call_id);
        if !is_new {
            inner.bytes -= before.min(inner.bytes);
        } else {
            inner.order.push_back(call_id.to_string());
        }
        inner.bytes += after;
        inner.map.insert(call_id.to_string(), entry);
        while inner.map.len() > self.max_entries || inner.bytes > self.max_bytes {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(e) = inner.map.remove(&oldest) {
                inner.bytes -= e.bytes(&oldest).min(inner.bytes);
            }
        }
    }

    pub fn put_thought_signature(&self, call_id: &str, signature: &str) {
        let sig = signature.to_string();
        self.update(call_id, |e| e.thought_signature = Some(sig));
    }

    pub fn thought_signature(&self, call_id: &str) -> Option<String> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.map.get(call_id).and_then(|e| e.thought_signature.clone())
    }

    /// Records the thinking blocks that preceded `call_id` in an assistant turn.
    pub fn put_thinking(&self, call_id: &str, blocks: Vec<Part>) {
        let blocks: Vec<Part> = blocks
            .into_iter()
            .filter(|p| matches!(p, Part::Thinking { .. } | Part::RedactedThinking { .. }))
            .collect();
        if blocks.is_empty() {
            return;
        }
        self.update(call_id, |e| e.thinking = blocks);
    }

    pub fn thinking(&self, call_id: &str) -> Vec<Part> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.map
            .get(call_id)
            .map(|e| e.thinking.clone())
            .unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        g.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
