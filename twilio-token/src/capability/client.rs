//! Twilio Client (JS 1.x) capability tokens: twilio-python's
//! `ClientCapabilityToken`, a `scope` claim of space-separated scope URIs.

use std::fmt;

use super::CapabilityBuilder;
use crate::builder::{HasAccountSid, HasAuthToken};
use crate::json::write_str;
use crate::sid::SidDebug;
use crate::{Error, SidKind};

/// No parameters, for [`allow_outgoing`](CapabilityBuilder::allow_outgoing)
/// and [`allow_event_stream`](CapabilityBuilder::allow_event_stream).
///
/// ```
/// use twilio_token::capability::{ClientCapability, NO_PARAMS};
/// let builder = ClientCapability::builder().allow_event_stream(NO_PARAMS);
/// # drop(builder);
/// ```
pub const NO_PARAMS: [(&str, &str); 0] = [];

/// A Twilio Client capability token; [`ClientCapability::builder`] mints
/// one.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use twilio_token::capability::{ClientCapability, NO_PARAMS};
///
/// let jwt = ClientCapability::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .allow_outgoing("AP11111111111111111111111111111111", NO_PARAMS)
///     .issued_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
///     .sign()?;
/// // twilio-python 9.13 mints the very same token (conformance case `client_outgoing`).
/// assert!(jwt.ends_with(".R1BXA9ZWUtUMB4aJNSblh4gS7Y9IdgmGzYRN45dcdOg"));
/// # Ok::<(), twilio_token::Error>(())
/// ```
#[derive(Debug)]
pub struct ClientCapability {
    _private: (),
}

impl ClientCapability {
    /// Starts a token with no scope. Set the account SID and the Auth
    /// Token (in any order), allow what the client may do, then
    /// [`sign`](CapabilityBuilder::sign).
    ///
    /// ```
    /// let jwt = twilio_token::capability::ClientCapability::builder()
    ///     .auth_token("0123456789abcdef0123456789abcdef")
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .allow_incoming("alice")
    ///     .sign()?;
    /// assert!(jwt.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
    /// # Ok::<(), twilio_token::Error>(())
    /// ```
    pub fn builder() -> CapabilityBuilder<ClientScopes> {
        CapabilityBuilder::new(ClientScopes::default())
    }
}

/// The scopes of a Twilio Client token being built: the kind of a
/// [`CapabilityBuilder`] from [`ClientCapability::builder`].
///
/// ```
/// let builder: twilio_token::capability::CapabilityBuilder<twilio_token::capability::ClientScopes> =
///     twilio_token::capability::ClientCapability::builder();
/// # drop(builder);
/// ```
#[derive(Default)]
pub struct ClientScopes {
    outgoing: Option<(String, Vec<(String, String)>)>,
    incoming: Option<String>,
    events: Option<Vec<(String, String)>>,
}

/// The application SID when it has an `AP…` SID's shape, else its length:
/// a value in the wrong place may be a secret.
impl fmt::Debug for ClientScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outgoing = self
            .outgoing
            .as_ref()
            .map(|(sid, params)| (SidDebug(sid, "AP"), params));
        f.debug_struct("ClientScopes")
            .field("outgoing", &outgoing)
            .field("incoming", &self.incoming)
            .field("events", &self.events)
            .finish()
    }
}

fn pairs<K: Into<String>, V: Into<String>>(
    params: impl IntoIterator<Item = (K, V)>,
) -> Vec<(String, String)> {
    params
        .into_iter()
        .map(|(key, value)| (key.into(), value.into()))
        .collect()
}

