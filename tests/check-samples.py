#!/usr/bin/python3
# check-samples.py
#
# Copyright 2026 The Verdict developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the bundled sample files in data/samples/: every line of the demo
# queue is a valid "verdict-queue v1" item, the policy has the documented
# shape, and the policy sorts the sample into exactly the escalation reasons
# the sample was written for. Every attachment exists inside the samples folder
# and matches its sha256 and media type; every content_moderation item has an
# image, every code_deployment item a unified diff and every medical_legal
# item Markdown output. The policy checks are applied here as
# documented in src/core/policy/vd-policy.h so that a change to the sample or to the
# policy that shifts the demo's balance is noticed.
#
# Usage: check-samples.py SAMPLES_DIR [--summary]

import collections
import datetime
import hashlib
import json
import math
import os
import re
import sys

REASONS = {"low_confidence", "sensitive_content", "high_risk_action", "ambiguous_input",
           "error_occurred", "policy_required", "user_requested"}
TASK_TYPES = {"content_moderation", "payment", "code_deployment", "medical_legal"}
ITEM_KEYS = {"task_id", "task_type", "task_description", "context", "agent_output",
             "escalation_reason", "escalation_detail", "timestamp", "due_at", "priority", "check",
             "content_type", "attachments"}
OUTPUT_KEYS = {"content", "confidence", "reasoning", "metadata"}
POLICY_KEYS = {"verdict_policy", "confidence_threshold", "sensitive_keywords",
               "high_risk_actions", "always_review_types", "task_types", "rules",
               "sla_minutes", "fallback", "escalated", "queues", "feedback_categories"}
TASK_TYPE_KEYS = {"confidence_threshold", "sla_minutes", "fallback"}
FALLBACKS = {"escalate", "auto_reject", "auto_approve"}
RULE_OPS = {">", ">=", "<", "<=", "==", "!=", "contains"}

# What the sample was written to show; see the report printed with --summary.
MIN_ITEMS = 48
EXPECTED_AUTO_APPROVED = 12
EXPECTED_REASONS = {
    "low_confidence": 11,
    "sensitive_content": 9,
    "high_risk_action": 11,
    "policy_required": 6,
    "ambiguous_input": 2,
    "error_occurred": 2,
    "user_requested": 2,
}

CONTENT_TYPE_KEYS = {"task", "context", "output"}
CONTENT_TYPE_RE = re.compile(r"^(text/plain|text/markdown|text/x-diff|application/json|"
                             r"text/x-[a-z][a-z0-9+#.-]{0,31})$")
ATTACHMENT_KEYS = {"name", "media_type", "path", "data", "url", "sha256"}
MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff",
         "image/gif": b"GIF8", "application/pdf": b"%PDF-"}
# What each task type of the sample shows beyond plain text.
EXPECTED_CONTENT = {
    "code_deployment": ("context", "text/x-diff"),
    "medical_legal": ("output", "text/markdown"),
}
MAX_SAMPLE_IMAGE = 30 * 1024
HUNK_RE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$")

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def parse_timestamp(where, field, value):
    if not isinstance(value, str) or not TIMESTAMP_RE.match(value):
        fail(where, f"{field}: expected an RFC 3339 timestamp, found {value!r}")
        return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        stamp = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        fail(where, f"{field}: {error}")
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.timezone.utc)
    return stamp


def check_diff(where, text):
    """Checks that the hunks of a unified diff have the line counts they state."""
    lines = text.split("\n")
    hunks = 0
    index = 0
    while index < len(lines):
        match = HUNK_RE.match(lines[index])
        index += 1
        if not match:
            continue
        hunks += 1
        old = int(match.group(2) or 1)
        new = int(match.group(4) or 1)
        while (old > 0 or new > 0) and index < len(lines):
            prefix = lines[index][:1]
            if prefix == " ":
                old, new = old - 1, new - 1
            elif prefix == "-":
                old -= 1
            elif prefix == "+":
                new -= 1
            else:
                break
            index += 1
        if old != 0 or new != 0:
            fail(where, f"diff: hunk {lines[index - 1][:40]!r} ends before its stated line counts")
    if hunks == 0:
        fail(where, "diff: no hunks")


