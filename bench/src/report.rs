//! Numbers to Markdown: percentiles, table rows (direct vs gateway vs added vs ratio), the
//! targets, and the whole `docs/benchmarks.md`.

use std::fmt::Write as _;
use std::time::Duration;

/// Nearest-rank percentile of unsorted samples (`p` in 0..=100); zero for no samples.
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One line of the results table.
pub enum Row {
    Section(String),
    Values {
        what: String,
        direct: String,
        gateway: String,
        added: String,
        ratio: String,
    },
}

fn ratio(direct: f64, gateway: f64) -> String {
    if direct > 0.0 {
        format!("{:.2}×", gateway / direct)
    } else {
        "—".to_string()
    }
}

impl Row {
    pub fn section(title: &str) -> Self {
        Self::Section(title.to_string())
    }

    /// A time in milliseconds; the gateway's extra time is what matters.
    pub fn time(what: &str, direct_ms: f64, gateway_ms: f64) -> Self {
        Self::Values {
            what: what.to_string(),
            direct: format!("{direct_ms:.3} ms"),
            gateway: format!("{gateway_ms:.3} ms"),
            added: format!("{:+.3} ms", gateway_ms - direct_ms),
            ratio: ratio(direct_ms, gateway_ms),
        }
    }

    /// Requests per second; the gateway's share of the loss is what matters.
    pub fn rate(what: &str, direct: f64, gateway: f64) -> Self {
        let change = if direct > 0.0 {
            format!("{:+.0}%", (gateway / direct - 1.0) * 100.0)
        } else {
            "—".to_string()
        };
        Self::Values {
            what: what.to_string(),
            direct: format!("{direct:.0} req/s"),
            gateway: format!("{gateway:.0} req/s"),
            added: change,
            ratio: ratio(direct, gateway),
        }
    }

    /// CPU per request: the mock's own per request (direct) against the gateway process's
    /// (all of it added: the gateway does nothing else).
    pub fn cpu(what: &str, mock_ms: f64, gateway_ms: f64) -> Self {
        Self::Values {
            what: what.to_string(),
            direct: format!("{mock_ms:.3} ms (mock)"),
            gateway: format!("{gateway_ms:.3} ms"),
            added: format!("+{gateway_ms:.3} ms"),
            ratio: ratio(mock_ms, gateway_ms),
        }
    }

    /// A figure of the gateway alone (memory, descriptors).
    pub fn only(what: &str, gateway: String) -> Self {
        Self::Values {
            what: what.to_string(),
            direct: "—".to_string(),
            gateway,
            added: "—".to_string(),
            ratio: "—".to_string(),
        }
    }
}

/// A target of the issue and whether this run met it.
pub struct Target {
    pub what: String,
    pub limit: String,
    pub measured: String,
    pub met: bool,
}

pub struct Report {
    pub date: String,
    pub machine: Vec<String>,
    pub settings: String,
    pub rows: Vec<Row>,
    pub targets: Vec<Target>,
    pub notes: Vec<String>,
    pub elapsed: Duration,
}

impl Report {
    pub fn table(&self) -> String {
        let mut s = String::from(
            "| Measurement | Direct to mock | Via gateway | Added | Ratio |\n|---|---:|---:|---:|---:|\n",
        );
        for row in &self.rows {
            match row {
                Row::Section(title) => {
                    let _ = writeln!(s, "| **{title}** | | | | |");
                }
                Row::Values {
                    what,
                    direct,
                    gateway,
                    added,
                    ratio,
                } => {
                    let _ = writeln!(s, "| {what} | {direct} | {gateway} | {added} | {ratio} |");
                }
            }
        }
        s
    }

    pub fn targets_table(&self) -> String {
        let mut s = String::from("| Target | Limit | Measured | Met |\n|---|---:|---:|---|\n");
        for t in &self.targets {
            let met = if t.met { "yes" } else { "**no**" };
            let _ = writeln!(s, "| {} | {} | {} | {met} |", t.what, t.limit, t.measured);
        }
        s
    }

    /// The results part (also printed to stdout).
    pub fn results(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "Run {} — {}.\n", self.date, self.settings);
        s.push_str(&self.table());
        s.push('\n');
        s.push_str(&self.targets_table());
        if !self.notes.is_empty() {
            s.push_str("\nNotes from this run:\n\n");
            for n in &self.notes {
                let _ = writeln!(s, "- {n}");
            }
        }
        let _ = writeln!(
            s,
            "\nThe whole run took {:.0} s.",
            self.elapsed.as_secs_f64()
        );
        s
    }

    /// `docs/benchmarks.md`.
    pub fn document(&self) -> String {
        let mut s = String::from(DOC_HEAD);
        s.push_str("\n## Machine\n\n");
        for line in &self.machine {
            let _ = writeln!(s, "- {line}");
        }
        s.push_str("\n## Results\n\n");
        s.push_str(&self.results());
        s.push_str(DOC_TAIL);
        s.push_str(KEEP_MARKER);
        s.push('\n');
        s
    }
}

/// Text below this line in `docs/benchmarks.md` is written by hand and kept across runs.
pub const KEEP_MARKER: &str =
    "<!-- Everything below this line is written by hand; omniroute-bench keeps it when it rewrites the file. -->";

