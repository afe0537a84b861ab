#!/usr/bin/env python3
# bench-run.py: the benchmark table of build-aux/verdict-dev bench.
#
# Usage: bench-run.py BUILD_DIR N [WORK_DIR]
#
# Generates an N-item queue (build-aux/bench-gen-queue.py), then measures on
# BUILD_DIR's programs, each beside a reference measured in the same run:
#   import      verdict-cli import: wall time and peak memory (/usr/bin/time -v)
#               beside the sqlite3 CLI inserting the same fields through json_each
#   audit       verdict-cli audit verify beside sha256sum of the queue file
#   start       window start to the first item drawn (VERDICT_TIMING=1 prints
#               "verdict-timing: first-item-drawn MS") on the N-item store beside
#               the 55-item sample store, median of 3 runs under xvfb-run
#   search      tests/bench/bench-search-page: count and first page of the list
#   decision    tests/bench/bench-decide: a decision and the next item's read
#               through the store's async API, p50 / p99
#   statistics  tests/bench/bench-insights: vd_insights_compute with N/20
#               decisions (50,000 for a million items)
# and prints one table. WORK_DIR (default: a new temporary folder, removed at
# the end) holds the queue and the stores. Exit status 0 when every step ran,
# whether or not it met its goal; 77 when a tool it needs is missing.

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(TOP, "data", "samples", "review-queue.jsonl")
START_TIMEOUT = 60.0


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def run(argv, env=None, check=True, stdin=None):
    """Runs argv; returns (wall seconds, stdout, stderr)."""
    t0 = time.monotonic()
    p = subprocess.run(argv, env=env, stdin=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    if check and p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit("bench: %s failed with status %d" % (argv[0], p.returncode))
    return wall, p.stdout, p.stderr


def timed(argv, stdin=None):
    """Runs argv under /usr/bin/time -v; returns (wall seconds, peak RSS MB, stdout)."""
    wall, out, err = run(["/usr/bin/time", "-v"] + argv, stdin=stdin)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    return wall, int(m.group(1)) / 1024.0 if m else float("nan"), out


def first_item_drawn(build, db):
    """Starts the window on db under Xvfb; returns the first-item-drawn ms or None."""
    env = dict(os.environ,
               GSETTINGS_SCHEMA_DIR=os.path.join(build, "data"),
               GSETTINGS_BACKEND="memory",
               VERDICT_DB=db,
               VERDICT_REVIEWER="alice",
               VERDICT_TIMING="1",
               VERDICT_SAMPLES_DIR=os.path.join(TOP, "data", "samples"))
    p = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24 -noreset",
                          "dbus-run-session", "--",
                          os.path.join(build, "src", "app", "verdict")],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, start_new_session=True)
    found = []
    pattern = re.compile(r"verdict-timing: first-item-drawn ([0-9.]+)")

    def reader():
        for line in p.stdout:
            m = pattern.search(line)
            if m and not found:
                found.append(float(m.group(1)))
                os.killpg(p.pid, signal.SIGTERM)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(START_TIMEOUT)
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    return found[0] if found else None


def median_of(fn, runs=3):
    values = []
    for _ in range(runs):
        v = fn()
        if v is None:
            return None
        values.append(v)
    return statistics.median(values)


def fmt_s(v):
    return "n/a" if v is None else "%.2f s" % v


def fmt_ms(v):
    return "n/a" if v is None else "%.1f ms" % v


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "n/a" if r is None else "%.2fx" % r


def verdict_mark(ok):
    return "n/a" if ok is None else ("yes" if ok else "NO")


