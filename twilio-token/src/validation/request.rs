//! The request a Client Validation JWT signs, and its canonical form: the
//! text whose SHA-256 is the token's `rqh`, as twilio-python writes it.

use std::fmt;
use std::time::SystemTime;

use ring::digest;

use super::{ClientValidation, ValidationError};

/// The headers twilio-python's `ValidationClient` signs, and this library
/// by default.
///
/// ```
/// use twilio_token::validation::{DEFAULT_SIGNED_HEADERS, Request};
/// assert_eq!(Request::new("GET", "/").signed_header_names(), DEFAULT_SIGNED_HEADERS.join(";"));
/// ```
pub const DEFAULT_SIGNED_HEADERS: [&str; 2] = ["authorization", "host"];

/// A request's parts as a Client Validation JWT signs them: method, path,
/// query string, headers, the names of the signed headers, body.
///
/// Made by [`ClientValidation::request`] to sign (`S` is the signer), or
/// by [`Request::new`] to [verify](super::ValidationVerifier::verify) a
/// token against (`S` is [`Unsigned`]). The setters are the same for
/// both.
///
/// ```
/// use twilio_token::validation::Request;
///
/// let request = Request::new("POST", "/2010-04-01/Accounts/AC00000000000000000000000000000000")
///     .header("Host", "api.twilio.com")
///     .header("Authorization", "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDpmb29iYXI=")
///     .body(b"FriendlyName=my new friendly name");
/// assert_eq!(
///     request.request_hash()?,
///     "245eece1e638d9b0081ca0621183cd417fc97a1818bd822aa26697f9aa70c792"
/// );
/// # Ok::<(), twilio_token::validation::ValidationError>(())
/// ```
#[derive(Clone)]
#[must_use = "a request does nothing until it is signed or verified"]
pub struct Request<'a, S = Unsigned> {
    pub(super) signer: S,
    method: &'a str,
    path: &'a str,
    query: &'a str,
    /// Each header once, its name lower-cased, with its values in the order
    /// given.
    headers: Vec<(String, Vec<&'a str>)>,
    /// The signed header names, sorted; `None`: the default.
    signed: Option<Vec<String>>,
    body: &'a [u8],
    pub(super) issued_at: Option<SystemTime>,
}

/// The parts, with each header's values counted, not shown: an
/// `Authorization` header holds a credential.
///
/// ```
/// use twilio_token::validation::Request;
/// let request = Request::new("GET", "/").header("Authorization", "Basic U0s6c2VjcmV0");
/// assert!(!format!("{request:?}").contains("U0s6"));
/// ```
impl<S: fmt::Debug> fmt::Debug for Request<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, usize)> = self
            .headers
            .iter()
            .map(|(name, values)| (name.as_str(), values.len()))
            .collect();
        f.debug_struct("Request")
            .field("signer", &self.signer)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers (name, values)", &headers)
            .field("signed_headers", &self.signed_header_names())
            .field("body_len", &self.body.len())
            .field("issued_at", &self.issued_at)
            .finish()
    }
}

/// The state of a [`Request`] made to verify a token against: it has no
/// signer.
///
/// ```
/// use twilio_token::validation::{Request, Unsigned};
/// let request: Request<'_, Unsigned> = Request::new("GET", "/v1/Services");
/// # drop(request);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Unsigned;

impl<'a> Request<'a, Unsigned> {
    /// A request with this method and path (percent-encoded as sent,
    /// without the query string), no query, no header and an empty body.
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// let request = Request::new("GET", "/2010-04-01/Accounts.json");
    /// assert!(request.canonical_request()?.starts_with("GET\n/2010-04-01/Accounts.json\n"));
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn new(method: &'a str, path: &'a str) -> Self {
        Request::with_signer(Unsigned, method, path)
    }
}

impl<'a, S> Request<'a, S> {
    pub(super) fn with_signer(signer: S, method: &'a str, path: &'a str) -> Self {
        Request {
            signer,
            method,
            path,
            query: "",
            headers: Vec::new(),
            signed: None,
            body: &[],
            issued_at: None,
        }
    }

