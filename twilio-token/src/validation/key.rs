//! RSA keys from PEM text: the private key that signs (PKCS#8 or PKCS#1)
//! and the public key that verifies (SubjectPublicKeyInfo), checked for
//! their type and size. Every buffer that holds a private key's bytes,
//! in base64 or DER, is wiped when dropped.
//!
//! The PEM reader is the few lines RFC 7468 needs, over the `base64` crate
//! the library already uses: a PEM crate would keep a copy of the key's
//! base64 that it does not wipe.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ring::signature::RsaKeyPair;
use zeroize::Zeroizing;

use super::ValidationError;

/// The smallest RSA key Twilio takes, in bits.
const MIN_BITS: usize = 2048;

/// The largest RSA key ring signs with, in bits.
const MAX_SIGNING_BITS: usize = 4096;

/// The largest RSA key ring verifies with, in bits.
const MAX_VERIFYING_BITS: usize = 8192;

/// The DER of the OID rsaEncryption (1.2.840.113549.1.1.1).
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The DER of the OID id-ecPublicKey (1.2.840.10045.2.1).
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// The DER of the OIDs of Ed25519 (1.3.101.112) and Ed448 (1.3.101.113).
const EDWARDS: [&[u8]; 2] = [&[0x2b, 0x65, 0x70], &[0x2b, 0x65, 0x71]];

/// base64 as PEM writes it, padding optional.
const PEM_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The first PEM block of `text`: its label and its bytes, in a buffer
/// wiped on drop.
struct Block<'a> {
    label: &'a str,
    der: Zeroizing<Vec<u8>>,
}

/// Reads the first PEM block. An encrypted key (PKCS#8's `ENCRYPTED
/// PRIVATE KEY`, or OpenSSL's `Proc-Type: 4,ENCRYPTED` header) is refused
/// here, before its base64 is read.
fn first_block(text: &str) -> Result<Block<'_>, ValidationError> {
    let mut lines = text.lines().map(str::trim);
    let label = lines
        .by_ref()
        .find_map(|line| line.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))
        .ok_or(ValidationError::NotPem)?;
    if label.contains("ENCRYPTED") {
        return Err(ValidationError::EncryptedKey);
    }
    let end = |line: &str| {
        line.strip_prefix("-----END ")
            .and_then(|rest| rest.strip_suffix("-----"))
            .is_some_and(|ended| ended == label)
    };
    let mut base64 = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut ended = false;
    for line in lines {
        if end(line) {
            ended = true;
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            // An RFC 1421 header: OpenSSL's encrypted PKCS#1 keys have one.
            if name.trim() == "Proc-Type" && value.contains("ENCRYPTED") {
                return Err(ValidationError::EncryptedKey);
            }
            continue;
        }
        base64.extend(line.bytes().filter(|b| !b.is_ascii_whitespace()));
    }
    if !ended {
        return Err(ValidationError::MalformedPem {
            reason: "no END line",
        });
    }
    let mut der = Zeroizing::new(vec![0; base64.len() / 4 * 3 + 3]);
    let len = PEM_BASE64
        .decode_slice(base64.as_slice(), der.as_mut_slice())
        .map_err(|_| ValidationError::MalformedPem {
            reason: "its base64 does not decode",
        })?;
    der.truncate(len);
    Ok(Block { label, der })
}

/// A private key's PEM read into ring's key pair, after checking that it
/// is an RSA key of 2048, 3072 or 4096 bits.
pub(super) fn private_key(pem: &str) -> Result<RsaKeyPair, ValidationError> {
    let block = first_block(pem)?;
    let pkcs1 = match block.label {
        "PRIVATE KEY" => rsa_algorithm(&block.der, Pkcs8)?,
        "RSA PRIVATE KEY" => block.der.as_slice(),
        "PUBLIC KEY" | "RSA PUBLIC KEY" => return Err(ValidationError::PublicKeyGiven),
        "EC PRIVATE KEY" => return Err(ValidationError::NotRsa { what: "an EC key" }),
        label => return Err(unexpected(label)),
    };
    let bits = modulus_bits(pkcs1, Pkcs1Private)?;
    check_bits(bits, MAX_SIGNING_BITS)?;
    if bits % 1024 != 0 {
        return Err(ValidationError::KeySizeUnsupported { bits });
    }
    let key = if block.label == "PRIVATE KEY" {
        RsaKeyPair::from_pkcs8(&block.der)
    } else {
        RsaKeyPair::from_der(&block.der)
    };
    key.map_err(|rejected| ValidationError::MalformedKey {
        reason: rejected.to_string(),
    })
}

/// A public key's PEM (SubjectPublicKeyInfo, `PUBLIC KEY`, or PKCS#1's
/// `RSA PUBLIC KEY`) as the PKCS#1 `RSAPublicKey` ring verifies with,
/// after checking that it is an RSA key of 2048 to 8192 bits.
pub(super) fn public_key(pem: &str) -> Result<Vec<u8>, ValidationError> {
    let block = first_block(pem)?;
    let pkcs1 = match block.label {
        "PUBLIC KEY" => rsa_algorithm(&block.der, Spki)?,
        "RSA PUBLIC KEY" => block.der.as_slice(),
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
            return Err(ValidationError::PrivateKeyGiven);
        }
        label => return Err(unexpected(label)),
    };
    check_bits(modulus_bits(pkcs1, Pkcs1Public)?, MAX_VERIFYING_BITS)?;
    Ok(pkcs1.to_vec())
}

