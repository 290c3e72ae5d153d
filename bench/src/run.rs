//! The benchmark itself: start the processes, connect the gateway to the mock, run each
//! measurement direct and through the gateway, and turn the numbers into a report.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::Client;
use serde_json::{json, Value};

use crate::load::{self, Dialect, Endpoint, Run, StreamSample};
use crate::procs::{self, Proc};
use crate::report::{ms, percentile, Report, Row, Target};
use crate::Args;

const PASSWORD: &str = "omniroute-bench-password";
/// The prompt of the non-streaming requests (the reply is "mock: " + this).
const SHORT_PROMPT: &str = "Say hello to the benchmark.";
/// 45 words: the mock's reply is "mock:" + these, one word per event, so with the role chunk,
/// the finish chunk, the usage chunk and `[DONE]` the stream has 50 events.
const STREAM_WORDS: usize = 45;
/// Upstream model whose scenarios stall (the open-streams measurement).
const STALL_MODEL: &str = "gpt-stall";

/// The paths under test.
struct Paths {
    direct: Arc<Endpoint>,
    chat: Arc<Endpoint>,
    messages: Arc<Endpoint>,
    direct_stream: Arc<Endpoint>,
    chat_stream: Arc<Endpoint>,
    messages_stream: Arc<Endpoint>,
    stall: Arc<Endpoint>,
}

fn openai_body(model: &str, prompt: &str, stream: bool) -> Value {
    let mut body = json!({
        "model": model,
        "messages": [{ "role": "user", "content": prompt }],
    });
    if stream {
        body["stream"] = json!(true);
        body["stream_options"] = json!({ "include_usage": true });
    }
    body
}

fn anthropic_body(model: &str, prompt: &str, stream: bool) -> Value {
    json!({
        "model": model,
        "max_tokens": 256,
        "messages": [{ "role": "user", "content": prompt }],
        "stream": stream,
    })
}

impl Paths {
    fn new(mock: &str, gateway: &str) -> Result<Self> {
        let words: Vec<String> = (1..=STREAM_WORDS).map(|i| format!("word{i}")).collect();
        let long = words.join(" ");
        let chat = format!("{gateway}/v1/chat/completions");
        let ep = |url: &str, body: Value, d: Dialect| -> Result<Arc<Endpoint>> {
            Ok(Arc::new(Endpoint::new(url.to_string(), &body, d)?))
        };
        let direct = format!("{mock}/v1/chat/completions");
        let messages = format!("{gateway}/v1/messages");
        let open = Dialect::OpenAiChat;
        let anth = Dialect::Anthropic;
        Ok(Self {
            direct: ep(&direct, openai_body("gpt-bench", SHORT_PROMPT, false), open)?,
            chat: ep(
                &chat,
                openai_body("openai/gpt-bench", SHORT_PROMPT, false),
                open,
            )?,
            messages: ep(
                &messages,
                anthropic_body("openai/gpt-bench", SHORT_PROMPT, false),
                anth,
            )?,
            direct_stream: ep(&direct, openai_body("gpt-bench", &long, true), open)?,
            chat_stream: ep(&chat, openai_body("openai/gpt-bench", &long, true), open)?,
            messages_stream: ep(
                &messages,
                anthropic_body("openai/gpt-bench", &long, true),
                anth,
            )?,
            stall: ep(
                &chat,
                openai_body(&format!("openai/{STALL_MODEL}"), SHORT_PROMPT, true),
                open,
            )?,
        })
    }
}

/// The gateway and mock binaries: flags, else `$CARGO_TARGET_DIR` or the workspace `target`.
fn binaries(args: &Args) -> Result<(PathBuf, PathBuf)> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let gateway = args
        .gateway_bin
        .clone()
        .unwrap_or_else(|| target.join("release/omniroute"));
    let mock = args
        .mock_bin
        .clone()
        .unwrap_or_else(|| target.join("release/mock-upstream"));
    for bin in [&gateway, &mock] {
        if !bin.is_file() {
            bail!(
                "{} not found: build the binaries under test first with `cargo build --release -p server -p mock-upstream`",
                bin.display()
            );
        }
    }
    Ok((gateway, mock))
}

