//! Client Validation JWTs for an `http::Request` (feature `http`): what
//! reqwest, hyper and other `http`-based clients send.

use super::{ClientValidation, Request, Unsigned, ValidationError};

/// The header Twilio reads the token from, lower-cased as `http` names
/// headers.
///
/// ```
/// assert_eq!(twilio_token::validation::HEADER_NAME, "twilio-client-validation");
/// ```
pub const HEADER_NAME: &str = "twilio-client-validation";

/// `request`'s parts as a Client Validation JWT signs them, the host taken
/// from the URI when no `Host` header is set, as twilio-python's
/// `ValidationClient` does.
fn from_http<'a, S, B: AsRef<[u8]>>(
    signer: S,
    request: &'a http::Request<B>,
) -> Result<Request<'a, S>, ValidationError> {
    let uri = request.uri();
    let mut parts = Request::with_signer(signer, request.method().as_str(), uri.path())
        .query(uri.query().unwrap_or_default())
        .body(request.body().as_ref());
    for (name, value) in request.headers() {
        let value = value
            .to_str()
            .map_err(|_| ValidationError::InvalidHeaderValue {
                name: name.as_str().to_owned(),
            })?;
        parts = parts.header(name.as_str(), value);
    }
    if !request.headers().contains_key(http::header::HOST)
        && let Some(authority) = uri.authority()
    {
        parts = parts.header("host", authority.as_str());
    }
    Ok(parts)
}

impl<'a> Request<'a, Unsigned> {
    /// The parts of an `http::Request` to verify a token against (feature
    /// `http`); the host is taken from the URI when no `Host` header is set.
    ///
    /// ```
    /// use twilio_token::validation::Request;
    /// let http = http::Request::post("https://api.twilio.com/2010-04-01/Accounts.json?b=2&a=1").body(Vec::new())?;
    /// let request = Request::from_http(&http)?;
    /// assert_eq!(
    ///     request.canonical_request()?,
    ///     "POST\n/2010-04-01/Accounts.json\na=1&b=2\nhost:api.twilio.com\n\nauthorization;host\n"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_http<B: AsRef<[u8]>>(
        request: &'a http::Request<B>,
    ) -> Result<Self, ValidationError> {
        from_http(Unsigned, request)
    }
}

impl ClientValidation {
    /// `request` to sign (feature `http`), with the host taken from the
    /// URI when no `Host` header is set; set the clock or the signed
    /// headers on it, then [`sign`](Request::sign).
    ///
    /// ```
    /// # let signer = twilio_token::validation::ClientValidation::new("AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210", "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// let http = http::Request::get("https://api.twilio.com/2010-04-01/Accounts.json").body(Vec::new())?;
    /// let jwt = signer.request_from_http(&http)?.signed_headers(["host"]).sign()?;
    /// # drop(jwt);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_from_http<'a, B: AsRef<[u8]>>(
        &'a self,
        request: &'a http::Request<B>,
    ) -> Result<Request<'a, &'a Self>, ValidationError> {
        from_http(self, request)
    }

    /// Signs `request` now and sets its `Twilio-Client-Validation` header
    /// (feature `http`).
    ///
    /// ```
    /// # let signer = twilio_token::validation::ClientValidation::new("AC0123456789abcdef0123456789abcdef",
    /// #     "SKfedcba9876543210fedcba9876543210", "CR00112233445566778899aabbccddeeff", include_str!("test-key.pem"))?;
    /// let mut http = http::Request::post("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")
    ///     .header("Authorization", "Basic U0s6c2VjcmV0")
    ///     .body(b"To=%2B15005550006&Body=hi".to_vec())?;
    /// signer.add_header(&mut http)?;
    /// assert!(http.headers()["twilio-client-validation"].to_str()?.starts_with("eyJ"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_header<B: AsRef<[u8]>>(
        &self,
        request: &mut http::Request<B>,
    ) -> Result<(), ValidationError> {
        let jwt = from_http(self, &*request)?.sign()?;
        // base64url and dots: always a valid header value.
        let value = http::HeaderValue::try_from(jwt).map_err(|_| ValidationError::SigningFailed)?;
        request
            .headers_mut()
            .insert(http::HeaderName::from_static(HEADER_NAME), value);
        Ok(())
    }
}