    /// The query string as sent, without the `?`. Its `&`-separated parts
    /// are sorted for the hash; empty parts count.
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// let request = Request::new("GET", "/").query("b=2&a=1&&");
    /// assert_eq!(request.canonical_request()?, "GET\n/\n&&a=1&b=2\n\nauthorization;host\n");
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn query(mut self, query: &'a str) -> Self {
        self.query = query;
        self
    }

    /// A header as sent. Names are compared without regard to case, as in
    /// HTTP; a name given again adds a value, and a signed header's values
    /// are sorted and joined with `,`.
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// let request = Request::new("GET", "/")
    ///     .header("X-Twilio-Custom", "b")
    ///     .header("x-twilio-custom", "a")
    ///     .signed_headers(["x-twilio-custom"]);
    /// assert_eq!(request.canonical_request()?, "GET\n/\n\nx-twilio-custom:a,b\n\nx-twilio-custom\n");
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn header(mut self, name: &str, value: &'a str) -> Self {
        let lower = name.to_ascii_lowercase();
        match self.headers.iter_mut().find(|(known, _)| *known == lower) {
            Some((_, values)) => values.push(value),
            None => self.headers.push((lower, vec![value])),
        }
        self
    }

    /// The names of the headers to sign, lower-case as Twilio names them
    /// in `hrh`; they are sorted, and a header not in the request is named
    /// in `hrh` but adds no line. As in twilio-python, a name is compared
    /// with the request's lower-cased header names as given, so one with
    /// upper-case letters signs no header. Default:
    /// [`DEFAULT_SIGNED_HEADERS`], `authorization` and `host`, which Twilio
    /// requires.
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// let request = Request::new("GET", "/")
    ///     .header("Host", "api.twilio.com")
    ///     .signed_headers(["host", "content-type"]);
    /// assert_eq!(request.signed_header_names(), "content-type;host");
    /// assert_eq!(request.canonical_request()?, "GET\n/\n\nhost:api.twilio.com\n\ncontent-type;host\n");
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn signed_headers<I>(mut self, names: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut names: Vec<String> = names
            .into_iter()
            .map(|name| name.as_ref().to_owned())
            .collect();
        names.sort_unstable();
        self.signed = Some(names);
        self
    }

    /// The body, exactly the bytes sent (empty by default).
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// let request = Request::new("POST", "/").body(b"   ");
    /// assert!(request.canonical_request()?.ends_with(
    ///     "\n0aad7da77d2ed59c396c99a74e49f3a4524dcdbcb5163251b1433d640247aeb4"
    /// ));
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The token's `hrh`: the signed header names, sorted, joined with `;`.
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// assert_eq!(Request::new("GET", "/").signed_header_names(), "authorization;host");
    /// ```
    pub fn signed_header_names(&self) -> String {
        match &self.signed {
            Some(names) => names.join(";"),
            None => DEFAULT_SIGNED_HEADERS.join(";"),
        }
    }

    /// Refuses a signed header name that is not an HTTP token (a `;` in
    /// one would change what `hrh` names).
    pub(super) fn check_signed_names(&self) -> Result<(), ValidationError> {
        match self.signed.iter().flatten().find(|name| !is_token(name)) {
            Some(name) => Err(ValidationError::InvalidHeaderName { name: name.clone() }),
            None => Ok(()),
        }
    }

    /// The canonical request: the text whose SHA-256 is the token's `rqh`.
    /// Lines joined by `\n`: the method, the path, the sorted query; the
    /// signed headers present, as `name:value`; an empty line; the signed
    /// header names; the body's hex SHA-256 (empty for an empty body).
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// let request = Request::new("DELETE", "/v1/Services/IS0").header("Host", "conversations.twilio.com");
    /// assert_eq!(
    ///     request.canonical_request()?,
    ///     "DELETE\n/v1/Services/IS0\n\nhost:conversations.twilio.com\n\nauthorization;host\n"
    /// );
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn canonical_request(&self) -> Result<String, ValidationError> {
        let mut text = Vec::new();
        self.write_canonical(&self.signed_header_names(), &mut |part| {
            text.extend_from_slice(part)
        })?;
        Ok(String::from_utf8_lossy(&text).into_owned())
    }

