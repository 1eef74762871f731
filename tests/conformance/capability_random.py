"""Capability-token cases from twilio-python, for tests/tests/capability.rs.

Writes two files. Run from this folder with `pip install twilio==9.13.0`
(PyJWT 2.x):

- twilio-python-capability-random.json: random cases in the format of
  twilio-python-capability.json (see README.md), without `header`.
- twilio-python-capability-flags.json: every combination of the `allow_*`
  keyword arguments, each given explicitly, for each kind of TaskRouter
  token: `flags` lists their names, and the tag (the token's third segment)
  of combination `i` is at index `i`, where bit `k` of `i` is flag `k`. The
  tag is an HMAC of the whole token, so an equal tag means an equal token.

    python3 capability_random.py

The seed is fixed, so the file only changes with twilio-python.
"""

import json
import random
import time

from twilio.jwt.client import ClientCapabilityToken
from twilio.jwt.taskrouter.capabilities import (
    TaskQueueCapabilityToken,
    WorkerCapabilityToken,
    WorkspaceCapabilityToken,
)

NOW = 1700000000
time.time = lambda: NOW
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "0123456789abcdef0123456789abcdef"
COMMON = [
    "allow_web_sockets",
    "allow_fetch_self",
    "allow_update_self",
    "allow_delete_self",
    "allow_fetch_subresources",
    "allow_update_subresources",
    "allow_delete_subresources",
]
WORKER = [
    "allow_fetch_activities",
    "allow_fetch_reservations",
    "allow_fetch_worker_reservations",
    "allow_update_activities",
    "allow_update_reservations",
]
# Characters that URL-encoding and JSON escaping treat differently.
ALPHABET = list("abcXYZ019 _.-~&=+%?/:#\"\\'\t\n") + ["ü", "é", "中", "😀", "\u2028"]


def text(rng, empty=True):
    length = rng.randint(0 if empty else 1, 8)
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def sid(rng, prefix):
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(32))


def params(rng):
    out = {}
    for _ in range(rng.randint(0, 4)):
        key = text(rng, empty=False)
        if key != "application_sid":
            out[key] = text(rng)
    return out


def times(rng, case, kwargs):
    ttl = rng.choice([None, 1, 600, 3600, 28800, 86400])
    if ttl is not None:
        case["ttl"] = ttl
        kwargs["ttl"] = ttl
    live = ttl or 3600
    choice = rng.random()
    if choice < 0.2:
        case["nbf"] = None
        kwargs["nbf"] = None
    elif choice < 0.5:
        # Backdated up to two days, or later but before the expiry: Twilio
        # measures the 24 hours from the issue time.
        nbf = NOW + rng.randint(-2 * 86400, live - 1)
        case["nbf"] = nbf
        kwargs["nbf"] = nbf


def client_case(rng):
    case = {"kind": "client"}
    kwargs = {}
    times(rng, case, kwargs)
    token = ClientCapabilityToken(ACCOUNT, TOKEN, **kwargs)
    if rng.random() < 0.6:
        outgoing = {"application_sid": sid(rng, "AP"), "params": params(rng)}
        case["outgoing"] = outgoing
        token.allow_client_outgoing(outgoing["application_sid"], **outgoing["params"])
    if rng.random() < 0.6:
        case["incoming"] = text(rng, empty=False)
        token.allow_client_incoming(case["incoming"])
    if rng.random() < 0.5:
        case["event_stream"] = params(rng)
        token.allow_event_stream(**case["event_stream"])
    return case, token


def policy(rng):
    def filt():
        return {text(rng, empty=False): {"required": rng.random() < 0.5} for _ in range(rng.randint(0, 2))}

    return {
        "url": "https://taskrouter.twilio.com/v1/" + text(rng, empty=False),
        "method": rng.choice(["GET", "POST", "DELETE"]),
        "allow": rng.random() < 0.5,
        "query_filter": filt(),
        "post_filter": filt(),
    }


def taskrouter_case(rng):
    kind = rng.choice(["worker", "taskqueue", "workspace"])
    workspace = sid(rng, "WS")
    channel = {"worker": sid(rng, "WK"), "taskqueue": sid(rng, "WQ"), "workspace": workspace}[kind]
    case = {"kind": kind, "workspace_sid": workspace, "channel_id": channel}
    kwargs = {}
    times(rng, case, kwargs)
    names = COMMON + (WORKER if kind == "worker" else [])
    flags = {name: rng.random() < 0.5 for name in names if rng.random() < 0.5}
    if flags:
        case["flags"] = flags
    kwargs.update(flags)
    if kind == "worker":
        token = WorkerCapabilityToken(ACCOUNT, TOKEN, workspace, channel, **kwargs)
    elif kind == "taskqueue":
        token = TaskQueueCapabilityToken(ACCOUNT, TOKEN, workspace, channel, **kwargs)
    else:
        token = WorkspaceCapabilityToken(ACCOUNT, TOKEN, workspace, **kwargs)
    policies = [policy(rng) for _ in range(rng.choice([0, 0, 1, 2, 3]))]
    for p in policies:
        token._make_policy(p["url"], p["method"], p["allow"], p["query_filter"], p["post_filter"])
    if policies:
        case["policies"] = policies
    return case, token


def main():
    rng = random.Random(16)
    cases = []
    for index in range(200):
        case, token = (client_case if index % 2 == 0 else taskrouter_case)(rng)
        case.update({"account_sid": ACCOUNT, "auth_token": TOKEN, "now": NOW})
        jwt = token.to_jwt()
        _, payload, _ = jwt.split(".")
        decode = lambda part: __import__("base64").urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()
        cases.append({
            "name": f"random_{index}",
            "input": case,
            "token": jwt,
            "payload": decode(payload),
        })
    with open("twilio-python-capability-random.json", "w") as out:
        out.write("[\n")
        out.write(",\n".join(json.dumps(case, ensure_ascii=True) for case in cases))
        out.write("\n]\n")

    workspace, worker, queue = "WS" + "5" * 32, "WK" + "6" * 32, "WQ" + "7" * 32
    flags = {"flags": {"common": COMMON, "worker": WORKER}}
    for kind, names, make in [
        ("worker", COMMON + WORKER, lambda kw: WorkerCapabilityToken(ACCOUNT, TOKEN, workspace, worker, **kw)),
        ("taskqueue", COMMON, lambda kw: TaskQueueCapabilityToken(ACCOUNT, TOKEN, workspace, queue, **kw)),
        ("workspace", COMMON, lambda kw: WorkspaceCapabilityToken(ACCOUNT, TOKEN, workspace, **kw)),
    ]:
        tags = []
        for combination in range(1 << len(names)):
            kwargs = {name: bool(combination >> bit & 1) for bit, name in enumerate(names)}
            tags.append(make(kwargs).to_jwt().split(".")[2])
        flags[kind] = tags
    with open("twilio-python-capability-flags.json", "w") as out:
        json.dump(flags, out, separators=(",", ":"))
        out.write("\n")


if __name__ == "__main__":
    main()
