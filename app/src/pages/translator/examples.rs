//! Example bodies of the Translator Playground: a request, a complete response and a stream
//! in each format. The server's tests translate each of them in every direction.

/// Format ids as the server parses them, in the order the page lists them.
pub const FORMATS: [&str; 4] = ["openai_chat", "anthropic", "gemini", "responses"];
/// The playground's modes.
pub const MODES: [&str; 3] = ["request", "response", "stream"];

/// The name of a format id on the page.
pub fn format_label(id: &str) -> &'static str {
    match id {
        "openai_chat" => "OpenAI Chat",
        "anthropic" => "Anthropic Messages",
        "gemini" => "Gemini",
        "responses" => "OpenAI Responses",
        _ => "Unknown",
    }
}

/// The example of a mode in a format (empty for an unknown pair).
pub fn example(mode: &str, format: &str) -> &'static str {
    match (mode, format) {
        ("request", "openai_chat") => OPENAI_REQUEST,
        ("request", "anthropic") => ANTHROPIC_REQUEST,
        ("request", "gemini") => GEMINI_REQUEST,
        ("request", "responses") => RESPONSES_REQUEST,
        ("response", "openai_chat") => OPENAI_RESPONSE,
        ("response", "anthropic") => ANTHROPIC_RESPONSE,
        ("response", "gemini") => GEMINI_RESPONSE,
        ("response", "responses") => RESPONSES_RESPONSE,
        ("stream", "openai_chat") => OPENAI_STREAM,
        ("stream", "anthropic") => ANTHROPIC_STREAM,
        ("stream", "gemini") => GEMINI_STREAM,
        ("stream", "responses") => RESPONSES_STREAM,
        _ => "",
    }
}

const OPENAI_REQUEST: &str = r#"{
  "model": "gpt-4o",
  "messages": [
    { "role": "system", "content": "You are a concise assistant." },
    { "role": "user", "content": "What is the weather in Paris?" }
  ],
  "temperature": 0.2,
  "max_tokens": 512,
  "tools": [
    {
      "type": "function",
      "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {
          "type": "object",
          "properties": { "city": { "type": "string" } },
          "required": ["city"]
        }
      }
    }
  ]
}"#;

const ANTHROPIC_REQUEST: &str = r#"{
  "model": "claude-sonnet-4-5",
  "max_tokens": 512,
  "system": "You are a concise assistant.",
  "messages": [
    { "role": "user", "content": "What is the weather in Paris?" }
  ],
  "temperature": 0.2,
  "tools": [
    {
      "name": "get_weather",
      "description": "Current weather for a city",
      "input_schema": {
        "type": "object",
        "properties": { "city": { "type": "string" } },
        "required": ["city"]
      }
    }
  ]
}"#;

const GEMINI_REQUEST: &str = r#"{
  "systemInstruction": { "parts": [{ "text": "You are a concise assistant." }] },
  "contents": [
    { "role": "user", "parts": [{ "text": "What is the weather in Paris?" }] }
  ],
  "generationConfig": { "temperature": 0.2, "maxOutputTokens": 512 },
  "tools": [
    {
      "functionDeclarations": [
        {
          "name": "get_weather",
          "description": "Current weather for a city",
          "parameters": {
            "type": "object",
            "properties": { "city": { "type": "string" } },
            "required": ["city"]
          }
        }
      ]
    }
  ]
}"#;

const RESPONSES_REQUEST: &str = r#"{
  "model": "gpt-4o",
  "instructions": "You are a concise assistant.",
  "input": [
    { "role": "user", "content": "What is the weather in Paris?" }
  ],
  "temperature": 0.2,
  "max_output_tokens": 512,
  "tools": [
    {
      "type": "function",
      "name": "get_weather",
      "description": "Current weather for a city",
      "parameters": {
        "type": "object",
        "properties": { "city": { "type": "string" } },
        "required": ["city"]
      }
    }
  ]
}"#;

const OPENAI_RESPONSE: &str = r#"{
  "id": "chatcmpl-123",
  "object": "chat.completion",
  "created": 1700000000,
  "model": "gpt-4o",
  "choices": [
    {
      "index": 0,
      "message": { "role": "assistant", "content": "It is sunny in Paris, 21 °C." },
      "finish_reason": "stop"
    }
  ],
  "usage": { "prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21 }
}"#;

const ANTHROPIC_RESPONSE: &str = r#"{
  "id": "msg_123",
  "type": "message",
  "role": "assistant",
  "model": "claude-sonnet-4-5",
  "content": [
    { "type": "text", "text": "It is sunny in Paris, 21 °C." }
  ],
  "stop_reason": "end_turn",
  "stop_sequence": null,
  "usage": { "input_tokens": 12, "output_tokens": 9 }
}"#;

const GEMINI_RESPONSE: &str = r#"{
  "candidates": [
    {
      "content": { "role": "model", "parts": [{ "text": "It is sunny in Paris, 21 °C." }] },
      "finishReason": "STOP",
      "index": 0
    }
  ],
  "modelVersion": "gemini-2.5-flash",
  "responseId": "resp-123",
  "usageMetadata": { "promptTokenCount": 12, "candidatesTokenCount": 9, "totalTokenCount": 21 }
}"#;

const RESPONSES_RESPONSE: &str = r#"{
  "id": "resp_123",
  "object": "response",
  "created_at": 1700000000,
  "model": "gpt-4o",
  "status": "completed",
  "output": [
    {
      "type": "message",
      "id": "msg_123",
      "role": "assistant",
      "status": "completed",
      "content": [
        { "type": "output_text", "text": "It is sunny in Paris, 21 °C.", "annotations": [] }
      ]
    }
  ],
  "usage": { "input_tokens": 12, "output_tokens": 9, "total_tokens": 21 }
}"#;

const OPENAI_STREAM: &str = r#"data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Sunny, "},"finish_reason":null}]}

data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"21 °C."},"finish_reason":null}]}

data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}

data: [DONE]

"#;

const ANTHROPIC_STREAM: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_123","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Sunny, "}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"21 °C."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}

event: message_stop
data: {"type":"message_stop"}

"#;

const GEMINI_STREAM: &str = r#"data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Sunny, "}]},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp-123"}

data: {"candidates":[{"content":{"role":"model","parts":[{"text":"21 °C."}]},"finishReason":"STOP","index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp-123","usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":4,"totalTokenCount":16}}

"#;

const RESPONSES_STREAM: &str = r#"event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_123","object":"response","created_at":1700000000,"model":"gpt-4o","status":"in_progress","output":[],"usage":null}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"message","id":"msg_123","role":"assistant","status":"in_progress","content":[]}}

event: response.content_part.added
data: {"type":"response.content_part.added","sequence_number":2,"item_id":"msg_123","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_123","output_index":0,"content_index":0,"delta":"Sunny, "}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_123","output_index":0,"content_index":0,"delta":"21 °C."}

event: response.output_text.done
data: {"type":"response.output_text.done","sequence_number":5,"item_id":"msg_123","output_index":0,"content_index":0,"text":"Sunny, 21 °C."}

event: response.output_item.done
data: {"type":"response.output_item.done","sequence_number":6,"output_index":0,"item":{"type":"message","id":"msg_123","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Sunny, 21 °C.","annotations":[]}]}}

event: response.completed
data: {"type":"response.completed","sequence_number":7,"response":{"id":"resp_123","object":"response","created_at":1700000000,"model":"gpt-4o","status":"completed","output":[{"type":"message","id":"msg_123","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Sunny, 21 °C.","annotations":[]}]}],"usage":{"input_tokens":12,"output_tokens":4,"total_tokens":16}}}

"#;
