#!/usr/bin/env python3
"""Generate runtime/src/sr_pow10_table.h for the shortest double formatter.

Usage:  python3 runtime/tools/gen_pow10_table.py > runtime/src/sr_pow10_table.h

The formatter (runtime/src/sr_dtoa.c, Schubfach-style) multiplies the binary
significand of a double by 10^e for e in a fixed range.  For every e the table
holds a 128-bit integer g with

    10^e = G * 2^(E - 127),  E = floor(log2(10^e)),  G real in [2^127, 2^128)
    g    = floor(G) + 1      (one above the truncation: always strictly > G)

so g is 10^e normalised to 128 significant bits and rounded upward.  The C code
finds E again with a multiply-and-shift; the constants for that and for the two
decimal-exponent estimates are chosen here and checked exhaustively over every
exponent a double can produce, using exact integer arithmetic.  The script
fails loudly rather than emit a table that has not been checked.
"""
import decimal
import math
import sys
from fractions import Fraction

# Binary exponent q of v = c * 2^q over all finite non-zero doubles:
# subnormals and the smallest normals have q = -1074, the largest q = 971.
Q_MIN, Q_MAX = -1074, 971
SHIFT = 40              # fixed-point precision of the log estimates
BIAS = 1 << 11          # added before shifting so the shifted value is >= 0


def floor_log10_pow2_exact(q, scale=Fraction(1)):
    """floor(log10(scale * 2^q)), exactly."""
    x = scale * Fraction(2) ** q
    # Start from a float estimate, then fix it with exact comparisons.
    k = math.floor(q * math.log10(2) + math.log10(scale))
    while Fraction(10) ** k > x:
        k -= 1
    while Fraction(10) ** (k + 1) <= x:
        k += 1
    return k


def floor_log2_pow10_exact(e):
    """floor(log2(10^e)), exactly."""
    x = Fraction(10) ** e
    if x >= 1:
        return int(x).bit_length() - 1
    # x = 1 / 10^-e; 10^-e is not a power of two for e < 0.
    return -(10 ** -e).bit_length()


def fixed_floor(x, mult, add, shift):
    """What the C helper computes: floor((x*mult + add) / 2^shift) done as an
    unsigned shift of a value made non-negative by BIAS."""
    t = x * mult + add + (BIAS << shift)
    assert 0 <= t < 1 << 63, "intermediate must fit in int64_t"
    return (t >> shift) - BIAS


