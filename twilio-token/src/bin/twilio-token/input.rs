//! What the tool reads: credentials from the environment or flags, and
//! tokens or secrets from stdin.

use std::convert::Infallible;
use std::io::{self, Read};

use clap::parser::ValueSource;
use clap::{ArgMatches, Args};
use twilio_token::{Credentials, Error, MAX_TOKEN_LEN, SidKind, Verifier};
use zeroize::Zeroizing;

/// Why the tool stops, and with which exit code.
#[derive(Debug)]
pub enum Failure {
    /// Exit 2: bad flags or input; the message says what to fix.
    Usage(String),
    /// Exit 1: the token failed verification; already reported.
    Invalid,
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Invalid => 1,
        }
    }
}

const CREATE_API_KEY: &str = "Access Tokens are signed with an API key, not the account's \
    Auth Token: create one in the Twilio Console (Account > API keys & tokens) or with \
    `twilio api:core:keys:create --friendly-name tokens`, then set TWILIO_API_KEY to its SID \
    (SK…) and TWILIO_API_SECRET to its secret";

/// The account SID flag, shared by the Access Token and capability
/// commands.
#[derive(Args)]
pub struct AccountSidArg {
    /// The account SID (AC…).
    #[arg(
        long,
        env = "TWILIO_ACCOUNT_SID",
        hide_env_values = true,
        value_name = "AC…"
    )]
    account_sid: Option<String>,
}

impl AccountSidArg {
    /// The account SID, if given and not empty.
    pub fn get(&self) -> Option<&str> {
        self.account_sid.as_deref().filter(|sid| !sid.is_empty())
    }
}

/// The credential flags, each defaulting to its environment variable.
#[derive(Args)]
#[command(next_help_heading = "Credentials")]
pub struct CredentialArgs {
    #[command(flatten)]
    account_sid: AccountSidArg,
    /// The API key SID (SK…) that signs the token.
    #[arg(
        long,
        env = "TWILIO_API_KEY",
        hide_env_values = true,
        value_name = "SK…"
    )]
    api_key: Option<String>,
    /// The API key's secret; `-` reads it from stdin. Prefer the
    /// environment variable: a flag is kept in shell history.
    #[arg(
        long,
        env = "TWILIO_API_SECRET",
        hide_env_values = true,
        value_name = "SECRET|-",
        value_parser = secret
    )]
    api_secret: Option<Zeroizing<String>>,
}

/// A secret flag's value, wiped from memory when dropped (clap keeps the
/// parsed value in its matches, dropped with them).
pub fn secret(text: &str) -> Result<Zeroizing<String>, Infallible> {
    Ok(Zeroizing::new(text.to_owned()))
}

/// Whether the secret flag `id` (`api_secret` or `auth_token`) was typed
/// on the command line (rather than taken from the environment), with a
/// value other than `-`.
pub fn secret_given_as_flag(matches: &ArgMatches, id: &str) -> bool {
    matches
        .try_get_one::<Zeroizing<String>>(id)
        .ok()
        .flatten()
        .is_some_and(|value| value.as_str() != "-")
        && matches.value_source(id) == Some(ValueSource::CommandLine)
}

/// The most a secret read from stdin may be: an API key secret or an
/// Auth Token is 32 characters.
pub const SECRET_LIMIT: usize = 1024;

/// Stdin, read at most once: it holds the token or the secret, not both.
#[derive(Default)]
pub struct Stdin {
    taken_for: Option<&'static str>,
}

impl Stdin {
    /// Reads stdin, without the trailing line break: at most `limit`
    /// bytes, and one more to tell that there is more, which is refused
    /// (a pipe of any size cannot fill the memory). The buffer is sized
    /// once, so no copy of a secret is left behind by a reallocation, and
    /// wiped when dropped.
    pub fn read(&mut self, what: &'static str, limit: usize) -> Result<Zeroizing<String>, Failure> {
        if let Some(earlier) = self.taken_for {
            return Err(Failure::Usage(format!(
                "stdin already holds the {earlier}; it cannot hold the {what} too: pass one of \
                 them as an argument or environment variable"
            )));
        }
        self.taken_for = Some(what);
        let read = read_bounded(io::stdin(), limit).map_err(|error| {
            Failure::Usage(format!("cannot read the {what} from stdin: {error}"))
        })?;
        match read {
            Bounded::Text(text) => Ok(text),
            Bounded::TooLong => Err(Failure::Usage(format!(
                "the {what} on stdin is over {limit} bytes, longer than any {what}: check what is \
                 piped in"
            ))),
            Bounded::NotUtf8 => Err(Failure::Usage(format!(
                "the {what} on stdin is not UTF-8 text"
            ))),
        }
    }
}

