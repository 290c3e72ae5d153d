//! A mock LLM provider: a real HTTP server on a loopback port.