impl<A, T> CapabilityBuilder<ClientScopes, A, T> {
    /// Allows outgoing calls through the TwiML app `application_sid`
    /// (`AP…`), passing it `params` in order (pairs of strings;
    /// [`NO_PARAMS`] for none). twilio-python's `allow_client_outgoing`;
    /// a second call replaces the first.
    ///
    /// ```
    /// let builder = twilio_token::capability::ClientCapability::builder()
    ///     .allow_outgoing("AP11111111111111111111111111111111", [("to", "+15005550006")]);
    /// # drop(builder);
    /// ```
    pub fn allow_outgoing<K: Into<String>, V: Into<String>>(
        mut self,
        application_sid: impl Into<String>,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.kind.outgoing = Some((application_sid.into(), pairs(params)));
        self
    }

    /// Allows incoming calls to `client_name`, which the outgoing scope
    /// then names too. twilio-python's `allow_client_incoming`.
    ///
    /// ```
    /// let builder = twilio_token::capability::ClientCapability::builder().allow_incoming("alice");
    /// # drop(builder);
    /// ```
    pub fn allow_incoming(mut self, client_name: impl Into<String>) -> Self {
        self.kind.incoming = Some(client_name.into());
        self
    }

    /// Allows subscribing to the account's event stream, with `params` in
    /// order ([`NO_PARAMS`] for none). twilio-python's
    /// `allow_event_stream`.
    ///
    /// ```
    /// let builder = twilio_token::capability::ClientCapability::builder()
    ///     .allow_event_stream([("filter", "calls")]);
    /// # drop(builder);
    /// ```
    pub fn allow_event_stream<K: Into<String>, V: Into<String>>(
        mut self,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.kind.events = Some(pairs(params));
        self
    }
}

impl<A, T> CapabilityBuilder<ClientScopes, A, T> {
    // The bounds are on `sign` itself, so the compiler names the missing
    // input (E0277 with the traits' messages).
    /// Checks the inputs and signs the token.
    ///
    /// # Errors
    ///
    /// [`Error`] when the account SID, the Auth Token, the application SID
    /// or the times are invalid, the client name is empty, or a parameter
    /// has no name.
    ///
    /// ```
    /// use twilio_token::{Error, capability::ClientCapability};
    /// let err = ClientCapability::builder()
    ///     .account_sid("AC0123456789abcdef0123456789abcdef")
    ///     .auth_token("0123456789abcdef0123456789abcdef")
    ///     .allow_incoming("")
    ///     .sign()
    ///     .unwrap_err();
    /// assert_eq!(err, Error::EmptyClientName);
    /// ```
    pub fn sign(self) -> Result<String, Error>
    where
        A: HasAccountSid<'static>,
        T: HasAuthToken,
    {
        self.sign_with(|scopes, _, out| {
            let scope = scopes.scope()?;
            out.extend_from_slice(b"\"scope\":");
            write_str(out, &scope);
            Ok(())
        })
    }
}

impl ClientScopes {
    /// The `scope` claim: the scope URIs in twilio-python's order
    /// (outgoing, incoming, event stream), each with its parameters sorted
    /// by name and URL-encoded as `urllib.parse.urlencode` does.
    fn scope(&self) -> Result<String, Error> {
        let mut scopes = Vec::new();
        if let Some((application_sid, params)) = &self.outgoing {
            SidKind::Application.check(application_sid)?;
            let mut scope = Scope::new("client", "outgoing");
            if !params.is_empty() {
                scope.push("appParams", &urlencode(params, "outgoing")?);
            }
            scope.push("appSid", application_sid);
            if let Some(client_name) = &self.incoming {
                scope.push("clientName", client_name);
            }
            scopes.push(scope);
        }
        if let Some(client_name) = &self.incoming {
            if client_name.is_empty() {
                return Err(Error::EmptyClientName);
            }
            let mut scope = Scope::new("client", "incoming");
            scope.push("clientName", client_name);
            scopes.push(scope);
        }
        if let Some(params) = &self.events {
            let mut scope = Scope::new("stream", "subscribe");
            if !params.is_empty() {
                scope.push("params", &urlencode(params, "event stream")?);
            }
            scope.push("path", "/2010-04-01/Events");
            scopes.push(scope);
        }
        let uris: Vec<String> = scopes.iter().map(Scope::to_string).collect();
        Ok(uris.join(" "))
    }
}