/// What [`read_bounded`] read.
pub enum Bounded {
    Text(Zeroizing<String>),
    TooLong,
    NotUtf8,
}

/// Reads at most `limit` bytes without the trailing line breaks, and one
/// more to tell that there is more, which is `TooLong` (a pipe of any size
/// cannot fill the memory), into a buffer sized once, so that no copy of a
/// secret is left behind by a reallocation, and wiped when dropped.
pub fn read_bounded(from: impl Read, limit: usize) -> io::Result<Bounded> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(limit + 1));
    from.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    let kept = bytes
        .iter()
        .rposition(|byte| !matches!(byte, b'\n' | b'\r'))
        .map_or(0, |last| last + 1);
    bytes.truncate(kept);
    if bytes.len() > limit {
        return Ok(Bounded::TooLong);
    }
    Ok(match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Bounded::Text(Zeroizing::new(text)),
        Err(error) => {
            drop(Zeroizing::new(error.into_bytes()));
            Bounded::NotUtf8
        }
    })
}

/// An API key and its secret, ready to sign or verify.
pub struct Key {
    pub sid: String,
    pub secret: Zeroizing<String>,
}

/// A well-formed account SID, to check an API key without one.
const ANY_ACCOUNT: &str = "AC00000000000000000000000000000000";

impl CredentialArgs {
    fn present(value: &Option<String>) -> Option<&str> {
        value.as_deref().filter(|value| !value.is_empty())
    }

    /// The API key secret (or `-`), if given and not empty.
    fn secret(&self) -> Option<&str> {
        let secret = self.api_secret.as_deref().map(String::as_str);
        secret.filter(|secret| !secret.is_empty())
    }

    /// The account SID, if given.
    pub fn account_sid(&self) -> Option<&str> {
        self.account_sid.get()
    }

    /// The API key SID, if given and not empty, without its secret (a
    /// Client Validation JWT names the key but is signed with an RSA key).
    pub fn api_key_sid(&self) -> Option<&str> {
        Self::present(&self.api_key)
    }

    /// The API key secret as given (`-`: on stdin), if given and not empty.
    pub fn api_secret(&self) -> Option<&str> {
        self.secret()
    }

    /// The API key and secret; `None` when either is missing.
    pub fn key(&self, warn: bool, stdin: &mut Stdin) -> Result<Option<Key>, Failure> {
        let (Some(sid), Some(secret)) = (Self::present(&self.api_key), self.secret()) else {
            return Ok(None);
        };
        if warn {
            eprintln!(
                "warning: --api-secret on the command line is kept in shell history and shown \
                 to other users by `ps`; set TWILIO_API_SECRET, or pass `--api-secret -` and \
                 the secret on stdin"
            );
        }
        let secret = if secret == "-" {
            stdin.read("API key secret", SECRET_LIMIT)?
        } else {
            Zeroizing::new(secret.to_owned())
        };
        Ok(Some(Key {
            sid: sid.to_owned(),
            secret,
        }))
    }

    /// Credentials to sign with: all three values are needed.
    pub fn credentials(&self, warn: bool, stdin: &mut Stdin) -> Result<Credentials, Failure> {
        let Some(account_sid) = self.account_sid() else {
            return Err(missing(
                "TWILIO_ACCOUNT_SID",
                "--account-sid",
                "account SID (AC…)",
            ));
        };
        let key = self.require_key(warn, stdin)?;
        Credentials::new(account_sid, key.sid, key.secret.as_str()).map_err(usage)
    }

