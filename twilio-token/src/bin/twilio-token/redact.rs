//! Messages never show a secret: a value with a secret's shape (a run of
//! 20 or more letters and digits, an Auth Token), or the value of a
//! credential variable or flag, is described by its kind and length.

use std::ffi::OsString;

use zeroize::Zeroizing;

/// The credential variables and their flags, whose values are never shown.
const CREDENTIALS: [(&str, &str); 4] = [
    ("TWILIO_API_SECRET", "--api-secret"),
    ("TWILIO_AUTH_TOKEN", "--auth-token"),
    ("TWILIO_API_KEY", "--api-key"),
    ("TWILIO_ACCOUNT_SID", "--account-sid"),
];

/// A value shorter than this is not looked for inside other text: a
/// one-letter "secret" would blank out every word with that letter.
const MIN_SEARCHED: usize = 8;

/// The values of the credential variables and flags, where they came
/// from, wiped when dropped.
pub struct Credentials(Vec<(String, Zeroizing<String>)>);

impl Credentials {
    /// The credentials in the environment and in `args` (the command line).
    pub fn find(args: &[OsString]) -> Self {
        let mut found = Vec::new();
        for (variable, flag) in CREDENTIALS {
            // Wiped whatever it holds, UTF-8 or not.
            let value =
                std::env::var_os(variable).map(|value| Zeroizing::new(value.into_encoded_bytes()));
            if let Some(value) = value
                .as_deref()
                .and_then(|value| std::str::from_utf8(value).ok())
            {
                found.push((variable.to_owned(), Zeroizing::new(value.to_owned())));
            }
            for (at, arg) in args.iter().enumerate() {
                let Some(arg) = arg.to_str() else { continue };
                let value = match arg.strip_prefix(flag) {
                    Some("") => args.get(at + 1).and_then(|next| next.to_str()),
                    Some(rest) => rest.strip_prefix('='),
                    None => None,
                };
                if let Some(value) = value.filter(|value| *value != "-") {
                    found.push((flag.to_owned(), Zeroizing::new(value.to_owned())));
                }
            }
        }
        found.retain(|(_, value)| !value.is_empty());
        Credentials(found)
    }

    /// Where `text` came from, if it is or holds a credential's value.
    fn source(&self, text: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(_, value)| {
                text == value.as_str()
                    || (value.chars().count() >= MIN_SEARCHED && text.contains(value.as_str()))
            })
            .map(|(source, _)| source.as_str())
    }

    /// `text` with every credential's value, and every run of 20 or more
    /// letters and digits (as in `the time to live is 12345678901234567890
    /// s`), described, never shown.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (source, value) in &self.0 {
            if value.chars().count() >= MIN_SEARCHED {
                text = text.replace(value.as_str(), &hidden(&kind_of(source), value));
            }
        }
        redact_runs(&text)
    }

    /// A clap error as clap wrote it, with every quoted value that has a
    /// secret's shape or holds a credential described instead; the `tip:`
    /// lines that would repeat such a value are left out.
    pub fn redact_clap(&self, text: &str) -> String {
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let (redacted, hid) = self.redact_quoted(line);
            if !(hid && line.trim_start().starts_with("tip:")) {
                out.push_str(&redacted);
            }
        }
        // Unquoted, as in `12345678901234567890 is not in 0..=300`.
        self.redact(&out)
    }

    /// `line` with each `'…'` that may be a secret described; whether one
    /// was. A quoted value ends at a quote before a space, a colon, a
    /// comma or the end of the line: the value may hold a quote itself.
    fn redact_quoted(&self, line: &str) -> (String, bool) {
        let mut out = String::new();
        let mut hid = false;
        let mut rest = line;
        while let Some(open) = rest.find('\'') {
            let after = &rest[open + 1..];
            let ends = |at: usize| {
                after[at + 1..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || matches!(c, ':' | ','))
            };
            let Some(len) = after
                .match_indices('\'')
                .map(|(at, _)| at)
                .find(|&at| ends(at))
            else {
                break;
            };
            out.push_str(&rest[..open]);
            match self.describe(&after[..len]) {
                Some(description) => {
                    out.push_str(&description);
                    hid = true;
                }
                None => out.push_str(&rest[open..open + len + 2]),
            }
            rest = &after[len + 1..];
        }
        out.push_str(rest);
        (out, hid)
    }

    /// How to speak of `value` without showing it, if it may be a secret.
    fn describe(&self, value: &str) -> Option<String> {
        match self.source(value) {
            Some(source) => Some(hidden(&kind_of(source), value)),
            None => secret_shaped(value).map(|kind| hidden(kind, value)),
        }
    }
}