/// One scope URI of a Twilio Client token, such as
/// `scope:client:incoming?clientName=alice`: what
/// [`CapabilityClaims`](super::CapabilityClaims) gives for a verified
/// token, its parameters decoded. `to_string()` gives the URI back.
///
/// ```
/// use twilio_token::{capability::{Capabilities, ClientCapability}, unverified};
/// let jwt = ClientCapability::builder()
///     .account_sid("AC0123456789abcdef0123456789abcdef")
///     .auth_token("0123456789abcdef0123456789abcdef")
///     .allow_outgoing("AP11111111111111111111111111111111", [("to", "+1 555")])
///     .sign()?;
/// let claims = unverified::capability(&jwt)?;
/// let Capabilities::Client { scopes } = claims.capabilities() else { unreachable!() };
/// assert_eq!((scopes[0].service(), scopes[0].privilege()), ("client", "outgoing"));
/// assert_eq!(scopes[0].param("appSid"), Some("AP11111111111111111111111111111111"));
/// assert_eq!(scopes[0].nested_params("appParams"), Some(vec![("to".into(), "+1 555".into())]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    service: String,
    privilege: String,
    params: Vec<(String, String)>,
}

impl Scope {
    fn new(service: &str, privilege: &str) -> Self {
        Scope {
            service: service.into(),
            privilege: privilege.into(),
            params: Vec::new(),
        }
    }

    fn push(&mut self, name: &str, value: &str) {
        self.params.push((name.into(), value.into()));
    }

    /// Reads a scope URI; `None` when it is not `scope:<service>:<privilege>`
    /// with an optional URL-encoded query.
    pub(super) fn parse(uri: &str) -> Option<Scope> {
        let rest = uri.strip_prefix("scope:")?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (service, privilege) = path.split_once(':')?;
        if service.is_empty() || privilege.is_empty() || privilege.contains(':') {
            return None;
        }
        Some(Scope {
            service: service.into(),
            privilege: privilege.into(),
            params: parse_query(query)?,
        })
    }

    /// The service: `client` or `stream`.
    ///
    /// ```
    /// # use twilio_token::{capability::{Capabilities, ClientCapability}, unverified};
    /// # let jwt = ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").allow_incoming("alice").sign()?;
    /// # let claims = unverified::capability(&jwt)?;
    /// # let Capabilities::Client { scopes } = claims.capabilities() else { unreachable!() };
    /// assert_eq!(scopes[0].service(), "client");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The privilege: `outgoing`, `incoming` or `subscribe`.
    ///
    /// ```
    /// # use twilio_token::{capability::{Capabilities, ClientCapability}, unverified};
    /// # let jwt = ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").allow_incoming("alice").sign()?;
    /// # let claims = unverified::capability(&jwt)?;
    /// # let Capabilities::Client { scopes } = claims.capabilities() else { unreachable!() };
    /// assert_eq!(scopes[0].privilege(), "incoming");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn privilege(&self) -> &str {
        &self.privilege
    }

    /// The parameters, decoded, in the URI's order (sorted by name).
    ///
    /// ```
    /// # use twilio_token::{capability::{Capabilities, ClientCapability}, unverified};
    /// # let jwt = ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").allow_incoming("bob smith").sign()?;
    /// # let claims = unverified::capability(&jwt)?;
    /// # let Capabilities::Client { scopes } = claims.capabilities() else { unreachable!() };
    /// assert_eq!(scopes[0].params(), [("clientName".to_owned(), "bob smith".to_owned())]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The decoded value of the parameter `name`.
    ///
    /// ```
    /// # use twilio_token::{capability::{Capabilities, ClientCapability}, unverified};
    /// # let jwt = ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").allow_incoming("alice").sign()?;
    /// # let claims = unverified::capability(&jwt)?;
    /// # let Capabilities::Client { scopes } = claims.capabilities() else { unreachable!() };
    /// assert_eq!(scopes[0].param("clientName"), Some("alice"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The parameter `name` read as a query string in its own right: the
    /// outgoing scope's `appParams` and the event stream's `params`, which
    /// are encoded twice. `None` when it is absent or not a query.
    ///
    /// ```
    /// # use twilio_token::{capability::{Capabilities, ClientCapability}, unverified};
    /// # let jwt = ClientCapability::builder().account_sid("AC0123456789abcdef0123456789abcdef")
    /// #     .auth_token("0123456789abcdef0123456789abcdef").allow_event_stream([("a", "1 & 2")]).sign()?;
    /// # let claims = unverified::capability(&jwt)?;
    /// # let Capabilities::Client { scopes } = claims.capabilities() else { unreachable!() };
    /// assert_eq!(scopes[0].nested_params("params"), Some(vec![("a".into(), "1 & 2".into())]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn nested_params(&self, name: &str) -> Option<Vec<(String, String)>> {
        parse_query(self.param(name)?)
    }
}

