//! Looking inside tokens: `decode` (a human view) and `verify` (an exit
//! code).

use std::fmt::Write as _;
use std::time::Duration;

use twilio_token::{HeaderProblem, Json, JsonObject, MAX_TOKEN_LEN, Malformed};
use twilio_token::{Verifier, VerifyError, unverified};

use crate::capability::{self, AuthTokenArg};
use crate::input::{self, CredentialArgs, Failure, Stdin};
use crate::output::{clean, print, relative, span, unix, unix_now, utc, when};

/// A JSON value for a human: strings without quotes, escaped.
fn show(value: &Json) -> String {
    match value {
        Json::String(text) => clean(text),
        other => clean(&other.to_string()),
    }
}

/// The human view of a token, without verification; a capability
/// token's scopes or policies are left to `capability::describe`.
/// Everything from the token is escaped, and the names are padded to the
/// longest, so the values line up.
fn describe(
    header: &JsonObject,
    payload: &JsonObject,
    issued_at: Option<u64>,
    now: u64,
    capability: bool,
) -> String {
    let grants = payload.get("grants").and_then(Json::as_object);
    let grant_keys = grants
        .into_iter()
        .flat_map(|grants| grants.keys().filter(|key| *key != "identity"));
    let width = header
        .keys()
        .chain(payload.keys())
        .chain(grant_keys)
        .map(|key| clean(key).chars().count())
        .fold(9, usize::max);
    let mut out = String::from("Header\n");
    for (key, value) in header.iter() {
        let _ = writeln!(out, "  {:<width$} {}", clean(key), show(value));
    }
    out.push_str("Claims\n");
    if let Some(identity) = grants.and_then(|grants| grants.get("identity")) {
        let _ = writeln!(out, "  {:<width$} {}", "identity", show(identity));
    }
    let time = |key: &str| payload.get(key).and_then(Json::as_u64);
    for (key, value) in payload.iter() {
        let label = match key {
            "grants" => continue,
            "scope" | "policies" if capability => continue,
            "iss" if capability => " (account)",
            "iss" => " (API key)",
            "sub" => " (account)",
            _ => "",
        };
        let line = match (key, value.as_u64()) {
            ("exp", Some(exp)) if exp > now => {
                format!("{} (expires {})", utc(exp), relative(exp, now))
            }
            ("exp", Some(exp)) => format!("{} (expired {})", utc(exp), relative(exp, now)),
            ("nbf" | "iat", Some(at)) => format!("{} ({})", utc(at), relative(at, now)),
            _ => format!("{}{label}", show(value)),
        };
        let _ = writeln!(out, "  {:<width$} {line}", clean(key));
    }
    // Measured from the issue time the verifier measures it from (`iat`,
    // else the `jti`): one rule, the library's. Without one, the verifier
    // measures from now, and no lifetime is shown.
    if let (Some(exp), Some(start)) = (time("exp"), issued_at) {
        let lifetime = exp.saturating_sub(start);
        let limit = if lifetime > 86_400 {
            " (over Twilio's 24h limit: 20157)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {:<width$} {}{limit}", "lifetime", span(lifetime));
    }
    if capability {
        return out;
    }
    out.push_str("Grants\n");
    match grants {
        Some(grants) if grants.keys().any(|key| key != "identity") => {
            for (key, value) in grants.iter().filter(|(key, _)| *key != "identity") {
                let _ = writeln!(
                    out,
                    "  {:<width$} {}",
                    clean(key),
                    clean(&value.to_string())
                );
            }
        }
        _ => out.push_str("  (none)\n"),
    }
    out
}

/// `twilio-token decode`: the human view, and verification when a key is
/// given. `warn` says whether the API key secret and the Auth Token were
/// typed as flags.
pub fn decode(
    argument: Option<&str>,
    credentials: &CredentialArgs,
    auth_token: &AuthTokenArg,
    warn: [bool; 2],
    stdin: &mut Stdin,
) -> Result<(), Failure> {
    let jwt = input::token(argument, stdin)?;
    let (header, payload) = unverified::header_and_payload(&jwt)
        .map_err(|error| Failure::Usage(format!("{}\nhint: {}", said(&error), hint(&error))))?;
    if header.get("cty").is_none() {
        return decode_capability(
            &jwt,
            &header,
            &payload,
            credentials,
            auth_token,
            warn[1],
            stdin,
        );
    }
    let decoded = unverified::access_token(&jwt);
    let issued_at = decoded.as_ref().ok().and_then(|claims| claims.issued_at());
    let mut view = describe(&header, &payload, issued_at.map(unix), unix_now(), false);
    match &decoded {
        Err(error) => {
            let _ = writeln!(view, "Problem\n  {}\n  hint: {}", said(error), hint(error));
        }
        Ok(claims) => warn_about_grants(claims),
    }
    let verification = match credentials.key(warn[0], stdin) {
        Ok(Some(key)) => Some(credentials.verifier_for(key)),
        Ok(None) => None,
        Err(failure) => Some(Err(failure)),
    };
    view.push_str("Verification\n");
    match verification {
        None => {
            view.push_str("  not verified: no API key secret given\n");
            eprintln!(
                "warning: the signature was not checked: set TWILIO_API_KEY and \
                 TWILIO_API_SECRET (or pass --api-key and --api-secret -) to verify"
            );
        }
        Some(Err(Failure::Usage(reason))) => {
            let _ = writeln!(view, "  not verified: {reason}");
        }
        Some(Err(Failure::Invalid)) => view.push_str("  not verified\n"),
        Some(Ok(verifier)) => match verifier.verify(&jwt) {
            Ok(_) => view.push_str("  valid: signature, issuer, times and grants check out\n"),
            Err(error) => {
                let _ = writeln!(
                    view,
                    "  INVALID: {}\n  hint: {}",
                    said(&error),
                    hint(&error)
                );
            }
        },
    }
    print(&view)
}

