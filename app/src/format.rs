//! Small formatting helpers shared by pages.

/// `3d 4h 5m`, `4h 5m 6s`, `5m 6s`, `6s`.
pub fn duration_secs(total: u64) -> String {
    let (d, h, m, s) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m {s}s"),
        _ => format!("{d}d {h}h {m}m"),
    }
}

/// Bytes in binary units with one decimal: `512 B`, `1.5 KiB`, `12.0 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `HH:MM:SS` UTC of a unix time.
pub fn clock_utc(unix: i64) -> String {
    let day = unix.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02} UTC", day / 3600, day / 60 % 60, day % 60)
}

/// `YYYY-MM-DD HH:MM UTC` of a unix time.
pub fn datetime_utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        secs / 60 % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(duration_secs(6), "6s");
        assert_eq!(duration_secs(366), "6m 6s");
        assert_eq!(duration_secs(3 * 3600 + 61), "3h 1m 1s");
        assert_eq!(duration_secs(2 * 86_400 + 3600), "2d 1h 0m");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(12 * 1024 * 1024), "12.0 MiB");
        assert_eq!(clock_utc(3661), "01:01:01 UTC");
        assert_eq!(datetime_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(datetime_utc(1_700_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(datetime_utc(951_782_400), "2000-02-29 00:00 UTC");
    }
}