def main():
    # log10(2), log10(3/4) and log2(10) as 2^-SHIFT fixed point, rounded down;
    # each is then checked over the whole range it is used on.
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        scale = decimal.Decimal(2) ** SHIFT
        m_log10_2 = math.floor(decimal.Decimal(2).log10() * scale)
        m_log10_3_4 = math.floor((decimal.Decimal(3) / 4).log10() * scale)
        m_log2_10 = math.floor(decimal.Decimal(10).ln() / decimal.Decimal(2).ln() * scale)

    ks = set()
    for q in range(Q_MIN, Q_MAX + 1):
        k = floor_log10_pow2_exact(q)
        assert fixed_floor(q, m_log10_2, 0, SHIFT) == k, ("log10 2^q", q)
        ks.add(k)
        # Irregular spacing (c = 2^52, lower neighbour closer) exists for
        # every biased exponent >= 2, i.e. q >= -1073.
        if q >= Q_MIN + 1:
            k3 = floor_log10_pow2_exact(q, Fraction(3, 4))
            assert fixed_floor(q, m_log10_2, m_log10_3_4, SHIFT) == k3, ("log10 3/4 2^q", q)
            ks.add(k3)

    e_min, e_max = -max(ks), -min(ks)
    rows = []
    for e in range(e_min, e_max + 1):
        E = floor_log2_pow10_exact(e)
        assert fixed_floor(e, m_log2_10, 0, SHIFT) == E, ("log2 10^e", e)
        G = Fraction(10) ** e * Fraction(2) ** (127 - E)
        assert 2 ** 127 <= G < 2 ** 128
        g = math.floor(G) + 1
        assert g < 2 ** 128
        # g is one above the truncation of G: strictly above 10^e scaled, by
        # at most 1 (what the formatter's error bound assumes).
        assert G < g <= G + 1, ("g", e)
        rows.append((e, g))

    # The scaling shift used in C: h = q + E + 1 must stay within [1, 4] so
    # that (4c + 2) << h still fits in 64 bits (4c + 2 < 2^55).
    for q in range(Q_MIN, Q_MAX + 1):
        for k in {floor_log10_pow2_exact(q)} | ({floor_log10_pow2_exact(q, Fraction(3, 4))} if q > Q_MIN else set()):
            h = q + floor_log2_pow10_exact(-k) + 1
            assert 1 <= h <= 4, (q, k, h)

    # The C code does not store every g: it rebuilds g for e = b + j (b a
    # multiple of STEP above E_MIN, 0 <= j < STEP) from the truncated 128-bit
    # B = floor(10^b * 2^(127 - E_b)) and the exact 5^j (< 2^64):
    #     P = B * 5^j  (192 bits),  s = E_e - E_b - j,  approx = P >> s,
    #     g = approx + delta(e),    delta in 1..3, two bits per e.
    # Since B <= 10^b 2^(127-E_b) < B + 1, approx is floor(G) or at most two
    # below it; the generator emulates the C arithmetic for every e and
    # asserts the rebuilt value is g, so the formatter's input is the same
    # 128-bit number as a full table would hold.
    STEP = 27
    assert 5 ** (STEP - 1) < 2 ** 64
    bases = []
    for i in range(0, len(rows), STEP):
        b = rows[i][0]
        E = floor_log2_pow10_exact(b)
        B = math.floor(Fraction(10) ** b * Fraction(2) ** (127 - E))
        assert 2 ** 127 <= B < 2 ** 128
        bases.append(B)
    deltas = []
    for idx, (e, g) in enumerate(rows):
        i, j = divmod(idx, STEP)
        b = rows[i * STEP][0]
        s = (fixed_floor(e, m_log2_10, 0, SHIFT) - fixed_floor(b, m_log2_10, 0, SHIFT) - j)
        assert 0 <= s < 64, (e, s)
        P = bases[i] * 5 ** j
        assert P < 2 ** 192
        approx = (P >> s) & (2 ** 128 - 1)
        assert (P >> s) < 2 ** 128, (e, "rebuilt value above 128 bits")
        d = g - approx
        assert 1 <= d <= 3, (e, d)
        deltas.append(d - 1)
    packed = []
    for i in range(0, len(deltas), 4):
        x = 0
        for k, d in enumerate(deltas[i:i + 4]):
            x |= d << (2 * k)
        packed.append(x)

    out = sys.stdout
    out.write("/* Generated by runtime/tools/gen_pow10_table.py -- do not edit.\n"
              " * Regenerate: python3 runtime/tools/gen_pow10_table.py > runtime/src/sr_pow10_table.h\n"
              " *\n"
              " * For e in [SR_POW10_E_MIN, SR_POW10_E_MAX] the formatter needs\n"
              " * g = floor(10^e * 2^(127 - E)) + 1, E = floor(log2(10^e)): 10^e normalised\n"
              " * to 128 bits, rounded up. With SR_POW10_FULL defined (native speed builds,\n"
              " * see sr_dtoa.c) it is stored as is, SR_POW10_G[e - SR_POW10_E_MIN] (9,872\n"
              " * bytes). Otherwise (size builds) the formatter rebuilds g exactly from\n"
              " * three small tables:\n"
              " * with idx = e - SR_POW10_E_MIN = SR_POW10_STEP * i + j and b = e - j,\n"
              " *   SR_POW10_BASE[i] = floor(10^b * 2^(127 - E_b))       (128 bits)\n"
              " *   SR_POW5[j]       = 5^j   (sr_pow5_u64, sr_writer.c: shared with the\n"
              " *                             digit count of size builds)\n"
              " *   g = (SR_POW10_BASE[i] * 5^j >> (E - E_b - j)) + 1 + SR_POW10_DELTA(idx)\n"
              " * where SR_POW10_DELTA (two bits per e) was found and checked for every e\n"
              " * by emulating that arithmetic against the exact value.\n"
              " * The SR_LOG_* constants are 2^-SR_LOG_SHIFT fixed-point logarithms, checked\n"
              " * exhaustively by the generator over every exponent a double can produce. */\n")
    out.write("#ifndef SR_POW10_TABLE_H\n#define SR_POW10_TABLE_H\n\n#include <stdint.h>\n\n")
    out.write("#define SR_LOG_SHIFT %d\n" % SHIFT)
    out.write("#define SR_LOG_BIAS %d\n" % BIAS)
    out.write("#define SR_LOG10_2 INT64_C(%d)     /* log10(2)   */\n" % m_log10_2)
    out.write("#define SR_LOG10_3_4 INT64_C(%d) /* log10(3/4) */\n" % m_log10_3_4)
    out.write("#define SR_LOG2_10 INT64_C(%d)    /* log2(10)   */\n\n" % m_log2_10)
    out.write("#define SR_POW10_E_MIN (%d)\n#define SR_POW10_E_MAX %d\n" % (e_min, e_max))
    out.write("#if defined(SR_POW10_FULL)\n\n")
    out.write("/* Every g, {hi, lo}: 16 bytes per exponent, no arithmetic to rebuild it. */\n")
    out.write("static const uint64_t SR_POW10_G[%d][2] = {\n" % len(rows))
    for e, g in rows:
        out.write("    {0x%016xu, 0x%016xu}, /* 1e%d */\n" % (g >> 64, g & (2 ** 64 - 1), e))
    out.write("};\n\n#else\n\n")
    out.write("#define SR_POW10_STEP %d\n\n" % STEP)
    out.write("static const uint64_t SR_POW10_BASE[%d][2] = {\n" % len(bases))
    for i, B in enumerate(bases):
        out.write("    {0x%016xu, 0x%016xu}, /* 1e%d */\n" % (B >> 64, B & (2 ** 64 - 1), rows[i * STEP][0]))
    out.write("};\n\n/* 5^0 .. 5^%d: the runtime's table (sr_internal.h) */\n#define SR_POW5 sr_pow5_u64\n" % (STEP - 1))
    out.write("_Static_assert(SR_POW5_COUNT >= %d, \"sr_pow5_u64 too short\");\n" % STEP)
    out.write("\n/* delta - 1 of e = SR_POW10_E_MIN + idx in bits 2 (idx % 4) .. +1 of byte idx / 4 */\n")
    out.write("static const uint8_t SR_POW10_DELTA[%d] = {\n" % len(packed))
    for i in range(0, len(packed), 16):
        out.write("    " + ", ".join("0x%02x" % x for x in packed[i:i + 16]) + ",\n")
    out.write("};\n\n#endif /* SR_POW10_FULL */\n\n#endif /* SR_POW10_TABLE_H */\n")


if __name__ == "__main__":
    main()
