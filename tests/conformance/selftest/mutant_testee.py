#!/usr/bin/env python3
"""The reference testee with one planted difference, to show that the parity
runner notices it (tests/conformance/selftest/test_parity_runner.py).

    mutant_testee.py MODE

MODE: none, exponent (a double written as 91.5e0: same value), reorder (an
object's keys reversed: same value), ulp (a double one ulp off), int_as_double
(an integer written as N.0), drop_warning, move_error (an error's path changed).
Only the first answer the mutation applies to is changed.
"""
from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOUBLE = re.compile(r'(?<=[:\[,])(-?\d+\.\d+)(?=[,\]}])')
INTEGER = re.compile(r'(?<=[:\[,])(-?\d+)(?=[,\]}])')


def next_up(x: float) -> float:
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    return struct.unpack("<d", struct.pack("<Q", bits + 1))[0]


def mutate(mode: str, a: dict) -> bool:
    out = a.get("output")
    if mode == "exponent" and out and DOUBLE.search(out):
        a["output"] = DOUBLE.sub(lambda m: m.group(1) + "e0", out, count=1)
    elif mode == "ulp" and out and DOUBLE.search(out):
        a["output"] = DOUBLE.sub(lambda m: repr(next_up(float(m.group(1)))), out, count=1)
    elif mode == "int_as_double" and out and INTEGER.search(out):
        a["output"] = INTEGER.sub(lambda m: m.group(1) + ".0", out, count=1)
    elif mode == "reorder" and out and out.count(":") > 1:
        doc = json.loads(out)
        a["output"] = json.dumps(dict(reversed(list(doc.items()))), ensure_ascii=False, separators=(",", ":"))
    elif mode == "drop_warning" and a.get("warnings"):
        a["warnings"] = a["warnings"][1:]
    elif mode == "move_error" and a.get("errors"):
        a["errors"][0]["path"] += ".x"
    else:
        return False
    return True


def main() -> int:
    mode = sys.argv[1]
    proc = subprocess.run([sys.executable, str(HERE.parent / "reference_testee.py")], stdin=sys.stdin,
                          capture_output=True, text=True, check=True)
    done = mode == "none"
    for line in proc.stdout.splitlines():
        a = json.loads(line)
        if not done:
            done = mutate(mode, a)
        print(json.dumps(a, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
