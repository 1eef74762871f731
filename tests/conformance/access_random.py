"""Random Access Token cases from twilio-python, for tests/tests/conformance.rs.

Writes twilio-python-random.json, in the format of twilio-python.json (see
README.md), without `header`: random identities, grants of every type with
random fields (voice parameters of every JSON type, floats among them),
regions, times to live up to Twilio's 24 hours, and not-before times from
the default to two days before the issue time (Twilio measures the 24 hours
from the issue time, so a backdated not-before is valid with any ttl). Run
from this folder with `pip install twilio==9.13.0` (PyJWT 2.x):

    python3 access_random.py

The seed is fixed, so the file only changes with twilio-python.
"""

import base64
import json
import random
import time

from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import (
    ChatGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)

NOW = 1700000000
time.time = lambda: NOW
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
KEY = "SKfedcba9876543210fedcba9876543210"
SECRET = "xK3dPq9ZrT7mWb2NvH5sLc8YfJ4gRa6E"
# Characters that JSON escaping and UTF-16 treat differently.
ALPHABET = list("abcXYZ019 _.-~&=+%?/:#\"\\'\t\n\x7f") + ["ü", "é", "中", "😀", "\u2028", "\x00"]


def text(rng):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8)))


def sid(rng, prefix):
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(32))


def value(rng):
    return rng.choice([
        lambda: text(rng),
        lambda: rng.randint(-(2**63), 2**64 - 1),
        lambda: rng.choice([0.1, 1e16, 1.5e-7, 1e-05, 123.456, -0.0, 2.0, 1e300]),
        lambda: rng.uniform(-1e6, 1e6),
        lambda: rng.random() < 0.5,
        lambda: None,
        lambda: [text(rng), rng.randint(0, 9)],
        lambda: {text(rng): rng.randint(0, 9)},
    ])()


def some(rng, fields):
    """Each field present with probability one half."""
    return {name: make() for name, make in fields.items() if rng.random() < 0.5}


def grants(rng):
    out = []
    kinds = ["video", "voice", "chat", "sync", "task_router", "playback"]
    for kind in rng.sample(kinds, rng.randint(0, len(kinds))):
        if kind == "video":
            args = some(rng, {"room": lambda: text(rng)})
            grant = VideoGrant(**args)
        elif kind == "voice":
            args = some(rng, {
                "incoming_allow": lambda: True,
                "outgoing_application_sid": lambda: sid(rng, "AP"),
                "push_credential_sid": lambda: sid(rng, "CR"),
                "endpoint_id": lambda: text(rng),
            })
            if "outgoing_application_sid" in args and rng.random() < 0.7:
                params = {}
                for _ in range(rng.randint(1, 4)):
                    params[text(rng)] = value(rng)
                args["outgoing_application_params"] = params
            grant = VoiceGrant(**args)
        elif kind == "chat":
            args = some(rng, {
                "service_sid": lambda: sid(rng, "IS"),
                "endpoint_id": lambda: text(rng),
                "deployment_role_sid": lambda: sid(rng, "RL"),
                "push_credential_sid": lambda: sid(rng, "CR"),
            })
            grant = ChatGrant(**args)
        elif kind == "sync":
            args = some(rng, {"service_sid": lambda: sid(rng, "IS"), "endpoint_id": lambda: text(rng)})
            grant = SyncGrant(**args)
        elif kind == "task_router":
            args = some(rng, {
                "workspace_sid": lambda: sid(rng, "WS"),
                "worker_sid": lambda: sid(rng, "WK"),
                "role": lambda: rng.choice(["worker", "supervisor", text(rng)]),
            })
            grant = TaskRouterGrant(**args)
        else:
            args = {"grant": {text(rng): value(rng) for _ in range(rng.randint(1, 3))}}
            grant = PlaybackGrant(**args)
        out.append(({"type": kind, **args}, grant))
    return out


def main():
    rng = random.Random(21)
    cases = []
    for index in range(300):
        case = {"account_sid": ACCOUNT, "key_sid": KEY, "secret": SECRET, "now": NOW, "identity": text(rng)}
        kwargs = {}
        ttl = rng.choice([None, 1, 600, 3600, 28800, 86400, 86400, rng.randint(1, 86400)])
        if ttl is not None:
            case["ttl"] = ttl
            kwargs["ttl"] = ttl
        live = ttl or 3600
        choice = rng.random()
        if choice < 0.15:
            case["nbf"] = None
            kwargs["nbf"] = None
        elif choice < 0.6:
            # Backdated, up to two days, or later but before the expiry.
            nbf = NOW + rng.randint(-2 * 86400, live - 1)
            case["nbf"] = nbf
            kwargs["nbf"] = nbf
        if rng.random() < 0.2:
            case["region"] = rng.choice(["ie1", "au1", "us1", "de1", "jp1", "sg1", "br1"])
            kwargs["region"] = case["region"]
        chosen = grants(rng)
        if chosen:
            case["grants"] = [args for args, _ in chosen]
        token = AccessToken(ACCOUNT, KEY, SECRET, identity=case["identity"],
                            grants=[grant for _, grant in chosen], **kwargs)
        jwt = token.to_jwt()
        payload = jwt.split(".")[1]
        cases.append({
            "name": f"random_{index}",
            "input": case,
            "token": jwt,
            "payload": base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode(),
        })
    with open("twilio-python-random.json", "w") as out:
        out.write("[\n")
        out.write(",\n".join(json.dumps(case, ensure_ascii=True) for case in cases))
        out.write("\n]\n")


if __name__ == "__main__":
    main()