pub async fn run(args: Args) -> Result<()> {
    let begun = Instant::now();
    let (gateway_bin, mock_bin) = binaries(&args)?;
    let tmp = tempfile::Builder::new()
        .prefix("omniroute-bench-")
        .tempdir()?;
    let data_dir = tmp.path().join("data");
    let data_dir = data_dir.to_str().context("temp dir is not UTF-8")?;
    let load_before = read_trimmed("/proc/loadavg");
    eprintln!(
        "starting {} and {}",
        mock_bin.display(),
        gateway_bin.display()
    );
    let mut mock = Proc::spawn(
        "mock-upstream",
        &mock_bin,
        &["--port", "0"],
        &[],
        tmp.path(),
        tmp.path().join("mock.log"),
    )
    .await?;
    let gateway = Proc::spawn(
        "omniroute",
        &gateway_bin,
        &["--port", "0", "--host", "127.0.0.1", "--data-dir", data_dir],
        &[
            ("INITIAL_PASSWORD", PASSWORD),
            ("RUST_LOG", &args.gateway_log),
        ],
        tmp.path(),
        tmp.path().join("gateway.log"),
    )
    .await;
    let mut gateway = match gateway {
        Ok(g) => g,
        Err(e) => {
            let _ = mock.stop().await;
            return Err(e);
        }
    };
    let measured = measure(&args, &mut mock, &mut gateway).await;
    let stopped = (gateway.stop().await, mock.stop().await);
    let mut report = measured?;
    stopped.0?;
    stopped.1?;

    report.machine = machine(&args, &load_before, &read_trimmed("/proc/loadavg"));
    report.elapsed = begun.elapsed();
    println!("{}", report.results());
    if !args.no_write {
        let old = std::fs::read_to_string(&args.out).ok();
        let doc = crate::report::merge_kept(&report.document(), old.as_deref());
        std::fs::write(&args.out, doc)
            .with_context(|| format!("writing {}", args.out.display()))?;
        let shown = args.out.canonicalize().unwrap_or_else(|_| args.out.clone());
        eprintln!("wrote {}", shown.display());
    }
    Ok(())
}

/// Logs in, adds an OpenAI connection pointing at the mock, returns the gateway's version.
async fn connect(client: &Client, gateway: &str, mock: &str) -> Result<String> {
    let login = client
        .post(format!("{gateway}/api/auth/login"))
        .json(&json!({ "password": PASSWORD }))
        .send()
        .await?;
    ensure!(
        login.status().is_success(),
        "login failed: HTTP {}",
        login.status()
    );
    let cookie: Vec<&str> = login
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect();
    let cookie = cookie.join("; ");
    let added = client
        .post(format!("{gateway}/api/providers"))
        .header(COOKIE, cookie)
        .json(&json!({
            "provider": "openai",
            "apiKey": "sk-bench-0000000000000000",
            "name": "bench",
            "baseUrl": format!("{mock}/v1"),
        }))
        .send()
        .await?;
    let status = added.status();
    ensure!(
        status.is_success(),
        "adding the mock as a provider failed: HTTP {status}: {}",
        load::excerpt(&added.bytes().await.unwrap_or_default())
    );
    let health: Value = client
        .get(format!("{gateway}/api/health"))
        .send()
        .await?
        .json()
        .await?;
    Ok(health["version"].as_str().unwrap_or("?").to_string())
}

async fn mock_control(client: &Client, mock: &str, what: &str, body: Value) -> Result<()> {
    let r = client
        .post(format!("{mock}/__mock/{what}"))
        .json(&body)
        .send()
        .await?;
    ensure!(r.status().is_success(), "mock {what}: HTTP {}", r.status());
    Ok(())
}

/// A path's pooled runs and the CPU both processes used during them.
#[derive(Default)]
struct Measured {
    run: Run,
    streams: Vec<StreamSample>,
    gateway_ticks: u64,
    mock_ticks: u64,
    count: usize,
}

