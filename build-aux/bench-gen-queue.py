#!/usr/bin/env python3
# bench-gen-queue.py: write an N-item review queue for build-aux/verdict-dev bench.
#
# Usage: bench-gen-queue.py N SAMPLE.jsonl OUT.jsonl [OUT.json]
#
# The items are like the sample queue's (task id, type, description, context,
# agent output with content, confidence, reasoning and metadata, escalation
# reason, timestamp), about 830 bytes each, their words drawn from the
# sample's texts with a fixed seed, so that a run is repeatable. OUT.jsonl is
# a Verdict queue file (a header line, then one item a line); OUT.json, when
# given, holds the same items as one JSON array, for the sqlite3 reference.
# Every item's description holds the word "needle<i % 1000>": as a substring,
# "needle777" is in one item in 1,000 and "needle7" in 111 in 1,000.

import json
import random
import re
import sys


def main():
    if len(sys.argv) not in (4, 5):
        sys.stderr.write(__doc__ if __doc__ else "usage: bench-gen-queue.py N SAMPLE OUT.jsonl [OUT.json]\n")
        return 2
    n = int(sys.argv[1])
    sample, out_jsonl = sys.argv[2], sys.argv[3]
    out_json = sys.argv[4] if len(sys.argv) == 5 else None

    words = []
    types = []
    reasons = []
    with open(sample, encoding="utf-8") as f:
        f.readline()
        for line in f:
            item = json.loads(line)
            types.append(item.get("task_type", "general"))
            reasons.append(item.get("escalation_reason", "low_confidence"))
            for key in ("task_description", "context"):
                words += re.findall(r"[A-Za-z][A-Za-z'-]+", item.get(key) or "")
            words += re.findall(r"[A-Za-z][A-Za-z'-]+",
                                (item.get("agent_output") or {}).get("content") or "")
    words = words or ["review"]
    rng = random.Random(14)
    currencies = ["USD", "EUR", "GBP"]
    tiers = ["standard", "gold", "platinum"]

    def text(count):
        return " ".join(rng.choices(words, k=count))

    header = {"verdict_queue": 1, "queue": "bench",
              "exported_at": "2026-11-25T10:15:00Z", "source": "verdict-dev bench"}
    jl = open(out_jsonl, "w", encoding="utf-8")
    jl.write(json.dumps(header) + "\n")
    js = None
    if out_json:
        js = open(out_json, "w", encoding="utf-8")
        js.write("[")
    for i in range(n):
        kind = types[i % len(types)]
        item = {
            "task_id": "%s-%08d" % (kind[:4], i),
            "task_type": kind,
            "task_description": "%s needle%d." % (text(22), i % 1000),
            "context": text(24) + ".",
            "agent_output": {
                "content": text(30) + ".",
                "confidence": round(rng.random(), 3),
                "reasoning": text(12) + ".",
                "metadata": {
                    "amount": rng.randrange(100, 100000),
                    "currency": currencies[i % 3],
                    "customer": {"tier": tiers[i % 3], "id": "cus_%07d" % (i * 7919 % 10000000)},
                },
            },
            "escalation_reason": reasons[i % len(reasons)],
            "timestamp": "2026-11-%02dT%02d:%02d:%02d.000000" % (1 + i % 28, i % 24, i % 60,
                                                                  (i // 60) % 60),
        }
        line = json.dumps(item)
        jl.write(line + "\n")
        if js:
            js.write(("," if i else "") + line + "\n")
    jl.close()
    if js:
        js.write("]\n")
        js.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
