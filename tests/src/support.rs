//! What the test files share: the example account and API key of the
//! conformance vectors, and their frozen clock.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The account SID of the conformance vectors.
pub const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
/// The API key SID of the conformance vectors.
pub const KEY: &str = "SKfedcba9876543210fedcba9876543210";
/// The API key secret of the conformance vectors.
pub const SECRET: &str = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E";
/// The frozen clock of the conformance vectors, unix seconds.
pub const NOW: u64 = 1_700_000_000;

/// One case of a conformance file (`conformance/README.md`): its name,
/// inputs, token and payload text.
pub struct Case {
    /// The case's name.
    pub name: String,
    /// What the official library was given, keys in the file's order.
    pub input: twilio_token::Json,
    /// The token it minted.
    pub token: String,
    /// The token's payload text.
    pub payload: String,
}

/// The cases of a conformance file's text.
pub fn cases(text: &str) -> Vec<Case> {
    let cases: Vec<twilio_token::Json> = serde_json::from_str(text).expect("the cases are JSON");
    let field = |case: &twilio_token::Json, name: &str| {
        case[name].as_str().expect("a text field").to_owned()
    };
    cases
        .into_iter()
        .map(|case| Case {
            name: field(&case, "name"),
            input: case["input"].clone(),
            token: field(&case, "token"),
            payload: field(&case, "payload"),
        })
        .collect()
}

/// `seconds` after the unix epoch.
pub fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// The `twilio-token` binary, built once per test binary: it belongs to the
/// twilio-token package, and cargo builds a package's executables only for
/// that package's own tests. Returns the target directory holding it
/// (`target/debug`). (The token server is this package's own binary: its
/// tests find it with `env!("CARGO_BIN_EXE_token_server")`.)
fn executables() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "twilio-token", "--all-features"])
            .args(["--bin", "twilio-token"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the twilio-token binary failed");
        // This test binary is target/debug/deps/<name>.
        let exe = std::env::current_exe().expect("the test binary has a path");
        let deps = exe.parent().expect("target/debug/deps");
        deps.parent().expect("target/debug").to_path_buf()
    })
}

/// The path of the `twilio-token` command-line tool.
pub fn cli_path() -> PathBuf {
    executables().join(format!("twilio-token{}", std::env::consts::EXE_SUFFIX))
}

/// `seconds` after the unix epoch as RFC 3339 UTC (`2023-11-14T22:13:20Z`),
/// computed independently of the tool's own formatting (days to civil date
/// after Howard Hinnant's algorithm).
pub fn rfc3339(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
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
        rest / 60 % 60,
        rest % 60
    )
}

/// The current time, unix seconds.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}
