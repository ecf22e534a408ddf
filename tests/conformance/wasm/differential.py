#!/usr/bin/env python3
"""Feed two conformance testees the same odd request lines; their answers must agree.

    differential.py --testee CMD --reference REFCMD [--count N] [--seed S] [-v]

Checks json_lite (the json-c stand-in of the wasm32-wasi testee, see
json_lite.c) against json-c 0.16 beyond the vectors: the reference is the
native testee (json-c), the testee the wasm one (`srhost exec --wasm
.../sr_testee.wasm`) or a native build with json_lite. The lines are
  - every vector request (as run_vectors.py sends them), except the largest;
  - hand-written edge cases: \\u escapes and lone surrogates, NUL bytes,
    duplicate keys, nesting at and past json-c's depth, integers at and past
    the 64-bit limits, doubles that overflow or underflow, NaN/Infinity, ids
    of every JSON type, bytes that are not UTF-8, truncated lines;
  - N (default 3000) random mutations of the smaller vector requests (bytes
    flipped, inserted, deleted or repeated; numbers swapped for edge values;
    lines cut short), from a fixed seed.
Both testees must answer every line and exit 0. A line that is JSON as
Python's json module reads it (strict RFC 8259 plus NaN/Infinity/-Infinity)
must get byte-for-byte the same answer line from both. On other lines json-c
0.16 is lenient where json_lite is strict (comments, single quotes, trailing
commas, ... see json_lite.c): there the testee may instead answer what a line
that does not parse gets. Prints one line per disagreement, then
`N lines, N same, N lenient-only, N differ`; exit status 1 when any differ.
"""
from __future__ import annotations

import argparse
import json
import random
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# What the testee answers when json_tokener_parse_verbose returns NULL:
# answer(NULL), or the out-of-range branch of main() without an id.
UNPARSED = {
    b'{"ok":false,"input_error":"request is not {id, type, input}"}',
    b'{"ok":false,"input_error":"an integer is out of the 64-bit range"}',
}

BASE = {"resource": {"service": {"name": "s"}}, "name": "up", "kind": "gauge",
        "points": [{"time_unix_nano": 1, "as_int": 1}]}


def request(input_: object, id_: object = "e") -> bytes:
    return json.dumps({"id": id_, "type": "otel_metric", "input": input_}, ensure_ascii=False).encode()


def with_name(raw_name: str) -> bytes:
    """BASE with `name` set to a raw JSON string literal (escapes kept)."""
    return request(BASE).replace(b'"name": "up"', b'"name": ' + raw_name.encode())


