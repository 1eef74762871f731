"""Client Validation JWT cases from twilio-python, for tests/tests/validation.rs.

Writes two files. Run from this folder with `pip install twilio==9.13.0`
(PyJWT 2.x, and `cryptography`, which twilio's RS256 needs):

- twilio-python-validation-random.json: `{"keys": [...], "cases": [...]}`.
  `keys` are RSA test keys made here (`pem`, `format` pkcs1 or pkcs8,
  `bits` 2048, 3072 or 4096: ring signs with those sizes). Each case has `name`, `input` (as in
  twilio-python-validation.json, but `key` is an index into `keys`, and a
  header's value is a text or a list of texts), `token` and
  `canonical_request`.
- validation-keys.json: keys that must be refused, by name (encrypted
  PKCS#8 and PKCS#1, EC and Ed25519 keys, 1024-, 2560- and 4160-bit RSA keys,
  a certificate, a public key), and `public`: the SubjectPublicKeyInfo PEM
  of each of `keys`, for the verifier.

    python3 validation_random.py

The requests come from a fixed seed; the keys come from the system's
random source (cryptography cannot be seeded), so a new run writes new
keys and tokens: commit both files together.
"""

import datetime
import json
import random
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from twilio.jwt.validation import ClientValidationJwt
from twilio.http.validation_client import ValidationPayload

NOW = 1700000000
time.time = lambda: NOW
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
API_KEY = "SKfedcba9876543210fedcba9876543210"
CREDENTIAL = "CR00112233445566778899aabbccddeeff"
CASES = 150
TCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&'*+.^`|~"
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "Post", "PROPFIND"]
KNOWN = ["Host", "Authorization", "Content-Type", "User-Agent", "Accept", "X-Twilio-Custom", "Idempotency-Key"]
TEXT = "abcXYZ019 ,;:=&+/%-_.~\"'()[]{}<>@!?*"
UNICODE = "é☃€ü日本語😀 "

PKCS = {
    "pkcs1": serialization.PrivateFormat.TraditionalOpenSSL,
    "pkcs8": serialization.PrivateFormat.PKCS8,
}


def pem(key, form, encryption=None):
    return key.private_bytes(
        serialization.Encoding.PEM,
        PKCS[form],
        encryption or serialization.NoEncryption(),
    ).decode()


def public_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def mixed_case(rng, name):
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)


def text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def query(rng):
    if rng.random() < 0.2:
        return ""
    names = [text(rng, "abcXYZ", 1, 4) for _ in range(rng.randint(1, 3))]
    parts = []
    for _ in range(rng.randint(1, 7)):
        roll = rng.random()
        if roll < 0.15:
            parts.append("")
        elif roll < 0.3:
            parts.append(rng.choice(names) + "=")
        else:
            parts.append(rng.choice(names) + "=" + text(rng, "abc019%2B+-._~", 0, 8))
    return "&".join(parts)