    /// A verifier for the API key (and the account, when given).
    pub fn verifier(&self, warn: bool, stdin: &mut Stdin) -> Result<Verifier, Failure> {
        self.verifier_for(self.require_key(warn, stdin)?)
    }

    /// A verifier for `key` (and the account, when given); a malformed
    /// one is a usage error, as for minting. Without an account SID, a
    /// token of any account signed with the key verifies.
    pub fn verifier_for(&self, key: Key) -> Result<Verifier, Failure> {
        if let Some(account_sid) = self.account_sid() {
            let credentials =
                Credentials::new(account_sid, key.sid, key.secret.as_str()).map_err(usage)?;
            return Ok(Verifier::new(&credentials));
        }
        // The key is checked here, with an account of zeros, and made for
        // each token's own account when one is verified.
        Credentials::new(ANY_ACCOUNT, key.sid.as_str(), key.secret.as_str()).map_err(usage)?;
        Ok(Verifier::with_lookup(move |key_sid, account_sid| {
            if key_sid != key.sid {
                return None;
            }
            Credentials::new(account_sid, key_sid, key.secret.as_str()).ok()
        }))
    }

    fn require_key(&self, warn: bool, stdin: &mut Stdin) -> Result<Key, Failure> {
        if Self::present(&self.api_key).is_none() {
            return Err(missing("TWILIO_API_KEY", "--api-key", "API key SID (SK…)"));
        }
        if self.secret().is_none() {
            return Err(missing(
                "TWILIO_API_SECRET",
                "--api-secret -",
                "API key secret",
            ));
        }
        self.key(warn, stdin)?
            .ok_or_else(|| missing("TWILIO_API_KEY", "--api-key", "API key SID (SK…)"))
    }
}

/// Credentials refused by the library, in the tool's words: the API key
/// mix-ups name the variables to check.
fn usage(error: Error) -> Failure {
    Failure::Usage(match error {
        Error::AccountSidAsApiKey => format!(
            "the API key is an account SID, which means an Auth Token was given as the secret. \
             {CREATE_API_KEY}"
        ),
        Error::InvalidSid {
            kind: SidKind::ApiKey,
            len,
        } => format!(
            "the API key ({len} characters) is not an API key SID (`SK` followed by 32 \
             lower-case hex digits); check that TWILIO_API_KEY holds the SID and \
             TWILIO_API_SECRET the secret. {CREATE_API_KEY}"
        ),
        error => error.to_string(),
    })
}

fn missing(variable: &str, flag: &str, what: &str) -> Failure {
    let mut message = format!("no {what} given: set {variable} or pass {flag}");
    // As the Twilio CLI token plugin does: an Auth Token in the
    // environment is the likely mix-up. Its value is never shown.
    let auth_token = std::env::var_os("TWILIO_AUTH_TOKEN")
        .map(|value| Zeroizing::new(value.into_encoded_bytes()))
        .is_some_and(|value| !value.is_empty());
    if auth_token && variable.starts_with("TWILIO_API_") {
        message.push_str(&format!(
            ". TWILIO_AUTH_TOKEN is set, but {CREATE_API_KEY} (the Auth Token signs capability \
             tokens: `twilio-token capability --help`)"
        ));
    }
    Failure::Usage(message)
}

/// The token argument, or stdin for `-` or nothing.
pub fn token(argument: Option<&str>, stdin: &mut Stdin) -> Result<String, Failure> {
    let token = match argument {
        Some("-") | None => stdin.read("token", MAX_TOKEN_LEN)?.trim().to_owned(),
        Some(token) => token.trim().to_owned(),
    };
    if token
        .get(..7)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("bearer "))
    {
        return Err(Failure::Usage(crate::plugin::BEARER.into()));
    }
    if token.is_empty() {
        return Err(Failure::Usage(
            "no token given: pass it as an argument, or `-` and the token on stdin".into(),
        ));
    }
    Ok(token)
}

/// A `KEY=VALUE` flag value, such as `--voice-param to=+15005550006`.
pub fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        // clap has quoted the value already (described, if it may be a
        // secret).
        _ => Err("expected KEY=VALUE, such as `to=+15005550006`".to_owned()),
    }
}