def edge_cases() -> list[bytes]:
    lines: list[bytes] = []
    # \u escapes, surrogates (paired, lone, reversed, followed by junk), NUL.
    for lit in [r'"\u0041\u00e9\u20ac"', r'"\ud83d\ude00"', r'"\uD83D\uDE00"', r'"\ud800"',
                r'"\udc00"', r'"x\ud800y"', r'"\ud800\u0041"', r'"\ud800\ud800"',
                r'"\ud800\ud800\udc00"', r'"\udc00\ud800"', r'"\ud800\\u"', r'"\ud800\u"',
                r'"\ud800\uZZZZ"', r'"\ud800\u12"', r'"\udbff\udfff"', r'"a\u0000b"', r'"\u0000"',
                r'"\/\b\f\n\r\t\"\\"', r'"\x"', r'"\u12G4"', r'"\U0041"', '"\x7f"', '"é"',
                '"\xe2\x80\xa8"', '"\xc2\x85"', r'"\u2028\u0085"', '"tab\there"', '"nl\\nthere"',
                r'"\u001f\u007f"', '""']:
        lines.append(with_name(lit))
    # Bytes that are not UTF-8, raw inside strings and outside.
    lines.append(request(BASE).replace(b'"up"', b'"u\xffp"'))
    lines.append(request(BASE).replace(b'"up"', b'"\xed\xa0\x80"'))
    lines.append(request(BASE).replace(b'"up"', b'"\xc0\xaf"'))
    lines.append(request(BASE).replace(b'"up"', b'"up"\xff'))
    # Object keys: duplicates, keys with NUL, empty keys, odd keys.
    lines.append(request(BASE)[:-1] + b', "type": "otel_metric"}')
    lines.append(request(BASE).replace(b'"name": "up"', b'"name": "a", "name": "up"'))
    lines.append(request(BASE).replace(b'"name": "up"', b'"name": "up", "name": 5'))
    lines.append(request(BASE).replace(b'"name": "up"', b'"name\\u0000x": "up"'))
    lines.append(request(BASE).replace(b'"name": "up"', b'"name": "up", "": 1'))
    lines.append(request(BASE).replace(b'"name": "up"', b'"name": "up", "\\u00e9\\ud800": 1'))
    lines.append(b'{"id": "dup", "id": "dup2", "type": "otel_metric", "input": {}}')
    lines.append(b'{"type": "otel_metric", "input": {}, "id": "late"}')
    # Nesting around json-c's limit (31 containers deep is the most).
    for depth in (29, 30, 31, 32, 40, 200):
        inner = "[" * (depth - 3) + "1" + "]" * (depth - 3)
        lines.append(('{"id": "deep%d", "type": "otel_metric", "input": {"x": %s}}' % (depth, inner)).encode())
        inner = '{"a":' * (depth - 3) + "1" + "}" * (depth - 3)
        lines.append(('{"id": "deepo%d", "type": "otel_metric", "input": {"x": %s}}' % (depth, inner)).encode())
    # Integers and doubles at the edges, in fields of every integer type.
    nums = ["0", "-0", "1", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "18446744073709551615", "18446744073709551616", "4294967295",
            "4294967296", "00", "01", "-01", "1.", ".5", "+1", "1e", "1e+", "1.0", "-0.0", "1e999",
            "-1e999", "1e-400", "2.2250738585072011e-308", "4.9e-324", "0.1", "1E2", "2.5E+3",
            "123456789012345678901234567890", "-123456789012345678901234567890",
            "0000000000000000000000000001", "17976931348623157e292", "NaN", "Infinity", "-Infinity",
            "nan", "infinity", "-infinity", "NAN", "-NaN", "true", "TRUE", "null", "NULL", "-", "--1", "0x10",
            "1_000", "1.5e3.2", "9007199254740993", "0.30000000000000004"]
    for n in nums:
        for field in ("time_unix_nano", "as_int", "as_double", "start_time_unix_nano"):
            lines.append(request(BASE).replace(b'"time_unix_nano": 1, "as_int": 1',
                                               ('"time_unix_nano": 1, "%s": %s' % (field, n)).encode()
                                               if field != "time_unix_nano" else
                                               ('"time_unix_nano": %s, "as_int": 1' % n).encode()))
        lines.append(('{"id": %s, "type": "otel_metric", "input": {}}' % n).encode())
    # Ids of every JSON type, written in several ways.
    for id_ in ['1', '1.50', '1.0e2', '-0.0', 'null', 'true', 'false', '[]', '{}', '[1, "a", null]',
                '{"a": {"b": [1.25, "x"]}}', '"a/b"', '"\\u0001\\u001f"', '"\\ud800"', '"é✓😀"', '""']:
        lines.append(('{"id": %s, "type": "otel_metric", "input": {}}' % id_).encode())
        lines.append(('{"id": %s, "type": "otel_metric", "input": %s}' % (id_, json.dumps(BASE))).encode())
    # Request shapes and whitespace.
    lines += [b"null", b"[]", b"{}", b"1", b'"x"', b"true", b" ", b"\t", b"\r", b"\x00", b"\x00{}",
              b'{"id": "x"}', b'{"id": "x", "type": 1, "input": {}}', b'{"id": "x", "type": "otel_log", "input": {}}',
              b'{"id": "ws" , "type" :"otel_metric" ,"input":{ } }', b'\t{"id": "ws2", "type": "otel_metric", "input": {}}\r',
              b'{"id": "x", "type": "otel_metric", "input": {}} ', b'{"id": "x", "type": "otel_metric", "input": {}}x',
              b'{"id": "x", "type": "otel_metric", "input": {}}{}', b'{"id": "x", "type": "otel_metric", "input": {},}',
              b"{'id': 'x', 'type': 'otel_metric', 'input': {}}", b'/*c*/{"id": "x", "type": "otel_metric", "input": {}}',
              b'{"id": "x", "type": "otel_metric", "input": {}} // c', b'{"id": "x"\x0b, "type": "otel_metric", "input": {}}',
              b'{"id": "x", "type": "otel_metric", "input": {"points": [1,,2]}}',
              b'{"id": "x", "type": "otel_metric", "input": {"points": [1,2,]}}',
              b'\xef\xbb\xbf{"id": "bom", "type": "otel_metric", "input": {}}',
              b'{"id": "x", "type": "otel_metric", "input": {"name": "a\x00b"}}']
    # Every request cut short at every few bytes.
    full = request(BASE, "cut")
    lines += [full[:i] for i in range(1, len(full), 3)]
    return lines


EDGE_NUMBERS = [b"0", b"-0", b"-1", b"18446744073709551615", b"18446744073709551616", b"9223372036854775808",
                b"-9223372036854775809", b"1e999", b"1e-400", b"NaN", b"-Infinity", b"1.5", b"4294967296",
                b"01", b"1.", b'"NaN"', b'"Infinity"', b"null", b"true", b"[]", b"{}"]
