/*
 * sr_dtoa.c - shortest round-trip formatting of doubles, laid out like
 * Python's repr(float).
 *
 * The digit search follows the Schubfach method (R. Giulietti, "The Schubfach
 * way to render doubles", 2020), implemented here from the paper's description.
 * In brief: a finite v = c * 2^q rounds back from every real in its rounding
 * interval R = [v - half the gap to the lower neighbour, v + half the gap to
 * the upper one] (closed when c is even, since round-half-even then picks v).
 * Choose k so that R scaled by 10^-k is between 1 and 10 wide. Then
 *   - at least one integer lies in the scaled interval, so no answer needs
 *     digits below 10^k;
 *   - at most one multiple of 10 lies in it; if one does, it is the unique
 *     shortest answer (dropping its trailing zeros);
 *   - otherwise every integer in it has the same length, and the best is
 *     whichever of floor(v * 10^-k) and the next integer is closer to v and
 *     inside (ties go to the even one, as Python's dtoa does).
 * Deciding "inside" needs exact comparisons of x * 2^q * 10^-k against
 * integers, for x = 4 * (c or an interval end). The scaling uses a 128-bit
 * approximation of 10^-k rounded upward (rebuilt exactly from the small
 * tables of sr_pow10_table.h) and keeps the
 * result "rounded to odd": the integer part, with its lowest bit set when a
 * fraction remains. Comparisons of such a value against even integers are
 * exact, which is why everything is kept at 4x scale. This works because
 * exact products that are not integers keep at least 2^-65.44 away from every
 * integer, over all exponents and significands (the paper proves a bound of
 * this kind for its own parameters; runtime/tools/check_dtoa_bounds.py checks
 * it exhaustively, by continued-fraction walks, for the values used here), so
 * an error below 2^-69 can neither hide nor invent a fraction in the 68 bits
 * below the point that are inspected.
 *
 * No allocation, no libm, no printf, no strtod.
 */
#include "sr_runtime.h"

#include "sr_internal.h"

/* Which table of powers of ten: size builds (clang and gcc define
 * __OPTIMIZE_SIZE__ at -Os/-Oz; every wasm plugin is one) rebuild each power
 * from 739 bytes of tables; other builds look it up in the full 9,872-byte
 * table (one load instead of two products, shifts and a correction, about a
 * fifth of a double's time natively). Both hold the same 128-bit numbers.
 * SR_POW10_COMPACT forces the small tables anywhere (tested natively with
 * the portable runtime build in runtime/CMakeLists.txt). */
#if !defined(SR_POW10_COMPACT) && !defined(__OPTIMIZE_SIZE__)
#define SR_POW10_FULL 1
#endif
/* Likewise two smaller speed-ups that cost bytes: trailing zeros removed by
 * exact division (no remainders) and digit counts taken from the search.
 * Size builds keep the shorter code; runtime/CMakeLists.txt builds and
 * checks the runtime at -Os too. */
#ifndef __OPTIMIZE_SIZE__
#define SR_DTOA_FAST 1
#endif
#include "sr_pow10_table.h"

/* ---- 64 x 64 -> 128-bit products ---------------------------------------- */

/* __int128 is used where the hardware has a 64-bit multiply-high. Not on
 * wasm: there the compiler turns it into a call to a 128x128 helper routine,
 * which is slower than the four 32-bit products below and needs compiler-rt
 * at link time. Define SR_NO_INT128 to test the portable path anywhere. */
#if defined(__SIZEOF_INT128__) && !defined(__wasm__) && !defined(SR_NO_INT128)
#define SR_MUL_INT128 1
__extension__ typedef unsigned __int128 sr_u128;

static inline uint64_t mul64(uint64_t a, uint64_t b, uint64_t *hi)
{
    sr_u128 p = (sr_u128)a * b;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
}
#else
static inline uint64_t mul64(uint64_t a, uint64_t b, uint64_t *hi)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32;
    uint64_t b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    /* Sum of the three terms that meet at bit 32; < 3 * 2^32, no overflow. */
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return ((uint64_t)(uint32_t)mid << 32) | (uint32_t)p00; /* mid >> 32 went to hi */
}
#endif

/* A 192-bit number, w[0] lowest. */
typedef struct {
    uint64_t w[3];
} sr_u192;

