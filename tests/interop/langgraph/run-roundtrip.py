#!/usr/bin/env python3
# run-roundtrip.py: the real LangGraph.js round trip through verdict-cli.
#
# graph.mjs runs a LangChain v1 agent (humanInTheLoopMiddleware, a scripted
# fake chat model emitting tool calls, a MemorySaver) until it stops at its
# interrupts and writes them as the LangGraph SDK lists threads. This
# driver imports them with `verdict-cli import --format langgraph`, decides
# (approve send_email, edit transfer_funds with changed typed arguments,
# reject delete_file with a message, and checks that an edit of delete_file
# is refused), exports the resume with `verdict-cli export langgraph`, hands
# its path to the waiting graph, and checks which tools ran with which
# arguments, exactly.
#
# With --without-verdict the driver writes the same decisions as a resume
# by hand and checks the JavaScript side alone.
#
# Environment: VERDICT_CLI, the verdict-cli to test. Exits 77 (skipped) when
# node 20 or later, npm or tests/interop/langgraph/node_modules (npm ci) are
# missing, or when verdict-cli has no `import --format` yet.

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEADLINE_SECONDS = 120


def skip(why):
    print(f"SKIP: {why}")
    sys.exit(77)


def fail(why):
    print(f"FAIL: {why}")
    print("0 passed, 1 failed")
    sys.exit(1)


EDITED = {"action": "transfer_funds",
          "args": {"from_account": "ops", "to_account": "ACME-4411",
                   "amount": 1200, "currency": "EUR", "urgent": True}}
REJECT_MESSAGE = "Keep the reports: finance still reads them."


def hand_written_resume(ids):
    return {
        "thread-payments": {ids["thread-payments"]: {"decisions": [
            {"type": "approve"},
            {"type": "edit", "editedAction": {"name": EDITED["action"], "args": EDITED["args"]}},
        ]}},
        "thread-cleanup": {ids["thread-cleanup"]: {"decisions": [
            {"type": "reject", "message": REJECT_MESSAGE},
        ]}},
    }


def decide_in_verdict(cli_run, interrupts, resume, pay, rm):
    cli_run("import", "--format", "langgraph", "--queue", "lg", interrupts)
    cli_run("decide", "--queue", "lg", f"{pay}:0", "approve", "--reviewer", "alice")
    cli_run("decide", "--queue", "lg", f"{pay}:1", "modify", "--reviewer", "alice",
            "--content", json.dumps(EDITED))
    # delete_file allows approve and reject only.
    cli_run("decide", "--queue", "lg", f"{rm}:0", "modify", "--reviewer", "alice",
            "--content", json.dumps({"action": "delete_file",
                                     "args": {"path": "/tmp/x", "recursive": False}}),
            expect=1)
    cli_run("decide", "--queue", "lg", f"{rm}:0", "reject", "--reviewer", "alice",
            "--feedback", REJECT_MESSAGE)
    out = cli_run("export", "langgraph", resume, "--queue", "lg", "--reviewer", "alice")
    if "Wrote 3 records" not in out.stdout + out.stderr:
        fail("the export did not write the three decided actions")


