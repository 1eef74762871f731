//! The Twilio CLI token plugin's words (`twilio token:voice -o json`),
//! taken as ours or answered with ours, and other tools' habits (a
//! `Bearer` prefix) answered with a hint.

use std::ffi::OsString;

/// The plugin's commands, and ours.
const COMMANDS: [(&str, &[&str]); 7] = [
    ("token:voice", &["voice"]),
    ("token:video", &["video"]),
    ("token:chat", &["chat"]),
    ("token:sync", &["sync"]),
    ("token:flex", &["flex"]),
    ("token:capability:client", &["capability", "client"]),
    ("token:capability:worker", &["capability", "worker"]),
];

const NO_PROFILES: &str = "twilio-token has no profiles: set TWILIO_ACCOUNT_SID, TWILIO_API_KEY \
     and TWILIO_API_SECRET (or pass --account-sid, --api-key and --api-secret -)";

const NO_LOG_LEVEL: &str = "twilio-token prints only the token on stdout, and every message on \
     stderr (add 2>/dev/null to hide them)";

/// The plugin's flags that this tool does not have, and what to do
/// instead.
const NO_SUCH_FLAG: [(&str, &str); 4] = [
    ("-p", NO_PROFILES),
    ("--profile", NO_PROFILES),
    ("-l", NO_LOG_LEVEL),
    ("--silent", NO_LOG_LEVEL),
];

/// `args` with the plugin's command names and `-o json` in ours; an error
/// naming ours for a plugin flag this tool does not have, and a hint for
/// a token given as `Bearer eyJ…`.
pub fn translate(args: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let mut out = Vec::with_capacity(args.len());
    let mut args = args.into_iter().peekable();
    out.extend(args.next());
    if let Some(first) = args.peek().and_then(|arg| arg.to_str())
        && let Some((_, ours)) = COMMANDS.iter().find(|(theirs, _)| *theirs == first)
    {
        args.next();
        out.extend(ours.iter().map(OsString::from));
    }
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if text == "--" {
            out.push(arg);
            out.extend(args);
            break;
        }
        let (flag, value) = match text.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (text, None),
        };
        if let Some((_, instead)) = NO_SUCH_FLAG.iter().find(|(theirs, _)| *theirs == flag) {
            return Err(format!("{flag} is the Twilio CLI's: {instead}"));
        }
        if flag == "-o" {
            let value = value.or_else(|| args.next().and_then(|next| next.into_string().ok()));
            if value.as_deref() != Some("json") {
                return Err(
                    "-o is the Twilio CLI's: twilio-token prints the bare token, or JSON \
                            with --json"
                        .into(),
                );
            }
            out.push("--json".into());
            continue;
        }
        if text.eq_ignore_ascii_case("bearer")
            && args
                .peek()
                .and_then(|next| next.to_str())
                .is_some_and(|next| next.starts_with("eyJ"))
        {
            return Err(BEARER.into());
        }
        out.push(arg);
    }
    Ok(out)
}

/// The hint for a token given with its HTTP `Authorization` prefix.
pub const BEARER: &str = "the token is given with `Bearer `, the prefix of an HTTP Authorization \
                          header: pass the token alone, from `eyJ`";

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<OsString> {
        text.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn the_plugins_commands_and_json_output_are_ours() {
        assert_eq!(
            translate(words(
                "t token:capability:worker --workspace-sid WS -o json"
            )),
            Ok(words("t capability worker --workspace-sid WS --json"))
        );
        assert_eq!(
            translate(words("t token:voice -o=json -- -p")),
            Ok(words("t voice --json -- -p"))
        );
    }

    #[test]
    fn the_plugins_other_flags_name_what_to_do() {
        assert_eq!(
            translate(words("t token:video --profile work")),
            Err(format!("--profile is the Twilio CLI's: {NO_PROFILES}"))
        );
        assert_eq!(
            translate(words("t video -o tsv")),
            Err(
                "-o is the Twilio CLI's: twilio-token prints the bare token, or JSON with --json"
                    .into()
            )
        );
        assert_eq!(
            translate(words("t verify Bearer eyJhbGciOi")),
            Err(BEARER.into())
        );
    }
}
