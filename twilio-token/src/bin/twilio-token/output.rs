//! What the tool prints: to stdout, times as people read them, and text
//! from a token made safe for a terminal.

use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use twilio_token::{Escaped, UtcTime};

use crate::input::Failure;

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            Err(Failure::Usage(format!("cannot write to stdout: {error}")))
        }
        _ => Ok(()),
    }
}

/// A time as RFC 3339 UTC, to the second: `2026-11-29T18:00:00Z`, as the
/// library writes it.
pub fn rfc3339(time: SystemTime) -> String {
    UtcTime::from_system_time(time).map_or_else(|| "before 1970".to_owned(), |at| at.to_string())
}

/// A duration to the largest two units, truncated: `59m`, `3h 5m`, `2d 1h`.
pub fn span(seconds: u64) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 if seconds.is_multiple_of(60) => format!("{minutes}m"),
        60..3600 => format!("{minutes}m {}s", seconds % 60),
        3600..86_400 if minutes == 0 => format!("{hours}h"),
        3600..86_400 => format!("{hours}h {minutes}m"),
        _ if hours == 0 => format!("{days}d"),
        _ => format!("{days}d {hours}h"),
    }
}

/// `in 59m` or `3h ago`, from `now`.
pub fn relative(time: u64, now: u64) -> String {
    if time > now {
        format!("in {}", span(time - now))
    } else {
        format!("{} ago", span(now - time))
    }
}

/// `time` in unix seconds; 0 before 1970. The tool's one conversion each
/// way.
pub fn unix(time: SystemTime) -> u64 {
    UtcTime::from_system_time(time).map_or(0, UtcTime::unix)
}

/// The time `seconds` after 1970; `None` past what this system's clock
/// can name.
pub fn system_time(seconds: u64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

pub fn unix_now() -> u64 {
    unix(SystemTime::now())
}

/// A time in UTC and how far from now: `2026-11-29T18:00:00Z (in 59m)`.
pub fn when(seconds: u64) -> String {
    format!("{} ({})", utc(seconds), relative(seconds, unix_now()))
}

pub fn utc(seconds: u64) -> String {
    UtcTime::from_unix(seconds).to_string()
}

/// Text from a token, safe to print: terminal controls and bidirectional
/// characters as visible escapes.
pub fn clean(text: &str) -> String {
    Escaped(text).to_string()
}
