//! Times as people read them: RFC 3339 in UTC, to the second.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// The last second that RFC 3339's four-digit years can write:
/// 9999-12-31T23:59:59Z.
const LAST: u64 = 253_402_300_799;

/// A time as RFC 3339 in UTC, to the second (`2026-12-06T08:35:59Z`): how
/// the library's messages and the command line write a token's times.
///
/// A time after the year 9999, which RFC 3339 cannot write, is shown as
/// unix seconds: `253402300800 (unix)`.
///
/// ```
/// use twilio_token::UtcTime;
///
/// assert_eq!(UtcTime::from_unix(1_796_546_159).to_string(), "2026-12-06T08:35:59Z");
/// let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(86_400);
/// assert_eq!(UtcTime::from_system_time(time).map(|at| at.to_string()).as_deref(), Some("1970-01-02T00:00:00Z"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime(u64);

impl UtcTime {
    /// The time `seconds` after 1970-01-01T00:00:00Z, as a JWT writes it.
    ///
    /// ```
    /// assert_eq!(twilio_token::UtcTime::from_unix(0).to_string(), "1970-01-01T00:00:00Z");
    /// ```
    pub const fn from_unix(seconds: u64) -> Self {
        UtcTime(seconds)
    }

    /// `time`, to the whole second; `None` before 1970.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use twilio_token::UtcTime;
    ///
    /// assert_eq!(UtcTime::from_system_time(UNIX_EPOCH + Duration::from_millis(1500)), Some(UtcTime::from_unix(1)));
    /// assert_eq!(UtcTime::from_system_time(UNIX_EPOCH - Duration::from_secs(1)), None);
    /// ```
    pub fn from_system_time(time: SystemTime) -> Option<Self> {
        time.duration_since(UNIX_EPOCH)
            .ok()
            .map(|since| UtcTime(since.as_secs()))
    }

    /// Unix seconds.
    ///
    /// ```
    /// assert_eq!(twilio_token::UtcTime::from_unix(42).unix(), 42);
    /// ```
    pub const fn unix(self) -> u64 {
        self.0
    }
}

/// The year, month and day of `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for days that are not negative).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0;
        if seconds > LAST {
            return write!(f, "{seconds} (unix)");
        }
        let (year, month, day) = civil(seconds / 86_400);
        let time = seconds % 86_400;
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            time / 3600,
            time / 60 % 60,
            time % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_times() {
        for (seconds, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_700_000_000, "2023-11-14T22:13:20Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (LAST, "9999-12-31T23:59:59Z"),
            (LAST + 1, "253402300800 (unix)"),
            (u64::MAX, "18446744073709551615 (unix)"),
        ] {
            assert_eq!(UtcTime::from_unix(seconds).to_string(), text);
        }
    }

    /// Every day from 1970 to 9999 follows the one before it in the
    /// Gregorian calendar.
    #[test]
    fn every_day_follows_the_last() {
        let leap = |year: u64| {
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
        };
        let length = |year: u64, month: u64| match month {
            2 if leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut expected = (1970, 1, 1);
        for days in 0..=LAST / 86_400 {
            assert_eq!(civil(days), expected, "day {days}");
            let (year, month, day) = expected;
            expected = if day < length(year, month) {
                (year, month, day + 1)
            } else if month < 12 {
                (year, month + 1, 1)
            } else {
                (year + 1, 1, 1)
            };
        }
    }
}
