//! `twilio-token validation`: a Client Validation JWT for one REST API
//! request, for `curl -H "Twilio-Client-Validation: …"`.

use base64::Engine;
use clap::{Args, ValueEnum};
use twilio_token::validation::{Algorithm, ClientValidation};
use zeroize::Zeroizing;

use crate::input::{Bounded, CredentialArgs, Failure, SECRET_LIMIT, Stdin, read_bounded};

/// What is said, and only that, when an argument holds PEM text.
pub const PEM_ARGUMENT: &str = "error: an argument holds a PEM key (`-----BEGIN …`), which is not \
    shown: pass the key file's path with --private-key, and keep the key itself out of the \
    command line (shell history, the process list)";

/// The largest key file read: a 4096-bit key's PEM is about 3.3 KB.
const KEY_FILE_LIMIT: usize = 64 * 1024;

#[derive(Args)]
pub struct ValidationArgs {
    /// The credential SID (CR…) Twilio gave the public key.
    #[arg(long, env = "TWILIO_CREDENTIAL_SID", value_name = "CR…")]
    credential_sid: String,
    /// The RSA private key's PEM file (PKCS#8 or PKCS#1, not encrypted).
    #[arg(long, value_name = "FILE")]
    private_key: std::path::PathBuf,
    /// The HTTP method, as sent.
    #[arg(long, short = 'X', default_value = "GET")]
    method: String,
    /// The request's URL (its host is signed unless -H gives a Host).
    #[arg(long, value_name = "URL")]
    url: String,
    /// A header as curl takes it, `Name: value`; repeat for more.
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The body, exactly as sent (curl's --data-raw).
    #[arg(long, short = 'd', value_name = "BODY", default_value = "")]
    data: String,
    /// A header name to sign; repeat for more (default: authorization and
    /// host, which Twilio requires).
    #[arg(long = "signed-header", value_name = "NAME")]
    signed_headers: Vec<String>,
    /// The signature algorithm.
    #[arg(long, value_enum, default_value = "rs256")]
    algorithm: AlgorithmArg,
    /// The account SID and API key SID; the API key's secret, when no -H
    /// 'Authorization: …' is given, signs the header curl sends for
    /// `-u "$TWILIO_API_KEY:$TWILIO_API_SECRET"`.
    #[command(flatten)]
    credentials: CredentialArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum AlgorithmArg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (twilio-python's).
    Rs256,
    /// RSASSA-PSS with SHA-256.
    Ps256,
}

/// The parts of a URL a token signs: host, path, query (the fragment is
/// not sent).
fn split_url(url: &str) -> Result<(&str, &str, &str), Failure> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            Failure::Usage(
                "--url must start with https:// (or http://), such as \
                 https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json"
                    .into(),
            )
        })?;
    let rest = rest.split('#').next().unwrap_or_default();
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, rest) = rest.split_at(host_end);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Ok((host, path, query))
}

