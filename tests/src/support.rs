//! What the test files share: the example account and API key of the
//! conformance vectors, and their frozen clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The account SID of the conformance vectors.
pub const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
/// The API key SID of the conformance vectors.
pub const KEY: &str = "SKfedcba9876543210fedcba9876543210";
/// The API key secret of the conformance vectors.
pub const SECRET: &str = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E";
/// The frozen clock of the conformance vectors, unix seconds.
pub const NOW: u64 = 1_700_000_000;

/// `seconds` after the unix epoch.
pub fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}