impl Measured {
    fn cpu_ms(&self, ticks: u64, tps: u64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        ticks as f64 * 1000.0 / tps as f64 / self.count as f64
    }
}

struct Cpu {
    tps: u64,
}

/// Runs each path `rounds` times in rotating order; `work` does one run of one path.
async fn rounds<'a, F, Fut>(
    args: &Args,
    paths: &[&'a Arc<Endpoint>],
    mock: &mut Proc,
    gateway: &mut Proc,
    mut work: F,
) -> Result<Vec<Measured>>
where
    F: FnMut(&'a Arc<Endpoint>, usize) -> Fut,
    Fut: std::future::Future<Output = Result<(Run, Vec<StreamSample>)>>,
{
    let mut out: Vec<Measured> = paths.iter().map(|_| Measured::default()).collect();
    let rounds = args.rounds.max(1);
    for round in 0..rounds {
        for k in 0..paths.len() {
            let i = (k + round) % paths.len();
            let (g0, m0) = (gateway.cpu_ticks()?, mock.cpu_ticks()?);
            let (run, streams) = work(paths[i], round).await?;
            let (g1, m1) = (gateway.cpu_ticks()?, mock.cpu_ticks()?);
            gateway.ensure_running()?;
            mock.ensure_running()?;
            let m = &mut out[i];
            m.count += run.latencies.len() + streams.len();
            m.gateway_ticks += g1 - g0;
            m.mock_ticks += m1 - m0;
            m.run.absorb(run);
            m.streams.extend(streams);
        }
    }
    for m in &out {
        ensure!(m.count > 0, "a run finished no request");
    }
    Ok(out)
}

fn error_notes(name: &str, m: &Measured, notes: &mut Vec<String>) {
    if m.run.errors > 0 {
        notes.push(format!(
            "{name}: {} failed request(s), first: {}",
            m.run.errors,
            m.run.first_error.as_deref().unwrap_or("?")
        ));
    }
}

async fn measure(args: &Args, mock: &mut Proc, gateway: &mut Proc) -> Result<Report> {
    let client = load::client()?;
    let cpu = Cpu {
        tps: procs::clock_ticks_per_sec(),
    };
    // Before any request: what the process holds just after starting (first start included:
    // migrations, hashing INITIAL_PASSWORD).
    tokio::time::sleep(Duration::from_secs(1)).await;
    let start_rss = gateway.rss_kib()?;
    let version = connect(&client, &gateway.url, &mock.url).await?;
    let paths = Paths::new(&mock.url, &gateway.url)?;
    let limit = Duration::from_secs(args.run_limit_secs);
    let mut notes = Vec::new();

    // Every path answers like the mock would.
    for ep in [&paths.direct, &paths.chat, &paths.messages] {
        let body = load::check(&client, ep).await?;
        ensure!(
            String::from_utf8_lossy(&body).contains("mock: Say hello"),
            "unexpected answer from {}: {}",
            ep.url,
            load::excerpt(&body)
        );
    }
    let mut events = Vec::new();
    for ep in [
        &paths.direct_stream,
        &paths.chat_stream,
        &paths.messages_stream,
    ] {
        let s = load::stream_once(&client, ep)
            .await
            .with_context(|| format!("stream from {}", ep.url))?;
        events.push(s.events);
    }
    let upstream_events = events[0];
    notes.push(format!(
        "Stream events received per request: direct {}, gateway (OpenAI) {}, gateway (Anthropic) {}.",
        events[0], events[1], events[2]
    ));

    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_rss = gateway.rss_kib()?;
    let idle_fds = gateway.open_fds()?;
    let idle_threads = gateway.threads()?;
    let mock_idle_rss = mock.rss_kib()?;

    eprintln!("warming up");
    let deadline = Instant::now() + limit;
    for ep in [&paths.direct, &paths.chat, &paths.messages] {
        load::closed_loop(&client, ep, 16, args.warmup, deadline).await?;
    }
    for ep in [
        &paths.direct_stream,
        &paths.chat_stream,
        &paths.messages_stream,
    ] {
        load::stream_run(&client, ep, args.warmup / 10, deadline).await?;
    }

    let mut rows = vec![Row::section(
        "Non-streaming, OpenAI client → OpenAI upstream",
    )];
    let mut translated = vec![Row::section(
        "Non-streaming, Anthropic client (`/v1/messages`) → OpenAI upstream (translated both ways)",
    )];
    let mut cpu_rows = Vec::new();
    let mut targets = Vec::new();
    let non_stream = [&paths.direct, &paths.chat, &paths.messages];
    for concurrency in [1usize, 16, 64] {
        eprintln!("non-streaming, concurrency {concurrency}");
        mock_control(&client, &mock.url, "reset", json!({})).await?;
        let per_round = args.requests.div_ceil(args.rounds.max(1));
        let client = &client;
        let m = rounds(args, &non_stream, mock, gateway, |ep, _| async move {
            let deadline = Instant::now() + limit;
            let run = load::closed_loop(client, ep, concurrency, per_round, deadline).await?;
            Ok((run, Vec::new()))
        })
        .await?;
        let (direct, chat, msgs) = (&m[0], &m[1], &m[2]);
        for (name, x) in [("direct", direct), ("gateway", chat), ("translated", msgs)] {
            error_notes(&format!("{name}, concurrency {concurrency}"), x, &mut notes);
        }
        let p = |x: &Measured, q: f64| ms(percentile(&x.run.latencies, q));
        let c = concurrency;
        if c <= 16 {
            rows.push(Row::time(
                &format!("Latency p50, concurrency {c}"),
                p(direct, 50.0),
                p(chat, 50.0),
            ));
            rows.push(Row::time(
                &format!("Latency p99, concurrency {c}"),
                p(direct, 99.0),
                p(chat, 99.0),
            ));
            translated.push(Row::time(
                &format!("Latency p50, concurrency {c}"),
                p(direct, 50.0),
                p(msgs, 50.0),
            ));
            translated.push(Row::time(
                &format!("Latency p99, concurrency {c}"),
                p(direct, 99.0),
                p(msgs, 99.0),
            ));
        }
        if c >= 16 {
            rows.push(Row::rate(
                &format!("Throughput, concurrency {c}"),
                direct.run.rps(),
                chat.run.rps(),
            ));
            translated.push(Row::rate(
                &format!("Throughput, concurrency {c}"),
                direct.run.rps(),
                msgs.run.rps(),
            ));
        }
        let mock_cpu = direct.cpu_ms(direct.mock_ticks, cpu.tps);
        let chat_cpu = chat.cpu_ms(chat.gateway_ticks, cpu.tps);
        let msgs_cpu = msgs.cpu_ms(msgs.gateway_ticks, cpu.tps);
        cpu_rows.push(Row::cpu(
            &format!("CPU per request, OpenAI → OpenAI, concurrency {c}"),
            mock_cpu,
            chat_cpu,
        ));
        cpu_rows.push(Row::cpu(
            &format!("CPU per request, Anthropic → OpenAI, concurrency {c}"),
            mock_cpu,
            msgs_cpu,
        ));
        if c == 1 {
            let added = p(chat, 50.0) - p(direct, 50.0);
            targets.push(Target {
                what: "Added latency p50, non-streaming (OpenAI → OpenAI, concurrency 1)".into(),
                limit: "≤ 0.100 ms".into(),
                measured: format!("{added:.3} ms"),
                met: added <= 0.1,
            });
        }
        if c == 16 {
            targets.push(Target {
                what: "Gateway CPU per non-streaming request (OpenAI → OpenAI, concurrency 16)"
                    .into(),
                limit: "≤ 0.100 ms".into(),
                measured: format!("{chat_cpu:.3} ms"),
                met: chat_cpu <= 0.1,
            });
        }
    }
    rows.extend(translated);

    eprintln!("streaming");
    mock_control(&client, &mock.url, "reset", json!({})).await?;
    let stream_paths = [
        &paths.direct_stream,
        &paths.chat_stream,
        &paths.messages_stream,
    ];
    let per_round = args.streams.div_ceil(args.rounds.max(1));
    let client_ref = &client;
    let s = rounds(args, &stream_paths, mock, gateway, |ep, _| async move {
        let deadline = Instant::now() + limit;
        let samples = load::stream_run(client_ref, ep, per_round, deadline).await?;
        Ok((Run::default(), samples))
    })
    .await?;
    let ttft = |x: &Measured, q: f64| {
        let v: Vec<Duration> = x.streams.iter().map(|s| s.first_token).collect();
        ms(percentile(&v, q))
    };
    let total = |x: &Measured, q: f64| {
        let v: Vec<Duration> = x.streams.iter().map(|s| s.total).collect();
        ms(percentile(&v, q))
    };
    let after_first = |x: &Measured| {
        let v: Vec<Duration> = x
            .streams
            .iter()
            .map(|s| s.total.saturating_sub(s.first_token))
            .collect();
        ms(percentile(&v, 50.0))
    };
    // The events after the first text event: all but the role chunk and that one.
    let later_events = upstream_events.saturating_sub(2).max(1) as f64;
    let (direct, chat, msgs) = (&s[0], &s[1], &s[2]);
    for (name, x) in [
        ("OpenAI → OpenAI", chat),
        ("Anthropic → OpenAI (translated)", msgs),
    ] {
        rows.push(Row::section(&format!(
            "Streaming, {upstream_events} events, {name}"
        )));
        rows.push(Row::time(
            "Time to first token p50",
            ttft(direct, 50.0),
            ttft(x, 50.0),
        ));
        rows.push(Row::time(
            "Time to first token p99",
            ttft(direct, 99.0),
            ttft(x, 99.0),
        ));
        rows.push(Row::time(
            "Whole stream p50",
            total(direct, 50.0),
            total(x, 50.0),
        ));
        let d = after_first(direct) / later_events;
        let g = after_first(x) / later_events;
        rows.push(Row::time("Per event after the first token (p50)", d, g));
        cpu_rows.push(Row::cpu(
            &format!("CPU per {upstream_events}-event stream, {name}"),
            direct.cpu_ms(direct.mock_ticks, cpu.tps),
            x.cpu_ms(x.gateway_ticks, cpu.tps),
        ));
    }
    let added_ttft = ttft(chat, 50.0) - ttft(direct, 50.0);
    targets.push(Target {
        what: "Added time to first token p50, streaming (OpenAI → OpenAI)".into(),
        limit: "≤ 0.250 ms".into(),
        measured: format!("{added_ttft:.3} ms"),
        met: added_ttft <= 0.25,
    });
    rows.push(Row::section("Gateway CPU time"));
    rows.extend(cpu_rows);

    tokio::time::sleep(Duration::from_secs(1)).await;
    let loaded_rss = gateway.rss_kib()?;
    rows.push(Row::section("Gateway memory"));
    rows.push(Row::only(
        "RSS 1 s after start, no request yet",
        mib(start_rss),
    ));
    rows.push(Row::only(
        "RSS idle after login and setup, before load",
        mib(idle_rss),
    ));
    rows.push(Row::only("RSS idle after the load above", mib(loaded_rss)));
    notes.push(format!(
        "Idle: gateway {idle_threads} threads, {idle_fds} open descriptors; mock RSS {}.",
        mib(mock_idle_rss)
    ));
    open_streams(
        args, &client, &paths, mock, gateway, &cpu, &mut rows, &mut notes,
    )
    .await?;

    let settings = format!(
        "omniroute {version}; {} requests per path per concurrency, {} streams per path, {} rounds, {} warm-up, client threads {}",
        args.requests, args.streams, args.rounds, args.warmup, args.client_threads
    );
    Ok(Report {
        date: read_command("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        machine: Vec::new(),
        settings,
        rows,
        targets,
        notes,
        elapsed: Duration::ZERO,
    })
}

#[allow(clippy::too_many_arguments)]
async fn open_streams(
    args: &Args,
    client: &Client,
    paths: &Paths,
    mock: &mut Proc,
    gateway: &mut Proc,
    cpu: &Cpu,
    rows: &mut Vec<Row>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let n = args.open_streams;
    if n == 0 {
        return Ok(());
    }
    eprintln!("opening {n} streams");
    mock_control(client, &mock.url, "reset", json!({})).await?;
    let stall = json!({ "model": STALL_MODEL, "fault": { "type": "stall", "after_events": 2 } });
    mock_control(client, &mock.url, "scenarios", Value::Array(vec![stall; n])).await?;
    let (rss0, fds0, mock_fds0) = (gateway.rss_kib()?, gateway.open_fds()?, mock.open_fds()?);

    let open = load::open_streams(&paths.stall, n, Duration::from_secs(120)).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    gateway.ensure_running()?;
    let (rss1, fds1, threads1) = (gateway.rss_kib()?, gateway.open_fds()?, gateway.threads()?);
    let hold = Duration::from_secs(2);
    let t0 = gateway.cpu_ticks()?;
    tokio::time::sleep(hold).await;
    let held_cpu_ms = (gateway.cpu_ticks()? - t0) as f64 * 1000.0 / cpu.tps as f64;
    let (opened, open_time) = (open.opened, open.open_time);
    if open.failed > 0 || opened < n {
        notes.push(format!(
            "Open streams: {opened} of {n} opened, {} failed (first: {}).",
            open.failed,
            open.first_error.as_deref().unwrap_or("timed out")
        ));
    }

    let closed_at = Instant::now();
    open.close().await;
    let mut released = None;
    while closed_at.elapsed() < Duration::from_secs(30) {
        if gateway.open_fds()? <= fds0 + 8 && mock.open_fds()? <= mock_fds0 + 8 {
            released = Some(closed_at.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss2 = gateway.rss_kib()?;
    mock_control(client, &mock.url, "reset", json!({})).await?;

    let per_stream = if opened > 0 {
        (rss1.saturating_sub(rss0)) as f64 / opened as f64
    } else {
        0.0
    };
    rows.push(Row::only(
        &format!("RSS with {opened} streams open"),
        format!("{} (+{per_stream:.1} KiB per stream)", mib(rss1)),
    ));
    rows.push(Row::only(
        &format!("Open descriptors with {opened} streams open"),
        format!("{fds1} (before opening: {fds0}); {threads1} threads"),
    ));
    rows.push(Row::only(
        &format!("CPU while {opened} streams sit idle"),
        format!("{:.1} ms per second", held_cpu_ms / hold.as_secs_f64()),
    ));
    rows.push(Row::only(
        "Clients gone → gateway and mock connections closed",
        match released {
            Some(d) => format!("after {:.0} ms", ms(d)),
            None => format!(
                "**not within 30 s** (gateway fds {}, mock fds {})",
                gateway.open_fds()?,
                mock.open_fds()?
            ),
        },
    ));
    rows.push(Row::only("RSS after they closed", mib(rss2)));
    notes.push(format!(
        "Opening {opened} streams (64 connecting at a time) took {:.2} s.",
        open_time.as_secs_f64()
    ));
    Ok(())
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn read_trimmed(path: &str) -> String {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn read_command(cmd: &str, args: &[&str]) -> String {
    std::process::Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn machine(args: &Args, load_before: &str, load_after: &str) -> Vec<String> {
    let three = |l: &str| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    let cpuinfo = read_trimmed("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = read_trimmed("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<u64>().ok())
        .map(|k| format!("{:.0} GiB", k as f64 / 1024.0 / 1024.0))
        .unwrap_or_default();
    vec![
        format!("{cores} cores ({model}), {mem} RAM; {}", args.machine_note),
        format!(
            "Linux {}; load average (1, 5, 15 min) before the run {}, after it {}",
            read_trimmed("/proc/sys/kernel/osrelease"),
            three(load_before),
            three(load_after),
        ),
    ]
}
