//! base64url, as every segment of every token is written and read.

/// The base64url engine without padding that every segment goes through:
/// base64's SIMD engine (AVX2 or NEON, detected once at run time, scalar
/// otherwise), the same alphabet and strictness as `URL_SAFE_NO_PAD`.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
pub(crate) fn base64url() -> &'static base64::engine::Simd {
    use base64::engine::{Simd, general_purpose::NO_PAD};
    static ENGINE: std::sync::LazyLock<Simd> = std::sync::LazyLock::new(|| Simd::url_safe(NO_PAD));
    &ENGINE
}

/// The base64url engine without padding: base64's scalar engine on targets
/// without SIMD support.
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
pub(crate) fn base64url() -> &'static base64::engine::GeneralPurpose {
    &base64::engine::general_purpose::URL_SAFE_NO_PAD
}

/// The header of every Access Token without a region.
pub(crate) const ACCESS_HEADER_JSON: &str = r#"{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}"#;

/// base64url of [`ACCESS_HEADER_JSON`].
pub(crate) const ACCESS_HEADER_B64: &str =
    "eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0";

/// base64url of `{"alg":"HS256","typ":"JWT"}`, every capability token's
/// header.
pub(crate) const CAPABILITY_HEADER_B64: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::{ACCESS_HEADER_B64, ACCESS_HEADER_JSON, CAPABILITY_HEADER_B64, base64url};

    #[test]
    fn each_header_constant_is_base64url_of_its_json() {
        for (encoded, json) in [
            (ACCESS_HEADER_B64, ACCESS_HEADER_JSON),
            (CAPABILITY_HEADER_B64, r#"{"alg":"HS256","typ":"JWT"}"#),
        ] {
            assert_eq!(base64url().encode(json), encoded);
        }
    }
}
