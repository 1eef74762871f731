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