    /// The token's `rqh`: the hex SHA-256 of the
    /// [canonical request](Self::canonical_request).
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// assert_eq!(Request::new("GET", "/").request_hash()?.len(), 64);
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn request_hash(&self) -> Result<String, ValidationError> {
        self.hash_with(&self.signed_header_names())
    }

    /// The hex SHA-256 of the canonical request with `hrh` as the signed
    /// header names (the verifier takes them from the token).
    pub(super) fn hash_with(&self, hrh: &str) -> Result<String, ValidationError> {
        let mut context = digest::Context::new(&digest::SHA256);
        self.write_canonical(hrh, &mut |part| context.update(part))?;
        Ok(hex(context.finish().as_ref()))
    }

    /// Writes the canonical request, signing the headers `hrh` names, part
    /// by part; refuses a method, header name or value that HTTP would not
    /// send.
    fn write_canonical(
        &self,
        hrh: &str,
        out: &mut dyn FnMut(&[u8]),
    ) -> Result<(), ValidationError> {
        if !is_token(self.method) {
            return Err(ValidationError::InvalidMethod {
                len: self.method.chars().count(),
            });
        }
        for (name, values) in &self.headers {
            if !is_token(name) {
                return Err(ValidationError::InvalidHeaderName { name: name.clone() });
            }
            if values
                .iter()
                .any(|value| value.contains(['\r', '\n', '\0']))
            {
                return Err(ValidationError::InvalidHeaderValue { name: name.clone() });
            }
        }
        out(self.method.as_bytes());
        out(b"\n");
        out(self.path.as_bytes());
        out(b"\n");
        let mut parts: Vec<&str> = self.query.split('&').collect();
        parts.sort_unstable();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out(b"&");
            }
            out(part.as_bytes());
        }
        out(b"\n");
        let mut values = Vec::new();
        for name in hrh.split(';') {
            let Some((_, given)) = self.headers.iter().find(|(known, _)| known == name) else {
                continue;
            };
            values.clone_from(given);
            values.sort_unstable();
            out(name.as_bytes());
            out(b":");
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out(b",");
                }
                out(value.as_bytes());
            }
            out(b"\n");
        }
        out(b"\n");
        out(hrh.as_bytes());
        out(b"\n");
        if !self.body.is_empty() {
            out(hex(digest::digest(&digest::SHA256, self.body).as_ref()).as_bytes());
        }
        Ok(())
    }
}

impl<'a> Request<'a, &'a ClientValidation> {
    /// The issue time (default: now); the token expires 300 seconds later,
    /// as twilio-python's do.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// # let signer = twilio_token::validation::ClientValidation::new(
    /// #     "AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210",
    /// #     "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// let jwt = signer
    ///     .request("GET", "/v1/Services")
    ///     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
    ///     .sign()?;
    /// # drop(jwt);
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn issued_at(mut self, time: SystemTime) -> Self {
        self.issued_at = Some(time);
        self
    }

    /// The Client Validation JWT for this request, for the
    /// `Twilio-Client-Validation` header.
    ///
    /// ```
    /// # let signer = twilio_token::validation::ClientValidation::new(
    /// #     "AC0123456789abcdef0123456789abcdef", "SKfedcba9876543210fedcba9876543210",
    /// #     "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// let jwt = signer.request("GET", "/v1/Services").header("Host", "conversations.twilio.com").sign()?;
    /// assert!(jwt.starts_with("eyJhbGciOiJSUzI1NiIs"));
    /// # Ok::<(), twilio_token::validation::ValidationError>(())
    /// ```
    pub fn sign(&self) -> Result<String, ValidationError> {
        self.signer.sign_request(self)
    }
}

/// An HTTP token (RFC 9110): a method or a header name.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    text
}
