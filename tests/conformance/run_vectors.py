#!/usr/bin/env python3
"""Feed the contract's vectors to a conformance testee and judge its answers.

    run_vectors.py --testee CMD [--testee CMD2 ...] [--vectors FILE] [--only ID-PREFIX]
                   [--expect-same-as REFCMD]
    run_vectors.py --parity c=CMD --parity go=CMD --parity rust=CMD [--matrix FILE]

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

With --parity NAME=CMD (repeated; the first one, the C SDK, is the
reference) every testee is judged against the vectors as above, and each
other language must also agree with the reference on every case: the same
verdict, the same set of (rule, path, severity) errors and warnings, and an
output equal as a JSON value with every number compared exactly (integers as
integers, doubles bit for bit, an integer never equal to a double). The
reference's output is the canonical text byte for byte (the vectors say so);
another language whose text differs while the value is equal still agrees,
and the matrix marks the cell and says what differs (number formatting, key
order, escaping). Prints the matrix (case x language) and `N passed, N
failed` over all cells; --matrix also writes it as Markdown.
"""
from __future__ import annotations

import argparse
import json
import shlex
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pairs(items) -> list[tuple[str, str]]:
    return sorted((x["rule"], x["path"]) for x in items or [])


def judge(case: dict, got: dict | None, exact: bool = True) -> str | None:
    """None when the answer is right, else what is wrong. With exact=False a
    valid case's output needs only be equal to the expected one as a JSON
    value (numbers compared exactly), not byte for byte."""
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
        if not exact:
            problem, _ = value_difference(out, want)
            if problem is not None:
                return problem
        elif out != want:
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


# ------------------------------------------------------------------ parity

class Num:
    """A JSON number kept exactly: ("int", n) or ("double", IEEE bits)."""
    __slots__ = ("kind", "key", "text")

    def __init__(self, kind: str, key: int, text: str) -> None:
        self.kind, self.key, self.text = kind, key, text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Num) and (self.kind, self.key) == (other.kind, other.key)

    def __hash__(self) -> int:
        return hash((self.kind, self.key))

    def __repr__(self) -> str:
        return self.text


def _double(text: str) -> Num:
    # float() rounds correctly, so two texts of one double give the same bits.
    return Num("double", struct.unpack("<Q", struct.pack("<d", float(text)))[0], text)


def exact_json(text: str):
    """JSON text as a value whose == compares numbers exactly; objects become
    {"{}": [(key, value), ...]} so that order and repeated keys are kept and
    compared separately (see value_difference)."""
    return json.loads(text, parse_int=lambda t: Num("int", int(t), t), parse_float=_double,
                      parse_constant=lambda t: _double(t),
                      object_pairs_hook=lambda pairs: {"{}": list(pairs)})


def _unordered(v):
    """Object members as a sorted tuple: equality of JSON values ignores order."""
    if isinstance(v, dict):
        return ("{}", tuple(sorted(((k, _unordered(x)) for k, x in v["{}"]), key=lambda kv: kv[0])))
    if isinstance(v, list):
        return ("[]", tuple(_unordered(x) for x in v))
    return v


def _text_differences(g, r, formats: list, orders: list) -> None:
    """Walk two equal JSON values side by side: collect numbers written with
    other text, and objects whose keys come in another order."""
    if isinstance(g, dict):
        if [k for k, _ in g["{}"]] != [k for k, _ in r["{}"]]:
            orders.append([k for k, _ in g["{}"]])
        for (_, a), (_, b) in zip(sorted(g["{}"], key=lambda kv: kv[0]), sorted(r["{}"], key=lambda kv: kv[0])):
            _text_differences(a, b, formats, orders)
    elif isinstance(g, list):
        for a, b in zip(g, r):
            _text_differences(a, b, formats, orders)
    elif isinstance(g, Num) and g.text != r.text:
        formats.append((g.text, r.text))


def value_difference(got: str, ref: str) -> tuple[str | None, str | None]:
    """(problem, note) for an output text against the reference's output text:
    problem when the JSON values differ, else a note when only the text does."""
    if got == ref:
        return None, None
    try:
        g, r = exact_json(got), exact_json(ref)
    except ValueError as e:
        return "output is not JSON: %s" % e, None
    if _unordered(g) != _unordered(r):
        at = next((i for i, (a, b) in enumerate(zip(got, ref)) if a != b), min(len(got), len(ref)))
        lo = max(0, at - 50)
        return "output value differs near byte %d: reference ...%s / this ...%s" % (
            at, ref[lo:at + 50], got[lo:at + 50]), None
    notes: list[str] = []
    fmt: list = []
    orders: list = []
    _text_differences(g, r, fmt, orders)
    if fmt:
        notes.append("%d number(s) formatted differently, e.g. %s for %s" % (len(fmt), fmt[0][0], fmt[0][1]))
    if orders:
        notes.append("object keys in another order in %d object(s)" % len(orders))
    if not notes:
        notes.append("same value, other text (string escaping or spacing)")
    return None, "; ".join(notes)


def violation_set(answer: dict, key: str) -> list:
    return sorted((x.get("rule"), x.get("path"), x.get("severity")) for x in answer.get(key) or [])


