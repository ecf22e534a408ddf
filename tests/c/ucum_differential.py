#!/usr/bin/env python3
"""The C UCUM check (runtime/src/sr_ucum.c over generated tables) against the
Python reference (codegen/ucum.py), on every atom, every prefix + atom pair,
and random expressions built from them. Prints `N passed, N failed`.

    ucum_differential.py PATH-TO-ucum_check [--count N] [--seed S]
"""
import argparse
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from codegen import ucum  # noqa: E402
from codegen.loader import load_contract  # noqa: E402

PIECES = [".", "/", "(", ")", "{", "}", "[", "]", "2", "-1", "+3", "10*", "10^", "{req}", "1", " ", "é"]


def sample(t: ucum.UcumTables, count: int, rng: random.Random) -> list[str]:
    atoms = [a for a, _ in t.atoms]
    units = list(atoms)
    units += [p + a for p in t.prefixes for a, metric in t.atoms if metric]
    units += [p + a for p in t.prefixes for a, metric in t.atoms[:40] if not metric]  # refused
    units += ["", "/", "()", "((m))", "m)", "(m", "{", "}", "{a{b}", "[", "]]", "m[", "kk", "rpm"]
    while len(units) < count:
        parts = []
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            if r < 0.55:
                parts.append(rng.choice(atoms))
            elif r < 0.7:
                parts.append(rng.choice(t.prefixes) + rng.choice(atoms))
            else:
                parts.append(rng.choice(PIECES))
            if rng.random() < 0.6:
                parts.append(rng.choice("./"))
        units.append("".join(parts))
    return [u for u in units if "\n" not in u]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("program")
    ap.add_argument("--count", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=20261124)
    args = ap.parse_args()
    data = load_contract(ROOT / "contract").data
    t = ucum.load((ROOT / "contract" / data["ucum"]["essence"]).resolve(), data["ucum"].get("extra_atoms", []))
    units = sample(t, args.count, random.Random(args.seed))
    out = subprocess.run([args.program], input="\n".join(units).encode() + b"\n",
                         capture_output=True, check=True).stdout.decode().split()
    failed = 0
    for u, got in zip(units, out):
        want = "1" if ucum.is_valid(u, t) else "0"
        if got != want:
            failed += 1
            if failed <= 10:
                print("MISMATCH %r: C says %s, Python says %s" % (u, got, want))
    if len(out) != len(units):
        failed += abs(len(units) - len(out))
        print("the C program answered %d of %d units" % (len(out), len(units)))
    accepted = sum(1 for x in out if x == "1")
    print("(%d units, %d accepted by both)" % (len(units), accepted))
    print("%d passed, %d failed" % (len(units) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