/// `decode` of a capability token: its claims, scopes or policies, and
/// verification when the Auth Token is given.
fn decode_capability(
    jwt: &str,
    header: &JsonObject,
    payload: &JsonObject,
    credentials: &CredentialArgs,
    auth_token: &AuthTokenArg,
    warn: bool,
    stdin: &mut Stdin,
) -> Result<(), Failure> {
    let decoded = unverified::capability(jwt);
    let not_before = decoded
        .as_ref()
        .ok()
        .and_then(|claims| claims.not_before())
        .map(unix);
    let mut view = describe(header, payload, not_before, unix_now(), true);
    match &decoded {
        Ok(claims) => view.push_str(&capability::describe(claims)),
        Err(error) => {
            let _ = writeln!(view, "Problem\n  {}\n  hint: {}", said(error), hint(error));
        }
    }
    view.push_str("Verification\n");
    match auth_token.verifier(credentials.account_sid(), warn, stdin) {
        Ok(None) => {
            view.push_str("  not verified: no Auth Token given\n");
            eprintln!(
                "warning: the signature was not checked: this is a capability token, signed \
                 with the Auth Token; set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or pass \
                 --auth-token -) to verify"
            );
        }
        Err(Failure::Usage(reason)) => {
            let _ = writeln!(view, "  not verified: {reason}");
        }
        Err(Failure::Invalid) => view.push_str("  not verified\n"),
        Ok(Some(verifier)) => match verifier.verify(jwt) {
            Ok(claims) => view.push_str(capability::valid(&claims)),
            Err(error) => {
                let hint = capability::hint(&error).unwrap_or_else(|| hint(&error));
                let _ = writeln!(view, "  INVALID: {}\n  hint: {hint}", said(&error));
            }
        },
    }
    print(&view)
}

/// `twilio-token verify`: exit 0 when Twilio would accept the token, 1
/// when not.
pub fn verify(
    argument: Option<&str>,
    leeway: u64,
    credentials: &CredentialArgs,
    auth_token: &AuthTokenArg,
    warn: [bool; 2],
    stdin: &mut Stdin,
) -> Result<(), Failure> {
    let jwt = input::token(argument, stdin)?;
    // The size first, before the header is read: the library's 20101.
    if jwt.len() > MAX_TOKEN_LEN
        && let Err(error) = unverified::access_token(&jwt)
    {
        eprintln!("invalid: {}\nhint: {}", said(&error), hint(&error));
        return Err(Failure::Invalid);
    }
    if is_capability(&jwt) {
        let Some(verifier) = auth_token.verifier(credentials.account_sid(), warn[1], stdin)? else {
            return Err(Failure::Usage(
                "no Auth Token given: this is a capability token (no `cty` in its header), \
                 signed with the account's Auth Token; set TWILIO_ACCOUNT_SID and \
                 TWILIO_AUTH_TOKEN, or pass --auth-token -"
                    .into(),
            ));
        };
        let verifier = verifier.leeway(Duration::from_secs(leeway));
        return match verifier.verify(&jwt) {
            Ok(claims) => print(&format!("{}\n", capability::summary(&claims))),
            Err(error) => {
                let hint = capability::hint(&error).unwrap_or_else(|| hint(&error));
                eprintln!("invalid: {}\nhint: {hint}", said(&error));
                Err(Failure::Invalid)
            }
        };
    }
    let verifier: Verifier = credentials
        .verifier(warn[0], stdin)?
        .leeway(Duration::from_secs(leeway));
    match verifier.verify(&jwt) {
        Ok(claims) => {
            warn_about_grants(&claims);
            let grants = claims
                .grants()
                .map_err(|error| Failure::Usage(format!("cannot read the grants: {error}")))?;
            let grants: Vec<&str> = grants.keys().collect();
            print(&format!(
                "valid: identity {}, grants [{}], expires {}\n",
                clean(&format!("{:?}", claims.identity())),
                clean(&grants.join(", ")),
                when(unix(claims.expires_at())),
            ))
        }
        Err(error) => {
            eprintln!("invalid: {}\nhint: {}", said(&error), hint(&error));
            Err(Failure::Invalid)
        }
    }
}

