//! A token's times: Twilio's rules for them (whole unix seconds, at most
//! 24 hours from the issue time) and the conversions from `SystemTime`.
//! Both builders and the verifiers take their times from here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::Error;

/// The default time to live: one hour, as in every official library.
///
/// ```
/// assert_eq!(twilio_token::DEFAULT_TTL.as_secs(), 3600);
/// ```
pub const DEFAULT_TTL: Duration = Duration::from_secs(3600);

/// Twilio's longest time to live: 24 hours (longer tokens fail with 20157).
///
/// ```
/// assert_eq!(twilio_token::MAX_TTL.as_secs(), 86_400);
/// ```
pub const MAX_TTL: Duration = Duration::from_secs(86_400);

/// The last second a JWT time can name here: `i64::MAX`, so that every
/// JWT library can read it back.
const MAX_TIME: u64 = i64::MAX as u64;

/// `time` in unix seconds, rounded down: negative before 1970.
pub(crate) fn unix_seconds(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i128::from(since.as_secs()),
        Err(before) => (-i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX))
            .div_euclid(1_000_000_000),
    }
}

/// The time `seconds` after 1970, as a token's time claim names it: at
/// most `i64::MAX`, as the readers and the builders keep them.
pub(crate) fn from_unix(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// `time` as a claim: unix seconds from 1970 to [`MAX_TIME`]; `what`
/// names it in the error.
fn claim(time: SystemTime, what: &'static str) -> Result<u64, Error> {
    u64::try_from(unix_seconds(time))
        .ok()
        .filter(|&seconds| seconds <= MAX_TIME)
        .ok_or(Error::TimeOutOfRange { what })
}

/// A token's times as set on a builder (an Access Token's or a capability
/// token's), checked and turned into claims by [`TimeSettings::claims`].
pub(crate) struct TimeSettings {
    pub(crate) ttl: Duration,
    pub(crate) not_before: NotBefore,
    pub(crate) issued_at: Option<SystemTime>,
}

/// Where a builder's `nbf` comes from.
pub(crate) enum NotBefore {
    IssuedAt,
    At(SystemTime),
    Omitted,
}

impl Default for TimeSettings {
    fn default() -> Self {
        TimeSettings {
            ttl: DEFAULT_TTL,
            not_before: NotBefore::IssuedAt,
            issued_at: None,
        }
    }
}

/// The time claims of a token, unix seconds.
pub(crate) struct TimeClaims {
    pub(crate) issued_at: u64,
    pub(crate) expires: u64,
    pub(crate) not_before: Option<u64>,
}

impl TimeSettings {
    /// The claims, after Twilio's rules: a ttl of whole seconds, at most
    /// 24 hours (Twilio measures the lifetime from the issue time, 20157),
    /// and an `nbf` before `exp`. An `nbf` before the issue time, the usual
    /// allowance for a client's clock, is fine, as Twilio and the verifier
    /// take it.
    pub(crate) fn claims(&self) -> Result<TimeClaims, Error> {
        if self.ttl.subsec_nanos() != 0 {
            return Err(Error::TtlNotWholeSeconds {
                millis: self.ttl.as_millis(),
            });
        }
        if self.ttl.is_zero() {
            return Err(Error::ZeroTtl);
        }
        if self.ttl > MAX_TTL {
            return Err(Error::TtlTooLong {
                seconds: self.ttl.as_secs(),
            });
        }
        let issued_at = claim(self.issued_at.unwrap_or_else(SystemTime::now), "issued_at")?;
        let expires = issued_at
            .checked_add(self.ttl.as_secs())
            .filter(|&exp| exp <= MAX_TIME)
            .ok_or(Error::TimeOutOfRange { what: "expiry" })?;
        let not_before = match self.not_before {
            NotBefore::IssuedAt => Some(issued_at),
            NotBefore::At(time) => Some(claim(time, "not_before")?),
            NotBefore::Omitted => None,
        };
        if let Some(not_before) = not_before
            && not_before >= expires
        {
            return Err(Error::NotBeforeAfterExpiry {
                not_before,
                expires,
            });
        }
        Ok(TimeClaims {
            issued_at,
            expires,
            not_before,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::{from_unix, unix_seconds};

    #[test]
    fn unix_seconds_round_down_on_both_sides_of_1970() {
        assert_eq!(unix_seconds(UNIX_EPOCH), 0);
        assert_eq!(unix_seconds(UNIX_EPOCH + Duration::from_millis(1500)), 1);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_millis(500)), -1);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(1)), -1);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_millis(1001)), -2);
        assert_eq!(unix_seconds(from_unix(1_700_000_000)), 1_700_000_000);
    }
}