/* x * g exactly, for the 128-bit g = {hi, lo}. */
static inline sr_u192 mul_192(uint64_t x, const uint64_t g[2])
{
    uint64_t lo_hi, hi_hi;
    const uint64_t lo_lo = mul64(x, g[1], &lo_hi);
    const uint64_t hi_lo = mul64(x, g[0], &hi_hi);
    sr_u192 r;
    r.w[0] = lo_lo;
    r.w[1] = hi_lo + lo_hi;
    r.w[2] = hi_hi + (r.w[1] < lo_hi); /* carry */
    return r;
}

#ifndef SR_MUL_INT128
/* Only where products are expensive (see shortest). */
/* g << sh as 192 bits, 1 <= sh <= 63. */
static inline sr_u192 shl_192(const uint64_t g[2], unsigned sh)
{
    sr_u192 r;
    r.w[0] = g[1] << sh;
    r.w[1] = g[0] << sh | g[1] >> (64 - sh);
    r.w[2] = g[0] >> (64 - sh);
    return r;
}

/* a + b and a - b (no overflow or borrow out of 192 bits where used). */
static inline sr_u192 add_192(sr_u192 a, sr_u192 b)
{
    sr_u192 r;
    r.w[0] = a.w[0] + b.w[0];
    const uint64_t c0 = r.w[0] < b.w[0];
    const uint64_t t = a.w[1] + b.w[1];
    r.w[1] = t + c0;
    const uint64_t c1 = (uint64_t)(t < b.w[1]) + (r.w[1] < c0); /* not both */
    r.w[2] = a.w[2] + b.w[2] + c1;
    return r;
}

static inline sr_u192 sub_192(sr_u192 a, sr_u192 b)
{
    sr_u192 r;
    r.w[0] = a.w[0] - b.w[0];
    const uint64_t b0 = a.w[0] < b.w[0];
    const uint64_t t = a.w[1] - b.w[1];
    r.w[1] = t - b0;
    const uint64_t b1 = (uint64_t)(a.w[1] < b.w[1]) + (t < b0); /* not both */
    r.w[2] = a.w[2] - b.w[2] - b1;
    return r;
}

#endif

/* floor(p / 2^128) for a product p = x * g (g 128 bits), with bit 0 forced
 * to 1 when any of the 68 bits just below the binary point is set ("round to
 * odd"). Bits further down are ignored on purpose: there the product holds
 * only the error of g (< 2^-69 for x < 2^59), which must not make an exact
 * integer look fractional; and a true fraction is never smaller than 2^-66
 * (see the file comment), so it always shows within 68 bits. */
static inline uint64_t round_odd(sr_u192 p)
{
    return p.w[2] | ((p.w[1] | (p.w[0] >> 60)) != 0);
}

/* ---- exponent estimates ------------------------------------------------- */

/* floor((x * mult + add) / 2^SR_LOG_SHIFT) for the small |x| used here. The
 * bias makes the shifted value non-negative, so no right shift of a negative
 * number (implementation-defined in C) is involved. The generator checked
 * every result over the full exponent range. */
static inline int fixed_floor(int x, int64_t mult, int64_t add)
{
    int64_t t = (int64_t)x * mult + add + ((int64_t)SR_LOG_BIAS << SR_LOG_SHIFT);
    return (int)((uint64_t)t >> SR_LOG_SHIFT) - SR_LOG_BIAS;
}

/* floor(log10(2^q)) */
static inline int floor_log10_pow2(int q) { return fixed_floor(q, SR_LOG10_2, 0); }
/* floor(log10(3/4 * 2^q)) */
static inline int floor_log10_three_quarters_pow2(int q)
{
    return fixed_floor(q, SR_LOG10_2, SR_LOG10_3_4);
}
/* floor(log2(10^e)) */
static inline int floor_log2_pow10(int e) { return fixed_floor(e, SR_LOG2_10, 0); }

/* ---- powers of ten ---------------------------------------------------------- */

#ifdef SR_POW10_FULL
/* g = 10^e normalised to 128 bits and rounded up, {hi, lo}. */
static inline void pow10_g(int e, uint64_t g[2])
{
    const uint64_t *t = SR_POW10_G[e - SR_POW10_E_MIN];
    g[0] = t[0];
    g[1] = t[1];
}
#else
/* g = 10^e normalised to 128 bits and rounded up, {hi, lo}, rebuilt from the
 * compressed table (sr_pow10_table.h): base * 5^j shifted into place, plus
 * the stored correction. Exact for every e the formatter uses; the
 * generator checked each one against the full-precision value. */