fn kind_of(source: &str) -> String {
    format!("the value of {source}")
}

/// `value` in backquotes and escaped, or described when it has a
/// secret's shape.
pub fn show(value: &str) -> String {
    match secret_shaped(value) {
        Some(kind) => hidden(kind, value),
        None => format!("`{}`", twilio_token::Escaped(value)),
    }
}

/// The shape of a secret `value` has, if any.
fn secret_shaped(value: &str) -> Option<&'static str> {
    let auth_token = value.len() == 32
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if auth_token {
        Some("an Auth Token's shape")
    } else if longest_run(value) >= 20 {
        Some("a secret's shape")
    } else {
        None
    }
}

/// The longest run of letters and digits in `text`.
fn longest_run(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .map(|run| run.chars().count())
        .max()
        .unwrap_or(0)
}

/// `[not shown: 32 characters, an Auth Token's shape]`.
fn hidden(kind: &str, value: &str) -> String {
    format!("[not shown: {} characters, {kind}]", value.chars().count())
}

/// Each run of 20 or more letters and digits in `text` described.
fn redact_runs(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            run.push(c);
            continue;
        }
        flush(&mut out, &mut run);
        out.push(c);
    }
    flush(&mut out, &mut run);
    out
}

fn flush(out: &mut String, run: &mut String) {
    if run.chars().count() >= 20 {
        out.push_str(&hidden("a secret's shape", run));
    } else {
        out.push_str(run);
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Credentials {
        Credentials(Vec::new())
    }

    #[test]
    fn quoted_values_with_a_secrets_shape_are_described() {
        let text = "error: unexpected argument 'Xy7aBcDeFgHiJkLmNoPqRsTuVwXyZ012' found\n\n  \
                    tip: to pass 'Xy7aBcDeFgHiJkLmNoPqRsTuVwXyZ012' as a value, use '-- Xy7a'\n\n\
                    Usage: twilio-token video\n";
        assert_eq!(
            none().redact_clap(text),
            "error: unexpected argument [not shown: 32 characters, a secret's shape] found\n\n\n\
             Usage: twilio-token video\n"
        );
        assert_eq!(
            none().redact_clap(
                "error: invalid value '0123456789abcdef0123456789abcdef' for '<SHELL>'\n"
            ),
            "error: invalid value [not shown: 32 characters, an Auth Token's shape] for '<SHELL>'\n"
        );
        assert_eq!(
            none().redact_clap("error: invalid value 'abc' for '--ttl <SECONDS>': invalid digit\n"),
            "error: invalid value 'abc' for '--ttl <SECONDS>': invalid digit\n"
        );
    }

    #[test]
    fn a_credentials_value_is_described_wherever_it_is() {
        let credentials = Credentials(vec![(
            "TWILIO_API_SECRET".into(),
            Zeroizing::new("your-api-key-secret".into()),
        )]);
        assert_eq!(
            credentials.redact_clap("error: unexpected argument 'your-api-key-secret' found\n"),
            "error: unexpected argument [not shown: 19 characters, the value of TWILIO_API_SECRET] found\n"
        );
        assert_eq!(
            credentials.redact("`your-api-key-secret` is not KEY=VALUE"),
            "`[not shown: 19 characters, the value of TWILIO_API_SECRET]` is not KEY=VALUE"
        );
        assert_eq!(show("to\n"), "`to\\n`");
        assert_eq!(
            show("0123456789abcdef0123456789abcdef"),
            "[not shown: 32 characters, an Auth Token's shape]"
        );
    }

    #[test]
    fn unquoted_runs_are_described() {
        assert_eq!(
            redact_runs("12345678901234567890 is not in 0..=300"),
            "[not shown: 20 characters, a secret's shape] is not in 0..=300"
        );
        assert_eq!(
            redact_runs("--allow-event-stream TWILIO_ACCOUNT_SID"),
            "--allow-event-stream TWILIO_ACCOUNT_SID"
        );
    }
}