/// The new document, with the hand-written part of the previous one (if any) carried over.
pub fn merge_kept(new_doc: &str, old_doc: Option<&str>) -> String {
    let kept = old_doc
        .and_then(|old| {
            old.find(KEEP_MARKER)
                .map(|at| &old[at + KEEP_MARKER.len()..])
        })
        .unwrap_or("\n");
    match new_doc.find(KEEP_MARKER) {
        Some(at) => format!("{}{KEEP_MARKER}{kept}", &new_doc[..at]),
        None => new_doc.to_string(),
    }
}

const DOC_HEAD: &str = r#"# Benchmarks

What the gateway adds to a request, measured against calling the mock upstream directly with
the same client. Written by `omniroute-bench` (`bench/`); the numbers below are from one run on
the machine described. They are measurements, not tests: nothing in the test suite asserts a
time.

## How to run

```bash
cargo build --release -p server -p mock-upstream   # the binaries under test
cargo run --release -p bench                        # under a minute; rewrites this file
cargo run --release -p bench -- --help              # scale: --requests, --streams, --open-streams, --rounds
cargo run --release -p bench -- --no-write          # print only
```

The bench finds `target/release/omniroute` and `target/release/mock-upstream` (honouring
`CARGO_TARGET_DIR`; `--gateway-bin` / `--mock-bin` override). If the open-files limit is too low
for the open-streams measurement it re-runs itself through `bash -c 'ulimit -n N; exec ...'`;
the gateway and the mock inherit that limit.

## Method

- Three processes on loopback: the `mock-upstream` binary, the `omniroute` binary (fresh data
  directory, default log level `info`, one OpenAI connection whose base URL is the mock), and the
  load generator (reqwest, HTTP/1.1, pooled keep-alive connections, TCP_NODELAY, a
  single-threaded tokio runtime by default).
- **Direct**: `POST {mock}/v1/chat/completions` with `"model":"gpt-bench"`. **Via gateway**: the
  same body to `POST {gateway}/v1/chat/completions` with `"model":"openai/gpt-bench"`.
  **Translated**: an Anthropic client, `POST {gateway}/v1/messages`, to the same OpenAI mock;
  its baseline is the direct OpenAI call, so the difference includes both translations.
- Each measurement is a closed loop: N workers (the concurrency), each sending its next request
  when the previous answer is fully read. Direct and gateway runs alternate over several rounds
  (the order rotating) so that machine noise hits both; samples are pooled per path.
  Warm-up requests on every path come first.
- **Added** is the gateway's percentile minus the direct percentile (a difference of
  percentiles, not a percentile of differences). **Ratio** is gateway ÷ direct. For throughput,
  Added is the change in requests per second.
- **CPU per request**: `utime + stime` of the gateway process (`/proc/<pid>/stat`, all threads,
  clock ticks of 10 ms) over a run, divided by the requests of that run. The direct column shows
  the mock's own CPU per request in the direct runs, for scale. Resolution: runs are long enough
  for several hundred ticks at the default sizes.
- **Streams**: 50 `data:` events from the mock (role chunk, 46 one-word text chunks, the finish
  chunk, the usage chunk, `[DONE]`; the client asks for `stream_options.include_usage` both
  ways), sent back to back (no delay between events). *First token* is the time from sending the
  request to receiving the first event that carries answer text. *Per event* is the gateway's
  added time after the first token, divided by the events that follow it.
- **Memory**: `VmRSS` of the gateway: 1 s after start (first start: migrations and hashing
  `INITIAL_PASSWORD` included), 1 s after the login and setup requests, 1 s after the load
  runs, and with streams held open. *Open streams*:
  that many concurrent streaming requests through the gateway to a mock that sends the first
  two events and then stalls; measured once every stream has delivered its first token. Then the
  clients disconnect, and the bench waits for the gateway to close its upstream connections.
"#;

const DOC_TAIL: &str = r#"
## Limits of these numbers

- Two cores shared by three busy processes: at concurrency 16 and 64 the gateway competes with
  the mock and the client for CPU, so the throughput ratio shows the cost of a third process on
  a saturated machine more than a gateway limit. On more cores the gateway's throughput would be
  bound by its CPU per request.
- Loopback hides network latency, which is the point: only the gateway's own work shows. Real
  providers answer in hundreds of milliseconds; the added time here is a fraction of a
  millisecond.
- Back-to-back stream events arrive in a few TCP reads, so the per-event figure is the cost of
  parsing, translating and re-framing an event, not of a wake-up per event.
- The gateway runs with its default log level (`info`): one log line per request, to a file.
- Single runs on a shared machine vary by tens of percent; compare ratios from the same run, and
  re-run before drawing conclusions from small differences.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewriting_keeps_the_hand_written_part() {
        let new_doc = format!("# New\n{KEEP_MARKER}\n");
        let old_doc = format!("# Old\n{KEEP_MARKER}\n## Analysis\nby hand\n");
        assert_eq!(
            merge_kept(&new_doc, Some(&old_doc)),
            format!("# New\n{KEEP_MARKER}\n## Analysis\nby hand\n")
        );
        assert_eq!(merge_kept(&new_doc, None), new_doc);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&samples, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&samples, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }
}
