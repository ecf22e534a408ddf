#!/usr/bin/env python3
"""Feed the contract's vectors to a conformance testee and judge its answers.

    run_vectors.py --testee CMD [--testee CMD2 ...] [--vectors FILE] [--only ID-PREFIX]

Every case goes to the testee as one JSON line; the testee answers one line
per case. A valid case passes when the testee says ok and its output is the
expected canonical JSON byte for byte, with the same set of warnings; an
invalid case passes when the testee reports the same set of (rule, path)
errors and warnings; an input-error case when the testee says input_error.
A testee that crashes, hangs or skips a case fails those cases. Prints one
line per failure (and per case with -v), then `N passed, N failed`.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pairs(items) -> list[tuple[str, str]]:
    return sorted((x["rule"], x["path"]) for x in items or [])


def judge(case: dict, got: dict | None) -> str | None:
    """None when the answer is right, else what is wrong."""
    if got is None:
        return "no answer"
    if case.get("input_error"):
        return None if "input_error" in got else "expected an input error, got %s" % summary(got)
    if "input_error" in got:
        return "input error: %s" % got["input_error"]
    if case["valid"]:
        if not got.get("ok"):
            return "expected valid, got errors %s" % pairs(got.get("errors"))
        out, want = str(got.get("output")), case["expected"]
        if out != want:
            at = next((i for i, (a, b) in enumerate(zip(out, want)) if a != b), min(len(out), len(want)))
            lo = max(0, at - 60)
            return "output differs at byte %d:\n    expected ...%s\n    got      ...%s" % (
                at, want[lo:at + 60], out[lo:at + 60])
    else:
        if got.get("ok"):
            return "expected errors %s, got ok" % pairs(case["errors"])
        if pairs(got.get("errors")) != pairs(case["errors"]):
            return "errors differ: expected %s, got %s" % (pairs(case["errors"]), pairs(got.get("errors")))
    if pairs(got.get("warnings")) != pairs(case.get("warnings")):
        return "warnings differ: expected %s, got %s" % (pairs(case.get("warnings")), pairs(got.get("warnings")))
    return None


def summary(got: dict) -> str:
    return json.dumps({k: v for k, v in got.items() if k != "output"})[:300]


def run_testee(cmd: str, cases: list[dict], timeout: float) -> tuple[dict, str]:
    """Send every case; return {id: answer} and a note about how the testee ended."""
    requests = "".join(json.dumps({"id": c["id"], "type": c["type"], "input": c["input"]},
                                  ensure_ascii=False) + "\n" for c in cases)
    try:
        proc = subprocess.run(shlex.split(cmd), input=requests.encode("utf-8"), capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {}, "timed out after %.0fs" % timeout
    except OSError as e:
        return {}, "could not start: %s" % e
    answers: dict = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        try:
            a = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(a, dict) and "id" in a:
            answers[a["id"]] = a
    note = "" if proc.returncode == 0 else "exited with %d: %s" % (
        proc.returncode, proc.stderr.decode("utf-8", "replace")[-500:])
    return answers, note


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--testee", action="append", required=True, help="command line of a testee")
    ap.add_argument("--vectors", type=Path, default=ROOT / "generated" / "vectors" / "otel_metric.json")
    ap.add_argument("--only", default="", help="only cases whose id starts with this")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    cases = [c for c in json.loads(args.vectors.read_text(encoding="utf-8"))["cases"]
             if c["id"].startswith(args.only)]
    passed = failed = 0
    for cmd in args.testee:
        answers, note = run_testee(cmd, cases, args.timeout)
        if note:
            print("testee %s %s" % (cmd, note))
        for c in cases:
            problem = judge(c, answers.get(c["id"]))
            if problem is None:
                passed += 1
                if args.verbose:
                    print("PASS %s" % c["id"])
            else:
                failed += 1
                print("FAIL %s [%s]: %s" % (c["id"], Path(shlex.split(cmd)[0]).name, problem))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
