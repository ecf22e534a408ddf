#!/usr/bin/env python3
"""Prove the one numeric fact sr_dtoa.c relies on, for every double exponent.

sr_dtoa.c decides whether a decimal candidate lies in a double's rounding
interval by computing, for x = 4c - 2, 4c - 1, 4c, 4c + 2 (c the significand),

    T = x * 2^q * 10^-k

as floor(T) plus a flag "T has a fraction", using a 128-bit 10^-k rounded up.
The product it computes exceeds T by less than 2^-69 (x << h < 2^59, and the
table entry is at most 1 unit above the true 128-bit value) and the flag looks
only at the 68 bits below the binary point. So the result is exact provided
that

    whenever T is not an integer, its distance to the nearest integer is at
    least 2^-68

(a fraction >= 2^-68 shows in those 68 bits; one <= 1 - 2^-68 cannot be
carried into the integer part by an error below 2^-69; and for an integer T
the error alone stays below 2^-68, invisible).

This script checks that for all q and all significands at once: for each q,
T = y * N / D with y = x / 2 (x is even in the regular case) and N / D in
lowest terms; if D <= 2^64 the claim is immediate, otherwise the smallest and
largest of (y * N mod D) over 1 <= y <= 2^54 (a superset of the y that
occur) are found with a Euclid-like walk (min_max_mod, itself checked against
brute force first) and must both keep 2^-68 * D away from 0 and D. The odd x = 4c - 1 occurs for one c per q
and is checked directly.

Usage: python3 runtime/tools/check_dtoa_bounds.py   (prints the tightest
distance found and exits non-zero if the claim fails anywhere).
"""
import math
import random
import sys
from fractions import Fraction

Q_MIN, Q_MAX = -1074, 971


def floor_log10(x):
    """floor(log10(x)) for a positive Fraction, exactly."""
    k = math.floor(math.log10(x.numerator) - math.log10(x.denominator))
    while Fraction(10) ** k > x:
        k -= 1
    while Fraction(10) ** (k + 1) <= x:
        k += 1
    return k


def min_max_mod(a, b, m):
    """(min, max) of a*y mod b over 1 <= y <= m, for 0 < a < b, gcd(a, b) = 1
    and m < b (so no residue is 0).

    Walks the Stern-Brocot mediants of a/b. The pair (y_lo, gap_lo) is the
    y with the smallest residue so far and that residue; (y_hi, gap_hi) the y
    with the largest and its distance below b. Over 1 <= y < y_lo + y_hi they
    are the extremes; the next new extreme is at y_lo + y_hi, with residue
    gap_lo - gap_hi (a new low, if positive) or b - (gap_hi - gap_lo) (a new
    high). Runs of the same kind are taken in one step, as in Euclid's
    algorithm, and the walk stops when the next extreme is past m.
    """
    y_lo, gap_lo = 1, a   # y = 1 has residue a
    y_hi, gap_hi = 0, b   # y = 0 stands for "residue b" before any high exists
    while True:
        if gap_lo > gap_hi:
            t = min((gap_lo - 1) // gap_hi, (m - y_lo) // y_hi)
            if t == 0:
                break
            y_lo += t * y_hi
            gap_lo -= t * gap_hi
        else:
            t = min((gap_hi - 1) // gap_lo, (m - y_hi) // y_lo)
            if t == 0:
                break
            y_hi += t * y_lo
            gap_hi -= t * gap_lo
    return gap_lo, b - gap_hi


def self_test():
    rng = random.Random(1)
    for _ in range(20000):
        b = rng.randint(2, 3000)
        a = rng.randint(1, b - 1)
        if math.gcd(a, b) != 1:
            continue
        m = rng.randint(1, b - 1)
        res = [a * y % b for y in range(1, m + 1)]
        assert min_max_mod(a, b, m) == (min(res), max(res)), (a, b, m)


def main():
    self_test()
    limit = Fraction(1, 2 ** 68)
    worst = Fraction(1)
    worst_at = None
    for q in range(Q_MIN, Q_MAX + 1):
        cases = [(floor_log10(Fraction(2) ** q), False)]
        if q > Q_MIN:  # irregular spacing exists from the second exponent on
            cases.append((floor_log10(Fraction(3, 4) * Fraction(2) ** q), True))
        for k, irregular in cases:
            r = Fraction(2) ** q / Fraction(10) ** k
            if irregular:
                c = 2 ** 52
                for x in (4 * c - 1, 4 * c, 4 * c + 2):
                    t = x * r
                    if t.denominator != 1:
                        d = min(t - math.floor(t), math.ceil(t) - t)
                        if d < worst:
                            worst, worst_at = d, (q, k, x)
                continue
            # Regular: x = 2y, y from 1 (subnormal c = 1, x = 4c - 2) up to
            # 2c + 1 < 2^54 for the largest c.
            step = 2 * r
            n, d = step.numerator, step.denominator
            if d <= 2 ** 64:
                continue  # residues are multiples of 1/d >= 2^-64
            lo, hi = min_max_mod(n % d, d, 2 ** 54)
            dist = Fraction(min(lo, d - hi), d)
            if dist < worst:
                worst, worst_at = dist, (q, k, "y<=2^54")
    ok = worst >= limit
    print("closest non-integer product to an integer: 2^%.2f at q, k = %s (need >= 2^-68): %s"
          % (math.log2(worst.numerator) - math.log2(worst.denominator), worst_at[:2],
             "ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