static inline void pow10_g(int e, uint64_t g[2])
{
    const unsigned idx = (unsigned)(e - SR_POW10_E_MIN);
    const unsigned i = idx / SR_POW10_STEP, j = idx % SR_POW10_STEP;
    const uint64_t *b = SR_POW10_BASE[i];
    const uint64_t m = SR_POW5[j];
    const int s = floor_log2_pow10(e) - floor_log2_pow10(e - (int)j) - (int)j; /* 0 <= s < 64 */
    uint64_t lo_hi, hi_hi;
    const uint64_t p0 = mul64(b[1], m, &lo_hi);
    const uint64_t hi_lo = mul64(b[0], m, &hi_hi);
    const uint64_t p1 = hi_lo + lo_hi;
    const uint64_t p2 = hi_hi + (p1 < lo_hi);
    uint64_t hi = p1, lo = p0; /* s == 0: j == 0, m == 1 */
    if (s != 0) {
        hi = (p2 << (64 - s)) | (p1 >> s);
        lo = (p1 << (64 - s)) | (p0 >> s);
    }
    const uint64_t d = 1 + ((SR_POW10_DELTA[idx >> 2] >> (2 * (idx & 3))) & 3);
    lo += d;
    hi += lo < d;
    g[0] = hi;
    g[1] = lo;
}
#endif

/* ---- the digit search ---------------------------------------------------- */

/* digits * 10^exp10, digits without trailing zeros; len is the number of
 * decimal digits of `digits` (known from the search without counting). */
typedef struct {
    uint64_t digits;
    int exp10;
#ifdef SR_DTOA_FAST
    unsigned len;
#endif
} sr_decimal;

static inline sr_decimal decimal(uint64_t d, int e, unsigned len)
{
#ifdef SR_DTOA_FAST
    sr_decimal r = {d, e, len};
#else
    (void)len;
    sr_decimal r = {d, e};
#endif
    return r;
}

#ifdef SR_DTOA_FAST
/* d / 10^k into *d when 10^k divides d, else false and *d unchanged, with
 * one multiplication and no division: multiplying by the inverse of 5^k
 * modulo 2^64 maps the multiples of 5^k exactly onto their quotients, which
 * are <= (2^64 - 1) / 5^k, and every other d above that. The quotient is
 * then divisible by 2^k when its k low bits are zero; rotated right by k
 * they land on top, so "divisible by 10^k" is one comparison of the rotated
 * product with (2^64 - 1) / 10^k, and when it holds the rotated product is
 * d / 10^k. (Granlund and Montgomery's exact division; wasm has the 64-bit
 * multiply and rotate too, where a remainder would be a real division.) */
static inline bool div_pow10_exact(uint64_t *d, uint64_t inv5k, unsigned k, uint64_t limit)
{
    const uint64_t m = *d * inv5k;
    const uint64_t r = m >> k | m << (64 - k);
    if (r > limit) return false;
    *d = r;
    return true;
}

/* The inverses of 5^k modulo 2^64 and the limits (2^64 - 1) / 10^k, checked
 * by the compiler. */
#define SR_INV5_1 UINT64_C(0xcccccccccccccccd)
#define SR_INV5_2 UINT64_C(0x8f5c28f5c28f5c29)
#define SR_INV5_4 UINT64_C(0xd288ce703afb7e91)
#define SR_INV5_8 UINT64_C(0xc767074b22e90e21)
_Static_assert((uint64_t)(UINT64_C(5) * SR_INV5_1) == 1, "inverse of 5");
_Static_assert((uint64_t)(UINT64_C(25) * SR_INV5_2) == 1, "inverse of 5^2");
_Static_assert((uint64_t)(UINT64_C(625) * SR_INV5_4) == 1, "inverse of 5^4");
_Static_assert((uint64_t)(UINT64_C(390625) * SR_INV5_8) == 1, "inverse of 5^8");

/* The same number without trailing zeros in its digits. Biggest steps first:
 * round decimals such as 0.1 arrive as 1000000000000000. No loop: digits
 * below 10^17 have at most 16 trailing zeros, two steps of 8. */