def path(rng):
    if rng.random() < 0.05:
        return ""
    segments = [text(rng, "abcdefXYZ0123456789-_.~%", 1, 12) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.1:
        segments.append(text(rng, UNICODE, 1, 3))
    return "/" + "/".join(segments) + rng.choice(["", "", ".json", "/"])


def value(rng):
    alphabet = TEXT + (UNICODE if rng.random() < 0.2 else "")
    return text(rng, alphabet, 0, 24)


def headers(rng):
    chosen = {}
    for name in rng.sample(KNOWN, rng.randint(0, len(KNOWN))):
        chosen[name.lower()] = name
    for _ in range(rng.randint(0, 3)):
        name = text(rng, TCHAR, 1, 12)
        chosen.setdefault(name.lower(), name)
    result = {}
    for name in chosen.values():
        name = mixed_case(rng, name)
        if rng.random() < 0.3:
            result[name] = [value(rng) for _ in range(rng.randint(1, 4))]
        else:
            result[name] = value(rng)
    return result


def signed(rng, request_headers):
    present = [name.lower() for name in request_headers]
    roll = rng.random()
    if roll < 0.3:
        return ["authorization", "host"]
    if roll < 0.35:
        return []
    names = set(rng.sample(present, rng.randint(0, len(present))))
    names.update(rng.sample(["authorization", "host", "x-absent", "content-type"], rng.randint(0, 2)))
    if request_headers and rng.random() < 0.2:
        # As sent, in mixed case: twilio-python names it in `hrh` but signs
        # no header with it (it compares with lower-cased names).
        names.add(rng.choice(list(request_headers)))
    names = sorted(names)
    rng.shuffle(names)
    return names


def body(rng):
    roll = rng.random()
    if roll < 0.3:
        return ""
    if roll < 0.5:
        return text(rng, UNICODE + "abc{}\":,", 1, 40)
    if roll < 0.6:
        return text(rng, " \t\n", 1, 5)
    return "&".join(text(rng, "abc", 1, 5) + "=" + text(rng, TEXT, 0, 10) for _ in range(rng.randint(1, 5)))


def keys():
    made = []
    for bits in [2048, 2048, 3072, 3072, 4096, 4096, 2048, 3072]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        form = "pkcs8" if len(made) % 2 == 0 else "pkcs1"
        made.append((key, {"pem": pem(key, form), "format": form, "bits": bits}))
    return made


def bad_keys(good):
    password = serialization.BestAvailableEncryption(b"passphrase")
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    large = rsa.generate_private_key(public_exponent=65537, key_size=4160)
    odd = rsa.generate_private_key(public_exponent=65537, key_size=2560)
    curve = ec.generate_private_key(ec.SECP256R1())
    edwards = ed25519.Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "twilio-token test")])
    start = datetime.datetime(2023, 11, 14, tzinfo=datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(good.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=1))
        .sign(good, hashes.SHA256())
    )
    return {
        "encrypted_pkcs8": pem(good, "pkcs8", password),
        "encrypted_pkcs1": pem(good, "pkcs1", password),
        "ec_sec1": pem(curve, "pkcs1"),
        "ec_pkcs8": pem(curve, "pkcs8"),
        "ed25519_pkcs8": pem(edwards, "pkcs8"),
        "rsa_1024_pkcs8": pem(small, "pkcs8"),
        "rsa_1024_pkcs1": pem(small, "pkcs1"),
        "rsa_4160_pkcs8": pem(large, "pkcs8"),
        "rsa_2560_pkcs1": pem(odd, "pkcs1"),
        "rsa_1024_public": public_pem(small),
        "certificate": certificate.public_bytes(serialization.Encoding.PEM).decode(),
        "public_spki": public_pem(good),
    }


HASHED = []
_hash = ClientValidationJwt._hash.__func__


def recording_hash(cls, input_str):
    """twilio-python's `_hash`, remembering what it hashed: the last text
    hashed for a token is its canonical request."""
    HASHED.append(input_str)
    return _hash(cls, input_str)


ClientValidationJwt._hash = classmethod(recording_hash)


def main():
    rng = random.Random(25)
    made = keys()
    cases = []
    for i in range(CASES):
        index = rng.randrange(len(made))
        request_headers = headers(rng)
        request = {
            "method": rng.choice(METHODS),
            "path": path(rng),
            "query_string": query(rng),
            "headers": request_headers,
            "signed_headers": signed(rng, request_headers),
            "body": body(rng),
        }
        jwt = ClientValidationJwt(
            ACCOUNT,
            API_KEY,
            CREDENTIAL,
            made[index][0].private_bytes(
                serialization.Encoding.PEM, PKCS[made[index][1]["format"]], serialization.NoEncryption()
            ),
            ValidationPayload(all_headers=request_headers, **request_without_headers(request)),
        )
        token = jwt.to_jwt()
        cases.append(
            {
                "name": "random_{}".format(i),
                "input": {"key": index, "now": NOW, "request": request},
                "token": token,
                "canonical_request": HASHED[-1],
            }
        )
    with open("twilio-python-validation-random.json", "w") as out:
        json.dump({"keys": [info for _, info in made], "cases": cases}, out, indent=1)
        out.write("\n")
    bad = bad_keys(made[0][0])
    bad["public"] = [public_pem(key) for key, _ in made]
    with open("validation-keys.json", "w") as out:
        json.dump(bad, out, indent=1)
        out.write("\n")


def request_without_headers(request):
    return {k: v for k, v in request.items() if k != "headers"}


if __name__ == "__main__":
    main()
