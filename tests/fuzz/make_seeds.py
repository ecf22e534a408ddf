#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (tests/fuzz/corpus/)
and the testee's dictionary (tests/fuzz/testee.dict).

    python3 tests/fuzz/make_seeds.py          # rewrite them
    python3 tests/fuzz/make_seeds.py --check  # exit 1 when they are stale

- testee: one request line per vector of generated/vectors/otel_metric.json
  (those whose line is at most 12 KB; the 16384-point ones are left out),
  plus a few odd lines (not JSON, wrong shape, huge integers, several lines);
- api_sequence: hand-made builder call sequences in the input layout that
  fuzz_api_sequence.c decodes (the encoder below mirrors it);
- escape: byte strings with every escape and every class of invalid UTF-8;
- dtoa: little-endian doubles at the layout's edges.

File names are content-independent labels, so a rerun rewrites the same
files. Inputs libFuzzer finds later can be folded in with
    build-fuzz/fuzz_<t> -merge=1 tests/fuzz/corpus/<t> build-fuzz/corpus/<t>
"""
from __future__ import annotations

import argparse
import json
import re
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VECTORS = ROOT / "generated" / "vectors" / "otel_metric.json"
CORPUS = HERE / "corpus"
MAX_LINE = 12000


# ---------------------------------------------------------------- testee
def testee_seeds() -> dict[str, bytes]:
    seeds: dict[str, bytes] = {}
    cases = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
    for c in cases:
        line = json.dumps({"id": c["id"], "type": c["type"], "input": c["input"]},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(line) <= MAX_LINE:
            seeds["vector-" + re.sub(r"[^A-Za-z0-9_.-]", "_", c["id"])] = line + b"\n"
    odd = {
        "odd-not-json": b"this is not json\n",
        "odd-empty-object": b"{}\n",
        "odd-wrong-type": b'{"id":"x","type":"otel_log","input":{}}\n',
        "odd-input-not-object": b'{"id":1,"type":"otel_metric","input":[]}\n',
        "odd-huge-int": b'{"id":"h","type":"otel_metric","input":{"points":[{"time_unix_nano":184467440737095516150}]}}\n',
        "odd-min-int": b'{"id":"m","type":"otel_metric","input":{"name":"x","kind":"gauge","points":[{"time_unix_nano":1,"as_int":-9223372036854775808}]}}\n',
        "odd-bytes-hex-odd": b'{"id":"b","type":"otel_metric","input":{"name":{"bytes_hex":"abc"}}}\n',
        "odd-bytes-hex-bad": b'{"id":"b","type":"otel_metric","input":{"name":{"bytes_hex":"zz"}}}\n',
        "odd-nested-array": b'{"id":"n","type":"otel_metric","input":{"metadata":[{"key":"k","value":{"array":[{"array":[]}]}}]}}\n',
        "odd-three-lines": b'{}\n\n{"id":2,"type":"otel_metric","input":{"name":"a"}}\nnot json\n',
        "odd-nul-in-line": b'{"id":"z","type":"otel_metric","input":{"name":"a\x00b"}}\n',
    }
    seeds.update(odd)
    return seeds


def testee_dict() -> str:
    """JSON tokens and every key and enum value the vectors use."""
    words: set[str] = set()

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                words.add(json.dumps(k))
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and len(x) <= 16:
            words.add(json.dumps(x))

    for c in json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]:
        walk({"id": "", "type": c["type"], "input": c["input"]})
    tokens = ['"{"', '"}"', '"["', '"]"', '":"', '","', '"true"', '"false"', '"null"', '"\\""',
              '"-9223372036854775808"', '"18446744073709551615"', '"18446744073709551616"', '"1e+308"',
              '"\\"NaN\\""', '"\\"Infinity\\""', '"\\"-Infinity\\""', '"\\\\u0000"', '"\\\\ud800"']
    lines = ["# libFuzzer dictionary for fuzz_testee (written by make_seeds.py)"] + tokens
    for w in sorted(words):
        lines.append('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- api_sequence
# Mirrors fuzz_api_sequence.c: op codes, and argument encodings.
(OP_SET_STR, OP_SET_CSTR, OP_SET_KIND, OP_SET_TEMP, OP_SET_MONO, OP_ADD_ATTR, OP_ADD_ATTR_C, OP_ADD_POINT,
 OP_POINT_U64, OP_POINT_DBL, OP_POINT_INT, OP_POINT_ARR, OP_ADD_EX, OP_EX_SET, OP_EX_ID, OP_BAD_ARGS,
 OP_BATCH_STR) = range(17)
F_NAME, F_DESC, F_UNIT, F_SVC_NAME, F_SVC_NS, F_SVC_VER, F_SVC_INST, F_SCOPE_NAME, F_SCOPE_VER = range(9)
EDGE_LENGTHS = [1, 8, 15, 16, 17, 31, 32, 33, 63, 64, 128, 255, 256, 1000, 4096, 4097]
HEX_LENGTHS = [16, 32, 15, 17, 31, 33]
SNIPPETS = 5  # index of the first invalid snippet ("\xc3\x28")


def header(arena=65535, misalign=0, capacity=16, buf_mode=3) -> bytes:
    return struct.pack(">HBB", arena, (capacity << 3) | misalign, buf_mode)


def s_raw(b: bytes) -> bytes:
    assert len(b) <= 255
    return bytes([7, len(b)]) + b


def s_empty() -> bytes:
    return bytes([0])


def s_edge(length: int, byte: int = ord("a")) -> bytes:
    return bytes([3, EDGE_LENGTHS.index(length), byte])


def s_hex(length: int, nibbles: bytes) -> bytes:
    return bytes([4, HEX_LENGTHS.index(length)]) + nibbles[: (length + 1) // 2]


def s_snips(*idx: int) -> bytes:
    return bytes([6, len(idx) - 1, *idx])


def u64(v: int) -> bytes:
    return bytes([6]) + struct.pack(">Q", v)


def i64(v: int) -> bytes:
    return bytes([5]) + struct.pack(">q", v)


def dbl(v: float) -> bytes:
    return bytes([6]) + struct.pack(">d", v)


def v_string(s: bytes) -> bytes:
    return bytes([0]) + s


def v_bool(b: bool) -> bytes:
    return bytes([1, int(b)])


def v_int(v: int) -> bytes:
    return bytes([2]) + i64(v)


def v_double(v: float) -> bytes:
    return bytes([3]) + dbl(v)


def v_array(kind: int, count_byte: int, repeated: bytes) -> bytes:
    """kind 4 strings, 5 bools, 6 ints, 7 doubles; one element repeated."""
    return bytes([kind, count_byte, 0]) + repeated


def set_str(field: int, s: bytes) -> bytes:
    return bytes([OP_SET_STR, field]) + s


def attr(map_: int, key: bytes, value: bytes, sel: int = 0) -> bytes:
    return bytes([OP_ADD_ATTR, map_]) + (bytes([sel]) if map_ >= 2 else b"") + key + value


def point_u64(sel: int, field: int, v: int) -> bytes:  # 0 time, 1 start, 2 count, 3 flags
    return bytes([OP_POINT_U64, sel, field]) + u64(v)


def point_dbl(sel: int, field: int, v: float) -> bytes:  # 0 as_double, 1 sum, 2 min, 3 max
    return bytes([OP_POINT_DBL, sel, field]) + dbl(v)


def point_arr(sel: int, bounds: bool, count_byte: int, first) -> bytes:
    """Generated elements: bucket counts all `first`, bounds first, first+1, ..."""
    return bytes([OP_POINT_ARR, sel, int(bounds), count_byte, 0]) + (dbl(first) if bounds else u64(first))


def common(kind: int) -> bytes:
    return (set_str(F_SVC_NAME, s_raw(b"checkout")) + set_str(F_NAME, s_raw(b"http.server.duration"))
            + set_str(F_UNIT, s_raw(b"ms")) + bytes([OP_SET_KIND, kind]))


def histogram_points(n: int, exemplars: bool) -> bytes:
    out = b""
    for i in range(n):
        out += bytes([OP_ADD_POINT])
        out += point_u64(i, 0, 1700000000000000000 + i)
        out += attr(2, s_raw(b"route"), v_string(s_raw(b"/cart")), sel=i)
        out += attr(2, s_raw(b"code"), v_int(200 + i), sel=i)
        out += point_u64(i, 2, 11 * 3)
        out += point_arr(i, False, 11, 3)        # 11 bucket counts of 3
        out += point_arr(i, True, 10, 0.5)       # 10 increasing bounds
        out += point_dbl(i, 1, 42.0)
        if exemplars:
            out += bytes([OP_ADD_EX, i])
            out += bytes([OP_EX_SET, i, 0]) + u64(1700000000000000000 + i)
            out += bytes([OP_EX_SET, i, 1]) + dbl(1.25)
            out += bytes([OP_EX_ID, i, 0]) + s_hex(32, bytes(range(0x4b, 0x5b)))
            out += bytes([OP_EX_ID, i, 1]) + s_hex(16, bytes(range(0x10, 0x18)))
    return out


def api_seeds() -> dict[str, bytes]:
    gauge = (common(1) + bytes([OP_ADD_POINT]) + point_u64(0, 0, 1700000000000000000)
             + point_dbl(0, 0, 12.5) + attr(2, s_raw(b"http.method"), v_string(s_raw(b"GET"))))
    hist = (common(3) + bytes([OP_SET_TEMP, 1]) + histogram_points(4, True))
    all_values = (common(2) + bytes([OP_SET_TEMP, 2, OP_SET_MONO, 1]) + bytes([OP_ADD_POINT])
                  + point_u64(0, 0, 5) + bytes([OP_POINT_INT, 0]) + i64(-7)
                  + attr(0, s_raw(b"s"), v_string(s_raw(b"\"quoted\"\n\\")))
                  + attr(0, s_raw(b"b"), v_bool(True)) + attr(0, s_raw(b"i"), v_int(-2**63))
                  + attr(0, s_raw(b"d"), v_double(1e-05))
                  + attr(1, s_raw(b"sa"), v_array(4, 3, s_raw(b"x")))
                  + attr(1, s_raw(b"ba"), v_array(5, 2, b"\x01")) + attr(1, s_raw(b"ia"), v_array(6, 4, i64(9)))
                  + attr(1, s_raw(b"da"), v_array(7, 5, dbl(0.1)))
                  + set_str(F_DESC, s_snips(0, 1, 2, 3)) + set_str(F_SCOPE_NAME, s_raw(b"scope"))
                  + set_str(F_SCOPE_VER, s_empty()) + set_str(F_SVC_NS, s_raw(b"shop"))
                  + set_str(F_SVC_VER, s_raw(b"1.0")) + set_str(F_SVC_INST, s_raw(b"host-7")))
    invalid = (common(1) + bytes([OP_SET_TEMP, 1, OP_ADD_POINT]) + point_u64(0, 0, 0)
               + point_dbl(0, 0, float("nan")) + set_str(F_NAME, s_snips(SNIPPETS, SNIPPETS + 8))
               + attr(2, s_empty(), v_int(1)) + attr(2, s_empty(), v_int(2))
               + point_arr(0, True, 3, float("inf")))
    limits = (common(1) + set_str(F_NAME, s_edge(256)) + set_str(F_DESC, s_edge(4097))
              + set_str(F_UNIT, s_edge(64)) + attr(0, s_edge(256), v_string(s_edge(4097)))
              + attr(0, s_raw(b"arr"), v_array(6, 240 + 4, i64(1))) + bytes([OP_ADD_POINT])
              + point_u64(0, 0, 1) + bytes([OP_POINT_INT, 0]) + i64(1))
    bad_args = common(1) + bytes([OP_ADD_POINT, OP_ADD_EX, 0]) + b"".join(bytes([OP_BAD_ARGS, k]) for k in range(14))
    envelope = (bytes([OP_BATCH_STR, 0]) + s_raw(b"plugin") + bytes([OP_BATCH_STR, 1]) + s_raw(b"agent-1")
                + bytes([OP_BATCH_STR, 2]) + s_raw(b"k") + s_raw(b"v") + bytes([OP_BATCH_STR, 3]) + s_raw(b"ev-1")
                + bytes([OP_BATCH_STR, 4]) + s_raw(b"team") + s_snips(0, 1))
    envelope_bad = bytes([OP_BATCH_STR, 4]) + s_raw(b"team") + s_snips(SNIPPETS)
    return {
        "gauge-readme": header() + gauge,
        "gauge-envelope": header() + gauge + envelope,
        "gauge-envelope-invalid-utf8": header() + gauge + envelope + envelope_bad,
        "gauge-buffer-none": header(buf_mode=0) + gauge,
        "gauge-buffer-short": header(buf_mode=2, capacity=0) + gauge,
        "gauge-buffer-random": header(buf_mode=5, capacity=31, misalign=3) + gauge + b"\x00\x07",
        "histogram-exemplars": header() + hist,
        "histogram-small-arena": header(arena=1500, misalign=5, capacity=1) + hist,
        "histogram-tiny-arena": header(arena=200, capacity=0) + hist,
        "sum-every-value-type": header(buf_mode=4) + all_values,
        "invalid-nan-utf8-keys": header(capacity=30) + invalid,
        "limits-one-past": header(capacity=30) + limits,
        "bad-arguments": header() + bad_args,
    }


# ---------------------------------------------------------------- escape
def escape_seeds() -> dict[str, bytes]:
    return {
        "empty": b"",
        "ascii": b"http.server.request.duration",
        "escapes": b'"\\/\b\f\n\r\t\x00\x01\x1f\x7f ',
        "long-ascii-then-escape": b"abcdefghijklmnopqrstuvwxyz0123456789\n",
        "multibyte": "é€𝄞\uffff\U0010ffff".encode("utf-8"),
        "invalid-lead-no-continuation": b"ab\xc3\x28cd",
        "invalid-stray-continuation": b"\x80\xbf",
        "invalid-overlong": b"\xc0\xaf\xe0\x80\xaf\xf0\x8f\xbf\xbf",
        "invalid-surrogate": b"\xed\xa0\x80\xed\xbf\xbf",
        "invalid-above-max": b"\xf4\x90\x80\x80\xf5\x80\x80\x80\xff\xfe",
        "invalid-cut-short": b"12345678\xe2\x82",
        "mixed-words": b"12345678\xc3\xa9abcdefgh\"ijklmnop\xf0\x9d\x84\x9e",
    }


# ---------------------------------------------------------------- dtoa
def dtoa_seeds() -> dict[str, bytes]:
    values = {
        "0.1": 0.1, "1.0": 1.0, "1e16": 1e16, "1e-05": 1e-05, "0.0001": 0.0001, "5e-324": 5e-324,
        "max": 1.7976931348623157e308, "min-normal": 2.2250738585072014e-308, "neg-zero": -0.0,
        "2p53": 2.0 ** 53, "2p53-1": 2.0 ** 53 - 1, "1234567890123456.0": 1234567890123456.0,
        "1e23": 1e23, "subnormal": 5e-310, "123.456": 123.456, "neg-1.5": -1.5, "9.999999999999999e22": 9.999999999999999e22,
    }
    return {"double-" + k: struct.pack("<d", v) for k, v in values.items()}


# ---------------------------------------------------------------- main
def wanted() -> dict[Path, bytes]:
    files: dict[Path, bytes] = {}
    for target, seeds in (("testee", testee_seeds()), ("api_sequence", api_seeds()),
                          ("escape", escape_seeds()), ("dtoa", dtoa_seeds())):
        for name, data in seeds.items():
            files[CORPUS / target / name] = data
    files[HERE / "testee.dict"] = testee_dict().encode("utf-8")
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when a file is missing, differs or is extra")
    args = ap.parse_args()
    files = wanted()
    present = {p for p in CORPUS.rglob("*") if p.is_file()}
    stale = [p for p, d in files.items() if not p.is_file() or p.read_bytes() != d]
    extra = sorted(present - set(files))
    if args.check:
        for p in stale + extra:
            print("stale: %s" % p.relative_to(ROOT))
        return 1 if stale or extra else 0
    for p in extra:
        p.unlink()
    for p, d in files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(d)
    total = sum(len(d) for p, d in files.items() if CORPUS in p.parents)
    print("%d seed files, %d bytes" % (sum(1 for p in files if CORPUS in p.parents), total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