static inline sr_decimal drop_trailing_zeros(sr_decimal x)
{
    uint64_t d = x.digits;
    int e = x.exp10;
    if (div_pow10_exact(&d, SR_INV5_8, 8, UINT64_MAX / 100000000)) {
        e += 8;
        if (div_pow10_exact(&d, SR_INV5_8, 8, UINT64_MAX / 100000000)) e += 8;
    }
    if (div_pow10_exact(&d, SR_INV5_4, 4, UINT64_MAX / 10000)) e += 4;
    if (div_pow10_exact(&d, SR_INV5_2, 2, UINT64_MAX / 100)) e += 2;
    if (div_pow10_exact(&d, SR_INV5_1, 1, UINT64_MAX / 10)) e += 1;
    return decimal(d, e, x.len - (unsigned)(e - x.exp10));
}
#else
/* Size builds: the same by remainders (fewer bytes; the length is counted
 * in layout). */
static inline sr_decimal drop_trailing_zeros(sr_decimal x)
{
    uint64_t d = x.digits;
    int e = x.exp10;
    if (d % 100000000 == 0) {
        d /= 100000000;
        e += 8;
        if (d % 100000000 == 0) {
            d /= 100000000;
            e += 8;
        }
    }
    if (d % 10000 == 0) {
        d /= 10000;
        e += 4;
    }
    if (d % 100 == 0) {
        d /= 100;
        e += 2;
    }
    if (d % 10 == 0) {
        d /= 10;
        e += 1;
    }
    return decimal(d, e, 0);
}
#endif

/* Digit count of x, which has `lo` or `lo` + 1 digits when `known` (else
 * counted): the search's candidates have a known length for normal doubles
 * (see shortest), which saves the count's table load. */
static inline unsigned len_near(uint64_t x, int known, unsigned lo, uint64_t pow10_lo)
{
#ifdef SR_DTOA_FAST
    return known ? lo + (x >= pow10_lo) : (unsigned)sr_decimal_len(x);
#else
    (void)x, (void)known, (void)lo, (void)pow10_lo;
    return 0; /* counted in layout */
#endif
}

/* Shortest decimal in the rounding interval of c * 2^q (c > 0), the one
 * closest to it if there are several. `irregular` is set for c = 2^52 above
 * the smallest normal exponent, where the lower neighbour is only half as far
 * away as the upper one. */
static sr_decimal shortest(uint64_t c, int q, int irregular)
{
    /* v and its interval ends at 4x scale (in units of 2^q / 4), where even
     * the irregular lower end v - 2^q / 4 is an integer. */
    const uint64_t cb = c << 2;
    /* An odd c excludes the ends: "x is inside" becomes a strict comparison,
     * written below as adding 1 to the smaller side. */
    const uint64_t open = c & 1;

    /* 10^k <= width of the interval < 10^(k+1). */
    const int k = irregular ? floor_log10_three_quarters_pow2(q) : floor_log10_pow2(q);
    /* The table entry is 10^-k = g * 2^(E - 127); shifting by h lines the
     * product up so the integer part lands in the top 64 of 192 bits.
     * The generator checked 1 <= h <= 4, hence (4c + 2) << h < 2^64. */
    const int h = q + floor_log2_pow10(-k) + 1;
    uint64_t g[2];
    pow10_g(-k, g);

    const uint64_t x = cb << h;
#ifdef SR_MUL_INT128
    /* Three independent products: in parallel on a 64-bit multiplier, which
     * is faster there than the carry chains below. */
    const uint64_t vb = round_odd(mul_192(x, g));                                   /* 4 v 10^-k  */
    const uint64_t vb_lo = round_odd(mul_192(x - ((uint64_t)(2 - irregular) << h), g)); /* 4 lo 10^-k */
    const uint64_t vb_hi = round_odd(mul_192(x + ((uint64_t)2 << h), g));          /* 4 hi 10^-k */
#else
    /* One product (eight 32-bit multiplications here, wasm32 included): those for
     * the interval ends differ from it by (2 << h) g = g << (h + 1) (the
     * irregular lower end by g << h), a shift, so all three are exact 192-bit
     * sums. */
    const sr_u192 pv = mul_192(x, g);
    const uint64_t vb = round_odd(pv);                                                   /* 4 v 10^-k  */
    const uint64_t vb_lo = round_odd(sub_192(pv, shl_192(g, (unsigned)h + !irregular))); /* 4 lo 10^-k */
    const uint64_t vb_hi = round_odd(add_192(pv, shl_192(g, (unsigned)h + 1)));          /* 4 hi 10^-k */
#endif

    const uint64_t s = vb >> 2; /* floor(v 10^-k) */
    /* For a normal double (c >= 2^52), 10^k <= 2^q (3/4 2^q when irregular)
     * < 10^(k+1) puts v 10^-k in [c, 10c) (below 2^52 40/3 when irregular):
     * s and s + 1 have 16 or 17 digits, a multiple of ten near them divided
     * by ten 15 or 16. Subnormals are counted. */
    const int normal = (c >> 52) != 0;

    /* A multiple of ten inside the interval is within 10 of v: the one at or
     * below s (inside if above the low end; it cannot pass the high end) or
     * the next one (inside if below the high end). */
    const uint64_t ten_below = s / 10 * 10;
    const uint64_t ten_above = ten_below + 10;
    if (vb_lo + open <= ten_below << 2) {
        const uint64_t tens = ten_below / 10;
        return drop_trailing_zeros(decimal(tens, k + 1, len_near(tens, normal, 15, UINT64_C(1000000000000000))));
    }
    if ((ten_above << 2) + open <= vb_hi) {
        const uint64_t tens = ten_above / 10;
        return drop_trailing_zeros(decimal(tens, k + 1, len_near(tens, normal, 15, UINT64_C(1000000000000000))));
    }

    /* No multiple of ten: s or s + 1, whichever is inside and closer. Neither
     * ends in 0 here, so there are no trailing zeros to drop. */
    const uint64_t t = s + 1;
    const int s_inside = vb_lo + open <= s << 2;
    const int t_inside = (t << 2) + open <= vb_hi;
    uint64_t r = s;
    if (s_inside && t_inside) {
        /* Compare 4v with 4(s + 1/2) = 2(s + t), an even number: exact. */
        const uint64_t mid = (s + t) << 1;
        if (vb > mid || (vb == mid && (s & 1))) r = t;
    } else if (!s_inside) {
        r = t;
    }
    return decimal(r, k, len_near(r, normal, 16, UINT64_C(10000000000000000)));
}