def verdict(answer: dict | None) -> str:
    if answer is None:
        return "no answer"
    if "input_error" in answer:
        return "input_error"
    return "ok" if answer.get("ok") else "invalid"


def parity_problem(got: dict | None, ref: dict | None) -> tuple[str | None, str | None]:
    """(problem, note) for one language's answer against the reference's."""
    if got is None or ref is None:
        return ("no answer" if got is None else "the reference gave no answer"), None
    if verdict(got) != verdict(ref):
        return "verdict %s, reference %s" % (verdict(got), verdict(ref)), None
    for key in ("errors", "warnings"):
        if violation_set(got, key) != violation_set(ref, key):
            return "%s differ: %s, reference %s" % (key, violation_set(got, key), violation_set(ref, key)), None
    if verdict(ref) == "ok":
        return value_difference(str(got.get("output")), str(ref.get("output")))
    return None, None


def run_parity(specs: list[str], cases: list[dict], timeout: float, matrix_file: Path | None,
               verbose: bool) -> int:
    langs: list[tuple[str, str]] = []
    for spec in specs:
        name, sep, cmd = spec.partition("=")
        if not sep or not name or not cmd:
            raise SystemExit("--parity takes NAME=CMD, got %r" % spec)
        langs.append((name, cmd))
    answers: dict[str, dict] = {}
    for name, cmd in langs:
        answers[name], note = run_testee(cmd, cases, timeout)
        if note:
            print("testee %s (%s) %s" % (name, cmd, note))
    ref_name = langs[0][0]
    passed = failed = 0
    rows: list[tuple[str, list[str]]] = []
    notes: list[str] = []
    per_lang = {name: [0, 0, 0] for name, _ in langs}  # agree, agree with a note, fail
    for c in cases:
        cells = []
        ref = answers[ref_name].get(c["id"])
        for name, _ in langs:
            got = answers[name].get(c["id"])
            problem = judge(c, got, exact=name == ref_name)
            note = None
            if name != ref_name:
                other, note = parity_problem(got, ref)
                if other is not None:
                    problem = other if problem is None else "%s; and %s" % (problem, other)
            if problem is not None:
                failed += 1
                per_lang[name][2] += 1
                cells.append("FAIL")
                print("FAIL %s [%s]: %s" % (c["id"], name, problem))
            else:
                passed += 1
                per_lang[name][1 if note else 0] += 1
                cells.append("ok*" if note else "ok")
                if note:
                    notes.append("%s [%s]: %s" % (c["id"], name, note))
        rows.append((c["id"], cells))
    names = [n for n, _ in langs]
    width = max(len(r[0]) for r in rows) if rows else 4
    lines = ["%s  %s" % ("case".ljust(width), "  ".join(n.ljust(5) for n in names))]
    for cid, cells in rows:
        verdicts = verdict(answers[ref_name].get(cid))
        lines.append("%s  %s  (%s)" % (cid.ljust(width), "  ".join(x.ljust(5) for x in cells), verdicts))
    print("\n".join(lines))
    print("parity matrix: %d cases x %d languages (%s is the reference: canonical bytes)" % (
        len(cases), len(names), ref_name))
    for name in names:
        ok, ok_note, bad = per_lang[name]
        print("  %-5s %d agree, %d agree with different text, %d fail" % (name, ok, ok_note, bad))
    for n in notes[:20]:
        print("  note: " + n)
    if len(notes) > 20:
        print("  ... and %d more notes" % (len(notes) - 20))
    if matrix_file is not None:
        md = ["# Parity matrix", "",
              "Generated by `tests/conformance/run_vectors.py --parity`: every vector through every",
              "language's testee. `ok`: the same verdict, the same (rule, path, severity) errors and",
              "warnings, and an output equal to %s's as a JSON value with numbers compared exactly;" % ref_name,
              "`ok*`: the same, but the output text differs (see the notes); `FAIL`: not the same.", "",
              "| case | verdict | " + " | ".join(names) + " |",
              "|---|---|" + "---|" * len(names)]
        for cid, cells in rows:
            md.append("| `%s` | %s | %s |" % (cid, verdict(answers[ref_name].get(cid)), " | ".join(cells)))
        md += ["", "%d passed, %d failed" % (passed, failed), ""]
        md += ["- %s" % n for n in notes]
        matrix_file.parent.mkdir(parents=True, exist_ok=True)
        matrix_file.write_text("\n".join(md) + "\n", encoding="utf-8")
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--testee", action="append", default=[], help="command line of a testee")
    ap.add_argument("--parity", action="append", default=[], metavar="NAME=CMD",
                    help="a language's testee for the parity matrix; the first is the reference (C)")
    ap.add_argument("--matrix", type=Path, default=None, help="with --parity: write the matrix as Markdown")
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
    if args.parity:
        if args.testee or args.expect_same_as:
            ap.error("--parity is used on its own")
        return run_parity(args.parity, cases, args.timeout, args.matrix, args.verbose)
    if not args.testee:
        ap.error("give --testee (or --parity)")
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
