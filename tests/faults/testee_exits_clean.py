#!/usr/bin/env python3
"""The conformance testee, built with the sanitizers, exits 0 with nothing on
stderr after answering every vector and a set of odd lines.

    testee_exits_clean.py PATH-TO-sr_testee

tests/conformance/run_vectors.py judges the answers but only reports the
testee's exit status; under AddressSanitizer a leak is reported when the
process exits, after every answer is out, so a leak would pass there
unnoticed. This runs the same requests and fails on any exit status other
than 0 or any sanitizer report.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "generated" / "vectors" / "otel_metric.json"

ODD_LINES = [
    b"not json",
    b"{}",
    b"[]",
    b'{"id":1,"type":"otel_metric","input":[]}',
    b'{"id":2,"type":"otel_log","input":{}}',
    b'{"id":3,"type":"otel_metric","input":{"points":[{"time_unix_nano":184467440737095516150}]}}',
    b'{"id":4,"type":"otel_metric","input":{"name":{"bytes_hex":"abc"}}}',
    b'{"id":5,"type":"otel_metric","input":{"metadata":[{"key":"k","value":{"array":[{"array":[]}]}}]}}',
    b'{"id":6,"type":"otel_metric","input":{"name":"a\x00b"}}',
    b'{"id":7,"type":"otel_metric","input":{"points":[{"bucket_counts":[1,"x"]}]}}',
    b"\xff\xfe",
]


def main() -> int:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    testee = sys.argv[1]
    cases = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
    lines = [json.dumps({"id": c["id"], "type": c["type"], "input": c["input"]}, ensure_ascii=False).encode("utf-8")
             for c in cases] + ODD_LINES
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    done = subprocess.run([testee], input=b"\n".join(lines) + b"\n", capture_output=True, env=env, timeout=600)
    answers = done.stdout.count(b"\n")
    problems = []
    if done.returncode != 0:
        problems.append("exit status %d" % done.returncode)
    if done.stderr:
        problems.append("stderr:\n" + done.stderr.decode("utf-8", "replace")[-3000:])
    if answers != len(lines):
        problems.append("%d answers to %d lines" % (answers, len(lines)))
    if problems:
        print("testee %s: %s" % (testee, "; ".join(problems)))
        return 1
    print("testee %s: %d lines answered, exit status 0, nothing on stderr" % (testee, len(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