def main():
    without_verdict = "--without-verdict" in sys.argv[1:]
    cli = None if without_verdict else os.environ.get("VERDICT_CLI")
    if not without_verdict and (not cli or not os.access(cli, os.X_OK)):
        skip("VERDICT_CLI does not name verdict-cli")
    if shutil.which("node") is None or shutil.which("npm") is None:
        skip("node or npm is not installed")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    if int(version.strip().lstrip("v").split(".")[0] or 0) < 20:
        skip(f"langchain 1.x needs node 20 or later, not {version.strip()}")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "@langchain", "langgraph")):
        skip("run `npm ci` in tests/interop/langgraph first")

    with tempfile.TemporaryDirectory(prefix="verdict-langgraph-") as tmp:
        env = dict(os.environ)
        for name in ("VERDICT_DB", "VERDICT_LLM_URL", "VERDICT_LLM_MODEL", "VERDICT_LLM_API_KEY"):
            env.pop(name, None)
        env.update({
            "HOME": tmp,
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "VERDICT_REVIEWER": "alice",
            "LANGUAGE": "C",
            "LC_ALL": "C.UTF-8",
        })
        db = os.path.join(tmp, "verdict.db")
        interrupts = os.path.join(tmp, "interrupts.json")
        ran_path = os.path.join(tmp, "ran.json")
        resume = os.path.join(tmp, "resume.json")

        def cli_run(*args, expect=0):
            proc = subprocess.run([cli, "--db", db, *args], env=env, capture_output=True,
                                  text=True, timeout=DEADLINE_SECONDS)
            shown = " ".join(args)
            print(f"$ verdict-cli {shown}\n{proc.stdout}{proc.stderr}", end="")
            if proc.returncode != expect:
                fail(f"verdict-cli {shown}: exit {proc.returncode}, expected {expect}")
            return proc

        if cli is not None:
            help_text = subprocess.run([cli, "import", "--help"], env=env, capture_output=True,
                                       text=True, timeout=DEADLINE_SECONDS).stdout
            if "--format" not in help_text:
                skip("this verdict-cli has no `import --format`")

        graph = subprocess.Popen(["node", os.path.join(HERE, "graph.mjs"), interrupts, ran_path],
                                 cwd=HERE, env=env, stdin=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while True:
                if graph.poll() is not None:
                    fail(f"graph.mjs ended ({graph.returncode}) before its interrupts")
                if time.monotonic() > deadline:
                    fail("graph.mjs wrote no interrupts in time")
                try:
                    with open(interrupts, encoding="utf-8") as f:
                        threads = json.load(f)
                    break
                except (json.JSONDecodeError, OSError):
                    time.sleep(0.1)

            ids = {}
            for thread in threads:
                (task_interrupts,) = thread["interrupts"].values()
                ids[thread["thread_id"]] = task_interrupts[0]["id"]
            pay = f"lg:thread-payments:{ids['thread-payments']}"
            rm = f"lg:thread-cleanup:{ids['thread-cleanup']}"

            if cli is None:
                with open(resume, "w", encoding="utf-8") as f:
                    json.dump(hand_written_resume(ids), f)
            else:
                decide_in_verdict(cli_run, interrupts, resume, pay, rm)

            graph.stdin.write(resume + "\n")
            graph.stdin.close()
            graph.wait(timeout=DEADLINE_SECONDS)
        finally:
            if graph.poll() is None:
                graph.kill()
                graph.wait()
        if graph.returncode != 0:
            fail(f"graph.mjs failed to resume ({graph.returncode})")

        with open(ran_path, encoding="utf-8") as f:
            result = json.load(f)

    expected_ran = [
        {"thread_id": "thread-payments", "tool": "send_email",
         "args": {"to": "bob@example.com", "subject": "Invoice paid",
                  "body": "The March invoice is paid."}},
        {"thread_id": "thread-payments", "tool": "transfer_funds", "args": EDITED["args"]},
    ]
    if result["ran"] != expected_ran:
        fail(f"tools ran: {json.dumps(result['ran'])}\nexpected: {json.dumps(expected_ran)}")
    # Types as the reviewer typed them: 1200 an integer, urgent a boolean.
    args = result["ran"][1]["args"]
    if type(args["amount"]) is not int or args["urgent"] is not True:
        fail("the edited arguments lost their JSON types")
    rejected = [m for m in result["tool_messages"] if m["tool"] == "delete_file"]
    if rejected != [{"thread_id": "thread-cleanup", "tool": "delete_file", "status": "error",
                     "content": REJECT_MESSAGE}]:
        fail(f"the rejection did not reach the agent as an error: {json.dumps(rejected)}")

    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