/* ---- layout --------------------------------------------------------------- */

/* Exponent of the scientific form: "e", sign, at least two digits. */
static inline size_t put_exponent(char *p, int x)
{
    p[0] = 'e';
    p[1] = x < 0 ? '-' : '+';
    unsigned ux = (unsigned)(x < 0 ? -x : x);
    size_t n = 2;
    if (ux >= 100) {
        p[n++] = (char)('0' + ux / 100);
        ux %= 100;
    }
#ifdef __OPTIMIZE_SIZE__
    p[n] = (char)('0' + ux / 10); /* no pair table needed for this */
    p[n + 1] = (char)('0' + ux % 10);
#else
    memcpy(p + n, sr_digit_pairs + 2 * ux, 2);
#endif
    return n + 2;
}

#if !defined(SR_DIGITS_TABLE) && !defined(__OPTIMIZE_SIZE__)
/* The digit string, kept in registers: byte i of the 24 bytes r[0]:r[1]:r[2]
 * (little-endian words) is digit i. Stored from there, never through a
 * buffer that is read back (a load spanning several recent smaller stores
 * waits for them: on x86 that cost more than the digits themselves). */
typedef struct {
    uint64_t r[3];
} sr_digits;

/* The n digits of v (n = its digit count, <= 17). Up to 8 digits with
 * sr_digits8, more with SR_DIGITS8_INT (the pair table in speed builds; see
 * sr_internal.h). */
static inline sr_digits digits_of(uint64_t v, size_t n)
{
    sr_digits d = {{0, 0, 0}};
    if (n <= 8) {
        d.r[0] = sr_digits8((uint32_t)v) >> (8 * (8 - n));
    } else if (n <= 16) {
        const uint64_t hi = v / 100000000;
        const uint64_t lo = SR_DIGITS8_INT((uint32_t)(v - hi * 100000000));
        const unsigned m = (unsigned)n - 8; /* 1..8 digits in hi */
        d.r[0] = (SR_DIGITS8_INT((uint32_t)hi) >> (8 * (8 - m))) | (lo << 8 << (8 * m - 8));
        d.r[1] = lo >> (64 - 8 * m);
    } else {
        const uint64_t a = v / UINT64_C(10000000000000000); /* one digit */
        const uint64_t rest = v - a * UINT64_C(10000000000000000);
        const uint64_t bh = rest / 100000000;
        const uint64_t wb = SR_DIGITS8_INT((uint32_t)bh);
        const uint64_t wc = SR_DIGITS8_INT((uint32_t)(rest - bh * 100000000));
        d.r[0] = ('0' + a) | wb << 8;
        d.r[1] = wb >> 56 | wc << 8;
        d.r[2] = wc >> 56;
    }
    return d;
}