/// Whether `jwt` is a capability token: it reads, and its header has no
/// `cty`. Anything else goes the Access Token way, whose verifier words
/// what is wrong.
fn is_capability(jwt: &str) -> bool {
    unverified::header_and_payload(jwt).is_ok_and(|(header, _)| header.get("cty").is_none())
}

/// Warns of the built-in grants that minting would refuse (a malformed
/// SID, an empty field): the token is still what Twilio accepts, and the
/// warning says what would fail later.
fn warn_about_grants(claims: &twilio_token::Claims) {
    for error in twilio_token::grants::validate_built_in(claims).unwrap_or_default() {
        eprintln!("warning: {error} (minting refuses this grant)");
    }
}

/// A verification error as the tool says it: times in UTC with how long
/// ago or from now, as `decode` shows them, instead of unix seconds.
fn said(error: &VerifyError) -> String {
    let now = unix_now();
    let code = error.twilio_code();
    match error {
        VerifyError::Expired { expired_at } => format!(
            "the token expired ({code}) at {} ({}): mint a new one",
            utc(*expired_at),
            relative(*expired_at, now)
        ),
        VerifyError::NotYetValid { not_before } => format!(
            "the token is not valid yet ({code}): its nbf is {} ({}); check the clocks or allow \
             --leeway",
            utc(*not_before),
            relative(*not_before, now)
        ),
        VerifyError::IssuedInFuture { issued_at } => format!(
            "the token is not valid yet ({code}): it was issued at {} ({}); check the clocks or \
             allow --leeway",
            utc(*issued_at),
            relative(*issued_at, now)
        ),
        other => other.to_string(),
    }
}

/// What to do about a failed verification: by Twilio error code, and by
/// the cause where one code has several.
fn hint(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::Malformed(Malformed::KeyTwice(..)) | VerifyError::GrantKeyTwice { .. } => {
            "a claim is given twice, which no Twilio helper library writes: mint the token again"
        }
        VerifyError::Malformed(Malformed::StrayBits(_) | Malformed::Padded(_)) => {
            "the token was re-encoded by something other than a JWT library: use the token as it was minted, or mint it again"
        }
        VerifyError::IssuedInFuture { .. } => {
            "the token was issued after now: check the minting server's clock"
        }
        VerifyError::InvalidHeader(
            HeaderProblem::Alg(_)
            | HeaderProblem::MissingField("alg")
            | HeaderProblem::NotString("alg"),
        ) => {
            "Twilio accepts only HS256: mint the token with HS256 (a helper library's toJwt() with no algorithm)"
        }
        _ => match error.twilio_code() {
            20101 => "check that the whole token was copied, without quotes or line breaks",
            20102 => {
                "this is not a Twilio Access Token; mint one with this tool or a Twilio helper library"
            }
            20103 => {
                "the token was signed by another API key or for another account: check TWILIO_API_KEY and TWILIO_ACCOUNT_SID"
            }
            20104 => "mint a new token; clients should fetch a fresh one before `exp`",
            20105 => {
                "the token is not valid yet: check the minting server's clock, or mint with --no-nbf"
            }
            20106 => "a grant is malformed: mint the token again with valid grant values",
            20107 => {
                "the secret does not match the API key, or the token was altered: check TWILIO_API_SECRET"
            }
            20157 => "mint with --ttl 86400 or less",
            _ => "see the Twilio error code reference",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_keep_the_two_largest_units() {
        assert_eq!(span(0), "0s");
        assert_eq!(span(59), "59s");
        assert_eq!(span(60), "1m");
        assert_eq!(span(3599), "59m 59s");
        assert_eq!(span(3600), "1h");
        assert_eq!(span(3 * 3600 + 5 * 60 + 7), "3h 5m");
        assert_eq!(span(86_400), "1d");
        assert_eq!(span(2 * 86_400 + 3600 + 59), "2d 1h");
    }

    #[test]
    fn relative_times_read_as_english() {
        assert_eq!(relative(1000 + 3540, 1000), "in 59m");
        assert_eq!(relative(1000, 1000 + 3 * 3600), "3h ago");
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(utc(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(utc(u64::MAX), "18446744073709551615 (unix)");
    }
}
