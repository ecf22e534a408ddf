#!/usr/bin/env python3
"""The C charset test (sr__charset_ok, word-at-a-time over byte ranges, in
generated/c/src/sr_contract.c) against the contract's charset specs parsed
in Python: every byte value at every position of strings of 1..40 bytes,
plus random strings. Prints `N passed, N failed`.

    charset_differential.py PATH-TO-charset_check [--count N] [--seed S]
"""
import argparse
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from codegen.loader import load_contract  # noqa: E402
from codegen.model import parse_charset  # noqa: E402


class Charset:
    def __init__(self, name: str, spec: dict):
        self.name, self.first, self.rest = name, parse_charset(spec["first"]), parse_charset(spec["rest"])


def expected(cs: Charset, b: bytes) -> bool:
    return len(b) > 0 and b[0] in cs.first and all(x in cs.rest for x in b[1:])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("check")
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    data = load_contract(ROOT / "contract").data
    cases = []
    for cs in (Charset(n, v) for n, v in data["charsets"].items()):
        first, rest = sorted(cs.first), sorted(cs.rest)
        cases.append((cs, b""))
        for n in range(1, 41):
            base = bytes([first[0]]) + bytes(rng.choice(rest) for _ in range(n - 1))
            cases.append((cs, base))
            for pos in range(n):
                for v in range(256):
                    cases.append((cs, base[:pos] + bytes([v]) + base[pos + 1:]))
        for _ in range(args.count):
            n = rng.randint(1, 300)
            pool = rest if rng.random() < 0.7 else list(range(256))
            b = bytes([rng.choice(first)]) + bytes(rng.choice(pool) for _ in range(n - 1))
            cases.append((cs, b))
    text = "".join("%s %s\n" % (cs.name, b.hex()) for cs, b in cases)
    out = subprocess.run([args.check], input=text, capture_output=True, text=True, check=True).stdout.split()
    if len(out) != len(cases):
        print("the check answered %d of %d cases" % (len(out), len(cases)))
        return 1
    failed = 0
    for (cs, b), got in zip(cases, out):
        if (got == "1") != expected(cs, b):
            failed += 1
            if failed <= 10:
                print("FAIL %s %s: C says %s" % (cs.name, b.hex(), got))
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