/* Digits k .. of d, k <= 16. */
static inline sr_digits drop_front(sr_digits d, size_t k)
{
    if (k >= 8) {
        d.r[0] = d.r[1];
        d.r[1] = d.r[2];
        d.r[2] = 0;
        k -= 8;
        if (k >= 8) {
            d.r[0] = d.r[1];
            d.r[1] = 0;
            k -= 8;
        }
    }
    if (k != 0) {
        const unsigned s = 8 * (unsigned)k;
        d.r[0] = d.r[0] >> s | d.r[1] << (64 - s);
        d.r[1] = d.r[1] >> s | d.r[2] << (64 - s);
        d.r[2] >>= s;
    }
    return d;
}

/* Stores exactly the first k (0..17) digits of d at p. */
static inline void put_digits(char *p, sr_digits d, size_t k)
{
    if (k > 8) {
        sr_store64(p, d.r[0]);
        if (k > 16) {
            sr_store64(p + 8, d.r[1]);
            p[16] = (char)d.r[2];
        } else {
            sr_put_word(p + 8, d.r[1], k - 8);
        }
    } else {
        sr_put_word(p, d.r[0], k);
    }
}
/* Lays out digits * 10^exp10 as repr() does at p and returns the length;
 * writes nothing past it. No loops. */
static size_t layout(char *p, sr_decimal x)
{
#ifdef SR_DTOA_FAST
    const size_t n = x.len;
#else
    const size_t n = sr_decimal_len(x.digits);
#endif
    const sr_digits d = digits_of(x.digits, n);

    /* value = 0.DIGITS * 10^point; repr() goes scientific outside
     * -4 < point <= 16, i.e. 1e-05 and 1e+16 are the first scientific ones. */
    const int point = (int)n + x.exp10;

    if (point > -4 && point <= 16) {
        if (point <= 0) { /* 0.000ddd */
            const size_t q = (size_t)(2 - point);
            sr_copy_small(p, "0.00000000000000", q); /* q <= 5 of them */
            put_digits(p + q, d, n);
            return q + n;
        }
        const size_t pt = (size_t)point;
        if (pt < n) { /* ddd.ddd */
            put_digits(p, d, pt);
            p[pt] = '.';
            put_digits(p + pt + 1, drop_front(d, pt), n - pt);
            return n + 1;
        }
        /* ddd000.0 */
        put_digits(p, d, n);
        sr_copy_small(p + n, "0000000000000000", pt - n);
        p[pt] = '.';
        p[pt + 1] = '0';
        return pt + 2;
    }

    /* d[.ddd]e+XX */
    put_digits(p, d, 1);
    size_t m = 1;
    if (n > 1) {
        p[1] = '.';
        put_digits(p + 2, drop_front(d, 1), n - 1);
        m = n + 1;
    }
    return m + put_exponent(p + m, point - 1);
}

#else
/* Size builds and the portable path: the digits written in place with
 * sr_put_u64, then the point put in by moving the digits after it (memmove,
 * memcpy and memset of a variable length are one instruction each in wasm
 * with bulk memory, no loop). Shorter code than the register shuffles above;
 * slower natively, which is why speed builds keep those. */
static size_t layout(char *p, sr_decimal x)
{
#ifdef SR_DTOA_FAST
    const size_t n = x.len;
#else
    const size_t n = sr_decimal_len(x.digits);
#endif
    const int point = (int)n + x.exp10;

    if (point > -4 && point <= 16) {
        if (point <= 0) { /* 0.000ddd */
            const size_t q = (size_t)(2 - point); /* 2..5 */
            memcpy(p, "0.000", q);
            sr_put_u64(p + q, x.digits, n);
            return q + n;
        }
        const size_t pt = (size_t)point;
        sr_put_u64(p, x.digits, n);
        if (pt < n) { /* ddd.ddd */
            memmove(p + pt + 1, p + pt, n - pt);
            p[pt] = '.';
            return n + 1;
        }
        /* ddd000.0 */
        memset(p + n, '0', pt - n);
        p[pt] = '.';
        p[pt + 1] = '0';
        return pt + 2;
    }

    /* d[.ddd]e+XX: the digits from p + 1, the first moved in front of the
     * point (with one digit, the exponent overwrites its copy). */
    sr_put_u64(p + 1, x.digits, n);
    p[0] = p[1];
    size_t m = 1;
    if (n > 1) {
        p[1] = '.';
        m = n + 1;
    }
    return m + put_exponent(p + m, point - 1);
}
#endif