impl fmt::Display for Scope {
    /// The scope URI, its parameters URL-encoded.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "scope:{}:{}", self.service, self.privilege)?;
        for (index, (name, value)) in self.params.iter().enumerate() {
            f.write_str(if index == 0 { "?" } else { "&" })?;
            f.write_str(&quote_plus(name))?;
            f.write_str("=")?;
            f.write_str(&quote_plus(value))?;
        }
        Ok(())
    }
}

/// `params` as `urllib.parse.urlencode` writes them, in order; a
/// parameter without a name is refused.
fn urlencode(params: &[(String, String)], scope: &'static str) -> Result<String, Error> {
    let mut out = String::new();
    for (index, (name, value)) in params.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::EmptyParamName { scope });
        }
        if index > 0 {
            out.push('&');
        }
        out.push_str(&quote_plus(name));
        out.push('=');
        out.push_str(&quote_plus(value));
    }
    Ok(out)
}

/// Python's `urllib.parse.quote_plus`: letters, digits and `_.-~` as they
/// are, a space as `+`, every other UTF-8 byte as `%XX`.
fn quote_plus(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
    out
}

/// The pairs of a URL-encoded query (`+` is a space); `None` for a bad
/// `%` escape or text that is not UTF-8 once decoded.
fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    if query.is_empty() {
        return Some(Vec::new());
    }
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((unquote_plus(name)?, unquote_plus(value)?))
        })
        .collect()
}

fn unquote_plus(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        rest = after;
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let (hex, after) = rest.split_first_chunk::<2>()?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let hex = std::str::from_utf8(hex).ok()?;
                bytes.push(u8::from_str_radix(hex, 16).ok()?);
                rest = after;
            }
            _ => bytes.push(byte),
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::{parse_query, quote_plus};

    #[test]
    fn quote_plus_is_pythons() {
        // urllib.parse.quote_plus of each, from Python 3.11.
        assert_eq!(quote_plus("a b&c=d+e%f/g"), "a+b%26c%3Dd%2Be%25f%2Fg");
        assert_eq!(quote_plus("Jürgen ~_.-"), "J%C3%BCrgen+~_.-");
        assert_eq!(quote_plus(""), "");
        assert_eq!(
            parse_query("a=1+2&b=%C3%BC&c"),
            Some(vec![
                ("a".into(), "1 2".into()),
                ("b".into(), "ü".into()),
                ("c".into(), String::new())
            ])
        );
        assert_eq!(parse_query("a=%zz"), None);
        assert_eq!(parse_query("a=%C3"), None);
        assert_eq!(parse_query("a=%4"), None);
        assert_eq!(parse_query("a=%+4"), None);
    }
}
