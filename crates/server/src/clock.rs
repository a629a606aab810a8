//! Times as people read them: UTC, ISO 8601, to the second; durations in seconds.

/// An hour in milliseconds.
pub const HOUR_MS: i64 = 60 * 60 * 1000;

/// A duration of `millis` milliseconds in seconds to a tenth: `1.5`.
pub fn seconds(millis: i64) -> String {
    format!("{:.1}", millis as f64 / 1000.0)
}

/// `2026-11-29T05:42:07Z` for Unix milliseconds.
pub fn utc(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_tenths_of_seconds() {
        assert_eq!(seconds(1_500), "1.5");
        assert_eq!(seconds(49), "0.0");
        assert_eq!(seconds(61_260), "61.3");
    }

    #[test]
    fn formats_utc_times() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_795_926_012_220), "2026-11-29T04:20:12Z");
        assert_eq!(utc(951_782_400_000), "2000-02-29T00:00:00Z");
    }
}