def check_attachments(where, item, samples):
    attachments = item.get("attachments", [])
    if not isinstance(attachments, list):
        fail(where, "attachments: expected an array")
        return []
    names = set()
    images = []
    root = os.path.realpath(samples)
    for index, attachment in enumerate(attachments):
        at = f"{where}: attachments[{index}]"
        if not isinstance(attachment, dict) or set(attachment) - ATTACHMENT_KEYS:
            fail(at, f"expected an object with some of {sorted(ATTACHMENT_KEYS)}")
            continue
        name = attachment.get("name")
        if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in names:
            fail(at, f"name: expected a unique file name, found {name!r}")
        names.add(name)
        media_type = attachment.get("media_type")
        # The sample keeps its attachments next to the queue so that it works
        # offline and from its installed folder.
        path = attachment.get("path")
        if not isinstance(path, str) or os.path.isabs(path) or ".." in path.split("/"):
            fail(at, f"path: expected a relative path inside the samples folder, found {path!r}")
            continue
        full = os.path.realpath(os.path.join(samples, path))
        if not full.startswith(root + os.sep) or not os.path.isfile(full):
            fail(at, f"path: {path}: no such file inside the samples folder")
            continue
        with open(full, "rb") as f:
            data = f.read()
        found = hashlib.sha256(data).hexdigest()
        if attachment.get("sha256") != found:
            fail(at, f"sha256: stated {attachment.get('sha256')!r}, found {found}")
        magic = MAGIC.get(media_type)
        if magic is None or not data.startswith(magic):
            fail(at, f"media_type: {media_type!r} does not match the bytes of {path}")
        if media_type and media_type.startswith("image/"):
            if len(data) > MAX_SAMPLE_IMAGE:
                fail(at, f"{path}: {len(data)} bytes, at most {MAX_SAMPLE_IMAGE} for the sample")
            images.append(path)
    return images


def check_content_types(where, item):
    content_type = item.get("content_type", {})
    if not isinstance(content_type, dict) or set(content_type) - CONTENT_TYPE_KEYS:
        fail(where, f"content_type: expected an object with some of {sorted(CONTENT_TYPE_KEYS)}")
        return
    for key, value in content_type.items():
        if not isinstance(value, str) or not CONTENT_TYPE_RE.match(value):
            fail(where, f"content_type.{key}: unexpected {value!r}")
    expected = EXPECTED_CONTENT.get(item.get("task_type"))
    if expected:
        key, value = expected
        if content_type.get(key) != value:
            fail(where, f"content_type.{key}: expected {value!r} for a {item['task_type']} item")
    texts = {"task": item.get("task_description"), "context": item.get("context"),
             "output": (item.get("agent_output") or {}).get("content")}
    for key, value in content_type.items():
        text = texts.get(key) or ""
        if value == "text/x-diff":
            check_diff(f"{where}: {key}", text)
        elif value == "text/markdown" and not re.search(r"^(#{1,3} |[-*] |\d+\. |> )|\*\*",
                                                         text, re.M):
            fail(where, f"content_type.{key}: Markdown without headings, lists, quotes or emphasis")


def check_item(where, item, seen_ids):
    if not isinstance(item, dict):
        fail(where, "expected a JSON object")
        return False
    unknown = set(item) - ITEM_KEYS
    if unknown:
        fail(where, f"unknown keys {sorted(unknown)}")
    for field in ("task_id", "task_type", "task_description", "context"):
        if not isinstance(item.get(field), str) or not item[field].strip():
            fail(where, f"{field}: expected non-empty text")
    if item.get("task_type") not in TASK_TYPES:
        fail(where, f"task_type: unexpected {item.get('task_type')!r}")
    task_id = item.get("task_id")
    if task_id in seen_ids:
        fail(where, f"task_id: duplicate {task_id!r}")
    seen_ids.add(task_id)

    output = item.get("agent_output")
    if not isinstance(output, dict):
        fail(where, "agent_output: expected an object")
        return False
    if set(output) != OUTPUT_KEYS:
        fail(where, f"agent_output: expected keys {sorted(OUTPUT_KEYS)}, found {sorted(output)}")
    confidence = output.get("confidence")
    if (isinstance(confidence, bool) or not isinstance(confidence, (int, float))
            or math.isnan(confidence) or not 0.0 <= confidence <= 1.0):
        fail(where, f"agent_output.confidence: expected a number from 0 to 1, found {confidence!r}")
    for field in ("content", "reasoning"):
        if not isinstance(output.get(field), str) or len(output[field]) < 20:
            fail(where, f"agent_output.{field}: expected real text")
    if not isinstance(output.get("metadata"), dict) or not output["metadata"]:
        fail(where, "agent_output.metadata: expected a non-empty object")

    if "escalation_reason" in item:
        if item["escalation_reason"] not in REASONS:
            fail(where, f"escalation_reason: unknown {item['escalation_reason']!r}")
        if not isinstance(item.get("escalation_detail"), str) or not item["escalation_detail"]:
            fail(where, "escalation_detail: expected text with the escalation_reason")
    elif "escalation_detail" in item:
        fail(where, "escalation_detail: given without escalation_reason")

    stamp = parse_timestamp(where, "timestamp", item.get("timestamp"))
    if "due_at" in item:
        due = parse_timestamp(where, "due_at", item["due_at"])
        if stamp and due and due <= stamp:
            fail(where, "due_at: expected a time after the timestamp")
    if "check" in item:
        check = item["check"]
        if (not isinstance(check, dict) or set(check) != {"expected"}
                or check["expected"] not in ("approve", "reject", "modify", "escalate_further")):
            fail(where, f"check: expected {{\"expected\": DECISION}}, found {check!r}")
    if "priority" in item and (not isinstance(item["priority"], int)
                               or isinstance(item["priority"], bool)):
        fail(where, f"priority: expected an integer, found {item['priority']!r}")
    return True


