#!/usr/bin/env python3
"""Check sr_format_double against Python's repr(float), value by value.

    python3 check_dtoa.py PATH/TO/dtoa_check [--count N] [--seed S]

Builds a reproducible sample of doubles (fixed seed unless --seed is given):
every boundary case listed in boundary_cases(), then the families below, then
random 64-bit patterns (NaN and infinities skipped) up to --count in all.
Sends them to the program as 16 hex digits per line, reads one string per
line back and compares each with repr(). Prints the first mismatches with
their bit patterns and ends with the line "N passed, N failed"; the exit
status is 0 only when nothing failed.
"""
import argparse
import random
import struct
import subprocess
import sys

EXP_MASK = 0x7FF0000000000000
FRAC_MASK = (1 << 52) - 1
SIGN = 1 << 63


def bits_of(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def finite(b):
    return (b & EXP_MASK) != EXP_MASK


def neighbours(b, reach=2):
    """b and the doubles up to `reach` ulps either side of it (same sign)."""
    mag, sign = b & ~SIGN, b & SIGN
    for d in range(-reach, reach + 1):
        m = mag + d
        if 0 <= m < EXP_MASK:
            yield sign | m


def boundary_cases():
    out = []
    named = [0.0, -0.0, 5e-324, 1e-323, 2.2250738585072014e-308,  # smallest normal
             2.225073858507201e-308,  # largest subnormal
             1.7976931348623157e308, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1.0, 1.5, 123.456,
             1e-4, 1e-5, 9.999999999999999e-05, 1e15, 1e16, 9999999999999998.0,
             1234567890123456.0, 1e21, 1e22, 1e23, 5e-324 * 3, 2.0 ** 53 - 1,
             2.0 ** 53, 2.0 ** 53 + 2, float(9007199254740993), 4.35, 0.3000000000000001,
             299792458.0, 6.02214076e23, 1.602176634e-19, 3.141592653589793,
             2.718281828459045]
    for x in named:
        out.extend(neighbours(bits_of(x)))
    # Every power of two (exponent boundaries, where the lower neighbour is
    # closer) and powers of ten 1e-323 .. 1e308, with neighbours.
    for e in range(-1074, 1024):
        out.extend(neighbours(bits_of(2.0 ** e)))
    for e in range(-323, 309):
        out.extend(neighbours(bits_of(float("1e%d" % e))))
    # Integers near 2^53 and other round numbers, where the integer fast path
    # meets the general one.
    for centre in (2 ** 53, 2 ** 52, 2 ** 54, 2 ** 63, 2 ** 64, 10 ** 15, 10 ** 16, 10 ** 17):
        for d in range(-300, 301):
            out.append(bits_of(float(centre + d)))
    for i in range(0, 20001):
        out.append(bits_of(float(i)))
    # The largest subnormals and smallest normals, densely.
    for m in range(0, 2000):
        out.append((1 << 52) - 1 - m)
        out.append((1 << 52) + m)
    return out


def family_cases(rng, n):
    """n values from families that random bit patterns almost never hit."""
    out = []
    per = max(1, n // 6)
    # Short decimals: random 1..17 significant digits, any exponent. These
    # take the "multiple of ten" branch that random bits rarely reach.
    for _ in range(per * 2):
        nd = rng.randint(1, 17)
        m = rng.randrange(10 ** (nd - 1), 10 ** nd)
        x = float("%de%d" % (m, rng.randint(-345, 310)))
        if x != 0.0 and x != float("inf"):
            out.append(bits_of(x) | (SIGN if rng.random() < 0.5 else 0))
    # Random subnormals.
    for _ in range(per):
        out.append(rng.getrandbits(52) | (SIGN if rng.random() < 0.5 else 0))
    # N / 2^j with odd N: exact binary fractions whose decimal expansion is
    # just past 17 digits; this is where two shortest candidates tie.
    for _ in range(per):
        j = rng.randint(1, 12)
        num = rng.randrange(1 << 52, 1 << 53) | 1
        out.append(bits_of(num / 2.0 ** j))
    # Random integers below 2^53 and random significands at the exponent
    # of 2^53 and around 1.
    for _ in range(per):
        out.append(bits_of(float(rng.randrange(1, 1 << rng.randint(1, 53)))))
    for _ in range(per):
        e = rng.choice((0x3FF, 0x433, 0x434, 0x432, 0x3FE))
        out.append((e << 52) | rng.getrandbits(52))
    return out


def sample(count, seed):
    rng = random.Random(seed)
    vals = [b for b in boundary_cases() if finite(b)]
    vals += [b for b in family_cases(rng, count // 5) if finite(b)]
    vals = vals[:count]
    while len(vals) < count:
        b = rng.getrandbits(64)
        if finite(b):
            vals.append(b)
    return vals


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("program", help="path to the dtoa_check executable")
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--show", type=int, default=10, help="mismatches to print")
    args = ap.parse_args()

    vals = sample(args.count, args.seed)
    doubles = struct.unpack("<%dd" % len(vals), struct.pack("<%dQ" % len(vals), *vals))
    expected = [repr(x) for x in doubles]

    feed = "".join("%016x\n" % b for b in vals).encode()
    proc = subprocess.run([args.program], input=feed, stdout=subprocess.PIPE)
    if proc.returncode != 0:
        print("dtoa_check exited with status %d" % proc.returncode)
    got = proc.stdout.decode("ascii", "replace").split("\n")
    if got and got[-1] == "":
        got.pop()
    if len(got) != len(expected):
        print("expected %d lines from the program, got %d" % (len(expected), len(got)))
        got += ["<missing>"] * (len(expected) - len(got))

    failed = 0
    if got != expected or proc.returncode != 0:
        for b, want, have in zip(vals, expected, got):
            if want != have:
                failed += 1
                if failed <= args.show:
                    print("mismatch: bits %016x  repr %s  got %s" % (b, want, have))
        if proc.returncode != 0 and failed == 0:
            failed = 1
    print("%d passed, %d failed" % (len(expected) - failed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