def main():
    if len(sys.argv) not in (3, 4):
        print("usage: bench-run.py BUILD_DIR N [WORK_DIR]", file=sys.stderr)
        return 2
    build = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2])
    for tool in ("/usr/bin/time", "sqlite3", "sha256sum", "xvfb-run", "dbus-run-session"):
        if shutil.which(tool) is None:
            print("bench: %s is missing (build-aux/install-deps.sh bench)" % tool,
                  file=sys.stderr)
            return 77
    cli = os.path.join(build, "src", "cli", "verdict-cli")
    bench_dir = os.path.join(build, "tests", "bench")
    for prog in (cli, os.path.join(bench_dir, "bench-search-page"),
                 os.path.join(bench_dir, "bench-decide"),
                 os.path.join(bench_dir, "bench-insights")):
        if not os.access(prog, os.X_OK):
            print("bench: %s is missing (build with -Dtests=true)" % prog, file=sys.stderr)
            return 77

    own_work = len(sys.argv) == 3
    work = tempfile.mkdtemp(prefix="verdict-bench-") if own_work else sys.argv[3]
    os.makedirs(work, exist_ok=True)
    try:
        return bench(build, cli, bench_dir, n, work)
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)


def bench(build, cli, bench_dir, n, work):
    queue = os.path.join(work, "queue.jsonl")
    array = os.path.join(work, "queue.json")
    db = os.path.join(work, "verdict.db")
    small_db = os.path.join(work, "sample.db")
    ref_db = os.path.join(work, "reference.db")
    for f in (db, small_db, ref_db):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f + suffix):
                os.remove(f + suffix)
    rows = []
    notes = []

    log("generating %d items in %s" % (n, work))
    run([sys.executable, os.path.join(TOP, "build-aux", "bench-gen-queue.py"), str(n),
         SAMPLE, queue, array])
    size_mb = os.path.getsize(queue) / 1e6
    load_before = os.getloadavg()[0]

    # import
    log("import")
    imp_s, imp_mb, _ = timed([cli, "--db", db, "import", queue])
    sql = ("CREATE TABLE items (id INTEGER PRIMARY KEY, task_id TEXT, task_type TEXT, "
           "description TEXT, context TEXT, output TEXT, confidence REAL, reasoning TEXT, "
           "metadata TEXT, escalation_reason TEXT, timestamp TEXT);\n"
           "INSERT INTO items (task_id, task_type, description, context, output, confidence, "
           "reasoning, metadata, escalation_reason, timestamp) SELECT "
           "value ->> '$.task_id', value ->> '$.task_type', value ->> '$.task_description', "
           "value ->> '$.context', value ->> '$.agent_output.content', "
           "value ->> '$.agent_output.confidence', value ->> '$.agent_output.reasoning', "
           "value -> '$.agent_output.metadata', value ->> '$.escalation_reason', "
           "value ->> '$.timestamp' FROM json_each(readfile('%s'));\n" % array.replace("'", "''"))
    ref_s = ref_mb = None
    # readfile() returns at most SQLITE_MAX_LENGTH bytes (10^9 in Debian's build).
    if os.path.getsize(array) < 1000000000:
        with tempfile.TemporaryFile("w+") as script:
            script.write(sql)
            script.seek(0)
            ref_s, ref_mb, _ = timed(["sqlite3", ref_db], stdin=script)
        _, count, _ = run(["sqlite3", ref_db, "SELECT count(*) FROM items"])
        if int(count.strip()) != n:
            raise SystemExit("bench: the sqlite3 reference holds %s items, not %d"
                             % (count.strip(), n))
    else:
        notes.append("import: the queue as one JSON array is over 10^9 bytes, more than "
                     "the sqlite3 CLI's readfile() returns; no reference")
    os.remove(array)
    r = ratio(imp_s, ref_s)
    rows.append(("import %d items (%.0f MB)" % (n, size_mb), fmt_s(imp_s), fmt_s(ref_s) +
                 " (sqlite3 json_each)", fmt_ratio(r), "<= 1.0x",
                 verdict_mark(None if r is None else r <= 1.0)))
    rows.append(("import peak memory", "%.0f MB" % imp_mb,
                 "n/a" if ref_mb is None else "%.0f MB (sqlite3)" % ref_mb, "",
                 "< 200 MB", verdict_mark(imp_mb < 200)))

    # audit verify
    log("audit verify")
    ver_s = statistics.median(run([cli, "--db", db, "audit", "verify"])[0] for _ in range(3))
    sha_s = statistics.median(run(["sha256sum", queue])[0] for _ in range(3))
    r = ratio(ver_s, sha_s)
    rows.append(("audit verify", fmt_s(ver_s), fmt_s(sha_s) + " (sha256sum queue)",
                 fmt_ratio(r), "<= 1.5x", verdict_mark(r <= 1.5)))

    # start
    log("window start")
    run([cli, "--db", small_db, "import", SAMPLE])
    app = os.path.join(build, "src", "app", "verdict")
    with open(app, "rb") as f:
        has_marker = b"first-item-drawn" in f.read()
    small_ms = None
    if has_marker:
        small_ms = median_of(lambda: first_item_drawn(build, small_db))
    big_ms = median_of(lambda: first_item_drawn(build, db)) if small_ms is not None else None
    r = ratio(big_ms, small_ms)
    rows.append(("start to first item drawn", fmt_ms(big_ms),
                 fmt_ms(small_ms) + " (55-item store)", fmt_ratio(r), "<= 1.2x",
                 verdict_mark(None if r is None else r <= 1.2)))
    if not has_marker:
        notes.append("start: this build of the app has no VERDICT_TIMING marker "
                     "(\"verdict-timing: first-item-drawn MS\")")
    elif small_ms is None:
        notes.append("start: the app printed no \"verdict-timing: first-item-drawn\" line "
                     "within %.0f s with VERDICT_TIMING=1" % START_TIMEOUT)

    # search
    log("search")
    terms = ["needle7", "needle777", "%s-%08d" % ("paym", n // 2), "Invoice", "zzzq"]
    _, out, _ = run([os.path.join(bench_dir, "bench-search-page"), db] + terms)
    search_ms = float(re.search(r"^search-ms ([0-9.]+)", out, re.M).group(1))
    rows.append(("search (count + first page)", fmt_ms(search_ms), "", "", "< 50 ms",
                 verdict_mark(search_ms < 50)))
    notes.append("search: median of per-term medians (5 runs each) over " +
                 ", ".join('"%s"' % t for t in terms))

    # decision latency
    log("decision latency")
    n_latency = max(1, min(1000, n // 4))
    _, out, _ = run([os.path.join(bench_dir, "bench-decide"), db, str(n_latency)])
    p50 = float(re.search(r"^decide-p50-ms ([0-9.]+)", out, re.M).group(1))
    p99 = float(re.search(r"^decide-p99-ms ([0-9.]+)", out, re.M).group(1))
    rows.append(("decision latency p50 / p99 (%d)" % n_latency,
                 "%.1f / %.1f ms" % (p50, p99), "", "", "", ""))
    notes.append("decision latency: the store's round trip as the window makes it "
                 "(record_decision_async, then the next item's get_items_by_id_async), "
                 "not key press to frame")

    # statistics
    n_decisions = max(1, n // 20)
    log("statistics (%d decisions, made one by one)" % n_decisions)
    _, out, _ = run([os.path.join(bench_dir, "bench-insights"), str(n), str(n_decisions), db])
    stats_s = float(re.search(r"best of 3: ([0-9.]+) s", out).group(1))
    rows.append(("statistics (%d decisions)" % n_decisions, fmt_ms(stats_s * 1000), "", "",
                 "< 300 ms", verdict_mark(stats_s < 0.3)))
    notes.append("statistics: vd_insights_compute, best of 3 (tests/bench/bench-insights)")

    notes.append("load average (1 min) %.1f at the start, %.1f at the end, on %d cores: "
                 "ratios are measured in the same run, absolute times vary with the load"
                 % (load_before, os.getloadavg()[0], os.cpu_count() or 0))

    header = ("step", "Verdict", "reference (same run)", "ratio", "goal", "met")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))
    print()
    for note in notes:
        print("- " + note)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
