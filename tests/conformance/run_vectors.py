#!/usr/bin/env python3
"""Feed the contract's vectors to a conformance testee and judge its answers.

    run_vectors.py --testee CMD [--testee CMD2 ...] [--vectors FILE] [--only ID-PREFIX]
                   [--expect-same-as REFCMD]

Every case goes to the testee as one JSON line; the testee answers one line
per case. A valid case passes when the testee says ok and its output is the
expected canonical JSON byte for byte, with the same set of warnings; an
invalid case passes when the testee reports the same set of (rule, path)
errors and warnings; an input-error case when the testee says input_error.
A testee that crashes, hangs or skips a case fails those cases. Prints one
line per failure (and per case with -v), then `N passed, N failed`.

With --expect-same-as REFCMD the reference testee REFCMD is judged too (one
more testee), and every answer of each --testee must also be the same as the
reference's answer to that case: the same JSON line, except that the items
of "errors" and "warnings" may come in another order. Strings are compared
byte for byte ("output" included, and bytes that are not UTF-8), so are
"ok", "input_error" and which keys are present. Used to check that the
wasm32-wasi build of the C testee answers exactly what the native build does.
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


def run_testee(cmd: str, cases: list[dict], timeout: float, raw: dict | None = None) -> tuple[dict, str]:
    """Send every case; return {id: answer} and a note about how the testee ended.

    With raw, also fill it with {id: the answer's line as bytes}."""
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
    for line in proc.stdout.decode("utf-8", "replace").split("\n"):
        try:
            a = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(a, dict) and "id" in a:
            answers[a["id"]] = a
    if raw is not None:
        for line in proc.stdout.split(b"\n"):
            try:
                a = exact_answer(line)
            except ValueError:
                continue
            if isinstance(a, dict) and isinstance(a.get("id"), str):
                raw[a["id"]] = line
    note = "" if proc.returncode == 0 else "exited with %d: %s" % (
        proc.returncode, proc.stderr.decode("utf-8", "replace")[-500:])
    return answers, note


def exact_answer(line: bytes):
    """An answer line as data without losing a byte: bytes that are not UTF-8
    become lone surrogates (surrogateescape), so equal data means equal bytes
    (the testees never write \\u escapes for characters at or above U+0020);
    the items of "errors" and "warnings" are put in one fixed order."""
    a = json.loads(line.decode("utf-8", "surrogateescape"))
    if isinstance(a, dict):
        for key in ("errors", "warnings"):
            if isinstance(a.get(key), list):
                a[key] = sorted(a[key], key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=True))
    return a


def differs(got: bytes | None, ref: bytes | None, ref_name: str) -> str | None:
    """None when the answer line got is the same as the reference's, else how not."""
    if ref is None:
        return "%s gave no answer to compare with" % ref_name
    if got is None:
        return "no answer, %s answered %s" % (ref_name, ref[:200].decode("utf-8", "replace"))
    if got == ref:
        return None
    g, r = exact_answer(got), exact_answer(ref)
    if g == r:
        return None  # only the order inside errors/warnings differs
    if not isinstance(g, dict) or not isinstance(r, dict):
        return "answer differs from %s's" % ref_name
    for key in sorted(set(g) | set(r)):
        if key not in g or key not in r:
            return "%r is only in %s" % (key, "this answer" if key in g else "%s's answer" % ref_name)
        a, b = g[key], r[key]
        if a == b:
            continue
        if isinstance(a, str) and isinstance(b, str):
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            lo = max(0, at - 60)
            return "%r differs from %s's at character %d:\n    %s ...%r\n    this answer ...%r" % (
                key, ref_name, at, ref_name.ljust(11), b[lo:at + 60], a[lo:at + 60])
        return "%r differs from %s's: %s, not %s" % (
            key, ref_name, json.dumps(a, ensure_ascii=True)[:200], json.dumps(b, ensure_ascii=True)[:200])
    return "answer differs from %s's" % ref_name


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--testee", action="append", required=True, help="command line of a testee")
    ap.add_argument("--vectors", type=Path, default=ROOT / "generated" / "vectors" / "otel_metric.json")
    ap.add_argument("--only", default="", help="only cases whose id starts with this")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--expect-same-as", metavar="REFCMD", default=None,
                    help="a reference testee (judged too) whose answers every --testee must repeat "
                         "exactly (order inside errors/warnings aside)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    cases = [c for c in json.loads(args.vectors.read_text(encoding="utf-8"))["cases"]
             if c["id"].startswith(args.only)]
    passed = failed = 0
    reference: dict | None = None
    ref_name = ""
    testees = list(args.testee)
    if args.expect_same_as is not None:
        # The reference first: its answers are what the others must repeat.
        reference = {}
        ref_name = Path(shlex.split(args.expect_same_as)[0]).name
        testees.insert(0, args.expect_same_as)
    for n, cmd in enumerate(testees):
        is_reference = reference is not None and n == 0
        raw: dict | None = None if reference is None else {}
        answers, note = run_testee(cmd, cases, args.timeout, raw=raw)
        if is_reference:
            reference = raw
        if note:
            print("testee %s %s" % (cmd, note))
        for c in cases:
            problem = judge(c, answers.get(c["id"]))
            if reference is not None and not is_reference:
                other = differs(raw.get(c["id"]), reference.get(c["id"]), ref_name)
                if other is not None:
                    problem = other if problem is None else "%s; and %s" % (problem, other)
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