def load_policy(path):
    with open(path, encoding="utf-8") as f:
        policy = json.load(f)
    where = os.path.basename(path)
    unknown = set(policy) - POLICY_KEYS
    if unknown:
        fail(where, f"unknown keys {sorted(unknown)}")
    if policy.get("verdict_policy", 1) != 1:
        fail(where, "verdict_policy: expected 1")
    for key in ("sensitive_keywords", "high_risk_actions", "always_review_types"):
        if not all(isinstance(v, str) and v for v in policy.get(key, [])):
            fail(where, f"{key}: expected a list of non-empty strings")
    for type_name, settings in policy.get("task_types", {}).items():
        if not settings or set(settings) - TASK_TYPE_KEYS:
            fail(where, f"task_types.{type_name}: expected some of {sorted(TASK_TYPE_KEYS)}")
        if settings.get("fallback", "escalate") not in FALLBACKS:
            fail(where, f"task_types.{type_name}.fallback: unknown {settings['fallback']!r}")
    if policy.get("fallback", "escalate") not in FALLBACKS:
        fail(where, f"fallback: unknown {policy['fallback']!r}")
    if not all(isinstance(v, str) and v for v in policy.get("feedback_categories", [])):
        fail(where, "feedback_categories: expected a list of non-empty strings")
    for index, rule in enumerate(policy.get("rules", [])):
        if set(rule) - {"name", "path", "op", "value", "reason"}:
            fail(where, f"rules[{index}]: unknown keys")
        if rule.get("op") not in RULE_OPS:
            fail(where, f"rules[{index}].op: unknown {rule.get('op')!r}")
        if rule.get("reason", "policy_required") not in REASONS:
            fail(where, f"rules[{index}].reason: unknown {rule.get('reason')!r}")
    return policy