/// Another PEM block, its label cut to a reasonable length.
fn unexpected(label: &str) -> ValidationError {
    ValidationError::UnexpectedPem {
        label: label.chars().take(64).collect(),
    }
}

fn check_bits(bits: usize, max: usize) -> Result<(), ValidationError> {
    if bits < MIN_BITS {
        Err(ValidationError::KeyTooSmall { bits })
    } else if bits > max {
        Err(ValidationError::KeyTooLarge { bits, max })
    } else {
        Ok(())
    }
}

/// The DER structures read here.
#[derive(Clone, Copy)]
enum Structure {
    /// PKCS#8 PrivateKeyInfo: version, algorithm, the key in an OCTET STRING.
    Pkcs8,
    /// SubjectPublicKeyInfo: algorithm, the key in a BIT STRING.
    Spki,
    /// PKCS#1 RSAPrivateKey: version, modulus, …
    Pkcs1Private,
    /// PKCS#1 RSAPublicKey: modulus, exponent.
    Pkcs1Public,
}
use Structure::{Pkcs1Private, Pkcs1Public, Pkcs8, Spki};

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const OID: u8 = 0x06;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;

fn malformed() -> ValidationError {
    ValidationError::MalformedKey {
        reason: "its DER structure is not a key's".into(),
    }
}

/// The PKCS#1 key inside a PKCS#8 or SubjectPublicKeyInfo structure, after
/// checking that its algorithm is rsaEncryption.
fn rsa_algorithm(der: &[u8], structure: Structure) -> Result<&[u8], ValidationError> {
    let (outer, _) = element(der, SEQUENCE)?;
    let rest = match structure {
        Pkcs8 => element(outer, INTEGER)?.1,
        _ => outer,
    };
    let (algorithm, rest) = element(rest, SEQUENCE)?;
    let (oid, _) = element(algorithm, OID)?;
    if oid != RSA_ENCRYPTION {
        let what = if oid == EC_PUBLIC_KEY {
            "an EC key"
        } else if EDWARDS.contains(&oid) {
            "an Ed25519 or Ed448 key"
        } else {
            "not an RSA key"
        };
        return Err(ValidationError::NotRsa { what });
    }
    match structure {
        Pkcs8 => Ok(element(rest, OCTET_STRING)?.0),
        _ => match element(rest, BIT_STRING)?.0.split_first() {
            Some((0, key)) => Ok(key),
            _ => Err(malformed()),
        },
    }
}

/// The length in bits of the modulus of a PKCS#1 key.
fn modulus_bits(pkcs1: &[u8], structure: Structure) -> Result<usize, ValidationError> {
    let (key, _) = element(pkcs1, SEQUENCE)?;
    let rest = match structure {
        Pkcs1Private => element(key, INTEGER)?.1,
        _ => key,
    };
    let (modulus, _) = element(rest, INTEGER)?;
    let start = modulus
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(modulus.len());
    let digits = modulus.get(start..).unwrap_or_default();
    Ok(digits.first().map_or(0, |&first| {
        (digits.len() - 1) * 8 + (8 - first.leading_zeros() as usize)
    }))
}

/// The content of the DER element of type `tag` that `der` starts with,
/// and what follows it.
fn element(der: &[u8], tag: u8) -> Result<(&[u8], &[u8]), ValidationError> {
    let (&found, rest) = der.split_first().ok_or_else(malformed)?;
    let (&first, mut rest) = rest.split_first().ok_or_else(malformed)?;
    if found != tag {
        return Err(malformed());
    }
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return Err(malformed());
        }
        let (bytes, after) = rest.split_at_checked(count).ok_or_else(malformed)?;
        rest = after;
        bytes
            .iter()
            .fold(0usize, |len, &b| (len << 8) | usize::from(b))
    };
    rest.split_at_checked(len).ok_or_else(malformed)
}

#[cfg(test)]
mod tests {
    use super::{Pkcs1Public, element, modulus_bits};

    #[test]
    fn a_modulus_is_measured_without_its_sign_byte() {
        // RSAPublicKey { n = 0x00 0x80 0x00 (16 bits), e = 3 }
        let key = [0x30, 0x08, 0x02, 0x03, 0x00, 0x80, 0x00, 0x02, 0x01, 0x03];
        assert_eq!(modulus_bits(&key, Pkcs1Public).unwrap(), 16);
    }

    #[test]
    fn a_truncated_element_is_refused() {
        assert!(element(&[0x30, 0x05, 0x00], 0x30).is_err());
        assert!(element(&[0x30, 0x85, 0, 0, 0, 0, 1], 0x30).is_err());
        assert!(element(&[], 0x30).is_err());
        assert_eq!(
            element(&[0x02, 0x01, 0x07, 0xff], 0x02).unwrap(),
            (&[7u8][..], &[0xffu8][..])
        );
    }
}
