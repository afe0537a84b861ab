#!/usr/bin/env python3
# Verifies a Verdict decisions export without Verdict: python3 verify-export.py FILE RW...
# (the public key that signed FILE.minisig). Needs python3-nacl. SPDX-License-Identifier: CC0-1.0
import base64, hashlib, json, sys
from nacl.signing import VerifyKey

def key_of(line):
    raw = base64.b64decode(line.strip())
    assert len(raw) == 42 and raw[:2] == b"Ed", "not a minisign public key"
    return raw[2:10], VerifyKey(raw[10:])

def main(path, public_key):
    data = open(path, "rb").read()
    key_id, key = key_of(public_key)
    lines = open(path + ".minisig").read().splitlines()
    sig = base64.b64decode(lines[1])
    comment = lines[2][len("trusted comment: "):]
    assert sig[:2] == b"ED" and sig[2:10] == key_id, "FILE.minisig: another key or algorithm"
    key.verify(hashlib.blake2b(data, digest_size=64).digest(), sig[10:])   # raises if bad
    key.verify(sig[10:] + comment.encode(), base64.b64decode(lines[3]))   # the trusted comment
    rows = data.decode().splitlines()
    if int(comment.split(" lines=")[1].split(" ")[0]) != len(rows) - 1:
        sys.exit(f"{path}: the line count differs from the signed one")
    last = 0
    for number, row in enumerate(rows[1:], start=2):
        line = json.loads(row)
        audit = line["audit"]
        event = json.loads(audit["canonical"])
        text = (audit["prev_hash"] + audit["canonical"]).encode()
        if hashlib.sha256(text).hexdigest() != audit["hash"] or event["seq"] != audit["seq"]:
            sys.exit(f"{path}:{number}: the hash does not match the canonical text")
        if audit["seq"] <= last:
            sys.exit(f"{path}:{number}: the lines are out of order")
        last = audit["seq"]
        if (event["actor"], event["task_id"]) != (line["reviewer_id"], line["task_id"]):
            sys.exit(f"{path}:{number}: reviewer or task differ from the signed event")
        if "signature" in audit:
            line_id, line_key = key_of(audit["public_key"])
            assert line_id.hex() == bytes.fromhex(audit["key_id"])[::-1].hex()
            line_key.verify(b"verdict-audit-v1:" + audit["hash"].encode(),
                            base64.b64decode(audit["signature"]))
    print(f"{path}: {len(rows) - 1} decisions, all signatures valid")

if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as error:   # a bad signature raises nacl's BadSignatureError
        sys.exit(f"{sys.argv[1]}: {type(error).__name__}: {error}")
