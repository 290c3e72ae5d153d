//! Process facts for the Health page.

/// Resident set size of this process in bytes (Linux: /proc/self/status VmRSS).
pub fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn rss_is_plausible() {
        let rss = super::rss_bytes().unwrap();
        assert!(rss > 100 * 1024 && rss < 64 * 1024 * 1024 * 1024, "{rss}");
    }
}