def lookup(metadata, path):
    node = metadata
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def rule_matches(rule, metadata):
    found = lookup(metadata, rule["path"])
    value, op = rule["value"], rule["op"]
    if found is None:
        return False
    if op == "contains":
        if isinstance(found, list):
            return value in found
        return isinstance(found, str) and str(value).casefold() in found.casefold()
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric != (isinstance(found, (int, float)) and not isinstance(found, bool)):
        return False
    return {
        ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
        "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    }[op](found, value)


def apply_policy(policy, item):
    """Returns (reason, what matched) or (None, None) for an auto-approval."""
    output = item["agent_output"]
    task_type = item["task_type"]
    threshold = policy.get("task_types", {}).get(task_type, {}).get(
        "confidence_threshold", policy.get("confidence_threshold", 0.7))
    if output["confidence"] < threshold:
        return "low_confidence", f"{output['confidence']:.2f} < {threshold:.2f}"
    content = output["content"].casefold()
    for keyword in policy.get("sensitive_keywords", []):
        if keyword.casefold() in content:
            return "sensitive_content", keyword
    for action in policy.get("high_risk_actions", []):
        if action.casefold() in content:
            return "high_risk_action", action
    if task_type in policy.get("always_review_types", []):
        return "policy_required", task_type
    for rule in policy.get("rules", []):
        if rule_matches(rule, output["metadata"]):
            return rule.get("reason", "policy_required"), rule["name"]
    return None, None


def main():
    if len(sys.argv) < 2:
        print("usage: check-samples.py SAMPLES_DIR [--summary]", file=sys.stderr)
        return 2
    samples = sys.argv[1]
    summary = "--summary" in sys.argv[2:]

    queue_path = os.path.join(samples, "review-queue.jsonl")
    items = []
    seen_ids = set()
    attachment_count = 0
    with open(queue_path, "rb") as f:
        lines = f.read().decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        where = f"review-queue.jsonl:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            fail(where, f"not JSON: {error}")
            continue
        if number == 1:
            expected = {"verdict_queue", "queue", "exported_at", "source"}
            if not isinstance(value, dict) or set(value) != expected:
                fail(where, f"expected a header with keys {sorted(expected)}")
            elif value["verdict_queue"] != 1 or value["queue"] != "demo":
                fail(where, "expected verdict_queue 1 and queue \"demo\"")
            else:
                parse_timestamp(where, "exported_at", value["exported_at"])
            continue
        if check_item(where, value, seen_ids):
            check_content_types(where, value)
            images = check_attachments(where, value, samples)
            if value["task_type"] == "content_moderation" and not images:
                fail(where, "attachments: expected an image for a content_moderation item")
            attachment_count += len(value.get("attachments", []))
            items.append(value)

    if len(items) < MIN_ITEMS:
        fail("review-queue.jsonl", f"expected at least {MIN_ITEMS} items, found {len(items)}")
    types = collections.Counter(item["task_type"] for item in items)
    for task_type in sorted(TASK_TYPES):
        if types[task_type] < 10:
            fail("review-queue.jsonl", f"expected at least 10 {task_type} items, found {types[task_type]}")
    confidences = [item["agent_output"]["confidence"] for item in items]
    if min(confidences) != 0.31 or max(confidences) != 0.98:
        fail("review-queue.jsonl",
             f"expected confidences from 0.31 to 0.98, found {min(confidences)} to {max(confidences)}")
    large = [item for item in items
             if item["task_type"] == "payment" and item["agent_output"]["metadata"].get("amount", 0) > 10000]
    if len(large) < 3:
        fail("review-queue.jsonl", f"expected at least 3 payments over 10000, found {len(large)}")

    policy = load_policy(os.path.join(samples, "policy.json"))

    reasons = collections.Counter()
    checks = collections.Counter()
    rows = []
    for item in items:
        if "escalation_reason" in item:
            reason, matched = item["escalation_reason"], "given by the agent"
            checks["given"] += 1
        else:
            reason, matched = apply_policy(policy, item)
            checks["auto_approved" if reason is None else "policy"] += 1
        reasons[reason or "auto_approved"] += 1
        rows.append((item["task_id"], item["task_type"], item["agent_output"]["confidence"],
                     reason or "-", matched or "-"))

    auto = reasons.pop("auto_approved", 0)
    if auto != EXPECTED_AUTO_APPROVED:
        fail("policy.json", f"expected {EXPECTED_AUTO_APPROVED} auto-approvals, found {auto}")
    if dict(reasons) != EXPECTED_REASONS:
        fail("policy.json", f"expected reasons {EXPECTED_REASONS}, found {dict(sorted(reasons.items()))}")

    inputs_path = os.path.join(samples, "inputs.jsonl")
    input_ids = set()
    with open(inputs_path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            where = f"inputs.jsonl:{number}"
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                fail(where, f"not JSON: {error}")
                continue
            if set(value) != {"task_id", "task_description", "task_type", "context"}:
                fail(where, f"expected keys task_id, task_description, task_type, context, found {sorted(value)}")
                continue
            if value["task_type"] not in TASK_TYPES:
                fail(where, f"task_type: unexpected {value['task_type']!r}")
            if value["task_id"] in input_ids or value["task_id"] in seen_ids:
                fail(where, f"task_id: duplicate {value['task_id']!r}")
            input_ids.add(value["task_id"])
    if len(input_ids) != 8:
        fail("inputs.jsonl", f"expected 8 inputs, found {len(input_ids)}")

    if summary:
        for row in rows:
            print("%-16s %-19s %.2f  %-18s %s" % row)
        print()
        print(f"{len(items)} items: {dict(sorted(types.items()))}")
        print(f"policy escalates {checks['policy']}, auto-approves {auto}, "
              f"{checks['given']} arrive with a reason")
        print(f"escalated by reason: {dict(sorted(reasons.items()))}")

    for message in failures:
        print(message, file=sys.stderr)
    if failures:
        print(f"{len(failures)} problems in {samples}", file=sys.stderr)
        return 1
    print(f"samples OK: {len(items)} items, {sum(reasons.values())} escalated, {auto} auto-approved, "
          f"{attachment_count} attachments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