INSERTS = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u", b"\\ud800", b"0", b"-", b".", b"e",
           b" ", b"\t", b"\x00", b"\x01", b"\x7f", b"\xff", b"\xc3", b"\xe2\x82", b"null", b"NaN", b"/*", b"'"]


def mutate(rng: random.Random, line: bytes) -> bytes:
    b = bytearray(line)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        op = rng.randrange(7)
        at = rng.randrange(len(b) + 1)
        if op == 0 and b:  # flip a byte
            b[min(at, len(b) - 1)] = rng.randrange(256)
        elif op == 1:  # insert a JSON-ish fragment
            b[at:at] = rng.choice(INSERTS)
        elif op == 2 and b:  # delete a span
            del b[at:at + rng.randrange(1, 8)]
        elif op == 3 and b:  # repeat a span
            span = b[at:at + rng.randrange(1, 40)]
            b[at:at] = span
        elif op == 4:  # swap a number for an edge value
            digits = [i for i in range(len(b)) if 48 <= b[i] <= 57 and (i == 0 or not 48 <= b[i - 1] <= 57)]
            if digits:
                i = rng.choice(digits)
                j = i
                while j < len(b) and (48 <= b[j] <= 57 or b[j] in b".eE+-"):
                    j += 1
                b[i:j] = rng.choice(EDGE_NUMBERS)
        elif op == 5:  # cut the line short
            del b[at:]
        else:  # swap a string for an odd one
            quotes = [i for i in range(len(b)) if b[i] == 34]
            if len(quotes) >= 2:
                k = rng.randrange(len(quotes) - 1)
                b[quotes[k] + 1:quotes[k + 1]] = rng.choice(
                    [b"\\ud800", b"\\udc00\\ud800", b"a\\u0000b", b"\xff\xfe", b"\\u00e9", b"", b"\\/", b"\\x"])
    return bytes(b).replace(b"\n", b"")


def lines_for(count: int, seed: int) -> list[bytes]:
    cases = json.loads((ROOT / "generated" / "vectors" / "otel_metric.json").read_text(encoding="utf-8"))["cases"]
    vectors = [request(c["input"], c["id"]) for c in cases]
    vectors.sort(key=len)
    vectors = vectors[:-1]  # the 16k-point case is covered by run_vectors.py
    small = [v for v in vectors if len(v) < 4000]
    rng = random.Random(seed)
    mutated = [mutate(rng, rng.choice(small)) for _ in range(count)]
    # getline hands "\n" alone to the testee as an empty line, which it skips.
    return [x for x in vectors + edge_cases() + mutated if x]


def run(cmd: str, lines: list[bytes], timeout: float) -> tuple[list[bytes], str]:
    try:
        p = subprocess.run(shlex.split(cmd), input=b"".join(x + b"\n" for x in lines), capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return [], "timed out after %.0fs" % timeout
    out = p.stdout.split(b"\n")
    if out and out[-1] == b"":
        out.pop()
    note = "" if p.returncode == 0 else "exited with %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")[-500:])
    if not note and len(out) != len(lines):
        note = "answered %d lines to %d" % (len(out), len(lines))
    return out, note


def python_reads(line: bytes) -> bool:
    """True when the line (up to a NUL, where the C testees stop) is JSON for Python."""
    text = line.split(b"\x00", 1)[0].decode("utf-8", "surrogateescape")
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--testee", required=True, help="command line of the testee under test")
    ap.add_argument("--reference", required=True, help="command line of the reference testee (json-c)")
    ap.add_argument("--count", type=int, default=3000, help="random mutations (default 3000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    lines = lines_for(args.count, args.seed)
    ref, ref_note = run(args.reference, lines, args.timeout)
    got, got_note = run(args.testee, lines, args.timeout)
    for cmd, note in ((args.reference, ref_note), (args.testee, got_note)):
        if note:
            print("testee %s %s" % (cmd, note))
    if ref_note or got_note:
        print("%d lines, 0 same, 0 lenient-only, %d differ" % (len(lines), len(lines)))
        return 1
    same = lenient = differ = 0
    for line, a, b in zip(lines, got, ref):
        if a == b:
            same += 1
            continue
        if not python_reads(line) and a in UNPARSED:
            lenient += 1  # json-c read a line that is not JSON; json_lite did not
            if args.verbose:
                print("LENIENT %r\n    reference %r" % (line[:200], b[:200]))
            continue
        differ += 1
        print("DIFFER %r\n    testee    %r\n    reference %r" % (line[:300], a[:300], b[:300]))
    print("%d lines, %d same, %d lenient-only, %d differ" % (len(lines), same, lenient, differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
