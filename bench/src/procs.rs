//! The processes under test (the mock upstream and the gateway, both release binaries) and
//! what Linux says about them: CPU time, resident memory, open file descriptors.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use tokio::process::{Child, Command};

/// A child process that logs to a file and is killed when dropped.
pub struct Proc {
    pub name: &'static str,
    pub pid: u32,
    pub url: String,
    log: PathBuf,
    child: Child,
}

impl Proc {
    /// Starts `bin args...` with stderr and stdout in `log`, and waits for the
    /// `listening on http://...` line both binaries print.
    pub async fn spawn(
        name: &'static str,
        bin: &Path,
        args: &[&str],
        envs: &[(&str, &str)],
        cwd: &Path,
        log: PathBuf,
    ) -> Result<Self> {
        let out = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let err = out.try_clone()?;
        let mut cmd = Command::new(bin);
        cmd.args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .kill_on_drop(true);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id().context("the child has no pid")?;
        let mut proc = Self {
            name,
            pid,
            url: String::new(),
            log,
            child,
        };
        proc.url = proc.wait_listening(Duration::from_secs(30)).await?;
        Ok(proc)
    }

    async fn wait_listening(&mut self, limit: Duration) -> Result<String> {
        let started = Instant::now();
        loop {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            if let Some(at) = text.find("listening on http://") {
                let rest = &text[at + "listening on ".len()..];
                let url: String = rest
                    .chars()
                    .take_while(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                return Ok(url.trim_end_matches('/').to_owned());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "{} exited ({status}) before listening; its log:\n{}",
                    self.name,
                    tail(&text, 2000)
                );
            }
            if started.elapsed() > limit {
                bail!(
                    "{} did not print `listening on` within {limit:?}; its log:\n{}",
                    self.name,
                    tail(&text, 2000)
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// User + system CPU time of every thread the process has had, in clock ticks.
    pub fn cpu_ticks(&self) -> Result<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
            .with_context(|| format!("reading /proc/{}/stat", self.pid))?;
        // The command name (field 2) may contain spaces: count fields after its ')'.
        let rest = stat
            .rsplit_once(')')
            .map(|(_, r)| r)
            .context("unexpected /proc/<pid>/stat")?;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        let utime: u64 = fields.get(11).context("no utime")?.parse()?;
        let stime: u64 = fields.get(12).context("no stime")?.parse()?;
        Ok(utime + stime)
    }

    /// Resident set size in KiB (`VmRSS`).
    pub fn rss_kib(&self) -> Result<u64> {
        self.status_field("VmRSS:")
    }

    pub fn threads(&self) -> Result<u64> {
        self.status_field("Threads:")
    }

    fn status_field(&self, name: &str) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let line = status
            .lines()
            .find(|l| l.starts_with(name))
            .with_context(|| format!("no {name} in /proc/{}/status", self.pid))?;
        let value = line[name.len()..]
            .split_whitespace()
            .next()
            .with_context(|| format!("empty {name}"))?;
        Ok(value.parse()?)
    }

    /// Open file descriptors (sockets included).
    pub fn open_fds(&self) -> Result<usize> {
        Ok(std::fs::read_dir(format!("/proc/{}/fd", self.pid))?.count())
    }

    /// Fails if the process has exited (a crash under load must not pass unnoticed).
    pub fn ensure_running(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            bail!(
                "{} exited during the benchmark ({status}); its log:\n{}",
                self.name,
                tail(&text, 2000)
            );
        }
        Ok(())
    }

    /// Kills this process (by its pid, through the child handle) and reaps it.
    pub async fn stop(mut self) -> Result<()> {
        self.child.start_kill()?;
        tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .with_context(|| format!("{} (pid {}) did not exit", self.name, self.pid))??;
        Ok(())
    }
}

fn tail(text: &str, max: usize) -> &str {
    let mut at = text.len().saturating_sub(max);
    while !text.is_char_boundary(at) {
        at += 1;
    }
    &text[at..]
}

/// Clock ticks per second for `/proc/<pid>/stat` times (`getconf CLK_TCK`, almost always 100).
pub fn clock_ticks_per_sec() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .filter(|t| *t > 0)
        .unwrap_or(100)
}

/// The soft and hard limits on open files of this process.
pub fn nofile_limits() -> Option<(u64, u64)> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let mut nums = line["Max open files".len()..].split_whitespace();
    let parse = |s: Option<&str>| match s {
        Some("unlimited") => Some(u64::MAX),
        Some(n) => n.parse().ok(),
        None => None,
    };
    Some((parse(nums.next())?, parse(nums.next())?))
}