/// The key file, read into a buffer wiped on drop. The path is named in
/// errors only when it does not look like a key pasted in its place.
fn read_key(path: &std::path::Path) -> Result<Zeroizing<String>, Failure> {
    let shown = path.to_string_lossy();
    if shown.contains("-----") || shown.contains('\n') || shown.len() > 512 {
        return Err(Failure::Usage(
            "--private-key takes the key file's path, not the key itself: save the key in a \
             file readable only by you and pass its path"
                .into(),
        ));
    }
    let cannot = |error: std::io::Error| {
        Failure::Usage(format!("cannot read the private key file {shown}: {error}"))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    match read_bounded(file, KEY_FILE_LIMIT).map_err(cannot)? {
        Bounded::Text(key) => Ok(key),
        Bounded::TooLong => Err(Failure::Usage(format!(
            "the private key file {shown} is over {KEY_FILE_LIMIT} bytes, longer than any RSA key's PEM: check the path"
        ))),
        Bounded::NotUtf8 => Err(Failure::Usage(format!(
            "the private key file {shown} is not PEM text (DER?): convert it with `openssl pkey -in {shown} -out key.pem`"
        ))),
    }
}

impl ValidationArgs {
    /// The token.
    pub fn jwt(self, stdin: &mut Stdin) -> Result<String, Failure> {
        let account_sid = self.credentials.account_sid().ok_or_else(|| {
            Failure::Usage(
                "no account SID: set TWILIO_ACCOUNT_SID or pass --account-sid AC…".into(),
            )
        })?;
        let api_key = self.credentials.api_key_sid().ok_or_else(|| {
            Failure::Usage("no API key SID: set TWILIO_API_KEY or pass --api-key SK…".into())
        })?;
        let key = read_key(&self.private_key)?;
        let algorithm = match self.algorithm {
            AlgorithmArg::Rs256 => Algorithm::Rs256,
            AlgorithmArg::Ps256 => Algorithm::Ps256,
        };
        let signer = ClientValidation::new(account_sid, api_key, &self.credential_sid, &key)
            .map_err(|error| Failure::Usage(error.to_string()))?
            .algorithm(algorithm);
        drop(key);
        let (host, path, query) = split_url(&self.url)?;
        // curl sends `/` for a URL without a path.
        let path = if path.is_empty() { "/" } else { path };
        let basic;
        let mut request = signer
            .request(&self.method, path)
            .query(query)
            .body(self.data.as_bytes());
        let (mut has_host, mut has_authorization) = (false, false);
        for header in &self.headers {
            let Some((name, value)) = header.split_once(':') else {
                return Err(Failure::Usage(
                    "-H takes `Name: value`, as curl does, such as -H 'Content-Type: application/x-www-form-urlencoded'".into(),
                ));
            };
            has_host |= name.eq_ignore_ascii_case("host");
            has_authorization |= name.eq_ignore_ascii_case("authorization");
            request = request.header(name, value.trim_start_matches([' ', '\t']));
        }
        if !has_host {
            request = request.header("host", host);
        }
        if !has_authorization {
            let secret = match self.credentials.api_secret() {
                Some("-") => Some(stdin.read("API key secret", SECRET_LIMIT)?),
                Some(secret) => Some(Zeroizing::new(secret.to_owned())),
                None => None,
            };
            match secret {
                Some(secret) => {
                    let pair = Zeroizing::new(format!("{api_key}:{}", secret.as_str()));
                    basic = Zeroizing::new(format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(pair.as_bytes())
                    ));
                    request = request.header("authorization", basic.as_str());
                }
                None => eprintln!(
                    "warning: no Authorization header to sign: Twilio requires it; pass -H 'Authorization: …' or set TWILIO_API_SECRET (signed as curl -u \"$TWILIO_API_KEY:$TWILIO_API_SECRET\" sends it)"
                ),
            }
        }
        if !self.signed_headers.is_empty() {
            // Lower-cased, as Twilio names them in `hrh`.
            let names = self
                .signed_headers
                .iter()
                .map(|name| name.to_ascii_lowercase());
            request = request.signed_headers(names.collect::<Vec<_>>());
        }
        request
            .sign()
            .map_err(|error| Failure::Usage(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn a_url_gives_its_host_path_and_query() {
        let parts = |url| split_url(url).ok();
        assert_eq!(
            parts("https://api.twilio.com/2010-04-01/Accounts.json?PageSize=20#top"),
            Some(("api.twilio.com", "/2010-04-01/Accounts.json", "PageSize=20"))
        );
        assert_eq!(
            parts("https://api.twilio.com"),
            Some(("api.twilio.com", "", ""))
        );
        assert_eq!(
            parts("http://localhost:8080?a=1"),
            Some(("localhost:8080", "", "a=1"))
        );
        assert_eq!(parts("api.twilio.com/x"), None);
    }
}