/* Formats v at s, returns the length; writes nothing past it. */
static size_t format(double v, char *s)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);

    size_t sign = 0;
    if (bits >> 63) s[sign++] = '-';

    const uint64_t fraction = bits & ((UINT64_C(1) << 52) - 1);
    const unsigned biased = (unsigned)(bits >> 52) & 0x7FF;

    if (biased == 0x7FF) {
        /* Outside the precondition; answer as repr() would rather than
         * leave the buffer undefined. */
        if (fraction != 0) {
            memcpy(s, "nan", 3);
            return 3;
        }
        memcpy(s + sign, "inf", 3);
        return sign + 3;
    }
    if (biased == 0 && fraction == 0) {
        memcpy(s + sign, "0.0", 3);
        return sign + 3;
    }

    uint64_t c;
    int q;
    if (biased != 0) {
        c = fraction | (UINT64_C(1) << 52);
        q = (int)biased - 1075;
    } else {
        c = fraction; /* subnormal */
        q = -1074;
    }

    sr_decimal d;
    if (q <= 0 && q >= -52 && (c & ((UINT64_C(1) << -q) - 1)) == 0) {
        /* An integer below 2^53: neighbours are at most 1 away, so no
         * shorter decimal than the integer itself (without its trailing
         * zeros) rounds back to it. Common in JSON, and cheap. */
        const uint64_t i = c >> -q;
        d = drop_trailing_zeros(decimal(i, 0, len_near(i, 0, 0, 0)));
    } else {
        d = shortest(c, q, fraction == 0 && biased > 1);
    }
    return sign + layout(s + sign, d);
}

size_t sr_format_double(double v, char out[SR_DOUBLE_MAX_CHARS]) { return format(v, out); }

void sr_w_double(sr_writer *w, double v)
{
    if (!sr_double_is_finite(v)) {
        if (w->err == SR_OK) w->err = SR_ERR_NOT_FINITE;
        return;
    }
    /* Format in place when the worst case fits, else via a scratch copy. */
    if (w->len <= w->cap && w->cap - w->len >= SR_DOUBLE_MAX_CHARS) {
        w->len += format(v, w->buf + w->len);
    } else {
        char tmp[SR_DOUBLE_MAX_CHARS];
        sr_w_bytes(w, tmp, format(v, tmp));
    }
}

/* Are a[0 .. count) and b[0 .. count) the same bits? Two at a time, no call
 * (wasi-libc's memcmp is a loop over bytes, 8 back-edges per double). */
static bool same_doubles(const double *a, const double *b, size_t count)
{
    if (a == b) return true;
    uint64_t diff = 0;
    size_t i = 0;
    for (; i + 2 <= count; i += 2) {
        diff |= (sr_load64(a + i) ^ sr_load64(b + i)) | (sr_load64(a + i + 1) ^ sr_load64(b + i + 1));
    }
    if (i < count) diff |= sr_load64(a + i) ^ sr_load64(b + i);
    return diff == 0;
}

void sr_w_double_array(sr_writer *w, const double *items, size_t count)
{
    const size_t start = w->len;
    if (count != 0 && w->memo_items != NULL && count == w->memo_count && same_doubles(items, w->memo_items, count)) {
        /* The same values as the last array: its text, copied from where it
         * was written (earlier in buf, so the ranges do not overlap), or
         * only counted when the writer had already overflowed by then. */
        if (w->memo_pos + w->memo_len <= w->cap) {
            sr_w_bytes(w, w->buf + w->memo_pos, w->memo_len);
        } else {
            w->len += w->memo_len;
        }
        return;
    }
    const sr_status err_before = w->err;
    sr_w_char(w, '[');
    for (size_t i = 0; i < count; i++) {
        if (i) sr_w_char(w, ',');
        sr_w_double(w, items[i]);
    }
    sr_w_char(w, ']');
    /* Remember it only when its text is exactly what the values give (no
     * NaN or infinity left a hole in it). */
    if (count != 0 && err_before == SR_OK && w->err == SR_OK) {
        w->memo_items = items;
        w->memo_count = count;
        w->memo_pos = start;
        w->memo_len = w->len - start;
    }
}
